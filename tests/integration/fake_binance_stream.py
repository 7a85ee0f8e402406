"""The fake Binance's market streams on loopback: the combined stream (/stream?streams=...) of
klines, 24 h tickers and diff depth, as Binance documents their events. The test drives the
market: `advance()` closes the forming candle of every symbol (its kline with "x": true, then
the next one forming, a ticker and a depth diff), `drop()` closes every connection as Binance
does after 24 h or a fault, and `refuse` answers new connections' handshakes with a 503 while
set."""

import asyncio
import json
import ssl
import threading
from http import HTTPStatus
from urllib.parse import parse_qs, urlparse

import websockets

from fake_binance import INTERVALS, kline_row


class FakeBinanceStream:
    def __init__(self, fake, interval="1m", tls=None):
        """`fake`: the FakeBinance whose clock and candles it shares; `tls`: (cert, key)."""
        self.fake = fake
        self.interval = interval
        self.step = INTERVALS[interval]
        self.refuse = False
        # The ticker's last, bid and ask at the forming candle's open: no spread, the price a
        # backtest fills at (the parity test).
        self.ticker_at_open = False
        self.connections = 0  # accepted since the start
        self.paths = []
        self._clients = {}  # connection -> the streams it asked for
        self._loop = asyncio.new_event_loop()
        ready = threading.Event()
        ctx = None
        if tls:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(*tls)

        async def refuse(path, headers):
            # Refused before the handshake, as a gateway that is down: no connection opens.
            if self.refuse:
                return HTTPStatus.SERVICE_UNAVAILABLE, [], b"try again later\n"
            return None

        async def main():
            self._server = await websockets.serve(self._handle, "127.0.0.1", 0, ssl=ctx,
                                                  process_request=refuse)
            ready.set()

        self.thread = threading.Thread(target=self._run, args=(main,), daemon=True)
        self.thread.start()
        ready.wait(10)
        port = list(self._server.sockets)[0].getsockname()[1]
        self.url = f"{'wss' if tls else 'ws'}://127.0.0.1:{port}"

    def _run(self, main):
        asyncio.set_event_loop(self._loop)
        self._loop.run_until_complete(main())
        self._loop.run_forever()

    def close(self):
        async def stop():
            self._server.close()
            await self._server.wait_closed()
        asyncio.run_coroutine_threadsafe(stop(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self.thread.join(10)

    @property
    def clients(self):
        return len(self._clients)

    async def _handle(self, ws, path=None):
        path = path or ws.path
        self.connections += 1
        self.paths.append(path)
        streams = parse_qs(urlparse(path).query).get("streams", [""])[0].split("/")
        client = (ws, frozenset(streams))
        self._clients[ws] = client
        try:
            for name in sorted({s.split("@")[0] for s in streams if s}):
                symbol = name.upper()
                if symbol in self.fake.symbols:
                    await self._send(client, f"{name}@ticker", self._ticker(symbol))
                    await self._send(client, f"{name}@kline_{self.interval}",
                                     self._kline(symbol, self._forming(), False))
            await ws.wait_closed()
        finally:
            self._clients.pop(ws, None)

    async def _send(self, client, stream, data):
        ws, streams = client
        if stream in streams:
            try:
                await ws.send(json.dumps({"stream": stream, "data": data}))
            except websockets.ConnectionClosed:
                pass

    def _forming(self):
        return self.fake.now_ms // self.step * self.step

    def _kline(self, symbol, open_ms, closed):
        r = kline_row(symbol, open_ms, self.step)
        if not closed:  # a forming candle: at its open so far
            r = r[:1] + [r[1]] * 4 + ["0.00000000"] + r[6:]
        return {"e": "kline", "E": self.fake.now_ms, "s": symbol,
                "k": {"t": open_ms, "T": open_ms + self.step - 1, "s": symbol,
                      "i": self.interval, "f": 100, "L": 200, "o": r[1], "c": r[4], "h": r[2],
                      "l": r[3], "v": r[5], "n": 100, "x": closed, "q": r[7], "V": r[9],
                      "Q": r[10], "B": "0"}}

    def _ticker(self, symbol):
        last = float(kline_row(symbol, self._forming() - self.step, self.step)[4])
        spread = 0.01
        if self.ticker_at_open:
            last, spread = float(kline_row(symbol, self._forming(), self.step)[1]), 0
        f = lambda x: f"{x:.8f}"
        return {"e": "24hrTicker", "E": self.fake.now_ms, "s": symbol, "p": "-0.50000000",
                "P": "-0.380", "w": f(last), "x": f(last), "c": f(last), "Q": "0.1",
                "b": f(last - spread), "B": "1.0", "a": f(last + spread), "A": "2.0", "o": f(last),
                "h": f(last + 1), "l": f(last - 1), "v": "1234.50000000", "q": "160000.0",
                "O": 0, "C": 86400000, "F": 0, "L": 18150, "n": 18151}

    def publish(self, stream, data):
        """Sends one event on `stream` ("btcusdt@depth@100ms") to every client asking for it."""
        async def send_all():
            for client in list(self._clients.values()):
                await self._send(client, stream, data)
        asyncio.run_coroutine_threadsafe(send_all(), self._loop).result(10)

    def advance(self, candles=1, symbols=None, depth=True):
        """Moves the clock `candles` intervals on: each forming candle closes on the stream."""
        for _ in range(candles):
            closing = self._forming()
            self.fake.now_ms = closing + self.step
            for symbol in symbols or sorted(self.fake.symbols):
                name = symbol.lower()
                self.publish(f"{name}@kline_{self.interval}", self._kline(symbol, closing, True))
                self.publish(f"{name}@ticker", self._ticker(symbol))
                self.publish(f"{name}@kline_{self.interval}",
                             self._kline(symbol, self._forming(), False))
                if depth:
                    self.publish(f"{name}@depth@100ms", self.fake.book_diff(symbol))

    def drop(self):
        """Closes every connection, as a network fault would (the service must reconnect)."""
        async def close_all():
            for ws in list(self._clients):
                await ws.close(1001, "going away")
        asyncio.run_coroutine_threadsafe(close_all(), self._loop).result(10)
