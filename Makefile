# httpcore: the commands a developer and CI run. Every user-facing target first
# runs scripts/bootstrap (installs the Debian dependencies; quick when they are
# all present). Builds go through the CMake presets (CMakePresets.json), into
# build/<preset>.
#
#   make run            build the release preset and start `httpcore serve`
#   make run-tls        the same, plus https/wss on 8443 (self-signed, build/tls/)
#   make run-canvas     build and start httpcore-canvas (examples/canvas), print its URL
#   make run-canvas-cluster  redis-server on a free port + two canvas instances on it
#   make test           format-check, debug (ASan+UBSan) tests, release tests, hooks
#   make robustness     the hostile/slow-client tests alone (a `make test` hook)
#   make soak           10 minutes of hostile load while wrk measures /hello
#   make browser-test   headless Chromium over https and wss (installs chromium)
#   make format         clang-format -i over our C++ sources
#   make format-check   fail if any C++ source is not clang-formatted
#   make clean          remove build/
#   make bench          benchmarks vs peers (docs/performance.md); fuzz, conformance: below

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
# Steps run in order; parallelism happens inside cmake and ctest.
.NOTPARALLEL:

# Parallelism: the build machines have 2 cores.
CMAKE_BUILD_PARALLEL_LEVEL ?= 2
CTEST_PARALLEL_LEVEL ?= 2
export CMAKE_BUILD_PARALLEL_LEVEL

# `make test BOOTSTRAP=:` skips the dependency check.
BOOTSTRAP ?= scripts/bootstrap
CLANG_FORMAT ?= clang-format

# make run
HOST ?= 127.0.0.1
PORT ?= 8080
HTTPCORE_BIN := build/release/bin/httpcore

# Make targets that `make test` runs, in this order, after the unit tests of
# both presets: the robustness tests, llhttp's suite (both engines), the
# WebSocket harness against every front end, and 15-second fuzz runs.
TEST_HOOKS := robustness conformance ws-conformance fuzz-smoke

# clang-format applies to our C++ sources in these directories only.
FORMAT_DIRS := libhttpcore tools tests examples app frontends redis fuzz conformance
FORMAT_FILES = $(shell find $(FORMAT_DIRS) -type f \
  \( -name '*.cpp' -o -name '*.hpp' -o -name '*.cc' -o -name '*.h' -o -name '*.ipp' \) \
  -not -path '*/build/*' 2>/dev/null | LC_ALL=C sort)

.PHONY: help bootstrap run run-tls test format format-check fuzz fuzz-smoke bench conformance \
        ws-conformance robustness soak clean fuzz-report fuzz-seeds browser-test \
        build-release build-debug test-release test-debug run-canvas run-canvas-cluster

help:
	@sed -n '1,15s/^# \{0,1\}//p' $(firstword $(MAKEFILE_LIST))

bootstrap:
	$(BOOTSTRAP)

# ---------------------------------------------------------------- builds ----
build-release:
	cmake --preset release
	cmake --build --preset release -j $(CMAKE_BUILD_PARALLEL_LEVEL)

build-debug:
	cmake --preset debug
	cmake --build --preset debug -j $(CMAKE_BUILD_PARALLEL_LEVEL)

# The robustness tests are left to their own hook (below).
test-debug: build-debug
	ctest --preset debug -j $(CTEST_PARALLEL_LEVEL) --output-on-failure -LE robustness

# The release run also holds the install-consumer test (tests/install.cmake).
test-release: build-release
	ctest --preset release -j $(CTEST_PARALLEL_LEVEL) --output-on-failure -LE robustness

# ------------------------------------------------------------------- run ----
run: bootstrap build-release
	@echo "httpcore: serving on http://$(HOST):$(PORT)/ (Ctrl-C stops; 'make run-tls' adds https)"
	exec $(HTTPCORE_BIN) serve --host $(HOST) --port $(PORT)

