#!/usr/bin/python3
"""HTTP/2 conformance over raw frames against `httpcore serve`: cases written
from RFC 9113 and RFC 7541 in h2spec's categories. Each case opens a
connection (preface, SETTINGS, ACK), sends frames built by hand (HPACK from
python3-hpack), and checks what comes back: a connection error is a GOAWAY
with the right code followed by the close; a stream error a RST_STREAM with
the right code on that stream, the connection going on (checked with a
PING); a valid exchange its answer. Runs on every front end the binary has
(`--list-frontends`: epoll, io_uring, threads), h2c (prior knowledge) and over TLS (ALPN h2). Prints a line per
category and `N passed, M failed`; exits 1 if any failed. A case listed with a
known divergence (nghttp2's choice, explained there) passes when it fails in
that way, and fails the run if it starts to pass (the list is then stale).

usage: h2_frames.py PATH/TO/httpcore [--site DIR]
"""
import os
import pathlib
import re
import socket
import ssl
import struct
import subprocess
import sys
import tempfile
import time

import hpack

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
DATA, HEADERS, PRIORITY, RST_STREAM, SETTINGS, PUSH_PROMISE, PING, GOAWAY, WINDOW_UPDATE, \
    CONTINUATION = range(10)
END_STREAM, ACK, END_HEADERS, PADDED, PRIO = 0x1, 0x1, 0x4, 0x8, 0x20
NO_ERROR, PROTOCOL_ERROR, INTERNAL_ERROR, FLOW_CONTROL_ERROR, SETTINGS_TIMEOUT, STREAM_CLOSED, \
    FRAME_SIZE_ERROR, REFUSED_STREAM, CANCEL, COMPRESSION_ERROR = range(10)


def frame(kind, flags, stream, payload=b""):
    return struct.pack(">I", len(payload))[1:] + bytes([kind, flags]) + \
        struct.pack(">I", stream) + payload


def block(fields, huffman=True):
    return hpack.Encoder().encode(fields, huffman=huffman)


def request_fields(method="GET", path="/hello", extra=()):
    return [(":method", method), (":scheme", "http"), (":authority", "localhost"),
            (":path", path), *extra]


def get(stream, extra=(), end_stream=True):
    return frame(HEADERS, END_HEADERS | (END_STREAM if end_stream else 0), stream,
                 block(request_fields(extra=extra)))


class conn:
    def __init__(self, port, tls_ctx):
        raw = socket.create_connection(("127.0.0.1", port), timeout=5)
        self.sock = tls_ctx.wrap_socket(raw, server_hostname="localhost") if tls_ctx else raw
        self.buf = b""
        self.closed = False
        self.sock.sendall(PREFACE + frame(SETTINGS, 0, 0))
        for f in self.frames(until=lambda f: f[0] == SETTINGS and not f[1] & ACK):
            pass
        self.sock.sendall(frame(SETTINGS, ACK, 0))

    def frames(self, until, timeout=3):
        """Frames as they come, until `until(frame)` is true, the close, or the timeout."""
        deadline = time.monotonic() + timeout
        while True:
            while len(self.buf) >= 9:
                length = int.from_bytes(self.buf[:3], "big")
                if len(self.buf) < 9 + length:
                    break
                f = (self.buf[3], self.buf[4], int.from_bytes(self.buf[5:9], "big") & 0x7fffffff,
                     self.buf[9:9 + length])
                self.buf = self.buf[9 + length:]
                yield f
                if until(f):
                    return
            left = deadline - time.monotonic()
            if left <= 0 or self.closed:
                return
            self.sock.settimeout(left)
            try:
                data = self.sock.recv(65536)
            except (socket.timeout, ssl.SSLError):
                return
            except ConnectionResetError:
                data = b""
            if not data:
                self.closed = True
                return
            self.buf += data

    def close(self):
        self.sock.close()


