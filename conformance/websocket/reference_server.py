#!/usr/bin/python3
"""The reference echo server for `run --reference`: python3-websockets'
asyncio server (Debian bookworm ships 10.4), echoing every message as it is,
with permessage-deflate and the same message limit as the server under test.
Prints "port N" on standard output once it listens; stops on SIGTERM."""

import argparse
import asyncio
import signal

import websockets


async def echo(ws, _path=None):
    try:
        async for message in ws:
            await ws.send(message)
    except websockets.ConnectionClosed:
        pass


async def main(args):
    stop = asyncio.get_running_loop().create_future()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set_result, None)
    async with websockets.serve(echo, args.host, args.port, max_size=args.max_message,
                                ping_interval=None, compression="deflate",
                                close_timeout=2) as server:
        print("port %d" % server.sockets[0].getsockname()[1], flush=True)
        await stop


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--max-message", type=int, default=16 << 20)
    asyncio.run(main(p.parse_args()))
