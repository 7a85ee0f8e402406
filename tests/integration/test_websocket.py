"""/ws on the REST port with real WebSocket clients: hello first, every operation and channel,
errors, close codes, the token, order books, pings and shutdown (slow clients:
test_websocket_slow.py)."""

import asyncio
import json
import signal
from datetime import datetime

import pytest
import requests
import websockets

import wsraw
from conftest import error_of, wait_until

STATUS_KEYS = {"trading", "mode", "exchange", "started_at", "trading_since", "scan_interval_ms",
               "last_scan_at", "scans", "open_positions", "cash", "equity", "realized_pnl",
               "unrealized_pnl", "restarts"}
FAST = {"scan_interval_ms": 100, "stream": {"status_interval_ms": 100, "book_interval_ms": 50}}


def ms(rfc3339):
    return int(datetime.fromisoformat(rfc3339.replace("Z", "+00:00")).timestamp() * 1000)


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, 60))


async def recv_json(ws, timeout=10):
    return json.loads(await asyncio.wait_for(ws.recv(), timeout))


async def recv_until(ws, predicate, timeout=10):
    """The first message satisfying `predicate` (others are skipped)."""
    async def loop():
        while True:
            m = await recv_json(ws, timeout)
            if predicate(m):
                return m
    return await asyncio.wait_for(loop(), timeout)


@pytest.fixture
def svc(start_service):
    return start_service(config=FAST)


def ws_url(svc, query=""):
    return f"ws://127.0.0.1:{svc.port}/ws{query}"


def test_hello_comes_first_with_the_status_and_open_positions(svc):
    async def go():
        async with websockets.connect(ws_url(svc)) as ws:
            hello = await recv_json(ws)
            assert hello["type"] == "hello"
            assert isinstance(hello["at"], str)
            assert STATUS_KEYS <= set(hello["data"]["status"])
            assert isinstance(hello["data"]["positions"], list)
    run(go())


def test_default_channels_stream_timeline_status_and_positions(svc):
    async def go():
        async with websockets.connect(ws_url(svc)) as ws:
            await recv_json(ws)  # hello
            seen = set()
            seqs = []
            while not {"timeline", "status", "positions"} <= seen or len(seqs) < 5:
                m = await recv_json(ws)
                seen.add(m["type"])
                if m["type"] == "timeline":
                    seqs.append(m["data"]["seq"])
                    assert set(m["data"]) == {"seq", "at", "type", "source", "data"}
            assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))  # every event, in order
            assert seen <= {"timeline", "status", "positions"}  # nothing unsubscribed
    run(go())


def test_ping_subscribe_and_unsubscribe(svc):
    async def go():
        async with websockets.connect(ws_url(svc)) as ws:
            await recv_json(ws)
            await ws.send(json.dumps({"op": "ping"}))
            assert (await recv_until(ws, lambda m: m["type"] == "pong"))["type"] == "pong"
            await ws.send(json.dumps({"op": "subscribe", "channels": ["ticker"]}))
            sub = await recv_until(ws, lambda m: m["type"] == "subscribed")
            assert sub["data"]["channels"] == ["positions", "status", "ticker", "timeline"]
            ticker = await recv_until(ws, lambda m: m["type"] == "ticker")
            assert len(ticker["data"]["tickers"]) == 6
            assert {"symbol", "price", "bid", "ask"} <= set(ticker["data"]["tickers"][0])
            await ws.send(json.dumps({"op": "unsubscribe",
                                      "channels": ["status", "positions", "timeline", "ticker",
                                                   "orderbook:ZEC-BTC"]}))
            unsub = await recv_until(ws, lambda m: m["type"] == "unsubscribed")
            assert unsub["data"]["channels"] == []
            await ws.send(json.dumps({"op": "ping"}))
            # With nothing subscribed, only the answer comes.
            assert (await recv_json(ws))["type"] == "pong"
    run(go())


@pytest.mark.parametrize("message,code", [
    ("not json", "invalid_json"),
    ("[1, 2]", "invalid_json"),
    ('{"channels": ["ticker"]}', "invalid_message"),
    ('{"op": "dance"}', "unknown_op"),
    ('{"op": "subscribe"}', "invalid_message"),
    ('{"op": "subscribe", "channels": ["ticker", "weather"]}', "unknown_channel"),
    ('{"op": "subscribe", "channels": ["orderbook:BTC-USD"]}', "unknown_symbol"),
    ('{"op": "subscribe", "channels": ["candles:BTC-USD"]}', "unknown_symbol"),
    ('{"op": "unsubscribe", "channels": ["nope"]}', "unknown_channel"),
])
def test_malformed_messages_get_an_error_and_change_nothing(svc, message, code):
    async def go():
        async with websockets.connect(ws_url(svc)) as ws:
            await recv_json(ws)
            await ws.send(message)
            err = await recv_until(ws, lambda m: m["type"] == "error")
            assert err["data"]["code"] == code
            assert err["data"]["message"]
            # Still open, and the failed request subscribed nothing.
            await ws.send(json.dumps({"op": "subscribe", "channels": ["status"]}))
            sub = await recv_until(ws, lambda m: m["type"] == "subscribed")
            assert sub["data"]["channels"] == ["positions", "status", "timeline"]
    run(go())


