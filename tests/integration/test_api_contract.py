"""Every endpoint of API.md against the real executable: status codes, fields and their types."""

import re

from conftest import error_of, wait_until

RFC3339_MS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
ACTORS = {"timeline", "broadcaster", "market_feed", "position_manager", "scanner", "storage"}


def is_time(value):
    return isinstance(value, str) and RFC3339_MS.match(value) is not None


def is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def test_health_reports_every_actor_up(service):
    r = service.get("/health")
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"] == "application/json"
    body = r.json()
    assert body["status"] == "ok"
    assert is_number(body["uptime_s"]) and body["uptime_s"] >= 0
    assert isinstance(body["version"], str) and body["version"]
    assert body["actors"] == {name: "up" for name in ACTORS}


def test_status_has_every_field(service):
    wait_until(lambda: service.json("/api/status")["scans"] >= 1, what="a first scan")
    s = service.json("/api/status")
    assert s["trading"] is True  # autostart in paper mode
    assert s["mode"] == "paper"
    assert s["exchange"] == "simulated"
    assert is_time(s["started_at"])
    assert is_time(s["trading_since"])
    assert s["scan_interval_ms"] == 200
    assert is_time(s["last_scan_at"])
    assert isinstance(s["scans"], int) and s["scans"] >= 1
    assert isinstance(s["open_positions"], int)
    for key in ("cash", "equity", "realized_pnl", "unrealized_pnl"):
        assert is_number(s[key]), key
    assert s["restarts"] == {name: 0 for name in ACTORS - {"storage"}}
    assert abs(s["equity"] - (s["starting_cash"] + s["realized_pnl"] + s["unrealized_pnl"])) < 1e-7


def test_trading_start_and_stop_are_idempotent(service):
    r = service.post("/api/trading/stop")
    assert r.status_code == 200
    assert r.json() == {"trading": False, "changed": True}
    assert service.post("/api/trading/stop").json() == {"trading": False, "changed": False}
    s = service.json("/api/status")
    assert s["trading"] is False and s["trading_since"] is None
    assert service.post("/api/trading/start").json() == {"trading": True, "changed": True}
    since = service.json("/api/status")["trading_since"]
    assert is_time(since)
    assert service.post("/api/trading/start").json() == {"trading": True, "changed": False}
    assert service.json("/api/status")["trading_since"] == since  # unchanged by changed:false
    r = service.post("/api/trading/stop", {"close_positions": False})
    assert r.json() == {"trading": False, "changed": True}


def test_positions_default_to_open_and_filter_by_state(service):
    assert service.json("/api/positions") == {"positions": [], "next_before": None}
    for state in ("open", "closed", "all"):
        assert service.json(f"/api/positions?state={state}") == {"positions": [], "next_before": None}
    assert service.json("/api/positions?state=") == {"positions": [], "next_before": None}  # empty counts as absent
    assert service.json("/api/positions?symbol=ADA-BTC") == {"positions": [], "next_before": None}


def test_scan_before_and_after(start_service):
    svc = start_service(config={"scan_interval_ms": 3_600_000, "autostart": False})
    # The first scan runs at start-up; an on-demand one counts too.
    wait_until(lambda: svc.json("/api/status")["scans"] == 1, what="the start-up scan")
    first = svc.json("/api/scan")
    assert is_time(first["at"])
    assert first["scanned"] == 6
    assert isinstance(first["opportunities"], list)
    r = svc.post("/api/scan")
    assert r.status_code == 200
    scan = r.json()
    assert is_time(scan["at"]) and scan["at"] >= first["at"]
    assert scan["scanned"] == 6
    for o in scan["opportunities"]:
        assert set(o) >= {"symbol", "action", "score", "price", "strategy", "reason"}
        assert o["action"] in ("buy", "sell")
    s = svc.json("/api/status")
    assert s["scans"] == 2
    assert s["last_scan_at"] == scan["at"]
    assert svc.json("/api/positions") == {"positions": [], "next_before": None}  # scanning never opens positions


def test_assets_describe_every_symbol(service):
    body = service.json("/api/assets")
    symbols = [a["symbol"] for a in body["assets"]]
    assert symbols == ["ADA-BTC", "DASH-BTC", "ETC-BTC", "XLM-BTC", "XMR-BTC", "ZEC-BTC"]
    for a in body["assets"]:
        assert a["base"] == a["symbol"].split("-")[0]
        assert a["quote"] == "BTC"
        assert 0 < a["bid"] < a["price"] < a["ask"]
        assert is_number(a["change_24h_pct"])
        assert a["volume_24h"] > 0
        assert a["tradable"] is True
    assert is_time(body["market_time"])
    one = service.json("/api/assets?symbol=XLM-BTC")
    assert [a["symbol"] for a in one["assets"]] == ["XLM-BTC"]


