"""Hostile clients that attack resources rather than parsers: a ping flood that never reads,
connections past the limits (in all and per address), and pipelined requests, each answered in
order. The process, /health and every other connection stay as they were."""

import json
import socket

import wsraw
from conftest import wait_until
from test_hostile import raw, status_and_error


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def memory_bound_mb(pid):
    """What a flood may leave behind: 64 MB, or 160 under AddressSanitizer, whose allocator
    keeps freed memory in its quarantine and caches and adds redzones and shadow to the rest
    (a Release build grows 1 MB here; the ASan build grew 66 MB once)."""
    with open(f"/proc/{pid}/maps") as f:
        return 160 if "libasan" in f.read() else 64


def test_a_client_flooding_pings_without_reading_is_closed_and_freed(start_service):
    """Each ping asks for a pong as large as itself: 200 MB of pongs if nothing bounded them."""
    svc = start_service(config={"scan_interval_ms": 3_600_000, "autostart": False,
                                "stream": {"max_pending_kib": 256}})
    base = rss_mb(svc.proc.pid)
    sock, status, _ = wsraw.connect(svc.port, rcvbuf=4096)
    assert status.startswith("HTTP/1.1 101")
    ping = wsraw.frame(0x9, b"p" * 125)
    burst = ping * 512
    sent = 0
    sock.settimeout(2)
    try:
        while sent < 200 * 1024 * 1024:
            sock.sendall(burst)
            sent += len(burst)
    except (ConnectionResetError, BrokenPipeError, TimeoutError):
        pass  # dropped, or the server no longer reads a socket it has closed
    try:
        assert sent < 200 * 1024 * 1024, "200 MB of pings and never cut off"
        wait_until(lambda: svc.json("/api/status")["ws_clients"] == 0, what="the client gone")
        assert svc.json("/api/status")["ws_slow_closed"] >= 1
        assert rss_mb(svc.proc.pid) < base + memory_bound_mb(svc.proc.pid)
        assert svc.get("/health").status_code == 200
    finally:
        sock.close()


def connect_and_ask(port):
    """A new connection's answer to GET /health (or what the server sent unasked)."""
    return raw(port, b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")


def test_connections_beyond_max_connections_get_503_until_one_leaves(start_service):
    svc = start_service(config={"autostart": False, "http": {"max_connections": 4}})
    held = [socket.create_connection(("127.0.0.1", svc.port), timeout=10) for _ in range(4)]
    try:
        for s in held:  # each is admitted and served
            s.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            assert s.recv(4096).startswith(b"HTTP/1.1 200")
        assert status_and_error(connect_and_ask(svc.port)) == (503, "too_many_connections")
        held.pop().close()
        wait_until(lambda: connect_and_ask(svc.port).startswith(b"HTTP/1.1 200"),
                   what="a place freed by the connection that left")
    finally:
        for s in held:
            s.close()


def test_max_connections_per_address_bounds_one_address(start_service):
    svc = start_service(config={"autostart": False,
                                "http": {"max_connections_per_address": 2}})
    held = [socket.create_connection(("127.0.0.1", svc.port), timeout=10) for _ in range(2)]
    try:
        for s in held:
            s.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            assert s.recv(4096).startswith(b"HTTP/1.1 200")
        assert status_and_error(connect_and_ask(svc.port)) == (503, "too_many_connections")
    finally:
        for s in held:
            s.close()
    wait_until(lambda: connect_and_ask(svc.port).startswith(b"HTTP/1.1 200"),
               what="places freed")


def responses(port, data, count, timeout=10):
    """Sends `data` on one connection and reads `count` answers: [(status, body)] in order."""
    out, buf = [], b""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(data)
        while len(out) < count:
            while b"\r\n\r\n" not in buf:
                chunk = s.recv(65536)
                assert chunk, f"closed after {len(out)} answers"
                buf += chunk
            head, _, buf = buf.partition(b"\r\n\r\n")
            length = int([line.split(b":")[1] for line in head.split(b"\r\n")
                          if line.lower().startswith(b"content-length:")][0])
            while len(buf) < length:
                chunk = s.recv(65536)
                assert chunk, "closed inside a body"
                buf += chunk
            out.append((int(head.split(b" ")[1]), json.loads(buf[:length])))
            buf = buf[length:]
    return out


def test_pipelined_requests_are_each_answered_in_order(quiet):
    # Sent in one write, so they arrive in one read: the first is answered by an actor, the
    # second by the router at once, yet the answers keep the requests' order (HTTP/1.1 6.3.2).
    get = b"GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    body = b'{"max_positions": 3}'
    post = (b"POST /api/config HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
    chunked = (b"POST /api/config HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
               b"Transfer-Encoding: chunked\r\n\r\n4\r\n{\"ma\r\n%x\r\n%s\r\n0\r\n\r\n"
               % (len(body) - 4, body[4:].replace(b"3", b"4")))
    answers = responses(quiet.port, get % b"/api/status" + get % b"/nope" + post +
                        get % b"/api/config" + chunked + get % b"/health", 6)
    assert [status for status, _ in answers] == [200, 404, 200, 200, 200, 200]
    assert "requests_in_flight" in answers[0][1]
    assert answers[1][1]["error"]["code"] == "not_found"
    assert answers[3][1]["max_positions"] == 3  # after the first POST, before the second
    assert answers[4][1]["max_positions"] == 4
    assert answers[5][1]["status"] == "ok"
    assert quiet.json("/api/config")["max_positions"] == 4