# What a case expects back.
def connection_error(code, fenced=False):
    """GOAWAY with `code`, then the close. `fenced`: the case ends with a PING,
    so a PING ACK with no GOAWAY before it shows the frame was let through
    at once, instead of after a wait of the whole timeout."""
    def stop(f):
        return f[0] == GOAWAY or fenced and f[0] == PING and f[1] & ACK

    def check(c):
        got = [f for f in c.frames(until=stop)]
        goaway = [f for f in got if f[0] == GOAWAY]
        if not goaway:
            return f"no GOAWAY ({[(f[0], f[2]) for f in got]})"
        got_code = int.from_bytes(goaway[-1][3][4:8], "big")
        if got_code != code:
            return f"GOAWAY code {got_code}, expected {code}"
        list(c.frames(until=lambda f: False, timeout=3))
        return None if c.closed else "GOAWAY but the connection stayed open"
    return check


def stream_error(stream, *codes):
    """RST_STREAM with one of `codes`, the connection going on; or, as h2spec
    accepts (RFC 9113 §5.4.1: an endpoint may end the connection at any
    time), a GOAWAY with one of them followed by the close."""
    def check(c):
        got = [f for f in c.frames(until=lambda f: f[0] in (RST_STREAM, GOAWAY))]
        rst = [f for f in got if f[0] == RST_STREAM and f[2] == stream]
        goaway = [f for f in got if f[0] == GOAWAY]
        if not rst and goaway:
            got_code = int.from_bytes(goaway[-1][3][4:8], "big")
            if got_code not in codes:
                return f"GOAWAY code {got_code}, expected a stream error {codes}"
            list(c.frames(until=lambda f: False, timeout=3))
            return None if c.closed else "GOAWAY but the connection stayed open"
        if not rst:
            return f"no RST_STREAM on stream {stream} ({[(f[0], f[2]) for f in got]})"
        got_code = int.from_bytes(rst[-1][3][:4], "big")
        if got_code not in codes:
            return f"RST_STREAM code {got_code}, expected {codes}"
        return alive(c)
    return check


def alive(c):
    c.sock.sendall(frame(PING, 0, 0, b"stillok!"))
    for f in c.frames(until=lambda f: f[0] == PING and f[1] & ACK or f[0] == GOAWAY):
        if f[0] == GOAWAY:
            return "GOAWAY where only a stream error was due"
        if f[0] == PING and f[3] == b"stillok!":
            return None
    return "no PING ACK afterwards: the connection did not go on"


def answered(stream, status=b"200"):
    def check(c):
        dec = hpack.Decoder()
        for f in c.frames(until=lambda f: f[0] in (HEADERS, RST_STREAM, GOAWAY) and f[2] in (stream, 0)):
            if f[0] == HEADERS and f[2] == stream:
                fields = dict(dec.decode(f[3], raw=True))
                return None if fields.get(b":status") == status else f"status {fields}"
            if f[0] in (RST_STREAM, GOAWAY):
                return f"frame type {f[0]} instead of an answer"
        return "no answer"
    return check


def ping_answered(c):
    return alive(c)


S = lambda ident, value: struct.pack(">HI", ident, value)  # one SETTINGS entry

