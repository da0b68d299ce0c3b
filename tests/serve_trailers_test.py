#!/usr/bin/python3
"""Request trailers over real sockets, from real client libraries, to
`httpcore serve` on every front end built in: POST /api/trailers answers the
body's length and the trailer fields the handler was given. HTTP/1.1 from
python3-h11 (a chunked body, trailers after the last chunk) and h2c from
python3-h2 (DATA, then a trailing HEADERS with END_STREAM). A trailer section
above the bounds (HTTP/1: 8 KiB; HTTP/2: a 64 KiB header list) is 431.

usage: serve_trailers_test.py PATH/TO/httpcore
"""
import json
import pathlib
import re
import socket
import subprocess
import sys
import tempfile
import time

import h11
import h2.config
import h2.connection
import h2.events

TRAILERS = [("x-checksum", "abc123"), ("x-count", "2")]


def fail(why):
    print(f"FAIL {why}")
    sys.exit(1)


def check(ok, what):
    if not ok:
        fail(what)
    print(f"ok   {what}")


def start(binary, frontend, work):
    err_path = work / f"{frontend}.err"
    proc = subprocess.Popen([binary, "serve", "--frontend", frontend, "--port", "0", "--quiet"],
                            stdout=subprocess.DEVNULL, stderr=open(err_path, "w"))
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", err_path.read_text())
        if m:
            return proc, int(m.group(1))
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    proc.kill()
    fail(f"[{frontend}] the server did not start: {err_path.read_text()}")


def h1_post(port, trailers):
    """A chunked POST through h11; returns (status, body)."""
    conn = h11.Connection(h11.CLIENT)
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    try:
        out = conn.send(h11.Request(method="POST", target="/api/trailers",
                                    headers=[("Host", "localhost"),
                                             ("Transfer-Encoding", "chunked")]))
        out += conn.send(h11.Data(data=b"hello")) + conn.send(h11.Data(data=b" world"))
        out += conn.send(h11.EndOfMessage(headers=trailers))
        sock.sendall(out)
        status, body = 0, b""
        while True:
            event = conn.next_event()
            if event is h11.NEED_DATA:
                conn.receive_data(sock.recv(65536))
            elif isinstance(event, h11.Response):
                status = event.status_code
            elif isinstance(event, h11.Data):
                body += event.data
            elif isinstance(event, (h11.EndOfMessage, h11.ConnectionClosed)):
                return status, body
    finally:
        sock.close()


def h2_post(port, trailers):
    """An h2c (prior knowledge) POST through python3-h2, the trailers in a
    trailing HEADERS; returns (status, body)."""
    conn = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True,
                                                                header_encoding="utf-8"))
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    try:
        conn.initiate_connection()
        sid = conn.get_next_available_stream_id()
        conn.send_headers(sid, [(":method", "POST"), (":scheme", "http"),
                                (":authority", "localhost"), (":path", "/api/trailers")])
        conn.send_data(sid, b"hello")
        conn.send_data(sid, b" world")
        conn.send_headers(sid, trailers, end_stream=True)
        sock.sendall(conn.data_to_send())
        status, body = 0, b""
        while True:
            data = sock.recv(65536)
            if not data:
                return status, body
            for event in conn.receive_data(data):
                if isinstance(event, h2.events.ResponseReceived):
                    status = int(dict(event.headers)[":status"])
                elif isinstance(event, h2.events.DataReceived):
                    body += event.data
                    conn.acknowledge_received_data(event.flow_controlled_length, sid)
                elif isinstance(event, (h2.events.StreamEnded, h2.events.StreamReset)):
                    return status, body
            sock.sendall(conn.data_to_send())
    finally:
        sock.close()


def check_frontend(binary, frontend, work):
    proc, port = start(binary, frontend, work)
    try:
        expected = {"body_bytes": 11, "trailers": [list(t) for t in TRAILERS]}
        for name, post in (("h11 HTTP/1.1", h1_post), ("python3-h2 h2c", h2_post)):
            status, body = post(port, TRAILERS)
            check(status == 200 and json.loads(body) == expected,
                  f"[{frontend}] {name}: the handler saw the trailers ({status} {body!r})")
        status, _ = h1_post(port, [("x-big", "b" * 9000)])
        check(status == 431, f"[{frontend}] h11: a 9 kB trailer section is 431 ({status})")
        big = [(f"x-{i}", "v" * 4000) for i in range(17)]
        status, _ = h2_post(port, big)
        check(status == 431, f"[{frontend}] python3-h2: trailers above 64 KiB are 431 ({status})")
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def main():
    if len(sys.argv) != 2:
        fail("usage: serve_trailers_test.py PATH/TO/httpcore")
    binary = sys.argv[1]
    names = subprocess.run([binary, "serve", "--list-frontends"], check=True,
                           capture_output=True, text=True).stdout.split()
    if "epoll" not in names or "threads" not in names:
        fail(f"--list-frontends lacks epoll or threads: {names}")
    with tempfile.TemporaryDirectory() as tmp:
        for frontend in names:
            t0 = time.monotonic()
            check_frontend(binary, frontend, pathlib.Path(tmp))
            print(f"ok   [{frontend}] in {time.monotonic() - t0:.2f} s")
    print("serve_trailers_test: all passed")


if __name__ == "__main__":
    main()
