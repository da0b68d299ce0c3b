#!/usr/bin/python3
"""httpcore-canvas without Redis, over loopback, with python3-websockets
clients (every wait has a deadline):

  - a client first receives the whole canvas (65,536 bytes, binary);
  - pixels set by one client reach both clients exactly once, in order,
    as the same JSON, and /api/canvas and /api/canvas.png show them;
  - every bad input gets its {"error":...} reply and the connection stays
    open; a binary message is closed with 1003;
  - --cooldown-ms: a second set too soon gets {"error":"cooldown","retry_ms":N}
    with 0 < N <= the cooldown, and the set after it waits works;
  - --data: SIGTERM, start again, the pixels are there (the file is written
    atomically: no temporary file is left); a file of the wrong size or with
    a colour above 15 is refused at start with the reason.

usage: canvas_memory_test.py HTTPCORE_CANVAS_BIN
"""

import asyncio
import os
import sys
import tempfile

import canvas_harness as h

BAD_INPUTS = [
    ('{"x":256,"y":0,"c":1}', "x out of range (0-255)"),
    ('{"x":0,"y":-1,"c":1}', "y out of range (0-255)"),
    ('{"x":0,"y":0,"c":16}', "c out of range (0-15)"),
    ('{"x":0,"y":0,"c":1.5}', "c must be an integer"),
    ('{"x":"1","y":0,"c":1}', "x must be an integer"),
    ('{"x":0,"c":1}', "missing y"),
    ('{"x":0,"y":0,"c":1,"z":2}', "unknown member (only x, y and c)"),
    ('[0,0,1]', "expected an object with x, y and c"),
    ('{"x":0,', "malformed JSON at byte 8"),
    ("", "malformed JSON at byte 1"),
    ('{"x":0,"y":0,"c":1}' + " " * 300, "message too long (over 256 bytes)"),
]
PIXELS_SET = [(x, (x * 7) % 256, x % 16) for x in range(0, 250, 5)]


async def live(binary, data):
    canvas = h.Canvas(binary, "--data", data)
    a = await h.Client.connect(canvas.url)
    b = await h.Client.connect(canvas.url)
    h.check("the first message is the whole canvas, blank", a.canvas == bytearray(h.PIXELS))

    for x, y, c in PIXELS_SET:
        await a.set(x, y, c)
    want = [{"x": x, "y": y, "c": c} for x, y, c in PIXELS_SET]
    for name, client in (("the sender", a), ("another client", b)):
        got = await client.updates_until_quiet()
        h.check("%s receives each of %d sets once, in order" % (name, len(want)), got == want,
                got[:5])

    for text, reason in BAD_INPUTS:
        await a.ws.send(text)
        reply = await a.recv_json()
        h.check("%r answered %r" % (text[:30], reason), reply == {"error": reason}, reply)
    await a.set(3, 4, 5)
    h.check("after the bad inputs the connection still sets pixels",
            await a.recv_json() == {"x": 3, "y": 4, "c": 5})
    h.check("the other client saw only the valid sets",
            await b.updates_until_quiet() == [{"x": 3, "y": 4, "c": 5}])

    status, kind, body = canvas.get("/api/canvas")
    h.check("GET /api/canvas: 200 application/octet-stream, 65,536 bytes",
            (status, kind, len(body)) == (200, "application/octet-stream", h.PIXELS),
            (status, kind, len(body)))
    h.check("GET /api/canvas is what the clients drew", body == bytes(b.canvas))
    status, kind, png = canvas.get("/api/canvas.png")
    try:
        decoded, palette = h.decode_png(png)
    except Exception as e:  # noqa: BLE001 (reported as a failure)
        decoded, palette = None, str(e)
    h.check("GET /api/canvas.png: image/png with the same pixels, 16 colours",
            status == 200 and kind == "image/png" and decoded == body and len(palette) == 16,
            (status, kind, palette))
    status, kind, page = canvas.get("/")
    h.check("GET /: the page with its <canvas> and /ws", status == 200 and
            kind.startswith("text/html") and b"<canvas" in page and b"/ws" in page)

    await b.ws.send(b"\x00\x01")
    try:
        await b.recv()
        h.check("a binary message is closed with 1003", False, "no close")
    except Exception as e:  # noqa: BLE001
        code = getattr(getattr(e, "rcvd", None), "code", None)
        h.check("a binary message is closed with 1003", code == 1003, repr(e))
    # Saved while running: the file has the pixels within 1 s (plus slack).
    deadline, saved = asyncio.get_running_loop().time() + 2.5, None
    while asyncio.get_running_loop().time() < deadline:
        if os.path.exists(data):
            with open(data, "rb") as f:
                saved = f.read()
            if saved == body:
                break
        await asyncio.sleep(0.1)
    h.check("while running, --data holds the canvas within a second of a change", saved == body)
    # Set just before SIGTERM: only the save at shutdown can keep this one.
    await a.set(9, 9, 9)
    h.check("a last pixel is stored", await a.recv_json() == {"x": 9, "y": 9, "c": 9})
    await a.close()
    before = bytearray(body)
    before[9 * 256 + 9] = 9
    before = bytes(before)
    rc, err = canvas.stop()
    h.check("SIGTERM stops it with status 0", rc == 0, (rc, err))
    h.check("no temporary file left beside the data file",
            sorted(os.listdir(os.path.dirname(data))) == ["canvas.bin"],
            os.listdir(os.path.dirname(data)))
    return before


