"""GET /metrics: Prometheus text (0.0.4) that Prometheus's own Python parser reads, with every
source's families, figures that agree with the API, labels that stay bounded whatever paths
clients send, the token when one is set, and an answer even while an actor is stuck."""

import time

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

import wsraw
from conftest import error_of, wait_until

QUIET = {"scan_interval_ms": 3_600_000}
FAULTS = {"scan_interval_ms": 200, "debug": {"fault_injection": True},
          "http": {"request_timeout_ms": 500}}


def scrape(svc, **kw):
    r = svc.get("/metrics", **kw)
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
    return parse(r.text)


def parse(text):
    """Families by name, each {labels tuple: value}, checked as Prometheus would read them."""
    families, seen = {}, set()
    declared = {line.split()[2]: line.split()[3] for line in text.splitlines()
                if line.startswith("# TYPE ")}
    for family in text_string_to_metric_families(text):
        assert family.name not in families, f"{family.name} in two places"
        assert family.type == declared.get(family.name, declared.get(family.name + "_total")), \
            family.name
        samples = {}
        for s in family.samples:
            key = (s.name, tuple(sorted(s.labels.items())))
            assert key not in seen, f"duplicate series {key}"
            seen.add(key)
            samples[key] = s.value
        if family.type == "histogram":
            check_histogram(family.name, samples)
        families[family.name] = samples
    return families


def check_histogram(name, samples):
    """Buckets cumulative, ending at +Inf with the count."""
    series = {}
    for (sample, labels), value in samples.items():
        rest = tuple(kv for kv in labels if kv[0] != "le")
        entry = series.setdefault(rest, {"buckets": []})
        if sample == name + "_bucket":
            le = dict(labels)["le"]
            entry["buckets"].append((float(le), value))
        else:
            entry[sample[len(name) + 1:]] = value
    for rest, entry in series.items():
        buckets = sorted(entry["buckets"])
        assert buckets and buckets[-1][0] == float("inf"), (name, rest)
        counts = [v for _, v in buckets]
        assert counts == sorted(counts), (name, rest, counts)
        assert buckets[-1][1] == entry["count"], (name, rest)
        assert entry["sum"] >= 0


def value(families, family, sample=None, **labels):
    samples = families[family]
    want = tuple(sorted(labels.items()))
    return samples[(sample or family, want)]


def test_every_source_is_there_and_agrees_with_the_api(start_service):
    svc = start_service(config={"scan_interval_ms": 50, "exchange": {"speed": 3000},
                                "strategy": {"momentum_lookback": 3,
                                             "momentum_threshold_pct": 0.15}})
    wait_until(lambda: svc.json("/api/status")["open_positions"] >= 1, timeout=60,
               what="an open position")
    svc.post("/api/trading/stop")
    svc.post("/api/config", QUIET)
    status = svc.json("/api/status")
    m = scrape(svc)
    for source in ("supervisor", "position_manager", "scanner", "broadcaster", "storage"):
        assert value(m, "ct_metrics_source_up", source=source) == 1
    assert value(m, "ct_trading") == 0
    currency = status["quote_currency"]
    for key in ("equity", "cash", "realized_pnl", "unrealized_pnl"):
        assert value(m, "ct_" + key, currency=currency) == pytest.approx(status[key], abs=1e-8)
    assert value(m, "ct_open_positions") == status["open_positions"]
    assert value(m, "ct_closed_positions", "ct_closed_positions_total") == \
        status["closed_positions"]
    bought = value(m, "ct_orders_filled", "ct_orders_filled_total", side="buy")
    assert bought == status["open_positions"] + status["closed_positions"]
    scans = sum(v for (name, _), v in m["ct_scans"].items())
    assert scans >= 1
    assert value(m, "ct_scan_duration_seconds", "ct_scan_duration_seconds_count") >= 1
    assert value(m, "ct_store_commit_seconds", "ct_store_commit_seconds_count") >= 1
    assert value(m, "ct_store_up") == 1
    for actor in ("scanner", "position_manager", "market_feed", "timeline", "broadcaster"):
        assert value(m, "ct_actor_state", actor=actor, state="up") == 1
        assert value(m, "ct_actor_restarts", "ct_actor_restarts_total", actor=actor) == 0
    assert value(m, "ct_build_info", version=svc.json("/health")["version"]) == 1


