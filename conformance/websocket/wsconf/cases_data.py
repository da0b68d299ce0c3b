"""Limits (RFC 6455 7.4.1, 1009: a message too big to process) and
permessage-deflate (RFC 7692) as the server negotiates it.

The limit is the server's; the harness is told it (--max-message, default
16 MiB, httpcore's ws::limits default)."""

import os

from .harness import case
from .wire import BINARY, CONT, PING, TEXT, CaseFailure, deflate_message, frame

DEFLATE = "permessage-deflate"


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


# --------------------------------------------------------------- compression --
def negotiated(c):
    if not c.extensions.startswith(DEFLATE):
        raise CaseFailure("the server did not accept permessage-deflate (answered %r)"
                          % c.extensions)


@case("compression", "permessage-deflate is accepted", extensions=DEFLATE, needs="deflate")
def _(c):
    negotiated(c)
    c.close_handshake()


@case("compression", "compressed text is echoed", extensions=DEFLATE, needs="deflate")
def _(c):
    negotiated(c)
    text = "Hello, compressed world! " * 20
    c.send_frame(TEXT, deflate_message(text), rsv=4)
    c.expect_echo("text", text.encode())
    c.close_handshake()


@case("compression", "compressed binary of 256 KiB is echoed", extensions=DEFLATE,
      needs="deflate")
def _(c):
    negotiated(c)
    payload = bytes(range(256)) * 1024
    c.send_frame(BINARY, deflate_message(payload), rsv=4)
    c.expect_echo("binary", payload)
    c.close_handshake()


@case("compression", "uncompressed text still works", extensions=DEFLATE, needs="deflate")
def _(c):
    negotiated(c)
    c.send_frame(TEXT, "plain")
    c.expect_echo("text", b"plain")
    c.close_handshake()


@case("compression", "compressed message in 3 fragments, ping between", extensions=DEFLATE,
      needs="deflate")
def _(c):
    negotiated(c)
    data = deflate_message("fragmented and compressed " * 10)
    a, b = len(data) // 3, 2 * len(data) // 3
    c.send(frame(TEXT, data[:a], fin=False, rsv=4) + frame(CONT, data[a:b], fin=False) +
           frame(PING, "between") + frame(CONT, data[b:]))
    c.expect(("pong", b"between"), ("text", ("fragmented and compressed " * 10).encode()),
             ordered=False)
    c.close_handshake()


@case("compression", "RSV1 on a continuation frame -> 1002", extensions=DEFLATE,
      needs="deflate")
def _(c):
    negotiated(c)
    data = deflate_message("abcdef")
    c.send(frame(TEXT, data[:2], fin=False, rsv=4) + frame(CONT, data[2:], rsv=4))
    c.fail(1002, why=" (RFC 7692 6.1: RSV1 only on a message's first frame)")


@case("compression", "RSV1 on a ping -> 1002", extensions=DEFLATE, needs="deflate")
def _(c):
    negotiated(c)
    c.send_frame(PING, "x", rsv=4)
    c.fail(1002)


@case("compression", "compressed text inflating to invalid UTF-8 -> 1007", extensions=DEFLATE,
      needs="deflate")
def _(c):
    negotiated(c)
    c.send_frame(TEXT, deflate_message(b"valid then \xed\xa0\x80 invalid"), rsv=4)
    c.fail(1007)


@case("compression", "data that does not inflate -> failed", extensions=DEFLATE,
      needs="deflate")
def _(c):
    negotiated(c)
    c.send_frame(BINARY, b"\xff\xff\xff\xff\xff", rsv=4)
    # RFC 7692 does not name the code; 1002 (protocol) or 1007 (data) are both fair.
    c.expect_close({1002, 1007})


@case("compression", "compressed message inflating above the limit -> 1009",
      extensions=DEFLATE, needs="deflate")
def _(c):
    negotiated(c)
    c.send_frame(BINARY, deflate_message(bytes(c.s.max_message + 1)), rsv=4)
    c.fail(1009, why=" (a deflate bomb: small on the wire, too big inflated)")
