"""The API answers promptly whatever the bot is doing: the original service's trading loop
blocked its HTTP server; here no request ever waits for the exchange."""

import statistics
import threading
import time

from conftest import wait_until

EXCHANGE_LATENCY_MS = 500


def timed(svc, path):
    t0 = time.perf_counter()
    r = svc.get(path)
    elapsed_ms = (time.perf_counter() - t0) * 1000
    assert r.status_code == 200, r.text
    return elapsed_ms


def test_api_answers_while_scanning_fast_against_a_slow_exchange(start_service):
    svc = start_service(config={"scan_interval_ms": 50,
                                "exchange": {"latency_ms": EXCHANGE_LATENCY_MS}})
    wait_until(lambda: svc.json("/api/status")["scans"] >= 3, timeout=20, what="scans")
    latencies = [timed(svc, path) for _ in range(150) for path in ("/health", "/api/status")]
    # A blocking design would wait for an exchange call (500 ms) on some of these; the bound
    # leaves room for a loaded machine running the sanitizer build.
    assert statistics.median(latencies) < 20, sorted(latencies)[-10:]
    assert max(latencies) < EXCHANGE_LATENCY_MS - 100, sorted(latencies)[-10:]
    # Meanwhile the bot kept scanning, each scan waiting for the slow exchange.
    scans = svc.json("/api/status")["scans"]
    assert scans >= 3


def test_api_answers_while_an_on_demand_scan_waits(start_service):
    svc = start_service(config={"scan_interval_ms": 3_600_000,
                                "exchange": {"latency_ms": 1000}})
    wait_until(lambda: svc.json("/api/status")["scans"] >= 1, timeout=20, what="first scan")
    done = {}
    t = threading.Thread(target=lambda: done.setdefault("r", svc.post("/api/scan")))
    t.start()
    wait_until(lambda: svc.json("/api/status")["requests_in_flight"] >= 2, what="scan in flight")
    latencies = [timed(svc, "/api/status") for _ in range(20)]
    assert "r" not in done  # the scan is still waiting for the exchange...
    assert max(latencies) < 500  # ...and nothing else is
    t.join(timeout=20)
    assert done["r"].status_code == 200


def test_outage_is_retried_with_backoff_recorded_and_recovered(start_service):
    svc = start_service(config={"scan_interval_ms": 50,
                                "scanner": {"backoff_initial_ms": 50, "backoff_max_ms": 400}})
    wait_until(lambda: svc.json("/api/status")["scans"] >= 1, what="first scan")
    r = svc.post("/api/config", {"exchange": {"outage": True}})
    assert r.status_code == 200
    status = wait_until(lambda: (s := svc.json("/api/status"))["exchange_state"] == "degraded" and s,
                        what="a degraded exchange")
    assert "outage" in status["exchange_error"]
    errors = wait_until(
        lambda: (e := svc.json("/api/timeline?type=exchange_error&limit=100")["events"])
        and len(e) >= 5 and e, what="five exchange errors")
    retries = [e["data"]["retry_in_ms"] for e in reversed(errors)][:5]
    assert retries == [50, 100, 200, 400, 400], retries  # doubling from 50 ms, capped at 400
    r = svc.post("/api/scan")  # on demand: the exchange error, as a 503
    assert r.status_code == 503
    assert r.json()["error"]["code"] == "exchange_unavailable"
    assert svc.get("/health").status_code == 200  # the service itself is fine
    svc.post("/api/config", {"exchange": {"outage": False}})
    wait_until(lambda: svc.json("/api/status")["exchange_state"] == "ok", timeout=10,
               what="recovery")
    # The event is committed after the state it reports changes: wait for it, with a deadline.
    wait_until(lambda: svc.json("/api/timeline?type=exchange_recovered")["events"],
               what="the exchange_recovered event")


def test_slow_exchange_times_out_as_503_not_a_hang(start_service):
    svc = start_service(config={"scan_interval_ms": 3_600_000,
                                "exchange": {"latency_ms": 3000, "timeout_ms": 300}})
    t0 = time.perf_counter()
    r = svc.post("/api/scan")
    assert r.status_code == 503
    assert r.json()["error"]["code"] == "exchange_unavailable"
    assert "300 ms" in r.json()["error"]["message"]
    assert time.perf_counter() - t0 < 10
