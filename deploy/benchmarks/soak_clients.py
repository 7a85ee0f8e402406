"""The soak's WebSocket clients: readers (one records every timeline seq it is sent), clients
that read five messages and reconnect, slow readers with a 4 KiB receive buffer, and ping
flooders that never read. Each loops until `stop` is set, and comes back after a close."""

import asyncio
import json
import os
import sys

import websockets

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tests", "integration"))
import wsraw  # noqa: E402  (the tests' raw client: frames a real library will not send)


async def reader(url, tally, stop, record):
    while not stop.is_set():
        try:
            async with websockets.connect(url, max_size=None) as ws:
                while not stop.is_set():
                    try:
                        raw = await asyncio.wait_for(ws.recv(), timeout=1)
                    except asyncio.TimeoutError:
                        continue
                    msg = json.loads(raw)
                    tally.ws_messages += 1
                    if record and msg["type"] == "timeline":
                        tally.seen_seqs.add(msg["data"]["seq"])
        except (OSError, websockets.WebSocketException):
            await asyncio.sleep(0.2)  # closed for a restart (1013) or too slow: come back


async def reconnecting(url, tally, stop):
    while not stop.is_set():
        try:
            async with websockets.connect(url) as ws:
                for _ in range(5):
                    await asyncio.wait_for(ws.recv(), timeout=10)
        except (OSError, asyncio.TimeoutError, websockets.WebSocketException):
            pass
        await asyncio.sleep(0.5)


def slow_reader(port, stop):
    """Reads a few bytes now and then: the server cuts it off (1008), and it comes back."""
    while not stop.is_set():
        try:
            sock, status, _ = wsraw.connect(port, rcvbuf=4096)
            with sock:
                while not stop.is_set():
                    if not sock.recv(512):
                        break
                    stop.wait(0.5)
        except OSError:
            pass
        stop.wait(0.5)


def flooder(port, stop):
    """Pings without ever reading: closed with 1008 and dropped; then it tries again."""
    burst = wsraw.frame(0x9, b"p" * 125) * 256
    while not stop.is_set():
        try:
            sock, status, _ = wsraw.connect(port, rcvbuf=4096)
            sock.settimeout(2)
            with sock:
                for _ in range(200):
                    if stop.is_set():
                        break
                    sock.sendall(burst)
        except OSError:
            pass
        stop.wait(1)
