#!/usr/bin/python3
"""Deferred responses over HTTP/2, from `httpcore serve` over loopback, with
real HTTP/2 clients (python3-h2 and curl), on every front end the binary has,
h2c and over TLS (h2 through ALPN):

- one connection, stream A: GET /api/slow?ms=200 (answered later, from the
  timer thread, through the connection's mailbox); then stream B on the same
  connection: GET /api/greet/b. B must be answered completely while A is
  still pending (B ends before A, and before A's 200 ms are up), and A must
  then end with 200 {"slept_ms":200}, no sooner than 200 ms after it was sent;
- curl --http2 (the h2c upgrade: the deferred answer on stream 1, the
  request that asked for the upgrade): {"slept_ms":100} over HTTP/2.

usage: serve_api_h2_test.py PATH/TO/httpcore     (exit 0 pass, 1 fail; a
missing peer fails: scripts/bootstrap installs curl, openssl and python3-h2)
"""
import json
import os
import pathlib
import re
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import time

import h2.config
import h2.connection
import h2.events

SLOW_MS = 200
ENV = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}


def fail(what):
    print(f"serve_api_h2_test: FAIL: {what}", file=sys.stderr)
    sys.exit(1)


def check(ok, what):
    if not ok:
        fail(what)
    print(f"ok   {what}")


def frontends(binary):
    out = subprocess.run([binary, "serve", "--list-frontends"], check=True,
                         capture_output=True, text=True)
    names = out.stdout.split()
    if "epoll" not in names or "threads" not in names:
        fail(f"--list-frontends lacks epoll or threads: {names}")
    return names


class server:
    def __init__(self, binary, frontend, work, tls=None):
        threads = ["--threads", "4" if frontend == "threads" else "1"]
        args = [binary, "serve", "--frontend", frontend, "--port", "0", "--quiet", *threads]
        if tls:
            args += ["--tls-port", "0", "--tls-cert", tls[0], "--tls-key", tls[1]]
        self.err_path = work / f"{frontend}.err"
        self.err = open(self.err_path, "w")
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=self.err)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            text = self.err_path.read_text()
            m = re.search(r"http://127\.0\.0\.1:(\d+)/", text)
            t = re.search(r"https://127\.0\.0\.1:(\d+)/", text)
            if m and (t or not tls):
                self.port = int(m.group(1))
                self.tls_port = int(t.group(1)) if t else None
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        self.proc.kill()
        fail(f"[{frontend}] server did not start: {self.err_path.read_text()}")

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.err.close()


def two_streams(sock, label):
    """Stream A (slow, deferred) then stream B (greet) on one connection;
    returns when both ended or after 10 s."""
    conn = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True))
    conn.initiate_connection()
    sock.sendall(conn.data_to_send())

    def send(path):
        sid = conn.get_next_available_stream_id()
        conn.send_headers(sid, [(":method", "GET"), (":scheme", "http"),
                                (":authority", "localhost"), (":path", path)], end_stream=True)
        sock.sendall(conn.data_to_send())
        return sid

    sent = time.monotonic()
    a = send(f"/api/slow?ms={SLOW_MS}")
    b = send("/api/greet/b")
    status, body, ended_at = {}, {}, {}
    deadline = sent + 10
    while len(ended_at) < 2 and time.monotonic() < deadline:
        sock.settimeout(max(0.01, deadline - time.monotonic()))
        try:
            data = sock.recv(65536)
        except (socket.timeout, ssl.SSLError):
            break
        if not data:
            break
        for ev in conn.receive_data(data):
            if isinstance(ev, h2.events.ResponseReceived):
                status[ev.stream_id] = dict(ev.headers)[b":status"]
            elif isinstance(ev, h2.events.DataReceived):
                body[ev.stream_id] = body.get(ev.stream_id, b"") + ev.data
                conn.acknowledge_received_data(ev.flow_controlled_length, ev.stream_id)
            elif isinstance(ev, h2.events.StreamEnded):
                ended_at[ev.stream_id] = time.monotonic() - sent
            elif isinstance(ev, h2.events.StreamReset):
                fail(f"{label}: stream {ev.stream_id} reset ({ev.error_code})")
        out = conn.data_to_send()
        if out:
            sock.sendall(out)
    check(a in ended_at and b in ended_at, f"{label}: both streams ended ({ended_at})")
    check(status.get(b) == b"200" and json.loads(body.get(b, b"null")) == {"hello": "b"},
          f"{label}: stream B /api/greet/b answered 200 {body.get(b)!r}")
    check(ended_at[b] < ended_at[a] and ended_at[b] < SLOW_MS / 1000,
          f"{label}: B ended at {ended_at[b] * 1000:.0f} ms, while A was pending "
          f"(A ended at {ended_at[a] * 1000:.0f} ms)")
    check(status.get(a) == b"200" and json.loads(body.get(a, b"null")) == {"slept_ms": SLOW_MS},
          f"{label}: stream A /api/slow answered later: {status.get(a)!r} {body.get(a)!r}")
    check(ended_at[a] >= SLOW_MS / 1000, f"{label}: A no sooner than {SLOW_MS} ms "
          f"({ended_at[a] * 1000:.0f} ms)")


def check_h2c(binary, frontend, work):
    srv = server(binary, frontend, work)
    try:
        with socket.create_connection(("127.0.0.1", srv.port), timeout=10) as sock:
            two_streams(sock, f"[h2c {frontend}]")
        out = subprocess.run(["curl", "-sS", "--max-time", "10", "--http2", "-w",
                              "\n%{http_version} %{http_code}",
                              f"http://127.0.0.1:{srv.port}/api/slow?ms=100"],
                             capture_output=True, text=True, timeout=20, env=ENV)
        body, _, tail = out.stdout.rpartition("\n")
        check(tail == "2 200" and body and json.loads(body) == {"slept_ms": 100},
              f"[h2c {frontend}] curl --http2 (Upgrade: h2c): the deferred answer on stream 1 "
              f"({tail!r} {body!r} {out.stderr[-200:]!r})")
    finally:
        srv.stop()


def check_tls(binary, frontend, work, cert, key):
    srv = server(binary, frontend, work, tls=(cert, key))
    try:
        ctx = ssl.create_default_context(cafile=str(cert))
        ctx.set_alpn_protocols(["h2"])
        raw = socket.create_connection(("127.0.0.1", srv.tls_port), timeout=10)
        with ctx.wrap_socket(raw, server_hostname="localhost") as sock:
            check(sock.selected_alpn_protocol() == "h2",
                  f"[tls {frontend}] ALPN chose h2 ({sock.selected_alpn_protocol()!r})")
            two_streams(sock, f"[tls {frontend}]")
    finally:
        srv.stop()


def main():
    if len(sys.argv) != 2:
        fail("usage: serve_api_h2_test.py PATH/TO/httpcore")
    for tool in ("curl", "openssl"):
        if shutil.which(tool) is None:
            fail(f"{tool} is missing (scripts/bootstrap installs it)")
    binary = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        work = pathlib.Path(tmp)
        cert, key = work / "h2.pem", work / "h2.key"
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                        "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", cert,
                        "-days", "2", "-subj", "/CN=localhost", "-addext",
                        "subjectAltName=DNS:localhost,IP:127.0.0.1"],
                       check=True, capture_output=True)
        names = frontends(binary)
        for frontend in names:
            check_h2c(binary, frontend, work)
        for frontend in names:
            check_tls(binary, frontend, work, cert, key)
    print("serve_api_h2_test: all passed")


if __name__ == "__main__":
    main()
