#!/usr/bin/python3
"""Differential check: httpcore's multipart/form-data parser against
python3-multipart (Debian's package, the `multipart` module, 0.0.5) on the
same bodies.

  multipart_differential.py MULTIPART_DUMP

MULTIPART_DUMP is tests/interop/multipart_dump.cpp built: it prints our
parts and outcome for a body on stdin. Here python3-multipart's
MultipartParser parses the same body (its Content-Disposition through the
module's parse_options_header), and the two are compared:

- bodies both must accept: the same parts (name, filename, data) in the
  same order;
- bodies both must refuse: we report the listed error, python3-multipart
  raises or never reaches the end of the body;
- DIFFERENCES: bodies on which the two parsers deliberately disagree, each
  with the reason. Each entry says what each side does, and is checked:
  if either side stops behaving as written, the check fails, so the list
  stays true.

Exit status 0 when everything matched, 1 otherwise (each mismatch printed).
"""
import logging
import random
import subprocess
import sys

import multipart
from multipart.multipart import MultipartParser, parse_options_header

B = b"AaB03x"
WEBKIT = b"----WebKitFormBoundary7MA4YWxkTrZu0gW"


def part(name, data, filename=None, ctype=None, boundary=B, extra=b""):
    head = b'Content-Disposition: form-data; name="' + name + b'"'
    if filename is not None:
        head += b'; filename="' + filename + b'"'
    head += b"\r\n"
    if ctype is not None:
        head += b"Content-Type: " + ctype + b"\r\n"
    return b"--" + boundary + b"\r\n" + head + extra + b"\r\n" + data + b"\r\n"


def close(boundary=B):
    return b"--" + boundary + b"--\r\n"


rng = random.Random(7578)
BLOB = bytes(rng.getrandbits(8) for _ in range(100_000))

# (title, boundary, body): both parsers accept, with the same parts.
VALID = [
    ("several fields and a file", B,
     part(b"field1", b"Joe Blow") + part(b"field2", b"second value")
     + part(b"pics", b"... contents of file1.txt ...", b"file1.txt", b"text/plain") + close()),
    ("files: every byte value, 100 kB of random bytes, a UTF-8 filename", WEBKIT,
     part(b"all", bytes(range(256)), b"all.bin", b"application/octet-stream", WEBKIT)
     + part(b"blob", BLOB, b"blob.bin", b"application/octet-stream", WEBKIT)
     + part(b"u", b"x", "résumé 2.txt".encode(), b"text/plain", WEBKIT) + close(WEBKIT)),
    ("empty parts: an empty field, a file input with no file", B,
     part(b"empty", b"") + part(b"nofile", b"", b"", b"application/octet-stream")
     + part(b"after", b"z") + close()),
    ("CRLF inside data, at its start and at its end", B,
     part(b"t", b"\r\nline one\r\nline two\r\n\r\n") + part(b"u", b"\r\n") + close()),
    ("boundary-like text inside data", B,
     part(b"t", b"not at a line start: x--AaB03x, x--AaB03x\r\n-AaB03x\r\n--AaB03\r\n--aab03x"
                b"\r\n--AaB03y\r\n--AaB0\r\n--\r\n-") + close()),
    ("a quoted-pair in a name (both read it as RFC 2045 does)", B,
     part(b'say \\"hi\\"', b"v") + close()),
    ("fifty parts", B, b"".join(part(b"n%d" % i, b"v" * i) for i in range(50)) + close()),
    ("header field names and form-data in other cases, unknown parameters", B,
     b"--AaB03x\r\ncontent-disposition: FORM-DATA; name=\"a\"; size=3\r\n"
     b"CONTENT-TYPE: text/plain\r\n\r\nabc\r\n" + close()),
    ("the body ends right after the close delimiter", B, part(b"a", b"b") + b"--AaB03x--"),
]

