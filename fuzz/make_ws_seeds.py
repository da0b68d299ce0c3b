#!/usr/bin/python3
"""Writes the seed corpora of the WebSocket fuzz targets.

  fuzz/seeds/fuzz_ws_server/   client frames (masked), parsed in the server role
  fuzz/seeds/fuzz_ws_client/   server frames (unmasked), parsed in the client role

Each seed is two control bytes (bit 0: permessage-deflate negotiated, bit 1:
a 200-byte frame limit, bit 2: a 300-byte message limit; then a split point;
see fuzz/ws_fuzz_input.hpp) followed by a stream of frames built here from
RFC 6455 §5.2, valid and invalid, named by the SHA-1 of their bytes. Running
it again rewrites the same files; files it did not write are left alone.
"""
import hashlib
import pathlib
import struct

HERE = pathlib.Path(__file__).parent
KEY = b"\x37\xfa\x21\x3d"  # RFC 6455 §5.7's example key

CONT, TEXT, BINARY, CLOSE, PING, PONG = 0, 1, 2, 8, 9, 10
FIN, RSV1, RSV2, RSV3 = 0x80, 0x40, 0x20, 0x10


def frame(masked, op, payload=b"", fin=True, rsv=0, form=None, length=None):
    """One frame; `form` forces a length encoding (7, 16, 64), `length` a declared length."""
    n = len(payload) if length is None else length
    if form is None:
        form = 7 if n < 126 else 16 if n <= 0xFFFF else 64
    out = bytes([(FIN if fin else 0) | rsv | op])
    mask_bit = 0x80 if masked else 0
    if form == 7:
        out += bytes([mask_bit | n])
    elif form == 16:
        out += bytes([mask_bit | 126]) + struct.pack(">H", n)
    else:
        out += bytes([mask_bit | 127]) + struct.pack(">Q", n)
    if masked:
        out += KEY
        payload = bytes(b ^ KEY[i % 4] for i, b in enumerate(payload))
    return out + payload


def close_payload(code, reason=b""):
    return struct.pack(">H", code) + reason


def streams(masked):
    """Frame streams as the peer of the parser would send them (and some it must not)."""
    f = lambda *a, **k: frame(masked, *a, **k)
    wrong = lambda *a, **k: frame(not masked, *a, **k)
    return [
        f(TEXT, b"Hello"),
        f(BINARY, bytes(range(256))),
        f(TEXT, b"Hel", fin=False) + f(PING, b"?") + f(CONT, b"lo", fin=True),
        f(TEXT, "κόσμε €𝄞".encode(), fin=False) + f(CONT, b"") + f(PONG, b""),
        f(BINARY, b"x" * 300) + f(CLOSE, close_payload(1000, b"bye")),
        f(CLOSE, b""),
        f(CLOSE, close_payload(1002, "fin ☺".encode())),
        f(PING, b"p" * 125) + f(PONG, b"q" * 125),
        f(TEXT, b"\xc3", fin=False) + f(CONT, b"\xa9 ok"),
        f(TEXT, b"\xed\xa0\x80"),
        f(TEXT, b"ab\xc0\xafcd"),
        f(TEXT, b"\xf4\x90\x80\x80"),
        f(TEXT, b"z", form=64, length=65536),
        f(BINARY, b"", form=16),
        f(BINARY, b"", form=64, length=65535),
        f(BINARY, b"", form=64, length=1 << 63),
        f(PING, b"x" * 126),
        f(PING, b"x", fin=False),
        f(CONT, b"orphan"),
        f(TEXT, b"a", fin=False) + f(BINARY, b"b"),
        f(3, b"") + f(11, b""),
        f(TEXT, b"r", rsv=RSV1) + f(TEXT, b"s", rsv=RSV2) + f(TEXT, b"t", rsv=RSV3),
        f(TEXT, b"c", rsv=RSV1, fin=False) + f(CONT, b"d", rsv=RSV1),
        f(CLOSE, b"\x03"),
        f(CLOSE, close_payload(1005)) + f(CLOSE, close_payload(999)),
        f(CLOSE, close_payload(1000, b"\xff")),
        f(CLOSE, close_payload(1000)) + f(PING, b"after"),
        wrong(TEXT, b"wrong masking"),
    ]


CONTROL = [b"\x00\x07", b"\x01\x13", b"\x06\x05", b"\x07\x00"]


def write(target, masked):
    out = HERE / "seeds" / target
    out.mkdir(parents=True, exist_ok=True)
    count = 0
    for i, stream in enumerate(streams(masked)):
        data = CONTROL[i % len(CONTROL)] + stream
        (out / hashlib.sha1(data).hexdigest()).write_bytes(data)
        count += 1
    print(f"{out}: {count} seeds")


if __name__ == "__main__":
    write("fuzz_ws_server", masked=True)
    write("fuzz_ws_client", masked=False)
