#!/usr/bin/env python3
"""Writes the generated fuzz inputs: seed corpora and register regressions.

  fuzz/seeds/<target>/        seeds, named by the SHA-1 of their bytes
  fuzz/regressions/<target>/  one minimal input per divergence-register entry
                              (docs/divergences.md), named <ID>-<what>; `fuzz/run
                              --regressions` checks that the classifier still
                              names exactly that entry for each

Each input is three control bytes (lenient-flag bits low and high, the high
byte also holding tiny limits 0x80 and, for responses, HEAD as (b >> 4) % 3
== 1; then a split point; see fuzz/h1_fuzz_input.hpp and fuzz/differential.hpp)
followed by the bytes to parse. The messages are our own, written from RFC
9112's grammar and from the register's entries. Running it again rewrites the
same files; files it did not write (such as captured traffic) are left alone.
"""
import hashlib
import pathlib
import sys
import zlib

HERE = pathlib.Path(__file__).parent

REQUESTS = [
    b"GET / HTTP/1.1\r\nHost: example.com\r\n\r\n",
    b"GET /a?b=c HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
    b"POST /upload HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello",
    b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5;a=b\r\nhello\r\n0\r\nT: v\r\n\r\n",
    b"PUT /x HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\nabc",
    b"GET /chat HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n\x81\x00",
    b"CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n",
    b"OPTIONS * HTTP/1.1\r\n\r\n",
    b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
    b"GET http://example.com/p HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\n",
    b"POST / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    b"GET / HTTP/1.1\r\nConnection: close\r\n\r\nGET / HTTP/1.1\r\n\r\n",
]
RESPONSES = [
    b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
    b"HTTP/1.0 200 OK\r\n\r\nbody until close",
    b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n",
    b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n\x82\x00",
    b"HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n",
    b"HTTP/1.1 404\r\nContent-Length: 0\r\n\r\n",
]
CONTROL = [b"\x00\x00\x07", b"\xff\x03\x11", b"\x00\x80\x20"]

# Lenient-flag bits of the control bytes, by llhttp's names.
FLAGS = {
    "headers": 1 << 0, "chunked_length": 1 << 1, "keep_alive": 1 << 2,
    "transfer_encoding": 1 << 3, "version": 1 << 4, "data_after_close": 1 << 5,
    "optional_lf_after_cr": 1 << 6, "optional_cr_before_lf": 1 << 7,
    "optional_crlf_after_chunk": 1 << 8, "spaces_after_chunk_size": 1 << 9,
    "host": 1 << 10,  # ours alone: llhttp and http-parser never check Host
}


def control(*flags, head=False):
    bits = sum(FLAGS[f] for f in flags)
    return bytes([bits & 0xFF, (bits >> 8) | (0x10 if head else 0), 0])


