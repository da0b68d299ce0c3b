#!/usr/bin/python3
"""Static files from `httpcore serve --root` over loopback with curl (and one
python3 socket that reads slowly), on every front end the binary has:

- validators: a strong ETag; If-None-Match with it (and in a list, and "*")
  gives 304 with the same ETag and no body, another tag 200;
  If-Modified-Since: Last-Modified gives 304;
- Range: one range 206 with Content-Range and exactly those bytes (also a
  suffix range, an open range, and a range in the middle of a 3 MiB file,
  streamed); several ranges a multipart/byteranges 206 whose parts carry the
  right Content-Range and bytes; an unsatisfiable range 416 with
  "Content-Range: bytes */LEN"; If-Range with the current ETag 206, with a
  stale one 200 and the whole file;
- precompressed siblings: style.css.gz and style.css.br are sent for
  Accept-Encoding gzip and br (as the client weighs them) with
  Content-Encoding, the css type and Vary: Accept-Encoding; curl --compressed
  decodes them to the css; without Accept-Encoding the css itself (with Vary);
- a directory's index.html, and its redirect without the slash;
- leaving the root: a symlink to a file outside, a symlink to a directory
  outside, and "/../" (curl --path-as-is) all get 404 and never the file;
- backpressure: a 48 MiB file to a client that reads nothing for a second
  grows the server's RSS by under 16 MiB, then arrives whole (sha256);
- lengths: a file streamed in pieces (3 MiB) carries Content-Length, never
  chunked, over HTTP/1.1; with --h2 (ctest passes it when the build has
  HTTP/2), over h2c too, and HEAD over h2c keeps its content-length.

usage: serve_static_test.py PATH/TO/httpcore [--h2]    (exit 0 pass, 1 fail)
"""
import ctypes
import gzip
import hashlib
import os
import pathlib
import re
import socket
import subprocess
import sys
import tempfile
import time

ENV = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
BIG = 3 * 1024 * 1024 + 17  # streamed (above one 64 KiB piece)
HUGE = 48 * 1024 * 1024     # the backpressure check


def fail(what):
    print(f"serve_static_test: FAIL: {what}", file=sys.stderr)
    sys.exit(1)


def check(ok, what):
    if not ok:
        fail(what)
    print(f"ok   {what}")


def brotli(data):
    """br with Debian's libbrotlienc (no python module needed)."""
    lib = ctypes.CDLL("libbrotlienc.so.1")
    out_size = ctypes.c_size_t(len(data) + 1024)
    out = ctypes.create_string_buffer(out_size.value)
    ok = lib.BrotliEncoderCompress(11, 22, 0, ctypes.c_size_t(len(data)), data,
                                   ctypes.byref(out_size), out)
    if not ok:
        fail("BrotliEncoderCompress failed")
    return out.raw[:out_size.value]


def make_site(base):
    root = base / "root"
    (root / "sub").mkdir(parents=True)
    (root / "index.html").write_bytes(b"<h1>home</h1>\n")
    (root / "sub" / "index.html").write_bytes(b"<p>sub index</p>\n")
    css = b"body { color: #123456; }\n" * 200
    (root / "style.css").write_bytes(css)
    (root / "style.css.gz").write_bytes(gzip.compress(css))
    (root / "style.css.br").write_bytes(brotli(css))
    big = os.urandom(BIG)
    (root / "big.bin").write_bytes(big)
    with open(root / "huge.bin", "wb") as f:
        block = os.urandom(1 << 20)
        for i in range(HUGE >> 20):
            f.write(block[i:] + block[:i])
    (base / "outside.txt").write_bytes(b"SECRET OUTSIDE THE ROOT\n")
    (root / "escape.txt").symlink_to(base / "outside.txt")
    (root / "escape-dir").symlink_to(base)
    return root, css, big


