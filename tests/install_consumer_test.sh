#!/usr/bin/env bash
# Proves the installed CMake package works for a project outside this tree.
#
#   tests/install_consumer_test.sh SOURCE_DIR [TMP_PARENT [BUILD_DIR]]
#
# In a fresh temporary directory (under TMP_PARENT, default $TMPDIR or /tmp),
# removed on exit unless HTTPCORE_KEEP_TMP=1:
#   1. `cmake --install` BUILD_DIR, an unsanitized build of SOURCE_DIR that is
#      already built (ctest passes the release preset's), into tmp/prefix, as a
#      packager would; without BUILD_DIR, first configure SOURCE_DIR (Release,
#      no tests, no benchmarks, with the `httpcore` command) into tmp/build and
#      build it. Then check that the installed `httpcore serve` defaults to the
#      installed site, not the source tree's;
#   2. compile every installed header under prefix/include/httpcore on its own
#      (self-contained, include-guarded), with -Wall -Wextra -Werror;
#   3. copy examples/consumer out of the source tree, configure it with only
#      -DCMAKE_PREFIX_PATH=tmp/prefix, build it, run it and check its output;
#      check that nothing in its build refers back to the source tree;
#   4. check that examples/consumer's consumer_serve (httpcore::frontends from
#      the package) is under 30 lines, start it on a free port, fetch two
#      targets from it over loopback with curl, check the answers, stop it with
#      SIGTERM and check it exits 0;
#   4b. the same with consumer_app (httpcore::app from the package: router,
#      middleware, a deferred answer; under 30 lines and shown verbatim in
#      README.md): a route with a parameter, a 404, an answer given from
#      another thread, X-Request-Id from the middleware;
#   4c. when the package has the redis component (hiredis was found), build
#      examples/canvas (httpcore-canvas: app, frontends, redis) out of the tree
#      against the prefix alone, start it and fetch its 65,536-byte canvas;
#   5. when zlib was found, also run examples/consumer's consumer_ws, which links
#      httpcore::ws_deflate (permessage-deflate and the server's codec factory);
#   6. the C interface: libhttpcore.so has a versioned SONAME and exports only
#      httpcore_* functions; tests/c's C11 programs (pipelined and chunked
#      requests, serializer, targets, WebSocket frames), copied out of the tree,
#      build with `gcc -std=c11 -Wall -Werror $(pkg-config --cflags --libs
#      httpcore)` against the prefix and pass; examples/python/parse_request.py
#      parses with the installed library through ctypes.
# Any failing step fails the test, with a message saying which.
# Honours CXX (compiler), CMAKE_GENERATOR and CMAKE_BUILD_PARALLEL_LEVEL (default 2).
set -euo pipefail

if [ $# -lt 1 ] || [ $# -gt 3 ]; then
  echo "usage: $0 SOURCE_DIR [TMP_PARENT [BUILD_DIR]]" >&2
  exit 2
fi
src=$(cd "$1" && pwd)
parent=${2:-${TMPDIR:-/tmp}}
mkdir -p "$parent"
tmp=$(mktemp -d "$(cd "$parent" && pwd)/httpcore-install.XXXXXX")
cleanup() {
  if [ "${HTTPCORE_KEEP_TMP:-0}" = 1 ]; then
    echo "install_consumer_test: kept $tmp"
  else
    rm -rf "$tmp"
  fi
}
trap cleanup EXIT

step=""
on_error() { echo "install_consumer_test: FAILED at step: $step" >&2; }
trap on_error ERR

export CMAKE_BUILD_PARALLEL_LEVEL=${CMAKE_BUILD_PARALLEL_LEVEL:-2}
cxx=${CXX:-c++}
gen=()
if [ -z "${CMAKE_GENERATOR:-}" ] && command -v ninja >/dev/null; then gen=(-G Ninja); fi
prefix=$tmp/prefix

build=${3:-}
if [ -z "$build" ]; then
  step="configure httpcore"
  echo "== $step"
  cmake -S "$src" -B "$tmp/build" "${gen[@]}" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_CXX_COMPILER="$cxx" -DHTTPCORE_BUILD_TESTS=OFF -DHTTPCORE_BUILD_TOOLS=ON \
    -DHTTPCORE_BUILD_BENCH=OFF -DHTTPCORE_BUILD_EXAMPLES=OFF -DCMAKE_INSTALL_PREFIX="$prefix" >"$tmp/configure.log" 2>&1 || { cat "$tmp/configure.log" >&2; false; }

  step="build httpcore"
  echo "== $step"
  cmake --build "$tmp/build" >"$tmp/build.log" 2>&1 || { cat "$tmp/build.log" >&2; false; }
  build=$tmp/build
fi

step="install httpcore"
echo "== $step"
cmake --install "$build" --prefix "$prefix" >"$tmp/install.log" 2>&1 ||
  { cat "$tmp/install.log" >&2; false; }
test -f "$prefix"/lib*/cmake/httpcore/httpcoreConfig.cmake ||
  { echo "no httpcoreConfig.cmake under $prefix/lib*/cmake/httpcore" >&2; false; }

step="the installed httpcore serve defaults to the installed site"
echo "== $step"
# The help text names the default --root; the source tree is still there, and
# an installed binary must not use it.
help=$("$prefix/bin/httpcore" serve --help 2>&1)
case "$help" in
  *"$src/app"*) echo "the installed httpcore serve refers to the source tree:" >&2
            echo "$help" >&2; false ;;
