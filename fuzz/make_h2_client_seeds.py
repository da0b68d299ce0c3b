#!/usr/bin/python3
"""Writes the seed corpus of fuzz_h2_client: fuzz/seeds/fuzz_h2_client/.

Each seed is one control byte (bits 0-5: piece size - 1; bit 6: the target
puts an empty SETTINGS frame in front; bit 7: the client consumes data as it
comes; see fuzz/fuzz_h2_client.cpp) followed by what a server sends to the
target's requests (GET on stream 1, POST on 3, a streamed PUT on 5), made
with python3-h2 acting as that server: responses with bodies, trailers, a
1xx, RST_STREAM, PING, a SETTINGS change, WINDOW_UPDATE and GOAWAY. The
output is the same on every run (file names are the seeds' SHA-1).
"""
import hashlib
import pathlib

import h2.config
import h2.connection
import h2.errors
import h2.settings

HERE = pathlib.Path(__file__).parent
OUT = HERE / "seeds" / "fuzz_h2_client"


def server():
    """A python3-h2 server that has seen the target's three requests."""
    c = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True,
                                                             header_encoding="utf-8"))
    c.initiate_connection()
    for sid, method in ((1, "GET"), (3, "POST"), (5, "PUT")):
        c.send_headers(sid, [(":method", method), (":scheme", "http"),
                             (":authority", "fuzz.example"), (":path", "/")],
                       end_stream=method == "GET")
    s = h2.connection.H2Connection(h2.config.H2Configuration(client_side=False,
                                                             header_encoding="utf-8"))
    s.initiate_connection()
    s.receive_data(c.data_to_send())
    return s


def seeds():
    s = server()
    s.send_headers(1, [(":status", "200"), ("content-type", "text/plain")])
    s.send_data(1, b"Hello, World!", end_stream=True)
    yield "get", s.data_to_send()

    s = server()
    for sid in (1, 3, 5):
        s.send_headers(sid, [(":status", "200"), ("content-length", "5")])
        s.send_data(sid, b"hello", end_stream=sid != 5)
    s.send_headers(5, [("x-trailer", "1")], end_stream=True)
    yield "three-trailers", s.data_to_send()

    s = server()
    s.send_headers(3, [(":status", "100")])
    s.send_headers(3, [(":status", "201")])
    s.send_data(3, b"x" * 3000)
    s.reset_stream(1, h2.errors.ErrorCodes.REFUSED_STREAM)
    s.ping(b"abcdefgh")
    s.update_settings({h2.settings.SettingCodes.MAX_CONCURRENT_STREAMS: 2})
    s.increment_flow_control_window(1000)
    s.send_data(3, b"y" * 1000, end_stream=True)
    yield "continue-reset-ping", s.data_to_send()

    s = server()
    s.send_headers(1, [(":status", "200")])
    s.send_data(1, b"z" * 4000)
    s.close_connection(error_code=h2.errors.ErrorCodes.NO_ERROR, last_stream_id=1)
    yield "goaway", s.data_to_send()


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for name, data in seeds():
        # whole reads with data consumed; 8-byte reads; 1-byte reads
        for control in (0x80 | 63, 7, 0):
            seed = bytes([control]) + data
            (OUT / hashlib.sha1(seed).hexdigest()).write_bytes(seed)


if __name__ == "__main__":
    main()
