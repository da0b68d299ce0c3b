"""permessage-deflate (RFC 7692) as the server negotiates it: compressed
messages both ways (the harness inflates the server's with the window the
server agreed to, and afresh for each message when it agreed to
server_no_context_takeover, so a server breaking either is caught), the
negotiation of the parameters, RSV1 rules, and inflated data checked like
any other (UTF-8, limit)."""

import os

from .harness import case
from .wire import BINARY, CONT, PING, TEXT, CaseFailure, frame

DEFLATE = "permessage-deflate"


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
    c.send_frame(TEXT, c.conn.compress(text), rsv=4)
    c.expect_echo("text", text.encode())
    c.close_handshake()


@case("compression", "compressed binary of 256 KiB is echoed", extensions=DEFLATE,
      needs="deflate")
def _(c):
    negotiated(c)
    payload = bytes(range(256)) * 1024
    c.send_frame(BINARY, c.conn.compress(payload), rsv=4)
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
    data = c.conn.compress("fragmented and compressed " * 10)
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
    data = c.conn.compress("abcdef")
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
    c.send_frame(TEXT, c.conn.compress(b"valid then \xed\xa0\x80 invalid"), rsv=4)
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
    c.send_frame(BINARY, c.conn.compress(bytes(c.s.max_message + 1)), rsv=4)
    c.fail(1009, why=" (a deflate bomb: small on the wire, too big inflated)")


# --------------------------------------------------------------- negotiation --
def messages_round_trip(c, count=8):
    """Several messages compressed by us and echoed; the server's echoes are
    inflated under the agreed parameters. Each binary one repeats a random
    2000-byte block, and every message repeats the previous one's: a server
    using a larger window than agreed (references 2000 bytes back) or the
    previous message despite server_no_context_takeover makes the echo fail
    to inflate."""
    block = os.urandom(2000)
    for i in range(count):
        text = ("message %d: " % i) + "the same words again and again, " * 30
        c.send_frame(TEXT, c.conn.compress(text), rsv=4)
        c.expect_echo("text", text.encode())
        data = block * 2 + b"%d" % i
        c.send_frame(BINARY, c.conn.compress(data), rsv=4)
        c.expect_echo("binary", data)


def offer_case(name, offer, check_response):
    @case("compression", name, extensions=offer, needs="deflate")
    def _(c):
        negotiated(c)
        problem = check_response(c.conn)
        if problem:
            raise CaseFailure("offer %r answered with %r: %s" % (offer, c.extensions, problem))
        messages_round_trip(c)
        c.close_handshake()


def bits(conn, name):
    value = conn.deflate_param(name)
    return None if value is None else int(value) if value is not True else True


offer_case("server_no_context_takeover is honoured (RFC 7692 7.1.1.1)",
           DEFLATE + "; server_no_context_takeover",
           lambda conn: None if conn.deflate_param("server_no_context_takeover")
           else "the response must include server_no_context_takeover to accept this offer")
offer_case("client_no_context_takeover is accepted", DEFLATE + "; client_no_context_takeover",
           lambda conn: None)
offer_case("server_max_window_bits=10 is honoured (RFC 7692 7.1.2.1)",
           DEFLATE + "; server_max_window_bits=10",
           lambda conn: None if bits(conn, "server_max_window_bits") in range(8, 11)
           else "the response must name server_max_window_bits of at most 10")
offer_case("client_max_window_bits=9 limits our window", DEFLATE + "; client_max_window_bits=9",
           lambda conn: None if bits(conn, "client_max_window_bits") in (None, 8, 9)
           else "client_max_window_bits above what we offered")
offer_case("bare client_max_window_bits may be answered with a value",
           DEFLATE + "; client_max_window_bits",
           lambda conn: None if bits(conn, "client_max_window_bits") in (None, *range(8, 16))
           else "client_max_window_bits in a response needs a value from 8 to 15")
offer_case("a bad first offer is skipped for the next one (RFC 7692 5)",
           DEFLATE + "; server_max_window_bits=7, " + DEFLATE,
           lambda conn: None if bits(conn, "server_max_window_bits") != 7
           else "the server accepted a window of 7 bits")


@case("compression", "an offer with an unknown parameter is declined, not failed",
      extensions=DEFLATE + "; no_such_parameter")
def _(c):
    if c.extensions:
        raise CaseFailure("accepted an offer with an unknown parameter: %r" % c.extensions)
    c.send_frame(TEXT, "uncompressed")
    c.expect_echo("text", b"uncompressed")
    c.close_handshake()


@case("compression", "twenty compressed messages with context takeover", extensions=DEFLATE,
      needs="deflate")
def _(c):
    negotiated(c)
    messages_round_trip(c, 20)
    c.close_handshake()
