"""What the canvas tests share: starting httpcore-canvas (and redis-server)
as children that die with the test, HTTP over loopback, WebSocket clients
with a deadline on every wait, and a PNG decoder for /api/canvas.png."""

import asyncio
import http.client
import json
import os
import signal
import struct
import subprocess
import zlib

import sys

import websockets

# redis-server, free ports and children that die with the test: shared with
# the httpcore tests (tests/lib/redis_server.py).
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..",
                                "tests", "lib"))
from redis_server import die_with_parent, free_port  # noqa: E402,F401 (used by the tests)

failures = 0
PIXELS = 256 * 256


def check(what, ok, detail=""):
    global failures
    print(("ok   " if ok else "FAIL ") + what + ("" if ok else ": " + str(detail)), flush=True)
    if not ok:
        failures += 1
    return ok


class Canvas:
    """One httpcore-canvas process on a free port."""

    def __init__(self, binary, *args):
        self.args = [binary, "--port", "0", "--threads", "2", *args]
        self.proc = subprocess.Popen(self.args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True, preexec_fn=die_with_parent)
        line = self.proc.stdout.readline()  # "httpcore-canvas: http://HOST:PORT/"
        if not line.startswith("httpcore-canvas: http://"):
            self.proc.kill()
            raise RuntimeError("httpcore-canvas did not start: %r %s" %
                               (line, self.proc.stderr.read()))
        self.port = int(line.rsplit(":", 1)[1].strip().strip("/"))
        self.url = "ws://127.0.0.1:%d/ws" % self.port

    def get(self, path):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        try:
            c.request("GET", path)
            r = c.getresponse()
            return r.status, r.getheader("Content-Type"), r.read()
        finally:
            c.close()

    def stop(self, sig=signal.SIGTERM, timeout=10):
        """Stops it; returns (exit status, standard error)."""
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            err = self.proc.communicate(timeout=timeout)[1]
        except subprocess.TimeoutExpired:
            self.proc.kill()
            err = self.proc.communicate()[1]
        return self.proc.returncode, err


class Client:
    """A WebSocket client of /ws that keeps the canvas it is told about."""

    def __init__(self, ws):
        self.ws = ws
        self.canvas = None

    @classmethod
    async def connect(cls, url, timeout=5):
        ws = await asyncio.wait_for(websockets.connect(url, max_size=1 << 20), timeout)
        c = cls(ws)
        first = await c.recv(timeout)
        if not isinstance(first, bytes) or len(first) != PIXELS:
            raise RuntimeError("first message is not the canvas: %r" % (first[:80],))
        c.canvas = bytearray(first)
        return c

    async def recv(self, timeout=5):
        return await asyncio.wait_for(self.ws.recv(), timeout)

    async def recv_json(self, timeout=5):
        m = await self.recv(timeout)
        if isinstance(m, bytes):
            self.canvas = bytearray(m)  # a fresh snapshot
            return {"snapshot": True}
        j = json.loads(m)
        if "x" in j and "c" in j:
            self.canvas[j["y"] * 256 + j["x"]] = j["c"]
        return j

    async def updates_until_quiet(self, quiet=0.3):
        """Every message that arrives until none came for `quiet` seconds."""
        got = []
        while True:
            try:
                got.append(await self.recv_json(quiet))
            except asyncio.TimeoutError:
                return got

    async def take(self, n, quiet=0.2, timeout=5):
        """The next `n` messages, then any that come within `quiet` seconds
        more (which should be none)."""
        got = [await self.recv_json(timeout) for _ in range(n)]
        return got + await self.updates_until_quiet(quiet)

    async def set(self, x, y, c):
        await self.ws.send(json.dumps({"x": x, "y": y, "c": c}, separators=(",", ":")))

    async def close(self):
        await self.ws.close()


async def take_all(clients, n, quiet=0.2):
    """take(n) on every client at once: {name: messages}."""
    names = list(clients)
    results = await asyncio.gather(*(clients[k].take(n, quiet) for k in names),
                                   return_exceptions=True)
    return dict(zip(names, results))


def decode_png(data):
    """Palette indices of a 4-bit palette PNG (what /api/canvas.png sends), and
    its palette; raises ValueError on anything else."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("no PNG signature")
    pos, idat, ihdr, plte = 8, b"", None, None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if zlib.crc32(kind + body) != struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])[0]:
            raise ValueError("bad CRC in " + kind.decode())
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"PLTE":
            plte = [tuple(body[i:i + 3]) for i in range(0, len(body), 3)]
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    if ihdr[:4] != (256, 256, 4, 3):
        raise ValueError("not 256x256 4-bit palette: %r" % (ihdr,))
    raw = zlib.decompress(idat)
    stride, prev, out = 128, bytearray(128), bytearray()
    for y in range(256):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - 1] if i else 0
            b, c = prev[i], prev[i - 1] if i else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        for byte in line:
            out += bytes((byte >> 4, byte & 15))
        prev = line
    return bytes(out), plte
