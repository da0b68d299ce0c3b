#!/usr/bin/python3
"""Proves that the WebSocket conformance harness (conformance/websocket/run)
can fail: against a server that answers every request with 400, and against
naive_server.py (which validates nothing, so its non-minimal length encodings
come out non-strict), `run --url` must exit 1; with --allow-non-strict the
naive server's non-strict outcomes alone no longer fail the run, but its
failures still do.

usage: ws_harness_can_fail.py
exit:  0 when the harness failed where it must, 1 otherwise"""

import http.server
import os
import subprocess
import sys
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
RUN = os.path.join(HERE, "..", "..", "conformance", "websocket", "run")
NAIVE = os.path.join(HERE, "..", "..", "conformance", "websocket", "naive_server.py")


class Refuse(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (the stdlib's name)
        self.send_response(400)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def harness(url, *extra):
    res = subprocess.run([RUN, "--url", url, "--timeout", "1"] + list(extra), timeout=120,
                         capture_output=True, text=True)
    return res.returncode, res.stdout


def main():
    failed = 0
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Refuse)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        rc, out = harness("ws://127.0.0.1:%d/ws/echo" % server.server_address[1])
    finally:
        server.shutdown()
    ok = rc == 1 and "not a WebSocket endpoint" in out
    print("%s a server answering 400: exit %d, %s" % ("ok  " if ok else "FAIL", rc,
                                                      out.strip().splitlines()[-1:]))
    failed += not ok

    naive = subprocess.Popen([NAIVE], stdout=subprocess.PIPE, text=True)
    try:
        port = int(naive.stdout.readline().split()[1])
        url = "ws://127.0.0.1:%d/" % port
        # Only the cases on non-minimal length encodings, which the naive
        # server passes non-strict: strict passes elsewhere must not hide them.
        rc, out = harness(url, "--cases", "non-minimal", "--no-compression")
        ok = rc == 1 and "non-strict outcomes" in out
        print("%s non-strict outcomes fail the run: exit %d" % ("ok  " if ok else "FAIL", rc))
        failed += not ok
        rc, out = harness(url, "--cases", "non-minimal", "--no-compression", "--allow-non-strict")
        ok = rc == 0 and ", 0 failed, " in out and "non-strict (allowed)" in out
        print("%s --allow-non-strict accepts them: exit %d" % ("ok  " if ok else "FAIL", rc))
        failed += not ok
    finally:
        naive.terminate()
        naive.wait(10)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
