"""POST /api/backtest and GET /api/backtest/{id} on the running service: the run is streamed on
the WebSocket's timeline channel, its report is the one the command line writes for the same
candles and settings, and bad requests are refused with the key or the file and line named."""

import asyncio
import json
import os

import pytest
import websockets

from backtest_check import check
from conftest import error_of, run_binary, wait_until
from test_backtest import CANDLES, csv_files

CONFIG = {"autostart": False, "log_level": "warn"}
DIR = os.path.abspath(CANDLES)


@pytest.fixture
def svc(start_service, tmp_path):
    """Reads candle files from the bundled ones' directory and the test's own."""
    dirs = [DIR, str(tmp_path)]
    return start_service(config={**CONFIG, "backtest": {"data_dirs": dirs}})


def finished(svc, bt_id):
    """The run once it is no longer running."""
    state = {}

    def done():
        r = svc.http.get(f"{svc.base}/api/backtest/{bt_id}")
        assert r.status_code == 200, r.text
        state.update(r.json())
        return state["status"] != "running"
    wait_until(done, timeout=30, what=f"backtest {bt_id} to finish")
    return state


def test_a_backtest_streams_its_events_and_matches_the_command_line(svc, tmp_path):
    body = {"data": csv_files(), "strategy": "sma_crossover",
            "set": {"strategy.fast_period": 6, "risk.trailing_stop_pct": 1.2}}

    async def go():
        async with websockets.connect(f"ws://127.0.0.1:{svc.port}/ws") as ws:
            r = svc.http.post(f"{svc.base}/api/backtest", json=body)
            assert r.status_code == 202, r.text
            accepted = r.json()
            assert accepted["status"] == "running" and accepted["candles"] == 34512
            assert accepted["href"] == f"/api/backtest/{accepted['id']}"
            seen = []
            while "backtest_completed" not in seen:
                m = json.loads(await asyncio.wait_for(ws.recv(), 20))
                if m["type"] == "timeline" and m["data"]["source"] == "backtests":
                    assert m["data"]["data"]["id"] == accepted["id"]
                    seen.append(m["data"]["type"])
            assert seen[0] == "backtest_started"
            return accepted["id"]
    bt_id = asyncio.run(asyncio.wait_for(go(), 60))
    state = finished(svc, bt_id)
    assert state["status"] == "completed" and state["error"] is None
    assert state["progress"]["candles"] == state["progress"]["total"] == 34512
    report = state["report"]
    assert report["strategy"] == "sma_crossover" and report["params"]["fast_period"] == 6
    assert check(report) == []
    # The command line on the same files and the same settings gives the same trades.
    cfg = tmp_path / "cfg.json"
    cfg.write_text(json.dumps({"strategy": {"name": "sma_crossover", "fast_period": 6},
                               "risk": {"trailing_stop_pct": 1.2}}))
    out = tmp_path / "cli.json"
    args = ["backtest", "--config", str(cfg), "--report", str(out)]
    for f in csv_files():
        args += ["--data", f]
    r = run_binary(args, timeout=60)
    assert r.returncode == 0, r.stderr
    cli = json.loads(out.read_text())
    assert cli["trades"] == report["trades"]
    assert cli["metrics"] == report["metrics"]


def test_without_data_it_backtests_the_exchanges_candles(svc):
    r = svc.http.post(f"{svc.base}/api/backtest", json={"from": "2018-01-20", "to": 1516838400000})
    assert r.status_code == 202, r.text
    state = finished(svc, r.json()["id"])
    assert state["report"]["from"] == "2018-01-20T00:00:00.000Z"
    assert state["report"]["to"] == "2018-01-25T00:00:00.000Z"
    assert len(state["report"]["symbols"]) == 6


def ms(rfc3339):
    from datetime import datetime
    return int(datetime.fromisoformat(rfc3339.replace("Z", "+00:00")).timestamp() * 1000)


def start_run(svc, body):
    r = svc.http.post(f"{svc.base}/api/backtest", json=body)
    assert r.status_code == 202, r.text
    return r.json()["id"]


