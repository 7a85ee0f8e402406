"""Paper trading on Binance's live prices, against the fake Binance on loopback (REST and the
combined stream): the warm-up from REST klines, candles closing on the stream, the exchange's
filters on paper fills, order books kept in sync (and resynced after a gap), a dropped stream
seen on /api/status and recovered with the missed candles, and start-up errors naming the key."""

from datetime import datetime, timezone

import pytest

from conftest import error_of, run_binary, wait_until
from fake_binance import FakeBinance, kline_row
from fake_binance_stream import FakeBinanceStream

STEP = 60_000


def ms(text):
    return int(datetime.fromisoformat(text).replace(tzinfo=timezone.utc).timestamp() * 1000)


@pytest.fixture
def market():
    rest = FakeBinance(now_ms=ms("2024-03-01T12:00:00"), data_from_ms=ms("2024-02-28T00:00:00"))
    stream = FakeBinanceStream(rest, "1m")
    yield rest, stream
    stream.close()
    rest.close()


def config(rest, feed, **more):
    c = {"exchange": {"name": "binance", "rest_url": rest.url, "ws_url": feed.url,
                      "timeframe": "1m"},
         "strategy": {"symbols": ["BTC-USDT", "ETH-USDT"], "warmup_candles": 50},
         "scan_interval_ms": 100, "stake_amount": 100, "starting_cash": 1000}
    for k, v in more.items():
        if isinstance(v, dict):
            c.setdefault(k, {}).update(v)
        else:
            c[k] = v
    return c


def closed_candle(symbol, open_ms):
    r = kline_row(symbol, open_ms, STEP)
    return [float(x) for x in r[1:6]]


def at(text):
    return ms(text.replace("Z", ""))


def values(c):
    return [c["open"], c["high"], c["low"], c["close"], c["volume"]]


def healthy(svc):
    s = svc.json("/api/status")
    return s if s["exchange_state"] == "ok" and s["scans"] > 0 else None


def test_paper_trading_on_the_fake_prices_with_its_filters(market, start_service):
    rest, stream = market
    svc = start_service(config=config(rest, stream))
    status = wait_until(lambda: healthy(svc), timeout=20, what="a scan on Binance's prices")
    assert status["exchange"] == "binance" and status["mode"] == "paper"
    assert status["cash"] <= 1000
    # The warm-up: the last closed candles from REST klines, exactly.
    page = svc.json("/api/candles?symbol=BTC-USDT&limit=20")
    assert len(page["candles"]) == 20
    last_open = rest.now_ms - STEP
    assert at(page["candles"][-1]["time"]) == last_open
    for c in page["candles"]:
        assert values(c) == pytest.approx(closed_candle("BTCUSDT", at(c["time"]))), c
    # The fake's sawtooth rises: momentum buys at once, a stake of 100 USDT at the ask plus
    # slippage, the quantity rounded down to the LOT_SIZE step of 0.00001.
    positions = wait_until(lambda: svc.json("/api/positions")["positions"], timeout=20,
                           what="a position opened on the fake's prices")
    for p in positions:
        assert round(p["quantity"] * 100_000, 6) == int(round(p["quantity"] * 100_000)), p
        ask = float(kline_row(p["symbol"].replace("-", ""), last_open, STEP)[4]) + 0.01
        assert p["entry_price"] == pytest.approx(ask * 1.0005, rel=1e-6), p
        assert p["quantity"] * p["entry_price"] <= 100
    # Candles close on the stream: the next one shows on /api/candles as the stream gave it.
    stream.advance(1)
    wait_until(lambda: at(svc.json("/api/candles?symbol=BTC-USDT&limit=1")["candles"][0]["time"])
               == last_open + STEP, timeout=10, what="the streamed candle")
    got = svc.json("/api/candles?symbol=BTC-USDT&limit=1")["candles"][0]
    assert values(got) == pytest.approx(
        closed_candle("BTCUSDT", last_open + STEP))


def test_a_stake_below_the_minimum_notional_stops_the_start(market, tmp_path):
    rest, stream = market
    import json
    path = tmp_path / "c.json"
    path.write_text(json.dumps(config(rest, stream, stake_amount=4)))
    r = run_binary(["--port", "0", "--data-dir", str(tmp_path / "d"), "--config", str(path)])
    assert r.returncode != 0
    assert "stake_amount" in r.stderr and "minimum notional" in r.stderr, r.stderr
    assert "5 USDT" in r.stderr, r.stderr


