"""Live orders on Binance, against the fake Binance on loopback (its signed side checks the key
and each request's HMAC-SHA256 signature): MARKET orders with the database's client order ids
and the exchange's step, fills booked from Binance's own fills (a commission in the bought asset
held back, then the whole position sold), refusals with Binance's code, an answer lost after
the order executed (looked up, never sent again), kill -9 between an order and its answer
(reconciled at the next start), a balance short of the ledger (trading kept off), and the
credentials' rules (environment only, shown as "***")."""

import re
import threading
from decimal import Decimal

import pytest

from conftest import error_of, run_binary, wait_until
from fake_binance import FakeBinance
from fake_binance_stream import FakeBinanceStream
from test_binance_paper import config as paper_config, ms

KEYS = {"CRYPTO_TRADING_EXCHANGE_KEY": "test-key", "CRYPTO_TRADING_EXCHANGE_SECRET": "test-secret"}
CLIENT_ID = re.compile(r"^ct[0-9a-f]{8}-[0-9]+$")


@pytest.fixture
def market():
    rest = FakeBinance(now_ms=ms("2024-03-01T12:00:00"), data_from_ms=ms("2024-02-28T00:00:00"),
                       symbols=(("BTC", "USDT"),))
    stream = FakeBinanceStream(rest, "1m")
    yield rest, stream
    if rest.account.hold is not None:
        rest.account.hold.set()
    stream.close()
    rest.close()


def config(rest, stream, **more):
    c = paper_config(rest, stream, mode="live", **more)
    c["strategy"]["symbols"] = ["BTC-USDT"]
    c["exchange"]["timeout_ms"] = 2000
    return c


def events(svc, kind):
    return [e["data"] for e in svc.json(f"/api/timeline?type={kind}&limit=100")["events"]]


def reconciled(svc):
    """The account's state on /health once the start's reconciliation is done."""
    account = svc.json("/health").get("account", {})
    return account if account.get("state") not in (None, "reconciling") else None


def start_live(start_service, rest, stream, data_dir=None, name="svc", **more):
    svc = start_service(config=config(rest, stream, **more), env=KEYS, data_dir=data_dir,
                        name=name)
    wait_until(lambda: reconciled(svc), timeout=20, what="the reconciliation at start")
    return svc


def kill_9_mid_order(start_service, rest, stream, data, gate, arrived):
    """Starts trading, kills the service once `arrived()` says its order reached the fake (which
    waits on the Event `gate` to answer it), lets the fake go on, and starts the service again
    on the same data."""
    svc = start_live(start_service, rest, stream, data_dir=data)
    svc.post("/api/trading/start")
    wait_until(arrived, timeout=20, what="the order at Binance")
    svc.kill9()
    gate.set()
    return start_live(start_service, rest, stream, data_dir=data, name="again")


def first_position(svc):
    return wait_until(lambda: svc.json("/api/positions")["positions"], timeout=20,
                      what="a position opened by a live order")[0]


def test_a_live_order_is_signed_with_the_database_s_client_id_and_the_step(market,
                                                                            start_service):
    rest, stream = market
    svc = start_live(start_service, rest, stream)
    assert svc.json("/health")["account"] == {"state": "ok"}
    assert svc.json("/api/config")["exchange"]["credentials"] == "***"
    assert svc.post("/api/trading/start").status_code == 200
    p = first_position(svc)
    [order] = rest.account.placed
    assert not rest.account.refused  # the key and every signature checked out
    assert order["symbol"] == "BTCUSDT" and order["side"] == "BUY" and order["type"] == "MARKET"
    assert order["newOrderRespType"] == "FULL" and order["recvWindow"] == "5000"
    # Binance's clock, not ours (the fake's is in 2024): corrected by the offset at start.
    assert 0 <= int(order["timestamp"]) - rest.now_ms < 60_000
    qty = Decimal(order["quantity"])
    assert qty % Decimal("0.00001") == 0 and qty > 0
    submitted = events(svc, "order_submitted")[0]
    assert CLIENT_ID.match(order["newClientOrderId"]), order
    [filled] = events(svc, "order_filled")
    assert submitted["order_id"] == order["newClientOrderId"] == filled["client_order_id"]
    # Booked from Binance's fills: the quantity executed (the commission was in USDT), its
    # price, and the commission as the fee.
    fill = rest.account.orders[order["newClientOrderId"]]["fills"][0]
    assert Decimal(str(p["quantity"])) == qty
    assert p["entry_price"] == pytest.approx(float(fill["price"]))
    assert p["fees"] == pytest.approx(float(fill["commission"]))
    # The key and secret never show: not in the configuration, not in the log.
    assert "test-secret" not in svc.get("/api/config").text
    assert "test-secret" not in svc.stderr()


