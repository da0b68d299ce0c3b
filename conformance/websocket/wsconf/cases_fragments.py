"""Fragmentation (RFC 6455 5.4): fragmented messages are echoed as one
message; control frames may come between fragments; a continuation needs a
message to continue, a new message cannot start inside one, and control
frames cannot be fragmented."""

import time

from .harness import case
from .wire import BINARY, CLOSE, CONT, PING, PONG, TEXT, close_payload, frame


def fragments(op, pieces):
    """The frames of one message: op first, continuations after, FIN last."""
    out = []
    for i, piece in enumerate(pieces):
        out.append(frame(op if i == 0 else CONT, piece, fin=i == len(pieces) - 1))
    return out


@case("fragmentation", "text in 2 fragments -> one message")
def _(c):
    c.send(b"".join(fragments(TEXT, [b"fragment1", b"fragment2"])))
    c.expect_echo("text", b"fragment1fragment2")
    c.close_handshake()


@case("fragmentation", "binary in 3 fragments -> one message")
def _(c):
    c.send(b"".join(fragments(BINARY, [b"\x00\x01", b"\x02\x03", b"\xff"])))
    c.expect_echo("binary", b"\x00\x01\x02\x03\xff")
    c.close_handshake()


@case("fragmentation", "text in 100 one-byte fragments")
def _(c):
    text = bytes(ord("a") + i % 26 for i in range(100))
    c.send(b"".join(fragments(TEXT, [text[i:i + 1] for i in range(100)])))
    c.expect_echo("text", text)
    c.close_handshake()


@case("fragmentation", "empty first and last fragments")
def _(c):
    c.send(b"".join(fragments(TEXT, [b"", b"middle", b""])))
    c.expect_echo("text", b"middle")
    c.close_handshake()


@case("fragmentation", "empty message in 3 empty fragments")
def _(c):
    c.send(b"".join(fragments(BINARY, [b"", b"", b""])))
    c.expect_echo("binary", b"")
    c.close_handshake()


@case("fragmentation", "fragments in separate TCP writes with pauses")
def _(c):
    for piece in fragments(TEXT, [b"slow ", b"and ", b"steady"]):
        c.send(piece)
        time.sleep(0.05)
    c.expect_echo("text", b"slow and steady")
    c.close_handshake()


@case("fragmentation", "64 KiB binary in 64 fragments of 1 KiB")
def _(c):
    payload = bytes(i * 7 & 0xFF for i in range(65536))
    c.send(b"".join(fragments(BINARY, [payload[i:i + 1024] for i in range(0, 65536, 1024)])))
    c.expect_echo("binary", payload)
    c.close_handshake()


@case("fragmentation", "ping between fragments -> pong and the message")
def _(c):
    first, last = fragments(TEXT, [b"fragment1", b"fragment2"])
    c.send(first + frame(PING, "between") + last)
    c.expect(("pong", b"between"), ("text", b"fragment1fragment2"), ordered=False)
    c.close_handshake()


@case("fragmentation", "pong between fragments is ignored")
def _(c):
    first, last = fragments(TEXT, [b"fragment1", b"fragment2"])
    c.send(first + frame(PONG, "unsolicited") + last)
    c.expect_echo("text", b"fragment1fragment2")
    c.close_handshake()


@case("fragmentation", "ping between fragments, all written one byte at a time")
def _(c):
    first, last = fragments(TEXT, [b"frag1", b"frag2"])
    c.send_chopped(first + frame(PING, "chopped") + last)
    c.expect(("pong", b"chopped"), ("text", b"frag1frag2"), ordered=False)
    c.close_handshake()


@case("fragmentation", "pings between each of 5 fragments, separate writes")
def _(c):
    pieces = fragments(BINARY, [b"a", b"b", b"c", b"d", b"e"])
    for i, piece in enumerate(pieces):
        c.send(piece)
        if i < len(pieces) - 1:
            c.send(frame(PING, b"p%d" % i))
            c.expect(("pong", b"p%d" % i))  # answered while the message is still open
    c.expect_echo("binary", b"abcde")
    c.close_handshake()


@case("fragmentation", "close between fragments -> close echoed, no message")
def _(c):
    first, _last = fragments(TEXT, [b"never", b"finished"])
    c.send(first + frame(CLOSE, close_payload(1000)))
    c.conn.sent_close = True
    c.expect_close({1000})


@case("fragmentation", "continuation (FIN) without a message -> 1002")
def _(c):
    c.send_frame(CONT, "orphan")
    c.fail(1002, why=" (RFC 6455 5.4: nothing to continue)")


@case("fragmentation", "continuation (no FIN) without a message -> 1002")
def _(c):
    c.send_frame(CONT, "orphan", fin=False)
    c.fail(1002)


@case("fragmentation", "continuation after a finished message -> echo, then 1002")
def _(c):
    c.send(frame(TEXT, "done") + frame(CONT, "extra"))
    c.fail(1002, before=[("text", b"done")])


@case("fragmentation", "text frame inside a fragmented text -> 1002")
def _(c):
    c.send(frame(TEXT, "start", fin=False) + frame(TEXT, "intruder") + frame(CONT, "end"))
    c.fail(1002, why=" (RFC 6455 5.4: a new message inside a fragmented one)")


@case("fragmentation", "binary frame inside a fragmented text -> 1002")
def _(c):
    c.send(frame(TEXT, "start", fin=False) + frame(BINARY, b"\x00", fin=False))
    c.fail(1002)


@case("fragmentation", "fragmented ping -> 1002")
def _(c):
    c.send(frame(PING, "frag", fin=False) + frame(CONT, "ment"))
    c.fail(1002, why=" (RFC 6455 5.5: control frames MUST NOT be fragmented)")


@case("fragmentation", "fragmented pong -> 1002")
def _(c):
    c.send(frame(PONG, "frag", fin=False) + frame(CONT, "ment"))
    c.fail(1002)


@case("fragmentation", "fragmented close -> 1002")
def _(c):
    c.send(frame(CLOSE, close_payload(1000), fin=False) + frame(CONT, ""))
    c.fail(1002)


@case("fragmentation", "fragmented ping inside a fragmented text -> 1002")
def _(c):
    c.send(frame(TEXT, "start", fin=False) + frame(PING, "frag", fin=False))
    c.fail(1002)