@pytest.mark.parametrize("change,key,words", [
    ({"strategy": {"symbols": []}}, "strategy.symbols", "must list"),
    ({"strategy": {"symbols": ["BTC-USDT", "ETH-BTC"]}}, "strategy.symbols", "one quote"),
    ({"strategy": {"symbols": ["DOGE-USDT"]}}, "strategy.symbols", "DOGE-USDT"),
    ({"exchange": {"rest_url": "http://api.binance.com"}}, "exchange.rest_url", "loopback"),
    ({"exchange": {"ws_url": "ws://stream.binance.com:9443"}}, "exchange.ws_url", "loopback"),
    ({"exchange": {"timeframe": "2m"}}, "exchange.timeframe", "one of"),
])
def test_configuration_errors_name_the_key(market, tmp_path, change, key, words):
    rest, stream = market
    import json
    c = config(rest, stream)
    for k, v in change.items():
        c[k].update(v)
    path = tmp_path / "c.json"
    path.write_text(json.dumps(c))
    r = run_binary(["--port", "0", "--data-dir", str(tmp_path / "d"), "--config", str(path)])
    assert r.returncode != 0
    assert key in r.stderr and words in r.stderr, r.stderr


def book_of(levels):
    return {float(p): float(q) for p, q in levels}


async def follow_book(svc, symbol, until, timeout=15):
    """Reads the orderbook channel, applying each update, until `until(bids, asks)` holds."""
    import asyncio
    import json
    import websockets
    async with websockets.connect(f"ws://127.0.0.1:{svc.port}/ws") as ws:
        await ws.send(json.dumps({"op": "subscribe", "channels": [f"orderbook:{symbol}"]}))
        bids, asks = {}, {}

        async def loop():
            while True:
                m = json.loads(await ws.recv())
                if m.get("type") != f"orderbook:{symbol}":
                    continue
                d = m["data"]
                if d["snapshot"]:
                    bids.clear()
                    asks.clear()
                for side, levels in ((bids, d["bids"]), (asks, d["asks"])):
                    for p, q in levels:
                        if q == 0:
                            side.pop(p, None)
                        else:
                            side[p] = q
                if until(bids, asks):
                    return bids, asks
        return await asyncio.wait_for(loop(), timeout)


def test_order_books_follow_the_diff_stream_and_resync_after_a_gap(market, start_service):
    import asyncio
    rest, stream = market
    svc = start_service(config=config(rest, stream, stream={"book_depth": 5,
                                                            "book_interval_ms": 50}))
    wait_until(lambda: healthy(svc), timeout=20, what="a scan on Binance's prices")

    def matches(bids, asks):
        want_bids, want_asks = rest.book_top("BTCUSDT")
        return (sorted(bids.items(), reverse=True) == want_bids and
                sorted(asks.items()) == want_asks)

    # The first diff makes the service take a snapshot; later diffs apply on it.
    stream.advance(1)
    wait_until(lambda: rest.depth_requests >= 2, what="the snapshots of both books")
    for _ in range(3):
        stream.publish("btcusdt@depth@100ms", rest.book_diff("BTCUSDT"))
    asyncio.run(follow_book(svc, "BTC-USDT", matches))
    asked = rest.depth_requests
    # Update ids skipped: the book is stale, so the service takes a new snapshot and the
    # channel catches up with the fake's book.
    stream.publish("btcusdt@depth@100ms", rest.book_diff("BTCUSDT", skip=3))
    wait_until(lambda: rest.depth_requests > asked, what="a resync after the gap")
    stream.publish("btcusdt@depth@100ms", rest.book_diff("BTCUSDT"))
    asyncio.run(follow_book(svc, "BTC-USDT", matches))


def test_a_dropped_stream_is_seen_then_recovered_with_the_missed_candles(market, start_service):
    rest, stream = market
    svc = start_service(config=config(rest, stream))
    wait_until(lambda: healthy(svc), timeout=20, what="a scan on Binance's prices")
    last_open = rest.now_ms - STEP
    stream.refuse = True
    stream.drop()
    status = wait_until(lambda: (lambda s: s if s["exchange_state"] != "ok" else None)(
        svc.json("/api/status")), what="the disconnect on /api/status")
    assert "stream" in status["exchange_error"], status
    health = wait_until(lambda: (lambda h: h if h["exchange"]["state"] == "degraded" else None)(
        svc.json("/health")), what="the disconnect on /health")
    assert "stream" in health["exchange"]["error"], health
    assert health["status"] == "ok"  # the market is down, not the service
    # Three candles close while the stream is down: REST fills them once it is back.
    rest.now_ms += 3 * STEP
    stream.refuse = False
    wait_until(lambda: at(svc.json("/api/candles?symbol=ETH-USDT&limit=1")["candles"][0]["time"])
               == last_open + 3 * STEP, timeout=20, what="the missed candles")
    page = svc.json("/api/candles?symbol=ETH-USDT&limit=4")["candles"]
    assert [at(c["time"]) for c in page] == [last_open + k * STEP for k in range(4)]
    for c in page:
        assert values(c) == pytest.approx(closed_candle("ETHUSDT", at(c["time"])))
    wait_until(lambda: healthy(svc), what="the exchange back to ok")
    events = [e["type"] for e in svc.json("/api/timeline?limit=1000")["events"]]
    assert "exchange_error" in events and "exchange_recovered" in events