CASES = [
    # category, name, bytes to send, expectation
    ("3.4 preface", "a first frame other than SETTINGS after the magic is refused",
     None, connection_error(PROTOCOL_ERROR)),
    ("4.2 frame size", "DATA above SETTINGS_MAX_FRAME_SIZE",
     get(1, end_stream=False) + frame(DATA, 0, 1, b"x" * 16385), connection_error(FRAME_SIZE_ERROR)),
    ("4.2 frame size", "HEADERS above SETTINGS_MAX_FRAME_SIZE",
     frame(HEADERS, END_HEADERS | END_STREAM, 1,
           block(request_fields(extra=[("x-big", "y" * 17000)]), huffman=False)),
     connection_error(FRAME_SIZE_ERROR)),
    ("4.3 header compression", "an index beyond both tables",
     frame(HEADERS, END_HEADERS | END_STREAM, 1, b"\xff\xff\x7f"), connection_error(COMPRESSION_ERROR)),
    ("4.3 header compression", "a dynamic table size update above the setting",
     frame(HEADERS, END_HEADERS | END_STREAM, 1, b"\x3f\xe1\xff\x03" + block(request_fields())),
     connection_error(COMPRESSION_ERROR)),
    ("5.1 stream states", "DATA on an idle stream",
     frame(DATA, 0, 1, b"x"), connection_error(PROTOCOL_ERROR)),
    ("5.1 stream states", "RST_STREAM on an idle stream",
     frame(RST_STREAM, 0, 1, struct.pack(">I", CANCEL)), connection_error(PROTOCOL_ERROR)),
    ("5.1 stream states", "WINDOW_UPDATE on an idle stream",
     frame(WINDOW_UPDATE, 0, 1, struct.pack(">I", 100)), connection_error(PROTOCOL_ERROR)),
    ("5.1 stream states", "DATA on a half-closed (remote) stream",
     get(1) + frame(DATA, 0, 1, b"x"), stream_error(1, STREAM_CLOSED)),
    ("5.1 stream states", "a valid GET is answered",
     get(1), answered(1)),
    ("5.1.1 stream identifiers", "an even stream identifier from the client",
     get(2), connection_error(PROTOCOL_ERROR)),
    ("5.1.1 stream identifiers", "a stream identifier below the last one",
     get(5) + get(3) + frame(PING, 0, 0, b"fence..."), connection_error(PROTOCOL_ERROR, True),
     "nghttp2 ignores a HEADERS below the last stream identifier when it cannot tell the stream "
     "was never opened (it keeps no record of every closed stream, and a client may send "
     "trailers after a RST_STREAM it had not seen yet); RFC 9113 §5.1.1 asks for PROTOCOL_ERROR"),
    ("5.1.2 concurrency", "streams above SETTINGS_MAX_CONCURRENT_STREAMS are refused",
     b"".join(get(1 + 2 * i, end_stream=False) for i in range(101)),
     stream_error(201, REFUSED_STREAM, PROTOCOL_ERROR)),
    ("5.3 priority", "PRIORITY on an idle stream is accepted",
     frame(PRIORITY, 0, 9, struct.pack(">IB", 0, 16)), ping_answered),
    ("5.3 priority", "PRIORITY of another length than 5",
     frame(PRIORITY, 0, 1, struct.pack(">IBB", 0, 16, 0)), stream_error(1, FRAME_SIZE_ERROR)),
    ("5.3 priority", "a stream that depends on itself",
     frame(HEADERS, END_HEADERS | END_STREAM | PRIO, 1,
           struct.pack(">IB", 1, 16) + block(request_fields())),
     stream_error(1, PROTOCOL_ERROR)),
    ("6.1 DATA", "DATA on stream 0",
     frame(DATA, 0, 0, b"x"), connection_error(PROTOCOL_ERROR)),
    ("6.1 DATA", "padding longer than the payload",
     get(1, end_stream=False) + frame(DATA, PADDED, 1, b"\x05ab"), connection_error(PROTOCOL_ERROR)),
    ("6.2 HEADERS", "HEADERS on stream 0",
     frame(HEADERS, END_HEADERS | END_STREAM, 0, block(request_fields())),
     connection_error(PROTOCOL_ERROR)),
    ("6.2 HEADERS", "HEADERS without END_HEADERS, then DATA",
     frame(HEADERS, 0, 1, block(request_fields())) + frame(DATA, 0, 1, b"x"),
     connection_error(PROTOCOL_ERROR)),
    ("6.4 RST_STREAM", "RST_STREAM on stream 0",
     frame(RST_STREAM, 0, 0, struct.pack(">I", CANCEL)), connection_error(PROTOCOL_ERROR)),
    ("6.4 RST_STREAM", "RST_STREAM of length 3",
     get(1, end_stream=False) + frame(RST_STREAM, 0, 1, b"\x00\x00\x08"),
     connection_error(FRAME_SIZE_ERROR)),
    ("6.5 SETTINGS", "an ACK with a payload",
     frame(SETTINGS, ACK, 0, S(1, 4096)), connection_error(FRAME_SIZE_ERROR)),
    ("6.5 SETTINGS", "a length that is not a multiple of 6",
     frame(SETTINGS, 0, 0, b"\x00\x01\x00\x00"), connection_error(FRAME_SIZE_ERROR)),
    ("6.5 SETTINGS", "SETTINGS on stream 1",
     frame(SETTINGS, 0, 1, S(1, 4096)), connection_error(PROTOCOL_ERROR)),
    ("6.5.2 SETTINGS values", "ENABLE_PUSH of 2",
     frame(SETTINGS, 0, 0, S(2, 2)), connection_error(PROTOCOL_ERROR)),
    ("6.5.2 SETTINGS values", "INITIAL_WINDOW_SIZE above 2^31-1",
     frame(SETTINGS, 0, 0, S(4, 1 << 31)), connection_error(FLOW_CONTROL_ERROR)),
    ("6.5.2 SETTINGS values", "MAX_FRAME_SIZE below 16384",
     frame(SETTINGS, 0, 0, S(5, 16383)), connection_error(PROTOCOL_ERROR)),
    ("6.5.2 SETTINGS values", "an unknown setting is ignored",
     frame(SETTINGS, 0, 0, S(0xff, 1)), ping_answered),
    ("6.7 PING", "PING is answered with the same payload", None, ping_answered),
    ("6.7 PING", "PING on stream 1",
     frame(PING, 0, 1, b"12345678"), connection_error(PROTOCOL_ERROR)),
    ("6.7 PING", "PING of length 6",
     frame(PING, 0, 0, b"123456"), connection_error(FRAME_SIZE_ERROR)),
    ("6.8 GOAWAY", "GOAWAY on stream 1",
     frame(GOAWAY, 0, 1, struct.pack(">II", 0, 0)), connection_error(PROTOCOL_ERROR)),
    ("6.9 WINDOW_UPDATE", "an increment of 0 on the connection",
     frame(WINDOW_UPDATE, 0, 0, struct.pack(">I", 0)), connection_error(PROTOCOL_ERROR)),
    ("6.9 WINDOW_UPDATE", "an increment of 0 on a stream",
     get(1, end_stream=False) + frame(WINDOW_UPDATE, 0, 1, struct.pack(">I", 0)),
     stream_error(1, PROTOCOL_ERROR)),
    ("6.9 WINDOW_UPDATE", "the connection window above 2^31-1",
     frame(WINDOW_UPDATE, 0, 0, struct.pack(">I", 0x7fffffff)) * 2,
     connection_error(FLOW_CONTROL_ERROR)),
    ("6.9 WINDOW_UPDATE", "WINDOW_UPDATE of length 3",
     frame(WINDOW_UPDATE, 0, 0, b"\x00\x00\x01"), connection_error(FRAME_SIZE_ERROR)),
    ("6.10 CONTINUATION", "CONTINUATION without HEADERS before it",
     frame(CONTINUATION, END_HEADERS, 1, block(request_fields())), connection_error(PROTOCOL_ERROR)),
    ("6.10 CONTINUATION", "HEADERS split over CONTINUATION is answered",
     (lambda b: frame(HEADERS, END_STREAM, 1, b[:5]) + frame(CONTINUATION, END_HEADERS, 1, b[5:]))(
         block(request_fields())), answered(1)),
    ("8.2 HTTP fields", "an upper-case field name",
     get(1, extra=[("X-Upper", "1")]), stream_error(1, PROTOCOL_ERROR)),
    ("8.2 HTTP fields", "a connection-specific field",
     get(1, extra=[("connection", "keep-alive")]), stream_error(1, PROTOCOL_ERROR)),
    ("8.2 HTTP fields", "TE other than trailers",
     get(1, extra=[("te", "gzip")]), stream_error(1, PROTOCOL_ERROR)),
    ("8.3 pseudo-header fields", "a pseudo-header field after a regular one",
     frame(HEADERS, END_HEADERS | END_STREAM, 1,
           block([(":method", "GET"), (":scheme", "http"), ("x-a", "1"), (":path", "/")])),
     stream_error(1, PROTOCOL_ERROR)),
    ("8.3 pseudo-header fields", "no :path",
     frame(HEADERS, END_HEADERS | END_STREAM, 1,
           block([(":method", "GET"), (":scheme", "http"), (":authority", "x")])),
     stream_error(1, PROTOCOL_ERROR)),
    ("8.3 pseudo-header fields", "an unknown pseudo-header field",
     get(1, extra=[(":foo", "bar")]), stream_error(1, PROTOCOL_ERROR)),
    ("8.1.1 content-length", "DATA shorter than content-length",
     frame(HEADERS, END_HEADERS, 1, block(request_fields("POST", "/echo", [("content-length", "5")])))
     + frame(DATA, END_STREAM, 1, b"abc"), stream_error(1, PROTOCOL_ERROR)),
]


