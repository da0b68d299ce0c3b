#!/usr/bin/python3
"""python3-websockets' client against `httpcore serve`'s /ws/echo over
loopback, on every front end the binary has (`serve --list-frontends`):
text, binary, fragmented and permessage-deflate-compressed messages must
come back as sent, then the close handshake must end cleanly (1000) and the
server must stop with status 0 on SIGTERM.

usage: ws_serve_interop.py PATH/TO/httpcore
exit:  0 passed, 1 failed (also when python3-websockets, which scripts/bootstrap
       installs, is missing, or when the handshake fails, 404 included)"""

import asyncio
import os
import re
import subprocess
import sys

try:
    import websockets
except ImportError:
    websockets = None

class Failed(Exception):
    pass


def start_server(binary, frontend):
    proc = subprocess.Popen([binary, "serve", "--frontend", frontend, "--port", "0", "--quiet"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    line = proc.stderr.readline()
    m = re.search(r"http://[^ ]*:(\d+)/", line)
    if not m:
        proc.kill()
        proc.wait()
        raise Failed("`httpcore serve --frontend %s` did not start: %s" % (frontend, line.strip()))
    return proc, int(m.group(1))


async def exchange(url, compression, checks):
    """One connection: every kind of message, each echo compared."""
    async with websockets.connect(url, compression=compression, max_size=None,
                                  ping_interval=None, close_timeout=5) as ws:
        agreed = ws.response_headers.get("Sec-WebSocket-Extensions", "")
        if compression and "permessage-deflate" not in agreed:
            raise Failed("permessage-deflate was offered but not accepted (%r)" % agreed)
        if not compression and agreed:
            raise Failed("an extension was agreed although none was offered: %r" % agreed)
        compressed = [0]  # the server's frames with RSV1, seen before websockets inflates them
        for ext in ws.extensions:
            def counting(frame, *, max_size=None, decode=ext.decode):
                compressed[0] += bool(frame.rsv1)
                return decode(frame, max_size=max_size)
            ext.decode = counting
        prose = "the quick brown fox jumps over the lazy dog. " * 400
        messages = [
            ("text", "Hello, httpcore!"),
            ("text with multi-byte UTF-8", "κόσμε 😀 Grüße"),
            ("empty text", ""),
            ("binary, every byte value", bytes(range(256))),
            ("binary 70000 bytes", os.urandom(70000)),
            ("binary 1 MiB", os.urandom(1 << 20)),
            ("text 18 KB of prose", prose),
        ]
        for name, message in messages:
            await ws.send(message)
            echo = await asyncio.wait_for(ws.recv(), 10)
            checks.append((name, echo == message))
        # A fragmented message: websockets sends each item as one frame.
        for name, parts in (("text in 3 fragments", ["frag", "ment", "ed κόσμε"]),
                            ("binary in 4 fragments", [b"\x00", b"\x01\x02", b"", b"\xff"])):
            await ws.send(parts)
            echo = await asyncio.wait_for(ws.recv(), 10)
            checks.append((name, echo == type(parts[0])().join(parts)))
        pong = await ws.ping(b"are you there?")
        await asyncio.wait_for(pong, 10)
        checks.append(("ping answered", True))
        if compression:
            checks.append(("the server compressed its echoes (%d frames)" % compressed[0],
                           compressed[0] > 0))
        await ws.close(1000, "bye")
        checks.append(("close handshake 1000", ws.close_code == 1000))


def run_frontend(binary, frontend):
    proc, port = start_server(binary, frontend)
    url = "ws://127.0.0.1:%d/ws/echo" % port
    failed = 0
    try:
        for compression in (None, "deflate"):
            label = "[%s, %s]" % (frontend, "permessage-deflate" if compression else "plain")
            checks = []
            try:
                asyncio.run(exchange(url, compression, checks))
            except websockets.InvalidStatusCode as e:
                checks.append(("handshake", False))
                print("FAIL %s handshake: %s" % (label, e))
            except (Failed, OSError, asyncio.TimeoutError, websockets.WebSocketException) as e:
                print("FAIL %s after %d checks: %r" % (label, len(checks), e))
                checks.append(("exchange", False))
            for name, ok in checks:
                if ok:
                    print("ok   %s %s" % (label, name))
                elif name != "exchange" and name != "handshake":
                    print("FAIL %s %s: the echo differs" % (label, name))
                failed += not ok
    finally:
        proc.terminate()
        try:
            status = proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            status = "killed"
    if status != 0:
        print("FAIL [%s] the server exited with %s after SIGTERM" % (frontend, status))
        failed += 1
    return failed


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    if websockets is None:
        print("FAIL: python3-websockets is not installed (scripts/bootstrap installs it)")
        return 1
    binary = sys.argv[1]
    frontends = subprocess.run([binary, "serve", "--list-frontends"], capture_output=True,
                               text=True).stdout.split()
    if not frontends:
        print("FAIL: `%s serve --list-frontends` printed nothing" % binary)
        return 1
    failed = 0
    for frontend in frontends:
        try:
            failed += run_frontend(binary, frontend)
        except Failed as e:
            print("FAIL [%s] %s" % (frontend, e))
            failed += 1
    print("%d failed" % failed)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
