#!/usr/bin/python3
"""Runs ws_client_interop (our client role) against python3-websockets' echo
server (conformance/websocket/reference_server.py) over loopback: without
permessage-deflate, then with it (two different offers). Given the httpcore
binary too, also against `httpcore serve`'s /ws/echo on its first front end
(our client with our server).

usage: ws_client_interop.py PATH/TO/ws_client_interop [PATH/TO/httpcore]
exit:  0 passed, 1 failed (also when python3-websockets, which scripts/bootstrap
       installs, is missing, or when `httpcore serve` has no /ws/echo)"""

import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

SERVER = os.path.join(HERE, "..", "..", "conformance", "websocket", "reference_server.py")


def against_httpcore(client, binary):
    """0 passed, 1 failed."""
    server = subprocess.Popen([binary, "serve", "--port", "0", "--quiet"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        m = re.search(r"http://[^ ]*:(\d+)/", server.stderr.readline())
        if not m:
            print("FAIL: `httpcore serve` did not start")
            return 1
        failed = 0
        for extra in ([], ["--deflate"]):
            print("+ %s 127.0.0.1 %s %s (httpcore serve)"
                  % (os.path.basename(client), m.group(1), " ".join(extra)), flush=True)
            res = subprocess.run([client, "127.0.0.1", m.group(1)] + extra, timeout=60,
                                 capture_output=True, text=True)
            print(res.stdout, end="")
            if "status 404" in res.stdout:
                print("FAIL: `httpcore serve` has no WebSocket endpoint /ws/echo (404)")
                failed += 1
                continue
            failed += res.returncode != 0
        return 1 if failed else 0
    finally:
        server.terminate()
        server.wait(10)


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    try:
        import websockets  # noqa: F401
    except ImportError:
        print("FAIL: python3-websockets is not installed (scripts/bootstrap installs it)")
        return 1
    server = subprocess.Popen([SERVER], stdout=subprocess.PIPE, text=True)
    try:
        line = server.stdout.readline()
        if not line.startswith("port "):
            print("FAIL: the websockets echo server did not start")
            return 1
        port = line.split()[1]
        failed = 0
        # No compression; compression asking for the server window websockets
        # uses anyway (12); compression with client_handshake's default offer.
        for extra in ([], ["--deflate=12"], ["--deflate"]):
            print("+ %s 127.0.0.1 %s %s" % (os.path.basename(sys.argv[1]), port, " ".join(extra)),
                  flush=True)
            res = subprocess.run([sys.argv[1], "127.0.0.1", port] + extra, timeout=60,
                                 capture_output=True, text=True)
            print(res.stdout, end="", flush=True)
            # --deflate: websockets answers our default offer with
            # server_max_window_bits=12, which RFC 7692 7.1.2.1 lets a server
            # send unasked; our client must accept it.
            failed += res.returncode != 0
        if len(sys.argv) == 3:
            failed += against_httpcore(sys.argv[1], sys.argv[2])
        return 1 if failed else 0
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    sys.exit(main())
