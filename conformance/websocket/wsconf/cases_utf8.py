"""UTF-8 in text messages (RFC 6455 5.6, 8.1; RFC 3629): valid text is
echoed however it is cut into fragments and TCP writes; invalid text fails
the connection with 1007, as soon as the first byte that cannot be part of
valid UTF-8 arrives (failing fast: Autobahn's strict behaviour; waiting for
the end of the frame or message is counted non-strict)."""

from .harness import case
from .wire import CONT, TEXT, NonStrict, frame

KOSME = "κόσμε".encode()  # RFC 3629's and Autobahn's favourite, 11 bytes

VALID = [
    ("ASCII with every printable", bytes(range(0x20, 0x7F))),
    ("Latin-1 range", "Hello-µ@ßöäüàá-UTF-8!!".encode()),
    ("Greek", KOSME),
    ("U+0000 and U+007F", b"\x00\x7f"),
    ("2-byte boundaries U+0080, U+07FF", b"\xc2\x80\xdf\xbf"),
    ("3-byte boundaries U+0800, U+FFFF", b"\xe0\xa0\x80\xef\xbf\xbf"),
    ("4-byte boundaries U+10000, U+10FFFF", b"\xf0\x90\x80\x80\xf4\x8f\xbf\xbf"),
    ("around the surrogates U+D7FF, U+E000", b"\xed\x9f\xbf\xee\x80\x80"),
    ("U+FFFD and U+FEFF", b"\xef\xbf\xbd\xef\xbb\xbf"),
    ("noncharacters U+FFFE, U+FDD0, U+10FFFE", b"\xef\xbf\xbe\xef\xb7\x90\xf4\x8f\xbf\xbe"),
    ("emoji", "😀 smile 🎉".encode()),
]

INVALID = [
    ("0xFF", b"\xff"),
    ("0xFE in text", b"abc\xfedef"),
    ("lone continuation byte", b"\x80"),
    ("2-byte lead then ASCII", b"\xc2\x41"),
    ("overlong 2-byte /", b"\xc0\xaf"),
    ("overlong 3-byte /", b"\xe0\x80\xaf"),
    ("overlong 4-byte /", b"\xf0\x80\x80\xaf"),
    ("overlong U+07FF in 3 bytes", b"\xe0\x9f\xbf"),
    ("surrogate U+D800", b"\xed\xa0\x80"),
    ("surrogate U+DFFF", b"\xed\xbf\xbf"),
    ("paired surrogates U+D800 U+DC00", b"\xed\xa0\x80\xed\xb0\x80"),
    ("overlong NUL", b"\xc0\x80"),
    ("lead 0xC1 (always overlong)", b"\xc1\xbf"),
    ("6-byte form", b"\xfc\x84\x80\x80\x80\x80"),
    ("lone start byte then space", b"\xe1 "),
    ("above U+10FFFF", b"\xf4\x90\x80\x80"),
    ("lead 0xF5", b"\xf5\x80\x80\x80"),
    ("5-byte form", b"\xf8\x88\x80\x80\x80"),
    ("truncated at the end of the message", KOSME + b"\xce"),
    ("truncated 4-byte at the end", b"ok\xf0\x9f\x98"),
]


def valid_case(name, payload):
    @case("utf-8", "valid: %s" % name)
    def _(c):
        c.send_frame(TEXT, payload)
        c.expect_echo("text", payload)
        c.close_handshake()


def invalid_case(name, payload):
    @case("utf-8", "invalid: %s -> 1007" % name)
    def _(c):
        c.send_frame(TEXT, payload)
        c.fail(1007, why=" (RFC 6455 8.1: invalid UTF-8 in a text message)")


for _name, _payload in VALID:
    valid_case(_name, _payload)
for _name, _payload in INVALID:
    invalid_case(_name, _payload)


@case("utf-8", "valid: Latin text in one-byte fragments (characters split)")
def _(c):
    text = "Hello-µ@ßöäüàá-UTF-8!!".encode()
    c.send(b"".join(frame(TEXT if i == 0 else CONT, text[i:i + 1], fin=i == len(text) - 1)
                    for i in range(len(text))))
    c.expect_echo("text", text)
    c.close_handshake()