# (title, boundary, body, our error): both refuse.
INVALID = [
    ("the body stops in a part's data", B, part(b"a", b"b")[:-6] , "incomplete_body"),
    ("the body stops in a delimiter", B, part(b"a", b"b") + b"--AaB0", "incomplete_body"),
    ("the body stops in a part's head", B, b"--AaB03x\r\nContent-Disposition: form-da",
     "incomplete_body"),
    ("no delimiter at all", B, b"just some bytes\r\n", "boundary_not_found"),
    ("a different boundary", B, part(b"a", b"b", boundary=b"AaB03y") + close(b"AaB03y"),
     "boundary_not_found"),
    ("a CR without LF in a head", B,
     b"--AaB03x\r\nContent-Disposition: form-data; name=a\rX\r\n\r\nv\r\n" + close(),
     "cr_without_lf"),
    ("a folded field line", B,
     b"--AaB03x\r\nContent-Disposition: form-data; name=a\r\n filename=f\r\n\r\nv\r\n" + close(),
     "obs_fold"),
    ("a field line without a colon", B,
     b"--AaB03x\r\nContent-Disposition: form-data; name=a\r\nContent-Type\r\n\r\nv\r\n" + close(),
     "missing_colon"),
]

# Deliberate differences: (title, boundary, body, ours, python's, why). `ours`
# is "ok" or our error's name; python's is "ok" or "refuses".
DIFFERENCES = [
    ("a preamble before the first delimiter", B,
     b"This is the preamble.\r\n" + part(b"a", b"b") + close(), "ok", "refuses",
     "RFC 2046 §5.1.1 allows a preamble; python3-multipart 0.0.5 skips CR and LF only"),
    ("transport padding after a boundary", B,
     b"--AaB03x  \t\r\nContent-Disposition: form-data; name=a\r\n\r\nb\r\n--AaB03x-- \r\n", "ok",
     "refuses", "RFC 2046 §5.1.1 transport-padding; python3-multipart wants CRLF right after it"),
    ("an empty form: the close delimiter first", B, close(), "ok", "refuses",
     "browsers send it for a form without fields; python3-multipart wants a part first"),
    ("a part without body-part (its head, then the delimiter's CRLF)", B,
     b"--AaB03x\r\nContent-Disposition: form-data; name=a\r\n\r\n--AaB03x--\r\n", "ok",
     "refuses", "RFC 2046 body-part := MIME-part-headers [CRLF *OCTET]; python3-multipart "
     "takes \"--AaB03x--\" for data and never ends"),
    ("a field name with a digit", B,
     part(b"a", b"b", extra=b"X-Field2: y\r\n") + close(), "ok", "refuses",
     "field names are tokens (RFC 9110 §5.1); python3-multipart allows letters and '-' only"),
    ("the boundary as a line prefix inside data", B,
     part(b"a", b"x\r\n--AaB03xZ") + close(), "invalid_delimiter", "ok",
     "RFC 2046 §5.1.1: the boundary must not be the prefix of any line in a part; "
     "python3-multipart takes it for data"),
    ("bytes after the close delimiter on its line", B,
     part(b"a", b"b") + b"--AaB03x--garbage\r\n", "invalid_close_delimiter", "ok",
     "RFC 2046: close-delimiter transport-padding [CRLF epilogue]; python3-multipart "
     "stops reading at \"--\""),
    ("a bare LF in a head", B,
     b"--AaB03x\r\nContent-Disposition: form-data; name=a\nX: y\r\n\r\nv\r\n" + close(),
     "lf_without_cr", "ok", "lines end in CRLF; python3-multipart keeps the LF in the value"),
    ("no Content-Disposition", B, b"--AaB03x\r\nContent-Type: text/plain\r\n\r\nv\r\n" + close(),
     "missing_content_disposition", "ok",
     "RFC 7578 §4.2 requires it; python3-multipart's MultipartParser does not look"),
    ("a disposition other than form-data", B,
     b"--AaB03x\r\nContent-Disposition: attachment; name=a\r\n\r\nv\r\n" + close(),
     "invalid_content_disposition", "ok",
     "RFC 7578 §4.2: the type is form-data; python3-multipart does not check it"),
    ("two Content-Disposition fields", B,
     part(b"a", b"v", extra=b"Content-Disposition: form-data; name=b\r\n") + close(),
     "duplicate_content_disposition", "ok",
     "which one counts is ambiguous; python3-multipart keeps the last"),
    ("no name parameter", B,
     b"--AaB03x\r\nContent-Disposition: form-data; filename=\"f\"\r\n\r\nv\r\n" + close(),
     "missing_name", "ok", "RFC 7578 §4.2 requires a name; python3-multipart does not check"),
]


