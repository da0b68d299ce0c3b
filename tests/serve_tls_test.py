#!/usr/bin/python3
"""`httpcore serve --tls-cert --tls-key` over loopback, on every front end that
serves TLS, against real clients: curl --cacert, openssl s_client (TLS 1.0 and
1.1 refused, 1.2 and 1.3 accepted, ALPN http/1.1), python3's ssl (keep-alive,
16 pipelined requests, 300 and 2000 pipelined ones read late (backpressure),
close_notify after Connection: close, a ClientHello
written one byte at a time), a 10 MiB upload echoed back (curl),
python3-websockets over wss:// (echo, permessage-deflate, a chat between two
connections), a client that stops in the middle of its ClientHello (closed
after the handshake timeout), cleartext HTTP sent to the TLS port (closed, no
hang), a SIGHUP reload (new connections get the new certificate, an open
one keeps working), certificates chosen by SNI (openssl s_client -servername:
each name gets its own, an unknown name and no SNI get the first), and session
resumption across a rotation of the ticket keys (s_client -sess_out/-sess_in:
a ticket from before a rotation still resumes, the renewed ticket is under
the new key, and a ticket older than three periods no longer resumes).

usage: serve_tls_test.py PATH/TO/httpcore [FRONTEND...]
  (default: every front end the binary lists; exit 1 also when curl or
  openssl is missing: scripts/bootstrap installs both)
"""
import asyncio
import hashlib
import os
import pathlib
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time

HANDSHAKE_TIMEOUT_S = 3  # the byte-at-a-time ClientHello takes about 0.5 s; a loaded CI machine more
TICKET_ROTATION_S = 3  # keys rotate this often; a ticket resumes for 3 periods
SNI_NAMES = ("alpha.test", "beta.test")  # served by certificates of their own


def fail(what):
    print(f"serve_tls_test: FAIL: {what}", file=sys.stderr)
    sys.exit(1)


def check(ok, what):
    if not ok:
        fail(what)


def make_cert(work, name, san="DNS:localhost,IP:127.0.0.1"):
    cert, key = work / f"{name}.pem", work / f"{name}.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
         "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", f"/CN={name}",
         "-addext", f"subjectAltName={san}"],
        check=True, capture_output=True)
    return cert, key


class server:
    def __init__(self, binary, frontend, cert, key, work, more_certs=()):
        self.err_path = work / f"{frontend}.err"
        self.err = open(self.err_path, "w")
        pairs = []
        for c, k in more_certs:
            pairs += ["--tls-cert", c, "--tls-key", k]
        self.proc = subprocess.Popen(
            [binary, "serve", "--frontend", frontend, "--port", "0", "--tls-port", "0",
             "--tls-cert", cert, "--tls-key", key, *pairs, "--quiet",
             "--tls-handshake-timeout", str(HANDSHAKE_TIMEOUT_S),
             "--tls-ticket-rotation", str(TICKET_ROTATION_S)],
            stdout=subprocess.DEVNULL, stderr=self.err)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            m = re.search(r"https://127\.0\.0\.1:(\d+)/", self.err_path.read_text())
            if m:
                self.port = int(m.group(1))
                return
            if self.proc.poll() is not None:
                fail(f"{frontend}: serve exited: {self.err_path.read_text()}")
            time.sleep(0.05)
        fail(f"{frontend}: no https start line")

    def stderr(self):
        return self.err_path.read_text()

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        check(self.proc.wait(timeout=30) == 0, "serve did not stop cleanly")
        self.err.close()


def context(cafile):
    ctx = ssl.create_default_context(cafile=str(cafile))
    ctx.set_alpn_protocols(["http/1.1"])
    return ctx


def tls_connect(port, cafile):
    raw = socket.create_connection(("127.0.0.1", port), timeout=10)
    return context(cafile).wrap_socket(raw, server_hostname="localhost")


def read_response(sock, buf=b""):
    """One response with a Content-Length; returns (status, body, leftover)."""
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(65536)
        if not chunk:
            fail(f"connection closed before a response head: {buf!r}")
        buf += chunk
    head, rest = buf.split(b"\r\n\r\n", 1)
    status = int(head.split(b" ")[1])
    length = int(re.search(rb"(?i)content-length: *(\d+)", head).group(1))
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            fail("connection closed inside a body")
        rest += chunk
    return status, rest[:length], rest[length:]


def get(path):
    return f"GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n".encode()


def check_curl(port, cafile):
    out = subprocess.run(["curl", "-sS", "--max-time", "10", "--cacert", cafile,
                          f"https://localhost:{port}/hello"], capture_output=True, text=True)
    check(out.stdout == "Hello, World!", f"curl --cacert: {out.stdout!r} {out.stderr!r}")
    # Without the certificate as a CA, curl refuses the server.
    out = subprocess.run(["curl", "-sS", "--max-time", "10", f"https://localhost:{port}/hello"],
                         capture_output=True, text=True)
    check(out.returncode != 0, "curl accepted an untrusted certificate")