def run_case(port, tls_ctx, send, expect):
    c = conn(port, tls_ctx)
    try:
        if send is None and expect is ping_answered:
            return expect(c)
        if send is None:  # the first-frame case: a fresh connection without SETTINGS
            c.close()
            raw = socket.create_connection(("127.0.0.1", port), timeout=5)
            c.sock = tls_ctx.wrap_socket(raw, server_hostname="localhost") if tls_ctx else raw
            c.buf, c.closed = b"", False
            c.sock.sendall(PREFACE + frame(PING, 0, 0, b"12345678"))
            return expect(c)
        c.sock.sendall(send)
        return expect(c)
    finally:
        c.close()


class server:
    def __init__(self, binary, frontend, site, work, tls=None):
        args = [binary, "serve", "--frontend", frontend, "--port", "0", "--quiet"]
        if site:
            args += ["--root", site]
        if tls:
            args += ["--tls-port", "0", "--tls-cert", tls[0], "--tls-key", tls[1]]
        self.err_path = work / f"{frontend}-{bool(tls)}.err"
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL,
                                     stderr=open(self.err_path, "w"))
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            text = self.err_path.read_text()
            m = re.search(r"https://127\.0\.0\.1:(\d+)/" if tls else r"http://127\.0\.0\.1:(\d+)/",
                          text)
            if m:
                self.port = int(m.group(1))
                return
            time.sleep(0.05)
        sys.exit(f"h2_frames: the server did not start: {self.err_path.read_text()}")

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=20)