class server:
    def __init__(self, binary, frontend, root, work):
        threads = ["--threads", "4" if frontend == "threads" else "1"]
        self.err_path = work / f"{frontend}.err"
        self.err = open(self.err_path, "w")
        self.proc = subprocess.Popen(
            [binary, "serve", "--frontend", frontend, "--port", "0", "--quiet", "--root",
             str(root), *threads], stdout=subprocess.DEVNULL, stderr=self.err)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            m = re.search(r"http://127\.0\.0\.1:(\d+)/", self.err_path.read_text())
            if m:
                self.port = int(m.group(1))
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        self.proc.kill()
        fail(f"[{frontend}] server did not start: {self.err_path.read_text()}")

    def rss_kib(self):
        for line in open(f"/proc/{self.proc.pid}/status"):
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        return 0

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.err.close()


def curl(port, path, *args):
    """(status, fields with lower-case names, body) of one GET with curl."""
    r = subprocess.run(["curl", "-sS", "--max-time", "20", "-D", "-", *args,
                        f"http://127.0.0.1:{port}{path}"],
                       capture_output=True, env=ENV, timeout=30)
    if r.returncode != 0:
        fail(f"curl {path} {args}: exit {r.returncode}: {r.stderr[-300:]!r}")
    head, _, body = r.stdout.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    fields = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        fields[name.strip().lower()] = value.strip()
    return int(lines[0].split()[1]), fields, body


def multipart_parts(fields, body):
    m = re.match(r"multipart/byteranges; boundary=(\S+)$", fields.get("content-type", ""))
    if not m:
        fail(f"not multipart/byteranges: {fields.get('content-type')!r}")
    delim = b"--" + m.group(1).encode()
    if not body.endswith(delim + b"--\r\n"):
        fail(f"multipart body does not end with its close delimiter: {body[-60:]!r}")
    parts = []
    for chunk in body[:-len(delim + b"--\r\n")].split(delim)[1:]:
        head, _, data = chunk.partition(b"\r\n\r\n")
        rng = re.search(rb"Content-Range: bytes (\d+)-(\d+)/(\d+)", head)
        if not rng or not data.endswith(b"\r\n"):
            fail(f"malformed part: {head!r}")
        parts.append(((int(rng.group(1)), int(rng.group(2)), int(rng.group(3))), data[:-2]))
    return parts


def check_validators(port, label):
    status, f, body = curl(port, "/style.css")
    etag, lm = f.get("etag", ""), f.get("last-modified", "")
    check(status == 200 and re.fullmatch(r'"[0-9a-f-]+"', etag) is not None,
          f"{label} a strong ETag {etag!r}")
    status, f2, body = curl(port, "/style.css", "-H", f"If-None-Match: {etag}")
    check(status == 304 and body == b"" and f2.get("etag") == etag,
          f"{label} If-None-Match: the ETag gives 304, same ETag, no body")
    status, _, _ = curl(port, "/style.css", "-H", f'If-None-Match: "nope", W/{etag}')
    check(status == 304, f"{label} If-None-Match: a list holding it (weakly) gives 304")
    status, _, _ = curl(port, "/style.css", "-H", "If-None-Match: *")
    check(status == 304, f"{label} If-None-Match: * gives 304")
    status, _, body = curl(port, "/style.css", "-H", 'If-None-Match: "other"')
    check(status == 200 and len(body) > 0, f"{label} If-None-Match: another tag gives 200")
    status, _, body = curl(port, "/style.css", "-H", f"If-Modified-Since: {lm}")
    check(status == 304 and body == b"", f"{label} If-Modified-Since: Last-Modified gives 304")
    status, _, _ = curl(port, "/style.css", "-H", "If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT")
    check(status == 200, f"{label} If-Modified-Since: an older date gives 200")