def check_versions(port, cafile):
    for version, accepted in (("-tls1", False), ("-tls1_1", False), ("-tls1_2", True),
                              ("-tls1_3", True)):
        out = subprocess.run(
            ["openssl", "s_client", "-connect", f"127.0.0.1:{port}", version, "-alpn", "http/1.1",
             "-CAfile", cafile, "-servername", "localhost", "-cipher", "DEFAULT@SECLEVEL=0"],
            input="", capture_output=True, text=True, timeout=20)
        text = out.stdout + out.stderr
        if accepted:
            check("ALPN protocol: http/1.1" in text and "Verify return code: 0 (ok)" in text,
                  f"openssl s_client {version} was not served with ALPN http/1.1:\n{text}")
        else:
            # The server's protocol_version alert (70), not a refusal by the client.
            check("alert protocol version" in text and "SSL alert number 70" in text,
                  f"openssl s_client {version} was not refused with protocol_version:\n{text}")


def check_keepalive_and_pipelining(port, cafile):
    with tls_connect(port, cafile) as s:
        check(s.selected_alpn_protocol() == "http/1.1", "ALPN not http/1.1")
        rest = b""
        for _ in range(3):
            s.sendall(get("/hello"))
            status, body, rest = read_response(s, rest)
            check(status == 200 and body == b"Hello, World!", f"keep-alive: {status} {body!r}")
        s.sendall(get("/hello") * 16)
        for i in range(16):
            status, body, rest = read_response(s, rest)
            check(status == 200 and body == b"Hello, World!", f"pipelined #{i}: {status}")


def check_backpressure(port, cafile):
    """Pipelined requests whose responses (1.1 and 7.6 MB) are left unread for
    a second pile up against the server's bounds (socket buffers, the TLS
    layer's 64 KiB of ciphertext, the session's output limit); every response
    still arrives once the client reads. 300 requests fit in one TLS record,
    2000 take many."""
    marker = b"HTTP/1.1 200 OK"
    for n in (300, 2000):
        with tls_connect(port, cafile) as s:
            s.sendall(get("/index.html") * n)
            time.sleep(1)
            seen, tail = 0, b""
            while seen < n:
                try:
                    chunk = s.recv(1 << 20)
                except socket.timeout:
                    fail(f"stalled after {seen} of {n} pipelined responses")
                check(chunk, f"closed after {seen} of {n} pipelined responses")
                buf = tail + chunk
                seen += buf.count(marker)
                tail = buf[-(len(marker) - 1):]


