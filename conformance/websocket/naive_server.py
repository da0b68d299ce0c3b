#!/usr/bin/python3
"""A deliberately naive WebSocket echo server for `run --self-test`: it
accepts any upgrade, echoes every frame back as it came (unmasked, same
FIN/RSV/opcode), answers pings and closes, and checks nothing else: no
masking rule, no reserved bits or opcodes, no fragmentation rules, no UTF-8,
no close codes, no size limit. Every case that expects the server to fail
the connection must therefore fail against it, and every case that only
expects echoes must pass: that proves the cases can tell the two apart.
Prints "port N" once it listens; stops on SIGTERM."""

import asyncio
import base64
import hashlib
import signal
import struct

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


def unmask(data, key):
    n = len(data)
    stream = (key * (n // 4 + 1))[:n]
    return (int.from_bytes(data, "big") ^ int.from_bytes(stream, "big")).to_bytes(n, "big")


def header(b0, n):
    if n <= 125:
        return bytes([b0, n])
    if n <= 0xFFFF:
        return bytes([b0, 126]) + struct.pack("!H", n)
    return bytes([b0, 127]) + struct.pack("!Q", n)


async def session(reader, writer):
    try:
        head = await reader.readuntil(b"\r\n\r\n")
        key = b""
        for line in head.split(b"\r\n"):
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"sec-websocket-key":
                key = value.strip()
        accept = base64.b64encode(hashlib.sha1(key + GUID).digest())
        writer.write(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                     b"Connection: Upgrade\r\nSec-WebSocket-Accept: " + accept + b"\r\n\r\n")
        while True:
            b0, b1 = await reader.readexactly(2)
            n = b1 & 0x7F
            if n == 126:
                (n,) = struct.unpack("!H", await reader.readexactly(2))
            elif n == 127:
                (n,) = struct.unpack("!Q", await reader.readexactly(8))
            key = await reader.readexactly(4) if b1 & 0x80 else b""
            payload = await reader.readexactly(n)
            if key:
                payload = unmask(payload, key)
            op = b0 & 0x0F
            if op == 9:
                writer.write(header(0x8A, len(payload)) + payload)
            elif op == 8:
                writer.write(header(0x88, len(payload)) + payload)
                await writer.drain()
                break
            elif op != 10:
                writer.write(header(b0, len(payload)) + payload)
            await writer.drain()
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError, OverflowError):
        pass
    finally:
        writer.close()


async def main():
    stop = asyncio.get_running_loop().create_future()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set_result, None)
    server = await asyncio.start_server(session, "127.0.0.1", 0)
    print("port %d" % server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await stop


if __name__ == "__main__":
    asyncio.run(main())
