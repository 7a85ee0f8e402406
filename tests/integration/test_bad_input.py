"""Bad input gets a clear error and changes nothing: each kind, with the error body and the state
checked before and after."""

import socket

import pytest

from conftest import error_of


def snapshot(svc):
    """What a rejected request must not change."""
    status = svc.json("/api/status")
    return {"config": svc.json("/api/config"), "trading": status["trading"],
            "positions": svc.json("/api/positions?state=all")}


@pytest.mark.parametrize("body", ["{bad json", "[1, 2]", '"text"', "42", "null", ""])
def test_config_body_must_be_a_json_object(quiet, body):
    before = snapshot(quiet)
    err = error_of(quiet.post("/api/config", body,
                              headers={"Content-Type": "application/json"}), 400)
    assert err["code"] == "invalid_json"
    assert snapshot(quiet) == before


@pytest.mark.parametrize("patch,field", [
    ({"scan_interval_ms": 49}, "scan_interval_ms"),
    ({"scan_interval_ms": 3_600_001}, "scan_interval_ms"),
    ({"scan_interval_ms": 100.5}, "scan_interval_ms"),
    ({"scan_interval_ms": "100"}, "scan_interval_ms"),
    ({"max_positions": -1}, "max_positions"),
    ({"stake_amount": 0}, "stake_amount"),
    ({"autostart": "yes"}, "autostart"),
    ({"mode": "yolo"}, "mode"),
    ({"exchange": {"failure_rate": 2}}, "exchange.failure_rate"),
    ({"exchange": {"latency_ms": -5}}, "exchange.latency_ms"),
    ({"exchange": "fast"}, "exchange"),
    ({"strategy": {"momentum_lookback": 1}}, "strategy.momentum_lookback"),
    ({"strategy": {"symbols": ["ADA-BTC", 5]}}, "strategy.symbols[1]"),
    ({"risk": {"stop_loss_pct": 100}}, "risk.stop_loss_pct"),
])
def test_invalid_values_are_422_naming_the_field(quiet, patch, field):
    before = snapshot(quiet)
    err = error_of(quiet.post("/api/config", patch), 422)
    assert err["code"] == "invalid_value"
    assert err["field"] == field
    assert field.split("[")[0].split(".")[-1] in err["message"]
    assert snapshot(quiet) == before


@pytest.mark.parametrize("patch,field", [
    ({"nope": 1}, "nope"),
    ({"nope": None}, "nope"),
    ({"exchange": {"typo": 1}}, "exchange.typo"),
    ({"scan_interval_ms": 100, "extra": True}, "extra"),
])
def test_unknown_keys_are_422(quiet, patch, field):
    before = snapshot(quiet)
    err = error_of(quiet.post("/api/config", patch), 422)
    assert err["code"] == "unknown_key"
    assert err["field"] == field
    assert snapshot(quiet) == before


def test_unknown_symbols_are_422(quiet):
    before = snapshot(quiet)
    err = error_of(quiet.post("/api/config", {"strategy": {"symbols": ["BTC-USD"]}}), 422)
    assert err == {"code": "unknown_symbol", "field": "strategy.symbols[0]",
                   "message": err["message"]}
    err = error_of(quiet.get("/api/positions?symbol=BTC-USD"), 422)
    assert (err["code"], err["field"]) == ("unknown_symbol", "symbol")
    err = error_of(quiet.get("/api/assets?symbol=NOPE-BTC"), 422)
    assert (err["code"], err["field"]) == ("unknown_symbol", "symbol")
    assert snapshot(quiet) == before


@pytest.mark.parametrize("patch,field", [
    ({"port": 1}, "port"),
    ({"bind": "127.0.0.2"}, "bind"),
    ({"data_dir": "/tmp/elsewhere"}, "data_dir"),
    ({"api_token": "a-brand-new-token"}, "api_token"),
    ({"port": None}, "port"),  # null resets to 9012, not the running port
])
def test_start_up_only_keys_are_409_restart_required(quiet, patch, field):
    before = snapshot(quiet)
    err = error_of(quiet.post("/api/config", patch), 409)
    assert (err["code"], err["field"]) == ("restart_required", field)
    assert snapshot(quiet) == before


def test_invalid_beats_restart_required(quiet):
    err = error_of(quiet.post("/api/config", {"port": 1, "scan_interval_ms": 1}), 422)
    assert err["field"] == "scan_interval_ms"


@pytest.mark.parametrize("query,field", [
    ("limit=abc", "limit"), ("limit=0", "limit"), ("limit=1001", "limit"), ("limit=-1", "limit"),
    ("before_seq=x", "before_seq"), ("after_seq=1.5", "after_seq"), ("lmit=5", "lmit"),
])
def test_bad_timeline_parameters_are_422(quiet, query, field):
    err = error_of(quiet.get(f"/api/timeline?{query}"), 422)
    assert err["field"] == field


def test_bad_positions_state_is_422(quiet):
    err = error_of(quiet.get("/api/positions?state=pending"), 422)
    assert (err["code"], err["field"]) == ("invalid_value", "state")


@pytest.mark.parametrize("body,status,code", [
    ("{not json", 400, "invalid_json"),
    ("[]", 400, "invalid_json"),
    ('{"close_positions": "yes"}', 422, "invalid_value"),
    ('{"close_positions": 1}', 422, "invalid_value"),
    ('{"close": true}', 422, "unknown_key"),
])
def test_bad_stop_bodies_change_nothing(start_service, body, status, code):
    svc = start_service(config={"scan_interval_ms": 3_600_000})
    assert svc.json("/api/status")["trading"] is True
    err = error_of(svc.post("/api/trading/stop", body), status)
    assert err["code"] == code
    assert svc.json("/api/status")["trading"] is True


def test_start_and_scan_take_no_keys(quiet):
    error_of(quiet.post("/api/trading/start", '{"now": true}'), 422)
    assert quiet.json("/api/status")["trading"] is False
    scans = quiet.json("/api/status")["scans"]
    error_of(quiet.post("/api/scan", "{bad"), 400)
    assert quiet.json("/api/status")["scans"] == scans


def test_oversized_bodies_are_413_and_change_nothing(quiet):
    before = snapshot(quiet)
    big = '{"scan_interval_ms": 100, "pad": "' + "x" * (1024 * 1024) + '"}'
    err = error_of(quiet.post("/api/config", big, headers={"Expect": ""}), 413)
    assert err["code"] == "payload_too_large"
    huge = "x" * (3 * 1024 * 1024)
    err = error_of(quiet.post("/api/config", huge, headers={"Expect": ""}), 413)
    assert err["code"] == "payload_too_large"
    assert snapshot(quiet) == before


def test_oversized_announcement_is_refused_before_the_body(quiet):
    """A client announcing a 100 MiB body gets its 413 without sending it."""
    with socket.create_connection(("127.0.0.1", quiet.port), timeout=10) as s:
        s.sendall(b"POST /api/config HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                  b"Content-Length: 104857600\r\n\r\n{")
        answer = b""
        while b"\r\n\r\n" not in answer or not answer.rstrip().endswith(b"}"):
            chunk = s.recv(4096)
            if not chunk:
                break
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 413"), answer
    assert b'"payload_too_large"' in answer
    assert quiet.get("/health").status_code == 200


def test_malformed_requests_get_400_and_the_server_stays_up(quiet):
    with socket.create_connection(("127.0.0.1", quiet.port), timeout=10) as s:
        s.sendall(b"BREW /coffee HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        answer = s.recv(4096)
    assert answer.startswith(b"HTTP/1.1 400"), answer
    assert quiet.get("/health").status_code == 200