def test_over_tls_with_a_test_ca(tmp_path, start_service):
    from certs import make_ca_and_server_cert
    certs = tmp_path / "certs"
    certs.mkdir()
    ca, cert, key = make_ca_and_server_cert(certs)
    rest = FakeBinance(now_ms=ms("2024-03-01T12:00:00"), data_from_ms=ms("2024-02-28T00:00:00"),
                       tls=(str(cert), str(key)))
    stream = FakeBinanceStream(rest, "1m", tls=(str(cert), str(key)))
    try:
        assert rest.url.startswith("https://") and stream.url.startswith("wss://")
        import json
        path = tmp_path / "c.json"
        path.write_text(json.dumps(config(rest, stream)))
        r = run_binary(["--port", "0", "--data-dir", str(tmp_path / "d"), "--config",
                        str(path)])
        assert r.returncode != 0
        assert "certificate" in r.stderr.lower() or "ssl" in r.stderr.lower(), r.stderr
        svc = start_service(config=config(rest, stream, exchange={"ca_file": str(ca)}))
        wait_until(lambda: healthy(svc), timeout=20, what="a scan over TLS")
        assert stream.connections >= 1
    finally:
        stream.close()
        rest.close()


def test_a_backtest_over_downloaded_candles_makes_the_paper_trades(tmp_path, start_service):
    """Parity: the bot paper-trading the fake's stream, candle by candle, and a backtest over
    the same candles downloaded from the fake make the same trades (the fake's ticker at each
    open, no spread, as the backtester fills; the quantities differ by the LOT_SIZE step the
    paper fills round to)."""
    import json
    t0 = ms("2024-03-01T12:00:00")
    n = 150
    rest = FakeBinance(now_ms=t0, data_from_ms=ms("2024-02-28T00:00:00"),
                       symbols=(("BTC", "USDT"),))
    stream = FakeBinanceStream(rest, "1m")
    stream.ticker_at_open = True
    try:
        c = config(rest, stream, strategy={"symbols": ["BTC-USDT"], "warmup_candles": 50},
                   scan_interval_ms=50)
        svc = start_service(config=c)

        def scanned_at(t):
            events = svc.json("/api/timeline?type=scan_completed&limit=5")["events"]
            return any(t <= at(e["data"]["market_time"]) < t + STEP for e in events)

        wait_until(lambda: scanned_at(t0), timeout=20, what="the first scan at t0")
        for k in range(1, n + 1):
            stream.advance(1, depth=False)
            wait_until(lambda: scanned_at(t0 + k * STEP), what=f"the scan of candle {k}")
        paper = [p for p in svc.json("/api/positions?state=closed")["positions"]]
        assert len(paper) >= 3, paper  # the sawtooth makes trades

        out = tmp_path / "candles"
        r = run_binary(["download", "--exchange", "binance", "--rest-url", rest.url, "--symbols",
                        "BTC-USDT", "--timeframe", "1m", "--from", str(t0 - 60 * STEP), "--to",
                        str(t0 + n * STEP), "--out", str(out)], timeout=60)
        assert r.returncode == 0, r.stderr
        cfg = tmp_path / "backtest.json"
        cfg.write_text(json.dumps(c))
        report = tmp_path / "report.json"
        r = run_binary(["backtest", "--data", str(out / "BTC_USDT-1m.csv"), "--config", str(cfg),
                        "--from", str(t0), "--to", str(t0 + n * STEP), "--report", str(report)],
                       timeout=60)
        assert r.returncode == 0, r.stderr
        trades = json.loads(report.read_text())["trades"]

        def key(entry, exit_, reason):
            return (at(entry), at(exit_), reason)
        live = {key(p["entry_market_time"], p["exit_market_time"], p["exit_reason"]): p
                for p in paper}
        back = {key(t["entry_at"], t["exit_at"], t["exit_reason"]): t for t in trades
                if t["exit_reason"] != "end_of_data"}  # the bot holds it on
        assert sorted(live) == sorted(back)
        for k, p in live.items():
            t = back[k]
            assert p["entry_price"] == pytest.approx(t["entry_price"], rel=1e-9), (p, t)
            assert p["exit_price"] == pytest.approx(t["exit_price"], rel=1e-9), (p, t)
            assert t["quantity"] - 0.00001 < p["quantity"] <= t["quantity"], (p, t)
    finally:
        stream.close()
        rest.close()


def test_no_request_inside_a_retry_after_window_and_the_weight_on_status(market, start_service):
    rest, stream = market
    rest.budget = 3  # requests before a 429, as when others share the address's weight
    rest.retry_after_s = 1
    svc = start_service(config=config(rest, stream))
    status = wait_until(lambda: healthy(svc), timeout=20, what="a scan through the 429s")
    assert rest.too_many >= 1, rest.requests
    assert rest.violations == []
    assert status["exchange_weight_limit"] == 6000
    assert 0 < status["exchange_weight_used"] <= 6000
