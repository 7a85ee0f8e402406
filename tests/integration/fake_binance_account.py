"""The fake Binance's signed side: an account with balances, MARKET orders, their lookup and
their trades, as Binance documents them (SIGNED endpoints: X-MBX-APIKEY, the HMAC-SHA256 of the
exact query in `signature`; the FULL answer with its fills; GET /api/v3/myTrades; error codes
-2015, -1022, -1013, -2010, -2013). Switches: `fail_after_execute` (the order executes, then the
answer is a 503, as when Binance's gateway loses it), `answer_late` (the order executes, and its
answer waits until the order has been looked up: later than the caller waited), `hold` (a
threading.Event: the order executes and its answer waits for the event, so a test can kill the
service in between), `lose` (a threading.Event: the next order request waits for it, then is
lost before it executes, with a 503), `commission_asset` (None: the quote asset; "BASE": the
bought asset; or another asset such as "BNB")."""

import hashlib
import hmac
import threading
from decimal import Decimal, ROUND_DOWN
from urllib.parse import parse_qsl

from fake_binance import kline_row

STEP = Decimal("0.00001")
MIN_NOTIONAL = Decimal("5")
COMMISSION = Decimal("0.001")


def d8(x):
    return f"{Decimal(x).quantize(Decimal('0.00000001'), rounding=ROUND_DOWN):.8f}"