def test_candles_closed_with_the_strategy_s_values_and_forming_between(start_service):
    # 600x: a 5-minute candle closes every 500 ms of wall clock.
    svc = start_service(config={"scan_interval_ms": 3_600_000, "exchange": {"speed": 600},
                                "strategy": {"name": "sma_crossover", "fast_period": 3,
                                             "slow_period": 5}})

    async def go():
        async with websockets.connect(ws_url(svc)) as ws:
            await recv_json(ws)
            await ws.send(json.dumps({"op": "subscribe", "channels": ["candles:XLM-BTC"]}))
            await recv_until(ws, lambda m: m["type"] == "subscribed")
            got = []
            while sum(m["data"]["closed"] for m in got) < 4:
                got.append(await recv_until(ws, lambda m: m["type"] == "candles:XLM-BTC"))
            return got
    got = run(go())
    closed = [m["data"] for m in got if m["data"]["closed"]]
    times = [c["candle"]["time"] for c in closed]
    rest = svc.json("/api/candles?symbol=XLM-BTC&limit=1000")
    index = {c["time"]: i for i, c in enumerate(rest["candles"])}
    lines = {l["name"]: l["values"] for l in rest["indicators"]["lines"]}
    for c in closed:
        assert c["symbol"] == "XLM-BTC" and c["timeframe"] == "5m"
        i = index[c["candle"]["time"]]  # the same candle as the API's, values and all
        assert c["candle"] == rest["candles"][i]
        assert set(c["indicators"]) == {"sma_fast", "sma_slow"}
        for name, v in c["indicators"].items():
            assert v == pytest.approx(lines[name][i], rel=1e-12)
    assert [index[t] for t in times] == list(range(index[times[0]], index[times[0]] + 4))
    for m in got:
        d = m["data"]
        if d["closed"]:
            continue
        assert d["indicators"] is None
        c = d["candle"]
        assert c["low"] <= min(c["open"], c["close"]) <= max(c["open"], c["close"]) <= c["high"]
    # After each close, the forming candle is the next one.
    for m, n in zip(got, got[1:]):
        if m["data"]["closed"] and not n["data"]["closed"]:
            assert ms(n["data"]["candle"]["time"]) == ms(m["data"]["candle"]["time"]) + 300_000


def test_order_book_snapshot_then_gap_free_updates(svc):
    async def go():
        async with websockets.connect(ws_url(svc)) as ws:
            await recv_json(ws)
            await ws.send(json.dumps({"op": "subscribe", "channels": ["orderbook:ADA-BTC"]}))
            await recv_until(ws, lambda m: m["type"] == "subscribed")
            snap = await recv_until(ws, lambda m: m["type"] == "orderbook:ADA-BTC")
            assert snap["data"]["snapshot"] is True and snap["data"]["prev_update_id"] is None
            bids = {p: q for p, q in snap["data"]["bids"]}
            asks = {p: q for p, q in snap["data"]["asks"]}
            assert len(bids) == 10 and len(asks) == 10
            last = snap["data"]["update_id"]
            for _ in range(20):
                u = await recv_until(ws, lambda m: m["type"] == "orderbook:ADA-BTC")
                assert u["data"]["snapshot"] is False
                assert u["data"]["prev_update_id"] == last  # no gap
                last = u["data"]["update_id"]
                for side, levels in ((bids, u["data"]["bids"]), (asks, u["data"]["asks"])):
                    for p, q in levels:
                        if q == 0:
                            side.pop(p, None)
                        else:
                            side[p] = q
                assert max(bids) < min(asks)  # a sane book after every update
    run(go())


@pytest.mark.parametrize("frame,code", [
    (wsraw.frame(0x2, b"\x00\x01"), 1003),          # binary
    (wsraw.frame(0x1, b"\xff\xfe\xfd"), 1007),      # not UTF-8
    (wsraw.frame(0x1, b"hi", masked=False), 1002),  # unmasked: a protocol violation
    (wsraw.frame(0x3, b"x"), 1002),                 # reserved opcode
    (wsraw.frame(0x9, b"x", fin=False), 1002),      # a fragmented control frame
    (wsraw.frame(0x1, b"x" * (65 * 1024)), 1009),   # over 64 KiB
], ids=["binary", "not-utf8", "unmasked", "reserved-opcode", "fragmented-control", "too-big"])
def test_bad_frames_are_closed_with_the_right_code(svc, frame, code):
    sock, status, rest = wsraw.connect(svc.port)
    with sock:
        assert status.startswith("HTTP/1.1 101")
        sock.sendall(frame)
        assert wsraw.Reader(sock, rest).until_close() == code
    assert svc.get("/health").status_code == 200


def test_plain_get_is_426_and_other_methods_405(svc):
    err = error_of(svc.get("/ws"), 426)
    assert err["code"] == "upgrade_required"
    r = svc.post("/ws")
    error_of(r, 405)
    assert r.headers["Allow"] == "GET"


