"""Faults on purpose: the operator's fault-injection switch (debug.fault_injection) crashes a
supervised actor or wedges a worker, and the service recovers, or stops within
shutdown_timeout_ms all the same."""

import signal
import time

import pytest

import wsraw
from conftest import error_of, wait_until

FAULTS = {"scan_interval_ms": 200, "debug": {"fault_injection": True}}


def test_the_debug_routes_are_404_when_fault_injection_is_off(service):
    for path, body in (("/api/debug/crash", {"actor": "scanner"}), ("/api/debug/hang", {"ms": 5})):
        assert error_of(service.post(path, body), 404)["code"] == "not_found"
    assert service.json("/api/status")["restarts"].get("scanner", 0) == 0


@pytest.mark.parametrize("actor", ["scanner", "position_manager", "market_feed", "timeline",
                                   "broadcaster"])
def test_a_crashed_actor_is_restarted(start_service, actor):
    svc = start_service(config=FAULTS)
    svc.faults_expected = {actor}
    r = svc.post("/api/debug/crash", {"actor": actor})
    assert r.status_code == 202, r.text
    def restarted():
        r = svc.get("/api/status")  # 503 while the position manager itself restarts
        return r.status_code == 200 and r.json()["restarts"].get(actor, 0) >= 1
    wait_until(restarted, what=f"{actor} restarted")
    wait_until(lambda: svc.get("/health").status_code == 200, what="health back to ok")


@pytest.mark.parametrize("actor", ["supervisor", "storage"])
def test_without_the_supervisor_or_the_storage_the_process_stops_with_status_1(start_service,
                                                                              actor):
    svc = start_service(config=FAULTS)
    assert svc.post("/api/trading/stop").status_code == 200  # acknowledged: it must come back
    r = svc.post("/api/debug/crash", {"actor": actor})
    assert r.status_code == 202, r.text
    assert svc.wait(timeout=30) == 1, svc.stderr()[-2000:]
    assert f"Actor terminated actor={actor}" in svc.stderr()
    again = start_service(data_dir=svc.data_dir, config=FAULTS)
    assert again.json("/api/status")["trading"] is False


def test_bad_fault_requests_are_422(start_service):
    svc = start_service(config=FAULTS)
    for path, body, field in (("/api/debug/crash", {"actor": "store_reader"}, "actor"),
                              ("/api/debug/crash", {}, "actor"),
                              ("/api/debug/hang", {"ms": 0}, "ms"),
                              ("/api/debug/hang", {"ms": "1"}, "ms"),
                              ("/api/debug/hang", {"ms": 5, "x": 1}, "x"),
                              ("/api/debug/hang", {"ms": 5, "actor": "scanner"}, "actor")):
        assert error_of(svc.post(path, body), 422)["field"] == field


def test_health_answers_within_its_bound_while_the_supervisor_is_stuck(start_service):
    """/health asks the supervisor for at most 1 s: stuck for 5 s (holding the one scheduler
    thread of the default actor_threads), it is reported unresponsive, an answer /health can only
    give without the supervisor, and healthy once it is back."""
    svc = start_service(config=FAULTS)
    r = svc.post("/api/debug/hang", {"ms": 5000, "actor": "supervisor"})
    assert r.status_code == 202 and r.json() == {"hanging_ms": 5000, "actor": "supervisor"}
    started = time.monotonic()
    r = svc.get("/health")
    answered_in = time.monotonic() - started
    assert r.status_code == 503, r.text
    body = r.json()
    assert body["status"] == "degraded" and body["actors"] == {"supervisor": "unresponsive"}
    assert answered_in < 4, f"/health took {answered_in:.1f} s: it waited for the supervisor"
    wait_until(lambda: svc.get("/health").status_code == 200, timeout=30,
               what="the supervisor back")


def test_shutdown_is_bounded_by_shutdown_timeout_ms(start_service):
    """A worker that never stops (a blocked call) cannot hold the process up: SIGTERM exits 0
    within the budget, and the log says what was abandoned."""
    svc = start_service(config={**FAULTS, "shutdown_timeout_ms": 1000})
    assert svc.post("/api/trading/stop").status_code == 200
    assert svc.post("/api/debug/hang", {"ms": 120_000}).status_code == 202
    started = time.monotonic()
    assert svc.stop(signal.SIGTERM, timeout=20) == 0
    took = time.monotonic() - started
    assert took < 5, f"SIGTERM took {took:.1f} s"
    assert "Shutdown exceeded shutdown_timeout_ms=1000" in svc.stderr()
    # What was acknowledged is there after a restart.
    again = start_service(data_dir=svc.data_dir, config=FAULTS)
    assert again.json("/api/status")["trading"] is False


