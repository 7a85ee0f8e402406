"""Hostile input from a real socket: each class of malformed, oversized, non-UTF-8 or
cross-site request gets its error, changes nothing, and leaves the process, /health and every
other connection as they were."""

import json
import socket
import time

import pytest
import requests

import wsraw
from conftest import error_of


def snapshot(svc):
    return {"config": svc.json("/api/config"),
            "trading": svc.json("/api/status")["trading"],
            "positions": svc.json("/api/positions?state=all")}


def raw(port, data, timeout=10):
    """Sends raw bytes on a fresh connection; returns everything the server sent back until it
    closed or went quiet for a moment after answering."""
    deadline = time.monotonic() + 4 * timeout  # a server that trickles bytes cannot stretch it
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(data)
        out = b""
        while time.monotonic() < deadline:
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                break
            if not chunk:
                break
            out += chunk
            if b"\r\n\r\n" in out:
                head, _, body = out.partition(b"\r\n\r\n")
                length = [int(line.split(b":")[1]) for line in head.split(b"\r\n")
                          if line.lower().startswith(b"content-length:")]
                if length and len(body) >= length[0]:
                    break
        else:
            raise AssertionError(f"the answer was still coming after {4 * timeout} s: {out[:200]}")
        return out


def status_and_error(answer):
    head, _, body = answer.partition(b"\r\n\r\n")
    status = int(head.split(b" ")[1])
    return status, json.loads(body)["error"]["code"]


def request(port, line, headers=(), body=b""):
    head = line + b"\r\nHost: 127.0.0.1\r\n" + b"".join(h + b"\r\n" for h in headers)
    return status_and_error(raw(port, head + b"\r\n" + body))


def still_fine(svc, before):
    assert svc.get("/health").status_code == 200
    assert snapshot(svc) == before


# ---- bodies -------------------------------------------------------------------------------

@pytest.mark.parametrize("body,code", [
    ("[" * 100_000 + "]" * 100_000, "too_deep"),
    ('{"a":' * 65 + "1" + "}" * 65, "too_deep"),
    ('{"exchange":' * 5000 + "{}" + "}" * 5000, "too_deep"),
    (b'{"scan_interval_ms": "\xff"}', "invalid_utf8"),
    (b'{"\xc0\xaf": 1}', "invalid_utf8"),
    ('{"scan_interval_ms": "\\ud800"}', "invalid_utf8"),
    ('{"' + "k" * 300 + '": 1}', "too_long"),
    ('{"a": "' + "x" * 70_000 + '"}', "too_long"),
    ("{" + ",".join(f'"k{i}":1' for i in range(2000)) + "}", "too_many_keys"),
], ids=["brackets", "objects", "config_groups", "raw_ff", "overlong_key", "lone_surrogate",
        "long_key", "long_string", "many_keys"])
def test_bad_bodies_are_400_and_change_nothing(quiet, body, code):
    before = snapshot(quiet)
    err = error_of(quiet.post("/api/config", body), 400)
    assert err["code"] == code
    still_fine(quiet, before)


def test_a_deep_websocket_message_gets_an_error_and_the_connection_stays(quiet):
    sock, status, rest = wsraw.connect(quiet.port)
    with sock:
        assert status.startswith("HTTP/1.1 101")
        reader = wsraw.Reader(sock, rest)
        assert reader.json_messages(1)[0]["type"] == "hello"
        sock.sendall(wsraw.frame(0x1, b"[" * 10_000))
        sock.sendall(wsraw.frame(0x1, b'{"op":"ping"}'))
        replies = []
        while len(replies) < 2:  # the channels' own messages may come in between
            replies += [m for m in reader.json_messages(1) if m["type"] in ("error", "pong")]
        assert replies[0]["type"] == "error" and replies[0]["data"]["code"] == "too_deep"
        assert replies[1]["type"] == "pong"


