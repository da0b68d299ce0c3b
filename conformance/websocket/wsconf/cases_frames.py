"""Cases on single frames: the handshake, payload lengths and their
encodings (RFC 6455 5.2), masking (5.3), pings and pongs (5.5.2, 5.5.3),
reserved bits (5.2) and reserved opcodes (5.2)."""

import base64
import os

from .harness import case
from .wire import (BINARY, CLOSE, PING, PONG, TEXT, CaseFailure, Conn, NonStrict, frame,
                   handshake_reply)

UPGRADE = ["Upgrade: websocket", "Connection: Upgrade"]


def random_key():
    return "Sec-WebSocket-Key: " + base64.b64encode(os.urandom(16)).decode()


# ----------------------------------------------------------------- handshake --
@case("handshake", "101 names websocket in Upgrade and Connection")
def _(c):
    fields = c.conn.response_head.lower()
    if "upgrade: websocket" not in fields:
        raise CaseFailure("no 'Upgrade: websocket' in the 101 response")
    if "connection:" not in fields or "upgrade" not in fields.split("connection:")[1].split("\r\n")[0]:
        raise CaseFailure("no 'Connection: Upgrade' in the 101 response")
    c.close_handshake()


@case("handshake", "Connection: keep-alive, Upgrade and Upgrade: WebSocket (browsers)")
def _(c):
    c.close()
    c.conn = Conn(c.s.url, c.s.timeout, upgrade="WebSocket", connection="keep-alive, Upgrade")
    c.send_frame(TEXT, "firefox-style")
    c.expect_echo("text", b"firefox-style")
    c.close_handshake()


@case("handshake", "unsupported version gets an error and Sec-WebSocket-Version: 13")
def _(c):
    c.close()
    status, fields, head = handshake_reply(c.s.url, UPGRADE + [random_key(),
                                           "Sec-WebSocket-Version: 8"], c.s.timeout)
    if status == 101 or status < 400:
        raise CaseFailure("version 8 was answered with %d (RFC 6455 4.2.2: MUST abort)" % status)
    versions = [v.strip() for v in fields.get("sec-websocket-version", "").split(",")]
    if "13" not in versions:
        raise CaseFailure("%d without 'Sec-WebSocket-Version: 13' (RFC 6455 4.4)" % status)
    if status != 426:
        raise NonStrict("answered %d; RFC 6455 4.2.2 suggests 426 Upgrade Required" % status)


@case("handshake", "missing Sec-WebSocket-Key is refused")
def _(c):
    c.close()
    status, _, _ = handshake_reply(c.s.url, UPGRADE + ["Sec-WebSocket-Version: 13"], c.s.timeout)
    if status == 101 or status < 400:
        raise CaseFailure("answered %d; RFC 6455 4.2.1 requires the key" % status)


@case("handshake", "an unknown extension is not accepted", extensions="x-webkit-unknown")
def _(c):
    if "x-webkit-unknown" in c.extensions:
        raise CaseFailure("the server accepted an extension it cannot know: %r" % c.extensions)
    c.send_frame(TEXT, "ok")
    c.expect_echo("text", b"ok")
    c.close_handshake()


# ------------------------------------------------------------------- framing --
def echo_case(kind, n):
    op = TEXT if kind == "text" else BINARY
    encoding = "7-bit" if n <= 125 else "16-bit" if n <= 0xFFFF else "64-bit"

    @case("framing", "%s %d bytes (%s length)" % (kind, n, encoding))
    def _(c):
        payload = (b"*" * n) if op == TEXT else bytes(i & 0xFF for i in range(n))
        c.send_frame(op, payload)
        c.expect_echo(kind, payload)
        c.close_handshake()


for _kind in ("text", "binary"):
    for _n in (0, 1, 125, 126, 127, 128, 65535, 65536):
        echo_case(_kind, _n)


@case("framing", "binary 1 MiB in one frame")
def _(c):
    payload = os.urandom(1 << 20)
    c.send_frame(BINARY, payload)
    c.expect_echo("binary", payload)
    c.close_handshake()


@case("framing", "text frame written one byte at a time")
def _(c):
    c.send_chopped(frame(TEXT, "Hello, chopped world"))
    c.expect_echo("text", b"Hello, chopped world")
    c.close_handshake()


@case("framing", "64 KiB binary frame written in 997-byte pieces")
def _(c):
    payload = os.urandom(65536)
    c.send_chopped(frame(BINARY, payload), piece=997, pause=0)
    c.expect_echo("binary", payload)
    c.close_handshake()


@case("framing", "three frames in one write are three echoes")
def _(c):
    c.send(frame(TEXT, "one") + frame(BINARY, b"\x00two") + frame(TEXT, "three"))
    c.expect(("text", b"one"), ("binary", b"\x00two"), ("text", b"three"))
    c.close_handshake()


@case("framing", "unmasked client frame -> 1002")
def _(c):
    c.send_frame(TEXT, "not masked", mask=False)
    c.fail(1002, why=" (RFC 6455 5.1: a server MUST close on an unmasked frame)")


@case("framing", "unmasked frame after a good one -> echo, then 1002")
def _(c):
    c.send(frame(TEXT, "good") + frame(TEXT, "bad", mask=False))
    c.fail(1002, before=[("text", b"good")])


