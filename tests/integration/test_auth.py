"""The API token: every /api path needs it, checked before anything else; /health stays open."""

import pytest
import requests

from conftest import error_of

TOKEN = "integration-token-42"


@pytest.fixture
def secured(start_service):
    return start_service(env={"CRYPTO_TRADING_API_TOKEN": TOKEN},
                         config={"scan_interval_ms": 3_600_000})


@pytest.mark.parametrize("method,path", [
    ("GET", "/api/status"), ("GET", "/api/positions"), ("GET", "/api/timeline"),
    ("GET", "/api/config"), ("POST", "/api/config"), ("POST", "/api/trading/start"),
    ("POST", "/api/trading/stop"), ("GET", "/api/scan"), ("POST", "/api/scan"),
    ("GET", "/api/assets"), ("GET", "/api"), ("GET", "/api/nope"), ("DELETE", "/api/status"),
    ("POST", "/api/positions/1/close"), ("GET", "/api/backtest/1"), ("POST", "/api/backtest"),
])
def test_every_api_path_needs_the_token(secured, method, path):
    r = requests.request(method, secured.url(path), timeout=10)
    err = error_of(r, 401)
    assert err["code"] == "unauthorized"
    assert r.headers["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize("header", [
    f"Bearer {TOKEN}x", f"Bearer {TOKEN[:-1]}", "Bearer", f"Basic {TOKEN}", TOKEN, "",
])
def test_wrong_tokens_are_401(secured, header):
    r = requests.get(secured.url("/api/status"), headers={"Authorization": header}, timeout=10)
    error_of(r, 401)


@pytest.mark.parametrize("scheme", ["Bearer", "bearer", "BEARER"])
def test_scheme_is_case_insensitive(secured, scheme):
    r = requests.get(secured.url("/api/status"), headers={"Authorization": f"{scheme} {TOKEN}"},
                     timeout=10)
    assert r.status_code == 200


def test_health_stays_open(secured):
    assert requests.get(secured.url("/health"), timeout=10).status_code == 200


def test_rejected_requests_change_nothing(secured):
    assert secured.json("/api/status")["trading"] is True
    error_of(requests.post(secured.url("/api/trading/stop"), timeout=10), 401)
    error_of(requests.post(secured.url("/api/config"), json={"scan_interval_ms": 100},
                           timeout=10), 401)
    assert secured.json("/api/status")["trading"] is True
    assert secured.json("/api/config")["scan_interval_ms"] == 3_600_000


def test_oversized_body_may_be_413_before_401(secured):
    r = requests.post(secured.url("/api/config"), data="x" * (2 * 1024 * 1024),
                      headers={"Expect": ""}, timeout=10)
    assert error_of(r, 413)["code"] == "payload_too_large"
