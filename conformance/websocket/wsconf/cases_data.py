"""Limits (RFC 6455 7.4.1, 1009: a message too big to process). The limit is
the server's; the harness is told it (--max-message, default 16 MiB,
httpcore's ws::limits default)."""

import os

from .harness import case
from .wire import BINARY, CONT, TEXT, frame


# -------------------------------------------------------------------- limits --
def header_then_payload(c, whole):
    """A server may refuse an oversized frame from its header alone: then no
    payload is sent at all (bytes the server never reads could make its
    close turn into a TCP reset that loses the close frame). Otherwise the
    payload follows, until the server answers."""
    c.send(whole[:14])
    try:
        c.put_back(c.conn.next_event(0.5))
        return
    except TimeoutError:
        c.send_streaming(whole[14:])


@case("limits", "binary message of exactly the limit is echoed")
def _(c):
    payload = os.urandom(c.s.max_message)
    c.send(frame(BINARY, payload))
    c.expect_echo("binary", payload, timeout=c.s.timeout * 5)  # megabytes to process first
    c.close_handshake()


@case("limits", "one frame a byte over the limit -> 1009")
def _(c):
    n = c.s.max_message + 1
    whole = frame(BINARY, bytes(n), key=b"\x00\x00\x00\x00")  # zero key: no masking cost
    header_then_payload(c, whole)
    c.fail(1009)


@case("limits", "text frame a byte over the limit -> 1009")
def _(c):
    n = c.s.max_message + 1
    whole = frame(TEXT, b"a" * n, key=b"\x00\x00\x00\x00")
    header_then_payload(c, whole)
    c.fail(1009)


@case("limits", "fragments under the limit adding up to above it -> 1009")
def _(c):
    half = c.s.max_message // 2 + 1
    zero = b"\x00\x00\x00\x00"
    data = frame(BINARY, bytes(half), fin=False, key=zero) + frame(CONT, bytes(half), key=zero)
    c.send_streaming(data)
    c.fail(1009)


@case("limits", "many small fragments adding up to above the limit -> 1009")
def _(c):
    piece = c.s.max_message // 16
    zero = b"\x00\x00\x00\x00"
    data = frame(BINARY, bytes(piece), fin=False, key=zero)
    data += frame(CONT, bytes(piece), fin=False, key=zero) * 16 + frame(CONT, b"x", key=zero)
    c.send_streaming(data)
    c.fail(1009)
