#!/usr/bin/python3
"""When the kernel refuses io_uring to this process (here: a seccomp filter
that fails io_uring_setup with EPERM, as container runtimes do; the sysctl
kernel.io_uring_disabled gives the same error), `httpcore serve --frontend
io_uring` says so in one line and exits 2, and the front-end suites fail on
io_uring unless HTTPCORE_ALLOW_NO_IO_URING=1 turns that into a skip that says
why.

usage: io_uring_refused_test.py HTTPCORE_BIN FRONTEND_TEST_BIN
"""

import ctypes
import os
import re
import signal
import struct
import subprocess
import sys
import urllib.request

NR_IO_URING_SETUP = 425  # the same number on every architecture
PR_SET_NO_NEW_PRIVS = 38
PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2
SECCOMP_RET_ERRNO = 0x00050000
SECCOMP_RET_ALLOW = 0x7FFF0000
EPERM = 1
BPF_LD_W_ABS = 0x20
BPF_JEQ_K = 0x15
BPF_RET_K = 0x06

failures = 0


def check(what, ok, detail=""):
    global failures
    print(("ok   " if ok else "FAIL ") + what + ("" if ok else ": " + detail))
    if not ok:
        failures += 1


def refuse_io_uring():
    """preexec_fn: io_uring_setup fails with EPERM in the child from now on."""
    libc = ctypes.CDLL(None, use_errno=True)
    program = b"".join([
        struct.pack("HBBI", BPF_LD_W_ABS, 0, 0, 0),  # the system call number
        struct.pack("HBBI", BPF_JEQ_K, 0, 1, NR_IO_URING_SETUP),
        struct.pack("HBBI", BPF_RET_K, 0, 0, SECCOMP_RET_ERRNO | EPERM),
        struct.pack("HBBI", BPF_RET_K, 0, 0, SECCOMP_RET_ALLOW),
    ])
    filters = ctypes.create_string_buffer(program)

    class sock_fprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    prog = sock_fprog(len(program) // 8, ctypes.addressof(filters))
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        os._exit(90)
    if libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(prog), 0, 0) != 0:
        os._exit(91)


def run(argv, env=None, refused=True):
    return subprocess.run(argv, capture_output=True, text=True, timeout=120, env=env,
                          preexec_fn=refuse_io_uring if refused else None)


def main():
    httpcore, frontend_test = sys.argv[1], sys.argv[2]
    names = run([httpcore, "serve", "--list-frontends"], refused=False).stdout.split()
    if "io_uring" not in names:
        print("io_uring_refused_test: this build has no io_uring front end: nothing to test")
        return 0

    # The filter works: without it the same command serves (checked by
    # serve_command); with it io_uring_setup fails.
    res = run([httpcore, "serve", "--frontend", "io_uring", "--port", "0", "--quiet"])
    lines = res.stderr.strip().splitlines()
    check("serve --frontend io_uring exits 2 when io_uring is refused", res.returncode == 2,
          f"status {res.returncode}, stderr {res.stderr!r}")
    check("and says so in one line naming io_uring", len(lines) == 1 and "io_uring" in lines[0]
          and "Operation not permitted" in lines[0], repr(res.stderr))
    print("     " + (lines[0] if lines else ""))

    # Under the same filter epoll serves: the refusal is io_uring's alone.
    srv = subprocess.Popen([httpcore, "serve", "--frontend", "epoll", "--port", "0", "--quiet"],
                           stderr=subprocess.PIPE, text=True, preexec_fn=refuse_io_uring)
    started = srv.stderr.readline()
    port = re.search(r":(\d+)/ \(frontend epoll", started)
    body = b""
    if port:
        with urllib.request.urlopen(f"http://127.0.0.1:{port.group(1)}/hello", timeout=10) as r:
            body = r.read()
    srv.send_signal(signal.SIGTERM)
    status = srv.wait(timeout=30)
    check("the filter leaves other front ends serving", body.startswith(b"Hello") and status == 0,
          f"start line {started!r}, body {body!r}, status {status}")

    base = dict(os.environ)
    base.pop("HTTPCORE_ALLOW_NO_IO_URING", None)
    filt = ["--gtest_filter=*io_uring*"]
    res = run([frontend_test] + filt, env=base)
    check("the front-end suite fails on a refused io_uring by default", res.returncode != 0,
          res.stdout[-2000:])
    check("naming the reason and the variable that allows it",
          "cannot run" in res.stdout and "HTTPCORE_ALLOW_NO_IO_URING" in res.stdout,
          res.stdout[-2000:])
    allowed = dict(base, HTTPCORE_ALLOW_NO_IO_URING="1")
    res = run([frontend_test] + filt, env=allowed)
    check("HTTPCORE_ALLOW_NO_IO_URING=1 turns that into skips", res.returncode == 0
          and "SKIPPED" in res.stdout and "Operation not permitted" in res.stdout,
          res.stdout[-2000:])

    if failures:
        print(f"io_uring_refused_test: {failures} check(s) failed")
        return 1
    print("io_uring_refused_test: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
