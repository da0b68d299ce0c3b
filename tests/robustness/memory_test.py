#!/usr/bin/python3
"""Memory a slow or hostile client can make `httpcore serve` hold, measured.

Starts the real server (one per front end it has) on a free loopback port,
drives it with raw sockets (Python's standard library only, so every byte on
the wire is the test's), and reads the server's resident memory from
/proc/PID/status: VmRSS now, and VmHWM, the peak, which the test resets
(echo 5 > /proc/PID/clear_refs) right before the load so it measures only the
load's peak.

  static    five clients ask for a 200 MB file and never read: the server may
            grow by less than 16 MiB in all, at its peak; /hello still answers
            at once; a client that does read gets every byte.
  inflate   40 WebSocket connections each send one permessage-deflate message
            of 16 KiB that inflates to 16 MiB, then idle: at the peak the
            server holds at most its inflate budget (64 MiB) plus 32 MiB, and
            5 s later it is back within 16 MiB of where it started; and on
            a server of its own, 10 plain (uncompressed) 16 MiB messages
            likewise leave nothing behind (1 s later).
  fanout    30 /ws/chat subscribers that never read, and one 16 MiB binary
            message published to them: one shared copy, so the peak stays
            under 64 MiB above the start (with a copy per subscriber it was
            30 x 16 MiB).

RSS under AddressSanitizer says little (its allocator keeps freed memory in
quarantine and shadow memory grows with it), so CMake registers this test for
builds without sanitizers only (tests/memory.cmake).

usage: memory_test.py PATH/TO/httpcore {static|inflate|fanout} [--frontend NAME]
exit:  0 passed, 1 a check failed
"""

import argparse
import base64
import os
import re
import socket
import struct
import subprocess
import sys
import tempfile
import time
import zlib

MiB = 1 << 20


class Server:
    """`httpcore serve` as a child process on a free port."""

    def __init__(self, binary, frontend, root, work):
        self.log = open(os.path.join(work, f"server-{frontend}.err"), "w+")
        command = [binary, "serve", "--frontend", frontend, "--port", "0", "--root", root,
                   "--quiet"]
        if frontend == "threads":
            # A worker per connection: enough of them for 41 WebSockets at once
            # (what a full pool does is another test's subject).
            command += ["--threads", "64"]
        self.proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=self.log)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            self.log.seek(0)
            m = re.search(r"http://127\.0\.0\.1:(\d+)/", self.log.read())
            if m:
                self.port = int(m.group(1))
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.02)
        self.stop()
        raise RuntimeError("the server did not start")

    def status(self, field):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
        raise RuntimeError(f"no {field} in /proc/{self.proc.pid}/status")

    def rss(self):
        return self.status("VmRSS")

    def peak(self):
        return self.status("VmHWM")

    def reset_peak(self):
        with open(f"/proc/{self.proc.pid}/clear_refs", "w") as f:
            f.write("5")

    def connect(self, rcvbuf=None):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if rcvbuf is not None:  # before connect(), so the window is small from the start
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        s.settimeout(60)  # generous: a loaded machine runs 40 inflates in turn
        s.connect(("127.0.0.1", self.port))
        return s

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


failures = 0


def check(what, ok, detail=""):
    global failures
    print(("ok   " if ok else "FAIL ") + what + (f" ({detail})" if detail else ""), flush=True)
    if not ok:
        failures += 1


def mib(n):
    return f"{n / MiB:.1f} MiB"


def recv_exactly(s, n):
    out = bytearray()
    while len(out) < n:
        got = s.recv(min(n - len(out), 1 << 20))
        if not got:
            raise ConnectionError(f"closed after {len(out)} of {n} bytes")
        out += got
    return bytes(out)


def http_get(server, target, timeout=10):
    """A whole HTTP/1.1 response to GET (Connection: close): status, body bytes."""
    with server.connect() as s:
        s.settimeout(timeout)
        s.sendall(f"GET {target} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n".encode())
        data = bytearray()
        while True:
            got = s.recv(1 << 20)
            if not got:
                break
            data += got
    head, _, body = bytes(data).partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    if b"transfer-encoding: chunked" in head.lower():
        plain, at = bytearray(), 0
        while True:
            eol = body.index(b"\r\n", at)
            size = int(body[at:eol].split(b";")[0], 16)
            if size == 0:
                break
            plain += body[eol + 2:eol + 2 + size]
            at = eol + 4 + size
        body = bytes(plain)
    return status, body


# ---------------------------------------------------------------- WebSocket --

