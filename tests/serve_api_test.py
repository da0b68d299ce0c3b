#!/usr/bin/python3
"""`httpcore serve`'s /api routes over loopback, for every front end the
binary has, with real clients (curl, python3's http.client and h11):

- GET /api/greet/{name}: JSON from curl, the name percent-decoded;
- GET /api/slow?ms=2000 on 1,000 connections at once to one epoll loop (10
  on the threads front end, which holds a worker per pending answer) while
  /hello on another connection answers within 300 ms each: the loop is not
  held; every slow answer says {"slept_ms":2000}, all after about 2 s;
- GET /api/boom: 500 with an X-Request-Id, the log line on standard output
  names that id, and the same connection then gets /api/greet;
- CORS with --cors: a preflight from the allowed origin gets 204 and the
  Access-Control-Allow-* fields, one from another origin 403;
- compression: a JSON answer above 1 KiB comes gzip-encoded (h11 client,
  decoded with python's gzip) and br-encoded (curl --compressed);
- /metrics: those exchanges by route pattern, the slow ones in the 2 s
  bucket (durations measured to the deferred answer), promtool accepts it;
- --rate-limit 2 (a second server): of 8 requests in a row, the first 4
  (the burst) pass and the rest get 429 with a Retry-After of 1 s.

usage: serve_api_test.py PATH/TO/httpcore [--slow-count N]   (exit 0 pass, 1 fail)
(ctest passes --slow-count 200 in sanitized builds, where each connection
costs some 20 ms on a loaded machine; 1,000 otherwise)
"""
import gzip
import http.client
import json
import re
import resource
import selectors
import signal
import socket
import subprocess
import sys
import threading
import time

import h11

SLOW_COUNT = 1000  # pending at once on one event loop (issue 13); --slow-count N


def start(binary, frontend, *extra):
    threads = ["--threads", "16" if frontend == "threads" else "1"]
    server = subprocess.Popen(
        [binary, "serve", "--frontend", frontend, "--port", "0", *threads, *extra],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    line = server.stderr.readline().decode()
    m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
    if not m:
        server.kill()
        raise RuntimeError("no start line: %r" % line)
    return server, int(m.group(1))


def stop(server):
    server.send_signal(signal.SIGTERM)
    out, _ = server.communicate(timeout=10)
    return server.returncode, out.decode(errors="replace")


def curl(port, path, *args):
    r = subprocess.run(["curl", "-sS", "--max-time", "5", "-D", "-", *args,
                        "http://127.0.0.1:%d%s" % (port, path)],
                       capture_output=True, check=True)
    head, _, body = r.stdout.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    fields = {}
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        fields[name.decode().lower()] = value.strip().decode()
    return status, fields, body


def get(conn, path, headers=None):
    conn.request("GET", path, headers=headers or {})
    r = conn.getresponse()
    return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()


def check_greet(port, fail):
    status, fields, body = curl(port, "/api/greet/J%C3%B6rg%20K")
    if status != 200 or fields.get("content-type") != "application/json":
        fail("greet: %d %s" % (status, fields))
    elif json.loads(body) != {"hello": "J\u00f6rg K"}:
        fail("greet: body %r" % body)


def check_slow(port, frontend, fail):
    """COUNT /api/slow?ms=2000 sent at once on as many connections to one
    loop thread (10 on the threads front end, which holds a worker per
    pending answer), read back with one selector. While they wait, /hello on
    another connection must answer within 300 ms each time; all of them must
    be answered together (held one after another, they would take COUNT x 2 s)."""
    count = 10 if frontend == "threads" else SLOW_COUNT
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < count + 64:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 2 * count + 256), hard))
    request = b"GET /api/slow?ms=2000 HTTP/1.1\r\nHost: t\r\n\r\n"
    sel = selectors.DefaultSelector()
    began = time.monotonic()
    socks = []
    for _ in range(count):
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        s.sendall(request)
        s.setblocking(False)
        sel.register(s, selectors.EVENT_READ, bytearray())
        socks.append(s)
    fast = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    get(fast, "/hello")  # behind the slow requests' heads: they are all pending now
    for i in range(5):
        t0 = time.monotonic()
        status, _, body = get(fast, "/hello")
        took = time.monotonic() - t0
        if status != 200 or took > 0.3:
            fail("slow: /hello #%d while %d slow are pending: %d after %.3f s"
                 % (i, count, status, took))
    if sel.select(timeout=0):
        fail("slow: an answer came before its 2 s (%.2f s)" % (time.monotonic() - began))
    answered, bad = 0, []
    deadline = time.monotonic() + 30
    while answered < count and time.monotonic() < deadline:
        for key, _ in sel.select(timeout=1):
            data = key.fileobj.recv(65536)
            key.data.extend(data)
            head, sep, body = bytes(key.data).partition(b"\r\n\r\n")
            length = re.search(rb"(?i)content-length: *(\d+)", head) if sep else None
            if not data or (length and len(body) >= int(length.group(1))):
                sel.unregister(key.fileobj)
                answered += 1
                if not head.startswith(b"HTTP/1.1 200") or json.loads(body) != {"slept_ms": 2000}:
                    bad.append(bytes(key.data[:80]))
    took = time.monotonic() - began
    for s in socks:
        s.close()
    if answered != count or bad:
        fail("slow: %d of %d answered, %d wrong (first %r)" % (answered, count, len(bad), bad[:1]))
    elif took > 15:
        fail("slow: %d answers of 2 s took %.1f s: not together" % (count, took))
    else:
        print("     [%s]: %d /api/slow?ms=2000 pending at once, all answered after %.2f s"
              % (frontend, count, took))


