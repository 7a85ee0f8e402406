"""`crypto-trading worker` and `optimize --workers`: two worker processes on loopback give the
report of a single process, also when one is killed mid-run; the candle files travel once per
worker; a wrong token is refused before any work; beyond loopback a worker needs a token and TLS,
and over TLS (a test CA) the report is the same again."""

import json
import os
import signal
import subprocess

import pytest

from certs import make_ca_and_server_cert
from conftest import BINARY, run_binary, wait_until
from test_optimize import CROSSOVER, RUN_FACTS, TWO, interrupt_after_progress, loop_file

TOKEN = "worker-token-1"


class Worker:
    def __init__(self, tmp_path, name, *args, env=None):
        self.err_path = tmp_path / f"{name}.stderr"
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("CRYPTO_TRADING_")}
        full_env.update(env or {})
        self.proc = subprocess.Popen(
            [BINARY, "worker", "--listen", "127.0.0.1:0", "--jobs", "1", *args],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=open(self.err_path, "w"),
            text=True, env=full_env, cwd=tmp_path)
        line = self.proc.stdout.readline()
        assert line.startswith("worker listening on "), (line, self.log())
        self.address = line.split()[3]

    def log(self):
        return self.err_path.read_text() if self.err_path.exists() else ""

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout=20)


@pytest.fixture
def workers(tmp_path):
    started = []

    def start(name, *args, **kw):
        w = Worker(tmp_path, name, *args, **kw)
        started.append(w)
        return w
    yield start
    for w in started:
        w.stop()
        assert "ERROR" not in w.log().upper().replace("MIRROR", ""), w.log()


def optimize(tmp_path, name, *args, data=TWO, timeout=300):
    report = tmp_path / f"{name}.json"
    cmd = ["optimize"]
    for f in data:
        cmd += ["--data", str(f)]
    r = run_binary(cmd + list(args) + ["--report", str(report)], timeout=timeout)
    return r, report


def result_of(report):
    with open(report) as f:
        return {k: v for k, v in json.load(f).items() if k not in RUN_FACTS}


def test_two_workers_give_the_report_of_one_process(tmp_path, workers):
    a = workers("a", "--token", TOKEN)
    b = workers("b", env={"CRYPTO_TRADING_WORKER_TOKEN": TOKEN})
    r, spread = optimize(tmp_path, "spread", *CROSSOVER, "--jobs", "0",
                         "--workers", f"{a.address},{b.address}", "--worker-token", TOKEN)
    assert r.returncode == 0, r.stderr
    r1, alone = optimize(tmp_path, "alone", *CROSSOVER, "--jobs", "1")
    assert r1.returncode == 0, r1.stderr
    assert result_of(spread) == result_of(alone)
    for w in (a, b):
        log = w.log()
        assert "Session 1 opened" in log and "First batch done" in log, log
        # Each candle file once per worker, whatever the number of trials.
        assert log.count("Candle file kept") == 2, log


def test_a_worker_killed_mid_run_has_its_trials_run_elsewhere(tmp_path, workers):
    looped = tmp_path / "looped"
    looped.mkdir()
    data = [loop_file(f, 20, str(looped)) for f in TWO]
    space = ["--space", "strategy.momentum_lookback=2..41",
             "--space", "strategy.momentum_threshold_pct=0.1..2.5:0.1", "--min-trades", "0"]
    a = workers("a")
    b = workers("b")
    report = tmp_path / "spread.json"
    cmd = [BINARY, "optimize", *space, "--jobs", "0", "--workers", f"{a.address},{b.address}",
           "--report", str(report)]
    for f in data:
        cmd += ["--data", f]
    coordinator = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True, cwd=tmp_path)
    try:
        wait_until(lambda: "First batch done" in a.log(), timeout=120,
                   what="worker a's first batch")
        a.proc.kill()  # kill -9, mid-run
        out, err = coordinator.communicate(timeout=600)
    finally:
        if coordinator.poll() is None:
            coordinator.kill()
    assert coordinator.returncode == 0, err
    assert f"worker {a.address} went away" in err, err
    assert "trials=1000 " in out, out
    r, alone = optimize(tmp_path, "alone", *space, "--jobs", "2", data=data)
    assert r.returncode == 0, r.stderr
    assert result_of(report) == result_of(alone)