def check_ranges(port, label, big):
    n = len(big)
    status, f, body = curl(port, "/big.bin", "-r", "100-199")
    check(status == 206 and f.get("content-range") == f"bytes 100-199/{n}" and body == big[100:200],
          f"{label} Range 100-199: 206, Content-Range, those 100 bytes")
    status, f, body = curl(port, "/big.bin", "-H", "Range: bytes=-500")
    check(status == 206 and f.get("content-range") == f"bytes {n - 500}-{n - 1}/{n}" and
          body == big[-500:], f"{label} Range -500: the last 500 bytes")
    first = 1 << 20
    status, f, body = curl(port, "/big.bin", "-r", f"{first}-")
    check(status == 206 and f.get("content-range") == f"bytes {first}-{n - 1}/{n}" and
          body == big[first:], f"{label} Range {first}-: {n - first} bytes streamed")
    status, f, body = curl(port, "/big.bin", "-r", f"0-9,5000-5099,{n - 10}-")
    parts = multipart_parts(f, body) if status == 206 else []
    want = [((0, 9, n), big[0:10]), ((5000, 5099, n), big[5000:5100]),
            ((n - 10, n - 1, n), big[n - 10:])]
    check(status == 206 and parts == want,
          f"{label} three ranges: multipart/byteranges with the right parts")
    status, f, body = curl(port, "/big.bin", "-r", f"{n}-")
    check(status == 416 and f.get("content-range") == f"bytes */{n}",
          f"{label} Range {n}-: 416 with Content-Range: bytes */{n}")
    _, f, _ = curl(port, "/big.bin", "-r", "0-0")
    etag = f.get("etag", "")
    status, _, body = curl(port, "/big.bin", "-r", "10-19", "-H", f"If-Range: {etag}")
    check(status == 206 and body == big[10:20], f"{label} If-Range with the ETag: 206")
    status, _, body = curl(port, "/big.bin", "-r", "10-19", "-H", 'If-Range: "stale"')
    check(status == 200 and body == big, f"{label} If-Range with a stale ETag: 200, all of it")


def check_precompressed(port, label, root, css):
    gz, br = (root / "style.css.gz").read_bytes(), (root / "style.css.br").read_bytes()
    status, f, body = curl(port, "/style.css", "-H", "Accept-Encoding: gzip")
    check(status == 200 and f.get("content-encoding") == "gzip" and body == gz and
          f.get("content-type", "").startswith("text/css") and
          f.get("vary") == "Accept-Encoding",
          f"{label} Accept-Encoding: gzip gets style.css.gz, text/css, Vary")
    status, f, body = curl(port, "/style.css", "-H", "Accept-Encoding: gzip, br")
    check(status == 200 and f.get("content-encoding") == "br" and body == br,
          f"{label} Accept-Encoding: gzip, br gets style.css.br")
    status, f, body = curl(port, "/style.css", "-H", "Accept-Encoding: br;q=0.4, gzip;q=0.9")
    check(status == 200 and f.get("content-encoding") == "gzip" and body == gz,
          f"{label} Accept-Encoding: br;q=0.4, gzip;q=0.9 gets gzip")
    status, f, body = curl(port, "/style.css")
    check(status == 200 and "content-encoding" not in f and body == css and
          f.get("vary") == "Accept-Encoding",
          f"{label} no Accept-Encoding: the css itself, with Vary")
    status, f, body = curl(port, "/style.css", "--compressed")
    check(status == 200 and f.get("content-encoding") in ("br", "gzip") and body == css,
          f"{label} curl --compressed decodes the sibling to the css")


def check_paths(port, label):
    status, _, body = curl(port, "/sub/")
    check(status == 200 and body == b"<p>sub index</p>\n", f"{label} /sub/ serves its index.html")
    status, f, _ = curl(port, "/sub")
    check(status == 301 and f.get("location") == "/sub/", f"{label} /sub redirects to /sub/")
    for path, how in (("/escape.txt", "a symlink to a file outside"),
                      ("/escape-dir/outside.txt", "a symlink to a directory outside"),
                      ("/../outside.txt", "/../ (--path-as-is)"),
                      ("/sub/../../outside.txt", "/sub/../../ (--path-as-is)")):
        status, _, body = curl(port, path, "--path-as-is")
        check(status == 404 and b"SECRET" not in body, f"{label} {how}: 404, never the file")


