"""GET /api/openapi.json: an OpenAPI 3.1 description of the whole REST API, and every route's real
answers, errors included, validated against it with jsonschema's Draft 2020-12 validator (the
dialect of OpenAPI 3.1's schemas; Debian's python3-jsonschema)."""

import re

import pytest
import requests
from jsonschema import Draft202012Validator, RefResolver

import wsraw
from conftest import wait_until

TOKEN = "openapi-token-1"
FAULTS = {"scan_interval_ms": 100, "exchange": {"speed": 3000},
          "strategy": {"momentum_lookback": 3, "momentum_threshold_pct": 0.15},
          "debug": {"fault_injection": True}}
# Every route of http/router.cpp: the document must describe each (and nothing else).
ROUTES = {
    ("get", "/health"), ("get", "/api/health"), ("get", "/metrics"), ("get", "/api/status"),
    ("get", "/api/config"), ("post", "/api/config"), ("post", "/api/trading/start"),
    ("post", "/api/trading/stop"), ("get", "/api/positions"),
    ("post", "/api/positions/{id}/close"), ("get", "/api/timeline"), ("get", "/api/scan"),
    ("post", "/api/scan"), ("get", "/api/assets"), ("get", "/api/candles"),
    ("get", "/api/equity"), ("post", "/api/backtest"), ("get", "/api/backtest/{id}"),
    ("get", "/api/backtest/{id}/candles"), ("post", "/api/optimize"),
    ("get", "/api/optimize/{id}"), ("post", "/api/stream/ticket"),
    ("get", "/api/openapi.json"), ("get", "/ws"), ("get", "/config.json"), ("get", "/"),
    ("post", "/api/debug/crash"), ("post", "/api/debug/hang"),
}


class Contract:
    def __init__(self, doc):
        self.doc = doc
        self.resolver = RefResolver("", doc)
        self.checked = set()

    def resolve(self, node):
        while "$ref" in node:
            node = self.resolver.resolve(node["$ref"])[1]
        return node

    def operation(self, method, url_path):
        for template, ops in self.doc["paths"].items():
            pattern = "^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$"
            if re.match(pattern, url_path) and method in ops:
                return template, ops[method]
        return None, None

    def check(self, r):
        """Validates a requests response against the operation and status it answers; a path
        or method the document does not have must be a 404 or 405 with the error body."""
        method = r.request.method.lower()
        path = re.sub(r"^https?://[^/]+", "", r.request.url).split("?")[0]
        template, op = self.operation(method, path)
        if op is None:
            assert r.status_code in (404, 405), f"{method.upper()} {path} is not described"
            error = {"$ref": "#/components/schemas/Error"}
            Draft202012Validator(error, resolver=self.resolver).validate(r.json())
            self.checked.add((method, path, str(r.status_code)))
            return
        status = str(r.status_code)
        assert status in op["responses"], f"{method.upper()} {template}: {status} not described"
        response = self.resolve(op["responses"][status])
        self.checked.add((method, template, status))
        content = response.get("content")
        if not content:
            return
        media = r.headers["Content-Type"].split(";")[0]
        assert media in content, f"{template} {status}: {media} not described"
        schema = content[media].get("schema")
        if media == "application/json":
            Draft202012Validator(schema, resolver=self.resolver).validate(r.json())


@pytest.fixture
def svc(start_service):
    return start_service(config=FAULTS, env={"CRYPTO_TRADING_API_TOKEN": TOKEN})


@pytest.fixture
def contract(svc):
    r = svc.get("/api/openapi.json")
    assert r.status_code == 200
    return Contract(r.json())


def test_the_document_is_openapi_3_1_and_describes_every_route(contract):
    doc = contract.doc
    assert doc["openapi"] == "3.1.0"
    described = {(m, p) for p, ops in doc["paths"].items() for m in ops if m != "parameters"}
    assert described == ROUTES
    for name, schema in doc["components"]["schemas"].items():
        Draft202012Validator.check_schema(schema)
    for p, ops in doc["paths"].items():
        for m, op in ops.items():
            if m == "parameters":
                continue
            assert op["responses"], (m, p)
            for status, response in op["responses"].items():
                contract.resolve(response)  # every $ref resolves
                assert re.fullmatch(r"[1-5]\d\d", status), (m, p, status)