# make run-tls: the same, plus https and wss on TLS_PORT with a self-signed
# certificate for localhost made once under build/tls/ (trust it with
# curl --cacert build/tls/localhost.pem). SIGHUP reloads the files.
TLS_PORT ?= 8443
TLS_DIR := build/tls
$(TLS_DIR)/localhost.pem:
	@mkdir -p $(TLS_DIR)
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 365 \
	  -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1 \
	  -keyout $(TLS_DIR)/localhost.key -out $(TLS_DIR)/localhost.pem 2>/dev/null

run-tls: bootstrap build-release $(TLS_DIR)/localhost.pem
	@echo "httpcore: serving on http://$(HOST):$(PORT)/ and https://localhost:$(TLS_PORT)/"
	@echo "  try: curl --cacert $(TLS_DIR)/localhost.pem https://localhost:$(TLS_PORT)/hello"
	exec $(HTTPCORE_BIN) serve --host $(HOST) --port $(PORT) --tls-port $(TLS_PORT) \
	  --tls-cert $(TLS_DIR)/localhost.pem --tls-key $(TLS_DIR)/localhost.key

# make run-canvas: the pixel canvas (examples/canvas/README.md) on one
# instance, no Redis needed; the canvas is kept in build/canvas.bin across runs.
CANVAS_PORT ?= 8080
CANVAS_BIN := build/release/bin/httpcore-canvas
run-canvas: bootstrap
	cmake --preset release
	cmake --build --preset release --target httpcore-canvas
	@echo "httpcore-canvas: open http://$(HOST):$(CANVAS_PORT)/ in two tabs (Ctrl-C stops)"
	exec $(CANVAS_BIN) --host $(HOST) --port $(CANVAS_PORT) --data build/canvas.bin

# make run-canvas-cluster: Debian's redis-server on a free port (files in
# build/canvas-cluster/) and two instances sharing the canvas through it, on
# CANVAS_PORT+1 and CANVAS_PORT+2; Ctrl-C stops all three.
run-canvas-cluster: bootstrap
	cmake --preset release
	cmake --build --preset release --target httpcore-canvas
	exec examples/canvas/run_cluster.sh $(CANVAS_BIN) $(HOST) $$(( $(CANVAS_PORT) + 1 )) \
	  $$(( $(CANVAS_PORT) + 2 )) build/canvas-cluster

# ------------------------------------------------------------------ test ----
test: bootstrap format-check test-debug test-release
	@for t in $(TEST_HOOKS); do $(MAKE) --no-print-directory $$t; done
	@echo "make test: all passed"

# ------------------------------------------------------------ robustness ----
# make robustness (a `make test` hook): every ctest entry labelled `robustness`
# (hostile and slow clients, issue 16: starvation, lost responses, minimum data
# rates, a blocked access log, bounded memory), in both presets, one at a time:
# they measure deadlines and latency, which a second test run beside them would
# blur. A new one joins by calling httpcore_robustness_test(<ctest name>) in the
# CMakeLists.txt that adds it (the function is defined in the top-level one).
robustness: build-debug build-release
	ctest --preset debug -L robustness -j 1 --output-on-failure
	ctest --preset release -L robustness -j 1 --output-on-failure

# make soak (not in `make test`): `httpcore serve` (release) under a mixed
# hostile load (slowloris heads, slow bodies, clients that never read, large
# static files, WebSocket floods, malformed requests, idle connections) while
# wrk measures /hello; prints the server's peak RSS, the errors wrk's clients
# saw and their p99 latency, and fails unless wrk saw no error at all and the
# server stopped cleanly on SIGTERM. SOAK_SECONDS are shared evenly among the
# front ends in SOAK_FRONTENDS (default: every one built in).
SOAK_SECONDS ?= 600
SOAK_FRONTENDS ?=

soak: bootstrap build-release
	scripts/soak --seconds $(SOAK_SECONDS) $(addprefix --frontend ,$(SOAK_FRONTENDS)) $(HTTPCORE_BIN)

# ---------------------------------------------------------------- format ----
format:
	@[ -n "$(FORMAT_FILES)" ] || { echo "make format: no C++ sources found"; exit 0; }
	$(CLANG_FORMAT) -i $(FORMAT_FILES)

