#!/usr/bin/env bash
# End-to-end tests of `httpcore parse`: real bytes piped in (printf), exact
# JSON lines and exit statuses out. Every stdout line must also be valid JSON
# and the whole output valid UTF-8, which python3 checks.
#
#   tests/parse_command_test.sh PATH/TO/httpcore
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: $0 PATH/TO/httpcore" >&2
  exit 2
fi
bin=$1
py=/usr/bin/python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
checks=0

fail() {
  echo "FAIL: $1" >&2
  failures=$((failures + 1))
}

# Every line of FILE is a JSON object with an "event" member; FILE is UTF-8.
valid_json_lines() {
  "$py" -c '
import json, sys
text = open(sys.argv[1], "rb").read().decode("utf-8")  # strict: raises on bad UTF-8
lines = text.split("\n")
assert lines[-1] == "", "output does not end with a newline"
for line in lines[:-1]:
    assert isinstance(json.loads(line)["event"], str), line
' "$1"
}

# check NAME WANT_STATUS WANT_STDOUT INPUT [ARGS...]
# INPUT is a printf format (\r, \n, \xHH; write % as %%). WANT_STDOUT holds
# the expected lines, or is empty for no output at all.
check() {
  local name=$1 want_rc=$2 want_out=$3 input=$4 rc=0
  shift 4
  checks=$((checks + 1))
  # shellcheck disable=SC2059  # the input is a printf format on purpose
  printf "$input" | "$bin" parse "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
  if [ -n "$want_out" ]; then printf '%s\n' "$want_out" >"$tmp/want"; else : >"$tmp/want"; fi
  if [ "$rc" != "$want_rc" ]; then
    fail "$name: exit status $rc, expected $want_rc"
    cat "$tmp/err" >&2
  fi
  if ! diff -u "$tmp/want" "$tmp/out" >"$tmp/diff"; then
    fail "$name: stdout differs"
    cat "$tmp/diff" >&2
  fi
  if ! valid_json_lines "$tmp/out" 2>"$tmp/pyerr"; then
    fail "$name: stdout is not one JSON object per line"
    cat "$tmp/pyerr" >&2
  fi
}

# Output with consecutive body events joined: how a body is cut into pieces
# depends on how the input was split, nothing else may.
normalised() {
  "$py" -c '
import json, sys
out = []
for line in open(sys.argv[1], encoding="utf-8", newline="\n"):
    o = json.loads(line)
    if o["event"] == "body" and out and out[-1]["event"] == "body":
        out[-1]["bytes"] += o["bytes"]
    else:
        out.append(o)
for o in out:
    print(json.dumps(o))
' "$1"
}

# check_splits NAME INPUT [ARGS...]: --split N for several N gives the same
# events (bodies joined) and exit status as feeding the input whole.
check_splits() {
  local name=$1 input=$2 rc=0 n
  shift 2
  # shellcheck disable=SC2059
  printf "$input" >"$tmp/in"
  "$bin" parse "$@" "$tmp/in" >"$tmp/whole" || rc=$?
  normalised "$tmp/whole" >"$tmp/whole.norm" || fail "$name: invalid output"
  for n in 1 2 3 5 7 11 64; do
    checks=$((checks + 1))
    local rc_n=0
    "$bin" parse --split "$n" "$@" "$tmp/in" >"$tmp/split" || rc_n=$?
    normalised "$tmp/split" >"$tmp/split.norm" || fail "$name: --split $n: invalid output"
    if [ "$rc_n" != "$rc" ] || ! diff -u "$tmp/whole.norm" "$tmp/split.norm" >"$tmp/diff"; then
      fail "$name: --split $n differs from whole input (status $rc_n vs $rc)"
      cat "$tmp/diff" >&2
    fi
  done
}

