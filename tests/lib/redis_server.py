"""A real redis-server for the tests that need one (serve_redis, serve_session,
canvas_redis): started on a free port in a folder of the test's, nothing
saved unless asked, killed with the test (PR_SET_DEATHSIG: ctest's timeout
sends SIGKILL), plus one-command RESP for what the tests ask Redis directly.
"""

import ctypes
import os
import signal
import socket
import subprocess
import time


def die_with_parent():
    """preexec_fn for a child that must not outlive a killed test."""
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def resp(port, *args, timeout=2.0, quiet=0.05):
    """One command over RESP; the reply's bytes, read until Redis has been
    quiet for `quiet` seconds (enough for the replies the tests ask for)."""
    out = b"*%d\r\n" % len(args)
    for a in args:
        a = a if isinstance(a, bytes) else str(a).encode()
        out += b"$%d\r\n%s\r\n" % (len(a), a)
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(out)
        data = s.recv(65536)  # the first bytes within `timeout`
        s.settimeout(quiet)
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
        except OSError:
            pass
        return data


class RedisServer:
    """redis-server on `port` (a free one by default) with its files in `folder`;
    `dbfile` names an RDB file there to load at start."""

    def __init__(self, folder, port=None, dbfile=None):
        self.folder, self.port, self.dbfile = folder, port or free_port(), dbfile
        self.proc = None

    def start(self):
        args = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--dir", self.folder, "--daemonize", "no",
                "--logfile", os.path.join(self.folder, "redis.log")]
        if self.dbfile:
            args += ["--dbfilename", self.dbfile]
        self.proc = subprocess.Popen(args, preexec_fn=die_with_parent, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if b"PONG" in resp(self.port, "PING", timeout=0.5):
                    return self
            except OSError:
                pass
            time.sleep(0.02)
        raise RuntimeError("redis-server did not answer PING within 10 s")

    def kill(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