format-check:
	@command -v $(CLANG_FORMAT) >/dev/null || { echo "make format-check: $(CLANG_FORMAT) not found" >&2; exit 1; }
	@# One clang-format for every file is the quick path; the loop below only
	@# runs to name the files that differ.
	@if $(CLANG_FORMAT) --dry-run --Werror $(FORMAT_FILES) >/dev/null 2>&1; then \
	  echo "make format-check: $(words $(FORMAT_FILES)) files clang-formatted"; exit 0; \
	fi; \
	bad=(); \
	for f in $(FORMAT_FILES); do \
	  $(CLANG_FORMAT) --dry-run --Werror "$$f" >/dev/null 2>&1 || bad+=("$$f"); \
	done; \
	if [ $${#bad[@]} -gt 0 ]; then \
	  for f in "$${bad[@]}"; do diff -u "$$f" <($(CLANG_FORMAT) "$$f") || true; done; \
	  echo "make format-check: not clang-formatted (run \`make format\`):" >&2; \
	  printf '  %s\n' "$${bad[@]}" >&2; \
	  exit 1; \
	fi; \
	echo "make format-check: $(words $(FORMAT_FILES)) files clang-formatted"

# ------------------------------------------------ fuzz, conformance, bench ----
# make fuzz: every libFuzzer target in build/fuzz/bin (fuzz/run builds the
# `fuzz` preset's targets first) for FUZZ_SECONDS each, with its dictionary,
# seeds and a corpus kept in build/fuzz/corpus/<target>, libFuzzer's progress
# lines, and a table at the end (executions, coverage, corpus, crashes, and the
# differences the divergence register explains). Fails when a target crashes or
# a differential target meets a difference the register does not explain.
# FUZZ_TARGETS picks targets; FUZZ_PARALLEL runs that many at a time.
FUZZ_SECONDS ?= 600
FUZZ_TARGETS ?=
FUZZ_PARALLEL ?= 1

fuzz: bootstrap
	fuzz/run --seconds $(FUZZ_SECONDS) --parallel $(FUZZ_PARALLEL) $(FUZZ_TARGETS)

# make fuzz-report: docs/fuzzing.md from the records every fuzz/run leaves in
# build/fuzz/records/ (per target: date, commit, executions, cov, ft, corpus,
# crashes, the register entries that explained differences). A campaign
# resumes from build/fuzz/corpus/<target>; each record says what it started from.
fuzz-report:
	fuzz/report

# make fuzz-seeds: minimise the campaign corpora of FUZZ_TARGETS (default: all)
# into fuzz/seeds/<target>/ (libFuzzer -merge=1: only inputs that reach new
# coverage are added), to commit, so that fuzz-smoke starts where campaigns got to.
fuzz-seeds:
	fuzz/run --merge-seeds $(FUZZ_TARGETS)

# make fuzz-smoke (a `make test` hook): the register regressions, then every
# target of fuzz/run's fixed list (one that was not built fails the run, naming
# what it needs) two at a time (the machines have 2 cores), reproducibly: seeds only, in
# a fixed order, a fixed libFuzzer seed and no address-dependent mutations, so
# that every machine tries the same inputs in the same order. Each target stops
# after the executions below (about 15 s each on the 2-core machines) or after
# FUZZ_SECONDS, whichever comes first: a slower machine stops earlier on the same
# path, so what passes here passes in CI, and a CI failure replays here. The
# differential targets compare strict mode there, campaigns every flag set.
FUZZ_SMOKE_RUNS := diff_http_parser_request=150000 diff_llhttp_request=125000 \
  diff_llhttp_response=100000 fuzz_h1_request=50000 fuzz_h1_response=50000 \
  fuzz_ws_client=30000 fuzz_ws_deflate=50000 fuzz_ws_handshake=500000 \
  fuzz_ws_server=35000 fuzz_tls_server=6000 fuzz_h2_server=1000 fuzz_multipart=25000 \
  fuzz_h2_client=2500
fuzz-smoke: FUZZ_SECONDS = 90
fuzz-smoke: FUZZ_PARALLEL = 2
fuzz-smoke:
	fuzz/run --reproducible --seconds $(FUZZ_SECONDS) --parallel $(FUZZ_PARALLEL) \
	  $(addprefix --runs ,$(FUZZ_SMOKE_RUNS)) $(FUZZ_TARGETS)

# make conformance: llhttp's own markdown suite through httpcore, then through
# llhttp itself (which proves the runner). The suite is not part of this
# repository: without it this fails, naming the folder, unless
# HTTPCORE_SKIP_LLHTTP_SUITE=1 says to go on without it. Any error of the
# runner (an engine missing, an unreadable table) is a failure.
LLHTTP_SUITE ?= ../shared/conformance/llhttp-v9.2.1

conformance: bootstrap build-release
	@if [ ! -d "$(LLHTTP_SUITE)" ]; then \
	  if [ "$${HTTPCORE_SKIP_LLHTTP_SUITE:-}" = 1 ]; then \
	    echo "make conformance: llhttp's suite is not at $(LLHTTP_SUITE): skipped (HTTPCORE_SKIP_LLHTTP_SUITE=1)"; exit 0; \
	  fi; \
	  echo "make conformance: llhttp's suite (v9.2.1) is not at $(LLHTTP_SUITE); put it there," >&2; \
	  echo "  pass LLHTTP_SUITE=DIR, or set HTTPCORE_SKIP_LLHTTP_SUITE=1 to go on without it" >&2; \
	  exit 1; \
	fi; \
	for engine in httpcore llhttp; do \
	  echo "+ build/release/bin/httpcore-conformance llhttp $(LLHTTP_SUITE) --engine $$engine"; \
	  build/release/bin/httpcore-conformance llhttp "$(LLHTTP_SUITE)" --engine $$engine; \
	done

# make ws-conformance: the WebSocket harness (conformance/websocket/run), first
# against python3-websockets' echo server (non-strict outcomes allowed there)
# and a naive server that validates nothing (proves the cases: all pass on the
# first, every rejection case fails on the second), then against /ws/echo of
# `httpcore serve` on every front end the release binary has, where every case
# must pass strictly. A failed handshake or a missing endpoint fails.
# WS_CONFORMANCE_FLAGS passes options (e.g. --cases utf-8 -v).
WS_CONFORMANCE_FLAGS ?=

ws-conformance: bootstrap build-release
	conformance/websocket/run --reference --allow-non-strict --self-test $(WS_CONFORMANCE_FLAGS)
	conformance/websocket/run --all-frontends $(HTTPCORE_BIN) $(WS_CONFORMANCE_FLAGS)

# make bench: parser (httpcore-bench-parser), server (bench/server), memory
# (bench/memory) and TLS (bench/tls: handshakes, keep-alive requests and idle
# memory over TLS) benchmarks against llhttp, http-parser and nginx; prints one
# table and rewrites the generated part of docs/performance.md (about 6 minutes).
# BENCH_FLAGS=--quick tries the scripts in about a minute (not for comparison).
BENCH_FLAGS ?=

bench: bootstrap
	cmake --preset release -DHTTPCORE_BUILD_BENCH=ON
	cmake --build --preset release -j $(CMAKE_BUILD_PARALLEL_LEVEL)
	bench/run --build build/release --doc docs/performance.md $(BENCH_FLAGS)

# make browser-test: headless Chromium (scripts/bootstrap --with-browser
# installs it) loads the default site from `httpcore serve` over https, with
# the run's certificate pinned by its key, and chats over wss, on every front
# end (tests/browser_test.py). Not in `make test`: Chromium is not installed by
# default (it is large), and it costs about 15 s of both cores per front end.
browser-test: build-release
	$(BOOTSTRAP) --with-browser
	/usr/bin/python3 tests/browser_test.py $(HTTPCORE_BIN)

# ----------------------------------------------------------------- clean ----
clean:
	rm -rf build
