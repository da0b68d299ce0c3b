#!/usr/bin/python3
"""Headless Chromium against `httpcore serve --tls-cert` (make browser-test).

For each front end the binary lists (or those named): a self-signed P-256
certificate for localhost, made for the run; `httpcore serve` with it on a
TLS port; Chromium (headless, its own profile) told to accept a certificate
with that key and no other (--ignore-certificate-errors-spki-list with the
key's SHA-256 SPKI hash), and driven through the DevTools protocol:
- it loads https://localhost:PORT/ (the default site) without a certificate
  error, over TLS 1.3 with ALPN http/1.1 (what the browser's security panel
  reports), and reads the page's title;
- it opens /ws.html, whose script connects to wss://.../ws/echo and
  wss://.../ws/chat; both report "connected (permessage-deflate ...)";
- it chats: a line typed into the page's chat form reaches a python3
  websockets client on /ws/chat, and a line that client sends appears in the
  page's chat log.
The same Chromium with the hash of another key must refuse the site
(net::ERR_CERT_AUTHORITY_INVALID): the pin is what lets it in.

Not part of `make test`: Chromium is installed only by `scripts/bootstrap
--with-browser`, and starting it costs seconds of both cores. A missing
chromium fails the test (it does not skip).

usage: browser_test.py PATH/TO/httpcore [FRONTEND...]
"""
import asyncio
import base64
import hashlib
import json
import os
import pathlib
import re
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.request

import websockets  # python3-websockets

TIMEOUT_S = 20


def fail(what):
    print(f"browser_test: FAIL: {what}", file=sys.stderr)
    sys.exit(1)


def check(ok, what):
    if not ok:
        fail(what)


def make_cert(work, name):
    cert, key = work / f"{name}.pem", work / f"{name}.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
         "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", f"/CN={name}",
         "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
        check=True, capture_output=True)
    return cert, key


def spki_hash(cert):
    """base64(SHA-256(SubjectPublicKeyInfo)), the form Chromium's pin list takes."""
    pub = subprocess.run(["openssl", "x509", "-in", cert, "-noout", "-pubkey"],
                         capture_output=True, check=True).stdout
    der = subprocess.run(["openssl", "pkey", "-pubin", "-outform", "DER"], input=pub,
                         capture_output=True, check=True).stdout
    return base64.b64encode(hashlib.sha256(der).digest()).decode()


def chromium_path():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    return None


class serve:
    def __init__(self, binary, frontend, cert, key, work):
        self.err_path = work / f"serve-{frontend}.err"
        self.err = open(self.err_path, "w")
        self.proc = subprocess.Popen(
            [binary, "serve", "--frontend", frontend, "--port", "0", "--tls-port", "0",
             "--tls-cert", cert, "--tls-key", key, "--quiet"],
            stdout=subprocess.DEVNULL, stderr=self.err)
        deadline = time.monotonic() + TIMEOUT_S
        while time.monotonic() < deadline:
            m = re.search(r"https://127\.0\.0\.1:(\d+)/", self.err_path.read_text())
            if m:
                self.port = int(m.group(1))
                return
            check(self.proc.poll() is None, f"serve exited: {self.err_path.read_text()}")
            time.sleep(0.05)
        fail("serve printed no https start line")

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        check(self.proc.wait(timeout=30) == 0, "serve did not stop cleanly")
        self.err.close()


class chromium:
    """Headless Chromium with a profile of its own and the DevTools protocol on
    a port it picks (written to DevToolsActivePort in the profile)."""

    def __init__(self, work, pin):
        self.profile = pathlib.Path(tempfile.mkdtemp(prefix="chromium-", dir=work))
        self.log = open(work / "chromium.log", "w")
        self.proc = subprocess.Popen(
            [chromium_path(), "--headless=new", "--no-sandbox", "--disable-gpu",
             "--no-first-run", "--no-default-browser-check", "--disable-extensions",
             "--disable-background-networking", "--disable-component-update",
             f"--user-data-dir={self.profile}", "--remote-debugging-port=0",
             f"--ignore-certificate-errors-spki-list={pin}", "about:blank"],
            stdout=self.log, stderr=self.log, start_new_session=True)
        active = self.profile / "DevToolsActivePort"
        deadline = time.monotonic() + TIMEOUT_S
        while not (active.exists() and len(active.read_text().split()) >= 2):
            check(self.proc.poll() is None, f"chromium exited: {(work / 'chromium.log').read_text()}")
            check(time.monotonic() < deadline, "chromium did not open its DevTools port")
            time.sleep(0.1)
        self.devtools_port = int(active.read_text().split()[0])

    def page_socket_url(self):
        with urllib.request.urlopen(f"http://127.0.0.1:{self.devtools_port}/json/list",
                                    timeout=TIMEOUT_S) as r:
            pages = [t for t in json.load(r) if t["type"] == "page"]
        check(pages, "chromium has no page")
        return pages[0]["webSocketDebuggerUrl"]

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()


