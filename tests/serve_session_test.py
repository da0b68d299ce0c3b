#!/usr/bin/python3
"""`httpcore serve`'s GET /api/session over loopback, on every front end the
binary has, with real clients (python3-requests with its cookie jar, curl
with its cookie file):

- with the jar, /api/session answers {"visits":1}, 2, 3 (application/json,
  Set-Cookie with Max-Age, Path=/, HttpOnly, SameSite=Lax on each answer);
- without it, each request starts over at 1;
- a tampered cookie (one byte of the id changed, the signature kept) and a
  cookie signed with a key the server does not have start a new session
  (visits 1, a new id), and the old session is still there for the right
  cookie;
- curl's cookie file counts 1, 2 too (over h2c as well with --h2);
- --session-secret: a bad one is refused with the offending byte's offset.

With --redis (needs redis-server, started here on a free port in a
temporary folder): two instances on one Redis share sessions. A signs with
K1, B with K2 and K1 (rotated): a visit to A then B counts 1 then 2 (the
rotated key still verifies); B's answer is signed with K2, which A does not
have, so A then starts a new session (1). Redis killed: /api/session answers
503 with a JSON error; restarted: sessions work again.

usage: serve_session_test.py PATH/TO/httpcore [--h2] [--redis]
"""
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

import requests

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from redis_server import RedisServer, die_with_parent  # noqa: E402

K1 = "00112233445566778899aabbccddeeff"
K2 = "ffeeddccbbaa99887766554433221100"
failures = []


def fail(what):
    failures.append(what)
    print("FAIL " + what, flush=True)


def start(binary, frontend, *extra):
    threads = ["--threads", "4" if frontend == "threads" else "1"]
    server = subprocess.Popen(
        [binary, "serve", "--frontend", frontend, "--port", "0", "--quiet", *threads, *extra],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        preexec_fn=die_with_parent)
    # Redis link lines may come before the start line.
    for _ in range(10):
        line = server.stderr.readline().decode()
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if m or not line:
            break
    if not m:
        server.kill()
        raise RuntimeError("no start line: %r" % line)
    return server, "http://127.0.0.1:%s" % m.group(1)


def stop(server):
    server.send_signal(signal.SIGTERM)
    _, err = server.communicate(timeout=10)
    if server.returncode != 0:
        fail("server exited %d: %s" % (server.returncode, err.decode(errors="replace")[-500:]))


def visits(response):
    if response.status_code != 200:
        return "status %d %r %r" % (response.status_code, response.text[:200],
                                    dict(response.headers))
    if response.headers.get("content-type") != "application/json":
        return "content-type %r" % response.headers.get("content-type")
    return json.loads(response.text).get("visits")


def expect(label, got, want):
    if got != want:
        fail("%s: got %r, want %r" % (label, got, want))


def session_cookie(jar):
    return jar.get("httpcore_session")


def check_frontend(binary, frontend, h2):
    server, url = start(binary, frontend, "--session-secret", K1)
    try:
        label = "[%s] " % frontend
        with requests.Session() as s:
            for n in (1, 2, 3):
                r = s.get(url + "/api/session", timeout=5)
                expect(label + "jar visit %d" % n, visits(r), n)
            set_cookie = r.headers.get("set-cookie", "")
            for attribute in ("Max-Age=86400", "Path=/", "HttpOnly", "SameSite=Lax"):
                if attribute not in set_cookie:
                    fail(label + "Set-Cookie %r lacks %s" % (set_cookie, attribute))
            good = session_cookie(s.cookies)
        for n in range(2):
            expect(label + "no jar", visits(requests.get(url + "/api/session", timeout=5)), 1)

        # One byte of the id changed, the signature kept: a new session.
        ident, mac = good.rsplit(".", 1)
        flipped = ident[:5] + ("A" if ident[5] != "A" else "B") + ident[6:]
        r = requests.get(url + "/api/session", cookies={"httpcore_session": flipped + "." + mac},
                         timeout=5)
        expect(label + "tampered cookie", visits(r), 1)
        new = r.cookies.get("httpcore_session", "")
        if new.split(".")[0] in (ident, flipped):
            fail(label + "tampered cookie: the answer kept the id %r" % new)
        # The same id signed with another key: not ours either.
        other = subprocess.run(
            [sys.executable, "-c",
             "import hmac,hashlib,base64,sys;"
             "m=hmac.new(bytes.fromhex(sys.argv[1]),('httpcore_session='+sys.argv[2]).encode(),"
             "hashlib.sha256).digest();"
             "print(sys.argv[2]+'.'+base64.urlsafe_b64encode(m).decode().rstrip('='))",
             K2, ident], capture_output=True, text=True, check=True).stdout.strip()
        r = requests.get(url + "/api/session", cookies={"httpcore_session": other}, timeout=5)
        expect(label + "cookie signed with an unknown key", visits(r), 1)
        # The right signature, computed the same way with K1: accepted, so the
        # two refusals above were the signature's doing. The session is intact.
        right = subprocess.run(
            [sys.executable, "-c",
             "import hmac,hashlib,base64,sys;"
             "m=hmac.new(bytes.fromhex(sys.argv[1]),('httpcore_session='+sys.argv[2]).encode(),"
             "hashlib.sha256).digest();"
             "print(sys.argv[2]+'.'+base64.urlsafe_b64encode(m).decode().rstrip('='))",
             K1, ident], capture_output=True, text=True, check=True).stdout.strip()
        expect(label + "our own MAC scheme", right, good)
        r = requests.get(url + "/api/session", cookies={"httpcore_session": good}, timeout=5)
        expect(label + "the original session after the tampering", visits(r), 4)

        with tempfile.TemporaryDirectory() as folder:
            variants = [("curl", [])] + ([("curl h2c", ["--http2-prior-knowledge"])] if h2 else [])
            for name, extra in variants:
                jar = os.path.join(folder, name.replace(" ", "_"))
                for n in (1, 2):
                    out = subprocess.run(
                        ["curl", "-sS", "--max-time", "5", *extra, "-c", jar, "-b", jar,
                         url + "/api/session"], capture_output=True, text=True)
                    got = json.loads(out.stdout).get("visits") if out.returncode == 0 else out.stderr
                    expect(label + "%s visit %d" % (name, n), got, n)
    finally:
        stop(server)