@case("framing", "non-minimal 16-bit length for 5 bytes -> 1002")
def _(c):
    c.send_frame(TEXT, "hello", length_bytes=2)
    c.strict_or_lenient(1002, ("text", b"hello"), "accepted a 16-bit length for 5 bytes: RFC 6455"
                        " 5.2 makes the sender use the minimal encoding but does not require"
                        " the receiver to fail")


@case("framing", "non-minimal 64-bit length for 200 bytes -> 1002")
def _(c):
    c.send_frame(BINARY, b"x" * 200, length_bytes=8)
    c.strict_or_lenient(1002, ("binary", b"x" * 200), "accepted a 64-bit length for 200 bytes"
                        " (RFC 6455 5.2 constrains the sender only)")


@case("framing", "64-bit length with the most significant bit set -> 1002")
def _(c):
    c.send(frame(BINARY, b"", length=(1 << 63) | 5) + b"hello")
    ev = c.event("a close frame with 1002")
    if ev.kind == "close" and ev.code == 1009:
        c.put_back(ev)
        c.expect_close({1009})
        raise NonStrict("closed with 1009 (too big) rather than 1002 (RFC 6455 5.2: the most"
                        " significant bit MUST be 0); either way the connection is failed")
    c.put_back(ev)
    c.fail(1002)


# --------------------------------------------------------------------- pings --
@case("pings", "empty ping -> empty pong")
def _(c):
    c.send_frame(PING)
    c.expect(("pong", b""))
    c.close_handshake()


@case("pings", "ping with text payload -> pong with the same payload")
def _(c):
    c.send_frame(PING, "Hello, pong!")
    c.expect(("pong", b"Hello, pong!"))
    c.close_handshake()


@case("pings", "125-byte binary ping -> same pong")
def _(c):
    payload = bytes(range(125))
    c.send_frame(PING, payload)
    c.expect(("pong", payload))
    c.close_handshake()


@case("pings", "126-byte ping -> 1002")
def _(c):
    c.send_frame(PING, b"p" * 126)
    c.fail(1002, why=" (RFC 6455 5.5: control frames carry at most 125 bytes)")


@case("pings", "125-byte ping written one byte at a time")
def _(c):
    payload = b"\xfe" * 125
    c.send_chopped(frame(PING, payload))
    c.expect(("pong", payload))
    c.close_handshake()


@case("pings", "unsolicited empty pong is ignored")
def _(c):
    c.send(frame(PONG) + frame(TEXT, "after the pong"))
    c.expect_echo("text", b"after the pong")
    c.close_handshake()


@case("pings", "unsolicited pong with payload, then ping -> one pong")
def _(c):
    c.send(frame(PONG, "unsolicited") + frame(PING, "solicited"))
    c.expect(("pong", b"solicited"))
    c.close_handshake()


@case("pings", "ten pings -> pongs, the last one at least")
def _(c):
    payloads = [("ping %d" % i).encode() for i in range(10)]
    c.send(b"".join(frame(PING, p) for p in payloads))
    while True:  # RFC 6455 5.5.3: answering only the most recent ping is allowed
        ev = c.event("the pong to the tenth ping")
        if ev.kind != "pong" or ev.payload not in payloads:
            raise CaseFailure("expected pongs to our pings, got %r" % ev)
        if ev.payload == payloads[-1]:
            break
    c.close_handshake()


@case("pings", "ping with a binary (non-UTF-8) payload -> same pong")
def _(c):
    c.send_frame(PING, b"\xff\xfe\x00\xc0")
    c.expect(("pong", b"\xff\xfe\x00\xc0"))
    c.close_handshake()


# ------------------------------------------------------------- reserved bits --
def rsv_case(name, op, rsv):
    @case("reserved bits", "%s -> 1002" % name)
    def _(c):
        c.send_frame(op, "x" if op != BINARY else b"\x01", rsv=rsv)
        c.fail(1002, why=" (RFC 6455 5.2: RSV bits MUST be 0 without an extension)")


rsv_case("text with RSV1", TEXT, 4)
rsv_case("text with RSV2", TEXT, 2)
rsv_case("text with RSV3", TEXT, 1)
rsv_case("binary with RSV1+RSV2", BINARY, 6)
rsv_case("binary with all three", BINARY, 7)
rsv_case("ping with RSV1", PING, 4)
rsv_case("close with RSV3", CLOSE, 1)


@case("reserved bits", "good text, RSV2 text, ping -> echo, then 1002 and no pong")
def _(c):
    c.send(frame(TEXT, "first") + frame(TEXT, "second", rsv=2) + frame(PING, "ping"))
    c.fail(1002, before=[("text", b"first")])


# ------------------------------------------------------------------- opcodes --
def opcode_case(op):
    kind = "non-control" if op < 8 else "control"

    @case("opcodes", "reserved %s opcode %d -> 1002" % (kind, op))
    def _(c):
        c.send_frame(op, b"" if op % 2 else b"payload")
        c.fail(1002, why=" (RFC 6455 5.2: unknown opcode)")


for _op in (3, 4, 5, 6, 7, 11, 12, 13, 14, 15):
    opcode_case(_op)


@case("opcodes", "good text, opcode 5, ping -> echo, then 1002")
def _(c):
    c.send(frame(TEXT, "before") + frame(5, b"") + frame(PING, "after"))
    c.fail(1002, before=[("text", b"before")])


@case("opcodes", "good text, opcode 11, ping -> echo, then 1002")
def _(c):
    c.send(frame(TEXT, "before") + frame(11, b"") + frame(PING, "after"))
    c.fail(1002, before=[("text", b"before")])

