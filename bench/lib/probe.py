#!/usr/bin/python3
"""Latency probe for bench/server: one extra connection beside wrk's.

wrk 4.1.0 cannot give a p99 for pipelined loads: its coordinated-omission
correction takes the expected interval per response rather than per batch, so
it adds synthetic samples below the real ones (and its p99 can then read 0).
This probe runs alongside wrk's connections for the same duration, sends
batches of DEPTH pipelined GET /hello, and times each batch from the write to
its last response, which is what wrk means by latency.

usage: probe.py PORT DEPTH SECONDS     prints {"samples": N, "p50_ms": .., "p99_ms": ..}
"""

import json
import socket
import sys
import time


def count_responses(buf):
    """Complete responses at the start of buf: (count, bytes they take)."""
    n, pos = 0, 0
    while True:
        end = buf.find(b"\r\n\r\n", pos)
        if end < 0:
            return n, pos
        length = 0
        for line in bytes(buf[pos:end]).split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        if end + 4 + length > len(buf):
            return n, pos
        pos = end + 4 + length
        n += 1


def main():
    port, depth, seconds = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
    batch = b"GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" * depth
    s = socket.create_connection(("127.0.0.1", port))
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    samples = []
    deadline = time.monotonic() + seconds
    buf = bytearray()
    while time.monotonic() < deadline:
        t0 = time.perf_counter()
        s.sendall(batch)
        got = 0
        while got < depth:
            chunk = s.recv(65536)
            if not chunk:
                sys.exit("probe: connection closed")
            buf += chunk
            n, used = count_responses(buf)
            got += n
            del buf[:used]
        samples.append(time.perf_counter() - t0)
    s.close()
    samples.sort()

    def pct(p):
        return samples[min(len(samples) - 1, int(p / 100 * len(samples)))] * 1e3

    print(json.dumps({"samples": len(samples), "p50_ms": pct(50), "p99_ms": pct(99)}))


if __name__ == "__main__":
    main()
