"""RFC 6455 on a raw socket: frames built byte by byte (so they can be wrong on
purpose), the opening handshake, and a reader that turns the server's bytes
into events (whole messages, control frames, end of the connection).

Nothing here judges the server; the cases (cases_*.py) do, through the
`Conn` helpers that raise `CaseFailure` with a readable reason."""

import base64
import hashlib
import os
import select
import socket
import struct
import time
import urllib.parse
import zlib

CONT, TEXT, BINARY, CLOSE, PING, PONG = 0, 1, 2, 8, 9, 10
OPCODE_NAMES = {CONT: "continuation", TEXT: "text", BINARY: "binary", CLOSE: "close",
                PING: "ping", PONG: "pong"}
GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"  # RFC 6455 1.3


class CaseFailure(Exception):
    """The server did something the case does not allow."""


class NonStrict(Exception):
    """The server did something RFC 6455 allows but a stricter server would not
    (Autobahn's NON-STRICT): counted as passed, printed as a note."""


def opname(op):
    return OPCODE_NAMES.get(op, "reserved opcode %d" % op)


def mask_bytes(payload, key):
    """XOR with the 4-byte key, via big integers (fast for megabytes)."""
    if not payload or key == b"\x00\x00\x00\x00":
        return bytes(payload)
    n = len(payload)
    stream = (key * (n // 4 + 1))[:n]
    return (int.from_bytes(payload, "big") ^ int.from_bytes(stream, "big")).to_bytes(n, "big")


def frame(op, payload=b"", fin=True, rsv=0, mask=True, key=None, length_bytes=None,
          length=None):
    """One frame. rsv: the three reserved bits as a number 0-7 (4 = RSV1).
    length_bytes: force the 7-, 16- or 64-bit length encoding (0, 2, 8),
    even when it is not minimal. length: announce a length other than the
    payload's (for oversized or truncated frames)."""
    if isinstance(payload, str):
        payload = payload.encode("utf-8")
    n = len(payload) if length is None else length
    head = bytearray([(0x80 if fin else 0) | (rsv & 7) << 4 | (op & 0x0F)])
    mask_bit = 0x80 if mask else 0
    if length_bytes is None:
        length_bytes = 0 if n <= 125 else 2 if n <= 0xFFFF else 8
    if length_bytes == 0:
        head.append(mask_bit | n)
    elif length_bytes == 2:
        head.append(mask_bit | 126)
        head += struct.pack("!H", n)
    else:
        head.append(mask_bit | 127)
        head += struct.pack("!Q", n)
    if not mask:
        return bytes(head) + payload
    key = os.urandom(4) if key is None else key
    return bytes(head) + key + mask_bytes(payload, key)


def deflate_message(payload, window_bits=15):
    """A whole message compressed as RFC 7692 7.2.1 says: raw deflate, sync
    flush, the trailing 00 00 ff ff removed (a fresh compressor each time, so
    it is right whatever context takeover was agreed). zlib refuses a raw
    8-bit window; 9 stays within 8 bits' distances (zlib keeps 262 bytes of
    lookahead out of the window)."""
    if isinstance(payload, str):
        payload = payload.encode("utf-8")
    c = zlib.compressobj(wbits=-max(9, window_bits))
    data = c.compress(payload) + c.flush(zlib.Z_SYNC_FLUSH)
    assert data.endswith(b"\x00\x00\xff\xff")
    return data[:-4]


def close_payload(code=None, reason=b""):
    if code is None:
        return b""
    if isinstance(reason, str):
        reason = reason.encode("utf-8")
    return struct.pack("!H", code) + reason


class Event:
    """What the server sent: kind is 'text', 'binary' (whole messages), 'ping',
    'pong', 'close' (code None when the payload is empty) or 'eof'."""

    def __init__(self, kind, payload=b"", code=None, reason=b"", at=0.0, rst=False):
        self.kind, self.payload, self.code, self.reason = kind, payload, code, reason
        self.at = at
        self.rst = rst

    def __repr__(self):
        if self.kind == "close":
            return "close(%s%s)" % (self.code, ", %r" % self.reason if self.reason else "")
        if self.kind == "eof":
            return "TCP reset" if self.rst else "TCP close"
        return "%s(%s)" % (self.kind, describe(self.payload))


def describe(payload, limit=40):
    if len(payload) <= limit:
        return repr(bytes(payload))
    return "%d bytes %r..." % (len(payload), bytes(payload[:16]))


class Conn:
    """A client connection speaking raw frames; every read has a deadline."""

    def __init__(self, url, timeout, extensions=None, upgrade="websocket", connection="Upgrade"):
        u = urllib.parse.urlsplit(url)
        if u.scheme != "ws":
            raise ValueError("only ws:// URLs are supported: " + url)
        self.timeout = timeout
        self.buf = bytearray()
        self.sent_close = False
        self.partial = (None, [], False)  # the server's message in progress
        self.response_head = ""
        self.sock = socket.create_connection((u.hostname, u.port or 80), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        key = base64.b64encode(os.urandom(16)).decode()
        path = (u.path or "/") + ("?" + u.query if u.query else "")
        lines = ["GET %s HTTP/1.1" % path, "Host: %s" % u.netloc, "Upgrade: " + upgrade,
                 "Connection: " + connection, "Sec-WebSocket-Key: " + key,
                 "Sec-WebSocket-Version: 13"]
        if extensions:
            lines.append("Sec-WebSocket-Extensions: " + extensions)
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        head = self._read_head()
        self.response_head = head
        status_line, _, rest = head.partition("\r\n")
        if status_line.split(" ")[1:2] != ["101"]:
            raise CaseFailure("handshake refused: " + status_line)
        fields = parse_fields(rest)
        want = base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()
        if fields.get("sec-websocket-accept") != want:
            raise CaseFailure("handshake: Sec-WebSocket-Accept %r, expected %r"
                              % (fields.get("sec-websocket-accept"), want))
        self.extensions = fields.get("sec-websocket-extensions", "")

    def _read_head(self):
        deadline = time.monotonic() + self.timeout
        while b"\r\n\r\n" not in self.buf:
            chunk = self._recv(deadline)
            if not chunk:
                raise CaseFailure("connection closed during the handshake")
            self.buf += chunk
        head, _, rest = bytes(self.buf).partition(b"\r\n\r\n")
        self.buf = bytearray(rest)
        return head.decode("latin-1")

    def _recv(self, deadline):
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError
        self.sock.settimeout(left)
        try:
            return self.sock.recv(65536)
        except socket.timeout:
            raise TimeoutError from None

    def close_socket(self):
        try:
            self.sock.close()
        except OSError:
            pass

    # ------------------------------------------------------------ sending --
    def send(self, data):
        """Writes bytes; a peer that already closed is not an error here (the
        case then looks at what the server sent before closing)."""
        try:
            self.sock.settimeout(self.timeout)
            self.sock.sendall(data)
            return True
        except (BrokenPipeError, ConnectionResetError, socket.timeout):
            return False

    def send_frame(self, op, payload=b"", **kw):
        if op == CLOSE:
            self.sent_close = True
        return self.send(frame(op, payload, **kw))

    def send_chopped(self, data, piece=1, pause=0.001):
        """Writes in pieces of `piece` bytes, pausing between them so that each
        piece reaches the server in its own TCP segment."""
        for i in range(0, len(data), piece):
            if not self.send(data[i:i + piece]):
                return False
            time.sleep(pause)
        return True

    def send_streaming(self, data, piece=1 << 16):
        """Writes a large payload, stopping early when the server has already
        sent something (for instance a close frame for a message too big)."""
        for i in range(0, len(data), piece):
            readable, _, _ = select.select([self.sock], [], [], 0)
            if readable or not self.send(data[i:i + piece]):
                return False
        return True

    # ------------------------------------------------------------ reading --
    def deflate_param(self, name):
        """A parameter of the agreed permessage-deflate: its value, True when
        it has none, None when absent."""
        for piece in self.extensions.split(";")[1:]:
            key, sep, value = piece.strip().partition("=")
            if key.strip() == name:
                return value.strip().strip('"') if sep else True
        return None

    def compress(self, payload):
        """A message compressed within the window the server allows us."""
        bits = self.deflate_param("client_max_window_bits")
        return deflate_message(payload, int(bits) if bits not in (None, True) else 15)

    def inflate(self, data):
        """A permessage-deflate message from the server (RFC 7692 7.2.2). One
        inflater for the whole connection handles both context takeover and
        a server that starts afresh for each message."""
        # The agreed window: a server that uses a larger one than it said
        # makes back-references this inflater cannot follow. Likewise, with
        # server_no_context_takeover each message gets a fresh inflater, so a
        # reference into an earlier message fails.
        if not hasattr(self, "inflater") or self.deflate_param("server_no_context_takeover"):
            self.inflater = zlib.decompressobj(-int(self.deflate_param("server_max_window_bits")
                                                    or 15))
        try:
            return self.inflater.decompress(data + b"\x00\x00\xff\xff")
        except zlib.error as e:
            raise CaseFailure("the server's compressed message does not inflate: %s" % e) from None

    def _need(self, n, deadline):
        """Reads until n bytes are buffered. deadline is a list [when, span]:
        each chunk that arrives moves it to span seconds from then, so a big
        message that keeps flowing is not cut short (the timeout is for a
        server that stalls, not for a slow transfer)."""
        while len(self.buf) < n:
            try:
                chunk = self._recv(deadline[0])
                if chunk:
                    deadline[0] = max(deadline[0], time.monotonic() + deadline[1])
            except ConnectionResetError:
                raise EOFError("rst") from None
            if not chunk:
                raise EOFError("fin")
            self.buf += chunk

    def read_frame(self, deadline):
        """(fin, rsv, opcode, payload) of the next frame (deadline: see
        _need); raises TimeoutError,
        EOFError (the TCP connection ended) or CaseFailure (a frame a server
        must not send: masked, or with a non-minimal length)."""
        self._need(2, deadline)
        b0, b1 = self.buf[0], self.buf[1]
        n, at = b1 & 0x7F, 2
        if n == 126:
            self._need(4, deadline)
            n, at = struct.unpack("!H", self.buf[2:4])[0], 4
        elif n == 127:
            self._need(10, deadline)
            n, at = struct.unpack("!Q", self.buf[2:10])[0], 10
        if b1 & 0x80:
            raise CaseFailure("the server sent a masked frame (RFC 6455 5.1)")
        self._need(at + n, deadline)
        payload = bytes(self.buf[at:at + n])
        del self.buf[:at + n]
        return bool(b0 & 0x80), (b0 >> 4) & 7, b0 & 0x0F, payload

    def next_event(self, timeout=None):
        """The next event; data frames are joined into whole messages (a server
        may fragment its echo any way it likes). Raises TimeoutError."""
        span = self.timeout if timeout is None else timeout
        deadline = [time.monotonic() + span, span]
        # A fragmented message may have control frames between its frames
        # (RFC 6455 5.4): the message in progress survives returning them.
        message_op, parts, compressed = self.partial
        while True:
            try:
                fin, rsv, op, payload = self.read_frame(deadline)
            except EOFError as e:
                if message_op is not None:
                    raise CaseFailure("connection ended inside a %s message" % opname(message_op))
                return Event("eof", at=time.monotonic(), rst=str(e) == "rst")
            deflate = "permessage-deflate" in self.extensions
            if rsv & 3 or (rsv & 4 and (not deflate or op in (CONT, CLOSE, PING, PONG))):
                raise CaseFailure("the server set reserved bits %d (%s)" % (
                    rsv, "permessage-deflate negotiated" if deflate else "no extension"))
            if op >= 8:
                if not fin or len(payload) > 125:
                    raise CaseFailure("the server sent a fragmented or long control frame")
                if op == CLOSE:  # may cut the server's own message short: it is over
                    self.partial = (None, [], False)
                    return close_event(payload)
                if op in (PING, PONG):
                    return Event("ping" if op == PING else "pong", payload)
                raise CaseFailure("the server sent " + opname(op))
            if op == CONT and message_op is None:
                raise CaseFailure("the server sent a continuation without a message")
            if op != CONT and message_op is not None:
                raise CaseFailure("the server started a message inside another")
            if op not in (CONT, TEXT, BINARY):
                raise CaseFailure("the server sent " + opname(op))
            if message_op is None:
                message_op, compressed = op, bool(rsv & 4)
            parts.append(payload)
            self.partial = (message_op, parts, compressed)
            if fin:
                self.partial = (None, [], False)
                data = b"".join(parts)
                if compressed:
                    data = self.inflate(data)
                if message_op == TEXT:
                    try:
                        data.decode("utf-8")
                    except UnicodeDecodeError:
                        raise CaseFailure("the server sent invalid UTF-8 in a text message") from None
                return Event("text" if message_op == TEXT else "binary", data)


def close_event(payload):
    if not payload:
        return Event("close", code=None)
    if len(payload) == 1:
        raise CaseFailure("the server sent a 1-byte close payload")
    return Event("close", payload, code=struct.unpack("!H", payload[:2])[0], reason=payload[2:])


def parse_fields(block):
    fields = {}
    for line in block.split("\r\n"):
        name, sep, value = line.partition(":")
        if sep:
            key = name.strip().lower()
            value = value.strip()
            fields[key] = fields[key] + ", " + value if key in fields else value
    return fields


def handshake_reply(url, fields, timeout):
    """Sends an upgrade request with exactly these header fields (a list of
    "Name: value" lines after the request line and Host) and returns
    (status, fields, head) of the response; for the handshake cases."""
    u = urllib.parse.urlsplit(url)
    with socket.create_connection((u.hostname, u.port or 80), timeout=timeout) as sock:
        lines = ["GET %s HTTP/1.1" % (u.path or "/"), "Host: %s" % u.netloc] + list(fields)
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        data = b""
        deadline = time.monotonic() + timeout
        while b"\r\n\r\n" not in data:
            sock.settimeout(max(0.01, deadline - time.monotonic()))
            try:
                chunk = sock.recv(65536)
            except socket.timeout:
                raise CaseFailure("no response head within %.1f s" % timeout) from None
            except ConnectionResetError:
                chunk = b""
            if not chunk:
                raise CaseFailure("connection closed without a response: %r" % data[:80])
            data += chunk
    head = data.partition(b"\r\n\r\n")[0].decode("latin-1")
    status_line, _, rest = head.partition("\r\n")
    parts = status_line.split(" ")
    status = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
    return status, parse_fields(rest), head
