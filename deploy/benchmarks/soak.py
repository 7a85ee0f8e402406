"""deploy/bench soak: the service under everything at once for SOAK_S seconds (default 600).

200 WebSocket clients (readers, slow readers, ping flooders that never read, reconnecting
ones), REST load, configuration changes, the simulated exchange failing 20 % of calls, one
supervised actor crashed every 10 s through the fault-injection switch, and hostile requests
mixed in. It prints RSS, open descriptors and threads at the start (after a warm-up) and at
the end, restarts survived, acknowledged events lost (every event a reader was sent, looked up
in the store after a restart on the same data directory) and 5xx answers outside an actor's
restart window, then the summary line. Only 127.0.0.1 is contacted; every loop is bounded in
time.

Usage: python3 soak.py BINARY WORKDIR
"""

import asyncio
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time

import requests

from soak_clients import flooder, reader, reconnecting, slow_reader

SOAK_S = int(os.environ.get("SOAK_S", "600"))
WARMUP_S = 60  # allocator arenas and caches settle first: growth is measured after
CRASH_EVERY_S = 10
ACTORS = ["scanner", "position_manager", "market_feed", "timeline", "broadcaster"]
READERS, SLOW, FLOODERS, RECONNECTING = 150, 20, 15, 15


def proc_figures(pid):
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                out["rss_mb"] = int(line.split()[1]) / 1024
            elif line.startswith("Threads:"):
                out["threads"] = int(line.split()[1])
    out["fds"] = len(os.listdir(f"/proc/{pid}/fd"))
    return out


def start(binary, workdir, config):
    path = os.path.join(workdir, "config.json")
    with open(path, "w") as f:
        json.dump(config, f)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CRYPTO_TRADING_")}
    proc = subprocess.Popen([binary, "--port", "0", "--data-dir", os.path.join(workdir, "data"),
                             "--config", path], stdout=subprocess.PIPE,
                            stderr=open(os.path.join(workdir, "service.log"), "ab"),
                            stdin=subprocess.DEVNULL, env=env)
    line = proc.stdout.readline().decode()
    if "listening on http://" not in line:
        proc.kill()
        raise SystemExit(f"the service did not start: {line!r}")
    return proc, int(line.split("listening on http://")[1].split()[0].rsplit(":", 1)[1])


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.requests = 0
        self.errors_5xx = 0
        self.in_window_5xx = 0
        self.hostile_ok = 0
        self.hostile_wrong = 0
        self.restart_until = 0.0  # monotonic: 503s before this are an actor's restart window
        self.seen_seqs = set()
        self.ws_messages = 0
        self.samples_5xx = []  # the first few 5xx outside a restart window, for the log

    def answer(self, status, what="", sent=None):
        """Counts an answer; a 5xx to a request sent (at `sent`, monotonic) while an actor was
        restarting belongs to that restart's window, however late it came back."""
        with self.lock:
            self.requests += 1
            if status >= 500:
                if (sent if sent is not None else time.monotonic()) < self.restart_until:
                    self.in_window_5xx += 1
                else:
                    self.errors_5xx += 1
                    if len(self.samples_5xx) < 10:
                        self.samples_5xx.append(f"{status} at {time.monotonic():.1f} {what}")


HOSTILE = [
    ("POST", "/api/config", {"Content-Type": "application/json"}, b"[" * 100_000, 400),
    ("POST", "/api/config", {"Content-Type": "application/json"}, b'{"a":"\xff"}', 400),
    ("POST", "/api/trading/stop", {"Content-Type": "text/plain"}, b'{"close_positions":true}',
     415),
    ("POST", "/api/trading/stop", {"Origin": "http://evil.example",
                                   "Content-Type": "application/json"}, b"{}", 403),
    ("GET", "/api/status", {"Host": "rebound.example"}, b"", 421),
    ("GET", "/api/timeline?type=%FF", {}, b"", 400),
    ("POST", "/api/backtest", {"Content-Type": "application/json"},
     b'{"data": ["/etc/ADA_BTC-5m.csv"]}', 403),
]


