"""The service behind the users' API gateway: Debian's nginx with deploy/gateway's configuration,
on a free port: REST under /api/crypto/, the stream at /api/crypto/stream, health at
/api/crypto/health."""

import asyncio
import json
import os
import signal
import socket
import subprocess

import pytest
import requests
import websockets

import wsraw
from conftest import error_of, wait_until

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
TOKEN = "gateway-token-123"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gateway:
    def __init__(self, service_port, workdir):
        self.port = free_port()
        env = dict(os.environ, CRYPTO_TRADING_SERVICE_URL=f"http://localhost:{service_port}",
                   GATEWAY_PORT=str(self.port), GATEWAY_DIR=str(workdir / "gateway"))
        self.proc = subprocess.Popen([os.path.join(ROOT, "deploy", "gateway", "run")], env=env,
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE)
        self.base = f"http://127.0.0.1:{self.port}"
        wait_until(self._up, timeout=20, what="the gateway")

    def _up(self):
        if self.proc.poll() is not None:
            raise AssertionError(f"gateway exited: {self.proc.stderr.read().decode()}")
        try:
            return requests.get(self.base + "/api/crypto/health", timeout=2).status_code == 200
        except requests.ConnectionError:
            return False

    def stop(self):
        self.proc.send_signal(signal.SIGQUIT)  # nginx: graceful
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


@pytest.fixture
def behind_gateway(start_service, tmp_path):
    svc = start_service(config={"scan_interval_ms": 200, "stream": {"book_interval_ms": 100}},
                        env={"CRYPTO_TRADING_API_TOKEN": TOKEN})
    gw = Gateway(svc.port, tmp_path)
    yield svc, gw
    gw.stop()


def auth():
    return {"Authorization": f"Bearer {TOKEN}"}


def test_rest_goes_through_under_api_crypto(behind_gateway):
    svc, gw = behind_gateway
    health = requests.get(gw.base + "/api/crypto/health", timeout=10)
    assert health.status_code == 200 and health.json()["status"] == "ok"  # no token needed
    status = requests.get(gw.base + "/api/crypto/status", headers=auth(), timeout=10)
    assert status.status_code == 200 and status.json()["mode"] == "paper"
    r = requests.post(gw.base + "/api/crypto/config", json={"scan_interval_ms": 500},
                      headers=auth(), timeout=10)
    assert r.status_code == 200 and r.json()["scan_interval_ms"] == 500
    assert svc.json("/api/config")["scan_interval_ms"] == 500
    r = requests.get(gw.base + "/api/crypto/timeline?limit=2&type=config_changed",
                     headers=auth(), timeout=10)
    assert len(r.json()["events"]) == 1  # the query string went through
    assert requests.get(gw.base + "/api/crypto/metrics", timeout=10).status_code == 401
    r = requests.get(gw.base + "/api/crypto/metrics", headers=auth(), timeout=10)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    assert 'ct_http_requests_total{route="/api/status",method="GET",code="200"}' in r.text


def test_errors_keep_the_service_s_body_and_headers(behind_gateway):
    svc, gw = behind_gateway
    error_of(requests.get(gw.base + "/api/crypto/status", timeout=10), 401)
    assert error_of(requests.get(gw.base + "/api/crypto/nope", headers=auth(), timeout=10),
                    404)["code"] == "not_found"
    r = requests.delete(gw.base + "/api/crypto/status", headers=auth(), timeout=10)
    error_of(r, 405)
    assert r.headers["Allow"] == "GET"
    err = error_of(requests.post(gw.base + "/api/crypto/config", json={"scan_interval_ms": 1},
                                 headers=auth(), timeout=10), 422)
    assert err["field"] == "scan_interval_ms"
    big = "x" * (1024 * 1024 + 10)
    err = error_of(requests.post(gw.base + "/api/crypto/config", data=big, headers=auth(),
                                 timeout=10), 413)
    assert err["code"] == "payload_too_large"


