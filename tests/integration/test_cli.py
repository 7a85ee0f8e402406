"""The command line, the environment and the configuration file, and how they combine."""

import json
import socket

import pytest

from conftest import run_binary


def test_help_lists_every_option_and_exits_0():
    r = run_binary(["--help"])
    assert r.returncode == 0
    for opt in ("--port", "--bind", "--config", "--data-dir", "--log-level", "--help",
                "--version", "CRYPTO_TRADING_PORT", "CRYPTO_TRADING_BIND",
                "CRYPTO_TRADING_API_TOKEN"):
        assert opt in r.stdout, opt


def test_version():
    r = run_binary(["--version"])
    assert r.returncode == 0
    assert r.stdout.startswith("crypto-trading ")


@pytest.mark.parametrize("args,needle", [
    (["--port", "70000"], "--port"),
    (["--port", "abc"], "--port"),
    (["--log-level", "loud"], "--log-level"),
    (["--config", "/no/such/file.json"], "--config"),
    (["--frobnicate"], "frobnicate"),
])
def test_bad_flags_exit_2_naming_the_flag(args, needle):
    r = run_binary(args)
    assert r.returncode == 2
    assert needle in r.stderr


@pytest.mark.parametrize("env,needle", [
    ({"CRYPTO_TRADING_PORT": "abc"}, "CRYPTO_TRADING_PORT"),
    ({"CRYPTO_TRADING_PORT": "99999"}, "port"),
    ({"CRYPTO_TRADING_BIND": "not-an-address"}, "bind"),
    ({"CRYPTO_TRADING_API_TOKEN": "short"}, "api_token"),
])
def test_bad_environment_exits_2_naming_the_key(env, needle):
    r = run_binary([], env=env)
    assert r.returncode == 2
    assert needle in r.stderr
    assert "environment" in r.stderr


@pytest.mark.parametrize("content,needle", [
    ('{"scan_interval_ms": 10}', "scan_interval_ms"),
    ('{"exchange": {"speed": -1}}', "exchange.speed"),
    ('{"nope": 1}', "nope"),
    ('{"scan_interval_ms": ', "not valid JSON"),
    ("[]", "JSON object"),
])
def test_bad_configuration_file_exits_2_naming_the_key(tmp_path, content, needle):
    path = tmp_path / "bad.json"
    path.write_text(content)
    r = run_binary(["--config", str(path)])
    assert r.returncode == 2
    assert needle in r.stderr
    assert str(path) in r.stderr


def test_bad_candle_file_exits_2_naming_file_and_line(tmp_path):
    path = tmp_path / "ADA_BTC-5m.csv"
    path.write_text("timestamp_ms,open,high,low,close,volume\n"
                    "1000,1,2,0.5,1.5,10\n1000,1,2,0.5,1.5,10\n")
    cfg = tmp_path / "c.json"
    cfg.write_text(json.dumps({"exchange": {"candle_files": [str(path)]}}))
    r = run_binary(["--config", str(cfg)])
    assert r.returncode == 2
    assert f"{path}:3: duplicate timestamp" in r.stderr


def test_public_bind_without_token_is_refused_with_status_2():
    r = run_binary(["--bind", "0.0.0.0", "--port", "0"])
    assert r.returncode == 2
    assert "API token" in r.stderr
    r = run_binary(["--port", "0"], env={"CRYPTO_TRADING_BIND": "0.0.0.0"})
    assert r.returncode == 2


def test_taken_port_exits_1_saying_so():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        r = run_binary(["--port", str(port)])
    assert r.returncode == 1
    assert "Address already in use" in r.stderr


def test_flags_beat_environment_beat_file(start_service, tmp_path):
    svc = start_service(config={"scan_interval_ms": 700, "log_level": "warn"},
                        env={"CRYPTO_TRADING_BIND": "127.0.0.1"}, args=["--log-level", "error"])
    cfg = svc.json("/api/config")
    assert cfg["scan_interval_ms"] == 700  # from the file
    assert cfg["log_level"] == "error"  # the flag beats the file
    assert cfg["port"] == 0  # --port 0 from the harness: the configured value, any free port
    assert cfg["data_dir"].endswith("/data")  # --data-dir from the harness


def test_environment_beats_file(start_service):
    svc = start_service(config={"api_token": "file-token-123"},
                        env={"CRYPTO_TRADING_API_TOKEN": "env-token-4567"})
    assert svc.get("/api/status").status_code == 200  # the session sends the env token
    r = svc.http.get(svc.url("/api/status"), headers={"Authorization": "Bearer file-token-123"})
    assert r.status_code == 401