def python_parse(boundary, body):
    """python3-multipart's parts as (name, filename, data), and whether it reached the end."""
    parts, ended = [], []
    cur = {}

    def on_part_begin():
        cur.clear()
        cur.update(headers={}, field=b"", value=b"", data=[])

    def on_header_field(data, start, end):
        cur["field"] += data[start:end]

    def on_header_value(data, start, end):
        cur["value"] += data[start:end]

    def on_header_end():
        cur["headers"][cur["field"].lower()] = cur["value"]
        cur["field"], cur["value"] = b"", b""

    def on_part_data(data, start, end):
        cur["data"].append(data[start:end])

    def on_part_end():
        _, options = parse_options_header(cur["headers"].get(b"content-disposition", b""))
        parts.append((options.get(b"name"), options.get(b"filename"), b"".join(cur["data"])))

    callbacks = dict(on_part_begin=on_part_begin, on_header_field=on_header_field,
                     on_header_value=on_header_value, on_header_end=on_header_end,
                     on_part_data=on_part_data, on_part_end=on_part_end,
                     on_end=lambda: ended.append(True))
    p = MultipartParser(boundary, callbacks)
    try:
        p.write(body)
        p.finalize()
    except multipart.exceptions.MultipartParseError:
        return parts, False
    return parts, bool(ended)


def unescape(raw):
    """RFC 2045's quoted-pair, as python3-multipart undoes it (for \\\\ and \\")."""
    return raw.replace(b"\\\\", b"\\").replace(b'\\"', b'"')


def ours_parse(dump, boundary, body):
    out = subprocess.run([dump, boundary.decode()], input=body, capture_output=True, timeout=60)
    if out.returncode != 0:
        raise RuntimeError(f"multipart_dump failed ({out.returncode}): {out.stderr.decode()}")
    parts, outcome = [], None
    unhex = lambda h: b"" if h == "." else bytes.fromhex(h)
    for line in out.stdout.decode().splitlines():
        f = line.split()
        if f[0] == "part":
            name, filename = unhex(f[1]), None if f[2] == "-" else unhex(f[2])
            if f[4] == "1":
                name = unescape(name)
                filename = None if filename is None else unescape(filename)
            parts.append((name, filename, unhex(f[3])))
        elif f[0] == "ok":
            outcome = "ok"
        elif f[0] == "error":
            outcome = f[1]
    return parts, outcome


def show(parts):
    return [(n, f, f"{len(d)} bytes sha {hash(d) & 0xffffffff:08x}") for n, f, d in parts]


def main():
    dump = sys.argv[1]
    logging.disable(logging.CRITICAL)  # python3-multipart logs a warning for each refusal
    failures = 0

    def fail(title, why):
        nonlocal failures
        failures += 1
        print(f"FAIL {title}: {why}")

    for title, boundary, body in VALID:
        ours, outcome = ours_parse(dump, boundary, body)
        theirs, ended = python_parse(boundary, body)
        if outcome != "ok":
            fail(title, f"we refused it: {outcome}")
        elif not ended:
            fail(title, "python3-multipart did not reach the end")
        elif ours != theirs:
            fail(title, f"parts differ:\n  ours   {show(ours)}\n  python {show(theirs)}")
        else:
            print(f"ok   {title}: {len(ours)} parts, the same")

    for title, boundary, body, error in INVALID:
        _, outcome = ours_parse(dump, boundary, body)
        _, ended = python_parse(boundary, body)
        if outcome != error:
            fail(title, f"we said {outcome}, expected {error}")
        elif ended:
            fail(title, "python3-multipart accepted it")
        else:
            print(f"ok   {title}: both refuse ({error})")

    for title, boundary, body, expect_ours, expect_python, why in DIFFERENCES:
        ours, outcome = ours_parse(dump, boundary, body)
        theirs, ended = python_parse(boundary, body)
        python = "ok" if ended else "refuses"
        if outcome != expect_ours or python != expect_python:
            fail(title, f"expected ours {expect_ours} / python {expect_python}, "
                        f"got ours {outcome} / python {python}")
        else:
            print(f"ok   {title}: ours {outcome}, python {python} (documented: {why})")

    total = len(VALID) + len(INVALID) + len(DIFFERENCES)
    print(f"multipart differential: {total - failures} of {total} bodies as expected "
          f"(python3-multipart {multipart.__version__})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
