"""A fake Binance spot REST API on loopback, answering as Binance documents (shapes, headers and
error codes from its API documentation): GET /api/v3/time, /api/v3/exchangeInfo and
/api/v3/klines, with the request weight in X-MBX-USED-WEIGHT-1M. Its clock is fixed (`now_ms`),
its candles a deterministic function of their open time. Switches: `gaps` (open times with no
candle), `budget` (the requests allowed before a 429 with Retry-After, as when other clients
share the address and use the rest of the weight), `too_many_next` (that many requests of
`too_many_path` answered 429 at once), `fail_next` (5XX answers before the next ones succeed). It records every request,
and any that came inside a Retry-After window."""

import json
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

INTERVALS = {"1m": 60_000, "3m": 180_000, "5m": 300_000, "15m": 900_000, "30m": 1_800_000,
             "1h": 3_600_000, "4h": 14_400_000, "1d": 86_400_000}
WEIGHTS = {"/api/v3/time": 1, "/api/v3/exchangeInfo": 20, "/api/v3/klines": 2,
           "/api/v3/depth": 5, "/api/v3/order": 1, "/api/v3/account": 20,
           "/api/v3/myTrades": 20}
# The fake's filters, as Binance states them for BTCUSDT (a smaller minimum notional).
FILTERS = [
    {"filterType": "PRICE_FILTER", "minPrice": "0.01000000", "maxPrice": "1000000.00000000",
     "tickSize": "0.01000000"},
    {"filterType": "LOT_SIZE", "minQty": "0.00001000", "maxQty": "9000.00000000",
     "stepSize": "0.00001000"},
    {"filterType": "MARKET_LOT_SIZE", "minQty": "0.00000000", "maxQty": "100.00000000",
     "stepSize": "0.00000000"},
    {"filterType": "NOTIONAL", "minNotional": "5.00000000", "applyMinToMarket": True,
     "maxNotional": "9000000.00000000", "applyMaxToMarket": False, "avgPriceMins": 5},
]


def kline_row(symbol, open_ms, step_ms):
    """The fake's candle of `symbol` opening at `open_ms`, as Binance's array (strings)."""
    k = open_ms // step_ms
    base = 100 + (sum(map(ord, symbol)) % 50) + (k % 97) * 0.25
    o, c = base, base + ((k * 7) % 11 - 5) * 0.01
    h, l = max(o, c) + 0.05, min(o, c) - 0.05
    v = 10 + (k * 13) % 1000 / 8
    f = lambda x: f"{x:.8f}"
    return [open_ms, f(o), f(h), f(l), f(c), f(v), open_ms + step_ms - 1, f(v * c), 42, f(v / 2),
            f(v * c / 2), "0"]