def test_invalid_utf8_in_a_websocket_text_frame_is_closed_1007(quiet):
    sock, status, rest = wsraw.connect(quiet.port)
    with sock:
        reader = wsraw.Reader(sock, rest)
        reader.json_messages(1)
        sock.sendall(wsraw.frame(0x1, b'{"op":"\xff"}'))
        assert reader.until_close() == 1007
    assert quiet.get("/health").status_code == 200


# ---- the request line and headers ----------------------------------------------------------

@pytest.mark.parametrize("line", [
    b"GET /health\xff HTTP/1.1",
    b"GET /api/status\xc0\xaf HTTP/1.1",
    b"GET /api/timeline?type=%FF HTTP/1.1",
    b"GET /api/timeline?type=\xff HTTP/1.1",
    b"GET /api/timeline?%ff=1 HTTP/1.1",
    b"GET /api/backtest/%ED%A0%80 HTTP/1.1",
], ids=["path_raw", "path_overlong", "query_value_pct", "query_value_raw", "query_key_pct",
        "path_pct_surrogate"])
def test_non_utf8_request_lines_are_400_invalid_utf8(quiet, line):
    before = snapshot(quiet)
    assert request(quiet.port, line) == (400, "invalid_utf8")
    still_fine(quiet, before)


def test_a_non_utf8_header_is_400_invalid_utf8(quiet):
    assert request(quiet.port, b"GET /api/status HTTP/1.1",
                   [b"X-Note: caf\xe9"]) == (400, "invalid_utf8")
    assert quiet.get("/health").status_code == 200


def test_too_many_or_too_large_headers_are_431(quiet):
    many = [f"X-H{i}: v".encode() for i in range(150)]
    assert request(quiet.port, b"GET /health HTTP/1.1", many) == (431, "headers_too_large")
    big = [b"X-Big: " + b"a" * 20_000]
    assert request(quiet.port, b"GET /health HTTP/1.1", big) == (431, "headers_too_large")
    line = b"GET /health?" + b"a" * 2_000_000 + b" HTTP/1.1"
    assert request(quiet.port, line)[0] in (413, 431)
    assert quiet.get("/health").status_code == 200


def test_content_length_and_chunked_together_are_refused(quiet):
    before = snapshot(quiet)
    status, code = request(quiet.port, b"POST /api/trading/start HTTP/1.1",
                           [b"Content-Type: application/json", b"Content-Length: 2",
                            b"Transfer-Encoding: chunked"], b"2\r\n{}\r\n0\r\n\r\n")
    assert (status, code) == (400, "bad_request")
    still_fine(quiet, before)


def test_a_chunked_body_over_the_limit_is_413(quiet):
    before = snapshot(quiet)
    chunk = b"x" * 65536
    body = b"".join(b"10000\r\n" + chunk + b"\r\n" for _ in range(20)) + b"0\r\n\r\n"
    status, code = request(quiet.port, b"POST /api/config HTTP/1.1",
                           [b"Content-Type: application/json", b"Transfer-Encoding: chunked"],
                           body)
    assert (status, code) == (413, "payload_too_large")
    still_fine(quiet, before)


def test_a_body_longer_than_announced_is_not_a_second_request(quiet):
    """The bytes past Content-Length are not a request of their own that acts."""
    before = snapshot(quiet)
    answer = raw(quiet.port, b"POST /api/config HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                 b"Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"
                 b"POST /api/trading/start HTTP/1.1\r\nHost: evil.example\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 200")
    still_fine(quiet, before)


# ---- other origins -------------------------------------------------------------------------

def test_a_cross_site_simple_post_is_415_and_acts_on_nothing(quiet):
    """What a form or fetch(..., {mode: "no-cors"}) on any web page can send."""
    quiet.post("/api/trading/start")
    before = snapshot(quiet)
    for ctype in ("text/plain", "application/x-www-form-urlencoded",
                  "multipart/form-data; boundary=x"):
        r = requests.post(quiet.url("/api/trading/stop"), data='{"close_positions":true}',
                          headers={"Content-Type": ctype}, timeout=10)
        assert error_of(r, 415)["code"] == "unsupported_media_type"
    r = requests.post(quiet.url("/api/config"), data='{"scan_interval_ms":100}', timeout=10)
    assert error_of(r, 415)["code"] == "unsupported_media_type"
    still_fine(quiet, before)