def rest_load(base, tally, stop):
    s = requests.Session()
    paths = ["/api/status", "/api/positions?state=all", "/api/timeline?limit=50", "/api/assets",
             "/api/scan", "/health"]
    i = 0
    while not stop.is_set():
        try:
            path = paths[i % len(paths)]
            sent = time.monotonic()
            r = s.get(base + path, timeout=10)
            if path != "/health":  # /health is 503 by design while an actor restarts
                tally.answer(r.status_code, f"GET {path} {r.text[:120]}", sent)
        except requests.RequestException as e:
            tally.answer(599, f"GET {e}", sent)
        i += 1


def control(base, tally, stop, rng):
    """Configuration changes, hostile requests and an actor crashed every CRASH_EVERY_S."""
    s = requests.Session()
    next_crash = time.monotonic() + CRASH_EVERY_S
    restarts = 0
    i = 0
    while not stop.is_set():
        i += 1
        interval = rng.choice([100, 200, 300])
        sent = time.monotonic()
        try:
            r = s.post(base + "/api/config", json={"scan_interval_ms": interval}, timeout=10)
            tally.answer(r.status_code, f"POST /api/config {r.text[:120]}", sent)
            method, path, headers, body, expect = HOSTILE[i % len(HOSTILE)]
            r = s.request(method, base + path, headers=headers, data=body, timeout=10)
            with tally.lock:
                if r.status_code == expect:
                    tally.hostile_ok += 1
                else:
                    tally.hostile_wrong += 1
            if time.monotonic() >= next_crash:
                actor = ACTORS[restarts % len(ACTORS)]
                with tally.lock:
                    tally.restart_until = time.monotonic() + 5
                r = s.post(base + "/api/debug/crash", json={"actor": actor}, timeout=10)
                if r.status_code == 202:
                    deadline = time.monotonic() + 30
                    while time.monotonic() < deadline and not stop.is_set():
                        h = s.get(base + "/health", timeout=10)
                        if h.status_code == 200:
                            break
                        time.sleep(0.05)
                    else:
                        if not stop.is_set():
                            print(f"# {actor} did not come back", flush=True)
                    if s.get(base + "/health", timeout=10).status_code == 200:
                        restarts += 1
                    with tally.lock:
                        tally.restart_until = time.monotonic() + 1
                next_crash += CRASH_EVERY_S
        except requests.RequestException as e:
            tally.answer(599, f"control {e}", sent)
        stop.wait(0.2)
    return restarts


def all_seqs(base):
    seqs, after = set(), 0
    while True:
        page = requests.get(f"{base}/api/timeline?limit=1000&after_seq={after}",
                            timeout=30).json()["events"]
        if not page:
            return seqs
        seqs.update(e["seq"] for e in page)
        after = page[0]["seq"]