def check_boom(port, fail):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    status, fields, _ = get(c, "/api/boom")
    rid = fields.get("x-request-id", "")
    if status != 500 or not rid:
        fail("boom: %d, X-Request-Id %r" % (status, rid))
    status, _, body = get(c, "/api/greet/after")
    if status != 200 or json.loads(body) != {"hello": "after"}:
        fail("boom: the connection did not go on: %d %r" % (status, body))
    # Under load: 4 clients alternate throwing and greeting; nothing is lost.
    errors = []

    def client(n):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            for i in range(50):
                st, _, b = get(conn, "/api/boom" if i % 2 else "/api/greet/c%d" % n)
                want = 500 if i % 2 else 200
                if st != want or (want == 200 and json.loads(b) != {"hello": "c%d" % n}):
                    errors.append("client %d request %d: %d %r" % (n, i, st, b[:40]))
        except OSError as e:
            errors.append("client %d: %r" % (n, e))

    threads = [threading.Thread(target=client, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        fail("boom under load: %d errors, first %s" % (len(errors), errors[0]))
    return rid


def check_cors(port, fail):
    pre = ["-X", "OPTIONS", "-H", "Access-Control-Request-Method: GET"]
    status, fields, _ = curl(port, "/api/greet/x", *pre, "-H", "Origin: https://good.example")
    if status != 204 or fields.get("access-control-allow-origin") != "https://good.example":
        fail("cors: allowed preflight got %d %s" % (status, fields))
    status, fields, _ = curl(port, "/api/greet/x", *pre, "-H", "Origin: https://evil.example")
    if status != 403 or "access-control-allow-origin" in fields:
        fail("cors: other origin's preflight got %d %s" % (status, fields))
    status, fields, _ = curl(port, "/api/greet/x", "-H", "Origin: https://good.example")
    if fields.get("access-control-allow-origin") != "https://good.example":
        fail("cors: actual request without Access-Control-Allow-Origin: %s" % fields)


def check_compression(port, fail):
    name = "n" * 1500
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        client = h11.Connection(h11.CLIENT)
        s.sendall(client.send(h11.Request(
            method="GET", target="/api/greet/" + name,
            headers=[("Host", "t"), ("Accept-Encoding", "br;q=0.1, gzip")])))
        s.sendall(client.send(h11.EndOfMessage()))
        head, body = None, b""
        while True:
            event = client.next_event()
            if event is h11.NEED_DATA:
                client.receive_data(s.recv(65536))
            elif isinstance(event, h11.Response):
                head = event
            elif isinstance(event, h11.Data):
                body += event.data
            elif isinstance(event, h11.EndOfMessage):
                break
        fields = {k.decode().lower(): v.decode() for k, v in head.headers}
        if fields.get("content-encoding") != "gzip" or len(body) > 200:
            fail("compression: gzip preferred by q, got %s, %d bytes" % (fields, len(body)))
        elif json.loads(gzip.decompress(body)) != {"hello": name}:
            fail("compression: gzip body does not decode to the JSON")
    status, fields, body = curl(port, "/api/greet/" + name, "--compressed",
                                "-H", "Accept-Encoding: br")
    if fields.get("content-encoding") != "br" or json.loads(body) != {"hello": name}:
        fail("compression: br through curl: %s" % fields)


def check_metrics(port, fail):
    """/metrics after the checks above: their series are there, by route
    pattern, and promtool (Debian's prometheus package) accepts the text."""
    status, fields, body = curl(port, "/metrics")
    text = body.decode()
    if status != 200 or not fields.get("content-type", "").startswith("text/plain; version=0.0.4"):
        fail("metrics: %d %s" % (status, fields))
    for series in ('httpcore_requests_total{route="/api/greet/{name}",method="GET",status="200"}',
                   'httpcore_requests_total{route="/api/boom",method="GET",status="500"}',
                   'httpcore_requests_total{route="/hello",method="GET",status="200"}',
                   'httpcore_request_duration_seconds_count{route="/api/slow"}'):
        if series not in text:
            fail("metrics: no %s in:\n%s" % (series, text[:2000]))
    slow = re.search(r'httpcore_request_duration_seconds_bucket\{route="/api/slow",le="1"\} (\d+)',
                     text)
    if not slow or int(slow.group(1)) != 0:
        fail("metrics: /api/slow (2 s each) counted under 1 s: %s" % (slow and slow.group(0)))
    checked = subprocess.run(["promtool", "check", "metrics"], input=body, capture_output=True)
    if checked.returncode != 0:
        fail("metrics: promtool: %s" % (checked.stdout + checked.stderr).decode())


def check_rate_limit(binary, frontend, fail):
    server, port = start(binary, frontend, "--rate-limit", "2", "--quiet")
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        answers = [get(c, "/api/greet/r") for _ in range(8)]
        statuses = [a[0] for a in answers]
        if statuses[:4] != [200] * 4 or 429 not in statuses[4:]:
            fail("rate limit: statuses %s" % statuses)
        limited = [a for a in answers if a[0] == 429]
        if limited and limited[0][1].get("retry-after") != "1":
            fail("rate limit: Retry-After %r" % limited[0][1].get("retry-after"))
        status, _, _ = get(c, "/hello")
        if status != 200:
            fail("rate limit: /hello (not under /api) got %d" % status)
    finally:
        stop(server)


def check(binary, frontend):
    failures = []

    def fail(message):
        failures.append(message)

    server, port = start(binary, frontend, "--cors", "https://good.example")
    rid = "-"
    try:
        check_greet(port, fail)
        check_slow(port, frontend, fail)
        rid = check_boom(port, fail)
        check_cors(port, fail)
        check_compression(port, fail)
        check_metrics(port, fail)
    except Exception as e:  # a timeout, a refused connection, a bad body: a failure
        fail("%s: %r" % (type(e).__name__, e))
    finally:
        status, log = stop(server)
    if status != 0:
        fail("exit status %d after SIGTERM" % status)
    if not re.search(r'"error":"recovered: request_id=%s GET /api/boom: boom' % re.escape(rid),
                     log):
        fail("no recovery log line with request id %s on standard output" % rid)
    try:
        check_rate_limit(binary, frontend, fail)
    except Exception as e:
        fail("rate limit: %s: %r" % (type(e).__name__, e))
    return failures


def main():
    global SLOW_COUNT
    args = sys.argv[1:]
    if len(args) == 3 and args[1] == "--slow-count":
        SLOW_COUNT = int(args[2])
        args = args[:1]
    if len(args) != 1:
        sys.exit(__doc__)
    binary = args[0]
    frontends = subprocess.run([binary, "serve", "--list-frontends"], check=True,
                               capture_output=True, text=True).stdout.split()
    failed = False
    for frontend in frontends:
        failures = check(binary, frontend)
        for failure in failures:
            print("FAIL [%s]: %s" % (frontend, failure))
        if not failures:
            print("ok   [%s]: greet, slow, boom, cors, compression, rate limit" % frontend)
        failed = failed or bool(failures)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
