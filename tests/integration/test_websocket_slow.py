"""Slow and silent WebSocket clients: one that stops reading is cut off while the others never
wait, clients reading a trickle never hold up the API, and clients that never read are dropped
after the send timeout."""

import json
import threading

import websockets

import wsraw
from conftest import wait_until
from test_websocket import recv_json, run, ws_url

def test_a_client_that_stops_reading_is_cut_off_and_the_others_never_wait(start_service):
    # A 256 KiB allowance: more than one tick's burst (six books of 50 levels a side).
    svc = start_service(config={"scan_interval_ms": 50,
                                "stream": {"book_interval_ms": 50, "book_depth": 50,
                                           "max_pending_kib": 256}})
    books = [f"orderbook:{s}" for s in ("ADA-BTC", "DASH-BTC", "ETC-BTC", "XLM-BTC", "XMR-BTC",
                                        "ZEC-BTC")]
    stop = threading.Event()
    result = {}

    async def fast_client():
        async with websockets.connect(ws_url(svc), max_size=None) as ws:
            await recv_json(ws)
            await ws.send(json.dumps({"op": "subscribe", "channels": books}))
            last = {}
            received = 0
            while not stop.is_set():
                m = await recv_json(ws)
                if not m["type"].startswith("orderbook:"):
                    continue
                received += 1
                d = m["data"]
                if m["type"] in last and not d["snapshot"]:
                    assert d["prev_update_id"] == last[m["type"]]  # every update, in order
                last[m["type"]] = d["update_id"]
            result["received"] = received

    def fast_thread():
        try:
            run(fast_client())
        except BaseException as e:  # reported below
            result["error"] = e

    reader = threading.Thread(target=fast_thread)
    reader.start()
    slow, status, rest = wsraw.connect(svc.port, rcvbuf=4096)
    assert status.startswith("HTTP/1.1 101")
    wsraw.send_json(slow, {"op": "subscribe", "channels": books + ["ticker"]})
    try:
        wait_until(lambda: svc.json("/api/status")["ws_slow_closed"] >= 1, timeout=30,
                   what="the slow client to be cut off")
    finally:
        stop.set()
        reader.join(timeout=30)
    assert "error" not in result, result.get("error")
    assert result["received"] >= 20
    assert svc.json("/api/status")["ws_slow_closed"] == 1  # only the slow one
    with slow:
        assert wsraw.Reader(slow, rest).until_close(timeout=20) == 1008


BOOKS = [f"orderbook:{s}" for s in ("ADA-BTC", "DASH-BTC", "ETC-BTC", "XLM-BTC", "XMR-BTC",
                                     "ZEC-BTC")]


def test_clients_that_read_a_trickle_never_hold_up_the_api(start_service):
    # Pistache's own writer retried a write the kernel refused (EAGAIN) in a loop on its reactor
    # thread: a few clients reading a trickle held both threads at 100 % CPU and the API stopped
    # answering within seconds (found by the soak). Every write now goes through our outbox.
    svc = start_service(config={"scan_interval_ms": 50,
                                "stream": {"book_interval_ms": 50, "book_depth": 50,
                                           "max_pending_kib": 4096}})
    stop = threading.Event()
    received = []

    def trickle():
        sock, status, _ = wsraw.connect(svc.port, rcvbuf=4096)
        assert status.startswith("HTTP/1.1 101")
        wsraw.send_json(sock, {"op": "subscribe", "channels": BOOKS + ["ticker"]})
        got = 0
        with sock:
            while not stop.is_set():
                chunk = sock.recv(512)
                if not chunk:
                    break
                got += len(chunk)
                stop.wait(0.1)  # a client on a slow link: the load, not a synchronisation
        received.append(got)

    readers = [threading.Thread(target=trickle) for _ in range(6)]
    for t in readers:
        t.start()
    try:
        answered = 0
        for _ in range(30):  # 15 s of the load; every request answers in time throughout
            assert svc.get("/api/status").status_code == 200
            answered += 1
            stop.wait(0.5)
    finally:
        stop.set()
        for t in readers:
            t.join(timeout=30)
    assert answered == 30
    assert len(received) == 6 and min(received) > 0


def test_clients_that_never_read_are_dropped_after_the_send_timeout(start_service):
    # Cut off (1008) once 64 KiB wait for them, then dropped after http.send_timeout_ms without
    # taking a byte: their queues are freed, and the API answered throughout.
    svc = start_service(config={"scan_interval_ms": 50, "http": {"send_timeout_ms": 1000},
                                "stream": {"book_interval_ms": 50, "book_depth": 50,
                                           "max_pending_kib": 64}})
    sockets = []
    try:
        for _ in range(4):
            sock, status, _ = wsraw.connect(svc.port, rcvbuf=4096)
            assert status.startswith("HTTP/1.1 101")
            wsraw.send_json(sock, {"op": "subscribe", "channels": BOOKS + ["ticker"]})
            sockets.append(sock)
        wait_until(lambda: svc.json("/api/status")["ws_slow_closed"] >= 4, timeout=30,
                   what="every client that does not read to be cut off")
        wait_until(lambda: svc.json("/api/status")["ws_clients"] == 0, timeout=30,
                   what="the clients that never read to be dropped")
        for _ in range(20):
            assert svc.get("/health").status_code == 200
    finally:
        for sock in sockets:
            sock.close()