def test_requests_are_counted_by_route_never_by_raw_path(start_service):
    svc = start_service(config=QUIET)
    for i in range(30):
        assert svc.get(f"/api/no-such-{i}").status_code == 404
        assert svc.post(f"/api/positions/{1000 + i}/close").status_code == 404
    assert svc.get("/api/status").status_code == 200
    assert svc.get("/api/positions/1/close").status_code == 405
    text = svc.get("/metrics").text
    assert "no-such" not in text and "/api/positions/1000" not in text
    m = parse(text)
    def requests_(route, method, code):
        return value(m, "ct_http_requests", "ct_http_requests_total", route=route,
                     method=method, code=code)
    assert requests_("other", "GET", "404") == 30
    assert requests_("/api/positions/{id}/close", "POST", "404") == 30
    assert requests_("/api/positions/{id}/close", "GET", "405") == 1
    assert requests_("/api/status", "GET", "200") == 1
    assert value(m, "ct_http_request_duration_seconds", "ct_http_request_duration_seconds_count",
                 route="/api/positions/{id}/close") == 31
    routes = {dict(labels)["route"] for (_, labels) in m["ct_http_requests"]}
    assert routes <= {"other", "/api/positions/{id}/close", "/api/status", "/metrics"}


def test_websocket_clients_show(start_service):
    svc = start_service(config=QUIET)
    sock, status, _ = wsraw.connect(svc.port)
    try:
        assert " 101 " in status
        wait_until(lambda: value(scrape(svc), "ct_ws_subscribers") == 1,
                   what="the client greeted")
        m = scrape(svc)
        assert value(m, "ct_ws_clients") == 1
        assert value(m, "ct_ws_messages", "ct_ws_messages_total") >= 1  # its hello
    finally:
        sock.close()
    wait_until(lambda: value(scrape(svc), "ct_ws_clients") == 0, what="the client gone")


def test_a_restarted_actor_is_counted(start_service):
    svc = start_service(config=FAULTS)
    svc.faults_expected = {"scanner"}
    assert svc.post("/api/debug/crash", {"actor": "scanner"}).status_code == 202
    wait_until(lambda: value(scrape(svc), "ct_actor_restarts", "ct_actor_restarts_total",
                             actor="scanner") == 1, what="the restart counted")
    wait_until(lambda: value(scrape(svc), "ct_actor_state", actor="scanner", state="up") == 1,
               what="the scanner up again")


def test_a_stuck_actor_leaves_out_only_its_own_metrics(start_service):
    svc = start_service(config=FAULTS)
    r = svc.post("/api/debug/hang", {"ms": 3000, "actor": "supervisor"})
    assert r.status_code == 202
    started = time.monotonic()
    m = scrape(svc)
    assert time.monotonic() - started < 2.5, "the scrape waited for the stuck supervisor"
    assert value(m, "ct_metrics_source_up", source="supervisor") == 0
    assert "ct_actor_state" not in m
    assert "ct_http_requests" in m  # the HTTP layer's own figures never wait
    wait_until(lambda: value(scrape(svc), "ct_metrics_source_up", source="supervisor") == 1,
               timeout=30, what="the supervisor back")


def test_metrics_need_the_token_when_one_is_set(start_service):
    token = "metrics-token-7"
    svc = start_service(env={"CRYPTO_TRADING_API_TOKEN": token}, config=QUIET)
    err = error_of(requests.get(svc.url("/metrics"), timeout=10), 401)
    assert err["code"] == "unauthorized"
    m = scrape(svc, headers={"Authorization": f"Bearer {token}"})
    assert value(m, "ct_metrics_source_up", source="storage") == 1
    assert error_of(requests.post(svc.url("/metrics"), timeout=10,
                                  headers={"Authorization": f"Bearer {token}"}), 405)