def test_a_finished_run_s_candles_hold_its_trades(svc):
    body = {"strategy": "sma_crossover", "set": {"strategy.fast_period": 3, "strategy.slow_period": 7},
            "from": "2018-01-20", "to": "2018-01-22"}
    bt = start_run(svc, body)
    report = finished(svc, bt)["report"]
    trade = report["trades"][0]
    symbol = trade["symbol"]
    # The page before the trade's exit holds its entry, on a candle of the run's data.
    exit_ms = ms(trade["exit_at"])
    page = svc.json(f"/api/backtest/{bt}/candles?symbol={symbol}&limit=500&before={exit_ms + 1}")
    assert page["symbol"] == symbol and page["timeframe"] == "5m"
    times = [ms(c["time"]) for c in page["candles"]]
    assert len(times) == 500 and times[-1] == exit_ms
    assert ms(trade["entry_at"]) in times
    entry = page["candles"][times.index(ms(trade["entry_at"]))]
    assert entry["open"] == pytest.approx(trade["entry_price"], rel=0.01)  # bought at that open
    # The run's strategy's lines, one value per candle.
    lines = {l["name"]: l["values"] for l in page["indicators"]["lines"]}
    assert page["indicators"]["strategy"] == "sma_crossover"
    assert set(lines) == {"sma_fast", "sma_slow"} and len(lines["sma_fast"]) == 500
    closes = [c["close"] for c in page["candles"]]
    assert lines["sma_fast"][-1] == pytest.approx(sum(closes[-3:]) / 3, rel=1e-9)
    # Paged back with next_before.
    older = svc.json(f"/api/backtest/{bt}/candles?symbol={symbol}&limit=10"
                     f"&before={page['next_before']}")
    assert ms(older["candles"][-1]["time"]) + 300_000 == times[0]
    error_of(svc.http.get(f"{svc.base}/api/backtest/{bt}/candles?symbol=BTC-USD"), 422)
    error_of(svc.http.get(f"{svc.base}/api/backtest/{bt}/candles"), 422)
    error_of(svc.http.get(f"{svc.base}/api/backtest/bt-nope/candles?symbol={symbol}"), 404)
    long_id = "x" * 3000  # what a client sent is echoed at most 64 bytes
    err = error_of(svc.http.get(f"{svc.base}/api/backtest/{long_id}/candles?symbol=A"), 404)
    assert err["message"] == "no backtest " + "x" * 64 + "..."
    # Only the last two runs keep their candles.
    for _ in range(2):
        finished(svc, start_run(svc, {"from": "2018-01-20", "to": "2018-01-21"}))
    err = error_of(svc.http.get(f"{svc.base}/api/backtest/{bt}/candles?symbol={symbol}"), 404)
    assert "no longer kept" in err["message"]


def test_the_live_bot_keeps_its_settings(svc):
    before = svc.http.get(f"{svc.base}/api/config").json()
    r = svc.http.post(f"{svc.base}/api/backtest",
                      json={"config": {"max_positions": 1}, "strategy": "rsi_reversion"})
    assert r.status_code == 202, r.text
    finished(svc, r.json()["id"])
    assert svc.http.get(f"{svc.base}/api/config").json() == before


HEADER = "timestamp_ms,open,high,low,close,volume\n"


@pytest.mark.parametrize("body,status,needle", [
    ("{not json", 400, ""),
    ('{"datas": []}', 422, "datas"),
    ('{"data": "ADA_BTC-5m.csv"}', 422, "data"),
    ('{"data": [1]}', 422, "data"),
    ('{"strategy": "macd"}', 422, "strategy.name"),
    ('{"strategy": 3}', 422, "strategy"),
    ('{"set": {"risk.stop_loss_pct": -1}}', 422, "risk.stop_loss_pct"),
    ('{"set": {"strategy.fast_periods": 3}}', 422, "strategy.fast_periods"),
    ('{"set": ["risk.stop_loss_pct=1"]}', 422, "set"),
    ('{"config": {"risk": {"cooldown_min": "soon"}}}', 422, "risk.cooldown_min"),
    ('{"from": "yesterday"}', 422, "from"),
    ('{"from": "2018-01-25", "to": "2018-01-20"}', 422, "from"),
    ('{"from": "2030-01-01"}', 422, "no candles"),
    # Only files inside backtest.data_dirs are read, whatever their name or path says.
    ('{"data": ["/no/such/ADA_BTC-5m.csv"]}', 403, "/no/such/ADA_BTC-5m.csv: outside"),
    ('{"data": ["/etc/passwd"]}', 403, "/etc/passwd: outside"),
    ('{"data": ["/etc/ADA_BTC-5m.txt"]}', 403, "outside"),
    (json.dumps({"data": [DIR + "/../../../etc/ADA_BTC-5m.csv"]}), 403, "outside"),
    # Inside, only files named like candle files are read.
    (json.dumps({"data": [DIR + "/NOPE_BTC-5m.csv"]}), 422, "NOPE_BTC-5m.csv: cannot read"),
    (json.dumps({"data": [DIR + "/README.md"]}), 422, "README.md: cannot tell the symbol"),
    (json.dumps({"data": [DIR + "/ADA_BTC-5m.txt"]}), 422, "expected a .csv or .json file"),
])
def test_bad_requests_name_the_problem_and_start_nothing(svc, body, status, needle):
    r = svc.http.post(f"{svc.base}/api/backtest", data=body,
                      headers={"Content-Type": "application/json"})
    err = error_of(r, status)
    assert needle in err["message"] + err.get("field", ""), err
    events = svc.http.get(f"{svc.base}/api/timeline?type=backtest_started").json()["events"]
    assert events == []