@pytest.mark.parametrize("origin", ["http://evil.example", "null", "http://127.0.0.1:1",
                                    "https://localhost"])
def test_a_foreign_origin_is_403_for_rest_and_websocket(quiet, origin):
    before = snapshot(quiet)
    r = requests.post(quiet.url("/api/trading/start"), json={}, headers={"Origin": origin},
                      timeout=10)
    assert error_of(r, 403)["code"] == "forbidden_origin"
    r = requests.get(quiet.url("/api/config"), headers={"Origin": origin}, timeout=10)
    assert error_of(r, 403)["code"] == "forbidden_origin"
    sock, status, rest = wsraw.connect(quiet.port, headers={"Origin": origin})
    sock.close()
    assert status.startswith("HTTP/1.1 403"), status
    still_fine(quiet, before)


def test_the_services_own_origin_may_act(quiet):
    for host in ("127.0.0.1", "localhost"):
        r = requests.post(quiet.url("/api/trading/start"), json={},
                          headers={"Origin": f"http://{host}:{quiet.port}"}, timeout=10)
        assert r.status_code == 200, r.text
    sock, status, _ = wsraw.connect(quiet.port,
                                    headers={"Origin": f"http://localhost:{quiet.port}"})
    sock.close()
    assert status.startswith("HTTP/1.1 101")


def test_a_foreign_host_is_421_dns_rebinding(quiet):
    before = snapshot(quiet)
    r = requests.post(quiet.url("/api/trading/start"), json={},
                      headers={"Host": f"rebound.example:{quiet.port}"}, timeout=10)
    assert error_of(r, 421)["code"] == "misdirected_request"
    r = requests.get(quiet.url("/api/status"), headers={"Host": "rebound.example"}, timeout=10)
    assert error_of(r, 421)["code"] == "misdirected_request"
    sock = socket.create_connection(("127.0.0.1", quiet.port), timeout=10)
    with sock:
        sock.sendall(b"GET /ws HTTP/1.1\r\nHost: rebound.example\r\nUpgrade: websocket\r\n"
                     b"Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                     b"Sec-WebSocket-Version: 13\r\n\r\n")
        assert sock.recv(4096).startswith(b"HTTP/1.1 421")
    still_fine(quiet, before)


def test_allowed_origins_and_hosts_are_start_up_settings(start_service):
    svc = start_service(config={"autostart": False, "scan_interval_ms": 3_600_000,
                                "http": {"allowed_origins": ["http://gateway.example:9000"],
                                         "allowed_hosts": ["gateway.example"]}})
    r = requests.post(svc.url("/api/trading/start"), json={},
                      headers={"Origin": "http://gateway.example:9000",
                               "Host": "gateway.example:9000"}, timeout=10)
    assert r.status_code == 200, r.text
    r = requests.post(svc.url("/api/trading/start"), json={},
                      headers={"Origin": "http://other.example:9000"}, timeout=10)
    assert error_of(r, 403)["code"] == "forbidden_origin"
    err = error_of(svc.post("/api/config", {"http": {"allowed_origins": []}}), 409)
    assert err["code"] == "restart_required"
    err = error_of(svc.post("/api/config", {"http": {"allowed_origins": ["evil"]}}), 422)
    assert err["field"] == "http.allowed_origins[0]"


def test_scripts_without_origin_or_type_still_work(quiet):
    """curl -X POST with no body, no Origin and no Content-Type."""
    r = requests.post(quiet.url("/api/trading/start"), timeout=10)
    assert r.json() == {"trading": True, "changed": True}


# ---- memory per client ---------------------------------------------------------------------
