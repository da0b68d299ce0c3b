#!/usr/bin/python3
"""`httpcore serve --upload-dir DIR`'s POST /api/upload over loopback, for
every front end the binary has, with real clients (curl -F, python3-requests,
http.client):

- curl -F with a plain field, a 300 KiB random file, an empty file and a
  file whose name tries to leave the folder: one JSON object per part with
  the right field, filename (null for the plain field), size and sha256;
  each file part's "stored" file under DIR holds exactly the bytes sent, and
  DIR holds nothing else (no client name used, no .part left);
- python3-requests: the same with its own multipart encoder;
- with --h2 (ctest passes it when the build has HTTP/2): curl -F over h2c
  (prior knowledge), the same answer and file;
- a urlencoded form: its fields, '+' and %XX decoded;
- refusals: a malformed body gets 400 with the parser's error name and
  offset, and the same keep-alive connection then serves the next upload; a
  text/plain body 415; above --upload-max-bytes 413, declared (curl) or
  counted in a chunked body (http.client); none leaves a file behind;
- 100 MiB streamed by http.client from a generator (never whole in the
  test's memory): the answer's size and sha256 match, so does the stored
  file, and the server's peak RSS (VmHWM, reset through clear_refs before
  the upload) grows by less than 16 MiB over its VmRSS before it.

usage: serve_upload_test.py PATH/TO/httpcore [--h2]   (exit 0 pass, 1 fail)
"""
import hashlib
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile

import requests

BIG = 100 << 20            # the large upload (issue 13: 100 MiB)
RSS_LIMIT = 16 << 20       # its allowed growth of the server's peak RSS
SMALL_LIMIT = 1 << 20      # --upload-max-bytes of the server that refuses