esac
grep -qF "$prefix/share/httpcore/site" <<<"$help" ||
  { echo "the installed httpcore serve does not default to $prefix/share/httpcore/site:" >&2
    echo "$help" >&2; false; }
test -f "$prefix/share/httpcore/site/index.html"
echo "   default root: $prefix/share/httpcore/site"

step="compile each installed header on its own"
echo "== $step"
headers=()
while IFS= read -r h; do headers+=("${h#"$prefix/include/"}"); done \
  < <(find "$prefix/include/httpcore" -type f \( -name '*.hpp' -o -name '*.h' \) | LC_ALL=C sort)
[ ${#headers[@]} -gt 0 ] || { echo "no headers installed under $prefix/include/httpcore" >&2; false; }
bad=0
for h in "${headers[@]}"; do
  # Included twice: the second inclusion must be a no-op (include guard).
  if ! printf '#include <%s>\n#include <%s>\n' "$h" "$h" |
      "$cxx" -std=c++20 -fsyntax-only -Wall -Wextra -Werror -I "$prefix/include" -x c++ - \
      2>"$tmp/header.log"; then
    echo "not self-contained: <$h>" >&2
    cat "$tmp/header.log" >&2
    bad=1
  fi
done
[ $bad = 0 ]
echo "   ${#headers[@]} headers compile on their own"

step="configure the consumer against the installed package"
echo "== $step"
cp -R "$src/examples/consumer" "$tmp/consumer-src"
cmake -S "$tmp/consumer-src" -B "$tmp/consumer-build" "${gen[@]}" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF -DCMAKE_FIND_USE_SYSTEM_PACKAGE_REGISTRY=OFF \
  >"$tmp/consumer-configure.log" 2>&1 || { cat "$tmp/consumer-configure.log" >&2; false; }
found=$(sed -n 's/^httpcore_DIR:PATH=//p' "$tmp/consumer-build/CMakeCache.txt")
case "$found" in
  "$prefix"/*) echo "   found httpcore in ${found#"$tmp/"}" ;;
  *) echo "find_package(httpcore) found '$found', not the fresh install in $prefix" >&2; false ;;
esac

step="build the consumer"
echo "== $step"
cmake --build "$tmp/consumer-build" >"$tmp/consumer-build.log" 2>&1 ||
  { cat "$tmp/consumer-build.log" >&2; false; }
if grep -rlF -e "$src/libhttpcore" -e "$src/examples" "$tmp/consumer-build" >"$tmp/leaks" 2>/dev/null; then
  echo "the consumer's build refers to the source tree:" >&2
  cat "$tmp/leaks" >&2
  false
fi

step="run the consumer"
echo "== $step"
out=$("$tmp/consumer-build/consumer")
expected="method=GET target=/hello?name=world"
echo "   consumer printed: $out"
[ "$out" = "$expected" ] || { echo "expected: $expected" >&2; false; }

step="serve requests with the consumer (httpcore::frontends)"
echo "== $step"
# Issue 15's promise: a server on the installed package in under 30 lines.
lines=$(wc -l <"$tmp/consumer-src/serve_main.cpp")
[ "$lines" -lt 30 ] || { echo "consumer_serve takes $lines lines; the promise is under 30" >&2; false; }
echo "   serve_main.cpp: $lines lines"
"$tmp/consumer-build/consumer_serve" >"$tmp/serve.out" 2>"$tmp/serve.err" &
serve_pid=$!
port=""
for _ in $(seq 100); do
  port=$(sed -n 's/^listening on port \([0-9][0-9]*\)$/\1/p' "$tmp/serve.out")
  [ -n "$port" ] && break
  kill -0 "$serve_pid" 2>/dev/null || break
  sleep 0.1
done
[ -n "$port" ] || { echo "consumer_serve did not report a port:" >&2; cat "$tmp/serve.err" >&2;
                    kill "$serve_pid" 2>/dev/null || true; false; }
for target in /first "/second?x=1"; do
  got=$(curl -sS --max-time 5 "http://127.0.0.1:$port$target") ||
    { kill "$serve_pid"; false; }
  echo "   GET $target -> $got"
  [ "$got" = "hello from $target" ] || { echo "expected: hello from $target" >&2; kill "$serve_pid"; false; }
done
kill -TERM "$serve_pid"
rc=0; wait "$serve_pid" || rc=$?
[ "$rc" = 0 ] || { echo "consumer_serve exited $rc after SIGTERM" >&2; cat "$tmp/serve.err" >&2; false; }

step="serve routes with consumer_app (httpcore::app)"
echo "== $step"
# Issue 13's promise: the README shows a complete server on the app layer in
# under 30 lines, and it is this one, verbatim.
lines=$(wc -l <"$tmp/consumer-src/app_main.cpp")
[ "$lines" -lt 30 ] || { echo "consumer_app takes $lines lines; the promise is under 30" >&2; false; }
/usr/bin/python3 -c 'import sys; sys.exit(open(sys.argv[2]).read() not in open(sys.argv[1]).read())' \
  "$src/README.md" "$tmp/consumer-src/app_main.cpp" ||
  { echo "README.md does not show examples/consumer/app_main.cpp as it is" >&2; false; }
echo "   app_main.cpp: $lines lines, shown whole in README.md"
"$tmp/consumer-build/consumer_app" >"$tmp/app.out" 2>"$tmp/app.err" &
app_pid=$!
port=""
for _ in $(seq 100); do
  port=$(sed -n 's/^listening on port \([0-9][0-9]*\)$/\1/p' "$tmp/app.out")
  [ -n "$port" ] && break
  kill -0 "$app_pid" 2>/dev/null || break
  sleep 0.1
done
[ -n "$port" ] || { echo "consumer_app did not report a port:" >&2; cat "$tmp/app.err" >&2;
                    kill "$app_pid" 2>/dev/null || true; false; }
got=$(curl -sS --max-time 5 "http://127.0.0.1:$port/users/a%20b") || { kill "$app_pid"; false; }
[ "$got" = "user a b" ] || { echo "GET /users/a%20b -> '$got', expected 'user a b'" >&2; kill "$app_pid"; false; }
got=$(curl -sS --max-time 5 "http://127.0.0.1:$port/later") || { kill "$app_pid"; false; }
[ "$got" = "later" ] || { echo "GET /later -> '$got'" >&2; kill "$app_pid"; false; }
code=$(curl -sS --max-time 5 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/nothing")
[ "$code" = 404 ] || { echo "GET /nothing -> $code, expected 404" >&2; kill "$app_pid"; false; }
curl -sS --max-time 5 -D - -o /dev/null "http://127.0.0.1:$port/users/1" | grep -qi '^x-request-id: [0-9a-f]\{32\}' ||
  { echo "no X-Request-Id from the request_id middleware" >&2; kill "$app_pid"; false; }
echo "   /users/a%20b, /later (deferred), 404 and X-Request-Id as expected"
kill -TERM "$app_pid"
rc=0; wait "$app_pid" || rc=$?
[ "$rc" = 0 ] || { echo "consumer_app exited $rc after SIGTERM" >&2; cat "$tmp/app.err" >&2; false; }

if [ -f "$prefix"/lib*/cmake/httpcore/httpcore-redisTargets.cmake ]; then
  step="build examples/canvas against the installed package (app, frontends, redis)"
  echo "== $step"
  cp -R "$src/examples/canvas" "$tmp/canvas-src"
  cmake -S "$tmp/canvas-src" -B "$tmp/canvas-build" "${gen[@]}" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_PREFIX_PATH="$prefix" \
    -DCMAKE_CXX_FLAGS="-Wall -Wextra -Werror" \
    -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF -DCMAKE_FIND_USE_SYSTEM_PACKAGE_REGISTRY=OFF \
    >"$tmp/canvas-configure.log" 2>&1 || { cat "$tmp/canvas-configure.log" >&2; false; }
  cmake --build "$tmp/canvas-build" >"$tmp/canvas-build.log" 2>&1 ||
    { cat "$tmp/canvas-build.log" >&2; false; }
  if grep -rlF -e "$src/libhttpcore" -e "$src/app" -e "$src/redis" -e "$src/frontends" \
      "$tmp/canvas-build" >"$tmp/leaks" 2>/dev/null; then
    echo "the canvas's build refers to the source tree:" >&2
    cat "$tmp/leaks" >&2
    false
  fi
  "$tmp/canvas-build/httpcore-canvas" --port 0 --threads 1 >"$tmp/canvas.out" 2>"$tmp/canvas.err" &
  canvas_pid=$!
  port=""
  for _ in $(seq 100); do
    port=$(sed -n 's|^httpcore-canvas: http://127.0.0.1:\([0-9][0-9]*\)/$|\1|p' "$tmp/canvas.out")
    [ -n "$port" ] && break
    kill -0 "$canvas_pid" 2>/dev/null || break
    sleep 0.1
  done
  [ -n "$port" ] || { echo "httpcore-canvas did not print its URL:" >&2; cat "$tmp/canvas.err" >&2;
                      kill "$canvas_pid" 2>/dev/null || true; false; }
  size=$(curl -sS --max-time 5 "http://127.0.0.1:$port/api/canvas" | wc -c) ||
    { kill "$canvas_pid"; false; }
  [ "$size" = 65536 ] || { echo "GET /api/canvas: $size bytes, expected 65536" >&2; kill "$canvas_pid"; false; }
  kill -TERM "$canvas_pid"
  rc=0; wait "$canvas_pid" || rc=$?
  [ "$rc" = 0 ] || { echo "httpcore-canvas exited $rc after SIGTERM" >&2; cat "$tmp/canvas.err" >&2; false; }
  echo "   httpcore-canvas built from the package alone; GET /api/canvas: 65536 bytes"
fi

if [ -x "$tmp/consumer-build/consumer_ws" ]; then
  step="run the WebSocket consumer (httpcore::ws_deflate)"
  echo "== $step"
  out=$("$tmp/consumer-build/consumer_ws")
  expected="accept=s3pPLMBiTxaQ9kYGzzhZRbK+xOo= deflate=Hello codec=Hello, codec"
  echo "   consumer_ws printed: $out"
  [ "$out" = "$expected" ] || { echo "expected: $expected" >&2; false; }
elif grep -q '^ZLIB_LIBRARY' "$tmp/build/CMakeCache.txt" 2>/dev/null &&
    ! grep -q '^ZLIB_LIBRARY.*NOTFOUND' "$tmp/build/CMakeCache.txt"; then
  echo "zlib was found but the installed package has no httpcore::ws_deflate" >&2
  false
fi

step="the C interface's shared library"
echo "== $step"
so=$(find "$prefix" -name 'libhttpcore.so.*.*' | head -1)
[ -n "$so" ] || { echo "no libhttpcore.so.X.Y under $prefix" >&2; false; }
soname=$(objdump -p "$so" | sed -n 's/^ *SONAME *//p')
echo "   $(basename "$so"): SONAME $soname"
[ "$soname" = libhttpcore.so.0 ] || { echo "expected SONAME libhttpcore.so.0" >&2; false; }
# Defined dynamic symbols, other than the version node itself.
others=$(nm -D --defined-only "$so" | awk '$2 != "A" && $3 !~ /^httpcore_/ {print $3}')
[ -z "$others" ] || { echo "libhttpcore.so exports more than httpcore_*:" >&2; echo "$others" | head >&2; false; }
echo "   exports $(nm -D --defined-only "$so" | grep -c ' T httpcore_') httpcore_* functions and nothing else"

step="C11 programs built with pkg-config from the prefix"
echo "== $step"
cc=${CC:-gcc}
export PKG_CONFIG_PATH="$(dirname "$(find "$prefix" -name httpcore.pc | head -1)")"
[ -f "$PKG_CONFIG_PATH/httpcore.pc" ] || { echo "no httpcore.pc under $prefix" >&2; false; }
flags=$(pkg-config --cflags --libs httpcore)
echo "   pkg-config --cflags --libs httpcore: ${flags//$prefix/<prefix>}"
cp -R "$src/tests/c" "$tmp/c-src"
for t in h1_parser_c_test api_c_test; do
  # shellcheck disable=SC2086  # the flags are words
  "$cc" -std=c11 -Wall -Wextra -Werror -pedantic "$tmp/c-src/$t.c" -o "$tmp/$t" $flags \
    -Wl,-rpath,"$(pkg-config --variable=libdir httpcore)"
  "$tmp/$t"
done

step="Python ctypes against the installed library"
echo "== $step"
cp "$src/examples/python/parse_request.py" "$tmp/parse_request.py"
/usr/bin/python3 "$tmp/parse_request.py" --library "$so" | sed 's/^/   /'

step=""
echo "install_consumer_test: OK"
