#!/usr/bin/python3
"""Parses HTTP/1 requests with httpcore's C interface through ctypes.

    parse_request.py [--library PATH] [FILE]

Reads raw requests from FILE (default: two pipelined requests, the second
chunked), feeds them to the parser in small pieces as a server reading a
socket would, and prints one line per event. Without FILE it also checks the
events against what those two requests must give and exits 1 on a mismatch,
which is how `make test` runs it. --library names libhttpcore.so (default:
found by the dynamic linker as libhttpcore.so.0).
"""
import argparse
import ctypes
import sys

# The structures and constants of httpcore/httpcore.h this script uses.
NEED_MORE, REQUEST_HEAD, RESPONSE_HEAD, BODY, MESSAGE_END, UPGRADED, ERROR = range(7)
SERVER = 0


class Header(ctypes.Structure):
    _fields_ = [("name", ctypes.c_void_p), ("name_len", ctypes.c_size_t),
                ("value", ctypes.c_void_p), ("value_len", ctypes.c_size_t)]


class Event(ctypes.Structure):
    _fields_ = [
        ("type", ctypes.c_int), ("consumed", ctypes.c_size_t),
        ("method", ctypes.c_void_p), ("method_len", ctypes.c_size_t),
        ("target", ctypes.c_void_p), ("target_len", ctypes.c_size_t),
        ("status", ctypes.c_int),
        ("reason", ctypes.c_void_p), ("reason_len", ctypes.c_size_t),
        ("version_major", ctypes.c_int), ("version_minor", ctypes.c_int),
        ("keep_alive", ctypes.c_int), ("expect_continue", ctypes.c_int),
        ("upgrade", ctypes.c_int), ("framing", ctypes.c_int),
        ("content_length", ctypes.c_uint64),
        ("num_headers", ctypes.c_size_t),
        ("body", ctypes.c_void_p), ("body_len", ctypes.c_size_t),
        ("upgrade_kind", ctypes.c_int),
        ("error", ctypes.c_int), ("error_name", ctypes.c_char_p),
        ("error_offset", ctypes.c_uint64), ("error_status", ctypes.c_int),
        ("has_announced_content_length", ctypes.c_int),
        ("announced_content_length", ctypes.c_uint64),
        ("body_bytes", ctypes.c_uint64),
    ]


def load(path):
    lib = ctypes.CDLL(path)
    lib.httpcore_h1_parser_new.restype = ctypes.c_void_p
    lib.httpcore_h1_parser_new.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_uint]
    lib.httpcore_h1_parser_free.argtypes = [ctypes.c_void_p]
    lib.httpcore_h1_feed.restype = ctypes.c_int
    lib.httpcore_h1_feed.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t,
                                     ctypes.POINTER(Header), ctypes.c_size_t,
                                     ctypes.POINTER(Event)]
    lib.httpcore_h1_finish.restype = ctypes.c_int
    lib.httpcore_h1_finish.argtypes = [ctypes.c_void_p, ctypes.POINTER(Event)]
    lib.httpcore_version.restype = ctypes.c_char_p
    return lib


def text(ptr, n):
    return ctypes.string_at(ptr, n).decode("latin-1") if n else ""


def parse(lib, data, piece=7):
    """Feeds `data` in `piece`-byte reads; returns one line per event."""
    parser = lib.httpcore_h1_parser_new(SERVER, None, 0)
    if not parser:
        raise MemoryError("httpcore_h1_parser_new")
    headers = (Header * 64)()
    ev = Event()
    lines, buf, body = [], b"", b""
    try:
        for start in range(0, len(data), piece):
            buf += data[start:start + piece]
            while True:
                # The event's pointers point into the bytes object passed here:
                # copy what is needed before `buf` is replaced.
                kind = lib.httpcore_h1_feed(parser, buf, len(buf), headers, 64,
                                            ctypes.byref(ev))
                if kind == REQUEST_HEAD:
                    fields = " ".join(
                        "[%s: %s]" % (text(h.name, h.name_len), text(h.value, h.value_len))
                        for h in headers[:ev.num_headers])
                    lines.append("request %s %s %s" % (text(ev.method, ev.method_len),
                                                       text(ev.target, ev.target_len), fields))
                elif kind == BODY:
                    body += ctypes.string_at(ev.body, ev.body_len)
                elif kind == MESSAGE_END:
                    trailers = " ".join(
                        "[%s: %s]" % (text(h.name, h.name_len), text(h.value, h.value_len))
                        for h in headers[:ev.num_headers])
                    if ev.body_bytes != len(body):
                        lines.append("body_bytes %d, but %d bytes came" % (ev.body_bytes,
                                                                           len(body)))
                    lines.append(("body %s\n" % body.decode() if body else "") +
                                 ("end %s" % trailers).rstrip())
                    body = b""
                elif kind == ERROR:
                    lines.append("error %s at %d status %d" % (
                        ev.error_name.decode(), ev.error_offset, ev.error_status))
                    return lines
                buf = buf[ev.consumed:]
                if kind == NEED_MORE:
                    break
        if lib.httpcore_h1_finish(parser, ctypes.byref(ev)) == ERROR:
            lines.append("error %s at %d status %d" % (
                ev.error_name.decode(), ev.error_offset, ev.error_status))
        return lines
    finally:
        lib.httpcore_h1_parser_free(parser)


EXAMPLE = (b"GET /hello?name=ctypes HTTP/1.1\r\nHost: example.com\r\n\r\n"
           b"POST /upload HTTP/1.1\r\nHost: example.com\r\nTransfer-Encoding: chunked\r\n\r\n"
           b"4\r\nWiki\r\n6\r\npedia \r\n0\r\nDigest: x\r\n\r\n")
EXPECTED = [
    "request GET /hello?name=ctypes [Host: example.com]",
    "end",
    "request POST /upload [Host: example.com] [Transfer-Encoding: chunked]",
    "body Wikipedia \nend [Digest: x]",
]
# After a good request, a Content-Length that is not a number: refused at its
# first non-digit, counted from the first byte of the connection.
BAD = (b"GET / HTTP/1.1\r\nHost: a\r\n\r\n"
       b"PUT / HTTP/1.1\r\nHost: a\r\nContent-Length: 1x\r\n\r\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--library", default="libhttpcore.so.0")
    ap.add_argument("file", nargs="?")
    args = ap.parse_args()
    lib = load(args.library)
    if args.file:
        with open(args.file, "rb") as f:
            print("\n".join(parse(lib, f.read())))
        return 0
    print("httpcore %s" % lib.httpcore_version().decode())
    failures = 0
    for data, expected in ((EXAMPLE, EXPECTED),
                           (BAD, ["request GET / [Host: a]", "end",
                                  "error invalid_content_length at 69 status 400"])):
        for piece in (1, 7, len(data)):
            got = parse(lib, data, piece)
            if got != expected:
                print("MISMATCH (reads of %d bytes):\n  got      %r\n  expected %r"
                      % (piece, got, expected), file=sys.stderr)
                failures += 1
        print("\n".join(got))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
