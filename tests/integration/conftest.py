"""Integration harness: starts the real crypto-trading executable on a free loopback port in a
temporary directory and talks to it with real HTTP clients.

The executable comes from $CT_BINARY (CTest sets it). Startup is detected by reading the
"listening on http://..." line the service prints, with a deadline; conditions on the running
service are awaited with wait_until(), never with a bare sleep.
"""

import json
import os
import selectors
import signal
import subprocess
import tempfile
import threading
import time

import pytest
import requests

BINARY = os.path.abspath(os.environ["CT_BINARY"]) if os.environ.get("CT_BINARY") else ""
START_DEADLINE_S = 20
SANITIZER_MARKERS = ("runtime error:", "ERROR: AddressSanitizer", "ERROR: LeakSanitizer")
# An actor that went down, or a message nobody handles, is a bug the supervisor hides from the
# API (it restarts the actor); a test whose service logs one fails unless it caused it on purpose
# (Service.faults_expected: the actors it crashed).
FAULT_MARKERS = ("Actor down", "Unexpected message dropped")


def unexpected_faults(log, crashed):
    """The log's lines that tell of a fault, except an actor in `crashed` going down."""
    allowed = tuple(f"Actor down actor={name} " for name in crashed)
    return [line for line in log.splitlines()
            if any(m in line for m in FAULT_MARKERS) and not any(a in line for a in allowed)]


def wait_until(predicate, timeout=10.0, interval=0.02, what="condition"):
    """Polls `predicate` until it returns a truthy value or `timeout` passes.

    What synchronises is the condition; between two checks the poll only waits for the next
    one to be due, on an event nobody sets (no bare sleep), so it never outlasts the deadline.
    """
    deadline = time.monotonic() + timeout
    due = threading.Event()
    while True:
        value = predicate()
        if value:
            return value
        left = deadline - time.monotonic()
        if left <= 0:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        due.wait(min(interval, left))


class Service:
    """One running crypto-trading process."""

    def __init__(self, workdir, args=(), env=None, config=None, data_dir=None, wrap=(),
                 expect_start=True):
        self.workdir = workdir
        self.data_dir = data_dir or workdir / "data"
        cmd = list(wrap) + [BINARY, "--port", "0", "--data-dir", str(self.data_dir)]
        if config is not None:
            path = workdir / "config.json"
            path.write_text(json.dumps(config))
            cmd += ["--config", str(path)]
        cmd += list(args)
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("CRYPTO_TRADING_")}
        full_env.update(env or {})
        self.end_expected = False  # set when the test stops, kills or waits for it
        self.faults_expected = set()  # the actors a test crashes on purpose
        self.stderr_path = workdir / "stderr.log"
        self._stderr = open(self.stderr_path, "wb")
        self.proc = subprocess.Popen(cmd, cwd=workdir, env=full_env, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=self._stderr)
        if not expect_start:
            self.http = requests.Session()
            return
        self.port = self._read_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.http = requests.Session()
        self.token = (env or {}).get("CRYPTO_TRADING_API_TOKEN")
        if self.token:
            self.http.headers["Authorization"] = f"Bearer {self.token}"

    def _read_port(self):
        sel = selectors.DefaultSelector()
        sel.register(self.proc.stdout, selectors.EVENT_READ)
        deadline = time.monotonic() + START_DEADLINE_S
        line = b""
        while time.monotonic() < deadline:
            if not sel.select(timeout=deadline - time.monotonic()):
                break
            chunk = os.read(self.proc.stdout.fileno(), 4096)
            if not chunk:
                break
            line += chunk
            if b"listening on http://" in line and line.endswith(b"\n"):
                url = line.split(b"listening on ")[1].split()[0].decode()
                return int(url.rsplit(":", 1)[1])
        self.proc.kill()
        raise AssertionError(f"service did not start: {self.stderr()}")

    def stderr(self):
        return self.stderr_path.read_text(errors="replace")

    def url(self, path):
        return self.base + path

    def get(self, path, **kw):
        return self.http.get(self.url(path), timeout=10, **kw)

    def post(self, path, body=None, **kw):
        """POSTs `body`: a dict or list as JSON, a str or bytes as it is, declared JSON unless
        the caller's headers say otherwise (the service refuses an undeclared body: 415)."""
        if body is not None and not isinstance(body, (str, bytes)):
            kw["json"] = body
        elif body is not None:
            kw["data"] = body
            kw["headers"] = {"Content-Type": "application/json", **kw.get("headers", {})}
        return self.http.post(self.url(path), timeout=15, **kw)

    def json(self, path):
        r = self.get(path)
        assert r.status_code == 200, (path, r.status_code, r.text)
        return r.json()

    def wait(self, timeout=20):
        """Waits for the process to end (the test expects it to) and returns its exit status."""
        self.end_expected = True
        return self.proc.wait(timeout=timeout)

    def kill9(self):
        """SIGKILL, as a crash would end it; waits for it to go."""
        self.end_expected = True
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self, sig=signal.SIGTERM, timeout=20):
        """Sends `sig` and returns the exit status."""
        self.end_expected = True
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout=timeout)
        finally:
            self.http.close()

    def kill(self):
        self.end_expected = True
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        if not self._stderr.closed:
            self._stderr.close()


