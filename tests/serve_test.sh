#!/usr/bin/env bash
# End-to-end test of `httpcore serve` over real loopback TCP, once per front end
# built into the binary (`httpcore serve --list-frontends`): starts the server
# on a free port, talks to it with curl and (/ws/echo, /ws/chat) with the
# python3-websockets client, checks the JSON access log with Python, and stops
# it with SIGTERM, which must give exit status 0 (under ASan
# that also means no leak was found).
#
# usage: serve_test.sh PATH/TO/httpcore
# exit:  0 all passed, 1 a check failed or a peer (curl, python3, python3-websockets)
#        is missing: scripts/bootstrap installs them, so a missing one is a failure
set -u
bin=${1:?usage: serve_test.sh PATH/TO/httpcore}
PYTHON=${PYTHON:-/usr/bin/python3}
command -v curl >/dev/null || { echo "FAIL: curl not found (scripts/bootstrap)"; exit 1; }
[ -x "$PYTHON" ] || { echo "FAIL: $PYTHON not found (scripts/bootstrap)"; exit 1; }
"$PYTHON" -c 'import websockets' 2>/dev/null ||
  { echo "FAIL: python3-websockets not installed (scripts/bootstrap)"; exit 1; }

work=$(mktemp -d /tmp/httpcore-serve-test.XXXXXX)
server_pid=
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -KILL "$server_pid" 2>/dev/null
    wait "$server_pid" 2>/dev/null
  fi
  rm -rf "$work"
}
trap cleanup EXIT

failures=0
fail() { echo "FAIL [$frontend]: $*"; failures=$((failures + 1)); }
pass() { echo "ok   [$frontend]: $*"; }
check() {  # check DESCRIPTION COMMAND...: passes when the command succeeds
  local what=$1
  shift
  if "$@"; then pass "$what"; else fail "$what"; fi
}
CURL=(curl -sS --max-time 20)

# ---------------------------------------------------------- the command line --
frontend=cli
check "'serve' is listed by 'httpcore help'" \
  bash -c '"$1" help | grep -Eq "^[[:space:]]*serve([[:space:]]|$)"' _ "$bin"
"$bin" serve --frontend no-such-frontend >/dev/null 2>"$work/usage.err"
status=$?
check "unknown --frontend exits 2" test "$status" -eq 2
check "unknown --frontend lists the built-in ones" \
  grep -q "$("$bin" serve --list-frontends | head -n1)" "$work/usage.err"
"$bin" serve --root "$work/does-not-exist" --port 0 >/dev/null 2>&1
status=$?
check "a missing --root exits 2" test "$status" -eq 2