def ws_open(server, path, deflate=False, rcvbuf=None):
    s = server.connect(rcvbuf)
    key = base64.b64encode(os.urandom(16)).decode()
    ext = "Sec-WebSocket-Extensions: permessage-deflate\r\n" if deflate else ""
    s.sendall((f"GET {path} HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\n"
               f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
               f"Sec-WebSocket-Version: 13\r\n{ext}\r\n").encode())
    head = b""
    while b"\r\n\r\n" not in head:
        got = s.recv(1)
        if not got:
            raise ConnectionError("closed during the handshake")
        head += got
    if not head.startswith(b"HTTP/1.1 101"):
        raise RuntimeError(f"handshake refused: {head!r}")
    if deflate and b"permessage-deflate" not in head:
        raise RuntimeError("permessage-deflate was not agreed")
    return s


def ws_frame(opcode, payload, rsv1=False):
    """One final client frame, masked with the all-zero key (valid, and the
    payload then goes out as is: no masking of 16 MiB in Python)."""
    b0 = 0x80 | (0x40 if rsv1 else 0) | opcode
    n = len(payload)
    if n < 126:
        head = struct.pack("!BB", b0, 0x80 | n)
    elif n <= 0xFFFF:
        head = struct.pack("!BBH", b0, 0x80 | 126, n)
    else:
        head = struct.pack("!BBQ", b0, 0x80 | 127, n)
    return head + b"\0\0\0\0" + payload


def ws_read_frame(s):
    """(opcode, rsv1, payload) of the next frame from the server (unmasked)."""
    b0, b1 = recv_exactly(s, 2)
    n = b1 & 0x7F
    if n == 126:
        n = struct.unpack("!H", recv_exactly(s, 2))[0]
    elif n == 127:
        n = struct.unpack("!Q", recv_exactly(s, 8))[0]
    return b0 & 0x0F, bool(b0 & 0x40), recv_exactly(s, n)


