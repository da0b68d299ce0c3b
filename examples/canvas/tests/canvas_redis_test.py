#!/usr/bin/python3
"""httpcore-canvas --redis: two instances (A, B) on a real redis-server that
this test starts in a temporary folder on a free port (no persistence; it
and the instances die with the test). python3-websockets clients, every wait
with a deadline:

  - clients on A and on B each receive the canvas first; 40 pixels set
    through one client of A reach every client of both instances exactly
    once and in the order sent; a pixel set through B reaches A's clients;
  - GET /api/canvas agrees on A and B, with the clients, and with the key
    in Redis read directly (BITFIELD u4 packing, high nibble first);
  - B stopped (SIGTERM) and started again: its /api/canvas and a new
    client's snapshot are the canvas as before;
  - Redis killed while clients are connected: the connections stay open, a
    set is answered {"error":"not stored: ..."}; Redis started again on the
    same port from a dump holding a pixel no client was told about: every
    client receives a fresh snapshot (binary) with it, within seconds (the
    time is printed), and sets travel across instances again.

usage: canvas_redis_test.py HTTPCORE_CANVAS_BIN
"""

import asyncio
import os
import re
import sys
import tempfile
import time

import canvas_harness as h
from redis_server import RedisServer, resp  # noqa: E402 (tests/lib, put on the path by canvas_harness)

KEY = b"httpcore.canvas"


def redis_canvas(port):
    """The canvas as Redis holds it, unpacked, or None."""
    reply = resp(port, "GET", KEY)
    if reply.startswith(b"$-1"):
        return bytes(h.PIXELS)
    m = re.match(rb"\$(\d+)\r\n", reply)
    if not m:
        return None
    packed = reply[m.end():m.end() + int(m.group(1))]
    out = bytearray(h.PIXELS)
    for i, byte in enumerate(packed):
        out[2 * i], out[2 * i + 1] = byte >> 4, byte & 15
    return bytes(out)


def dump_with(folder, canvas):
    """A dump.rdb in `folder` whose canvas key holds `canvas`, made by a
    redis-server of its own (SAVE, then SHUTDOWN)."""
    port = h.free_port()
    proc = RedisServer(folder, port).start()
    packed = bytes((canvas[i] << 4) | canvas[i + 1] for i in range(0, h.PIXELS, 2))
    resp(port, "SET", KEY, packed)
    resp(port, "SAVE")
    proc.kill()
    return "dump.rdb"


async def subscribed(port, n, timeout=5):
    """Waits until `n` connections subscribe to the canvas's channel."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        m = re.search(rb":(\d+)\r\n", resp(port, "PUBSUB", "NUMSUB", b"httpcore.hub.canvas"))
        if m and int(m.group(1)) == n:
            return
        await asyncio.sleep(0.02)
    raise RuntimeError("%d instances did not subscribe within %d s" % (n, timeout))


async def expect_snapshot(client, want, timeout):
    """Waits for a binary message (skipping updates); True if it is `want`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            m = await client.recv_json(max(0.05, deadline - time.monotonic()))
        except asyncio.TimeoutError:
            return False
        if m.get("snapshot"):
            if bytes(client.canvas) != want:
                print("     snapshot differs at %r" % [(i, client.canvas[i], want[i]) for i in range(h.PIXELS) if client.canvas[i] != want[i]][:5])
            return bytes(client.canvas) == want
    return False