async def restart(binary, data, before):
    canvas = h.Canvas(binary, "--data", data)
    status, _, body = canvas.get("/api/canvas")
    h.check("restarted on --data: /api/canvas is the canvas before SIGTERM",
            status == 200 and body == before)
    c = await h.Client.connect(canvas.url)
    h.check("restarted: a new client's snapshot has the pixels", bytes(c.canvas) == before)
    await c.close()
    canvas.stop()


async def cooldown(binary):
    canvas = h.Canvas(binary, "--cooldown-ms", "400")
    a = await h.Client.connect(canvas.url)
    await a.set(1, 1, 1)
    first = await a.recv_json()
    await a.set(2, 2, 2)
    second = await a.recv_json()
    ok = second.get("error") == "cooldown" and 0 < second.get("retry_ms", 0) <= 400
    h.check("--cooldown-ms 400: a set at once after another gets cooldown, retry_ms in (0,400]",
            first == {"x": 1, "y": 1, "c": 1} and ok and set(second) == {"error", "retry_ms"},
            (first, second))
    await asyncio.sleep(second.get("retry_ms", 400) / 1000 + 0.05)
    await a.set(2, 2, 2)
    h.check("after retry_ms the set is stored", await a.recv_json() == {"x": 2, "y": 2, "c": 2})
    await a.close()
    canvas.stop()


def bad_files(binary, folder):
    for name, content, reason in (
            ("short.bin", b"\x00" * 1000, "not a canvas (1000 bytes, expected 65536)"),
            ("colour.bin", b"\x00" * 70 + b"\x10" + b"\x00" * (h.PIXELS - 71),
             "colour 16 above 15 at byte 70")):
        path = os.path.join(folder, name)
        with open(path, "wb") as f:
            f.write(content)
        try:
            h.Canvas(binary, "--data", path)
            h.check("--data %s is refused" % name, False, "it started")
        except RuntimeError as e:
            h.check("--data %s is refused: %s" % (name, reason), reason in str(e), e)


def main():
    binary = sys.argv[1]
    with tempfile.TemporaryDirectory() as folder:
        data_dir = os.path.join(folder, "data")
        os.mkdir(data_dir)
        data = os.path.join(data_dir, "canvas.bin")
        before = asyncio.run(live(binary, data))
        asyncio.run(restart(binary, data, before))
        asyncio.run(cooldown(binary))
        bad_files(binary, folder)
    print("canvas_memory: %d failure(s)" % h.failures)
    return 1 if h.failures else 0


if __name__ == "__main__":
    sys.exit(main())
