"""Bad storage is a clear error, never silent loss: start-up stops with a message that says what
to do (unwritable directory, full disk, not a database, a newer schema), and a write failure at
run time shows on /health, stops trading, and goes on the timeline once writes succeed again.

Full disks and read-only directories are real: a small or read-only tmpfs mounted in a private
mount namespace (unshare), so no test needs privileges beyond an unprivileged user namespace."""

import os
import sqlite3
import subprocess

import pytest

from conftest import error_of, wait_until

EXIT_STORAGE = 3


def can_mount():
    try:
        return subprocess.run(["unshare", "-rm", "true"], capture_output=True).returncode == 0
    except FileNotFoundError:
        return False


def tmpfs(data_dir, options):
    """A wrapper that runs the service with `data_dir` on its own tmpfs."""
    data_dir.mkdir(parents=True, exist_ok=True)
    script = f'mount -t tmpfs -o {options} tmpfs "$0" && exec "$@"'
    return ["unshare", "-rm", "sh", "-c", script, str(data_dir)]


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


@pytest.mark.skip_group("mount")
@pytest.mark.skipif(not can_mount(), reason="needs unshare -rm (user and mount namespaces)")
def test_an_unwritable_directory(start_service, tmp_path):
    data = tmp_path / "ro"
    err = refused(start_service, data_dir=data, wrap=tmpfs(data, "ro,size=1m"))
    assert "cannot write" in err and "writable" in err, err


@pytest.mark.skip_group("mount")
@pytest.mark.skipif(not can_mount(), reason="needs unshare -rm (user and mount namespaces)")
def test_a_full_disk_at_start_up(start_service, tmp_path):
    data = tmp_path / "tiny"
    err = refused(start_service, data_dir=data, wrap=tmpfs(data, "size=4k"))
    assert "is full" in err and "free some space" in err, err


@pytest.mark.skip_group("mount")
@pytest.mark.skipif(not can_mount(), reason="needs unshare -rm (user and mount namespaces)")
def test_a_full_disk_at_run_time_stops_trading_and_shows_on_health(start_service, tmp_path):
    data = tmp_path / "small"
    svc = start_service(config={"scan_interval_ms": 50}, data_dir=data,
                        wrap=tmpfs(data, "size=320k"))
    assert svc.json("/api/status")["trading"] is True

    def failed():
        r = svc.get("/health")
        return r.status_code == 503 and r.json()

    health = wait_until(failed, timeout=60, what="/health to report the store failing")
    assert health["status"] == "degraded"
    assert health["actors"]["storage"] == "failed"
    assert "is full" in health["storage"]["error"]
    wait_until(lambda: svc.json("/api/status")["trading"] is False, what="trading to stop")
    error_of(svc.post("/api/trading/start"), 409)
    # What was committed before is still served.
    assert svc.json("/api/timeline?limit=5")["events"]