def test_hundreds_of_configuration_changes_never_block_on_standard_output(start_service):
    """Found by the soak: each change sent the timeline a message it had no handler for, CAF
    printed it on standard output, and once the unread pipe was full (the harness, like a
    process supervisor, reads only the first line) the printing thread blocked for good."""
    svc = start_service(config={"autostart": False, "scan_interval_ms": 3_600_000})
    for i in range(300):
        r = svc.post("/api/config", {"scan_interval_ms": 1000 + i})
        assert r.status_code == 200, (i, r.text)
    assert svc.get("/health").status_code == 200
    # The timeline still records: every change is on it.
    wait_until(lambda: len(svc.json("/api/timeline?type=config_changed&limit=1000")["events"])
               == 300, what="300 config_changed events")
    # No thread is left blocked: the stop finishes in order, not by the watchdog.
    assert svc.stop(signal.SIGTERM, timeout=30) == 0
    assert "Shutdown exceeded" not in svc.stderr()
    assert "Unexpected message" not in svc.stderr()


def test_a_client_connecting_while_the_broadcaster_restarts_is_told_1013(start_service):
    # A long backoff keeps the broadcaster down long enough to connect meanwhile.
    svc = start_service(config={**FAULTS, "supervisor": {"backoff_initial_ms": 5000}})
    svc.faults_expected = {"broadcaster"}
    assert svc.post("/api/debug/crash", {"actor": "broadcaster"}).status_code == 202
    wait_until(lambda: svc.get("/health").json()["actors"]["broadcaster"] == "restarting",
               what="the broadcaster restarting")
    sock, status, rest = wsraw.connect(svc.port)
    with sock:
        assert status.startswith("HTTP/1.1 101")
        assert wsraw.Reader(sock, rest).until_close(timeout=10) == 1013  # try again later
    wait_until(lambda: svc.get("/health").status_code == 200, timeout=30,
               what="the broadcaster back")
    sock, status, rest = wsraw.connect(svc.port)
    with sock:  # and a client now gets its hello
        assert wsraw.Reader(sock, rest).json_messages(1)[0]["type"] == "hello"


def test_a_crashed_broadcaster_tells_its_clients_to_reconnect(start_service):
    """Crash-only: the clients of a broadcaster that fails are closed with 1013 (try again
    later) rather than kept by someone else; they reconnect to a fresh hello."""
    svc = start_service(config=FAULTS)
    svc.faults_expected = {"broadcaster"}
    sock, status, rest = wsraw.connect(svc.port)
    with sock:
        reader = wsraw.Reader(sock, rest)
        assert reader.json_messages(1)[0]["type"] == "hello"
        assert svc.post("/api/debug/crash", {"actor": "broadcaster"}).status_code == 202
        assert reader.until_close(timeout=10) == 1013
    wait_until(lambda: svc.get("/health").status_code == 200, what="the broadcaster back")
    sock, status, rest = wsraw.connect(svc.port)
    with sock:
        assert wsraw.Reader(sock, rest).json_messages(1)[0]["type"] == "hello"


def test_a_crashed_market_feed_resumes_where_the_store_says_the_market_was(start_service):
    """The restarted feed keeps no copy of the old one's clock: it resumes at the market time the
    store committed, so scans never see the market run backwards."""
    svc = start_service(config=FAULTS)
    svc.faults_expected = {"market_feed"}
    wait_until(lambda: len(svc.json("/api/timeline?type=scan_completed")["events"]) >= 2,
               what="two scans")
    assert svc.post("/api/debug/crash", {"actor": "market_feed"}).status_code == 202
    wait_until(lambda: svc.json("/api/timeline?type=actor_restarted")["events"],
               what="the feed's restart on the timeline")
    restarted = svc.json("/api/timeline?type=actor_restarted")["events"][0]["seq"]
    wait_until(lambda: any(e["seq"] > restarted for e in
                           svc.json("/api/timeline?type=scan_completed")["events"]),
               what="a scan after the restart")
    scans = list(reversed(svc.json("/api/timeline?type=scan_completed&limit=1000")["events"]))
    times = [e["data"]["market_time"] for e in scans]
    assert times == sorted(times), times