def check_close_notify(port, cafile):
    """Connection: close ends with close_notify: a clean TLS end of stream, at once."""
    with tls_connect(port, cafile) as s:
        s.sendall(b"GET /hello HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        s.settimeout(5)
        data = b""
        try:
            while chunk := s.recv(65536):  # b"" only after a close_notify
                data += chunk
        except ssl.SSLEOFError:
            fail("the connection ended without close_notify")
        except socket.timeout:
            fail("no close_notify or close within 5 s of a Connection: close response")
        check(data.startswith(b"HTTP/1.1 200") and data.endswith(b"Hello, World!"),
              f"Connection: close response: {data!r}")


def check_big_echo(port, cafile, work):
    """10 MiB up and the same 10 MiB back (POST /echo streams it), through curl."""
    data = os.urandom(1 << 20) * 10
    upload, download = work / "upload.bin", work / "download.bin"
    upload.write_bytes(data)
    out = subprocess.run(["curl", "-sS", "--max-time", "60", "--cacert", cafile, "-H", "Expect:",
                          "--data-binary", f"@{upload}", "-o", download,
                          f"https://localhost:{port}/echo"], capture_output=True, text=True)
    check(out.returncode == 0, f"10 MiB echo: curl: {out.stderr}")
    check(hashlib.sha256(download.read_bytes()).digest() == hashlib.sha256(data).digest(),
          f"10 MiB echo came back different ({download.stat().st_size} bytes)")


def check_byte_at_a_time(port, cafile):
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    tls = context(cafile).wrap_bio(incoming, outgoing, server_hostname="localhost")
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        first = True
        while True:
            try:
                tls.do_handshake()
                break
            except ssl.SSLWantReadError:
                pass
            pending = outgoing.read()
            if first:  # the ClientHello, one byte per write
                for b in pending:
                    s.send(bytes([b]))
                    time.sleep(0.001)
                first = False
            elif pending:
                s.sendall(pending)
            chunk = s.recv(65536)
            check(chunk, "closed during a byte-at-a-time handshake")
            incoming.write(chunk)
        s.sendall(outgoing.read())
        tls.write(get("/hello"))
        s.sendall(outgoing.read())
        body = b""
        while b"Hello, World!" not in body:
            chunk = s.recv(65536)
            check(chunk, "closed before the response")
            incoming.write(chunk)
            try:
                body += tls.read(65536)
            except ssl.SSLWantReadError:
                pass
        check(body.startswith(b"HTTP/1.1 200"), f"byte-at-a-time response: {body[:40]!r}")


def closed_within(sock, seconds):
    """True when the peer closes (EOF or reset) within `seconds`."""
    sock.settimeout(seconds)
    try:
        while True:
            if not sock.recv(65536):
                return True
    except ConnectionResetError:
        return True
    except socket.timeout:
        return False


def check_stalled_handshake(port, cafile):
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    tls = context(cafile).wrap_bio(incoming, outgoing, server_hostname="localhost")
    try:
        tls.do_handshake()
    except ssl.SSLWantReadError:
        pass
    hello = outgoing.read()
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(hello[: len(hello) // 2])
        start = time.monotonic()
        check(closed_within(s, HANDSHAKE_TIMEOUT_S + 3), "a stalled handshake was not closed")
        waited = time.monotonic() - start
        check(waited >= HANDSHAKE_TIMEOUT_S * 0.8, f"closed after {waited:.2f} s, before the timeout")


def check_plain_http(port):
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(get("/hello"))
        check(closed_within(s, 3), "cleartext HTTP on the TLS port was not closed")


def check_wss(port, cafile):
    import websockets  # python3-websockets

    async def run():
        async with websockets.connect(f"wss://localhost:{port}/ws/echo", ssl=context(cafile),
                                      compression="deflate") as ws:
            check(ws.response_headers.get("Sec-WebSocket-Extensions", "")
                  .startswith("permessage-deflate"), "wss: permessage-deflate not agreed")
            for msg in ("hello over wss", "x" * 100_000, b"\x00\x01binary"):
                await ws.send(msg)
                check(await ws.recv() == msg, "wss echo differs")
        # A chat: what one connection says reaches the other (another
        # connection's thread or loop sends it through its TLS layer).
        url = f"wss://localhost:{port}/ws/chat"
        async with websockets.connect(url, ssl=context(cafile), compression="deflate") as a, \
                websockets.connect(url, ssl=context(cafile), compression="deflate") as b:
            await asyncio.sleep(0.2)  # both subscribed (on_open) before anyone speaks
            for i, (speaker, other) in enumerate(((a, b), (b, a)) * 3):
                line = f"chat line {i} " + "y" * (i * 1000)
                await speaker.send(line)
                got = [await asyncio.wait_for(other.recv(), 10),
                       await asyncio.wait_for(speaker.recv(), 10)]
                check(got == [line, line], f"wss chat line {i}: {[g[:20] for g in got]}")

    asyncio.run(run())


def check_reload(srv, work, cert, key, cafile_old):
    with tls_connect(srv.port, cafile_old) as before:
        before.sendall(get("/hello"))
        status, _, rest = read_response(before)
        check(status == 200, "request before the reload")
        new_cert, new_key = make_cert(work, "renewed")
        shutil.copyfile(new_cert, cert)
        shutil.copyfile(new_key, key)
        srv.proc.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 10
        while "reloaded" not in srv.stderr():
            check(time.monotonic() < deadline, f"no reload after SIGHUP: {srv.stderr()}")
            time.sleep(0.05)
        with tls_connect(srv.port, new_cert) as after:
            der = after.getpeercert(binary_form=True)
            check(der == ssl.PEM_cert_to_DER_cert(new_cert.read_text()),
                  "a new connection did not get the new certificate")
        try:
            tls_connect(srv.port, cafile_old).close()
            fail("a new connection still got the old certificate")
        except ssl.SSLCertVerificationError:
            pass
        before.sendall(get("/hello"))
        status, body, _ = read_response(before, rest)
        check(status == 200 and body == b"Hello, World!", "the connection opened before the reload")


def s_client(port, *args, request=None):
    """openssl s_client's output (stdout and stderr) for one connection."""
    out = subprocess.run(["openssl", "s_client", "-connect", f"127.0.0.1:{port}", *args],
                         input=request or "", capture_output=True, text=True, timeout=20)
    return out.stdout + out.stderr


def served_subject(port, *args):
    m = re.search(r"^subject=.*CN ?= ?([\w.]+)", s_client(port, *args), re.M)
    return m.group(1) if m else None


def check_sni(port, default_name):
    for name in SNI_NAMES:
        got = served_subject(port, "-servername", name)
        check(got == name, f"SNI {name}: served the certificate of {got}")
    got = served_subject(port, "-servername", "unknown.test")
    check(got == default_name, f"SNI unknown.test: served {got}, not the first certificate")
    got = served_subject(port, "-noservername")
    check(got == default_name, f"no SNI: served {got}, not the first certificate")
    got = served_subject(port, "-servername", "localhost")
    check(got == default_name, f"SNI localhost: served {got}")


def ticket_key_name(session_file):
    """The first 16 bytes of the session's ticket: the name of the key that sealed it."""
    out = subprocess.run(["openssl", "sess_id", "-in", session_file, "-noout", "-text"],
                         capture_output=True, text=True)
    check(out.returncode == 0,
          f"s_client saved no session to {session_file.name} (no ticket came): {out.stderr}")
    text = out.stdout
    m = re.search(r"TLS session ticket:\n\s*0000 - ([0-9a-f -]+?)  ", text)
    check(m, f"no session ticket in {session_file}:\n{text}")
    return m.group(1).replace("-", " ").split()[:16]


def check_ticket_rotation(port, cafile, work):
    """A ticket resumes a session across a rotation of the ticket keys, and the
    resumed session's new ticket is under the new key; after three periods the
    ticket no longer resumes."""
    request = "GET /hello HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    first, renewed = work / "first.sess", work / "renewed.sess"
    common = ("-tls1_3", "-CAfile", str(cafile), "-servername", "localhost", "-ign_eof")
    out = s_client(port, *common, "-sess_out", str(first), request=request)
    issued = time.monotonic()
    check("New, TLSv1.3" in out and "Hello, World!" in out, f"first connection:\n{out}")
    # Past one period: the server rotates the keys when it accepts the next
    # connection, this one, before its handshake. The first ticket's key is
    # kept for two more rotations, at least another period.
    time.sleep(TICKET_ROTATION_S + 0.3)
    out = s_client(port, *common, "-sess_in", str(first), "-sess_out", str(renewed),
                   request=request)
    check("Reused, TLSv1.3" in out and "Hello, World!" in out,
          f"a ticket from before a key rotation did not resume:\n{out}")
    check(ticket_key_name(renewed) != ticket_key_name(first),
          "the keys did not rotate: the resumed session's new ticket is under the old key")
    # Past three periods from the first ticket: it no longer resumes.
    time.sleep(max(0.0, issued + 3 * TICKET_ROTATION_S + 1.2 - time.monotonic()))
    out = s_client(port, *common, "-sess_in", str(first), request=request)
    check("New, TLSv1.3" in out and "Hello, World!" in out,
          f"a ticket older than three key periods still resumed:\n{out}")


class beside:
    """Runs check(*args) on a thread beside the main checks (the rotation
    check mostly sleeps); join() re-raises its failure."""
    def __init__(self, check_fn, *args):
        self.failure = None
        self.thread = threading.Thread(target=self.run, args=(check_fn, *args))
        self.thread.start()

    def run(self, check_fn, *args):
        try:
            check_fn(*args)
        except BaseException as e:  # fail() raises SystemExit
            self.failure = e

    def join(self):
        self.thread.join()
        if self.failure is not None:
            raise self.failure


def main():
    binary = sys.argv[1]
    for tool in ("curl", "openssl"):
        if shutil.which(tool) is None:
            print(f"serve_tls_test: {tool} not found (scripts/bootstrap installs it)")
            sys.exit(1)
    work = pathlib.Path(tempfile.mkdtemp(prefix="httpcore-serve-tls-"))
    try:
        frontends = sys.argv[2:] or subprocess.run(
            [binary, "serve", "--list-frontends"], capture_output=True, text=True,
            check=True).stdout.split()
        for frontend in frontends:
            original, _ = make_cert(work, "original")
            cert, key = work / "serving.pem", work / "serving.key"
            shutil.copyfile(original, cert)
            shutil.copyfile(work / "original.key", key)
            sni_certs = [make_cert(work, name, f"DNS:{name}") for name in SNI_NAMES]
            srv = server(binary, frontend, cert, key, work, sni_certs)
            try:
                check_sni(srv.port, "original")
                # Until the reload, which changes the certificate it trusts.
                rotation = beside(check_ticket_rotation, srv.port, original, work)
                check_curl(srv.port, original)
                check_versions(srv.port, original)
                check_keepalive_and_pipelining(srv.port, original)
                check_close_notify(srv.port, original)
                check_backpressure(srv.port, original)
                check_big_echo(srv.port, original, work)
                check_byte_at_a_time(srv.port, original)
                check_stalled_handshake(srv.port, original)
                check_plain_http(srv.port)
                check_wss(srv.port, original)
                rotation.join()
                check_reload(srv, work, cert, key, original)
            finally:
                if srv.proc.poll() is None:
                    srv.stop()
            print(f"serve_tls_test: {frontend}: all checks passed")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
