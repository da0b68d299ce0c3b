#!/usr/bin/python3
"""HTTP/2 from `httpcore serve` over loopback against real clients, on every
front end the binary has (`--list-frontends`: epoll, io_uring, threads), h2c
and over TLS (h2 through ALPN):
curl --http2-prior-knowledge, curl --http2 (the h2c upgrade, and ALPN with
--cacert), nghttp, h2load (100 concurrent streams on each connection), and
python3-h2 (POST /echo, 100 concurrent streams answered on one connection,
a streamed response to a reader that opens no window: it stops at the
window, and the server's memory stays flat, then it completes).

usage: h2_interop_test.py PATH/TO/httpcore     (a missing peer fails the test:
scripts/bootstrap installs curl, nghttp2-client, openssl and python3-h2)
"""
import os
import pathlib
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

import h2.config
import h2.connection
import h2.events
import h2.settings

ROOT = []  # --root, for a binary copied away from its build tree (H2_TEST_ROOT)
if os.environ.get("H2_TEST_ROOT"):
    ROOT = ["--root", os.environ["H2_TEST_ROOT"]]

# Clients must not go through a proxy to reach 127.0.0.1.
ENV = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}


def fail(what):
    print(f"h2_interop_test: FAIL: {what}", file=sys.stderr)
    sys.exit(1)


def check(ok, what):
    if not ok:
        fail(what)
    print(f"ok   {what}")


def run(args, timeout=30):
    return subprocess.run(args, capture_output=True, text=True, timeout=timeout, env=ENV)


class server:
    def __init__(self, binary, frontend, work, tls=None):
        args = [binary, "serve", "--frontend", frontend, "--port", "0", "--quiet"] + ROOT
        if tls:
            args += ["--tls-port", "0", "--tls-cert", tls[0], "--tls-key", tls[1]]
        self.err_path = work / f"{frontend}.err"
        self.err = open(self.err_path, "w")
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=self.err)
        deadline = time.monotonic() + 20
        self.port = self.tls_port = None
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
        fail(f"server did not start: {self.err_path.read_text()}")

    def rss_kib(self):
        for line in open(f"/proc/{self.proc.pid}/status"):
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        return 0

    def stop(self):
        self.proc.terminate()
        rc = self.proc.wait(timeout=20)
        self.err.close()
        text = self.err_path.read_text()
        if rc != 0 or "Sanitizer" in text or "runtime error" in text:
            fail(f"server exited {rc}: {text[-2000:]}")


def curl(*args):
    out = run(["curl", "-sS", "--max-time", "20", "-w", "\n%{http_version} %{http_code}", *args])
    body, _, tail = out.stdout.rpartition("\n")
    return body, tail, out.stderr


