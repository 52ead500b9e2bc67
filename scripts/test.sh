#!/usr/bin/env bash
# Set-up, build and the whole test suite; ends with "N passed, N failed".
#   scripts/test.sh             everything CI runs: the lit suite (lit +
#                               FileCheck, PyTorch and finite-difference
#                               checks) on the Release build, the same suite
#                               on the sanitizer build (ASan, LSan, UBSan),
#                               and each fuzz target for TCNN_FUZZ_SECONDS
#                               (default 60)
#   scripts/test.sh --quick     the lit suite on the Release build only
#   scripts/test.sh --sanitize  the lit suite on the sanitizer build only
set -euo pipefail
cd "$(dirname "$0")/.."
MODE=${1:-all}
case "$MODE" in all|--quick|--sanitize) ;; *)
  echo "usage: scripts/test.sh [--quick | --sanitize]" >&2; exit 2;;
esac
bash scripts/setup.sh

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
# Debian's python3 (with python3-torch) runs lit and the Python tests.
lit() {
  /usr/bin/python3 /usr/lib/llvm-19/build/utils/lit/lit.py -v "$1/test" \
    | tee -a "$log" || status=1
}
if [ "$MODE" != "--sanitize" ]; then
  bash scripts/build.sh
  echo "== lit suite (Release build)"
  lit build
fi
if [ "$MODE" != "--quick" ]; then
  bash scripts/build.sh --sanitize
  echo "== lit suite (sanitizer build: ASan, LSan, UBSan)"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 lit build-sanitize
fi
if [ "$MODE" = "all" ]; then
  echo "== fuzzing, ${TCNN_FUZZ_SECONDS:-60} s per target"
  bash scripts/fuzz.sh "${TCNN_FUZZ_SECONDS:-60}" | tee -a "$log" || status=1
fi
passed=$(grep -cE '^(PASS|XFAIL): ' "$log" || true)
failed=$(grep -cE '^(FAIL|XPASS|UNRESOLVED|TIMEOUT): ' "$log" || true)
if [ "$passed" -eq 0 ]; then
  echo "no test ran" >&2
  status=1
fi
[ "$failed" -eq 0 ] || status=1
echo "$passed passed, $failed failed"
exit $status
