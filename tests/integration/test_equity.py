"""GET /api/equity: the account's equity, sampled by the position manager once per candle,
persisted (across kill -9) and downsampled to `limit` points."""

from datetime import datetime

from conftest import error_of, wait_until

STEP = 300_000  # the bundled candles' 5 minutes
# A candle every 100 ms of wall clock, a scan every 50 ms: each candle's first scan samples it.
FAST = {"scan_interval_ms": 50, "exchange": {"speed": 3000},
        "strategy": {"momentum_lookback": 3, "momentum_threshold_pct": 0.15}}


def ms(rfc3339):
    return int(datetime.fromisoformat(rfc3339.replace("Z", "+00:00")).timestamp() * 1000)


def samples(svc, query="limit=5000"):
    return svc.json("/api/equity?" + query)


def test_one_sample_per_candle_on_the_candle_grid(start_service):
    svc = start_service(config=FAST)
    wait_until(lambda: samples(svc)["samples"] >= 30, timeout=30, what="30 equity samples")
    page = samples(svc)
    times = [ms(p["time"]) for p in page["points"]]
    assert len(times) == page["samples"]
    assert all(t % STEP == 0 for t in times)  # a candle's open: the close of the one before
    assert all(b > a for a, b in zip(times, times[1:]))  # at most one per candle, oldest first
    walls = [ms(p["at"]) for p in page["points"]]
    assert all(b >= a for a, b in zip(walls, walls[1:]))
    assert all(p["equity"] > 0 and p["cash"] >= 0 for p in page["points"])
    assert ms(page["points"][-1]["time"]) <= ms(svc.json("/api/candles?symbol=ADA-BTC&limit=1")
                                                ["market_time"])


def test_without_positions_equity_is_cash(start_service):
    svc = start_service(config={**FAST, "autostart": False})
    wait_until(lambda: samples(svc)["samples"] >= 5, timeout=30, what="5 equity samples")
    for p in samples(svc)["points"]:
        assert p["equity"] == p["cash"] == svc.json("/api/status")["starting_cash"]


def test_downsampled_to_limit_and_cut_by_market_time(start_service):
    svc = start_service(config=FAST)
    wait_until(lambda: samples(svc)["samples"] >= 40, timeout=30, what="40 equity samples")
    full = samples(svc)
    times = [ms(p["time"]) for p in full["points"]]
    end = times[-1] + 1  # later samples keep coming: every query stops here
    small = samples(svc, f"limit=7&to={end}")
    assert small["samples"] == len(times)
    got = [ms(p["time"]) for p in small["points"]]
    assert 2 <= len(got) <= 7
    assert got == sorted(got) and set(got) <= set(times)
    assert got[-1] == times[-1]  # each span's last sample: the newest is always there
    # [from, to) in market time, as epoch ms or RFC 3339.
    lo, hi = times[5], times[15]
    cut = samples(svc, f"from={lo}&to={full['points'][15]['time']}")
    assert [ms(p["time"]) for p in cut["points"]] == times[5:15]
    assert cut["samples"] == 10
    assert samples(svc, f"from={hi}&to={lo}") == {"points": [], "samples": 0}


def test_samples_survive_kill_9(start_service):
    svc = start_service(config=FAST)
    wait_until(lambda: samples(svc)["samples"] >= 10, timeout=30, what="10 equity samples")
    before = samples(svc)["points"]
    data_dir = svc.data_dir
    svc.kill9()
    svc = start_service(config=FAST, data_dir=data_dir)
    after = samples(svc)["points"]
    # Every sample a committed scan wrote is there, unchanged; the clock resumed past them.
    assert after[:len(before)] == before
    wait_until(lambda: samples(svc)["samples"] > len(after), timeout=30, what="a new sample")
    times = [ms(p["time"]) for p in samples(svc)["points"]]
    assert all(b > a for a, b in zip(times, times[1:]))


def test_bad_queries_are_refused(quiet):
    for query, field in (("limit=1", "limit"), ("limit=5001", "limit"), ("from=soon", "from"),
                         ("to=2018-13-40", "to"), ("nope=1", "nope")):
        err = error_of(quiet.get("/api/equity?" + query), 422)
        assert err["field"] == field, query
