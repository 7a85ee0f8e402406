"""Paper trading on the replayed candles, seen through the API: positions open and close by the
rules, every step is on the timeline, and cash, equity and P&L reconcile with the fills."""

from datetime import datetime

import re

import pytest

from conftest import all_events, wait_until

FAST = {
    "scan_interval_ms": 50,
    "max_positions": 3,
    "stake_amount": 0.1,
    "exchange": {"speed": 3000},
    "strategy": {"momentum_lookback": 3, "momentum_threshold_pct": 0.15},
    "risk": {"take_profit_pct": 0.4, "stop_loss_pct": 0.4},
}

SATOSHI = 1e-8


def freeze(svc):
    """Stops trading and scanning, so that what follows reads a state that no longer moves."""
    svc.post("/api/trading/stop")
    svc.post("/api/config", {"scan_interval_ms": 3_600_000})


def snapshot(svc):
    """Status and positions read with no scan in between."""
    def read():
        before = svc.json("/api/status")
        positions = svc.json("/api/positions?state=all")["positions"]
        after = svc.json("/api/status")
        same = all(before[k] == after[k] for k in ("scans", "cash", "equity", "open_positions"))
        return same and (after, positions)
    return wait_until(read, what="a consistent snapshot")


def reconcile(svc):
    status, positions = snapshot(svc)
    open_ = [p for p in positions if p["closed_at"] is None]
    closed = [p for p in positions if p["closed_at"] is not None]
    assert status["open_positions"] == len(open_)
    assert status["closed_positions"] == len(closed)
    cash = status["starting_cash"] - sum(p["cost"] + p["fees"] for p in open_) + sum(
        p["realized_pnl"] for p in closed)
    assert abs(status["cash"] - cash) <= 4 * SATOSHI * (len(positions) + 1)
    equity = status["cash"] + sum(p["quantity"] * p["mark_price"] for p in open_)
    assert abs(status["equity"] - equity) <= 2 * SATOSHI * (len(open_) + 1) + 1e-12
    assert abs(status["equity"] - (status["starting_cash"] + status["realized_pnl"] +
                                   status["unrealized_pnl"])) <= 2 * SATOSHI
    return status, open_, closed


def test_paper_trading_opens_closes_and_reconciles(start_service):
    svc = start_service(config=FAST)
    wait_until(lambda: svc.json("/api/status")["closed_positions"] >= 3, timeout=60,
               what="three closed positions")
    freeze(svc)
    status, open_, closed = reconcile(svc)
    assert len(open_) <= 3
    for p in open_ + closed:
        assert p["side"] == "long"
        assert isinstance(p["id"], str)
        assert p["symbol"] in {"ADA-BTC", "DASH-BTC", "ETC-BTC", "XLM-BTC", "XMR-BTC", "ZEC-BTC"}
        assert p["quantity"] > 0 and p["entry_price"] > 0
        assert p["stop_loss"] < p["entry_price"] < p["take_profit"]
        assert p["quantity"] * p["entry_price"] <= 0.1 + SATOSHI  # sized by the stake
    for p in closed:
        assert p["exit_reason"] in ("take_profit", "stop_loss", "signal")
        assert p["unrealized_pnl"] == 0
    for p in open_:
        assert p["exit_reason"] is None
    # Every position's story is on the timeline, the whole of it (paged from the store).
    events = all_events(svc)
    opened = {e["data"]["id"] for e in events if e["type"] == "position_opened"}
    closed_ids = {e["data"]["id"] for e in events if e["type"] == "position_closed"}
    fills = [e for e in events if e["type"] == "order_filled"]
    assert opened == {p["id"] for p in open_ + closed}
    assert closed_ids == {p["id"] for p in closed}
    assert len(fills) == len(opened) + len(closed_ids)


def test_stop_with_close_positions_closes_them_manually(start_service):
    svc = start_service(config=FAST)
    wait_until(lambda: svc.json("/api/status")["open_positions"] >= 1, timeout=60,
               what="an open position")
    r = svc.post("/api/trading/stop", {"close_positions": True})
    assert r.status_code == 200
    assert r.json()["trading"] is False
    assert svc.json("/api/positions") == {"positions": [], "next_before": None}
    manual = [p for p in svc.json("/api/positions?state=closed")["positions"]
              if p["exit_reason"] == "manual"]
    assert manual
    svc.post("/api/config", {"scan_interval_ms": 3_600_000})
    reconcile(svc)


def test_closing_one_position_from_the_api(start_service):
    svc = start_service(config=FAST)
    wait_until(lambda: svc.json("/api/status")["open_positions"] >= 1, timeout=60,
               what="an open position")
    svc.post("/api/config", {"scan_interval_ms": 3_600_000})  # no scan closes it meanwhile
    target = svc.json("/api/positions")["positions"][0]
    assert target["exit_market_time"] is None
    datetime.fromisoformat(target["entry_market_time"].replace("Z", "+00:00"))
    r = svc.post(f"/api/positions/{target['id']}/close")
    assert r.status_code == 200, r.text
    closed = r.json()
    assert closed["id"] == target["id"]
    assert closed["exit_reason"] == "manual" and closed["closed_at"] is not None
    assert closed["entry_market_time"] == target["entry_market_time"]
    assert closed["exit_market_time"] >= closed["entry_market_time"]
    assert target["id"] not in {p["id"] for p in svc.json("/api/positions")["positions"]}
    assert svc.json("/api/status")["trading"] is True  # closing one does not stop the bot
    events = [e for e in all_events(svc) if e["type"] == "position_closed"]
    assert [e["data"]["exit_reason"] for e in events if e["data"]["id"] == target["id"]] == [
        "manual"]
    # A closed position is 409; one never issued 404; neither changes anything.
    before = svc.json("/api/status")
    r = svc.post(f"/api/positions/{target['id']}/close")
    assert r.status_code == 409 and r.json()["error"]["code"] == "conflict"
    for bad in ("999999", "0", "abc", "%20"):
        r = svc.post(f"/api/positions/{bad}/close")
        assert r.status_code == 404 and r.json()["error"]["code"] == "not_found", bad
    assert svc.post("/api/positions//close").status_code == 404
    assert svc.post(f"/api/positions/{target['id']}/close/x").status_code == 404
    r = svc.get(f"/api/positions/{target['id']}/close")
    assert r.status_code == 405 and r.headers["Allow"] == "POST"
    r = svc.post(f"/api/positions/{target['id']}/close", {"now": True})
    assert r.status_code == 422
    after = svc.json("/api/status")
    assert (after["cash"], after["closed_positions"]) == (before["cash"],
                                                          before["closed_positions"])
    reconcile(svc)