class h2client:
    """python3-h2 over a plain socket, with prior knowledge."""

    def __init__(self, port, window=None):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.conn = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True))
        self.conn.initiate_connection()
        if window is not None:
            self.conn.update_settings({h2.settings.SettingCodes.INITIAL_WINDOW_SIZE: window})
        self.flush()
        self.bodies, self.status, self.ended, self.resets = {}, {}, set(), {}
        self.remote_settings = {}
        self.unacked = {}

    def flush(self):
        data = self.conn.data_to_send()
        if data:
            self.sock.sendall(data)

    def request(self, method, path, body=b""):
        sid = self.conn.get_next_available_stream_id()
        headers = [(":method", method), (":scheme", "http"), (":authority", "localhost"),
                   (":path", path)]
        self.conn.send_headers(sid, headers, end_stream=not body)
        self.flush()
        at = 0
        while at < len(body):  # as the server's windows allow
            n = min(self.conn.local_flow_control_window(sid), self.conn.max_outbound_frame_size,
                    len(body) - at)
            if n <= 0:
                self.pump(lambda: self.conn.local_flow_control_window(sid) > 0, limit_s=5)
                if self.conn.local_flow_control_window(sid) <= 0:
                    fail("the server never reopened the window for the request body")
                continue
            self.conn.send_data(sid, body[at:at + n], end_stream=at + n == len(body))
            at += n
            self.flush()
        return sid

    def pump(self, until, consume=True, limit_s=10):
        deadline = time.monotonic() + limit_s
        if consume:  # what a paused reader left unread
            for sid, n in self.unacked.items():
                if n and sid not in self.ended:
                    self.conn.acknowledge_received_data(n, sid)
            self.unacked.clear()
            self.flush()
        while not until() and time.monotonic() < deadline:
            self.sock.settimeout(max(0.01, deadline - time.monotonic()))
            try:
                data = self.sock.recv(65536)
            except socket.timeout:
                break
            if not data:
                break
            for ev in self.conn.receive_data(data):
                if isinstance(ev, h2.events.ResponseReceived):
                    self.status[ev.stream_id] = dict(ev.headers)[b":status"]
                elif isinstance(ev, h2.events.DataReceived):
                    self.bodies[ev.stream_id] = self.bodies.get(ev.stream_id, b"") + ev.data
                    if consume:
                        self.conn.acknowledge_received_data(ev.flow_controlled_length,
                                                            ev.stream_id)
                    else:
                        self.unacked[ev.stream_id] = (self.unacked.get(ev.stream_id, 0) +
                                                      ev.flow_controlled_length)
                elif isinstance(ev, h2.events.StreamEnded):
                    self.ended.add(ev.stream_id)
                elif isinstance(ev, h2.events.StreamReset):
                    self.resets[ev.stream_id] = ev.error_code
                elif isinstance(ev, h2.events.RemoteSettingsChanged):
                    for k, v in ev.changed_settings.items():
                        self.remote_settings[k] = v.new_value
            self.flush()


def check_cleartext(binary, frontend, work):
    srv = server(binary, frontend, work)
    base = f"http://127.0.0.1:{srv.port}"
    try:
        body, tail, err = curl("--http2-prior-knowledge", f"{base}/hello")
        check(body == "Hello, World!" and tail == "2 200",
              f"[{frontend}] curl --http2-prior-knowledge GET /hello ({tail!r} {err!r})")
        body, tail, err = curl("--http2-prior-knowledge", "-d", "posted over h2c", f"{base}/echo")
        check(body == "posted over h2c" and tail == "2 200",
              f"[{frontend}] curl --http2-prior-knowledge POST /echo ({tail!r} {err!r})")
        body, tail, err = curl("--http2", f"{base}/hello")
        check(body == "Hello, World!" and tail == "2 200",
              f"[{frontend}] curl --http2: Upgrade: h2c answered on stream 1 ({tail!r} {err!r})")
        out = run(["nghttp", f"{base}/hello"])
        check(out.returncode == 0 and out.stdout == "Hello, World!",
              f"[{frontend}] nghttp GET /hello ({out.stdout!r} {out.stderr[-200:]!r})")
        out = run(["h2load", "-n", "2000", "-c", "4", "-m", "100", f"{base}/hello"], timeout=60)
        m = re.search(r"requests: (\d+) total, \d+ started, (\d+) done, (\d+) succeeded", out.stdout)
        check(m and m.group(3) == "2000",
              f"[{frontend}] h2load -n 2000 -c 4 -m 100: all succeeded ({out.stdout[-300:]!r})")

        c = h2client(srv.port)
        payload = os.urandom(300_000)  # over the 64 KiB stream window
        sid = c.request("POST", "/echo", payload)
        c.pump(lambda: sid in c.ended)
        check(c.status.get(sid) == b"200" and c.bodies.get(sid) == payload,
              f"[{frontend}] python3-h2 POST /echo 300 kB echoed")
        check(c.remote_settings.get(h2.settings.SettingCodes.MAX_CONCURRENT_STREAMS) == 100,
              f"[{frontend}] SETTINGS_MAX_CONCURRENT_STREAMS is 100")
        ids = [c.request("GET", "/hello") for _ in range(100)]
        c.pump(lambda: all(i in c.ended for i in ids))
        check(all(c.bodies.get(i) == b"Hello, World!" for i in ids),
              f"[{frontend}] python3-h2: 100 concurrent streams on one connection answered")
        c.sock.close()
    finally:
        srv.stop()


