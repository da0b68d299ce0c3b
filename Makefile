# httpcore: the commands a developer and CI run. Every user-facing target first
# runs scripts/bootstrap (installs the Debian dependencies; quick when they are
# all present). Builds go through the CMake presets (CMakePresets.json), into
# build/<preset>.
#
#   make run            build the release preset and start `httpcore serve`
#   make test           format-check, debug (ASan+UBSan) tests, release tests
#   make format         clang-format -i over our C++ sources
#   make format-check   fail if any C++ source is not clang-formatted
#   make clean          remove build/
#   make bench          benchmarks vs peers (docs/performance.md); fuzz, conformance: later

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

# Hooks for later issues: make targets that `make test` runs, in this order,
# after the unit tests of both presets. Empty until those steps exist.
#   conformance suites (issue 3): add the conformance target here
#   short fuzz runs    (issue 3): add a short-fuzz target here
TEST_HOOKS :=

# clang-format applies to our C++ sources in these directories only.
FORMAT_DIRS := libhttpcore tools tests examples app frontends fuzz conformance
FORMAT_FILES = $(shell find $(FORMAT_DIRS) -type f \
  \( -name '*.cpp' -o -name '*.hpp' -o -name '*.cc' -o -name '*.h' -o -name '*.ipp' \) \
  -not -path '*/build/*' 2>/dev/null | LC_ALL=C sort)

.PHONY: help bootstrap run test format format-check fuzz bench conformance clean \
        build-release build-debug test-release test-debug

help:
	@sed -n '1,11s/^# \{0,1\}//p' $(firstword $(MAKEFILE_LIST))

bootstrap:
	$(BOOTSTRAP)

# ---------------------------------------------------------------- builds ----
build-release:
	cmake --preset release
	cmake --build --preset release -j $(CMAKE_BUILD_PARALLEL_LEVEL)

build-debug:
	cmake --preset debug
	cmake --build --preset debug -j $(CMAKE_BUILD_PARALLEL_LEVEL)

test-debug: build-debug
	ctest --preset debug -j $(CTEST_PARALLEL_LEVEL) --output-on-failure

# The release run also holds the install-consumer test (tests/install.cmake).
test-release: build-release
	ctest --preset release -j $(CTEST_PARALLEL_LEVEL) --output-on-failure

# ------------------------------------------------------------------- run ----
# Serves when the `httpcore` command has a `serve` verb, i.e. when the verb list
# printed by `httpcore help` has a line whose first word is `serve`. Until the
# front ends exist (a later issue), says so and runs a parse demo instead.
run: bootstrap build-release
	@if [ ! -x $(HTTPCORE_BIN) ]; then \
	  echo "make run: $(HTTPCORE_BIN) was not built (tools/ has no sources yet)" >&2; \
	  exit 1; \
	fi
	@verbs=$$($(HTTPCORE_BIN) help 2>&1 || true); \
	if grep -Eq '^[[:space:]]*serve([[:space:]]|$$)' <<<"$$verbs"; then \
	  echo "httpcore: serving on http://$(HOST):$(PORT)/ (Ctrl-C stops)"; \
	  exec $(HTTPCORE_BIN) serve --host $(HOST) --port $(PORT); \
	else \
	  echo "make run: \`httpcore serve\` is not available yet: the server arrives with the"; \
	  echo "front-ends issue. Meanwhile, a demo of the parser through \`httpcore parse\`:"; \
	  echo; \
	  echo "  \$$ printf 'GET /hello HTTP/1.1\\r\\nHost: localhost\\r\\n\\r\\n' | $(HTTPCORE_BIN) parse"; \
	  printf 'GET /hello HTTP/1.1\r\nHost: localhost\r\n\r\n' | $(HTTPCORE_BIN) parse; \
	fi

# ------------------------------------------------------------------ test ----
test: bootstrap format-check test-debug test-release
	@for t in $(TEST_HOOKS); do $(MAKE) --no-print-directory $$t; done
	@echo "make test: all passed"

# ---------------------------------------------------------------- format ----
format:
	@[ -n "$(FORMAT_FILES)" ] || { echo "make format: no C++ sources found"; exit 0; }
	$(CLANG_FORMAT) -i $(FORMAT_FILES)

format-check:
	@command -v $(CLANG_FORMAT) >/dev/null || { echo "make format-check: $(CLANG_FORMAT) not found" >&2; exit 1; }
	@bad=(); \
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

# ---------------------------------------------------------- later issues ----
fuzz: bootstrap
	@echo "make fuzz: not implemented yet: see issue 3" >&2; exit 2

conformance: bootstrap
	@echo "make conformance: not implemented yet: see issue 3" >&2; exit 2

# make bench: parser (httpcore-bench-parser), server (bench/server) and memory
# (bench/memory) benchmarks against llhttp, http-parser and nginx; prints one
# table and rewrites the generated part of docs/performance.md (about 3 minutes).
# BENCH_FLAGS=--quick tries the scripts in about a minute (not for comparison).
BENCH_FLAGS ?=

bench: bootstrap build-release
	bench/run --build build/release --doc docs/performance.md $(BENCH_FLAGS)

# ----------------------------------------------------------------- clean ----
clean:
	rm -rf build
