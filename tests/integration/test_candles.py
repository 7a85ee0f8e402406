"""GET /api/candles: the live market's closed candles, oldest first, with the running strategy's
lines, checked against averages computed here from the candles themselves."""

from datetime import datetime

import numpy as np
import pytest

from conftest import error_of

CROSS = {"scan_interval_ms": 3_600_000,
         "strategy": {"name": "sma_crossover", "fast_period": 3, "slow_period": 5}}


def ms(rfc3339):
    return int(datetime.fromisoformat(rfc3339.replace("Z", "+00:00")).timestamp() * 1000)


def test_closed_candles_oldest_first_before_the_market_time(start_service):
    svc = start_service(config=CROSS)
    page = svc.json("/api/candles?symbol=ADA-BTC&limit=50")
    assert page["symbol"] == "ADA-BTC" and page["timeframe"] == "5m"
    times = [ms(c["time"]) for c in page["candles"]]
    assert len(times) == 50
    assert all(b - a == 300_000 for a, b in zip(times, times[1:]))
    assert times[-1] + 300_000 <= ms(page["market_time"])  # closed: none is still forming
    for c in page["candles"]:
        assert c["low"] <= min(c["open"], c["close"]) <= max(c["open"], c["close"]) <= c["high"]
        assert c["volume"] >= 0
    # The page before ends where this one starts.
    older = svc.json(f"/api/candles?symbol=ADA-BTC&limit=20&before={page['next_before']}")
    assert ms(older["candles"][-1]["time"]) + 300_000 == times[0]
    assert ms(page["next_before"]) == times[0]


def test_the_strategy_s_lines_are_its_moving_averages(start_service):
    svc = start_service(config=CROSS)
    page = svc.json("/api/candles?symbol=XLM-BTC&limit=60")
    ind = page["indicators"]
    assert ind["strategy"] == "sma_crossover"
    lines = {l["name"]: l for l in ind["lines"]}
    assert set(lines) == {"sma_fast", "sma_slow"} and all(l["overlay"] for l in lines.values())
    closes = np.array([c["close"] for c in page["candles"]])
    for name, period in (("sma_fast", 3), ("sma_slow", 5)):
        values = lines[name]["values"]
        assert len(values) == len(closes)
        # The warm-up candles before the page make every value known from the first candle on.
        assert all(v is not None for v in values)
        for i in range(period - 1, len(closes)):
            assert values[i] == pytest.approx(closes[i - period + 1:i + 1].mean(), rel=1e-12)


def test_momentum_and_rsi_have_their_own_scale(start_service):
    svc = start_service(config={"scan_interval_ms": 3_600_000,
                                "strategy": {"name": "rsi_reversion", "rsi_period": 14}})
    lines = svc.json("/api/candles?symbol=ETC-BTC&limit=30")["indicators"]["lines"]
    assert [l["name"] for l in lines] == ["rsi"] and not lines[0]["overlay"]
    assert all(0 <= v <= 100 for v in lines[0]["values"])
    svc.post("/api/config", {"strategy": {"name": "momentum", "momentum_lookback": 4}})
    page = svc.json("/api/candles?symbol=ETC-BTC&limit=30")
    (line,) = page["indicators"]["lines"]
    assert line["name"] == "momentum_pct"
    closes = [c["close"] for c in page["candles"]]
    for i in range(4, len(closes)):
        assert line["values"][i] == pytest.approx((closes[i] / closes[i - 4] - 1) * 100,
                                                  rel=1e-9)


@pytest.mark.parametrize("query,field,code", [
    ("", "symbol", "invalid_value"),
    ("symbol=NOPE-BTC", "symbol", "unknown_symbol"),
    ("symbol=ADA-BTC&limit=0", "limit", "invalid_value"),
    ("symbol=ADA-BTC&limit=1001", "limit", "invalid_value"),
    ("symbol=ADA-BTC&before=yesterday", "before", "invalid_value"),
    ("symbol=ADA-BTC&from=1", "from", "unknown_parameter"),
])
def test_bad_queries_are_422(quiet, query, field, code):
    err = error_of(quiet.get("/api/candles?" + query), 422)
    assert (err["code"], err.get("field")) == (code, field)
