"""The close handshake (RFC 6455 5.5.1, 7.1, 7.4): the server answers our
close frame with one of its own and ends the TCP connection; the code must
be one a close frame may carry and the reason UTF-8; once a close frame is
received nothing else is processed."""

from .harness import case
from .wire import BINARY, CLOSE, PING, TEXT, close_payload, frame

# RFC 6455 7.4.1 codes an endpoint may send, and the private ranges (7.4.2).
VALID_CODES = [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999]
# Never on the wire: below 1000, reserved (1004), the ones that only describe
# a missing close (1005, 1006, 1015), unassigned protocol codes, above 4999.
# (1012-1014 are registered with IANA after RFC 6455; implementations differ,
# so they are in neither list.)
INVALID_CODES = [0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535]


@case("close", "close without a payload -> close, TCP closed")
def _(c):
    c.close_handshake(code=None, accept={None, 1000})


@case("close", "close 1000 -> close 1000, TCP closed")
def _(c):
    c.close_handshake(1000, accept={1000})


@case("close", "close 1000 with a reason")
def _(c):
    c.close_handshake(1000, "Hello World! κόσμε")


@case("close", "close with a 123-byte reason (125-byte payload)")
def _(c):
    c.close_handshake(1000, "r" * 123)


@case("close", "close with a 124-byte reason (126-byte payload) -> 1002")
def _(c):
    c.send_frame(CLOSE, close_payload(1000, "r" * 124))
    c.fail(1002)


@case("close", "close with a 1-byte payload -> 1002")
def _(c):
    c.send_frame(CLOSE, b"\x03")
    c.fail(1002, why=" (RFC 6455 5.5.1: a body starts with a 2-byte code)")


@case("close", "close with an invalid UTF-8 reason -> 1007")
def _(c):
    c.send_frame(CLOSE, close_payload(1000) + b"bad \xff reason")
    c.fail(1007)


@case("close", "close with a reason that ends inside a character -> 1007")
def _(c):
    c.send_frame(CLOSE, close_payload(1000) + b"\xce")
    c.fail(1007)


def valid_code_case(code):
    @case("close", "valid code %d is echoed (or 1000)" % code)
    def _(c):
        c.close_handshake(code)


def invalid_code_case(code):
    @case("close", "invalid code %d -> 1002" % code)
    def _(c):
        c.send_frame(CLOSE, close_payload(code))
        c.fail(1002, why=" (RFC 6455 7.4: %d may not be sent)" % code)


for _code in VALID_CODES:
    valid_code_case(_code)
for _code in INVALID_CODES:
    invalid_code_case(_code)


@case("close", "text after close in the same write is not echoed")
def _(c):
    c.send(frame(CLOSE, close_payload(1000)) + frame(TEXT, "too late"))
    c.conn.sent_close = True
    c.expect_close({1000})


@case("close", "ping after close is not answered")
def _(c):
    c.send(frame(CLOSE, close_payload(1000)) + frame(PING, "too late"))
    c.conn.sent_close = True
    c.expect_close({1000})


@case("close", "text, then close in one write -> echo, then close")
def _(c):
    c.send(frame(TEXT, "last words") + frame(CLOSE, close_payload(1000)))
    c.conn.sent_close = True
    c.expect_close({1000}, before=[("text", b"last words")])


@case("close", "close after a large message -> echo, then close")
def _(c):
    payload = bytes(range(256)) * 1024
    c.send(frame(BINARY, payload) + frame(CLOSE, close_payload(1001)))
    c.conn.sent_close = True
    c.expect_close({1001, 1000}, before=[("binary", payload)])


@case("close", "close written one byte at a time")
def _(c):
    c.send_chopped(frame(CLOSE, close_payload(1000, "chopped")))
    c.conn.sent_close = True
    c.expect_close({1000})


@case("close", "TCP half-close after our close frame still gets the close")
def _(c):
    import socket
    c.send_frame(CLOSE, close_payload(1000))
    c.conn.sock.shutdown(socket.SHUT_WR)
    c.expect_close({1000})
