#!/usr/bin/python3
"""Writes the seed corpus of fuzz_tls_server: fuzz/seeds/fuzz_tls_server/.

Each seed is two control bytes (a piece size - 1, then bit 0: end of stream
after the input; see fuzz/fuzz_tls_server.cpp) followed by what a client
sends first: ClientHellos made by python3's ssl module (OpenSSL underneath)
for TLS 1.3, TLS 1.2 only, TLS 1.0 only, with and without SNI and ALPN,
and things that are not TLS (a cleartext HTTP request, an SSLv2-style hello,
a record header promising too much). ClientHellos carry random values, so
running this again writes other files: delete the old ones first.
"""
import hashlib
import pathlib
import ssl

HERE = pathlib.Path(__file__).parent
OUT = HERE / "seeds" / "fuzz_tls_server"


def client_hello(minimum=None, maximum=None, sni="localhost", alpn=None, ciphers=None):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    if ciphers:
        ctx.set_ciphers(ciphers)
    if minimum:
        ctx.minimum_version = minimum
    if maximum:
        ctx.maximum_version = maximum
    if alpn:
        ctx.set_alpn_protocols(alpn)
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    obj = ctx.wrap_bio(incoming, outgoing, server_hostname=sni)
    try:
        obj.do_handshake()
    except ssl.SSLWantReadError:
        pass
    return outgoing.read()


def main():
    v = ssl.TLSVersion
    hellos = [
        client_hello(),
        client_hello(alpn=["h2", "http/1.1"]),
        client_hello(alpn=["h3"]),
        client_hello(sni=None),
        client_hello(maximum=v.TLSv1_2, alpn=["http/1.1"]),
        client_hello(minimum=v.TLSv1, maximum=v.TLSv1, ciphers="DEFAULT:@SECLEVEL=0"),
    ]
    not_tls = [
        b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n",
        b"\x80\x2e\x01\x03\x01\x00\x15\x00\x00\x00\x10",  # SSLv2-style ClientHello start
        b"\x16\x03\x01\xff\xff" + b"\x01" * 32,  # a record longer than allowed
    ]
    OUT.mkdir(parents=True, exist_ok=True)
    seeds = []
    for h in hellos:
        seeds.append(bytes([255, 0]) + h)  # whole
        seeds.append(bytes([0, 1]) + h)  # byte by byte, then the end
        seeds.append(bytes([6, 0]) + h + b"\x15\x03\x03\x00\x02\x02\x28")  # then an alert
    for junk in not_tls:
        seeds.append(bytes([3, 0]) + junk)
    for s in seeds:
        (OUT / hashlib.sha1(s).hexdigest()).write_bytes(s)
    print(f"{len(seeds)} seeds in {OUT}")


if __name__ == "__main__":
    main()