def main():
    args = sys.argv[1:]
    site = None
    if "--site" in args:
        i = args.index("--site")
        site = args[i + 1]
        del args[i:i + 2]
    if len(args) != 1:
        sys.exit("usage: h2_frames.py PATH/TO/httpcore [--site DIR]")
    binary = args[0]
    passed = failed = 0
    known = set()
    with tempfile.TemporaryDirectory() as tmp:
        work = pathlib.Path(tmp)
        cert, key = work / "c.pem", work / "c.key"
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                        "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", cert,
                        "-days", "2", "-subj", "/CN=localhost", "-addext",
                        "subjectAltName=DNS:localhost"], check=True, capture_output=True)
        ctx = ssl.create_default_context(cafile=str(cert))
        ctx.set_alpn_protocols(["h2"])
        names = subprocess.run([binary, "serve", "--list-frontends"], check=True,
                               capture_output=True, text=True).stdout.split()
        if "epoll" not in names or "threads" not in names:
            sys.exit(f"h2_frames: --list-frontends lacks epoll or threads: {names}")
        runs = [(f"h2c {f}", f, None) for f in names] + \
               [(f"h2 tls {f}", f, (cert, key)) for f in names]
        for label, frontend, tls in runs:
            t_run = time.monotonic()
            srv = server(binary, frontend, site, work, tls)
            by_category = {}
            try:
                for category, name, send, expect, *divergence in CASES:
                    t0 = time.monotonic()
                    why = run_case(srv.port, ctx if tls else None, send, expect)
                    if os.environ.get("H2_FRAMES_TIMES"):
                        print(f"  {time.monotonic() - t0:6.2f} s  {name}")
                    ok, bad = by_category.get(category, (0, []))
                    if divergence and why:
                        known.add(f"{name}: {divergence[0]}")
                        why = None
                    elif divergence:
                        why = "passes, but is listed as a known divergence: update the list"
                    by_category[category] = (ok + (why is None),
                                             bad + ([f"{name}: {why}"] if why else []))
            finally:
                srv.stop()
            print(f"[{label}] {len(CASES)} cases in {time.monotonic() - t_run:.2f} s")
            for category, (ok, bad) in by_category.items():
                print(f"[{label}] {category:28} {ok}/{ok + len(bad)}")
                for b in bad:
                    print(f"    FAIL {b}")
                passed += ok
                failed += len(bad)
    for k in sorted(known):
        print(f"known divergence (counted as passed): {k}")
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