async def scenario(binary, folder):
    redis_port = h.free_port()
    redis = RedisServer(folder, redis_port).start()
    url = "redis://127.0.0.1:%d" % redis_port
    a = h.Canvas(binary, "--redis", url)
    b = h.Canvas(binary, "--redis", url)
    clients = {"a1": await h.Client.connect(a.url), "a2": await h.Client.connect(a.url),
               "b1": await h.Client.connect(b.url), "b2": await h.Client.connect(b.url)}
    h.check("every client's first message is the canvas (blank)",
            all(c.canvas == bytearray(h.PIXELS) for c in clients.values()))
    await subscribed(redis_port, 2)

    sets = [(i * 6, 255 - i, i % 16) for i in range(40)]
    for x, y, c in sets:
        await clients["a1"].set(x, y, c)
    want = [{"x": x, "y": y, "c": c} for x, y, c in sets]
    for name, got in (await h.take_all(clients, len(want))).items():
        h.check("%s receives the 40 sets from a1 exactly once, in order" % name, got == want,
                got if not isinstance(got, list) else "%d messages, first %r" % (len(got), got[:3]))
    await clients["b2"].set(200, 100, 9)
    for name, got in (await h.take_all(clients, 1)).items():
        h.check("%s receives b2's set once" % name, got == [{"x": 200, "y": 100, "c": 9}], got)

    # Clients connecting to B while a client of A sets pixels as fast as it
    # can: each one's snapshot plus the updates after it is the final canvas.
    async def burst():
        for i in range(300):
            await clients["a2"].set(i % 256, 128 + i % 100, (i * 7) % 16)
    writer = asyncio.ensure_future(burst())
    joiners = []
    for _ in range(6):
        joiners.append(await h.Client.connect(b.url))
        await asyncio.sleep(0.01)
    await writer
    # Every set stored and delivered (the first clients get all 300), then
    # whatever the joiners still have coming.
    delivered = await h.take_all(clients, 300)
    h.check("the 4 first clients receive the 300 sets once each",
            all(isinstance(m, list) and len(m) == 300 for m in delivered.values()),
            {k: len(m) if isinstance(m, list) else m for k, m in delivered.items()})
    await asyncio.gather(*(c.updates_until_quiet(0.2) for c in joiners))
    final = b.get("/api/canvas")[2]
    h.check("6 clients that joined B during 300 sets on A each hold the final canvas",
            all(bytes(c.canvas) == final for c in joiners),
            [sum(x != y for x, y in zip(c.canvas, final)) for c in joiners])
    for c in joiners:
        await c.close()

    canvas_a, canvas_b = a.get("/api/canvas")[2], b.get("/api/canvas")[2]
    h.check("/api/canvas agrees on A and B", canvas_a == canvas_b and len(canvas_a) == h.PIXELS,
            (a.get("/api/canvas")[:2], b.get("/api/canvas")[:2], b.get("/api/canvas")[2][:100]))
    h.check("/api/canvas is what every client drew",
            all(bytes(c.canvas) == canvas_a for c in clients.values()))
    h.check("/api/canvas is the key in Redis (u4 fields, high nibble first)",
            redis_canvas(redis_port) == canvas_a)

    for name in ("b1", "b2"):
        await clients.pop(name).close()
    rc, err = b.stop()
    h.check("B stops on SIGTERM with status 0", rc == 0, err)
    b = h.Canvas(binary, "--redis", url)
    got = b.get("/api/canvas")
    h.check("B restarted: /api/canvas is the canvas as before", got[2] == canvas_a,
            (got[0], got[1], got[2][:100]))
    clients["b1"] = await h.Client.connect(b.url)
    h.check("B restarted: a new client's snapshot is the canvas", bytes(clients["b1"].canvas) == canvas_a)
    await subscribed(redis_port, 2)

    # Redis killed under connected clients.
    redis.kill()
    await asyncio.sleep(0.3)
    await clients["a1"].set(1, 1, 1)
    reply = await clients["a1"].recv_json()
    h.check("Redis down: a set is answered not stored",
            str(reply.get("error", "")).startswith("not stored: "), reply)
    # Back from a dump with a pixel nobody was told about.
    later = bytearray(canvas_a)
    later[77 * 256 + 7] = 13
    later = bytes(later)
    dump_dir = os.path.join(folder, "dump")
    os.mkdir(dump_dir)
    dbfile = dump_with(dump_dir, later)
    restarted = time.monotonic()
    redis = RedisServer(dump_dir, redis_port, dbfile).start()
    fresh = await asyncio.gather(*(expect_snapshot(c, later, 10) for c in clients.values()),
                                 return_exceptions=True)
    for name, ok in zip(clients, fresh):
        h.check("Redis back: %s gets a fresh snapshot with the new pixel" % name, ok is True, ok)
    print("     resync: every client had its fresh snapshot %.2f s after redis-server started" %
          (time.monotonic() - restarted))
    await clients["a2"].set(5, 5, 5)
    for name, got in (await h.take_all(clients, 1)).items():
        h.check("after the outage %s receives a2's set once" % name,
                got == [{"x": 5, "y": 5, "c": 5}], got)
    for c in clients.values():
        await c.close()
    for instance in (a, b):
        rc, err = instance.stop()
        h.check("instance stops with status 0", rc == 0, err)
    redis.kill()


def main():
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(scenario(sys.argv[1], folder))
    print("canvas_redis: %d failure(s)" % h.failures)
    return 1 if h.failures else 0


if __name__ == "__main__":
    sys.exit(main())
