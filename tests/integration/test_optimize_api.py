"""POST /api/optimize and GET /api/optimize/{id} on the running service: the search streams its
events on the WebSocket, its report is the one the command line writes for the same options, one
search runs at a time (beside a backtest), at the lowest priority, a stop cancels it, and bad
requests are refused with the key named."""

import asyncio
import json
import os

import pytest
import websockets

from conftest import error_of, run_binary, wait_until
from test_optimize import RUN_FACTS, TWO, loop_file

CONFIG = {"autostart": False, "log_level": "warn"}
SPACE = {"strategy.fast_period": "3..15", "strategy.slow_period": [10, 15, 20, 25, 30, 35, 40]}


@pytest.fixture
def svc(start_service):
    return start_service(config={**CONFIG, "backtest": {"data_dirs": [os.path.dirname(TWO[0])]}})


def finished(svc, search_id, timeout=60):
    state = {}

    def done():
        r = svc.http.get(f"{svc.base}/api/optimize/{search_id}")
        assert r.status_code == 200, r.text
        state.update(r.json())
        return state["status"] != "running"
    wait_until(done, timeout=timeout, what=f"search {search_id} to finish")
    return state


def test_a_search_streams_its_events_and_matches_the_command_line(svc, tmp_path):
    assert svc.json("/api/config")["optimize"] == {"api_jobs": 1}
    assert svc.post("/api/config", {"optimize": {"api_jobs": 2}}).status_code == 200
    body = {"data": TWO, "strategy": "sma_crossover", "space": SPACE, "folds": 3, "top": 5,
            "set": {"risk.stop_loss_pct": 2}}

    async def go():
        async with websockets.connect(f"ws://127.0.0.1:{svc.port}/ws") as ws:
            r = svc.http.post(f"{svc.base}/api/optimize", json=body)
            assert r.status_code == 202, r.text
            accepted = r.json()
            assert accepted["status"] == "running" and accepted["trials"] == 91
            assert accepted["href"] == f"/api/optimize/{accepted['id']}"
            seen = []
            while "optimize_completed" not in seen:
                m = json.loads(await asyncio.wait_for(ws.recv(), 30))
                if m["type"] == "timeline" and m["data"]["source"] == "optimize":
                    assert m["data"]["data"]["id"] == accepted["id"]
                    seen.append(m["data"]["type"])
                    last = m["data"]["data"]
            assert seen[0] == "optimize_started"
            return accepted["id"], last
    search_id, completed = asyncio.run(asyncio.wait_for(go(), 90))
    state = finished(svc, search_id)
    assert state["status"] == "completed" and state["error"] is None
    assert state["progress"]["trials"] == state["progress"]["total"] == 91
    assert state["progress"]["skipped"] == 7
    report = state["report"]
    assert report["jobs"] == 2
    assert completed["best"] == report["best"] and completed["skipped"] == 7
    assert state["progress"]["best_score"] == completed["best_score"]
    # The command line, on the same files with the same options, finds the same.
    out = tmp_path / "cli.json"
    args = ["optimize", "--strategy", "sma_crossover", "--set", "risk.stop_loss_pct=2",
            "--space", "strategy.fast_period=3..15",
            "--space", "strategy.slow_period=10,15,20,25,30,35,40",
            "--folds", "3", "--top", "5", "--jobs", "1", "--report", str(out)]
    for f in TWO:
        args += ["--data", f]
    r = run_binary(args, timeout=60)
    assert r.returncode == 0, r.stderr
    cli = json.loads(out.read_text())
    facts = set(RUN_FACTS) | {"space"}  # the API's spec for a list is its values joined
    assert {k: v for k, v in cli.items() if k not in facts} == \
        {k: v for k, v in report.items() if k not in facts}


def nice_values(pid):
    out = []
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                stat = f.read()
        except FileNotFoundError:
            continue
        out.append(int(stat.rsplit(")", 1)[1].split()[16]))  # field 19: nice
    return out