def check_slow_reader(binary, work):
    """A streamed response (the echo of a large upload) to a reader whose
    window stays shut: the server stops sending at the window, stops taking
    the upload, and holds a bounded amount (RSS flat) until the reader reads."""
    srv = server(binary, "epoll", work)
    try:
        c = h2client(srv.port, window=65535)
        sid = c.conn.get_next_available_stream_id()
        c.conn.send_headers(sid, [(":method", "POST"), (":scheme", "http"),
                                  (":authority", "localhost"), (":path", "/echo")])
        c.flush()
        before = srv.rss_kib()
        sent = 0
        chunk = b"x" * 16384
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and sent < 64 << 20:
            window = min(c.conn.local_flow_control_window(sid), c.conn.max_outbound_frame_size)
            if window <= 0:
                c.pump(lambda: False, consume=False, limit_s=0.2)
                if c.conn.local_flow_control_window(sid) <= 0:
                    break
                continue
            c.conn.send_data(sid, chunk[:window])
            sent += window
            c.flush()
            c.pump(lambda: True, consume=False, limit_s=0)
        grown = srv.rss_kib() - before
        check(sent < 8 << 20,
              f"python3-h2 slow reader: the upload stopped at {sent} bytes (window not reopened)")
        check(grown < 16 << 10, f"slow reader: server RSS grew {grown} KiB (bounded)")
        c.conn.end_stream(sid)
        c.flush()
        c.pump(lambda: sid in c.ended, consume=True, limit_s=20)
        check(len(c.bodies.get(sid, b"")) == sent,
              f"slow reader: once reading, all {sent} bytes came back")
        c.sock.close()
    finally:
        srv.stop()


def check_tls(binary, frontend, work):
    cert, key = work / "h2.pem", work / "h2.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", cert, "-days",
                    "2", "-subj", "/CN=localhost", "-addext",
                    "subjectAltName=DNS:localhost,IP:127.0.0.1"], check=True, capture_output=True)
    srv = server(binary, frontend, work, tls=(cert, key))
    base = f"https://localhost:{srv.tls_port}"
    try:
        body, tail, err = curl("--http2", "-k", f"{base}/hello")
        check(body == "Hello, World!" and tail == "2 200",
              f"[tls {frontend}] curl --http2 -k: h2 through ALPN ({tail!r} {err!r})")
        body, tail, err = curl("--http2", "--cacert", str(cert), "-d", "over tls", f"{base}/echo")
        check(body == "over tls" and tail == "2 200",
              f"[tls {frontend}] curl --cacert POST /echo over h2")
        body, tail, err = curl("--http1.1", "--cacert", str(cert), f"{base}/hello")
        check(body == "Hello, World!" and tail == "1.1 200",
              f"[tls {frontend}] ALPN http/1.1 still served")
        out = run(["h2load", "-n", "1000", "-c", "2", "-m", "100",
                   f"https://127.0.0.1:{srv.tls_port}/hello"], timeout=60)
        check("Application protocol: h2" in out.stdout and
              re.search(r"1000 succeeded", out.stdout) is not None,
              f"[tls {frontend}] h2load over TLS: h2, all succeeded ({out.stdout[-300:]!r})")
    finally:
        srv.stop()


def frontends(binary):
    """Every front end built in; epoll and threads must be among them, so a
    binary that lost one fails here instead of testing less."""
    out = subprocess.run([binary, "serve", "--list-frontends"], check=True,
                         capture_output=True, text=True)
    names = out.stdout.split()
    if "epoll" not in names or "threads" not in names:
        fail(f"--list-frontends lacks epoll or threads: {names}")
    return names


def main():
    if len(sys.argv) != 2:
        fail("usage: h2_interop_test.py PATH/TO/httpcore")
    for tool in ("curl", "nghttp", "h2load", "openssl"):
        if shutil.which(tool) is None:
            fail(f"{tool} is missing (scripts/bootstrap installs it)")
    binary = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        work = pathlib.Path(tmp)
        names = frontends(binary)
        for frontend in names:
            t0 = time.monotonic()
            check_cleartext(binary, frontend, work)
            check_tls(binary, frontend, work)
            print(f"ok   [{frontend}] h2c and h2 over TLS in {time.monotonic() - t0:.2f} s")
        check_slow_reader(binary, work)
    print("h2_interop_test: all passed")


if __name__ == "__main__":
    main()