def test_a_commission_in_the_bought_asset_is_held_back_and_the_whole_position_sells(
        market, start_service):
    rest, stream = market
    rest.account.commission_asset = "BASE"
    svc = start_live(start_service, rest, stream)
    svc.post("/api/trading/start")
    p = first_position(svc)
    [buy] = rest.account.placed
    commission = Decimal(rest.account.orders[buy["newClientOrderId"]]["fills"][0]["commission"])
    held = Decimal(buy["quantity"]) - commission
    assert Decimal(str(p["quantity"])) == held  # what the account received
    assert rest.account.balances["BTC"] == held
    r = svc.post(f"/api/positions/{p['id']}/close")
    assert r.status_code == 200, r.text
    sell = rest.account.placed[-1]
    assert sell["side"] == "SELL"
    # All of it the step allows: never more than the account holds, so never refused.
    assert Decimal(sell["quantity"]) == held.quantize(Decimal("0.00001"), rounding="ROUND_DOWN")
    assert not rest.account.refused
    assert r.json()["exit_reason"] == "manual"
    assert rest.account.balances["BTC"] < Decimal("0.00001")  # dust, below a step


def test_a_refusal_is_an_order_rejected_with_binance_s_code(market, start_service):
    rest, stream = market
    svc = start_live(start_service, rest, stream)
    rest.account.balances["USDT"] = Decimal("1")
    svc.post("/api/trading/start")
    rejected = wait_until(lambda: events(svc, "order_rejected"), timeout=20,
                          what="the refused order's event")[0]
    assert "-2010" in rejected["error"] and "insufficient balance" in rejected["error"]
    assert svc.json("/api/positions")["positions"] == []
    assert len(rest.account.refused) >= 1 and rest.account.placed == []


@pytest.mark.parametrize("fault", ["fail_after_execute", "answer_late"])
def test_an_order_whose_answer_is_lost_is_looked_up_never_sent_again(market, start_service,
                                                                     fault):
    """A 503 after the order executed, or an answer later than the service waits: the service
    asks for the order by its client id and books its trades, once."""
    rest, stream = market
    setattr(rest.account, fault, 1 if fault == "fail_after_execute" else True)
    svc = start_live(start_service, rest, stream)
    svc.post("/api/trading/start")
    p = first_position(svc)
    [order] = rest.account.placed  # one order, however long the answer took
    lookups = [q for _, path, q in rest.requests if path == "/api/v3/order" and
               "origClientOrderId" in q]
    assert lookups and all(q["origClientOrderId"] == order["newClientOrderId"] for q in lookups)
    assert any(path == "/api/v3/myTrades" for _, path, _ in rest.requests)
    assert Decimal(str(p["quantity"])) == Decimal(order["quantity"])
    assert len(events(svc, "order_filled")) == 1


def test_an_order_refused_for_the_rate_limit_is_not_resent_and_nothing_comes_inside_retry_after(
        market, start_service):
    """A 429 to the order itself: Binance did not take it. The service sends nothing (order,
    lookup, klines) before Retry-After has passed, asks for the order instead of sending it
    again, and marks it as never placed once its window has closed."""
    rest, stream = market
    svc = start_live(start_service, rest, stream)
    rest.retry_after_s = 2
    rest.too_many_next = 1
    svc.post("/api/trading/start")
    rejected = wait_until(lambda: events(svc, "order_rejected"), timeout=30,
                          what="the order marked as never placed")[-1]
    assert "never placed" in rejected["error"]
    assert rest.too_many == 1 and rest.violations == []
    posts = [q["newClientOrderId"] for _, path, q in rest.requests
             if path == "/api/v3/order" and "newClientOrderId" in q]
    assert posts.count(rejected["order_id"]) == 1  # never sent again
    assert rest.account.placed == [] or rest.account.placed[0]["newClientOrderId"] != \
        rejected["order_id"]


def test_kill_9_between_an_order_and_its_answer_is_reconciled_at_the_next_start(
        market, start_service, tmp_path):
    rest, stream = market
    rest.account.hold = threading.Event()  # executed, its answer never came
    again = kill_9_mid_order(start_service, rest, stream, tmp_path / "data", rest.account.hold,
                             lambda: rest.account.placed)
    [order] = rest.account.placed
    assert again.json("/health")["account"] == {"state": "ok"}
    told = events(again, "reconciled")[0]  # this start's: the newest
    assert told["ok"] is True
    assert told["orders"] == [{"order_id": order["newClientOrderId"], "symbol": "BTC-USDT",
                               "side": "buy", "outcome": "filled"}]
    [p] = again.json("/api/positions")["positions"]
    [filled] = events(again, "order_filled")
    assert filled["client_order_id"] == order["newClientOrderId"]
    assert Decimal(str(p["quantity"])) == Decimal(order["quantity"])
    assert told["positions"][0]["ok"] is True
    assert len(rest.account.placed) == 1  # nothing sent twice


