#!/usr/bin/python3
"""Runs ws_client_interop (our client role) against python3-websockets' echo
server (conformance/websocket/reference_server.py) over loopback: without
permessage-deflate, then with it (two different offers).

usage: ws_client_interop.py PATH/TO/ws_client_interop
exit:  0 passed, 1 failed, 77 skipped (python3-websockets missing)"""

import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SERVER = os.path.join(HERE, "..", "..", "conformance", "websocket", "reference_server.py")


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    try:
        import websockets  # noqa: F401
    except ImportError:
        print("SKIP: python3-websockets is not installed")
        return 77
    server = subprocess.Popen([sys.executable, SERVER], stdout=subprocess.PIPE, text=True)
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
            rc = subprocess.run([sys.argv[1], "127.0.0.1", port] + extra, timeout=60).returncode
            failed += rc != 0
        return 1 if failed else 0
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    sys.exit(main())
