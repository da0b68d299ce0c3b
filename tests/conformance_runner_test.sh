#!/bin/bash
# Proves that httpcore-conformance can fail (issue: the proof must be able to
# fail): a setup error is a failure, a listed case is still checked against its
# pinned output, and more than 5% skipped fails the run.
#
# usage: conformance_runner_test.sh PATH/TO/httpcore-conformance SUITE_DIR DIVERGENCES_TSV
set -u
bin=$1 suite=$2 table=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0

# expect STATUS WHAT TEXT -- command...: the command exits STATUS and prints TEXT.
expect() {
  local want=$1 what=$2 text=$3
  shift 4
  local out rc=0
  out=$("$@" 2>&1) || rc=$?
  if [ "$rc" -eq "$want" ] && grep -qF -- "$text" <<<"$out"; then
    echo "ok   $what (exit $rc)"
  else
    echo "FAIL $what: exit $rc (want $want and \"$text\"); output ends:"
    tail -5 <<<"$out" | sed 's/^/       /'
    failed=1
  fi
}

mkdir "$work/empty"
expect 1 "an empty suite folder" "no llhttp suite in" -- "$bin" llhttp "$work/empty"
expect 1 "a missing suite folder" "does not exist" -- "$bin" llhttp "$work/missing"
expect 1 "an unreadable table" "cannot read the divergence table" -- \
  "$bin" llhttp "$suite" --divergences "$work/missing.tsv"

# The real suite passes (0 failed, refusals on their own line, at most 5%).
expect 0 "the suite" "refused by design (D01)" -- "$bin" llhttp "$suite"

# A listed case (response/connection.md#Proxy-Connection, D10) whose input
# changes so that httpcore's output changes: it no longer matches its pin.
cp -r "$suite" "$work/suite"
/usr/bin/python3 - "$work/suite/response/connection.md" <<'PY'
import sys
path = sys.argv[1]
text = open(path, encoding="utf-8").read()
at = text.index("## Proxy-Connection")
block = text.index("```http", at)
status = text.index("200", block)
open(path, "w", encoding="utf-8").write(text[:status] + "201" + text[status + 3:])
PY
expect 1 "a listed case whose output changed" "no longer the pinned one" -- \
  "$bin" llhttp "$work/suite"

# Without the refused-by-design exemption the skips exceed the 5% bound.
sed -E 's/\t(D01|D03|D04|D05|D06|D07)$/\tD02/' "$table" >"$work/all-skips.tsv"
expect 1 "more than 5% skipped" "more than the 5% allowed" -- \
  "$bin" llhttp "$suite" --divergences "$work/all-skips.tsv"
exit $failed