def test_stopped_trading_opens_nothing(start_service):
    svc = start_service(config=dict(FAST, autostart=False))
    assert svc.json("/api/status")["trading"] is False
    before = svc.json("/api/status")["scans"]
    wait_until(lambda: svc.json("/api/status")["scans"] >= before + 40, timeout=30,
               what="forty scans")
    assert svc.json("/api/positions?state=all") == {"positions": [], "next_before": None}


@pytest.mark.parametrize("symbol", ["XLM-BTC"])
def test_only_enabled_symbols_are_traded(start_service, symbol):
    svc = start_service(config=dict(FAST, strategy=dict(FAST["strategy"], symbols=[symbol])))
    wait_until(lambda: svc.json("/api/status")["closed_positions"] >= 1, timeout=60,
               what="a closed position")
    freeze(svc)
    assert {p["symbol"] for p in svc.json("/api/positions?state=all")["positions"]} == {symbol}
    assets = svc.json("/api/assets")["assets"]
    assert [a["symbol"] for a in assets if a["tradable"]] == [symbol]


def test_the_live_bot_trades_the_configured_candle_strategy(start_service):
    cfg = dict(FAST, strategy={"name": "ema_crossover", "fast_period": 2, "slow_period": 5})
    svc = start_service(config=cfg)
    wait_until(lambda: svc.json("/api/status")["closed_positions"] >= 2, timeout=60,
               what="two closed positions")
    freeze(svc)
    _, open_, closed = reconcile(svc)
    assert {p["strategy"] for p in open_ + closed} == {"ema_crossover"}
    scan = svc.post("/api/scan").json()
    for o in scan["opportunities"]:
        assert o["strategy"] == "ema_crossover"
        assert o["signal_at"].endswith("Z") and o["reason"]


def test_live_mode_never_starts_by_itself_and_trades_through_the_exchange(start_service):
    svc = start_service(config=dict(FAST, mode="live"))
    assert svc.json("/api/status")["trading"] is False
    assert svc.json("/api/status")["mode"] == "live"
    svc.post("/api/trading/start")
    wait_until(lambda: svc.json("/api/status")["open_positions"] >= 1, timeout=60,
               what="a live position")
    orders = svc.json("/api/timeline?type=order_submitted&limit=10")["events"]
    assert orders and all(o["data"]["mode"] == "live" for o in orders)
    fills = svc.json("/api/timeline?type=order_filled&limit=10")["events"]
    assert fills and fills[0]["data"]["order_id"].startswith("sim-")
    # The service's own order ids carry the database's identifier: another database's never
    # collide with them at the exchange, and a restart keeps it.
    ids = [o["data"]["order_id"] for o in orders]
    assert all(re.fullmatch(r"ct[0-9a-f]{8}-[0-9]+", i) for i in ids), ids
    prefix = ids[0].split("-")[0]
    svc.stop()
    again = start_service(config=dict(FAST, mode="live"), data_dir=svc.data_dir)
    again.post("/api/trading/start")
    wait_until(lambda: len(again.json("/api/timeline?type=order_submitted&limit=1000")["events"])
               > len(ids), timeout=60, what="an order after the restart")
    newest = again.json("/api/timeline?type=order_submitted&limit=1")["events"][0]
    assert newest["data"]["order_id"].split("-")[0] == prefix


def test_the_service_replays_the_candle_files_it_is_given(start_service, tmp_path):
    """exchange.candle_files: the market is those files, their symbols and their prices."""
    start_ms, step, n = 1_700_000_000_000, 300_000, 3 * 288  # three days of 5 m candles
    for name, px in (("FOO_BTC-5m.csv", "2.5"), ("BAR_BTC-5m.csv", "0.125")):
        rows = [f"{start_ms + i * step},{px},{px},{px},{px},10" for i in range(n)]
        (tmp_path / name).write_text("timestamp_ms,open,high,low,close,volume\n" +
                                     "\n".join(rows) + "\n")
    svc = start_service(config={
        "scan_interval_ms": 100,
        "exchange": {"candle_files": [str(tmp_path / "FOO_BTC-5m.csv"),
                                      str(tmp_path / "BAR_BTC-5m.csv")]}})
    wait_until(lambda: svc.json("/api/status")["scans"] >= 1, what="a scan")
    body = svc.json("/api/assets")
    assert {a["symbol"]: a["price"] for a in body["assets"]} == {"BAR-BTC": 0.125, "FOO-BTC": 2.5}
    at = datetime.fromisoformat(body["market_time"].replace("Z", "+00:00")).timestamp() * 1000
    assert start_ms <= at < start_ms + n * step  # the files' own time