def test_config_shows_every_documented_key_and_masks_the_token(start_service):
    svc = start_service(env={"CRYPTO_TRADING_API_TOKEN": "integration-token-1"})
    cfg = svc.json("/api/config")
    for key in ("mode", "port", "bind", "data_dir", "api_token", "autostart", "scan_interval_ms",
                "max_positions", "stake_amount"):
        assert key in cfg, key
    assert cfg["api_token"] == "***"
    assert cfg["scan_interval_ms"] == 5000
    assert isinstance(cfg["exchange"], dict) and isinstance(cfg["strategy"], dict)
    assert isinstance(cfg["risk"], dict)
    assert "integration-token-1" not in svc.get("/api/config").text


def test_config_without_token_reads_null(service):
    assert service.json("/api/config")["api_token"] is None


def test_config_merge_patch_applies_at_once_and_null_resets(service):
    r = service.post("/api/config", {"scan_interval_ms": 1000, "risk": {"stop_loss_pct": 2.5}})
    assert r.status_code == 200, r.text
    cfg = r.json()
    assert cfg["scan_interval_ms"] == 1000
    assert cfg["risk"]["stop_loss_pct"] == 2.5
    assert cfg["risk"]["take_profit_pct"] == 1.5  # nested objects merge
    assert service.json("/api/status")["scan_interval_ms"] == 1000  # applied to the actors
    assert service.json("/api/config") == cfg
    r = service.post("/api/config", {"scan_interval_ms": None, "risk": None})
    assert r.json()["scan_interval_ms"] == 5000
    assert r.json()["risk"]["stop_loss_pct"] == 1.0
    # A start-up-only key set to its running value is a no-op; the masked token reads back.
    cfg = service.json("/api/config")
    r = service.post("/api/config", cfg)
    assert r.status_code == 200, r.text
    assert r.json() == cfg
    events = service.json("/api/timeline?type=config_changed")["events"]
    assert len(events) == 2
    assert "scan_interval_ms" in events[-1]["data"]["changes"]


def test_timeline_pages_newest_first_with_gap_free_seq(service):
    wait_until(lambda: service.json("/api/status")["scans"] >= 12, what="a dozen scans")
    page = service.json("/api/timeline?limit=5")
    seqs = [e["seq"] for e in page["events"]]
    assert seqs == sorted(seqs, reverse=True)
    assert seqs == list(range(seqs[0], seqs[0] - 5, -1))
    for e in page["events"]:
        assert set(e) == {"seq", "at", "type", "source", "data"}
        assert is_time(e["at"]) and isinstance(e["data"], dict)
    assert page["next_before_seq"] == seqs[-1]
    older = service.json(f"/api/timeline?limit=5&before_seq={page['next_before_seq']}")
    assert [e["seq"] for e in older["events"]] == list(range(seqs[-1] - 1, seqs[-1] - 6, -1))
    # Following the log: the events just above after_seq, still newest first.
    follow = service.json("/api/timeline?after_seq=1&limit=3")
    assert [e["seq"] for e in follow["events"]] == [4, 3, 2]
    assert follow["next_before_seq"] is None
    everything = service.json("/api/timeline?limit=1000&after_seq=0")
    all_seqs = sorted(e["seq"] for e in everything["events"])
    assert all_seqs == list(range(1, len(all_seqs) + 1))
    first = service.json("/api/timeline?limit=1&after_seq=0")["events"][0]
    assert first["type"] == "service_started"


def test_timeline_filters_by_exact_type(service):
    # Three scans' events committed (the status counts a scan before its event is in the store).
    wait_until(lambda: len(service.json("/api/timeline?type=scan_completed&limit=3")["events"]) == 3,
               what="three scans on the timeline")
    scans = service.json("/api/timeline?type=scan_completed&limit=2")
    assert [e["type"] for e in scans["events"]] == ["scan_completed", "scan_completed"]
    assert scans["next_before_seq"] == scans["events"][-1]["seq"]
    assert service.json("/api/timeline?type=no_such_type") == {"events": [],
                                                               "next_before_seq": None}
    assert service.json("/api/timeline?type=scan")["events"] == []  # exact match only


def test_unknown_paths_and_wrong_methods(service):
    err = error_of(service.get("/nope"), 404)
    assert err["code"] == "not_found"
    r = service.http.delete(service.url("/api/config"))
    assert error_of(r, 405)["code"] == "method_not_allowed"
    assert r.headers["Allow"] == "GET, POST"
    r = service.get("/api/trading/start")
    error_of(r, 405)
    assert r.headers["Allow"] == "POST"
    r = service.post("/health")
    error_of(r, 405)
    assert r.headers["Allow"] == "GET"
