#!/usr/bin/python3
"""`httpcore serve --pin` pins each event loop thread to a core of its own
(sched_getaffinity of the server's threads, read from here), and without
--pin no thread is restricted: on every event-loop front end the binary has.

usage: serve_pin_test.py HTTPCORE_BIN
"""

import os
import re
import signal
import subprocess
import sys
import urllib.request

failures = 0


def check(what, ok, detail=""):
    global failures
    print(("ok   " if ok else "FAIL ") + what + ("" if ok else ": " + detail))
    if not ok:
        failures += 1


def thread_affinities(pid):
    found = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            found[int(tid)] = sorted(os.sched_getaffinity(int(tid)))
        except (ProcessLookupError, FileNotFoundError):
            pass  # a thread that just ended
    return found


def serve(binary, frontend, pin):
    argv = [binary, "serve", "--frontend", frontend, "--port", "0", "--threads", "2", "--quiet"]
    if pin:
        argv.append("--pin")
    srv = subprocess.Popen(argv, stderr=subprocess.PIPE, text=True)
    started = srv.stderr.readline()
    port = re.search(r"127\.0\.0\.1:(\d+)/ \(frontend ", started)
    if not port:
        srv.kill()
        srv.wait()
        raise RuntimeError(f"{frontend}: no start line: {started!r}")
    with urllib.request.urlopen(f"http://127.0.0.1:{port.group(1)}/hello", timeout=10) as r:
        body = r.read()
    return srv, body


def main():
    binary = sys.argv[1]
    allowed = sorted(os.sched_getaffinity(0))
    names = subprocess.run([binary, "serve", "--list-frontends"], capture_output=True,
                           text=True, check=True).stdout.split()
    for frontend in [n for n in names if n != "threads"]:
        for pin in (False, True):
            srv, body = serve(binary, frontend, pin)
            try:
                threads = thread_affinities(srv.pid)
            finally:
                srv.send_signal(signal.SIGTERM)
                status = srv.wait(timeout=30)
            label = f"[{frontend}{' --pin' if pin else ''}]"
            check(f"{label} serves and stops cleanly", body.startswith(b"Hello") and status == 0,
                  f"body {body!r}, status {status}")
            single = [cpus[0] for cpus in threads.values() if len(cpus) == 1]
            if pin:
                check(f"{label} two threads pinned to one allowed core each",
                      len(single) == 2 and all(c in allowed for c in single),
                      f"affinities {threads}")
                if len(allowed) >= 2:
                    check(f"{label} to different cores", len(set(single)) == 2,
                          f"affinities {threads}")
            else:
                check(f"{label} no thread restricted",
                      all(cpus == allowed for cpus in threads.values()), f"affinities {threads}")
    if failures:
        print(f"serve_pin_test: {failures} check(s) failed")
        return 1
    print("serve_pin_test: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
