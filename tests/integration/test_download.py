"""crypto-trading download against a fake Binance on loopback (tests/integration/fake_binance.py):
closed candles in [from, to) across several pages, appended without duplicates on a later run,
gaps reported and not filled, Retry-After respected, and clear errors."""

import os
from datetime import datetime, timezone

import pytest

from conftest import run_binary
from certs import make_ca_and_server_cert
from fake_binance import FakeBinance

STEP = 300_000
HEADER = "timestamp_ms,open,high,low,close,volume"


def ms(text):
    return int(datetime.fromisoformat(text).replace(tzinfo=timezone.utc).timestamp() * 1000)


@pytest.fixture
def fake():
    f = FakeBinance(now_ms=ms("2024-01-06T00:02:30"), data_from_ms=ms("2023-12-01T00:00:00"))
    yield f
    f.close()


def download(fake, out, *more, symbols="BTC-USDT,ETH-USDT", frm="2024-01-01", to="2024-01-05"):
    return run_binary(["download", "--exchange", "binance", "--rest-url", fake.url, "--symbols",
                       symbols, "--timeframe", "5m", "--from", frm, "--to", to, "--out", str(out),
                       *more], timeout=60)


def lines(path):
    with open(path) as f:
        return f.read().splitlines()


def test_closed_candles_across_pages_then_appended_without_duplicates(fake, tmp_path):
    r = download(fake, tmp_path)
    assert r.returncode == 0, r.stderr
    for symbol, name in (("BTCUSDT", "BTC_USDT"), ("ETHUSDT", "ETH_USDT")):
        got = lines(tmp_path / f"{name}-5m.csv")
        assert got[0] == HEADER
        want = fake.expected(symbol, STEP, ms("2024-01-01T00:00:00"), ms("2024-01-05T00:00:00"))
        assert len(want) == 4 * 288  # more than one page of 1,000
        assert got[1:] == want
    pages = [q for _, path, q in fake.requests if path == "/api/v3/klines"]
    assert len(pages) == 4  # two a symbol
    assert all(int(q["limit"]) == 1000 for q in pages)
    # A later --to: the candles after the file's last, none twice; the forming one left out.
    r = download(fake, tmp_path, to="2024-01-08")
    assert r.returncode == 0, r.stderr
    got = lines(tmp_path / "BTC_USDT-5m.csv")
    want = fake.expected("BTCUSDT", STEP, ms("2024-01-01T00:00:00"), ms("2024-01-08T00:00:00"))
    assert got[1:] == want
    assert int(got[-1].split(",")[0]) == ms("2024-01-05T23:55:00")  # the last closed at 00:02:30


def test_a_file_of_one_candle_or_none_is_appended_to(fake, tmp_path):
    # Before the data starts: the header alone; then one candle; then the rest.
    assert download(fake, tmp_path, symbols="BTC-USDT", frm="2023-11-01",
                    to="2023-11-02").returncode == 0
    assert lines(tmp_path / "BTC_USDT-5m.csv") == [HEADER]
    r = download(fake, tmp_path, symbols="BTC-USDT", frm="2024-01-01",
                 to="2024-01-01T00:05:00Z")
    assert r.returncode == 0, r.stderr
    assert len(lines(tmp_path / "BTC_USDT-5m.csv")) == 2
    r = download(fake, tmp_path, symbols="BTC-USDT", frm="2024-01-01", to="2024-01-02")
    assert r.returncode == 0, r.stderr
    want = fake.expected("BTCUSDT", STEP, ms("2024-01-01T00:00:00"), ms("2024-01-02T00:00:00"))
    assert lines(tmp_path / "BTC_USDT-5m.csv")[1:] == want


def test_gaps_are_reported_not_filled(fake, tmp_path):
    hole = ms("2024-01-02T10:00:00")
    fake.gaps["BTCUSDT"] = {hole, hole + STEP, hole + 2 * STEP}
    r = download(fake, tmp_path, symbols="BTC-USDT")
    assert r.returncode == 0, r.stderr
    assert "BTC-USDT: gap in Binance's data: 3 candles missing from 2024-01-02T10:00:00" in r.stderr
    assert "(1 gaps, 3 candles missing)" in r.stderr
    times = [int(l.split(",")[0]) for l in lines(tmp_path / "BTC_USDT-5m.csv")[1:]]
    assert hole not in times and hole - STEP in times and hole + 3 * STEP in times