def test_a_bad_candle_file_names_its_line(svc, tmp_path):
    bad = tmp_path / "ADA_BTC-5m.csv"
    bad.write_text(HEADER + "1515560100000,1,2,0.5,1.5,10\n1515560400000,1,0.5,2,1,1\n")
    err = error_of(svc.http.post(f"{svc.base}/api/backtest", json={"data": [str(bad)]}), 422)
    assert f"{bad}:3: high < low" in err["message"]


def test_unknown_ids_are_404_and_the_collection_is_post_only(svc):
    error_of(svc.http.get(f"{svc.base}/api/backtest/bt-nope"), 404)
    r = svc.http.get(f"{svc.base}/api/backtest")
    error_of(r, 405)
    assert r.headers["Allow"] == "POST"


def test_the_live_bot_runs_every_strategy_the_backtester_runs(svc):
    for name in ("sma_crossover", "ema_crossover", "rsi_reversion", "momentum"):
        r = svc.http.post(f"{svc.base}/api/config", json={"strategy": {"name": name}})
        assert r.status_code == 200, r.text
        assert svc.http.get(f"{svc.base}/api/config").json()["strategy"]["name"] == name


def test_the_live_bot_takes_the_position_rules(svc):
    patch = {"risk": {"time_limit_min": 60, "cooldown_min": 15, "max_drawdown_pct": 20,
                      "trailing_stop_pct": 0.8}}
    r = svc.http.post(f"{svc.base}/api/config", json=patch)
    assert r.status_code == 200, r.text
    assert {k: r.json()["risk"][k] for k in patch["risk"]} == patch["risk"]


def test_files_must_be_regular_and_inside_the_data_dirs(svc, tmp_path):
    """A FIFO named like a candle file used to wedge the worker for good; a symlink inside the
    directory must not lead outside it."""
    fifo = tmp_path / "ADA_BTC-5m.csv"
    os.mkfifo(fifo)
    err = error_of(svc.http.post(f"{svc.base}/api/backtest", json={"data": [str(fifo)]}), 422)
    assert f"{fifo}: not a regular file" in err["message"]
    outside = tmp_path.parent / "XLM_BTC-5m.csv"
    outside.write_text(HEADER + "1515560100000,1,2,0.5,1.5,10\n")
    link = tmp_path / "XLM_BTC-5m.csv"
    link.symlink_to(outside)
    err = error_of(svc.http.post(f"{svc.base}/api/backtest", json={"data": [str(link)]}), 403)
    assert err["code"] == "forbidden_path"
    # The worker is free: the next backtest runs.
    r = svc.http.post(f"{svc.base}/api/backtest", json={"data": csv_files()[:1]})
    assert r.status_code == 202, r.text
    assert finished(svc, r.json()["id"])["status"] == "completed"


def test_by_default_files_come_from_the_data_directorys_candles(start_service):
    svc = start_service(config=CONFIG)
    target = svc.data_dir / "candles" / "ADA_BTC-5m.csv"
    with open(csv_files()[0]) as src:
        target.write_text(src.read())
    r = svc.http.post(f"{svc.base}/api/backtest", json={"data": [str(target)]})
    assert r.status_code == 202, r.text
    assert finished(svc, r.json()["id"])["status"] == "completed"
    r = svc.http.post(f"{svc.base}/api/backtest", json={"data": csv_files()[:1]})
    assert error_of(r, 403)["code"] == "forbidden_path"


def test_files_of_different_timeframes_are_refused_before_the_run(svc, tmp_path):
    hourly = tmp_path / "XRP_BTC-1h.csv"
    hourly.write_text(HEADER + "".join(f"{1515560400000 + i * 3600000},1,2,0.5,1.5,10\n"
                                       for i in range(50)))
    r = svc.http.post(f"{svc.base}/api/backtest", json={"data": [csv_files()[0], str(hourly)]})
    err = error_of(r, 422)
    assert "differ in timeframe" in err["message"] and err["field"] == "data", err
    assert svc.http.get(f"{svc.base}/api/timeline?type=backtest_started").json()["events"] == []


# Progress is reported every 2^20 candles: a run this long reports once before it ends.
PROGRESS_EVERY = 1 << 20
LONG_RUN = PROGRESS_EVERY + 50_000