# A skipped test proves nothing, so a skip fails the run, with its reason. Nothing here needs
# privileges a CI runner may lack (the bad-storage tests use an LD_PRELOAD shim, not mounts).
@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.skipped:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped ({reason}), and a skip fails the run"


@pytest.fixture
def start_service(tmp_path):
    """Starts services in the test's temporary directory; stops them all afterwards."""
    started = []

    def start(args=(), env=None, config=None, name="svc", **kw):
        workdir = tmp_path / f"{name}{len(started)}"
        workdir.mkdir()
        svc = Service(workdir, args=args, env=env, config=config, **kw)
        started.append(svc)
        return svc

    yield start
    problems = []
    for svc in started:
        ended = svc.proc.poll()
        if ended is not None and not svc.end_expected:
            # Nobody stopped it: it crashed or exited by itself during the test.
            problems.append(f"the service ended by itself with status {ended}:\n"
                            f"{svc.stderr()[-4000:]}")
        elif ended is None:
            try:
                status = svc.stop()
            except subprocess.TimeoutExpired:
                svc.kill()
                status = "hung at shutdown"
            if status != 0:
                problems.append(f"exit status {status}")
        svc.kill()
        log = svc.stderr()
        for marker in SANITIZER_MARKERS:
            if marker in log:
                problems.append(f"sanitizer report:\n{log[-4000:]}")
                break
        faults = unexpected_faults(log, svc.faults_expected)
        if faults:
            problems.append("actor faults nobody injected:\n" + "\n".join(faults[:10]))
    if problems:
        pytest.fail("service problems: " + "; ".join(problems))


@pytest.fixture
def service(start_service):
    """A service on its defaults, except a short scan interval so that scans happen soon."""
    return start_service(config={"scan_interval_ms": 200})


@pytest.fixture
def quiet(start_service):
    """A service whose state only changes when told: no trading, a scan an hour."""
    return start_service(config={"scan_interval_ms": 3_600_000, "autostart": False})


def error_of(response, status):
    """Checks an error answer's status and body shape; returns the error object."""
    assert response.status_code == status, (response.status_code, response.text)
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}, body
    err = body["error"]
    assert isinstance(err["code"], str) and err["code"]
    assert isinstance(err["message"], str) and err["message"]
    assert set(err) <= {"code", "message", "field"}, err
    return err


def all_events(svc, after=0):
    """Every event of the store above seq `after`, oldest first, by following the log with
    after_seq."""
    out = []
    while True:
        page = svc.json(f"/api/timeline?limit=1000&after_seq={after}")["events"]
        if not page:
            return out
        out += reversed(page)
        after = page[0]["seq"]


def run_binary(args, env=None, cwd=None, timeout=20):
    """Runs the executable to completion (for flags that exit at once), by default in a fresh
    temporary directory, so that its default ./data never lands in the source tree."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("CRYPTO_TRADING_")}
    full_env.update(env or {})
    with tempfile.TemporaryDirectory() as scratch:
        return subprocess.run([BINARY] + list(args), env=full_env, cwd=cwd or scratch,
                              capture_output=True, text=True, timeout=timeout,
                              stdin=subprocess.DEVNULL)
