#!/usr/bin/python3
"""Writes the seed corpus of fuzz_h2_server: fuzz/seeds/fuzz_h2_server/.

Each seed is one control byte (bits 0-6: piece size - 1; bit 7: the target
puts the connection preface in front; see fuzz/fuzz_h2_server.cpp) followed
by what a client sends, made with python3-h2: GET, HEAD, POST and PUT with
bodies, trailers, 20 concurrent streams, a streamed response read with a
small window, PING, PRIORITY, RST_STREAM, a SETTINGS change, GOAWAY, and an
HTTP/1.1 request asking for Upgrade: h2c. The output is the same on every
run (file names are the seeds' SHA-1).
"""
import hashlib
import pathlib

import h2.config
import h2.connection
import h2.settings

HERE = pathlib.Path(__file__).parent
OUT = HERE / "seeds" / "fuzz_h2_server"
PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"


def client(window=None):
    c = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True,
                                                             header_encoding="utf-8"))
    c.initiate_connection()
    if window is not None:
        c.update_settings({h2.settings.SettingCodes.INITIAL_WINDOW_SIZE: window})
    return c


def headers(method, path, extra=()):
    return [(":method", method), (":scheme", "http"), (":authority", "fuzz.example"),
            (":path", path), *extra]


def seeds():
    c = client()
    c.send_headers(1, headers("GET", "/hello"), end_stream=True)
    yield "get", c.data_to_send()

    c = client()
    c.send_headers(1, headers("HEAD", "/hello"), end_stream=True)
    c.send_headers(3, headers("POST", "/echo", [("content-length", "11")]))
    c.send_data(3, b"hello world", end_stream=True)
    yield "head-post", c.data_to_send()

    c = client()
    c.send_headers(1, headers("PUT", "/echo"))
    c.send_data(1, b"a" * 300)
    c.send_data(1, b"b" * 300)
    c.send_headers(1, [("x-trailer", "1")], end_stream=True)
    yield "put-trailers", c.data_to_send()

    c = client()
    for i in range(20):
        c.send_headers(1 + 2 * i, headers("GET", "/hello" if i % 2 else "/stream"),
                       end_stream=True)
    yield "twenty-streams", c.data_to_send()

    c = client(window=100)
    c.send_headers(1, headers("GET", "/stream"), end_stream=True)
    c.ping(b"12345678")
    c.prioritize(1, weight=32)
    yield "small-window-ping", c.data_to_send()

    c = client()
    c.send_headers(1, headers("POST", "/echo"))
    c.send_data(1, b"x" * 100)
    c.reset_stream(1)
    c.send_headers(3, headers("GET", "/hello"), end_stream=True)
    c.update_settings({h2.settings.SettingCodes.MAX_FRAME_SIZE: 32768})
    c.close_connection()
    yield "reset-settings-goaway", c.data_to_send()


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for name, data in seeds():
        assert data.startswith(PREFACE), name
        for control, body in ((0x80 | 6, data[len(PREFACE):]), (0, data)):
            seed = bytes([control]) + body
            (OUT / hashlib.sha1(seed).hexdigest()).write_bytes(seed)
    upgrade = (b"GET /hello HTTP/1.1\r\nHost: fuzz.example\r\nConnection: Upgrade, HTTP2-Settings"
               b"\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n" + PREFACE +
               b"\x00\x00\x00\x04\x00\x00\x00\x00\x00")
    seed = bytes([12]) + upgrade
    (OUT / hashlib.sha1(seed).hexdigest()).write_bytes(seed)


if __name__ == "__main__":
    main()