@pytest.fixture(scope="module")
def long_file(tmp_path_factory):
    """One symbol, LONG_RUN one-minute candles of a deterministic zigzag."""
    path = tmp_path_factory.mktemp("long") / "LONG_BTC-1m.csv"
    start = 1_500_000_000_000
    with open(path, "w") as f:
        f.write(HEADER)
        for i in range(LONG_RUN):
            o = 1.0 + (i % 400) / 10000 if (i // 400) % 2 == 0 else 1.04 - (i % 400) / 10000
            f.write(f"{start + i * 60000},{o:.6f},{o * 1.002:.6f},{o * 0.998:.6f},"
                    f"{o * 1.0005:.6f},10\n")
    return path


def long_run_service(start_service, long_file, data_dir=None, **more):
    return start_service(config={**CONFIG, "backtest": {"data_dirs": [str(long_file.parent)]},
                                 **more}, data_dir=data_dir)


def test_a_long_run_reports_its_progress(start_service, long_file):
    svc = long_run_service(start_service, long_file)
    r = svc.http.post(f"{svc.base}/api/backtest", json={"data": [str(long_file)]}, timeout=60)
    assert r.status_code == 202, r.text
    bt_id = r.json()["id"]
    state = finished(svc, bt_id)
    assert state["status"] == "completed"
    assert state["progress"] == {"candles": LONG_RUN, "total": LONG_RUN, "pct": 100.0}
    wait_until(lambda: svc.json("/api/timeline?type=backtest_completed")["events"],
               what="the backtest_completed event")
    progress = svc.json("/api/timeline?type=backtest_progress")["events"]
    assert len(progress) == 1, progress
    assert progress[0]["data"] == {"id": bt_id, "candles": PROGRESS_EVERY, "total": LONG_RUN,
                                   "pct": pytest.approx(100 * PROGRESS_EVERY / LONG_RUN)}
    types = [e["type"] for e in reversed(svc.json("/api/timeline?limit=10")["events"])
             if e["source"] == "backtests"]
    assert types == ["backtest_started", "backtest_progress", "backtest_completed"]


def test_a_run_that_fails_after_its_202_is_failed_on_the_timeline(start_service, long_file):
    """The fault switch makes the next run's worker throw at its first progress report, after
    the 202: the run is `failed` with the error, backtest_failed is on the timeline,
    and the slot is free for the next run."""
    svc = long_run_service(start_service, long_file, debug={"fault_injection": True})
    r = svc.post("/api/debug/crash", {"actor": "backtest"})
    assert r.status_code == 202 and r.json() == {"actor": "backtest", "armed": True}, r.text
    r = svc.http.post(f"{svc.base}/api/backtest", json={"data": [str(long_file)]}, timeout=60)
    assert r.status_code == 202, r.text
    bt_id = r.json()["id"]
    state = finished(svc, bt_id)
    error = "the backtest failed: fault injected at the first progress report"
    assert (state["status"], state["error"], state["report"]) == ("failed", error, None), state
    assert state["progress"]["total"] == LONG_RUN
    # The event is committed after the run's state changes: wait for it, with a deadline.
    failed = wait_until(lambda: svc.json("/api/timeline?type=backtest_failed")["events"],
                        what="the backtest_failed event")
    assert [e["data"] for e in failed] == [{"id": bt_id, "error": error}]
    types = [e["type"] for e in reversed(svc.json("/api/timeline?limit=10")["events"])
             if e["source"] == "backtests"]
    assert types == ["backtest_started", "backtest_failed"]
    r = svc.http.post(f"{svc.base}/api/backtest", json={"data": [str(long_file)]}, timeout=60)
    assert r.status_code == 202, r.text
    assert finished(svc, r.json()["id"])["status"] == "completed"


def test_a_run_in_progress_at_shutdown_ends_on_the_timeline(start_service, long_file):
    """SIGTERM right after the 202: the service stops with status 0, and the run's end is on the
    timeline at the next start, cancelled part way or, on a fast machine, completed; either way
    its candles agree with it. (That a stop cancels a run is proven step by step in
    backtests_test.cpp, where the stop lands before the worker runs.)"""
    svc = long_run_service(start_service, long_file)
    r = svc.http.post(f"{svc.base}/api/backtest", json={"data": [str(long_file)]}, timeout=60)
    assert r.status_code == 202, r.text
    bt_id = r.json()["id"]
    assert svc.stop() == 0
    again = long_run_service(start_service, long_file, data_dir=svc.data_dir)
    ends = again.json("/api/timeline?type=backtest_completed")["events"]
    assert [e["data"]["id"] for e in ends] == [bt_id]
    end = ends[0]["data"]
    if end["cancelled"]:
        assert end["candles"] < LONG_RUN, end
    else:
        assert end["candles"] == LONG_RUN, end
    # Runs are kept in memory only: after the restart it is unknown.
    assert error_of(again.get(f"/api/backtest/{bt_id}"), 404)
