#!/usr/bin/python3
"""Writes the seed corpus of fuzz_multipart (fuzz/seeds/fuzz_multipart/).

Each seed is two control bytes (bits 0-1 of the first: the boundary, one of
fuzz_multipart.cpp's four; bit 2: small limits; the second: a split point)
followed by a multipart/form-data body built here from RFC 2046 §5.1.1 and
RFC 7578, valid and invalid, named by the SHA-1 of its bytes. Running it
again rewrites the same files; files it did not write are left alone.
"""
import hashlib
import pathlib

HERE = pathlib.Path(__file__).parent
BOUNDARIES = [b"b", b"AaB03x", b"----WebKitFormBoundary7MA4YWxkTrZu0gW", b"a b"]


def part(boundary, name, data, filename=None, ctype=None, extra=b""):
    head = b'Content-Disposition: form-data; name="' + name + b'"'
    if filename is not None:
        head += b'; filename="' + filename + b'"'
    head += b"\r\n"
    if ctype:
        head += b"Content-Type: " + ctype + b"\r\n"
    return b"--" + boundary + b"\r\n" + head + extra + b"\r\n" + data + b"\r\n"


def bodies(b):
    close = b"--" + b + b"--\r\n"
    return [
        part(b, b"field", b"value") + close,
        part(b, b"a", b"") + part(b, b"f", bytes(range(256)), b"all.bin", b"application/octet-stream") + close,
        b"preamble\r\n" + part(b, b"x", b"line\r\n\r\n--" + b[:-1] + b"\r\n") + b"--" + b + b"-- \t\r\nepilogue",
        b"--" + b + b" \t\r\nContent-Disposition: form-data; name=p\r\n\r\n\r\n--" + b + b"--",
        part(b, b"e", b"", b"", None, b"Content-Transfer-Encoding: binary\r\n") + close,
        b"--" + b + b"--\r\n",
        part(b, b'q\\"uote', b"v", "é.txt".encode()) + close,
        part(b, b"x", b"y") + b"--" + b + b"X\r\n",
        b"--" + b + b"\r\nContent-Type: text/plain\r\n\r\nno disposition\r\n" + close,
        b"--" + b + b"\r\nContent-Disposition: form-data; name=a\n\r\n",
        part(b, b"a" * 80, b"long head") + close,
        part(b, b"1", b"") * 5 + close,
        part(b, b"trunc", b"data\r\n--" + b),
    ]


def main():
    out = HERE / "seeds" / "fuzz_multipart"
    out.mkdir(parents=True, exist_ok=True)
    count = 0
    for which, boundary in enumerate(BOUNDARIES):
        for i, body in enumerate(bodies(boundary)):
            control = bytes([which | (4 if i % 3 == 2 else 0), (i * 37 + which * 11) % 256])
            data = control + body
            (out / hashlib.sha1(data).hexdigest()).write_bytes(data)
            count += 1
    # One Content-Type value for boundary_from_content_type.
    data = b"\x00\x00multipart/form-data; charset=utf-8; boundary=\"AaB03x\""
    (out / hashlib.sha1(data).hexdigest()).write_bytes(data)
    print(f"{out}: {count + 1} seeds")


if __name__ == "__main__":
    main()