# One minimal input per register entry: (target, entry, what, control, message).
# BUGn are reported parser bugs the classifier looks past until they are fixed.
REQ, RESP, HP = "diff_llhttp_request", "diff_llhttp_response", "diff_http_parser_request"
STRICT = control()
REGRESSIONS = [
    (REQ, "D01", "obs-fold-lenient", control("headers"), b"GET / HTTP/1.1\r\nA: b\r\n c\r\n\r\n"),
    (REQ, "D02", "space-in-name", control("headers"), b"GET / HTTP/1.1\r\nConnection x: y\r\n\r\n"),
    (REQ, "D03", "unknown-method", STRICT, b"FROBNICATE / HTTP/1.1\r\n\r\n"),
    (REQ, "D03", "rtsp-method", STRICT, b"ANNOUNCE / HTTP/1.1\r\n\r\n"),
    (REQ, "D04", "rtsp", STRICT, b"GET / RTSP/1.0\r\n\r\n"),
    (REQ, "D05", "no-version", STRICT, b"GET /\r\n\r\n"),
    (REQ, "D05", "http09", STRICT, b"GET / HTTP/0.9\r\n\r\n"),
    (REQ, "D06", "asterisk-get", STRICT, b"GET * HTTP/1.1\r\n\r\n"),
    (REQ, "D07", "preface", STRICT, b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"),
    (REQ, "D07", "pri-http11-sm", STRICT, b"PRI * HTTP/1.1\r\n\r\nSM\r\n\r\n"),
    (REQ, "D07", "pri-without-sm", STRICT, b"PRI / HTTP/1.1\r\n\r\n"),
    (REQ, "D08", "identity", control("chunked_length"),
     b"POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: identity\r\n\r\nabc"),
    (REQ, "D09", "lf-lf-after-request-line", control("optional_cr_before_lf"),
     b"POST / HTTP/1.1\n\nGET / HTTP/1.1\r\n\r\n"),
    (REQ, "D09", "last-chunk-lf-lf", control("optional_cr_before_lf"),
     b"POST / HTTP/1.1\nTransfer-Encoding: chunked\n\n0\n\nGET / HTTP/1.1\n\n"),
    (REQ, "D10", "proxy-connection", STRICT, b"GET / HTTP/1.1\r\nProxy-Connection: close\r\n\r\n"),
    (REQ, "D13", "http2-start-line", STRICT, b"GET / HTTP/2.0\r\n\r\n"),
    (REQ, "D14", "asterisk-path", STRICT, b"GET */x HTTP/1.1\r\n\r\n"),
    (REQ, "D14", "connect-bad-port", STRICT, b"CONNECT example.com:44$ HTTP/1.1\r\n\r\n"),
    (REQ, "D14", "empty-http-uri", STRICT, b"GET http: HTTP/1.1\r\n\r\n"),
    (REQ, "D15", "two-spaces", STRICT, b"GET  / HTTP/1.1\r\n\r\n"),
    (REQ, "D16", "unknown-coding", STRICT,
     b"POST / HTTP/1.1\r\nTransfer-Encoding: chunken, chunked\r\n\r\n0\r\n\r\n"),
    (REQ, "D16", "empty-coding-list", STRICT,
     b"POST / HTTP/1.1\r\nTransfer-Encoding:\r\nContent-Length: 1\r\n\r\na"),
    (REQ, "D16", "upgrade-with-gzip", STRICT,
     b"GET / HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nTransfer-Encoding: gzip\r\n\r\n"),
    (REQ, "D16", "lenient-upgrade-with-gzip", control("transfer_encoding"),
     b"GET / HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nTransfer-Encoding: gzip\r\n\r\n"),
    (REQ, "D17", "bws-in-extension", STRICT,
     b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1; a = b\r\nx\r\n0\r\n\r\n"),
    (REQ, "D17", "empty-extension-name", STRICT,
     b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1;=b\r\nx\r\n0\r\n\r\n"),
    (REQ, "D17", "extension-after-chunk-data-lenient", b"\xff\x03\x00",
     b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\n\rb;\n\n123456789a\r\n0\r\n\r\n"),
    (REQ, "D18", "crlf-after-close", STRICT, b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n\r\n"),
    (REQ, "D19", "bare-lf-before-request", STRICT, b"\nGET / HTTP/1.1\r\n\r\n"),
    (REQ, "D20", "connection-trailer", STRICT,
     b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nConnection: close\r\n\r\n"
     b"GET / HTTP/1.1\r\n\r\n"),
    (REQ, "D20", "connection-trailer-lenient-drop", control("data_after_close"),
     b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nConnection: close\r\n\r\n"
     b"GET / HTTP/1.1\r\n\r\n"),
    (REQ, "D20", "te-trailer", STRICT,
     b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nTransfer-Encoding: chunked\r\n\r\n"),
    (REQ, "D20", "bad-length-trailer-after-bare-cr", control("optional_lf_after_cr"),
     b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\rContent-Length: x\r\n\r\n"),
    (REQ, "D24", "chunked-twice-lenient", control("transfer_encoding"),
     b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
    (REQ, "D26", "close-htab", STRICT, b"GET / HTTP/1.1\r\nConnection: close\t\r\n\r\n"),
    (REQ, "D26", "chunked-empty-element", STRICT,
     b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked,\r\n\r\n0\r\n\r\n"),
    (REQ, "D26", "content-length-htab", STRICT, b"POST / HTTP/1.1\r\nContent-Length: 1\t\r\n\r\na"),
    (REQ, "D27", "http10-upgrade", STRICT,
     b"GET / HTTP/1.0\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n"),
    (REQ, "D28", "cl-te-lenient", control("chunked_length"),
     b"POST / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
    (REQ, "D29", "http5-keep-alive", control("version"), b"GET / HTTP/5.0\r\n\r\n"),
    (REQ, "D29", "http20-upgrade", control("version"),
     b"GET / HTTP/2.0\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n"),
    (REQ, "D30", "http10-close-and-keep-alive", STRICT,
     b"GET / HTTP/1.0\r\nConnection: close\r\nConnection: keep-alive\r\n\r\n"),
    (REQ, "D31", "http10-chunked-keep-alive", STRICT,
     b"POST / HTTP/1.0\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
    (REQ, "D33", "missing-host", STRICT, b"GET / HTTP/1.1\r\nA: b\r\n\r\n"),
    (REQ, "D33", "missing-host-second", STRICT,
     b"GET / HTTP/1.1\r\nHost: a\r\n\r\nPOST / HTTP/1.1\r\nContent-Length: 1\r\n\r\nx"),
    (REQ, "D33", "duplicate-host", STRICT, b"GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n"),
    (REQ, "D33", "invalid-host", STRICT, b"GET / HTTP/1.1\r\nHost: a b\r\n\r\n"),
    (REQ, "D33", "invalid-host-lenient-headers", control("headers"),
     b"GET / HTTP/1.1\r\nHost: a\x01b\r\n\r\n"),
    (RESP, "D02", "obs-fold-lenient", control("headers"),
     b"HTTP/1.1 200 OK\r\nA: b\r\n c\r\nContent-Length: 0\r\n\r\n"),
    (RESP, "D02", "control-byte-hides-chunked", control("headers"),
     b"HTTP/1.1 200 OK\r\nTransfer-Encoding: x;p=\x01, chunked\r\n\r\n0\r\n\r\nxyz"),
    (RESP, "D20", "trailers-frame-next-lenient", b"\xff\x03\x00",
     b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nTransfer-Encoding: x\r\n"
     b"Content-Length: 3\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\nabc"),
    (RESP, "D30", "http10-keep-alive-and-close", STRICT,
     b"HTTP/1.0 200 OK\r\nConnection: keep-alive, close\r\nContent-Length: 0\r\n\r\n"),
    (RESP, "D31", "http10-chunked-keep-alive", STRICT,
     b"HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
    (RESP, "D32", "status-line-bare-cr", control("optional_lf_after_cr"),
     b"HTTP/1.1 101 \r\r\rABCD"),
    (RESP, "D05", "http09", STRICT, b"HTTP/0.9 200 OK\r\nContent-Length: 0\r\n\r\n"),
    (RESP, "D13", "http2-status-line", STRICT, b"HTTP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n"),
    (RESP, "D16", "malformed-coding", STRICT, b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chu ked\r\n\r\nabc"),
    (RESP, "D19", "bare-cr-status-line", STRICT, b"HTTP/1.1 200 OK\r\rContent-Length: 0\r\n\r\n"),
    (RESP, "D21", "nul-in-reason", STRICT, b"HTTP/1.1 200 O\x00K\r\nContent-Length: 0\r\n\r\n"),
    (RESP, "D22", "152-with-length", STRICT,
     b"HTTP/1.1 152 Odd\r\nContent-Length: 3\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"),
    (RESP, "D22", "152-empty-chunked-body", STRICT,
     b"HTTP/1.1 152 Odd\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
    (RESP, "D23", "http10-continue", STRICT,
     b"HTTP/1.0 100 Continue\r\n\r\nHTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n"),
    (RESP, "D24", "chunked-twice", STRICT,
     b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n"),
    (RESP, "D25", "204-cl-and-te", STRICT,
     b"HTTP/1.1 204 No Content\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n"),
    (RESP, "D26", "chunked-htab", STRICT,
     b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\t\r\n\r\n0\r\n\r\n"),
    (RESP, "D29", "http2-lenient-keep-alive", control("version"),
     b"HTTP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n"),
    (HP, "D26", "close-htab", STRICT, b"GET / HTTP/1.1\r\nConnection: close\t\r\n\r\n"),
]


def write_seeds(target, messages, controls=CONTROL):
    out = HERE / "seeds" / target
    out.mkdir(parents=True, exist_ok=True)
    for msg in messages:
        for ctl in controls:
            data = ctl + msg
            (out / hashlib.sha1(data).hexdigest()).write_bytes(data)


# fuzz_ws_deflate (fuzz/fuzz_ws_deflate.cpp): control bytes (window bits - 8,
# no-context bit 0x08, round-trip bit 0x10, level; limit; piece size), then a
# compressed payload (inflate mode) or messages separated by 0xff (round trip).
def deflate_raw(data, bits=15):
    c = zlib.compressobj(6, zlib.DEFLATED, -max(bits, 9))
    out = c.compress(data) + c.flush(zlib.Z_SYNC_FLUSH)
    return out[:-4] if out.endswith(b"\x00\x00\xff\xff") else out


WS_TEXT = b"permessage-deflate compresses each WebSocket message; " * 8
WS_DEFLATE = [
    b"\x07\xff\x10" + bytes.fromhex("f248cdc9c90700"),            # RFC 7692 7.2.3.1
    b"\x07\xff\x03" + bytes.fromhex("000500faff48656c6c6f00"),    # 7.2.3.3 stored
    b"\x07\xff\x00" + bytes.fromhex("f348cdc9c907000000"),        # 7.2.3.4 BFINAL
    b"\x07\xff\x05" + bytes.fromhex("f248050000ffffcac9c90700"),  # 7.2.3.5 two blocks
    b"\x07\x00\x00" + bytes.fromhex("00"),                        # 7.2.3.6 empty
    b"\x07\x02\x07" + deflate_raw(WS_TEXT),                      # above a 74-byte limit
    b"\x01\xff\x20" + deflate_raw(WS_TEXT, 9),
    b"\x0f\xff\x40" + deflate_raw(bytes(5000)),
    b"\x17\xff\x03" + WS_TEXT + b"\xff\xff" + WS_TEXT[:100],     # round trips
    b"\x18\xff\x40" + bytes(range(256)) * 3,
    b"\xf7\xff\x00" + b"Hello\xffHello\xff\xffHello",
]


# fuzz_ws_handshake (fuzz/fuzz_ws_handshake.cpp): a control byte (the
# server's deflate options), then a request for the HTTP/1 parser.
WS_REQUEST = (b"GET /chat HTTP/1.1\r\nHost: server.example.com\r\nUpgrade: websocket\r\n"
              b"Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
              b"Sec-WebSocket-Version: 13\r\n")
WS_HANDSHAKE = [
    b"\xff" + WS_REQUEST + b"\r\n",
    b"\x00" + WS_REQUEST + b"Sec-WebSocket-Protocol: v2, chat\r\n"
    b"Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n",
    b"\x5a" + WS_REQUEST + b"Sec-WebSocket-Extensions: x-foo; a=\"b\", permessage-deflate; "
    b"server_max_window_bits=10; client_max_window_bits=9; server_no_context_takeover\r\n"
    b"Sec-WebSocket-Extensions: permessage-deflate; client_no_context_takeover\r\n\r\n",
    b"\x1c" + WS_REQUEST.replace(b"13", b"8") + b"\r\n",
]


def write_ws_seeds():
    for target, inputs in (("fuzz_ws_deflate", WS_DEFLATE), ("fuzz_ws_handshake", WS_HANDSHAKE)):
        out = HERE / "seeds" / target
        out.mkdir(parents=True, exist_ok=True)
        for data in inputs:
            (out / hashlib.sha1(data).hexdigest()).write_bytes(data)


def write_regressions():
    for target, entry, what, ctl, msg in REGRESSIONS:
        out = HERE / "regressions" / target
        out.mkdir(parents=True, exist_ok=True)
        if target != RESP and entry != "D33":
            # The requests of the other entries omit Host, which D33 is about.
            ctl = bytes([ctl[0], ctl[1] | (FLAGS["host"] >> 8), ctl[2]])
        (out / f"{entry}-{what}").write_bytes(ctl + msg)


if __name__ == "__main__":
    write_seeds("fuzz_h1_request", REQUESTS)
    write_seeds("fuzz_h1_response", RESPONSES)
    # The differential targets start from the same messages (fuzz/run adds the
    # fuzz_h1_* seeds, captured traffic included) and from the register's
    # constructs, strict and with every flag, so that the fuzzer begins next
    # to each known difference.
    for target in (REQ, HP, RESP):
        own = [msg for t, _, _, _, msg in REGRESSIONS if t == target or (t == REQ and target == HP)]
        write_seeds(target, own, [b"\x00\x00\x00", b"\xff\x03\x00"])
        if target != RESP:  # and with Host unchecked, as most of these requests have none
            write_seeds(target, own, [b"\x00\x04\x00", b"\xff\x07\x00"])
    write_regressions()
    write_ws_seeds()
    sys.exit(0)