class FakeAccount:
    def __init__(self, fake, key="test-key", secret="test-secret"):
        self.fake = fake
        self.key = key
        self.secret = secret
        self.balances = {"USDT": Decimal("10000")}
        self.orders = {}  # client order id -> the order as GET /api/v3/order answers it
        self.placed = []  # every order request that executed, in order
        self.refused = []  # (code, message) of every refused signed request
        self.fail_after_execute = 0
        self.answer_late = False
        self._looked_up = threading.Event()  # an order was asked for by its client id
        self.hold = None
        self.lose = None
        self.check_timestamps = False  # refuse a timestamp far outside recvWindow (-1021)
        self.received = 0  # order requests that arrived, executed or not
        self.lost = []  # the queries of the orders `lose` lost
        self.commission_asset = None
        self.trades = {}  # Binance's order id -> its trades, as GET /api/v3/myTrades answers
        self._next_id = 100
        self._lock = threading.Lock()

    def serve(self, method, path, raw_query, headers):
        """(status, body) for a signed request, or None when `path` is not one."""
        if path not in ("/api/v3/order", "/api/v3/account", "/api/v3/myTrades"):
            return None
        if method == "POST" and path == "/api/v3/order":
            with self._lock:
                self.received += 1
            lose, self.lose = self.lose, None  # one order only
            if lose is not None:
                lose.wait(30)
                self.lost.append(dict(parse_qsl(raw_query)))
                return 503, {"code": -1001, "msg": "Internal error; unable to process your "
                                                   "request. Please try again."}
        with self._lock:
            answer = self._serve(method, path, raw_query, headers)
            executed = method == "POST" and answer[0] != 400 and answer[0] != 401
        if method == "GET" and path == "/api/v3/order":
            self._looked_up.set()
        if executed and self.answer_late:
            self._looked_up.wait(30)
        if executed and self.hold is not None:
            self.hold.wait(30)
        return answer

    def _serve(self, method, path, raw_query, headers):
        if headers.get("X-MBX-APIKEY") != self.key:
            return self._refuse(401, -2015, "Invalid API-key, IP, or permissions for action.")
        unsigned, _, signature = raw_query.rpartition("&signature=")
        want = hmac.new(self.secret.encode(), unsigned.encode(), hashlib.sha256).hexdigest()
        if not unsigned or not hmac.compare_digest(signature, want):
            return self._refuse(400, -1022, "Signature for this request is not valid.")
        q = dict(parse_qsl(unsigned, keep_blank_values=True))
        if "timestamp" not in q:
            return self._refuse(400, -1102, "Mandatory parameter 'timestamp' was not sent.")
        if self.check_timestamps:
            # Binance's rule, with five minutes' grace: the fake's clock stands still between
            # the steps a test makes, while the service's runs on.
            ts, window = int(q["timestamp"]), int(q.get("recvWindow", "5000")) + 300_000
            if ts > self.fake.now_ms + 1000 + 300_000 or self.fake.now_ms - ts > window:
                return self._refuse(400, -1021, "Timestamp for this request is outside of the "
                                                "recvWindow.")
        if path == "/api/v3/account":
            return 200, {"balances": [{"asset": a, "free": d8(v), "locked": "0.00000000"}
                                      for a, v in sorted(self.balances.items())]}
        if path == "/api/v3/myTrades":
            return 200, self.trades.get(int(q.get("orderId", "0")), [])
        if method == "GET":
            order = self.orders.get(q.get("origClientOrderId", ""))
            if order is None:
                return self._refuse(400, -2013, "Order does not exist.")
            return 200, {k: v for k, v in order.items() if k != "fills"}
        return self._place(q)

    def _refuse(self, status, code, msg):
        self.refused.append((code, msg))
        return status, {"code": code, "msg": msg}

    def _place(self, q):
        symbol = q.get("symbol", "")
        if symbol not in self.fake.symbols:
            return self._refuse(400, -1121, "Invalid symbol.")
        client_id = q.get("newClientOrderId", "")
        if client_id in self.orders:
            return self._refuse(400, -2010, "Duplicate order sent.")
        base, quote = self.fake.symbols[symbol]
        qty = Decimal(q.get("quantity", "0"))
        if qty <= 0 or qty % STEP != 0:
            return self._refuse(400, -1013, "Filter failure: LOT_SIZE")
        step = 60_000
        px = Decimal(kline_row(symbol, self.fake.now_ms // step * step - step, step)[4])
        quote_qty = (px * qty).quantize(Decimal("0.00000001"), rounding=ROUND_DOWN)
        if quote_qty < MIN_NOTIONAL:
            return self._refuse(400, -1013, "Filter failure: NOTIONAL")
        buy = q.get("side") == "BUY"
        asset = {None: quote, "BASE": base}.get(self.commission_asset, self.commission_asset)
        commission = ((qty if asset == base else quote_qty) * COMMISSION).quantize(
            Decimal("0.00000001"), rounding=ROUND_DOWN)
        if asset not in (base, quote):
            commission = Decimal("0.00010000")
        pay, get = (quote, base) if buy else (base, quote)
        cost, gain = (quote_qty, qty) if buy else (qty, quote_qty)
        if self.balances.get(pay, Decimal(0)) < cost:
            return self._refuse(400, -2010, "Account has insufficient balance for requested "
                                            "action.")
        self.balances[pay] = self.balances.get(pay, Decimal(0)) - cost
        self.balances[get] = self.balances.get(get, Decimal(0)) + gain
        self.balances[asset] = self.balances.get(asset, Decimal(0)) - commission
        self._next_id += 1
        order = {"symbol": symbol, "orderId": self._next_id, "orderListId": -1,
                 "clientOrderId": client_id, "transactTime": self.fake.now_ms,
                 "time": self.fake.now_ms, "updateTime": self.fake.now_ms,
                 "price": "0.00000000", "origQty": d8(qty), "executedQty": d8(qty),
                 "origQuoteOrderQty": "0.00000000", "cummulativeQuoteQty": d8(quote_qty),
                 "status": "FILLED", "timeInForce": "GTC", "type": "MARKET",
                 "side": "BUY" if buy else "SELL", "workingTime": self.fake.now_ms,
                 "selfTradePreventionMode": "NONE", "isWorking": True,
                 "fills": [{"price": d8(px), "qty": d8(qty), "commission": d8(commission),
                            "commissionAsset": asset, "tradeId": self._next_id * 10}]}
        self.orders[client_id] = order
        self.trades[self._next_id] = [{
            "symbol": symbol, "id": self._next_id * 10, "orderId": self._next_id,
            "orderListId": -1, "price": d8(px), "qty": d8(qty), "quoteQty": d8(quote_qty),
            "commission": d8(commission), "commissionAsset": asset, "time": self.fake.now_ms,
            "isBuyer": buy, "isMaker": False, "isBestMatch": True}]
        self.placed.append(dict(q))
        if self.fail_after_execute > 0:
            self.fail_after_execute -= 1
            return 503, {"code": -1001, "msg": "Internal error; unable to process your request. "
                                               "Please try again."}
        return 200, order