def test_every_route_s_answers_match_the_document(svc, contract):
    s = requests.Session()
    s.headers["Authorization"] = f"Bearer {TOKEN}"
    base = svc.base
    def call(method, path, **kw):
        r = s.request(method, base + path, timeout=15, **kw)
        contract.check(r)
        return r
    # Successes.
    for path in ("/health", "/api/health", "/metrics", "/api/status", "/api/config",
                 "/api/positions?state=all", "/api/timeline?limit=5", "/api/scan", "/api/assets",
                 "/api/candles?symbol=ADA-BTC&limit=20", "/api/equity?limit=3", "/api/openapi.json", "/config.json", "/"):
        assert call("GET", path).status_code == 200, path
    assert call("POST", "/api/scan").status_code == 200
    assert call("POST", "/api/config", json={"scan_interval_ms": 100}).status_code == 200
    assert call("POST", "/api/trading/stop").status_code == 200
    assert call("POST", "/api/trading/start").status_code == 200
    assert call("POST", "/api/stream/ticket").status_code == 200
    accepted = call("POST", "/api/backtest", json={"strategy": "momentum"})
    assert accepted.status_code == 202
    bt = accepted.json()["id"]
    wait_until(lambda: call("GET", f"/api/backtest/{bt}").json()["status"] != "running",
               timeout=60, what="the backtest's end")
    assert call("GET", f"/api/backtest/{bt}/candles?symbol=ADA-BTC&limit=5").status_code == 200
    assert call("GET", f"/api/backtest/{bt}/candles").status_code == 422
    accepted = call("POST", "/api/optimize", json={"space": {
        "strategy.momentum_lookback": "5..8", "risk.stop_loss_pct": [1, 2]}, "folds": 2})
    assert accepted.status_code == 202
    opt = accepted.json()["id"]
    wait_until(lambda: call("GET", f"/api/optimize/{opt}").json()["status"] != "running",
               timeout=60, what="the search's end")
    assert call("GET", f"/api/optimize/{opt}").json()["report"]["top"]
    assert call("POST", "/api/optimize", json={"space": {}}).status_code == 422
    assert call("GET", "/api/optimize/nope").status_code == 404
    wait_until(lambda: call("GET", "/api/positions").json()["positions"], timeout=60,
               what="an open position")
    call("POST", "/api/config", json={"scan_interval_ms": 3_600_000})  # it stays open
    pid = call("GET", "/api/positions").json()["positions"][0]["id"]
    assert call("POST", f"/api/positions/{pid}/close").status_code == 200
    assert call("POST", "/api/debug/hang", json={"ms": 1}).status_code == 202
    # Errors.
    assert call("POST", f"/api/positions/{pid}/close").status_code == 409
    assert call("POST", "/api/positions/999999/close").status_code == 404
    assert call("GET", "/api/backtest/nope").status_code == 404
    assert call("GET", "/api/nope").status_code == 404
    assert call("DELETE", "/api/status").status_code == 405
    assert call("GET", "/api/positions?state=maybe").status_code == 422
    assert call("GET", "/api/candles").status_code == 422
    assert call("GET", "/api/equity?from=soon").status_code == 422
    assert call("POST", "/api/config", json={"nope": 1}).status_code == 422
    assert call("POST", "/api/config", data="{bad", headers={
        "Content-Type": "application/json"}).status_code == 400
    assert call("POST", "/api/config", data="{}", headers={
        "Content-Type": "text/plain"}).status_code == 415
    assert call("POST", "/api/backtest", json={"data": ["/etc/ADA_BTC-5m.csv"]}).status_code in (
        403, 422)
    assert call("GET", "/api/status", headers={"Origin": "http://evil.example"}).status_code == 403
    assert call("GET", "/api/status", headers={"Host": "evil.example"}).status_code == 421
    assert call("GET", "/ws").status_code == 426
    r = requests.get(base + "/api/status", timeout=10)
    contract.check(r)
    assert r.status_code == 401
    sock, status, _ = wsraw.connect(svc.port, path="/ws?ticket=" + call(
        "POST", "/api/stream/ticket").json()["ticket"])
    sock.close()
    assert " 101 " in status
    statuses = {s for (_, _, s) in contract.checked}
    assert {"200", "202", "400", "401", "403", "404", "405", "409", "415", "421", "422",
            "426"} <= statuses