mapfile -t frontends < <("$bin" serve --list-frontends)
[ ${#frontends[@]} -gt 0 ] || { echo "FAIL: --list-frontends printed nothing"; exit 1; }
echo "front ends: ${frontends[*]}"

# A site of our own for the static-file checks, with a file outside it.
site=$work/site
mkdir -p "$site/docs"
printf 'outside the root\n' >"$work/secret.txt"
printf '<a href="/hello">hi</a>\n' >"$site/index.html"
printf 'doc\n' >"$site/docs/index.html"
printf 'body{}\n' >"$site/style.css"
ln -s "$work/secret.txt" "$site/escape.txt"
head -c 1048576 /dev/urandom >"$work/random.bin"
head -c 3000000 /dev/urandom >"$site/big.bin"  # far above the session's output queue limit

# check_log.py LOG fields | check_log.py LOG METHOD TARGET STATUS BYTES|- [PROTO]
cat >"$work/check_log.py" <<'EOF'
import json, re, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
fields = {"time": str, "method": str, "target": str, "proto": str, "status": int,
          "bytes": int, "duration_us": int, "peer": str}
time_re = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
entries = []
for n, line in enumerate(lines, 1):
    try:
        entry = json.loads(line)
    except ValueError as e:
        sys.exit(f"line {n} is not JSON ({e}): {line}")
    for name, kind in fields.items():
        if not isinstance(entry.get(name), kind):
            sys.exit(f"line {n}: field {name!r} missing or not {kind.__name__}: {line}")
    if not time_re.match(entry["time"]):
        sys.exit(f"line {n}: time {entry['time']!r} is not RFC 3339 UTC with milliseconds")
    if not entry["peer"].startswith("127.0.0.1:") or entry["duration_us"] < 0:
        sys.exit(f"line {n}: bad peer or duration: {line}")
    if entry["proto"] not in ("http/1.0", "http/1.1", "h2"):
        sys.exit(f"line {n}: proto {entry['proto']!r} is not an ALPN name we speak")
    entries.append(entry)
if sys.argv[2] == "fields":
    sys.exit(0 if len(entries) >= 8 else f"expected a line per request, got {len(entries)}")
method, target, status, size = sys.argv[2:6]
proto = sys.argv[6] if len(sys.argv) > 6 else None
for e in entries:
    if (e["method"], e["target"], e["status"]) == (method, target, int(status)) and \
            (size == "-" or e["bytes"] == int(size)) and proto in (None, e["proto"]):
        sys.exit(0)
sys.exit(f"no line for {method} {target} {status} {size} {proto or ''} in:\n" +
         "\n".join(lines))
EOF

# ws_check.py WS_BASE echo|chat: talks to /ws/echo or /ws/chat with a real
# WebSocket client; exits non-zero with a message on the first mismatch.
cat >"$work/ws_check.py" <<'EOF'
import asyncio, os, sys
import websockets

base, what = sys.argv[1], sys.argv[2]

def expect(cond, message):
    if not cond:
        sys.exit(message)

async def echo(compression):
    async with websockets.connect(base + "/ws/echo", compression=compression,
                                  max_size=None) as ws:
        ext = ws.response_headers.get("Sec-WebSocket-Extensions") or ""
        if compression:
            expect("permessage-deflate" in ext, f"permessage-deflate not negotiated: {ext!r}")
        else:
            expect(ext == "", f"extension without an offer: {ext!r}")
        for message in ["hello", "h\u00e9llo w\u00f6rld \U0001F600", "", b"\x00\x01\xfe\xff",
                        os.urandom(1 << 20), "x" * 200000]:
            await ws.send(message)
            got = await asyncio.wait_for(ws.recv(), 20)
            expect(type(got) is type(message) and got == message,
                   f"echo of a {type(message).__name__} of {len(message)} differs")
        await ws.send(["frag", "men", "ted"])  # one message in three frames
        expect(await asyncio.wait_for(ws.recv(), 20) == "fragmented", "fragments not joined")
        pong = await ws.ping(b"are you there")
        await asyncio.wait_for(pong, 20)
    expect(ws.close_code == 1000, f"close code {ws.close_code}")

async def chat():
    clients = [await websockets.connect(base + "/ws/chat") for _ in range(3)]
    await asyncio.sleep(0.2)  # all subscribed
    for i, c in enumerate(clients):
        await c.send(f"from {i}")
    for i, c in enumerate(clients):
        got = sorted([await asyncio.wait_for(c.recv(), 20) for _ in clients])
        expect(got == [f"from {k}" for k in range(3)], f"client {i} got {got}")
    for c in clients:
        await c.close()
        expect(c.close_code == 1000, f"close code {c.close_code}")

async def main():
    if what == "echo":
        await echo(compression="deflate")
        await echo(compression=None)
    else:
        await chat()

asyncio.run(main())
EOF

# Starts the server (extra arguments appended); sets server_pid and base.
start_server() {
  local name=$1
  shift
  : >"$work/$name.out"
  : >"$work/$name.err"
  "$bin" serve --frontend "$frontend" --host 127.0.0.1 --port 0 "$@" \
    >"$work/$name.out" 2>"$work/$name.err" &
  server_pid=$!
  local line=
  for _ in $(seq 1 300); do  # up to 30 s: sanitizer builds start slowly
    line=$(grep -m1 '^httpcore serve: http://' "$work/$name.err" || true)
    [ -n "$line" ] && break
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  if [ -z "$line" ]; then
    fail "no start line on stderr; stderr was:"
    cat "$work/$name.err"
    return 1
  fi
  echo "     [$frontend] $line"
  local port
  port=$(sed -n 's|^httpcore serve: http://127\.0\.0\.1:\([0-9]*\)/ (frontend \([a-z_]*\), .*|\1 \2|p' \
    <<<"$line")
  check "start line names the front end and a real port" \
    test "${port#* }" = "$frontend" -a "${port%% *}" -gt 0
  base="http://127.0.0.1:${port%% *}"
}

# Sends SIGTERM and expects exit status 0.
stop_server() {
  kill -TERM "$server_pid"
  local status
  wait "$server_pid"
  status=$?
  server_pid=
  check "SIGTERM stops the server with exit status 0 (got $status)" test "$status" -eq 0
}

for frontend in "${frontends[@]}"; do
  # ------------------------------------------------ the default site --
  start_server default || continue

  "${CURL[@]}" -o "$work/hello.body" -D "$work/hello.head" "$base/hello"
  check "GET /hello is exactly 'Hello, World!'" \
    bash -c 'printf "Hello, World!" | cmp -s - "$1"' _ "$work/hello.body"
  check "GET /hello is text/plain" grep -qi '^Content-Type: text/plain' "$work/hello.head"

  "${CURL[@]}" --data-binary @"$work/random.bin" -H 'Content-Type: application/octet-stream' \
    -o "$work/echo.body" "$base/echo"
  check "POST /echo of 1 MiB comes back identical (sha256)" test \
    "$(sha256sum <"$work/random.bin" | cut -d' ' -f1)" = \
    "$(sha256sum <"$work/echo.body" | cut -d' ' -f1)"

  check "GET /healthz is 'ok'" test "$("${CURL[@]}" "$base/healthz")" = ok
  # The same port speaks HTTP/1.0 and HTTP/2 with prior knowledge (h2c); the
  # access log names each (below).
  check "GET /healthz over HTTP/1.0 is 'ok'" \
    test "$("${CURL[@]}" --http1.0 "$base/healthz")" = ok
  check "GET /hello over h2c (prior knowledge) is 'Hello, World!'" \
    test "$("${CURL[@]}" --http2-prior-knowledge -w ' %{http_version}' "$base/hello")" = \
    'Hello, World! 2'
  check "the default index links to /hello" \
    bash -c '"$@" | grep -q "href=\"/hello\""' _ "${CURL[@]}" "$base/"
  check "a missing static file is 404" \
    test "$("${CURL[@]}" -o /dev/null -w '%{http_code}' "$base/no/such/file.txt")" = 404
  code=$("${CURL[@]}" --path-as-is -o "$work/traversal.body" -w '%{http_code}' \
    "$base/../../../../../../etc/passwd")
  check "'..' traversal gets 400 or 404 (got $code)" \
    bash -c '[ "$1" = 400 ] || [ "$1" = 404 ]' _ "$code"
  check "'..' traversal does not leak /etc/passwd" \
    bash -c '! grep -q "root:" "$1"' _ "$work/traversal.body"
  code=$("${CURL[@]}" --path-as-is -o /dev/null -w '%{http_code}' "$base/%2e%2e/%2e%2e/etc/passwd")
  check "encoded '..' traversal gets 400 or 404 (got $code)" \
    bash -c '[ "$1" = 400 ] || [ "$1" = 404 ]' _ "$code"
  check "POST /hello is 405" \
    test "$("${CURL[@]}" -o /dev/null -w '%{http_code}' -d x "$base/hello")" = 405

  ws_base=ws://${base#http://}
  check "WebSocket /ws/echo: text, binary, 1 MiB, fragmented, ping; with and without deflate" \
    timeout 120 "$PYTHON" "$work/ws_check.py" "$ws_base" echo
  check "WebSocket /ws/chat: every message reaches every client" \
    timeout 60 "$PYTHON" "$work/ws_check.py" "$ws_base" chat
  check "GET /ws/echo without Upgrade is 400" \
    test "$("${CURL[@]}" -o /dev/null -w '%{http_code}' "$base/ws/echo")" = 400
  check "the default index links to the WebSocket page" \
    bash -c '"$@" | grep -q "href=\"/ws.html\""' _ "${CURL[@]}" "$base/"
  check "the WebSocket page uses /ws/echo and /ws/chat" \
    bash -c '"$@" >"$0" && grep -q "/ws/echo" "$0" && grep -q "/ws/chat" "$0"' \
    "$work/ws.html" "${CURL[@]}" "$base/ws.html"

  stop_server

  # The access log: one valid JSON object per line, with every field; then the
  # lines of particular requests, with their values.
  check "access log: valid JSON lines with time, method, target, proto, status, bytes, duration_us, peer" \
    "$PYTHON" "$work/check_log.py" "$work/default.out" fields
  check "access log: POST /echo logged as 200 with 1048576 bytes" \
    "$PYTHON" "$work/check_log.py" "$work/default.out" POST /echo 200 1048576
  check "access log: GET /hello logged as 200 with 13 bytes over HTTP/1.1" \
    "$PYTHON" "$work/check_log.py" "$work/default.out" GET /hello 200 13 http/1.1
  check "access log: GET /hello logged as 200 with 13 bytes over h2" \
    "$PYTHON" "$work/check_log.py" "$work/default.out" GET /hello 200 13 h2
  check "access log: GET /healthz logged as 200 over HTTP/1.0" \
    "$PYTHON" "$work/check_log.py" "$work/default.out" GET /healthz 200 - http/1.0
  check "access log: GET /no/such/file.txt logged as 404" \
    "$PYTHON" "$work/check_log.py" "$work/default.out" GET /no/such/file.txt 404 -

  # ------------------------------------------- a root of our own, --quiet --
  start_server custom --root "$site" --quiet --threads 2 || continue
  check "GET /style.css from --root" test "$("${CURL[@]}" "$base/style.css")" = 'body{}'
  check "a directory without '/' redirects (301)" \
    test "$("${CURL[@]}" -o /dev/null -w '%{http_code}' "$base/docs")" = 301
  check "a directory serves its index.html" test "$("${CURL[@]}" "$base/docs/")" = doc
  check "a symlink out of the root is refused (404)" \
    test "$("${CURL[@]}" -o /dev/null -w '%{http_code}' "$base/escape.txt")" = 404
  lm=$("${CURL[@]}" -I "$base/style.css" | sed -n 's/^Last-Modified: \(.*\)\r$/\1/Ip')
  check "If-Modified-Since: Last-Modified gives 304" \
    test "$("${CURL[@]}" -o /dev/null -w '%{http_code}' -H "If-Modified-Since: $lm" \
      "$base/style.css")" = 304
  check "HEAD has the file's Content-Length" \
    bash -c '"$@" | tr -d "\r" | grep -qi "^Content-Length: 7$"' _ "${CURL[@]}" -I "$base/style.css"
  rm -f "$work/big1" "$work/big2"
  "${CURL[@]}" --max-time 10 --http1.0 -o "$work/big1" "$base/big.bin"
  status=$?  # 28: the body arrived but the connection was never closed
  check "a 3 MB file over HTTP/1.0 arrives whole and the connection closes (curl $status)" \
    bash -c '[ "$1" = 0 ] && cmp -s "$2" "$3"' _ "$status" "$work/big1" "$site/big.bin"
  "${CURL[@]}" --max-time 10 -o "$work/big1" -o "$work/big2" "$base/big.bin" "$base/big.bin"
  status=$?
  check "two 3 MB files on one keep-alive connection (curl $status)" \
    bash -c '[ "$1" = 0 ] && cmp -s "$2" "$4" && cmp -s "$3" "$4"' _ "$status" "$work/big1" \
    "$work/big2" "$site/big.bin"
  stop_server
  check "--quiet writes no access log" test ! -s "$work/custom.out"
done

if [ "$failures" -gt 0 ]; then
  echo "serve_test: $failures check(s) failed"
  exit 1
fi
echo "serve_test: all checks passed for: ${frontends[*]}"
