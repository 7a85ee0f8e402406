"""Bad storage is a clear error, never silent loss: start-up stops with a message that says what
to do (unwritable directory, full disk, not a database, a newer schema), and a write failure at
run time shows on /health, stops trading, and goes on the timeline once writes succeed again.

Full disks and read-only directories come from an LD_PRELOAD shim (tests/faults/failing_disk.cpp,
$CT_FAILING_DISK) that makes the files under the data directory fail as a full or read-only disk
does (ENOSPC, EROFS), switched while the service runs: no test needs root, a mount namespace or a
loop device, so none is ever skipped."""

import os
import sqlite3
import time

from conftest import all_events, error_of, wait_until

EXIT_STORAGE = 3


SHIM = os.path.abspath(os.environ["CT_FAILING_DISK"]) if os.environ.get("CT_FAILING_DISK") else ""


class FailingDisk:
    """The data directory of one service on a disk the test makes full or read-only at will."""

    def __init__(self, tmp_path, data_dir, mode=""):
        assert SHIM and os.path.exists(SHIM), "CT_FAILING_DISK must name libct_failing_disk.so"
        data_dir.mkdir(parents=True, exist_ok=True)
        self.dir = data_dir.resolve()
        self.switch = tmp_path / "disk-mode"
        self.counter = tmp_path / "disk-refusals"
        self.set(mode)

    def refusals(self):
        """How many calls the shim has refused so far."""
        return self.counter.stat().st_size if self.counter.exists() else 0

    def set(self, mode):
        """"" (a working disk), "full" or "readonly"; the shim reads it at every operation, so
        the file is replaced whole, never seen half written."""
        staged = self.switch.with_suffix(".new")
        staged.write_text(mode)
        os.replace(staged, self.switch)

    def env(self):
        asan = os.environ.get("ASAN_OPTIONS", "")
        return {"LD_PRELOAD": SHIM, "CT_FAULT_DIR": str(self.dir),
                "CT_FAULT_SWITCH": str(self.switch), "CT_FAULT_COUNT": str(self.counter),
                # The shim loads before the sanitizer runtime, which is fine: it wraps the calls.
                "ASAN_OPTIONS": (asan + ":" if asan else "") + "verify_asan_link_order=0"}


def refused(start_service, **kw):
    """Starts a service that must refuse to start; returns its stderr."""
    svc = start_service(expect_start=False, **kw)
    assert svc.wait(timeout=20) == EXIT_STORAGE, svc.stderr()
    return svc.stderr()


def test_a_file_that_is_not_a_database(start_service, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "crypto-trading.db").write_bytes(b"these are not the bytes of a database\n" * 200)
    err = refused(start_service, data_dir=data)
    assert "is not an SQLite database" in err and "--data-dir" in err, err
    # Nothing was changed: the file is as it was.
    assert (data / "crypto-trading.db").read_bytes().startswith(b"these are not")


