#!/usr/bin/python3
"""httpcore-canvas in a real browser: Debian's chromium, headless, driven by
playwright-core (browser/canvas_tabs.mjs; scripts/bootstrap installs it into
browser/node_modules, which git ignores). A redis-server on a free port in a
temporary folder and two instances on it; tab 1 on A, tab 2 on B: a click in
tab 1 colours the same pixel in tab 2 within one second, and both instances'
/api/canvas have it. Screenshots of both tabs go to SCREENSHOT_DIR. A missing
chromium or playwright-core fails the test (it does not skip).

usage: canvas_browser_test.py HTTPCORE_CANVAS_BIN SCREENSHOT_DIR
"""

import json
import os
import subprocess
import sys
import tempfile

import canvas_harness as h
from redis_server import RedisServer  # noqa: E402 (tests/lib, put on the path by canvas_harness)

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    binary, shots = sys.argv[1], os.path.abspath(sys.argv[2])
    os.makedirs(shots, exist_ok=True)
    script = os.path.join(HERE, "browser", "canvas_tabs.mjs")
    if not os.path.isdir(os.path.join(HERE, "browser", "node_modules", "playwright-core")):
        h.check("playwright-core is installed (scripts/bootstrap)", False,
                "no examples/canvas/tests/browser/node_modules/playwright-core")
        return 1
    with tempfile.TemporaryDirectory() as folder:
        redis_port = h.free_port()
        redis = RedisServer(folder, redis_port).start()
        url = "redis://127.0.0.1:%d" % redis_port
        a = h.Canvas(binary, "--redis", url)
        b = h.Canvas(binary, "--redis", url)
        try:
            run = subprocess.run(
                ["node", script, "http://127.0.0.1:%d/" % a.port, "http://127.0.0.1:%d/" % b.port,
                 shots], capture_output=True, text=True, timeout=60,
                env=dict(os.environ, HOME=folder), preexec_fn=h.die_with_parent)
            lines = run.stdout.strip().splitlines()
            seen = json.loads(lines[-1]) if lines else {"error": run.stderr[-2000:]}
            h.check("a click in tab 1 (A) colours pixel (100,50) in tab 2 (B) within 1 s "
                    "(%s ms)" % seen.get("ms"), run.returncode == 0 and seen.get("ok"), seen)
            for name, instance in (("A", a), ("B", b)):
                canvas = instance.get("/api/canvas")[2]
                h.check("%s's /api/canvas has the clicked pixel" % name,
                        len(canvas) == h.PIXELS and canvas[50 * 256 + 100] == 13)
            for tab in ("canvas_tab1.png", "canvas_tab2.png"):
                h.check("screenshot %s saved" % os.path.join(shots, tab),
                        os.path.getsize(os.path.join(shots, tab)) > 1000)
        finally:
            a.stop()
            b.stop()
            redis.kill()
    print("canvas_browser: %d failure(s)" % h.failures)
    return 1 if h.failures else 0


if __name__ == "__main__":
    sys.exit(main())