def main():
    binary, workdir = sys.argv[1], sys.argv[2]
    config = {"scan_interval_ms": 200, "autostart": True, "log_level": "warn",
              "exchange": {"failure_rate": 0.2}, "debug": {"fault_injection": True},
              "stream": {"max_pending_kib": 256}, "backtest": {"data_dirs": [workdir]}}
    proc, port = start(binary, workdir, config)
    base, url = f"http://127.0.0.1:{port}", f"ws://127.0.0.1:{port}/ws"
    tally, stop, rng = Tally(), threading.Event(), random.Random(7)
    threads = [threading.Thread(target=rest_load, args=(base, tally, stop), daemon=True)
               for _ in range(3)]
    threads += [threading.Thread(target=slow_reader, args=(port, stop), daemon=True)
                for _ in range(SLOW)]
    threads += [threading.Thread(target=flooder, args=(port, stop), daemon=True)
                for _ in range(FLOODERS)]
    restarts = []
    threads.append(threading.Thread(target=lambda: restarts.append(
        control(base, tally, stop, rng)), daemon=True))

    async def clients():
        tasks = [asyncio.create_task(reader(url, tally, stop, i == 0)) for i in range(READERS)]
        tasks += [asyncio.create_task(reconnecting(url, tally, stop))
                  for _ in range(RECONNECTING)]
        while not stop.is_set():
            await asyncio.sleep(0.5)
        await asyncio.gather(*tasks, return_exceptions=True)

    loop_thread = threading.Thread(target=lambda: asyncio.run(clients()), daemon=True)
    for t in threads:
        t.start()
    loop_thread.start()
    time.sleep(WARMUP_S)
    first = proc_figures(proc.pid)
    print(f"# start (after {WARMUP_S} s): rss_mb={first['rss_mb']:.1f} fds={first['fds']} "
          f"threads={first['threads']}", flush=True)
    started = time.monotonic()
    while time.monotonic() - started < SOAK_S:
        time.sleep(min(30, SOAK_S - (time.monotonic() - started)))
        if proc.poll() is not None:
            stop.set()
            raise SystemExit(f"soak: the service died after {time.monotonic() - started:.0f} s "
                             f"with status {proc.returncode}; see {workdir}/service.log")
        now = proc_figures(proc.pid)
        print(f"# t={time.monotonic() - started:.0f}s rss_mb={now['rss_mb']:.1f} "
              f"fds={now['fds']} threads={now['threads']} requests={tally.requests} "
              f"ws_messages={tally.ws_messages} 5xx={tally.errors_5xx}", flush=True)
    last = proc_figures(proc.pid)
    print(f"# stopping the load at {time.monotonic():.1f}", flush=True)
    stop.set()
    for t in threads:
        t.join(timeout=30)
    loop_thread.join(timeout=30)
    proc.send_signal(signal.SIGTERM)
    status = proc.wait(timeout=60)
    # Every event a reader was sent must be in the store after a restart.
    proc2, port2 = start(binary, workdir, config)
    try:
        stored = all_seqs(f"http://127.0.0.1:{port2}")
    finally:
        proc2.send_signal(signal.SIGTERM)
        proc2.wait(timeout=60)
    lost = len(tally.seen_seqs - stored)
    print(f"# end: rss_mb={last['rss_mb']:.1f} fds={last['fds']} threads={last['threads']}; "
          f"exit status {status}; {len(tally.seen_seqs)} events streamed, {lost} missing after "
          f"a restart; hostile requests answered as expected {tally.hostile_ok}, otherwise "
          f"{tally.hostile_wrong}; 5xx inside restart windows {tally.in_window_5xx}")
    for sample in tally.samples_5xx:
        print(f"# 5xx outside a restart window: {sample}")
    print(f"soak seconds={SOAK_S} rss_start_mb={first['rss_mb']:.1f} "
          f"rss_end_mb={last['rss_mb']:.1f} rss_ratio={last['rss_mb'] / first['rss_mb']:.3f} "
          f"fds_start={first['fds']} fds_end={last['fds']} threads_start={first['threads']} "
          f"threads_end={last['threads']} restarts={restarts[0] if restarts else 0} "
          f"lost={lost} errors_5xx={tally.errors_5xx} requests={tally.requests} "
          f"hostile_wrong={tally.hostile_wrong} exit_status={status}")
    # It checks its own results against the targets and fails loudly when one is missed.
    wrong = [what for what, bad in (
        ("acknowledged events lost", lost > 0),
        ("5xx outside a restart window", tally.errors_5xx > 0),
        ("hostile requests answered otherwise", tally.hostile_wrong > 0),
        ("exit status not 0", status != 0),
        ("RSS grew 10 % or more", last["rss_mb"] >= 1.10 * first["rss_mb"]),
        ("descriptors grew 10 % or more", last["fds"] >= 1.10 * first["fds"]),
        ("no event streamed", not tally.seen_seqs)) if bad]
    if wrong:
        print("deploy/bench soak: wrong results: " + "; ".join(wrong), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
