"""A deliberately small raw WebSocket client for the tests that a well-behaved library cannot
express: sending a binary or malformed frame, or connecting and never reading."""

import base64
import json
import os
import socket
import struct
import time


def connect(port, path="/ws", headers=None, rcvbuf=None, timeout=10):
    """Opens a socket and performs the upgrade; returns (socket, status line, leftover bytes)."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.settimeout(timeout)
    s.connect(("127.0.0.1", port))
    key = base64.b64encode(os.urandom(16)).decode()
    lines = [f"GET {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Upgrade: websocket",
             "Connection: Upgrade", f"Sec-WebSocket-Key: {key}", "Sec-WebSocket-Version: 13"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    s.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
    data = b""
    deadline = time.monotonic() + timeout  # overall: a server trickling bytes cannot stall it
    while b"\r\n\r\n" not in data:
        if time.monotonic() >= deadline:
            raise TimeoutError("no complete upgrade answer in time")
        s.settimeout(max(0.01, deadline - time.monotonic()))
        chunk = s.recv(4096)
        if not chunk:
            break
        data += chunk
    s.settimeout(timeout)
    head, _, rest = data.partition(b"\r\n\r\n")
    return s, head.split(b"\r\n")[0].decode(), rest


def frame(opcode, payload, masked=True, fin=True):
    """One client frame; `masked=False` breaks RFC 6455 on purpose."""
    first = (0x80 if fin else 0) | opcode
    n = len(payload)
    if n < 126:
        header = struct.pack("!BB", first, (0x80 if masked else 0) | n)
    elif n < 65536:
        header = struct.pack("!BBH", first, (0x80 if masked else 0) | 126, n)
    else:
        header = struct.pack("!BBQ", first, (0x80 if masked else 0) | 127, n)
    if not masked:
        return header + payload
    mask = os.urandom(4)
    return header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


class Reader:
    """Parses the server's (unmasked) frames from a socket."""

    def __init__(self, sock, leftover=b""):
        self.sock = sock
        self.buf = leftover

    def _need(self, n, deadline):
        while len(self.buf) < n:
            left = deadline - time.monotonic()
            if left <= 0:  # a server that trickles bytes cannot stretch the wait
                raise TimeoutError("no complete frame in time")
            self.sock.settimeout(left)
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError("connection closed")
            self.buf += chunk

    def next(self, timeout=10):
        """(opcode, payload) of the next frame."""
        deadline = time.monotonic() + timeout
        self._need(2, deadline)
        b0, b1 = self.buf[0], self.buf[1]
        n = b1 & 0x7F
        pos = 2
        if n == 126:
            self._need(4, deadline)
            n = struct.unpack("!H", self.buf[2:4])[0]
            pos = 4
        elif n == 127:
            self._need(10, deadline)
            n = struct.unpack("!Q", self.buf[2:10])[0]
            pos = 10
        self._need(pos + n, deadline)
        payload = self.buf[pos:pos + n]
        self.buf = self.buf[pos + n:]
        return b0 & 0x0F, payload

    def until_ping(self, timeout=10):
        """Reads frames until a ping; returns (its payload, how many text frames came first)."""
        deadline = time.monotonic() + timeout
        texts = 0
        while True:  # next() raises TimeoutError once the deadline has passed
            op, payload = self.next(deadline - time.monotonic())
            if op == 0x9:
                return payload, texts
            texts += op == 0x1

    def until_close(self, timeout=10):
        """Reads frames until a close frame; returns its code (None on a bare EOF)."""
        deadline = time.monotonic() + timeout
        while True:  # next() raises TimeoutError once the deadline has passed
            try:
                op, payload = self.next(deadline - time.monotonic())
            except EOFError:
                return None
            if op == 0x8:
                return struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else 1005

    def json_messages(self, count, timeout=10):
        out = []
        deadline = time.monotonic() + timeout
        while len(out) < count:
            op, payload = self.next(max(0.01, deadline - time.monotonic()))
            if op == 0x1:
                out.append(json.loads(payload))
        return out


def send_json(sock, obj):
    sock.sendall(frame(0x1, json.dumps(obj).encode()))