class FakeBinance:
    def __init__(self, now_ms, symbols=(("BTC", "USDT"), ("ETH", "USDT")), data_from_ms=0,
                 tls=None):
        """`tls`: (certificate file, key file) to serve https instead of http."""
        self.now_ms = now_ms
        self.symbols = {b + q: (b, q) for b, q in symbols}
        self.data_from_ms = data_from_ms
        self.gaps = {}  # symbol -> set of open times with no candle
        self.volumes = {}  # (symbol, open time) -> a volume string to answer instead
        self.budget = None
        self.retry_after_s = 1
        self.fail_next = 0
        self.too_many_next = 0  # the next requests of `too_many_path` answered 429
        self.too_many_path = "/api/v3/order"
        self.requests = []  # (monotonic time, path, query)
        self.violations = []  # requests inside a Retry-After window
        self.too_many = 0
        self._used = 0
        self._window = 0
        self._quiet_until = 0.0
        self._lock = threading.Lock()
        self.books = {}  # symbol -> {"id": last update id, "bids": {price: size}, "asks": ...}
        self.depth_requests = 0
        from fake_binance_account import FakeAccount  # it imports kline_row from here
        self.account = FakeAccount(self)
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                fake._serve(self)

            def do_POST(self):
                fake._serve(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        scheme = "http"
        if tls:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(*tls)
            self.server.socket = ctx.wrap_socket(self.server.socket, server_side=True)
            scheme = "https"
        self.url = f"{scheme}://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def _new_book(self, symbol):
        """The book around the symbol's last price: 5 levels a side, a cent apart."""
        last = float(kline_row(symbol, self.now_ms - 60_000, 60_000)[4])
        book = {"id": 1000, "bids": {round(last - 0.01 * (i + 1), 2): 1.0 + i for i in range(5)},
                "asks": {round(last + 0.01 * (i + 1), 2): 2.0 + i for i in range(5)}}
        self.books[symbol] = book
        return book

    def book_diff(self, symbol, skip=0):
        """Changes the book (the best bid's size moves, a new ask level) and returns the
        depthUpdate event; `skip` update ids are left out, as a stream that missed some."""
        with self._lock:
            book = self.books.get(symbol) or self._new_book(symbol)
            first = book["id"] + 1 + skip
            best = max(book["bids"])
            book["bids"][best] = round(book["bids"][best] + 0.5, 8)
            ask = round(max(book["asks"]) + 0.01, 2)
            book["asks"][ask] = 3.0
            book["id"] = first + 1
            return {"e": "depthUpdate", "E": self.now_ms, "s": symbol, "U": first,
                    "u": book["id"], "b": [[f"{best:.8f}", f"{book['bids'][best]:.8f}"]],
                    "a": [[f"{ask:.8f}", "3.00000000"]]}

    def book_top(self, symbol, depth=5):
        """[(price, size)] bids best first and asks best first, as floats."""
        with self._lock:
            book = self.books[symbol]
            return (sorted(book["bids"].items(), reverse=True)[:depth],
                    sorted(book["asks"].items())[:depth])

    def expected(self, symbol, step_ms, from_ms, to_ms):
        """The CSV lines of the closed candles opening in [from_ms, to_ms)."""
        lines = []
        t = (from_ms + step_ms - 1) // step_ms * step_ms
        while t < to_ms and t + step_ms <= self.now_ms:
            if t >= self.data_from_ms and t not in self.gaps.get(symbol, set()):
                r = kline_row(symbol, t, step_ms)
                lines.append(",".join([str(r[0])] + r[1:6]))
            t += step_ms
        return lines

    def _serve(self, h):
        url = urlparse(h.path)
        q = {k: v[-1] for k, v in parse_qs(url.query).items()}
        weight = WEIGHTS.get(url.path, 1)
        with self._lock:
            now = time.monotonic()
            self.requests.append((now, url.path, q))
            if now < self._quiet_until:
                self.violations.append((now, url.path))
            over = self.budget is not None and self._window >= self.budget
            if over or (self.too_many_next > 0 and url.path == self.too_many_path):
                self.too_many_next -= 0 if over else 1
                self.too_many += 1
                self._quiet_until = now + self.retry_after_s
                self._window = 0  # the window resets once Retry-After has passed
                return self._send(h, 429, {"code": -1003, "msg": "Too much request weight used; "
                                          "current limit is 6000 request weight per 1 MINUTE."},
                                  {"Retry-After": str(self.retry_after_s)})
            self._used += weight
            self._window += 1
            if self.fail_next > 0 and url.path == "/api/v3/klines":
                self.fail_next -= 1
                return self._send(h, 503, {"code": -1001, "msg": "Internal error; unable to "
                                          "process your request. Please try again."})
        signed = self.account.serve(h.command, url.path, url.query, h.headers)
        if signed is not None:
            return self._send(h, *signed)
        if url.path == "/api/v3/time":
            return self._send(h, 200, {"serverTime": self.now_ms})
        if url.path == "/api/v3/exchangeInfo":
            return self._send(h, 200, {
                "timezone": "UTC", "serverTime": self.now_ms,
                "rateLimits": [{"rateLimitType": "REQUEST_WEIGHT", "interval": "MINUTE",
                                "intervalNum": 1, "limit": 6000},
                               {"rateLimitType": "ORDERS", "interval": "SECOND",
                                "intervalNum": 10, "limit": 100}],
                "exchangeFilters": [],
                "symbols": [{"symbol": s, "status": "TRADING", "baseAsset": b,
                             "baseAssetPrecision": 8, "quoteAsset": qa, "quotePrecision": 8,
                             "filters": FILTERS} for s, (b, qa) in self.symbols.items()]})
        if url.path == "/api/v3/klines":
            return self._klines(h, q)
        if url.path == "/api/v3/depth":
            if q.get("symbol") not in self.symbols:
                return self._send(h, 400, {"code": -1121, "msg": "Invalid symbol."})
            with self._lock:
                self.depth_requests += 1
                book = self.books.get(q["symbol"]) or self._new_book(q["symbol"])
                return self._send(h, 200, {
                    "lastUpdateId": book["id"],
                    "bids": [[f"{p:.8f}", f"{v:.8f}"] for p, v in sorted(book["bids"].items(),
                                                                         reverse=True)],
                    "asks": [[f"{p:.8f}", f"{v:.8f}"] for p, v in sorted(book["asks"].items())]})
        return self._send(h, 404, {"code": -1000, "msg": "Unknown path."})

    def _klines(self, h, q):
        symbol = q.get("symbol", "")
        if symbol not in self.symbols:
            return self._send(h, 400, {"code": -1121, "msg": "Invalid symbol."})
        if q.get("interval") not in INTERVALS:
            return self._send(h, 400, {"code": -1120, "msg": "Invalid interval."})
        step = INTERVALS[q["interval"]]
        limit = min(int(q.get("limit", 500)), 1000)
        start = int(q.get("startTime", self.data_from_ms))
        end = int(q.get("endTime", self.now_ms))
        rows = []
        t = max(start, self.data_from_ms)
        t = (t + step - 1) // step * step
        # Like Binance: open times in [startTime, endTime], the forming candle included.
        while t <= min(end, self.now_ms) and len(rows) < limit:
            if t not in self.gaps.get(symbol, set()):
                rows.append(kline_row(symbol, t, step))
                if (symbol, t) in self.volumes:
                    rows[-1][5] = self.volumes[(symbol, t)]
            t += step
        return self._send(h, 200, rows)

    def _send(self, h, status, body, headers=None):
        data = json.dumps(body).encode()
        try:
            h.send_response(status)
            h.send_header("Content-Type", "application/json;charset=UTF-8")
            h.send_header("Content-Length", str(len(data)))
            h.send_header("X-MBX-USED-WEIGHT-1M", str(self._used))
            for k, v in (headers or {}).items():
                h.send_header(k, v)
            h.end_headers()
            h.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client left (killed, or it stopped waiting): as Binance, answer no one