def test_a_database_from_a_newer_schema(start_service, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    db = sqlite3.connect(str(data / "crypto-trading.db"))
    db.execute("PRAGMA application_id = 1129604194")  # "CTdb"
    db.execute("PRAGMA user_version = 999")
    db.execute("CREATE TABLE from_the_future (x)")
    db.commit()
    db.close()
    err = refused(start_service, data_dir=data)
    assert "newer crypto-trading" in err and "schema 999" in err, err


def test_another_applications_database(start_service, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    db = sqlite3.connect(str(data / "crypto-trading.db"))
    db.execute("CREATE TABLE theirs (x)")
    db.commit()
    db.close()
    err = refused(start_service, data_dir=data)
    assert "another application" in err, err


def test_a_data_dir_that_is_a_file(start_service, tmp_path):
    path = tmp_path / "not-a-dir"
    path.write_text("x")
    err = refused(start_service, data_dir=path)
    assert "--data-dir" in err, err


def test_two_services_on_one_data_dir(start_service, tmp_path):
    first = start_service()
    err = refused(start_service, data_dir=first.data_dir)
    assert "another crypto-trading is using" in err, err


def test_an_unwritable_directory(start_service, tmp_path):
    disk = FailingDisk(tmp_path, tmp_path / "ro", "readonly")
    err = refused(start_service, data_dir=disk.dir, env=disk.env())
    assert "cannot write" in err and "writable" in err and "Read-only" in err, err
    assert not any(disk.dir.iterdir()), "nothing may be created on a read-only disk"


def test_a_full_disk_at_start_up(start_service, tmp_path):
    disk = FailingDisk(tmp_path, tmp_path / "full", "full")
    err = refused(start_service, data_dir=disk.dir, env=disk.env())
    assert "is full" in err and "free some space" in err, err


def test_a_disk_that_fills_and_frees_at_run_time(start_service, tmp_path):
    """The whole promise: trading stops with reason storage_failed, /health says why, start is
    409, nothing is acknowledged meanwhile; once the disk has room again everything queued is
    committed in order with seq gap-free, and trading stays off until started."""
    disk = FailingDisk(tmp_path, tmp_path / "data")
    svc = start_service(config={"scan_interval_ms": 50}, data_dir=disk.dir, env=disk.env())
    assert svc.json("/api/status")["trading"] is True
    wait_until(lambda: len(svc.json("/api/timeline?limit=3")["events"]) == 3, what="events")
    early = all_events(svc)

    disk.set("full")
    full_since = time.monotonic()

    def failed():
        r = svc.get("/health")
        return r.status_code == 503 and r.json()

    health = wait_until(failed, timeout=30, what="/health to report the store failing")
    assert health["status"] == "degraded"
    assert health["actors"]["storage"] == "failed"
    assert "is full" in health["storage"]["error"], health
    wait_until(lambda: svc.json("/api/status")["trading"] is False, what="trading to stop")
    err = error_of(svc.post("/api/trading/start"), 409)
    assert "store fails" in err["message"] and "is full" in err["message"], err
    # What was committed before is still served, and nothing new is. (A commit may land between
    # the read above and the disk filling: what counts is what the store held once it failed.)
    before = all_events(svc)
    assert before[:len(early)] == early
    # The store retries every second, not in a loop that hammers the disk: wait for a retry
    # (a commit's writes refused again), then count the refusals against the time spent.
    first = wait_until(disk.refusals, what="the first refused write")
    wait_until(lambda: disk.refusals() > first, timeout=10, what="a retry")
    attempts_allowed = 2 * (time.monotonic() - full_since + 1)
    assert disk.refusals() <= 5 * attempts_allowed, (disk.refusals(), "refused writes: a spin")
    assert all_events(svc) == before  # a retry later, still nothing new is served

    disk.set("")
    wait_until(lambda: svc.get("/health").status_code == 200, timeout=30,
               what="/health to recover")

    def recovered():
        # The store's own storage_recovered event goes in the commit after the one that
        # succeeded (and told /health): it may follow the health by a moment.
        got = all_events(svc)
        return "storage_recovered" in [e["type"] for e in got] and got

    events = wait_until(recovered, timeout=10, what="the storage_recovered event")
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1)), "seq has a gap"
    assert events[:len(before)] == before
    types = [e["type"] for e in events]
    failed_at = types.index("storage_failed")
    assert failed_at >= len(before)
    assert "is full" in events[failed_at]["data"]["error"]
    stops = [e for e in events if e["type"] == "trading_stopped"]
    assert [e["data"]["reason"] for e in stops] == ["storage_failed"], stops
    assert failed_at < events.index(stops[0]) < types.index("storage_recovered")
    assert types.count("storage_failed") == 1 and types.count("storage_recovered") == 1
    # Trading stays off until someone starts it; then it starts.
    assert svc.json("/api/status")["trading"] is False
    assert svc.post("/api/trading/start").json()["trading"] is True
