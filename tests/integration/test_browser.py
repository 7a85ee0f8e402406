"""The dashboard in headless Chromium (Debian's), driven by playwright-core (tests/browser, from
its lockfile): each case starts the real service and runs one scenario of
tests/browser/scenarios.mjs against it, which checks what it did through the API. A failing
scenario saves a screenshot in the test's temporary directory. Built and run in the Release tree
only (CT_BROWSER_TESTS), as they need no sanitizer."""

import json
import os
import subprocess

import pytest

from conftest import error_of, wait_until
from test_gateway import Gateway

HERE = os.path.dirname(os.path.abspath(__file__))
RUN = os.path.join(HERE, "..", "browser", "run.mjs")
TRADING = {"scan_interval_ms": 50, "exchange": {"speed": 3000},
           "strategy": {"momentum_lookback": 3, "momentum_threshold_pct": 0.15}}
QUIET = {"scan_interval_ms": 500}


def drive(scenario, page_url, api_url, tmp_path, **options):
    options.update(api=api_url, screenshot=str(tmp_path / f"{scenario}-failure.png"))
    r = subprocess.run(["node", RUN, scenario, page_url, json.dumps(options)],
                       capture_output=True, text=True, timeout=240, stdin=subprocess.DEVNULL)
    assert r.returncode == 0, (f"scenario {scenario} failed (screenshot: "
                               f"{options['screenshot']}):\n{r.stderr[-4000:]}")


def page_of(svc):
    return svc.base + "/"


def test_the_page_loads_live_with_its_security_headers(start_service, tmp_path):
    svc = start_service(config=QUIET)
    drive("loads", page_of(svc), svc.base + "/api", tmp_path)


def test_live_candles_and_the_equity_curve(start_service, tmp_path):
    # 600x: a 5-minute candle closes every 500 ms; the equity is sampled at each.
    svc = start_service(config={"scan_interval_ms": 100, "exchange": {"speed": 600}})
    wait_until(lambda: svc.json("/api/equity")["samples"] >= 2, timeout=30, what="2 samples")
    drive("live_candles", page_of(svc), svc.base + "/api", tmp_path)


def test_start_and_stop_from_the_page(start_service, tmp_path):
    svc = start_service(config=QUIET)
    drive("start_stop", page_of(svc), svc.base + "/api", tmp_path)
    assert svc.json("/api/status")["trading"] is True


def test_closing_a_position_from_the_page(start_service, tmp_path):
    svc = start_service(config=TRADING)
    wait_until(lambda: svc.json("/api/status")["open_positions"] >= 1, timeout=60,
               what="an open position")
    svc.post("/api/config", {"scan_interval_ms": 3_600_000})  # it stays open until clicked
    drive("close_position", page_of(svc), svc.base + "/api", tmp_path)


def test_the_chart_marks_the_positions_entries_and_exits(start_service, tmp_path):
    svc = start_service(config=TRADING)
    wait_until(lambda: svc.json("/api/status")["closed_positions"] >= 1, timeout=60,
               what="a closed position")
    svc.post("/api/config", {"scan_interval_ms": 3_600_000})
    drive("chart_markers", page_of(svc), svc.base + "/api", tmp_path)


def test_a_bad_setting_shows_the_api_error_and_changes_nothing(start_service, tmp_path):
    svc = start_service(config=QUIET)
    drive("bad_setting", page_of(svc), svc.base + "/api", tmp_path, allowErrors=True)
    assert svc.json("/api/config")["risk"]["stop_loss_pct"] == 1.0


def test_a_backtest_from_the_page_shows_its_metrics_and_curve(start_service, tmp_path):
    svc = start_service(config=QUIET)
    drive("backtest", page_of(svc), svc.base + "/api", tmp_path)


def test_a_search_from_the_page_shows_its_best_trials_and_applies_one(start_service, tmp_path):
    svc = start_service(config=QUIET)
    drive("search", page_of(svc), svc.base + "/api", tmp_path)
    assert svc.json("/api/config")["strategy"]["name"] == "sma_crossover"


def test_a_token_protected_service_asks_for_the_token_once(start_service, tmp_path):
    token = "browser-token-9"
    svc = start_service(config=QUIET, env={"CRYPTO_TRADING_API_TOKEN": token})
    drive("token", page_of(svc), svc.base + "/api", tmp_path, token=token, allowErrors=True)


def test_the_same_page_works_through_the_gateway(start_service, tmp_path):
    token = "gateway-browser-3"
    svc = start_service(config=QUIET, env={"CRYPTO_TRADING_API_TOKEN": token})
    gw = Gateway(svc.port, tmp_path)
    try:
        r = svc.http.get(gw.base + "/crypto/config.json", timeout=10)
        assert r.json() == {"api": "/api/crypto", "stream": "/api/crypto/stream"}
        assert svc.http.get(gw.base + "/crypto/metrics", timeout=10).status_code in (403, 404)
        drive("loads", gw.base + "/crypto/", gw.base + "/api/crypto", tmp_path, token=token,
              allowErrors=True)
    finally:
        gw.stop()


@pytest.mark.parametrize("path", ["/", "/app.js", "/config.json", "/favicon.svg"])
def test_page_files_forbid_framing(service, path):
    r = service.get(path)
    assert r.status_code == 200
    assert "frame-ancestors 'none'" in r.headers["Content-Security-Policy"]
    assert r.headers["X-Frame-Options"] == "DENY"
    assert r.headers["X-Content-Type-Options"] == "nosniff"


def test_page_files_refuse_a_foreign_origin_and_unknown_files(service):
    assert error_of(service.get("/", headers={"Origin": "http://evil.example"}), 403)
    assert error_of(service.get("/nope.js"), 404)["code"] == "not_found"
    assert error_of(service.get("/app.js?x=1"), 422)["code"] == "unknown_parameter"


def test_stream_tickets_are_single_use(start_service):
    import wsraw
    token = "ticket-token-5"
    svc = start_service(config=QUIET, env={"CRYPTO_TRADING_API_TOKEN": token})
    ticket = svc.post("/api/stream/ticket").json()["ticket"]
    assert len(ticket) == 32
    sock, status, _ = wsraw.connect(svc.port, path=f"/ws?ticket={ticket}")
    sock.close()
    assert " 101 " in status
    sock, status, _ = wsraw.connect(svc.port, path=f"/ws?ticket={ticket}")
    sock.close()
    assert " 401 " in status
    sock, status, _ = wsraw.connect(svc.port, path="/ws?ticket=" + "0" * 32)
    sock.close()
    assert " 401 " in status