# check_usage NAME STDERR_NEEDLE ARGS...: exit 2, nothing on stdout, a usage
# message on stderr that contains the needle.
check_usage() {
  local name=$1 needle=$2 rc=0
  shift 2
  checks=$((checks + 1))
  "$bin" "$@" </dev/null >"$tmp/out" 2>"$tmp/err" || rc=$?
  [ "$rc" = 2 ] || fail "$name: exit status $rc, expected 2"
  [ ! -s "$tmp/out" ] || fail "$name: unexpected stdout: $(cat "$tmp/out")"
  grep -q 'usage:' "$tmp/err" || fail "$name: no usage message on stderr"
  grep -qF -- "$needle" "$tmp/err" || fail "$name: stderr lacks '$needle': $(cat "$tmp/err")"
}

# --- requests -----------------------------------------------------------------
check "GET with headers" 0 \
'{"event":"request_head","method":"GET","target":"/a?b=c","version":"1.1","headers":[["Host","example.com"],["Accept","*/*"],["X-Empty",""]],"keep_alive":true,"expect_continue":false,"upgrade":false,"framing":"none"}
{"event":"message_end","trailers":[]}' \
  'GET /a?b=c HTTP/1.1\r\nHost: example.com\r\nAccept:  */* \r\nX-Empty:\r\n\r\n'

check "POST with Content-Length" 0 \
'{"event":"request_head","method":"POST","target":"/form","version":"1.1","headers":[["Host","x"],["Content-Length","11"],["Expect","100-continue"]],"keep_alive":true,"expect_continue":true,"upgrade":false,"framing":"content_length","content_length":11}
{"event":"body","bytes":"hello world"}
{"event":"message_end","trailers":[]}' \
  'POST /form HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\nExpect: 100-continue\r\n\r\nhello world'

chunked='POST /up HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5;name=val\r\nhello\r\n6\r\n world\r\n0\r\nX-Checksum: abc\r\nX-Other: 1\r\n\r\n'
check "chunked with trailers" 0 \
'{"event":"request_head","method":"POST","target":"/up","version":"1.1","headers":[["Host","x"],["Transfer-Encoding","chunked"]],"keep_alive":true,"expect_continue":false,"upgrade":false,"framing":"chunked"}
{"event":"body","bytes":"hello"}
{"event":"body","bytes":" world"}
{"event":"message_end","trailers":[["X-Checksum","abc"],["X-Other","1"]]}' \
  "$chunked"
# Byte by byte: the same head and end; the body may come in more pieces.
checks=$((checks + 1))
# shellcheck disable=SC2059
printf "$chunked" | "$bin" parse --split 1 >"$tmp/split1" || fail "chunked --split 1: exit status $?"
grep -v '"event":"body"' "$tmp/split1" >"$tmp/split1.heads" || true
printf '%s\n' \
  '{"event":"request_head","method":"POST","target":"/up","version":"1.1","headers":[["Host","x"],["Transfer-Encoding","chunked"]],"keep_alive":true,"expect_continue":false,"upgrade":false,"framing":"chunked"}' \
  '{"event":"message_end","trailers":[["X-Checksum","abc"],["X-Other","1"]]}' >"$tmp/want"
diff -u "$tmp/want" "$tmp/split1.heads" >&2 || fail "chunked --split 1: heads/ends differ"
body=$("$py" -c 'import json,sys; print("".join(json.loads(l)["bytes"] for l in open(sys.argv[1]) if "\"body\"" in l))' "$tmp/split1" || true)
[ "$body" = "hello world" ] || fail "chunked --split 1: body is '$body'"
valid_json_lines "$tmp/split1" || fail "chunked --split 1: invalid JSON"

check "pipelined requests" 0 \
'{"event":"request_head","method":"GET","target":"/1","version":"1.1","headers":[["Host","a"]],"keep_alive":true,"expect_continue":false,"upgrade":false,"framing":"none"}
{"event":"message_end","trailers":[]}
{"event":"request_head","method":"DELETE","target":"/2","version":"1.0","headers":[["Connection","keep-alive"]],"keep_alive":true,"expect_continue":false,"upgrade":false,"framing":"none"}
{"event":"message_end","trailers":[]}' \
  '\r\nGET /1 HTTP/1.1\r\nHost: a\r\n\r\nDELETE /2 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n'

check "empty input" 0 '' ''

# Raw bytes become JSON escapes; well-formed UTF-8 is kept as it is.
check "binary body" 0 \
'{"event":"request_head","method":"PUT","target":"/b","version":"1.1","headers":[["Host","x"],["Content-Length","8"]],"keep_alive":true,"expect_continue":false,"upgrade":false,"framing":"content_length","content_length":8}
{"event":"body","bytes":"\u0000\u00ff\"\\\t\u007fé"}
{"event":"message_end","trailers":[]}' \
  'PUT /b HTTP/1.1\r\nHost: x\r\nContent-Length: 8\r\n\r\n\x00\xff"\\\t\x7f\xc3\xa9'

# C1 controls and U+2028 are escaped even when well-formed, so that no line
# reader splits an event; obs-text in a field value is escaped byte by byte.
check "separators and obs-text" 0 \
'{"event":"request_head","method":"PUT","target":"/s","version":"1.1","headers":[["Host","x"],["X-Latin","caf\u00e9"],["Content-Length","5"]],"keep_alive":true,"expect_continue":false,"upgrade":false,"framing":"content_length","content_length":5}
{"event":"body","bytes":"\u0085\u2028"}
{"event":"message_end","trailers":[]}' \
  'PUT /s HTTP/1.1\r\nHost: x\r\nX-Latin: caf\xe9\r\nContent-Length: 5\r\n\r\n\xc2\x85\xe2\x80\xa8'

# --- protocol errors: the error line, exit 1 ----------------------------------
check "Content-Length list" 1 \
  '{"event":"error","name":"invalid_content_length","offset":34,"status":400}' \
  'POST / HTTP/1.1\r\nContent-Length: 1, 1\r\n\r\nx'
check "bare LF" 1 '{"event":"error","name":"lf_without_cr","offset":14,"status":400}' \
  'GET / HTTP/1.1\nHost: x\n\n'
check "invalid chunk size" 1 \
'{"event":"request_head","method":"POST","target":"/","version":"1.1","headers":[["Host","x"],["Transfer-Encoding","chunked"]],"keep_alive":true,"expect_continue":false,"upgrade":false,"framing":"chunked"}
{"event":"error","name":"invalid_chunk_size","offset":56,"status":400}' \
  'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'
check "head cut short" 1 '{"event":"error","name":"incomplete_message","offset":25,"status":400}' \
  'GET / HTTP/1.1\r\nHost: x\r\n'
check "body cut short" 1 \
'{"event":"request_head","method":"POST","target":"/","version":"1.1","headers":[["Host","x"],["Content-Length","5"]],"keep_alive":true,"expect_continue":false,"upgrade":false,"framing":"content_length","content_length":5}
{"event":"body","bytes":"hel"}
{"event":"error","name":"incomplete_message","offset":50,"status":400}' \
  'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhel'
check "data after close" 1 \
'{"event":"request_head","method":"GET","target":"/","version":"1.0","headers":[],"keep_alive":false,"expect_continue":false,"upgrade":false,"framing":"none"}
{"event":"message_end","trailers":[]}
{"event":"error","name":"data_after_close","offset":18,"status":400}' \
  'GET / HTTP/1.0\r\n\r\nGET / HTTP/1.0\r\n\r\n'
check "unsupported version" 1 '{"event":"error","name":"unsupported_version","offset":6,"status":505}' \
  'GET / HTTP/2.0\r\n\r\n'

# --- lenient flags ------------------------------------------------------------
bare_lf_ok='{"event":"request_head","method":"GET","target":"/","version":"1.1","headers":[["Host","x"]],"keep_alive":true,"expect_continue":false,"upgrade":false,"framing":"none"}
{"event":"message_end","trailers":[]}'
check "missing host" 1 '{"event":"error","name":"missing_host","offset":0,"status":400}' \
  'GET / HTTP/1.1\r\n\r\n'
check "lenient host" 0 \
'{"event":"request_head","method":"GET","target":"/","version":"1.1","headers":[],"keep_alive":true,"expect_continue":false,"upgrade":false,"framing":"none"}
{"event":"message_end","trailers":[]}' \
  'GET / HTTP/1.1\r\n\r\n' --lenient host
check "lenient bare LF" 0 "$bare_lf_ok" 'GET / HTTP/1.1\nHost: x\n\n' \
  --lenient optional_cr_before_lf
check "lenient list, = form" 0 "$bare_lf_ok" 'GET / HTTP/1.1\nHost: x\n\n' \
  --lenient=headers,optional_cr_before_lf
check "lenient repeated" 0 "$bare_lf_ok" 'GET / HTTP/1.1\nHost: x\n\n' \
  --lenient headers --lenient optional_cr_before_lf

# --- responses ----------------------------------------------------------------
check "response with body" 0 \
'{"event":"response_head","status":200,"reason":"OK","version":"1.1","headers":[["Content-Type","text/plain"],["Content-Length","2"]],"keep_alive":true,"framing":"content_length","content_length":2}
{"event":"body","bytes":"hi"}
{"event":"message_end","trailers":[]}' \
  'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nhi' --response
check "interim then close-delimited" 0 \
'{"event":"response_head","status":100,"reason":"Continue","version":"1.1","headers":[],"keep_alive":true,"framing":"none"}
{"event":"message_end","trailers":[]}
{"event":"response_head","status":200,"reason":"OK","version":"1.1","headers":[],"keep_alive":false,"framing":"until_close"}
{"event":"body","bytes":"to the end"}
{"event":"message_end","trailers":[]}' \
  'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n\r\nto the end' --response
check "responses to HEAD" 0 \
'{"event":"response_head","status":200,"reason":"OK","version":"1.1","headers":[["Content-Length","10"]],"keep_alive":true,"framing":"none"}
{"event":"message_end","trailers":[]}
{"event":"response_head","status":404,"reason":"Not Found","version":"1.1","headers":[["Content-Length","3"]],"keep_alive":true,"framing":"none"}
{"event":"message_end","trailers":[]}' \
  'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nHTTP/1.1 404 Not Found\r\nContent-Length: 3\r\n\r\n' \
  --response --request-method HEAD

# --- upgrades: the rest of the input belongs to another protocol --------------
check "websocket upgrade" 0 \
'{"event":"request_head","method":"GET","target":"/chat","version":"1.1","headers":[["Host","x"],["Upgrade","websocket"],["Connection","keep-alive, Upgrade"]],"keep_alive":true,"expect_continue":false,"upgrade":true,"framing":"none"}
{"event":"message_end","trailers":[]}
{"event":"upgraded","kind":"upgrade","remaining":6}' \
  'GET /chat HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: keep-alive, Upgrade\r\n\r\n\x81\x04ping'
check "CONNECT" 0 \
'{"event":"request_head","method":"CONNECT","target":"example.com:443","version":"1.1","headers":[["Host","example.com:443"]],"keep_alive":true,"expect_continue":false,"upgrade":true,"framing":"none"}
{"event":"message_end","trailers":[]}
{"event":"upgraded","kind":"connect","remaining":5}' \
  'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n\x16\x03\x01\x00\x05'
check "h2 preface" 0 '{"event":"upgraded","kind":"h2_preface","remaining":33}' \
  'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x00\x04\x00\x00\x00\x00\x00'
check "101 response" 0 \
'{"event":"response_head","status":101,"reason":"Switching Protocols","version":"1.1","headers":[["Upgrade","websocket"],["Connection","Upgrade"]],"keep_alive":true,"framing":"none"}
{"event":"message_end","trailers":[]}
{"event":"upgraded","kind":"upgrade","remaining":2}' \
  'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n\x81\x00' \
  --response
check "2xx to CONNECT" 0 \
'{"event":"response_head","status":200,"reason":"Connection established","version":"1.1","headers":[],"keep_alive":true,"framing":"none"}
{"event":"message_end","trailers":[]}
{"event":"upgraded","kind":"connect","remaining":3}' \
  'HTTP/1.1 200 Connection established\r\n\r\n\x16\x03\x01' --response --request-method CONNECT

# --- splitting the input changes nothing but body pieces ----------------------
check_splits "chunked pipelined" "${chunked}GET /next HTTP/1.1\r\n\r\n"
check_splits "upgrade with body" \
  'POST /u HTTP/1.1\r\nUpgrade: x\r\nConnection: upgrade\r\nContent-Length: 3\r\n\r\nabcREST'
check_splits "error offset" 'GET / HTTP/1.1\r\n\r\nPOST / HTTP/1.1\r\nContent-Length: 1, 1\r\n\r\n'
check_splits "responses" \
  'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabcHTTP/1.1 200 OK\r\n\r\nrest' \
  --response

# --- inputs from files --------------------------------------------------------
printf 'GET /f HTTP/1.1\r\nHost: x\r\n\r\n' >"$tmp/req.http"
for form in "$tmp/req.http" "-- $tmp/req.http"; do
  checks=$((checks + 1))
  # shellcheck disable=SC2086  # "-- FILE" is meant to split
  out=$("$bin" parse $form </dev/null) || fail "file argument '$form': exit status $?"
  [ "$out" = '{"event":"request_head","method":"GET","target":"/f","version":"1.1","headers":[["Host","x"]],"keep_alive":true,"expect_continue":false,"upgrade":false,"framing":"none"}
{"event":"message_end","trailers":[]}' ] || fail "file argument '$form': got $out"
done
checks=$((checks + 1))
out=$("$bin" parse - <"$tmp/req.http") || fail "'-' reads stdin: exit status $?"
[ "$(echo "$out" | wc -l)" = 2 ] || fail "'-' reads stdin: got $out"

# --- usage --------------------------------------------------------------------
check_usage "unknown option" "unknown option '--max-header-bytes'" parse --max-header-bytes 10
check_usage "unknown lenient flag" "optional_cr_before_lf" parse --lenient nope
check_usage "empty lenient flag" "unknown lenient flag ''" parse --lenient headers,
check_usage "split 0" "--split" parse --split 0
check_usage "split not a number" "--split" parse --split 12x
check_usage "split missing" "needs a value" parse --split
check_usage "missing file" "$tmp/absent" parse "$tmp/absent"
check_usage "directory" "cannot read" parse "$tmp"
check_usage "two inputs" "more than one input" parse a b
check_usage "request method without --response" "--response" parse --request-method HEAD
check_usage "unknown request method" "unknown method" parse --response --request-method head
check_usage "no command" "usage:"
check_usage "unknown command" "unknown command 'frob'" frob
check_usage "help for unknown command" "unknown command 'frob'" help frob

for args in "--help" "help" "-h" "help parse" "parse --help" "parse -h" "parse --split 0 --help"; do
  checks=$((checks + 1))
  rc=0
  # shellcheck disable=SC2086
  "$bin" $args </dev/null >"$tmp/out" 2>"$tmp/err" || rc=$?
  [ "$rc" = 0 ] || fail "'$args': exit status $rc"
  grep -q '^usage: httpcore' "$tmp/out" || fail "'$args': no usage on stdout"
  [ ! -s "$tmp/err" ] || fail "'$args': unexpected stderr: $(cat "$tmp/err")"
done
grep -q 'spaces_after_chunk_size' <("$bin" parse --help) || fail "parse --help lacks flag names"

if [ "$failures" -ne 0 ]; then
  echo "parse_command_test: $failures failures in $checks checks" >&2
  exit 1
fi
echo "parse_command_test: all $checks checks passed"