class devtools:
    """One page's DevTools connection: commands by id, events kept in order."""

    def __init__(self, ws):
        self.ws, self.next_id, self.events = ws, 0, []

    async def call(self, method, **params):
        self.next_id += 1
        my_id = self.next_id
        await self.ws.send(json.dumps({"id": my_id, "method": method, "params": params}))
        while True:
            msg = json.loads(await asyncio.wait_for(self.ws.recv(), TIMEOUT_S))
            if msg.get("id") == my_id:
                check("error" not in msg, f"{method}: {msg.get('error')}")
                return msg["result"]
            self.events.append(msg)

    async def wait_event(self, method):
        deadline = time.monotonic() + TIMEOUT_S
        while True:
            for i, e in enumerate(self.events):
                if e.get("method") == method:
                    return self.events.pop(i)
            left = deadline - time.monotonic()
            check(left > 0, f"no {method} event")
            self.events.append(json.loads(await asyncio.wait_for(self.ws.recv(), left)))

    async def evaluate(self, expression):
        r = await self.call("Runtime.evaluate", expression=expression, returnByValue=True,
                            awaitPromise=True)
        check("exceptionDetails" not in r, f"{expression}: {r.get('exceptionDetails')}")
        return r["result"].get("value")

    async def wait_for(self, expression, what):
        deadline = time.monotonic() + TIMEOUT_S
        while not await self.evaluate(expression):
            check(time.monotonic() < deadline, what)
            await asyncio.sleep(0.1)

    async def navigate(self, url):
        """Loads url; returns Chromium's error text ('' when the page loaded)."""
        self.events.clear()
        r = await self.call("Page.navigate", url=url)
        if r.get("errorText"):
            return r["errorText"]
        await self.wait_event("Page.loadEventFired")
        return ""


async def drive(browser, port, cafile):
    base = f"https://localhost:{port}"
    async with websockets.connect(browser.page_socket_url(), max_size=None) as ws:
        page = devtools(ws)
        await page.call("Page.enable")
        await page.call("Network.enable")
        error = await page.navigate(base + "/")
        check(error == "", f"chromium could not load {base}/: {error}")
        title = await page.evaluate("document.title")
        check(title and "httpcore" in title, f"the default site's title: {title!r}")
        # What the browser negotiated, from the main document's response.
        responses = [e["params"]["response"] for e in page.events
                     if e.get("method") == "Network.responseReceived"
                     and e["params"]["response"]["url"] == base + "/"]
        check(responses, "no Network.responseReceived for the page")
        details = responses[0].get("securityDetails", {})
        check(details.get("protocol") == "TLS 1.3",
              f"the page did not come over TLS 1.3: {details}")
        check(responses[0].get("protocol") == "http/1.1",
              f"ALPN: {responses[0].get('protocol')}")

        error = await page.navigate(base + "/ws.html")
        check(error == "", f"chromium could not load /ws.html: {error}")
        for log in ("echo-log", "chat-log"):
            await page.wait_for(
                f"document.getElementById('{log}').textContent.includes('connected')",
                f"the page's {log} never connected over wss")
            text = await page.evaluate(f"document.getElementById('{log}').textContent")
            check("permessage-deflate" in text, f"{log}: no permessage-deflate: {text!r}")

        ctx = ssl.create_default_context(cafile=str(cafile))
        async with websockets.connect(f"wss://localhost:{port}/ws/chat", ssl=ctx) as peer:
            await asyncio.sleep(0.3)  # subscribed before anyone speaks
            said = "hello from chromium over wss"
            await page.evaluate(f"""(() => {{
                const form = document.getElementById('chat');
                form.elements.text.value = {json.dumps(said)};
                form.requestSubmit();
                return true; }})()""")
            got = await asyncio.wait_for(peer.recv(), TIMEOUT_S)
            check(got == said, f"the python peer got {got!r} from the browser")
            answer = "hello back from python"
            await peer.send(answer)
            await page.wait_for(
                f"document.getElementById('chat-log').textContent.includes({json.dumps(answer)})",
                "the browser's chat log never showed the python peer's line")
        # The echo over wss, through the page's form.
        await page.evaluate("""(() => {
            const form = document.getElementById('echo');
            form.elements.text.value = 'echo from chromium';
            form.requestSubmit();
            return true; })()""")
        await page.wait_for(
            "document.getElementById('echo-log').textContent.includes('← text: echo from chromium')",
            "the echo over wss never came back to the page")


async def refused(browser, port):
    async with websockets.connect(browser.page_socket_url(), max_size=None) as ws:
        page = devtools(ws)
        await page.call("Page.enable")
        return await page.navigate(f"https://localhost:{port}/")


def main():
    binary = sys.argv[1]
    if chromium_path() is None:
        fail("chromium not found (scripts/bootstrap --with-browser installs it)")
    work = pathlib.Path(tempfile.mkdtemp(prefix="httpcore-browser-"))
    try:
        cert, key = make_cert(work, "localhost")
        other, _ = make_cert(work, "other")
        frontends = sys.argv[2:] or subprocess.run(
            [binary, "serve", "--list-frontends"], capture_output=True, text=True,
            check=True).stdout.split()
        for frontend in frontends:
            srv = serve(binary, frontend, cert, key, work)
            try:
                browser = chromium(work, spki_hash(cert))
                try:
                    asyncio.run(drive(browser, srv.port, cert))
                finally:
                    browser.stop()
                # Pinned to another key, the same browser refuses the server.
                browser = chromium(work, spki_hash(other))
                try:
                    error = asyncio.run(refused(browser, srv.port))
                finally:
                    browser.stop()
                check(error == "net::ERR_CERT_AUTHORITY_INVALID",
                      f"with another key pinned, chromium said {error!r}")
            finally:
                srv.stop()
            print(f"browser_test: {frontend}: Chromium loaded https://localhost/ (TLS 1.3, "
                  "http/1.1) and chatted over wss with permessage-deflate")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
