#!/usr/bin/env bash
# Runs each libFuzzer target (the .tcnn frontend, the .npy reader as tcnnc
# uses it, the .npy reader as executables use it) for SECONDS (default 60)
# on a copy of the seed corpus in test/fuzz/corpus/. Exits non-zero if any
# input crashes, hangs (10 s), leaks or trips a sanitizer; the input is
# kept in build-sanitize/fuzz/ to reproduce with `TARGET INPUT`.
# Prints, per target, "PASS: fuzz/NAME" or "FAIL: fuzz/NAME" and its
# executions per second.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-60}
bash scripts/setup.sh >/dev/null
bash scripts/build.sh --sanitize >/dev/null
BIN=build-sanitize/bin
WORK=build-sanitize/fuzz
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:symbolize=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
status=0
run() {
  local name=$1 corpus=$2 dict=$3 maxlen=$4
  mkdir -p "$WORK/$name/corpus" "$WORK/$name/artifacts"
  cp -n "test/fuzz/corpus/$corpus"/* "$WORK/$name/corpus/" 2>/dev/null || true
  local log="$WORK/$name/log"
  if "$BIN/tcnn-fuzz-$name" "$WORK/$name/corpus" \
      -dict="test/fuzz/$dict" -max_len="$maxlen" -timeout=10 \
      -rss_limit_mb=4096 -max_total_time="$SECONDS_EACH" \
      -print_final_stats=1 -artifact_prefix="$WORK/$name/artifacts/" \
      >"$log" 2>&1; then
    local execs rate
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
    echo "PASS: fuzz/$name ($execs executions in ${SECONDS_EACH} s, $rate/s, no finding)"
  else
    echo "FAIL: fuzz/$name (see $log; inputs in $WORK/$name/artifacts/)"
    grep -E "ERROR|SUMMARY|Test unit written" "$log" | head -5
    status=1
  fi
}
run frontend frontend frontend.dict 4096
run npy-compiler npy npy.dict 2048
run npy-runtime npy npy.dict 2048
exit $status
