"""Start-up, keep-alive, graceful shutdown on SIGINT and SIGTERM."""

import http.client
import signal
import socket
import threading

import pytest
import requests

import wsraw
from conftest import error_of, wait_until


def test_http11_keeps_the_connection_alive_without_a_connection_header(service):
    conn = http.client.HTTPConnection("127.0.0.1", service.port, timeout=10)
    conn.request("GET", "/health")  # http.client sends no Connection header
    first = conn.getresponse()
    first.read()
    assert first.status == 200
    assert first.getheader("Connection").lower() == "keep-alive"
    sock = conn.sock
    conn.request("GET", "/api/status")
    second = conn.getresponse()
    second.read()
    assert second.status == 200
    assert conn.sock is sock  # the same connection served both
    conn.close()


def test_connection_close_is_honoured(service):
    conn = http.client.HTTPConnection("127.0.0.1", service.port, timeout=10)
    conn.request("GET", "/health", headers={"Connection": "close"})
    r = conn.getresponse()
    r.read()
    assert r.getheader("Connection").lower() == "close"
    conn.close()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_signals_stop_gracefully_with_status_0(start_service, sig):
    svc = start_service(config={"scan_interval_ms": 50})
    wait_until(lambda: svc.json("/api/status")["scans"] >= 3, what="a few scans")
    assert svc.stop(sig) == 0
    log = svc.stderr()
    assert "Shutting down" in log and "Stopped" in log


def test_in_flight_requests_finish_during_shutdown(start_service):
    """A scan waiting on a slow exchange when SIGTERM arrives still gets its answer."""
    svc = start_service(config={"scan_interval_ms": 3_600_000,
                                "exchange": {"latency_ms": 1500}})
    wait_until(lambda: svc.json("/api/status")["scans"] >= 1, timeout=20, what="first scan")
    result = {}

    def scan():
        result["response"] = svc.post("/api/scan")

    t = threading.Thread(target=scan)
    t.start()
    # In flight: the scan and this status request itself.
    wait_until(lambda: svc.json("/api/status")["requests_in_flight"] >= 2, what="the scan request")
    svc.proc.send_signal(signal.SIGTERM)
    t.join(timeout=20)
    assert svc.wait(timeout=20) == 0
    assert result["response"].status_code == 200, result["response"].text
    assert result["response"].json()["scanned"] == 6


def test_during_a_graceful_stop_new_requests_and_upgrades_get_503_shutting_down(start_service):
    """While a slow scan finishes after SIGTERM, anything new is turned away at once with 503
    shutting_down and Connection: close (REST and WebSocket upgrades alike)."""
    svc = start_service(config={"scan_interval_ms": 3_600_000,
                                "exchange": {"latency_ms": 3000}})
    wait_until(lambda: svc.json("/api/status")["scans"] >= 1, timeout=20, what="first scan")
    result = {}
    t = threading.Thread(target=lambda: result.update(response=svc.post("/api/scan")))
    t.start()
    wait_until(lambda: svc.json("/api/status")["requests_in_flight"] >= 2, what="the scan request")
    svc.proc.send_signal(signal.SIGTERM)

    def turned_away():
        r = requests.get(svc.url("/api/status"), timeout=10)  # a new connection each time
        return [r] if r.status_code == 503 else None  # a 503 Response is falsy itself
    r = wait_until(turned_away, timeout=10, what="503 after SIGTERM")[0]
    assert error_of(r, 503)["code"] == "shutting_down"
    assert r.headers["Connection"].lower() == "close"
    sock, status, rest = wsraw.connect(svc.port)
    with sock:
        assert status.startswith("HTTP/1.1 503"), status
        assert b"shutting_down" in rest
    assert "response" not in result  # all of it happened while the scan was still in flight
    t.join(timeout=20)
    assert svc.wait(timeout=20) == 0
    assert result["response"].status_code == 200, result["response"].text


def test_a_request_whose_client_hung_up_still_leaves_the_count(start_service):
    """A reply written to a client that has gone still counts the request out (it leaves once
    its write is done or has failed), so the count comes back and shutdown has nothing to wait
    for."""
    svc = start_service(config={"scan_interval_ms": 3_600_000,
                                "exchange": {"latency_ms": 1000}})
    wait_until(lambda: svc.json("/api/status")["scans"] >= 1, timeout=20, what="first scan")
    gone = socket.create_connection(("127.0.0.1", svc.port), timeout=10)
    gone.sendall(b"POST /api/scan HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n")
    wait_until(lambda: svc.json("/api/status")["requests_in_flight"] >= 2, what="the scan request")
    gone.close()
    # Once the scan answers (into the closed connection), only this status request is in flight.
    wait_until(lambda: svc.json("/api/status")["requests_in_flight"] == 1,
               what="the count to come back")
    assert svc.stop() == 0
    assert "still in flight" not in svc.stderr()