def deflated(message):
    """A permessage-deflate payload (RFC 7692 §7.2.1: the flush's 00 00 ff ff removed)."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    data = c.compress(message) + c.flush(zlib.Z_SYNC_FLUSH)
    assert data.endswith(b"\0\0\xff\xff")
    return data[:-4]


# -------------------------------------------------------------------- tests --

def test_static(server, root):
    size = 200 * 1000 * 1000
    with open(os.path.join(root, "big.bin"), "wb") as f:
        f.truncate(size)  # sparse: the page cache, not the disk, serves it
    with open(os.path.join(root, "warm.bin"), "wb") as f:
        f.write(os.urandom(2 * MiB))
    status, body = http_get(server, "/warm.bin")  # the streamed path, allocated once
    check("a 2 MiB file arrives whole", status == 200 and len(body) == 2 * MiB)

    start = server.rss()
    server.reset_peak()
    clients = []
    for _ in range(5):
        s = server.connect(rcvbuf=4096)
        s.sendall(b"GET /big.bin HTTP/1.1\r\nHost: t\r\n\r\n")
        clients.append(s)
    time.sleep(1.5)  # enough to queue the whole file, were it queued whole
    t0 = time.monotonic()
    status, body = http_get(server, "/hello", timeout=5)
    latency = time.monotonic() - t0
    check("/hello answers while five clients stall on a 200 MB file",
          status == 200 and body == b"Hello, World!" and latency < 1, f"{latency * 1000:.0f} ms")
    grown, peak = server.rss() - start, server.peak() - start
    check("five non-reading clients of a 200 MB file cost < 16 MiB", peak < 16 * MiB,
          f"now +{mib(grown)}, peak +{mib(peak)}")
    for s in clients:
        s.close()

    # A client that reads gets the whole file, and the server still holds
    # only what a slow connection may queue.
    server.reset_peak()
    start = server.rss()
    got = 0
    with server.connect() as s:
        s.sendall(b"GET /big.bin HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        while True:
            data = s.recv(1 << 20)
            if not data:
                break
            got += len(data)
    # The head, then chunk framing: ~3200 chunks of 64 KiB at ~10 bytes each.
    check("a reading client gets all 200 MB", size < got < size + 64 * 1024, f"{got} bytes")
    peak = server.peak() - start
    check("a download of 200 MB peaks < 16 MiB above the start", peak < 16 * MiB, f"+{mib(peak)}")


def test_inflate(server, root):
    bomb = deflated(bytes(16 * MiB))  # 16 MiB of zeros: about 16 KiB on the wire
    warm = ws_open(server, "/ws/echo", deflate=True)
    warm.sendall(ws_frame(0x2, deflated(b"warm up"), rsv1=True))
    ws_read_frame(warm)
    warm.close()
    time.sleep(0.2)

    # Each connection first exchanges an incompressible 256 KiB message, so
    # that its zlib state (about 300 KiB, held while it is open, whatever it
    # sends) is in the starting point and the checks see the large message only.
    before_connections = server.rss()
    conns = [ws_open(server, "/ws/echo", deflate=True) for _ in range(40)]
    noise = os.urandom(256 * 1024)
    for c in conns:
        c.sendall(ws_frame(0x2, deflated(noise), rsv1=True))
        ws_read_frame(c)
    time.sleep(0.2)
    start = server.rss()
    print(f"     40 connections with their zlib state: +{mib(start - before_connections)}")
    server.reset_peak()
    for c in conns:
        c.sendall(ws_frame(0x2, bomb, rsv1=True))
    echoed = refused = 0
    for c in conns:
        op, rsv1, payload = ws_read_frame(c)
        # The first echo is inflated to check it; the others only by size
        # (inflating 16 MiB in Python, 40 times, would be most of the test).
        if op == 0x2 and rsv1 and (echoed > 0 or len(zlib.decompressobj(-15).decompress(
                payload + b"\0\0\xff\xff")) == 16 * MiB) and len(payload) < 64 * 1024:
            echoed += 1
        elif op == 0x8 and struct.unpack("!H", payload[:2])[0] == 1009:
            refused += 1
    check("every 16 MiB message is echoed, or refused with 1009 over the budget",
          echoed + refused == 40 and echoed > 0, f"{echoed} echoed, {refused} refused")
    peak = server.peak() - start
    check("inflating 40 x 16 MiB peaks within the 64 MiB budget + 32 MiB", peak < 96 * MiB,
          f"peak +{mib(peak)}")
    time.sleep(5)
    grown = server.rss() - start
    check("5 s after the deflated messages, RSS is within 16 MiB of the start", grown < 16 * MiB,
          f"+{mib(grown)} with 40 connections open")
    for c in conns:
        c.close()


def test_plain(server, root):
    """Uncompressed: the buffer a message was joined in must not stay either."""
    warm = ws_open(server, "/ws/echo")
    warm.sendall(ws_frame(0x2, b"warm up"))
    ws_read_frame(warm)
    warm.close()
    time.sleep(0.2)
    start = server.rss()
    conns = [ws_open(server, "/ws/echo") for _ in range(10)]
    message = bytes(16 * MiB)
    for c in conns:
        c.sendall(ws_frame(0x2, message))
        op, _, payload = ws_read_frame(c)  # read it back: a queued echo is not the point here
        if op != 0x2 or len(payload) != len(message):
            check("a plain 16 MiB message is echoed", False, f"opcode {op}, {len(payload)} bytes")
    time.sleep(1)
    grown = server.rss() - start
    check("1 s after 10 plain 16 MiB messages, RSS is within 16 MiB of the start",
          grown < 16 * MiB, f"+{mib(grown)} with 10 connections open")
    for c in conns:
        c.close()


def test_fanout(server, root):
    subscribers = [ws_open(server, "/ws/chat", rcvbuf=4096) for _ in range(30)]
    publisher = ws_open(server, "/ws/chat")
    publisher.sendall(ws_frame(0x1, b"hello"))  # everyone is subscribed once this comes back
    op, _, payload = ws_read_frame(publisher)
    check("the chat works", op == 0x1 and payload == b"hello")
    time.sleep(0.3)

    start = server.rss()
    server.reset_peak()
    publisher.sendall(ws_frame(0x2, bytes(16 * MiB)))
    op, _, payload = ws_read_frame(publisher)  # the publisher reads its own copy
    check("the publisher gets the 16 MiB message back", op == 0x2 and len(payload) == 16 * MiB)
    time.sleep(1)
    peak = server.peak() - start
    check("30 non-reading subscribers of a 16 MiB message cost < 64 MiB at the peak",
          peak < 64 * MiB, f"peak +{mib(peak)}, now +{mib(server.rss() - start)}")

    # A subscriber that reads gets the message whole, from the shared copy.
    reader = subscribers[0]
    reader.settimeout(20)
    got = b""
    while True:
        op, _, payload = ws_read_frame(reader)
        if op == 0x2:
            got = payload
            break
    check("a subscriber that reads gets the whole message", got == bytes(16 * MiB))
    for s in subscribers + [publisher]:
        s.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("test", choices=["static", "inflate", "fanout"])
    parser.add_argument("--frontend", action="append")
    args = parser.parse_args()
    frontends = args.frontend or subprocess.run(
        [args.binary, "serve", "--list-frontends"], capture_output=True, text=True,
        check=True).stdout.split()
    parts = {"static": [test_static], "inflate": [test_inflate, test_plain],
             "fanout": [test_fanout]}[args.test]
    with tempfile.TemporaryDirectory(prefix="httpcore-memory-") as work:
        for frontend, test in ((f, t) for f in frontends for t in parts):
            name = test.__name__.removeprefix("test_")
            print(f"--- {name} on {frontend}", flush=True)
            root = os.path.join(work, f"{frontend}-{name}")
            os.mkdir(root)
            server = Server(args.binary, frontend, root, work)
            try:
                test(server, root)
            except (OSError, RuntimeError, ValueError, struct.error) as e:
                check(f"{name} ran to the end", False, repr(e))
            finally:
                server.stop()
    print("passed" if failures == 0 else f"{failures} check(s) failed")
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