def test_the_stream_goes_through_with_its_token(behind_gateway):
    svc, gw = behind_gateway
    url = f"ws://127.0.0.1:{gw.port}/api/crypto/stream"

    async def go():
        async with websockets.connect(url + f"?token={TOKEN}") as ws:
            hello = json.loads(await ws.recv())
            assert hello["type"] == "hello"
            await ws.send(json.dumps({"op": "subscribe", "channels": ["orderbook:XLM-BTC"]}))
            last = None
            updates = 0
            while updates < 10:
                m = json.loads(await asyncio.wait_for(ws.recv(), 10))
                if m["type"] != "orderbook:XLM-BTC":
                    continue
                if m["data"]["snapshot"]:
                    last = m["data"]["update_id"]
                    continue
                assert m["data"]["prev_update_id"] == last
                last = m["data"]["update_id"]
                updates += 1
            await ws.send(json.dumps({"op": "ping"}))
            while json.loads(await asyncio.wait_for(ws.recv(), 10))["type"] != "pong":
                pass
        async with websockets.connect(url, extra_headers=auth()) as ws:
            assert json.loads(await ws.recv())["type"] == "hello"
    asyncio.run(asyncio.wait_for(go(), 60))
    sock, status, rest = wsraw.connect(gw.port, path="/api/crypto/stream")
    with sock:
        assert status.startswith("HTTP/1.1 401")
    sock, status, rest = wsraw.connect(gw.port, path=f"/api/crypto/stream?token={TOKEN}")
    with sock:
        assert status.startswith("HTTP/1.1 101")
        sock.sendall(wsraw.frame(0x2, b"\x01"))
        assert wsraw.Reader(sock, rest).until_close() == 1003  # close codes pass through


def test_deploy_run_gateway_starts_both_and_ctrl_c_stops_both(tmp_path):
    service_port, gateway_port = free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CRYPTO_TRADING_")}
    env.update(GATEWAY_PORT=str(gateway_port), GATEWAY_DIR=str(tmp_path / "gw"))
    proc = subprocess.Popen([os.path.join(ROOT, "deploy", "run"), "--gateway", "--port",
                             str(service_port), "--data-dir", str(tmp_path / "data")],
                            env=env, cwd=tmp_path, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        def up():
            try:
                return requests.get(f"http://127.0.0.1:{gateway_port}/api/crypto/health",
                                    timeout=2).status_code == 200
            except requests.ConnectionError:
                return False
        wait_until(up, timeout=300, what="the service and the gateway")  # may build first
        # A page served through the gateway may act; a page anywhere else may not.
        api = f"http://127.0.0.1:{gateway_port}/api/crypto/trading/start"
        for origin in (f"http://127.0.0.1:{gateway_port}", f"http://localhost:{gateway_port}"):
            r = requests.post(api, json={}, headers={"Origin": origin}, timeout=10)
            assert r.status_code == 200, r.text
        r = requests.post(api, json={}, headers={"Origin": "http://evil.example"}, timeout=10)
        assert error_of(r, 403)["code"] == "forbidden_origin"
        os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C reaches the whole foreground group
        assert proc.wait(timeout=30) == 0
        for port in (service_port, gateway_port):
            with pytest.raises(requests.ConnectionError):
                requests.get(f"http://127.0.0.1:{port}/health", timeout=2)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)


def test_deploy_run_gateway_passes_the_services_exit_status_through(tmp_path):
    # A data directory that is a file: the service refuses to start with exit status 3 (bad
    # storage), and deploy/run says so instead of 0.
    not_a_dir = tmp_path / "not-a-dir"
    not_a_dir.write_text("x")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CRYPTO_TRADING_")}
    env.update(GATEWAY_PORT=str(free_port()), GATEWAY_DIR=str(tmp_path / "gw"))
    proc = subprocess.run([os.path.join(ROOT, "deploy", "run"), "--gateway", "--port",
                           str(free_port()), "--data-dir", str(not_a_dir)],
                          env=env, cwd=tmp_path, stdin=subprocess.DEVNULL,
                          capture_output=True, timeout=300, start_new_session=True)
    assert proc.returncode == 3, proc.stderr.decode()[-2000:]