def test_an_order_lost_before_binance_took_it_is_marked_not_placed_at_the_next_start(
        market, start_service, tmp_path):
    """Killed while its order was in flight, and the order never reached Binance: the next
    start asks for it, and takes Binance's "does not exist" for "not placed" only once the
    order's timestamp + recvWindow has passed."""
    rest, stream = market
    rest.account.lose = threading.Event()  # lost before it executes
    again = kill_9_mid_order(start_service, rest, stream, tmp_path / "data", rest.account.lose,
                             lambda: rest.account.received)
    told = events(again, "reconciled")[0]
    [lost] = told["orders"]
    assert lost["outcome"] == "not_placed" and "never placed" in lost["error"]
    [sent] = rest.account.lost
    assert sent["newClientOrderId"] == lost["order_id"]
    [posted] = [t for t, path, q in rest.requests
                if path == "/api/v3/order" and q.get("newClientOrderId") == lost["order_id"]]
    lookups = [t for t, path, q in rest.requests
               if path == "/api/v3/order" and q.get("origClientOrderId") == lost["order_id"]]
    # The lookup that decided it came after the order's window had closed (the fake's clock
    # stands still: the times are when the requests arrived).
    assert lookups[-1] > posted + int(sent["recvWindow"]) / 1000
    assert told["ok"] is True and rest.account.placed == []
    rejected = events(again, "order_rejected")[0]
    assert rejected["order_id"] == lost["order_id"]
    assert again.json("/api/positions")["positions"] == []


def test_a_balance_short_of_the_ledger_keeps_trading_off(market, start_service, tmp_path):
    rest, stream = market
    data = tmp_path / "data"
    svc = start_live(start_service, rest, stream, data_dir=data)
    svc.post("/api/trading/start")
    p = first_position(svc)
    assert svc.stop() == 0
    rest.account.balances["BTC"] = Decimal("0.00010000")  # sold elsewhere
    again = start_live(start_service, rest, stream, data_dir=data, name="again")
    account = again.json("/health")["account"]
    assert account["state"] == "shortfall"
    assert "BTC-USDT" in account["error"] and "0.0001" in account["error"]
    told = events(again, "reconciled")[0]  # this start's: the newest
    assert told["ok"] is False
    assert told["positions"] == [{"symbol": "BTC-USDT", "position_id": p["id"],
                                  "ledger_qty": p["quantity"], "account_qty": 0.0001,
                                  "ok": False}]
    assert again.get("/health").status_code == 200  # the service is up; trading is not
    assert again.json("/api/status")["trading"] is False
    refused = error_of(again.post("/api/trading/start"), 409)
    assert "does not match the ledger" in refused["message"]


def test_a_signed_order_over_tls_with_a_test_ca(tmp_path, start_service):
    from certs import make_ca_and_server_cert
    certs = tmp_path / "certs"
    certs.mkdir()
    ca, cert, key = make_ca_and_server_cert(certs)
    rest = FakeBinance(now_ms=ms("2024-03-01T12:00:00"), data_from_ms=ms("2024-02-28T00:00:00"),
                       symbols=(("BTC", "USDT"),), tls=(str(cert), str(key)))
    stream = FakeBinanceStream(rest, "1m", tls=(str(cert), str(key)))
    try:
        assert rest.url.startswith("https://")
        svc = start_live(start_service, rest, stream, exchange={"ca_file": str(ca)})
        svc.post("/api/trading/start")
        first_position(svc)
        [order] = rest.account.placed
        assert CLIENT_ID.match(order["newClientOrderId"]) and not rest.account.refused
    finally:
        stream.close()
        rest.close()


def test_a_clock_that_drifted_is_measured_again(market, start_service):
    """Binance refuses a request whose timestamp is outside its window (-1021): that order is
    refused, the service measures Binance's clock again, and the next order goes through."""
    rest, stream = market
    svc = start_live(start_service, rest, stream)
    rest.now_ms += 3_600_000  # Binance's clock an hour ahead of what the service measured
    rest.account.check_timestamps = True
    svc.post("/api/trading/start")
    rejected = wait_until(lambda: events(svc, "order_rejected"), timeout=20,
                          what="the order refused for its timestamp")[-1]
    assert "-1021" in rejected["error"]
    stream.advance(1)  # the next candle's signal
    p = first_position(svc)  # its order, on Binance's clock again
    assert rest.account.placed[0]["newClientOrderId"] != rejected["order_id"]
    assert p["symbol"] == "BTC-USDT"


def test_live_needs_the_credentials_from_the_environment(market, tmp_path):
    rest, stream = market
    import json
    path = tmp_path / "c.json"
    path.write_text(json.dumps(config(rest, stream)))
    args = ["--port", "0", "--data-dir", str(tmp_path / "d"), "--config", str(path)]
    r = run_binary(args)
    assert r.returncode != 0
    assert "exchange.credentials" in r.stderr and "CRYPTO_TRADING_EXCHANGE_KEY" in r.stderr
    r = run_binary(args, env={**KEYS, "CRYPTO_TRADING_EXCHANGE_SECRET": "wrong"})
    assert r.returncode != 0 and "-1022" in r.stderr, r.stderr
    r = run_binary(args, env={"CRYPTO_TRADING_EXCHANGE_KEY": "test-key"})
    assert r.returncode != 0 and "set both" in r.stderr
    # Never from the configuration.
    c = config(rest, stream)
    c["exchange"]["credentials"] = "test-key:test-secret"
    path.write_text(json.dumps(c))
    r = run_binary(args, env=KEYS)
    assert r.returncode != 0 and "only from the environment" in r.stderr