def get_until(url, session, want_status, timeout):
    """GETs /api/session until it answers want_status (Redis coming back)."""
    deadline = time.monotonic() + timeout
    while True:
        r = session.get(url + "/api/session", timeout=5)
        if r.status_code == want_status or time.monotonic() > deadline:
            return r
        time.sleep(0.05)


def check_redis(binary):
    with tempfile.TemporaryDirectory() as folder:
        redis = RedisServer(folder)
        redis.start()
        where = "redis://127.0.0.1:%d" % redis.port
        a, url_a = start(binary, "epoll", "--redis", where, "--session-secret", K1)
        b, url_b = start(binary, "epoll", "--redis", where, "--session-secret", K2 + "," + K1)
        try:
            with requests.Session() as s:
                # The first request may meet the Redis connection being made.
                expect("redis: visit A", visits(get_until(url_a, s, 200, 3)), 1)
                expect("redis: then B (rotated key, shared store)",
                       visits(s.get(url_b + "/api/session", timeout=5)), 2)
                expect("redis: then B again", visits(s.get(url_b + "/api/session", timeout=5)), 3)
                # B signed with K2, which A does not have: a new session on A.
                expect("redis: A with B's K2 cookie", visits(s.get(url_a + "/api/session",
                                                                   timeout=5)), 1)
                expect("redis: B again (A's new session)",
                       visits(s.get(url_b + "/api/session", timeout=5)), 2)

                redis.kill()
                r = get_until(url_a, s, 503, 3)
                body = r.json() if r.headers.get("content-type") == "application/json" else {}
                if r.status_code != 503 or "Redis" not in body.get("error", ""):
                    fail("redis killed: %d %r" % (r.status_code, r.text[:200]))
                else:
                    print("ok   redis killed: 503 %s" % body["error"], flush=True)
                redis.start()
                t0 = time.monotonic()
                r = get_until(url_a, s, 200, 8)
                print("ok   redis back: /api/session answers 200 after %.2f s" %
                      (time.monotonic() - t0), flush=True)
                # Redis restarted empty: the session is gone, a new one starts.
                expect("redis restarted: visit", visits(r), 1)
                # B reconnects on its own backoff, maybe a little later than A.
                expect("redis restarted: then B", visits(get_until(url_b, s, 200, 8)), 2)
        finally:
            stop(a)
            stop(b)
            redis.kill()


def main():
    args = sys.argv[1:]
    if not args:
        print(__doc__)
        return 2
    binary = args[0]
    bad = subprocess.run([binary, "serve", "--session-secret", "0011zz"],
                         capture_output=True, text=True)
    expect("bad --session-secret", (bad.returncode, bad.stderr.splitlines()[0]),
           (2, "httpcore serve: --session-secret: not a hex digit: 'z' (at byte 4)"))
    frontends = subprocess.run([binary, "serve", "--list-frontends"], check=True,
                               capture_output=True, text=True).stdout.split()
    for frontend in frontends:
        t0 = time.monotonic()
        check_frontend(binary, frontend, "--h2" in args)
        print("ok   [%s] sessions checked in %.2f s" % (frontend, time.monotonic() - t0),
              flush=True)
    if "--redis" in args:
        t0 = time.monotonic()
        check_redis(binary)
        print("ok   redis sessions checked in %.2f s" % (time.monotonic() - t0), flush=True)
    print("%d failures" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