def test_nothing_is_sent_inside_a_retry_after_window(fake, tmp_path):
    fake.budget = 3  # requests between 429s: exchangeInfo, time, a page; then three pages
    fake.fail_next = 1  # and one 5XX on the way
    r = download(fake, tmp_path)
    assert r.returncode == 0, r.stderr
    assert fake.too_many >= 2
    assert fake.violations == []
    want = fake.expected("ETHUSDT", STEP, ms("2024-01-01T00:00:00"), ms("2024-01-05T00:00:00"))
    assert lines(tmp_path / "ETH_USDT-5m.csv")[1:] == want


@pytest.mark.parametrize("args,needle", [
    (["--symbols", "DOGE-EUR"], "--symbols: Binance lists no DOGE-EUR"),
    (["--timeframe", "2m"], "timeframe '2m' is not one of"),
    (["--from", "yesterday"], "--from yesterday: expected RFC 3339"),
    (["--to", "2023-01-01"], "--to must be after --from"),
])
def test_bad_arguments_are_clear_errors(fake, tmp_path, args, needle):
    base = {"--symbols": "BTC-USDT", "--timeframe": "5m", "--from": "2024-01-01",
            "--to": "2024-01-02"}
    base.update(dict(zip(args[::2], args[1::2])))
    flat = [x for kv in base.items() for x in kv]
    r = run_binary(["download", "--rest-url", fake.url, "--out", str(tmp_path), *flat])
    assert r.returncode == 2, r.stderr
    assert needle in r.stderr
    assert not os.path.exists(tmp_path / "BTC_USDT-5m.csv")


def test_plain_http_is_refused_off_loopback(tmp_path):
    r = run_binary(["download", "--rest-url", "http://api.binance.com", "--symbols", "BTC-USDT",
                    "--from", "2024-01-01", "--out", str(tmp_path)])
    assert r.returncode == 2
    assert "plain http is refused except on loopback" in r.stderr


def test_a_value_beyond_the_candle_format_stops_it_before_writing(fake, tmp_path):
    # Up to 8 decimals in 64 bits: 92,233,720,368 units at most.
    fake.volumes[("BTCUSDT", ms("2024-01-03T00:00:00"))] = "99999999999999999999.00000000"
    r = download(fake, tmp_path, symbols="BTC-USDT")
    assert r.returncode == 1, r.stderr
    assert "BTC-USDT: a candle Binance sent cannot be kept" in r.stderr
    got = lines(tmp_path / "BTC_USDT-5m.csv")
    # The pages before it are kept, whole; the run again goes on from there once it is fixed.
    want = fake.expected("BTCUSDT", STEP, ms("2024-01-01T00:00:00"), ms("2024-01-05T00:00:00"))
    assert got[1:] == want[:len(got) - 1] and len(got) - 1 < len(want)
    del fake.volumes[("BTCUSDT", ms("2024-01-03T00:00:00"))]
    assert download(fake, tmp_path, symbols="BTC-USDT").returncode == 0
    assert lines(tmp_path / "BTC_USDT-5m.csv")[1:] == want


def test_a_file_of_another_format_is_not_touched(fake, tmp_path):
    bad = tmp_path / "BTC_USDT-5m.csv"
    bad.write_text("not,a,candle,file\n")
    r = download(fake, tmp_path, symbols="BTC-USDT")
    assert r.returncode == 2
    assert "BTC_USDT-5m.csv" in r.stderr
    assert bad.read_text() == "not,a,candle,file\n"


def test_over_tls_with_a_test_ca_and_never_without_it(tmp_path):
    certs = tmp_path / "certs"
    certs.mkdir()
    ca, cert, key = make_ca_and_server_cert(certs)
    f = FakeBinance(now_ms=ms("2024-01-06T00:02:30"), tls=(str(cert), str(key)))
    try:
        assert f.url.startswith("https://")
        out = tmp_path / "out"
        # Not trusted: the download fails before a candle is asked for, and writes nothing.
        r = download(f, out, symbols="BTC-USDT")
        assert r.returncode == 1, r.stderr
        assert "certificate" in r.stderr.lower() or "ssl" in r.stderr.lower(), r.stderr
        assert not any(path == "/api/v3/klines" for _, path, _ in f.requests)
        assert not (out / "BTC_USDT-5m.csv").exists()
        # With the test CA added: verified, and the same candles as over plain loopback.
        r = download(f, out, "--ca-file", str(ca), symbols="BTC-USDT")
        assert r.returncode == 0, r.stderr
        want = f.expected("BTCUSDT", STEP, ms("2024-01-01T00:00:00"), ms("2024-01-05T00:00:00"))
        assert lines(out / "BTC_USDT-5m.csv")[1:] == want
    finally:
        f.close()