def start(binary, frontend, *extra):
    threads = ["--threads", "4" if frontend == "threads" else "1"]
    server = subprocess.Popen(
        [binary, "serve", "--frontend", frontend, "--port", "0", "--quiet", *threads, *extra],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    line = server.stderr.readline().decode()
    m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
    if not m:
        server.kill()
        raise RuntimeError("no start line: %r" % line)
    return server, int(m.group(1))


def stop(server):
    server.send_signal(signal.SIGTERM)
    server.communicate(timeout=10)
    return server.returncode


def sha(data):
    return hashlib.sha256(data).hexdigest()


def file_sha(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def check_parts(answer, expected, upload_dir, fail, who):
    """`expected`: (field, filename or None, bytes) per part, in order."""
    if len(answer) != len(expected):
        return fail("%s: %d parts answered, %d sent: %r" % (who, len(answer), len(expected), answer))
    stored = set()
    for got, (field, filename, data) in zip(answer, expected):
        want = {"field": field, "filename": filename, "size": len(data), "sha256": sha(data)}
        if {k: got.get(k) for k in want} != want or ("filename" not in got):
            fail("%s: part %r answered %r" % (who, field, got))
        if filename is None:
            if "stored" in got:
                fail("%s: plain field %r was stored" % (who, field))
            continue
        name = got.get("stored", "")
        if not re.fullmatch(r"upload-[A-Za-z0-9]{6}", name):
            fail("%s: part %r stored as %r, not a generated name" % (who, field, name))
            continue
        with open(os.path.join(upload_dir, name), "rb") as f:
            if f.read() != data:
                fail("%s: the file stored for %r differs from what was sent" % (who, field))
        stored.add(name)
    return stored


def check_curl_h2(port, upload_dir, work, fail):
    data = os.urandom(200000)
    with open(os.path.join(work, "h2.bin"), "wb") as f:
        f.write(data)
    r = subprocess.run(
        ["curl", "-sS", "--max-time", "20", "--http2-prior-knowledge", "-w", "\n%{http_version}",
         "-F", "a=b", "-F", "file=@%s" % os.path.join(work, "h2.bin"),
         "http://127.0.0.1:%d/api/upload" % port], capture_output=True)
    answer, _, version = r.stdout.rpartition(b"\n")
    if version != b"2":
        return fail("curl -F over h2c: HTTP version %r, %r" % (version, r.stderr[:200]))
    try:
        answer = json.loads(answer)
    except ValueError:
        return fail("curl -F over h2c: not JSON: %r" % r.stdout[:200])
    check_parts(answer, [("a", None, b"b"), ("file", "h2.bin", data)], upload_dir, fail,
                "curl -F over h2c")


def check_curl(port, upload_dir, work, fail):
    random_bytes = os.urandom(300 << 10)
    files = {"big.bin": random_bytes, "empty.txt": b"", "evil": b"not a path\n"}
    for name, data in files.items():
        with open(os.path.join(work, name), "wb") as f:
            f.write(data)
    r = subprocess.run(
        ["curl", "-sS", "--max-time", "20", "-F", "note=hello world",
         "-F", "doc=@%s" % os.path.join(work, "big.bin"),
         "-F", "empty=@%s" % os.path.join(work, "empty.txt"),
         "-F", "evil=@%s;filename=../../escape.txt" % os.path.join(work, "evil"),
         "http://127.0.0.1:%d/api/upload" % port], capture_output=True)
    try:
        answer = json.loads(r.stdout)
    except ValueError:
        return fail("curl -F: not JSON: %r %r" % (r.stdout[:200], r.stderr[:200]))
    stored = check_parts(answer, [("note", None, b"hello world"),
                                  ("doc", "big.bin", random_bytes),
                                  ("empty", "empty.txt", b""),
                                  ("evil", "../../escape.txt", b"not a path\n")],
                         upload_dir, fail, "curl -F")
    if stored is not None and set(os.listdir(upload_dir)) != stored:
        fail("curl -F: the folder holds %r, not just %r" % (sorted(os.listdir(upload_dir)),
                                                           sorted(stored)))
    if os.path.exists(os.path.join(os.path.dirname(upload_dir), "escape.txt")):
        fail("curl -F: the client's filename was used as a path")


def check_requests(port, upload_dir, fail):
    blob = os.urandom(70000)
    r = requests.post("http://127.0.0.1:%d/api/upload" % port, timeout=20,
                      data={"a": "1", "b": "two words"},
                      files={"blob": ("data.bin", blob, "application/octet-stream")})
    if r.status_code != 200:
        return fail("requests: status %d: %r" % (r.status_code, r.text[:200]))
    check_parts(r.json(), [("a", None, b"1"), ("b", None, b"two words"),
                           ("blob", "data.bin", blob)], upload_dir, fail, "requests")
    r = requests.post("http://127.0.0.1:%d/api/upload" % port, timeout=5,
                      data={"q": "a+b c", "r": "100%"})  # urlencoded by requests
    if r.status_code != 200:
        return fail("urlencoded: status %d: %r" % (r.status_code, r.text))
    check_parts(r.json(), [("q", None, b"a+b c"), ("r", None, b"100%")], upload_dir, fail,
                "urlencoded")


def check_refusals(port, small_port, upload_dir, fail):
    before = set(os.listdir(upload_dir))
    boundary = "b0undary"
    good = ("--%s\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x\"\r\n\r\n%s\r\n"
            "--%s--\r\n" % (boundary, "x" * 100000, boundary)).encode()
    bad = good.replace(b"--%s--" % boundary.encode(), b"--%s!!" % boundary.encode())
    offset = bad.index(b"!!")
    headers = {"Content-Type": "multipart/form-data; boundary=" + boundary}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("POST", "/api/upload", body=bad, headers=headers)
    res = conn.getresponse()
    body = json.loads(res.read())
    if res.status != 400 or body != {"error": "invalid_delimiter", "offset": offset}:
        fail("malformed body: %d %r (want 400 invalid_delimiter at %d)" % (res.status, body, offset))
    # The same connection goes on (the rest of the body was read and dropped).
    conn.request("POST", "/api/upload", body=good, headers=headers)
    res = conn.getresponse()
    answer = json.loads(res.read())
    if res.status != 200 or answer[0]["size"] != 100000:
        fail("upload after a refused one on the same connection: %d %r" % (res.status, answer))
    else:
        before.add(answer[0]["stored"])
    conn.request("POST", "/api/upload", body=b"hello", headers={"Content-Type": "text/plain"})
    res = conn.getresponse()
    body = res.read()
    if res.status != 415 or json.loads(body) != {"error": "not_form_data"}:
        fail("text/plain: %d %r (want 415)" % (res.status, body))
    conn.close()

    # Above --upload-max-bytes: declared (curl -F, Content-Length) ...
    r = subprocess.run(["curl", "-sS", "--max-time", "10", "-o", "/dev/null", "-w", "%{http_code}",
                        "-F", "f=@-;filename=big", "http://127.0.0.1:%d/api/upload" % small_port],
                       input=b"z" * (2 * SMALL_LIMIT), capture_output=True)
    if r.stdout != b"413":
        fail("curl -F above --upload-max-bytes: %r %r (want 413)" % (r.stdout, r.stderr[:200]))
    # ... or only counted (chunked, no length).
    conn = http.client.HTTPConnection("127.0.0.1", small_port, timeout=10)
    pieces = (good[:1000] if i == 0 else b"y" * 65536 for i in range(40))
    try:
        conn.request("POST", "/api/upload", body=pieces, headers=headers, encode_chunked=True)
        status = conn.getresponse().status
    except (BrokenPipeError, ConnectionResetError):
        status = "reset before the answer"
    if status != 413:
        fail("chunked body above --upload-max-bytes: %r (want 413)" % status)
    conn.close()
    if set(os.listdir(upload_dir)) != before:
        fail("refused uploads left %r" % sorted(set(os.listdir(upload_dir)) - before))


def proc_status(pid, field):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no %s" % field)


def check_big(port, pid, upload_dir, fail):
    boundary = "big-boundary"
    head = ("--%s\r\nContent-Disposition: form-data; name=\"big\"; filename=\"big.bin\"\r\n"
            "Content-Type: application/octet-stream\r\n\r\n" % boundary).encode()
    tail = ("\r\n--%s--\r\n" % boundary).encode()
    block = os.urandom(1 << 20)
    digest = hashlib.sha256()

    def body():  # 100 MiB made as it is sent: one 1 MiB block, numbered
        yield head
        for i in range(BIG >> 20):
            piece = i.to_bytes(8, "big") + block[8:]
            digest.update(piece)
            yield piece
        yield tail

    with open("/proc/%d/clear_refs" % pid, "w") as f:
        f.write("5")  # resets VmHWM to the current RSS
    rss_before = proc_status(pid, "VmRSS")
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("POST", "/api/upload", body=body(),
                 headers={"Content-Type": "multipart/form-data; boundary=" + boundary,
                          "Content-Length": str(len(head) + BIG + len(tail))})
    res = conn.getresponse()
    raw = res.read()
    conn.close()
    peak = proc_status(pid, "VmHWM")
    growth = peak - rss_before
    print("  100 MiB upload: RSS %.1f MiB before, peak %.1f MiB, growth %.2f MiB" %
          (rss_before / 2**20, peak / 2**20, growth / 2**20))
    if growth >= RSS_LIMIT:
        fail("100 MiB upload: the server's peak RSS grew by %d bytes (limit %d)" %
             (growth, RSS_LIMIT))
    if res.status != 200:
        return fail("100 MiB upload: status %d %r" % (res.status, raw[:200]))
    part = json.loads(raw)[0]
    want = {"field": "big", "filename": "big.bin", "size": BIG, "sha256": digest.hexdigest()}
    if {k: part.get(k) for k in want} != want:
        fail("100 MiB upload answered %r, want %r" % (part, want))
    path = os.path.join(upload_dir, part.get("stored", "?"))
    if not os.path.exists(path) or file_sha(path) != digest.hexdigest():
        fail("100 MiB upload: the stored file does not match what was sent")
    if os.path.exists(path):
        os.unlink(path)


def check(binary, frontend, h2):
    failures = []
    fail = failures.append
    work = tempfile.mkdtemp(prefix="serve-upload-")
    upload_dir = os.path.join(work, "uploads")
    small_dir = os.path.join(work, "small")
    os.mkdir(upload_dir)
    os.mkdir(small_dir)
    server, port = start(binary, frontend, "--upload-dir", upload_dir)
    small, small_port = start(binary, frontend, "--upload-dir", small_dir,
                              "--upload-max-bytes", str(SMALL_LIMIT))
    try:
        check_curl(port, upload_dir, work, fail)
        for name in os.listdir(upload_dir):
            os.unlink(os.path.join(upload_dir, name))
        check_requests(port, upload_dir, fail)
        if h2:
            check_curl_h2(port, upload_dir, work, fail)
        check_refusals(port, small_port, upload_dir, fail)
        if os.listdir(small_dir):
            fail("refused uploads left %r in the folder" % os.listdir(small_dir))
        check_big(port, server.pid, upload_dir, fail)
    except Exception as e:  # a crash of the test is a failure of the front end's run
        fail("%s: %s" % (type(e).__name__, e))
    finally:
        for s in (server, small):
            if stop(s) != 0:
                fail("server exited with %s" % s.returncode)
        shutil.rmtree(work, ignore_errors=True)
    return failures


def main():
    args = sys.argv[1:]
    h2 = "--h2" in args
    args = [a for a in args if a != "--h2"]
    if len(args) != 1:
        sys.exit(__doc__)
    binary = args[0]
    frontends = subprocess.run([binary, "serve", "--list-frontends"], check=True,
                               capture_output=True, text=True).stdout.split()
    failed = False
    for frontend in frontends:
        print("[%s]" % frontend)
        failures = check(binary, frontend, h2)
        for failure in failures:
            print("FAIL [%s]: %s" % (frontend, failure))
        if not failures:
            print("ok   [%s]: curl -F%s, requests, urlencoded, 400/413/415, 100 MiB" %
                  (frontend, " (h1, h2c)" if h2 else ""))
        failed = failed or bool(failures)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
