"""The crash test: trade fast, act on the API, kill -9 at random moments, restart, and check that
every event a client was told of (WebSocket) and every acknowledged REST change is in the store,
that seq has no gap, and that cash and positions reconcile with the fills."""

import json
import os
import random
import threading
import time
from collections import defaultdict
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

import requests

import wsraw
from conftest import all_events, wait_until

CYCLES = int(os.environ.get("CT_CRASH_CYCLES", "25"))
BUDGET_S = float(os.environ.get("CT_CRASH_BUDGET_S", "180"))  # a deadline: 25 take ~13 s
CONFIG = {"scan_interval_ms": 50, "max_positions": 3, "exchange": {"speed": 3000},
          "strategy": {"momentum_lookback": 3, "momentum_threshold_pct": 0.15}}
UNIT = Decimal("1e-8")


class Listener(threading.Thread):
    """Collects every timeline event the WebSocket delivers until the connection dies."""

    def __init__(self, port):
        super().__init__(daemon=True)
        self.sock, status, rest = wsraw.connect(port)
        assert "101" in status, status
        self.reader = wsraw.Reader(self.sock, rest)
        self.events = {}
        self.max_seq = 0
        self.closed = False
        self.changed = threading.Condition()

    def run(self):
        try:
            while True:
                op, payload = self.reader.next(timeout=30)
                if op != 0x1:
                    continue
                msg = json.loads(payload)
                if msg["type"] == "timeline":
                    e = msg["data"]
                    with self.changed:
                        self.events[e["seq"]] = (e["type"], e["data"])
                        self.max_seq = max(self.max_seq, e["seq"])
                        self.changed.notify_all()
        except (EOFError, OSError):
            with self.changed:
                self.closed = True
                self.changed.notify_all()

    def wait_for_seq(self, seq, timeout):
        with self.changed:
            self.changed.wait_for(lambda: self.closed or self.max_seq >= seq, timeout)
            return self.max_seq >= seq


class Actor(threading.Thread):
    """Starts and stops trading and changes the configuration, recording what was acknowledged."""

    def __init__(self, svc, rng, listener):
        super().__init__(daemon=True)
        self.base, self.rng, self.listener = svc.base, rng, listener
        self.http = requests.Session()
        self.acked = []  # what the service acknowledged, in order: (event type, detail)
        self.failure = None  # a request that failed before the kill (after it, they may)
        self.killed = threading.Event()
        self.stop_flag = threading.Event()
        self.max_positions = svc.json("/api/config")["max_positions"]  # as last acknowledged
        self.in_flight = None

    def run(self):
        try:
            while not self.stop_flag.is_set() and not self.listener.closed:
                # Paced by the service itself: one call per few events, so that trades happen.
                self.listener.wait_for_seq(self.listener.max_seq + 6, timeout=5)
                kind = self.rng.choices(["start", "stop", "config"], [5, 2, 3])[0]
                if kind == "config":
                    self.in_flight = self.rng.randint(1, 4)
                    r = self.http.post(self.base + "/api/config",
                                       json={"max_positions": self.in_flight}, timeout=10)
                    if r.status_code == 200 and self.in_flight != self.max_positions:
                        self.acked.append(("config_changed", self.in_flight))
                        self.max_positions = self.in_flight
                    self.in_flight = None
                else:
                    r = self.http.post(f"{self.base}/api/trading/{kind}", timeout=10)
                    if r.status_code == 200 and r.json()["changed"]:
                        self.acked.append(
                            ("trading_started" if kind == "start" else "trading_stopped", None))
        except requests.RequestException as e:
            if not self.killed.is_set():
                self.failure = e  # the service was up: this is a failure, not the crash


def acknowledged_kinds(events):
    """The stored events an acknowledged REST change makes, in seq order, as Actor records
    them: each config change of max_positions with its new value, each start or stop by the
    API."""
    out = []
    for e in events:
        data = e["data"]
        if e["type"] == "config_changed" and "max_positions" in data["changes"]:
            out.append(("config_changed", data["changes"]["max_positions"]["to"]))
        elif e["type"] in ("trading_started", "trading_stopped") and data.get("reason") == "api":
            out.append((e["type"], None))
    return out


def is_subsequence(wanted, stored):
    it = iter(stored)
    return all(any(w == s for s in it) for w in wanted)


def parse(payload):
    return json.loads(json.dumps(payload), parse_float=Decimal)


def fills_of(events):
    return [parse(e["data"]) for e in events if e["type"] == "order_filled"]