def test_one_search_at_a_time_at_low_priority_beside_a_backtest(start_service, tmp_path):
    looped = tmp_path / "looped"
    looped.mkdir()
    data = [loop_file(f, 40, str(looped)) for f in TWO]
    svc = start_service(config={**CONFIG, "backtest": {"data_dirs": [str(looped)]}})
    body = {"data": data, "space": {"strategy.momentum_lookback": "2..41",
                                    "strategy.momentum_threshold_pct": "0.1..2.5:0.1"}}
    r = svc.http.post(f"{svc.base}/api/optimize", json=body, timeout=60)
    assert r.status_code == 202, r.text
    search_id = r.json()["id"]
    assert r.json()["trials"] == 1000
    err = error_of(svc.http.post(f"{svc.base}/api/optimize", json=body, timeout=60), 409)
    assert search_id in err["message"]
    # Backtests are independent of searches.
    bt = svc.http.post(f"{svc.base}/api/backtest", json={"data": data[:1]}, timeout=60)
    assert bt.status_code == 202, bt.text
    # Its threads run at the lowest priority, the live bot's at the normal one.
    wait_until(lambda: 19 in nice_values(svc.proc.pid), what="a search thread at nice 19")
    assert 0 in nice_values(svc.proc.pid)
    progress = wait_until(lambda: svc.json("/api/timeline?type=optimize_progress")["events"],
                          timeout=120, what="an optimize_progress event")
    p = progress[0]["data"]
    assert p["id"] == search_id and p["total"] == 1000 and 0 <= p["trials"] <= 1000
    assert p["candle_evals_per_s"] >= 0
    # A stop cancels it: the service ends with status 0, the search's end on the timeline.
    assert svc.stop() == 0
    again = start_service(config={**CONFIG, "backtest": {"data_dirs": [str(looped)]}},
                          data_dir=svc.data_dir)
    ends = again.json("/api/timeline?type=optimize_completed")["events"]
    assert [e["data"]["id"] for e in ends] == [search_id]
    end = ends[0]["data"]
    assert end["cancelled"] == (end["trials"] < 1000), end
    assert error_of(again.get(f"/api/optimize/{search_id}"), 404)


@pytest.mark.parametrize("body,status,code,field", [
    ({}, 422, "invalid_value", "space"),
    ({"space": []}, 422, "invalid_value", "space"),
    ({"space": {"strategy.momentum_lookback": {"lo": 1}}}, 422, "invalid_value", "space"),
    ({"space": {"strategy.nope": "1..3"}}, 422, "unknown_key", "space"),
    ({"space": {"risk.stop_loss_pct": "0.5..3"}}, 422, "invalid_value", "space"),
    ({"space": {"strategy.momentum_lookback": "5..9"}, "objective": "sharp"}, 422,
     "invalid_value", "objective"),
    ({"space": {"strategy.momentum_lookback": "5..9"}, "trials": "many"}, 422, "invalid_value",
     "trials"),
    ({"space": {"strategy.momentum_lookback": "5..9"}, "folds": 0}, 422, "invalid_value", "folds"),
    ({"space": {"strategy.momentum_lookback": "5..9"}, "jobs": 4}, 422, "unknown_key", "jobs"),
    ({"space": {"strategy.momentum_lookback": "5..9"}, "data": ["/etc/ADA_BTC-5m.csv"]}, 403,
     "forbidden_path", "data"),
    ({"space": {"strategy.name": "nope,other"}}, 422, "invalid_value", "space"),
    ({"space": {"strategy.momentum_lookback": "1," * 600 + "2"}}, 422, "invalid_value", "space"),
    ({"space": {f"risk.k{i}": "1..2" for i in range(17)}}, 422, "invalid_value", "space"),
    ({"space": {"strategy.momentum_lookback": "1..10000000"}}, 422, "invalid_value", "space"),
    ({"space": {"strategy.momentum_lookback": "5..9"}, "trials": 10**7}, 422, "invalid_value",
     "trials"),
    ({"space": {"strategy.momentum_lookback": "5..9"}, "seed": -1}, 422, "invalid_value", "seed"),
])
def test_bad_requests_are_refused_and_start_nothing(svc, body, status, code, field):
    """Each bad request is refused with its key named; nothing starts."""
    err = error_of(svc.http.post(f"{svc.base}/api/optimize", json=body, timeout=60), status)
    assert (err["code"], err.get("field")) == (code, field), err
    assert not svc.json("/api/timeline?type=optimize_started")["events"]
    assert error_of(svc.get("/api/optimize/nope"), 404)


def test_a_cross_site_post_cannot_start_a_search(svc):
    body = json.dumps({"space": {"strategy.momentum_lookback": "5..9"}})
    r = svc.http.post(f"{svc.base}/api/optimize", data=body, headers={
        "Content-Type": "text/plain", "Origin": "http://evil.example"})
    assert r.status_code in (403, 415), r.text
    r = svc.http.post(f"{svc.base}/api/optimize", data=body, headers={
        "Content-Type": "application/json", "Origin": "http://evil.example"})
    assert error_of(r, 403)["code"] == "forbidden_origin"
    r = svc.http.post(f"{svc.base}/api/optimize", data=b'{"space": {"\xff": "1..2"}}',
                      headers={"Content-Type": "application/json"})
    assert r.status_code in (400, 422), r.text
    assert not svc.json("/api/timeline?type=optimize_started")["events"]
