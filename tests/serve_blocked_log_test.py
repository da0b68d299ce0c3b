#!/usr/bin/python3
"""`httpcore serve` with its access log on a pipe nobody reads (issue 16,
finding 8): once the pipe is full, a log written from the serving threads
blocks them all, and SIGTERM cannot stop the server either. The server must
go on serving (dropping and counting log lines), and stop promptly.

For every front end the binary has: start the server with standard output a
pipe this script never reads, send 2,000 requests with long targets (about
400-byte log lines: the 64 KiB pipe fills after some 160), each answered
within 5 s, then SIGTERM: the server must exit 0 within 1 s and say on
standard error how many log lines it dropped.

usage: serve_blocked_log_test.py PATH/TO/httpcore   (exit 0 pass, 1 fail)
"""
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time

REQUESTS = 2000
CONNECTIONS = 8
STOP_LIMIT_S = 1.0


def read_response(sock, buf):
    """One response with a Content-Length body; returns (status, rest of buf)."""
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed before a response")
        buf += chunk
    head, _, buf = buf.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = int(re.search(rb"(?i)\r\ncontent-length:\s*(\d+)", head).group(1))
    while len(buf) < length:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed in a body")
        buf += chunk
    return status, buf[length:]


def client(port, count, index, errors):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
            buf = b""
            for i in range(count):
                target = "/hello?client=%d&request=%d&pad=%s" % (index, i, "x" * 300)
                s.sendall(("GET %s HTTP/1.1\r\nHost: t\r\n\r\n" % target).encode())
                status, buf = read_response(s, buf)
                if status != 200:
                    errors.append("client %d request %d: status %d" % (index, i, status))
                    return
    except (OSError, ConnectionError) as e:  # socket.timeout included
        errors.append("client %d: %s" % (index, e))


def check(binary, frontend):
    failures = []
    server = subprocess.Popen(
        [binary, "serve", "--frontend", frontend, "--port", "0"],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        start_line = server.stderr.readline().decode()
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", start_line)
        if not m:
            return ["no start line: %r" % start_line]
        port = int(m.group(1))
        errors = []
        threads = [threading.Thread(target=client,
                                    args=(port, REQUESTS // CONNECTIONS, i, errors))
                   for i in range(CONNECTIONS)]
        began = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        took = time.monotonic() - began
        if errors:
            failures.append("%d of %d clients failed, first: %s"
                            % (len(errors), CONNECTIONS, errors[0]))
        else:
            print("ok   [%s]: %d requests answered in %.1f s with the log pipe unread"
                  % (frontend, REQUESTS, took))
        stop_began = time.monotonic()
        server.send_signal(signal.SIGTERM)
        try:
            status = server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            return failures + ["SIGTERM did not stop the server within 10 s"]
        stop_took = time.monotonic() - stop_began
        if status != 0:
            failures.append("exit status %d after SIGTERM" % status)
        if stop_took > STOP_LIMIT_S:
            failures.append("stopping took %.2f s (limit %.1f s)" % (stop_took, STOP_LIMIT_S))
        else:
            print("ok   [%s]: stopped %.2f s after SIGTERM" % (frontend, stop_took))
        rest = server.stderr.read().decode()
        dropped = re.search(r"access log: (\d+) lines? dropped", rest)
        if not dropped or int(dropped.group(1)) == 0:
            failures.append("no count of dropped log lines on standard error: %r" % rest)
        else:
            print("ok   [%s]: %s log lines dropped, and said so" % (frontend, dropped.group(1)))
        return failures
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    binary = sys.argv[1]
    frontends = subprocess.run([binary, "serve", "--list-frontends"], check=True,
                               capture_output=True, text=True).stdout.split()
    failed = False
    for frontend in frontends:
        for failure in check(binary, frontend):
            print("FAIL [%s]: %s" % (frontend, failure))
            failed = True
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