@case("utf-8", "valid: a 4-byte character split over 4 fragments")
def _(c):
    ch = b"\xf0\x9f\x98\x80"
    c.send(b"".join(frame(TEXT if i == 0 else CONT, ch[i:i + 1], fin=i == 3) for i in range(4)))
    c.expect_echo("text", ch)
    c.close_handshake()


@case("utf-8", "valid: one frame written one byte per TCP write")
def _(c):
    text = KOSME + "😀".encode()
    c.send_chopped(frame(TEXT, text))
    c.expect_echo("text", text)
    c.close_handshake()


@case("utf-8", "κόσμε cut after each byte: whole characters echoed, cut ones -> 1007")
def _(c):
    c.close()
    for n in range(1, len(KOSME) + 1):
        sub = type(c)(c.s)  # a connection per prefix
        try:
            sub.send_frame(TEXT, KOSME[:n])
            try:
                KOSME[:n].decode("utf-8")
            except UnicodeDecodeError:
                sub.fail(1007, why=" for the first %d bytes" % n)
                continue
            sub.expect_echo("text", KOSME[:n])
            sub.close_handshake()
        finally:
            sub.close()


@case("utf-8", "invalid: surrogate split across fragments -> 1007")
def _(c):
    c.send(frame(TEXT, KOSME + b"\xed", fin=False) + frame(CONT, b"\xa0\x80edited"))
    c.fail(1007)


@case("utf-8", "invalid: message ends inside a character (fragmented) -> 1007")
def _(c):
    c.send(frame(TEXT, b"abc\xe2\x82", fin=False) + frame(CONT, b"", fin=True))
    c.fail(1007)


@case("utf-8", "invalid: valid fragments, then one with 0xFF -> 1007")
def _(c):
    c.send(frame(TEXT, KOSME, fin=False) + frame(CONT, b"more", fin=False) +
           frame(CONT, b"\xff", fin=True))
    c.fail(1007)


def fail_fast(c, valid_part, invalid_part, rest):
    """Sends valid_part (nothing may come back: the message is incomplete),
    then invalid_part and waits: strict servers fail now with 1007. If they
    wait, `rest` completes the message and 1007 must come then (non-strict)."""
    c.send(valid_part)
    c.expect_nothing()
    c.send(invalid_part)
    try:
        ev = c.conn.next_event(c.s.timeout)
    except TimeoutError:
        c.send(rest)
        c.fail(1007, why=" once the message was complete")
        raise NonStrict("failed with 1007 only when the frame/message was complete, not at the"
                        " first invalid byte (RFC 6455 8.1 does not say when)") from None
    c.put_back(ev)
    c.fail(1007)


@case("utf-8", "fail fast: invalid fragment while the message is open -> 1007")
def _(c):
    fail_fast(c, frame(TEXT, KOSME, fin=False), frame(CONT, b"\xed\xa0\x80", fin=False),
              frame(CONT, b"end", fin=True))


@case("utf-8", "fail fast: invalid bytes inside an unfinished frame -> 1007")
def _(c):
    payload = KOSME + b"\xf4\x90\x80\x80" + b"x" * 20
    whole = frame(TEXT, payload)
    head = len(whole) - len(payload)
    cut1, cut2 = head + len(KOSME), head + len(KOSME) + 4
    fail_fast(c, whole[:cut1], whole[cut1:cut2], whole[cut2:])


@case("utf-8", "fail fast: invalid first byte of a long text frame -> 1007")
def _(c):
    whole = frame(TEXT, b"\xc0" + b"y" * 1000)
    head = len(whole) - 1001
    c.send(whole[:head])
    c.expect_nothing()
    c.send(whole[head:head + 1])
    try:
        ev = c.conn.next_event(c.s.timeout)
    except TimeoutError:
        c.send(whole[head + 1:])
        c.fail(1007)
        raise NonStrict("failed with 1007 only at the end of the frame") from None
    c.put_back(ev)
    c.fail(1007)