def test_a_bad_upgrade_request_is_400(svc):
    r = requests.get(svc.url("/ws"), headers={"Upgrade": "websocket", "Connection": "Upgrade"},
                     timeout=10)  # no key, no version
    assert error_of(r, 400)["code"] == "bad_request"


def read_error(sock, rest):
    body = rest
    while not body.rstrip().endswith(b"}"):
        body += sock.recv(4096)
    return json.loads(body)["error"]


def test_clients_beyond_max_clients_are_refused_until_one_leaves(svc):
    assert error_of(svc.post("/api/config", {"stream": {"max_clients": 0}}), 422)["field"] == \
        "stream.max_clients"
    assert svc.post("/api/config", {"stream": {"max_clients": 2}}).status_code == 200
    first, s1, _ = wsraw.connect(svc.port)
    second, s2, _ = wsraw.connect(svc.port)
    assert s1.startswith("HTTP/1.1 101") and s2.startswith("HTTP/1.1 101")
    third, s3, rest = wsraw.connect(svc.port)
    with third:
        assert s3.startswith("HTTP/1.1 503"), s3
        assert read_error(third, rest)["code"] == "too_many_clients"
    first.close()
    wait_until(lambda: svc.json("/api/status")["ws_clients"] == 1, what="the first to leave")
    fourth, s4, _ = wsraw.connect(svc.port)
    with second, fourth:
        assert s4.startswith("HTTP/1.1 101"), s4


def test_the_token_is_checked_before_the_upgrade(start_service):
    token = "ws-token-123456"
    svc = start_service(config=FAST, env={"CRYPTO_TRADING_API_TOKEN": token})
    for headers, path in [({}, "/ws"), ({"Authorization": "Bearer wrong-token"}, "/ws"),
                          ({}, "/ws?token=wrong")]:
        sock, status, rest = wsraw.connect(svc.port, path=path, headers=headers)
        with sock:
            assert status.startswith("HTTP/1.1 401"), status
            assert read_error(sock, rest)["code"] == "unauthorized"

    async def go(url, headers):
        async with websockets.connect(url, extra_headers=headers) as ws:
            assert (await recv_json(ws))["type"] == "hello"
    run(go(ws_url(svc), {"Authorization": f"Bearer {token}"}))
    run(go(ws_url(svc, f"?token={token}"), {}))


def test_idle_clients_are_pinged(start_service):
    svc = start_service(config={"scan_interval_ms": 3_600_000,
                                "stream": {"ping_interval_ms": 1000}})
    sock, status, rest = wsraw.connect(svc.port)
    with sock:
        reader = wsraw.Reader(sock, rest)
        assert reader.json_messages(1)[0]["type"] == "hello"
        wsraw.send_json(sock, {"op": "unsubscribe",
                               "channels": ["status", "positions", "timeline"]})
        payload, _ = reader.until_ping(timeout=10)
        sock.sendall(wsraw.frame(0xA, payload))  # pong


def test_busy_clients_are_pinged_too(start_service):
    # A client that only reads (a browser sends nothing) stays alive through its pongs: they
    # are the input that resets Pistache's keep-alive timer.
    svc = start_service(config={"scan_interval_ms": 50,
                                "stream": {"ping_interval_ms": 1000, "book_interval_ms": 50}})
    sock, status, rest = wsraw.connect(svc.port)
    with sock:
        reader = wsraw.Reader(sock, rest)
        wsraw.send_json(sock, {"op": "subscribe", "channels": ["orderbook:ADA-BTC", "ticker"]})
        payload, texts = reader.until_ping(timeout=10)
        assert texts >= 10  # it was busy all along
        sock.sendall(wsraw.frame(0xA, payload))


def test_shutdown_sends_1001_to_every_client(start_service):
    svc = start_service(config=FAST)
    socks = [wsraw.connect(svc.port) for _ in range(3)]
    for sock, status, rest in socks:
        assert status.startswith("HTTP/1.1 101")
    wait_until(lambda: svc.json("/api/status")["ws_clients"] == 3, what="three clients")
    svc.proc.send_signal(signal.SIGTERM)
    for sock, status, rest in socks:
        with sock:
            assert wsraw.Reader(sock, rest).until_close(timeout=20) == 1001
    assert svc.wait(timeout=20) == 0


def test_every_client_gets_every_timeline_event(svc):
    async def client(n):
        async with websockets.connect(ws_url(svc)) as ws:
            await recv_json(ws)
            seqs = []
            while len(seqs) < 10:
                m = await recv_json(ws)
                if m["type"] == "timeline":
                    seqs.append(m["data"]["seq"])
            return seqs

    async def go():
        return await asyncio.gather(*(client(i) for i in range(20)))
    results = run(go())
    common = set.intersection(*(set(r) for r in results))
    assert len(common) >= 5  # they overlap in time, and each saw the shared events all
    for r in results:
        assert r == list(range(r[0], r[0] + len(r)))
