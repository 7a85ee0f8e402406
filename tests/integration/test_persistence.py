"""Persistence: state comes back after a clean stop and after kill -9, exactly; POST /api/config
overrides survive; history pages through the store."""

import sqlite3
from datetime import datetime

from conftest import all_events, wait_until

DAY_MS = 86_400_000

# A candle every 100 ms and a quick strategy: trades within seconds.
FAST = {"scan_interval_ms": 50, "exchange": {"speed": 3000},
        "strategy": {"momentum_lookback": 3, "momentum_threshold_pct": 0.15}}


def closed_positions(svc, limit):
    """Every closed position, most recent first, page by page."""
    out, before = [], None
    while True:
        q = f"/api/positions?state=closed&limit={limit}" + (f"&before={before}" if before else "")
        page = svc.json(q)
        out += page["positions"]
        before = page["next_before"]
        if before is None:
            return out


def snapshot(svc):
    s = svc.json("/api/status")
    keep = ("trading", "cash", "realized_pnl", "starting_cash", "fees_paid", "open_positions",
            "closed_positions")
    opened = sorted((p["id"], p["symbol"], p["quantity"], p["entry_price"], p["stop_loss"],
                     p["take_profit"]) for p in svc.json("/api/positions")["positions"])
    return {k: s[k] for k in keep}, opened


def freeze(svc):
    """Stops trading and every later change: open positions only move on scans, and with every
    exchange call failing no scan completes. The on-demand scan answers after any scan that was
    already under way, so the state read next is final."""
    assert svc.post("/api/trading/stop").status_code == 200
    assert svc.post("/api/config", {"exchange": {"failure_rate": 1}}).status_code == 200
    assert svc.post("/api/scan").status_code == 503


def thaw(svc):
    assert svc.post("/api/config", {"exchange": {"failure_rate": 0}}).status_code == 200
    assert svc.post("/api/trading/start").json() == {"trading": True, "changed": True}


def wait_for_trades(svc, closed=2):
    wait_until(lambda: svc.json("/api/status")["closed_positions"] >= closed, timeout=30,
               what=f"{closed} closed positions")


def test_state_comes_back_after_a_clean_stop_and_after_kill_9(start_service):
    first = start_service(config=FAST)
    wait_for_trades(first)
    assert first.post("/api/config", {"max_positions": 2, "risk": {"stop_loss_pct": 1.5}}).ok
    freeze(first)  # trading off is state too
    before, opened = snapshot(first)
    last_seq = first.json("/api/timeline?limit=1")["events"][0]["seq"]
    assert first.stop() == 0

    second = start_service(config=FAST, data_dir=first.data_dir)
    after, reopened = snapshot(second)
    assert after == before and reopened == opened
    cfg = second.json("/api/config")
    assert cfg["max_positions"] == 2 and cfg["risk"]["stop_loss_pct"] == 1.5
    events = all_events(second)
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    assert any(e["type"] == "position_manager_recovered" and e["seq"] > last_seq for e in events)

    # Trading again, then kill -9: what was acknowledged is there.
    thaw(second)
    wait_for_trades(second, before["closed_positions"] + 2)
    freeze(second)
    acknowledged, opened = snapshot(second)
    second.kill9()

    third = start_service(config=FAST, data_dir=first.data_dir)
    assert snapshot(third) == (acknowledged, opened)
    events = all_events(third)
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))


def test_trading_state_is_restored_not_reset_by_autostart(start_service):
    first = start_service(config=FAST)
    assert first.json("/api/status")["trading"] is True  # autostart on a new database
    assert first.post("/api/trading/stop").json()["changed"] is True
    assert first.stop() == 0
    second = start_service(config=FAST, data_dir=first.data_dir)
    assert second.json("/api/status")["trading"] is False


def test_closed_positions_page_through_the_store(start_service):
    svc = start_service(config=FAST)
    wait_for_trades(svc, 5)
    freeze(svc)
    total = svc.json("/api/status")["closed_positions"]
    paged = closed_positions(svc, 2)
    assert len(paged) == total
    assert len({p["id"] for p in paged}) == total
    closed_at = [p["closed_at"] for p in paged]
    assert closed_at == sorted(closed_at, reverse=True)
    everything = svc.json("/api/positions?state=all")
    assert len(everything["positions"]) == total + svc.json("/api/status")["open_positions"]
    for bad in ("limit=0", "limit=1001", "limit=x", "before=0", "before=-1"):
        r = svc.get(f"/api/positions?state=closed&{bad}")
        assert r.status_code == 422, (bad, r.text)


def test_the_database_holds_orders_fills_and_the_ledger(start_service):
    svc = start_service(config=FAST)
    wait_for_trades(svc)
    freeze(svc)
    status = svc.json("/api/status")
    assert svc.stop() == 0
    db = sqlite3.connect(str(svc.data_dir / "crypto-trading.db"))
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    fills = db.execute("SELECT count(*) FROM fills").fetchone()[0]
    orders = db.execute("SELECT count(*) FROM orders WHERE status = 'filled'").fetchone()[0]
    assert fills == orders == 2 * status["closed_positions"] + status["open_positions"]
    cash = db.execute("SELECT cash FROM ledger").fetchone()[0]
    assert cash == round(status["cash"] * 1e8)


def scan_times(svc):
    """(seq, market time in ms) of every scan_completed event in the store, in seq order."""
    out = []
    for e in all_events(svc):
        if e["type"] == "scan_completed":
            at = datetime.fromisoformat(e["data"]["market_time"].replace("Z", "+00:00"))
            out.append((e["seq"], round(at.timestamp() * 1000)))
    return out


def test_market_time_only_moves_forward_across_wraps_and_kill_9(start_service):
    # At a million times real time the bundled 20 days of candles wrap every 2 s or so.
    config = {"scan_interval_ms": 50, "exchange": {"speed": 1_000_000}, "autostart": False}
    first = start_service(config=config)
    wrapped = 25 * DAY_MS  # more than the data's whole span: the replay went round
    wait_until(lambda: (lambda t: len(t) > 1 and t[-1][1] - t[0][1] > wrapped)(scan_times(first)),
               timeout=60, what="the replay to wrap around")
    first.kill9()

    second = start_service(config=config, data_dir=first.data_dir)
    # The second start's own event: it may be committed a moment after /health answers.
    starts = lambda: [e["seq"] for e in all_events(second) if e["type"] == "service_started"]
    wait_until(lambda: len(starts()) == 2, timeout=30, what="the second service_started")
    restarted = starts()[-1]
    wait_until(lambda: any(seq > restarted for seq, _ in scan_times(second)), timeout=30,
               what="a scan after the restart")
    times = scan_times(second)
    before = [t for seq, t in times if seq < restarted]
    after = [t for seq, t in times if seq > restarted]
    assert before and after
    # Never backwards: not at a wrap, not across the kill (the replay resumed from the store).
    assert all(a <= b for a, b in zip([t for _, t in times], [t for _, t in times][1:])), times
    assert after[0] >= before[-1]