def test_a_wrong_token_is_refused_before_any_work(tmp_path, workers):
    w = workers("w", "--token", TOKEN)
    r, report = optimize(tmp_path, "wrong", *CROSSOVER, "--jobs", "0", "--workers", w.address,
                         "--worker-token", "not-the-token")
    assert r.returncode == 2
    assert f"worker {w.address}" in r.stderr and "refused the token" in r.stderr, r.stderr
    assert not report.exists()
    assert "Refused a coordinator" in w.log()
    assert "Session" not in w.log() and "Candle file" not in w.log()
    r, _ = optimize(tmp_path, "none", *CROSSOVER, "--jobs", "0", "--workers", w.address)
    assert r.returncode == 2 and "refused the token" in r.stderr, r.stderr


def test_garbage_on_a_worker_s_port_harms_nothing(tmp_path, workers):
    import socket
    w = workers("w", "--token", TOKEN)
    host, port = w.address.rsplit(":", 1)
    for junk in (b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", os.urandom(4096), b"\xff" * 100_000):
        with socket.create_connection((host, int(port)), timeout=5) as s:
            try:
                s.sendall(junk)
            except OSError:
                pass  # the worker may close first
    assert w.proc.poll() is None, w.log()
    assert "Session" not in w.log()
    r, spread = optimize(tmp_path, "after", *CROSSOVER, "--jobs", "0", "--workers", w.address,
                         "--worker-token", TOKEN)
    assert r.returncode == 0, r.stderr


@pytest.mark.parametrize("args,needle", [
    (["--listen", "0.0.0.0:0"], "without a token and TLS"),
    (["--listen", "0.0.0.0:0", "--token", TOKEN], "without a token and TLS"),
    (["--listen", "127.0.0.1:0", "--tls-cert", "x.pem"], "--tls-cert, --tls-key and --tls-ca"),
    (["--listen", "127.0.0.1"], "expected HOST:PORT"),
    (["--listen", "127.0.0.1:99999"], "0..65535"),
])
def test_a_worker_refuses_to_listen_unsafely(args, needle):
    r = run_binary(["worker", *args])
    assert r.returncode == 2, r.stdout
    assert needle in r.stderr, r.stderr


@pytest.mark.parametrize("args,needle", [
    (["--jobs", "0"], "--jobs 0 runs nothing here"),
    (["--workers", "127.0.0.1:1"], "worker 127.0.0.1:1: cannot connect"),
    (["--workers", "10.1.2.3:9013"], "needs TLS"),
    (["--workers", "nohost"], "expected HOST:PORT"),
    (["--workers", "127.0.0.1:1", "--worker-ca", "ca.pem"], "--worker-cert and --worker-key"),
])
def test_the_coordinator_s_bad_workers_are_clear_errors(tmp_path, args, needle):
    r, report = optimize(tmp_path, "bad", *CROSSOVER, *args)
    assert r.returncode == 2, r.stdout
    assert needle in r.stderr, r.stderr
    assert not report.exists()


def test_over_tls_with_a_test_ca(tmp_path, workers):
    ca, cert, key = make_ca_and_server_cert(tmp_path)
    # One test CA signs both sides' certificate here (mutual TLS).
    w = workers("tls", "--token", TOKEN, "--tls-cert", str(cert), "--tls-key", str(key),
                "--tls-ca", str(ca))
    r, spread = optimize(tmp_path, "tls", *CROSSOVER, "--jobs", "0", "--workers", w.address,
                         "--worker-token", TOKEN, "--worker-ca", str(ca), "--worker-cert",
                         str(cert), "--worker-key", str(key))
    assert r.returncode == 0, r.stderr
    r1, alone = optimize(tmp_path, "alone", *CROSSOVER, "--jobs", "1")
    assert result_of(spread) == result_of(alone)
    # Plain TCP to a TLS worker gets nowhere.
    r, _ = optimize(tmp_path, "plain", *CROSSOVER, "--jobs", "0", "--workers", w.address,
                    "--worker-token", TOKEN, timeout=120)
    assert r.returncode == 2, r.stdout


def test_ctrl_c_stops_a_spread_search_without_waiting_for_the_workers(tmp_path, workers):
    looped = tmp_path / "looped"
    looped.mkdir()
    data = [loop_file(f, 20, str(looped)) for f in TWO]
    a = workers("a")
    report = tmp_path / "report.json"
    cmd = [BINARY, "optimize", "--space", "strategy.momentum_lookback=2..41",
           "--space", "strategy.momentum_threshold_pct=0.1..2.5:0.1", "--jobs", "0",
           "--workers", a.address, "--report", str(report)]
    for f in data:
        cmd += ["--data", f]
    status, out = interrupt_after_progress(cmd, tmp_path)
    assert status == 130, out
    with open(report) as f:
        rep = json.load(f)
    assert rep["cancelled"] is True and 1 <= rep["trials"]["done"] < 1000