def check_lengths(port, label, big, h2):
    status, fields, body = curl(port, "/big.bin")
    check(status == 200 and fields.get("content-length") == str(BIG) and
          "transfer-encoding" not in fields and body == big,
          f"{label} a {BIG}-byte file streamed in pieces has Content-Length, not chunked")
    status, fields, body = curl(port, "/big.bin", "-I", "-o", "/dev/null")
    check(status == 200 and fields.get("content-length") == str(BIG) and body == b"",
          f"{label} HEAD has the Content-Length")
    if not h2:
        return
    status, fields, body = curl(port, "/big.bin", "--http2-prior-knowledge")
    check(status == 200 and fields.get("content-length") == str(BIG) and body == big,
          f"{label} h2c: the streamed file has content-length and arrives whole")
    status, fields, body = curl(port, "/big.bin", "--http2-prior-knowledge", "-I", "-o", "/dev/null")
    check(status == 200 and fields.get("content-length") == str(BIG) and body == b"",
          f"{label} h2c: HEAD has the content-length")
    status, fields, body = curl(port, "/style.css", "--http2-prior-knowledge", "-I", "-o", "/dev/null")
    check(status == 200 and fields.get("content-length") == "5000",
          f"{label} h2c: HEAD of a small file has the content-length")


def check_backpressure(srv, label, root):
    want = hashlib.sha256((root / "huge.bin").read_bytes()).hexdigest()
    before = srv.rss_kib()
    s = socket.create_connection(("127.0.0.1", srv.port), timeout=20)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 << 10)
    s.sendall(b"GET /huge.bin HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
    time.sleep(1.0)  # the server writes until the socket is full, then waits
    grown = srv.rss_kib() - before
    check(grown < 16 << 10, f"{label} a 48 MiB file to a client not reading: "
          f"RSS grew {grown} KiB (< 16 MiB)")
    data = bytearray()
    while True:
        chunk = s.recv(1 << 20)
        if not chunk:
            break
        data += chunk
    s.close()
    head, _, body = bytes(data).partition(b"\r\n\r\n")
    if b"transfer-encoding: chunked" in head.lower():
        out, at = bytearray(), 0
        while True:
            eol = body.index(b"\r\n", at)
            size = int(body[at:eol].split(b";")[0], 16)
            if size == 0:
                break
            out += body[eol + 2:eol + 2 + size]
            at = eol + 2 + size + 2
        body = bytes(out)
    check(len(body) == HUGE and hashlib.sha256(body).hexdigest() == want,
          f"{label} then all {HUGE} bytes arrive, sha256 equal")


def main():
    args = sys.argv[1:]
    h2 = "--h2" in args
    args = [a for a in args if a != "--h2"]
    if len(args) != 1:
        fail("usage: serve_static_test.py PATH/TO/httpcore [--h2]")
    binary = args[0]
    names = subprocess.run([binary, "serve", "--list-frontends"], check=True,
                           capture_output=True, text=True).stdout.split()
    with tempfile.TemporaryDirectory() as tmp:
        work = pathlib.Path(tmp)
        root, css, big = make_site(work)
        for frontend in names:
            label = f"[{frontend}]"
            srv = server(binary, frontend, root, work)
            try:
                check_validators(srv.port, label)
                check_ranges(srv.port, label, big)
                check_precompressed(srv.port, label, root, css)
                check_paths(srv.port, label)
                check_lengths(srv.port, label, big, h2)
                check_backpressure(srv, label, root)
            finally:
                srv.stop()
    print("serve_static_test: all passed")


if __name__ == "__main__":
    main()