def consistent_state(svc):
    """Status and positions with exactly the fills they reflect: the service keeps trading, so
    read them between two reads of the log, until no fill came in between. The log is read
    whole once, then followed from its last seq: each try stays short however long the log
    grows (reading it whole twice per try outlasted the gaps between fills under ASan)."""
    events = all_events(svc)

    def last_seq():
        return events[-1]["seq"] if events else 0

    def attempt():
        events.extend(all_events(svc, after=last_seq()))
        status = json.loads(svc.get("/api/status").text, parse_float=Decimal)
        positions = json.loads(svc.get("/api/positions").text, parse_float=Decimal)["positions"]
        newer = all_events(svc, after=last_seq())
        events.extend(newer)
        quiet = not any(e["type"] == "order_filled" for e in newer)
        return quiet and (fills_of(events), status, positions)
    return wait_until(attempt, timeout=30, what="a moment without a fill")


def units(x):
    """An amount of the API, a JSON number (a double), as the exact multiple of 1e-8 it carries:
    the double's shortest text is not always its 8-decimal value ("40.232867830000004")."""
    return Decimal(x).quantize(UNIT)


def reconcile(svc):
    """Cash and open positions follow from the fills alone, to the last 1e-8."""
    fills, status, positions = consistent_state(svc)
    cash = units(status["starting_cash"])
    held = defaultdict(Decimal)
    for f in fills:
        qty, px, fee = units(f["quantity"]), units(f["price"]), units(f["fee"])
        if f["side"] == "buy":
            cash -= (qty * px).quantize(UNIT, rounding=ROUND_CEILING) + fee
            held[f["symbol"]] += qty
        else:
            cash += (qty * px).quantize(UNIT, rounding=ROUND_FLOOR) - fee
            held[f["symbol"]] -= qty
    assert units(status["cash"]) == cash, (status["cash"], cash)
    open_qty = defaultdict(Decimal)
    for p in positions:
        open_qty[p["symbol"]] += units(p["quantity"])
    assert {s: q for s, q in held.items() if q} == dict(open_qty)
    assert status["open_positions"] == len(positions)


def test_kill_9_at_random_moments_loses_nothing_acknowledged(start_service):
    rng = random.Random(os.environ.get("CT_CRASH_SEED", "crash"))
    svc = start_service(config=CONFIG)
    data_dir = svc.data_dir
    seen, acked = {}, []
    deadline = time.monotonic() + BUDGET_S
    cycles = 0
    while True:
        listener = Listener(svc.port)
        listener.start()
        actor = Actor(svc, rng, listener)
        actor.start()
        # The random moment: a random number of events ahead of what the store holds.
        # (A service just started may not have committed its first event yet.)
        first = wait_until(lambda: svc.json("/api/timeline?limit=1")["events"],
                           what="a first event")[0]["seq"]
        target = first + rng.randint(3, 40)
        assert listener.wait_for_seq(target, timeout=30), f"seq {target} never came"
        actor.killed.set()
        svc.kill9()
        actor.stop_flag.set()
        listener.join(10)
        actor.join(20)
        assert not actor.is_alive(), "the driver thread did not end"
        assert actor.failure is None, f"a request failed while the service ran: {actor.failure}"
        seen.update(listener.events)
        acked += actor.acked
        cycles += 1

        svc = start_service(config=CONFIG, data_dir=data_dir)
        events = all_events(svc)
        seqs = [e["seq"] for e in events]
        assert seqs == list(range(1, len(seqs) + 1)), "a gap in seq"
        stored = {e["seq"]: (e["type"], e["data"]) for e in events}
        lost = {s: v for s, v in seen.items() if stored.get(s) != v}
        assert not lost, f"acknowledged events lost or changed: {list(lost.items())[:3]}"
        # Every acknowledged change is there, each as its own event, in the order acknowledged.
        assert is_subsequence(acked, acknowledged_kinds(events)), (acked, acknowledged_kinds(events))
        reconcile(svc)
        assert svc.json("/api/config")["max_positions"] in (actor.max_positions, actor.in_flight)
        if cycles >= CYCLES or time.monotonic() > deadline:
            break
    fills = sum(1 for t, _ in seen.values() if t == "order_filled")
    print(f"crash test: {cycles} kill -9 cycles, {len(seen)} streamed events checked, "
          f"{fills} fills, {len(acked)} acknowledged REST changes")
    assert cycles >= CYCLES, f"{cycles} cycles in the {BUDGET_S:.0f} s budget, not {CYCLES}"
    assert sum(1 for t, _ in seen.values() if t == "order_filled") > 0, "no trade happened"
