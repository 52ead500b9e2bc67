#!/usr/bin/env bash
# Set-up, build, and the whole test suite (lit + FileCheck, PyTorch and
# finite-difference checks). Ends with a line "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
BUILD_DIR=${BUILD_DIR:-build}

status=0
log=$(mktemp)
# Debian's python3 (with python3-torch) runs lit and the Python tests.
/usr/bin/python3 /usr/lib/llvm-19/build/utils/lit/lit.py -v "$BUILD_DIR/test" | tee "$log" || status=$?
passed=$(grep -cE '^(PASS|XFAIL): ' "$log" || true)
failed=$(grep -cE '^(FAIL|XPASS|UNRESOLVED|TIMEOUT): ' "$log" || true)
rm -f "$log"
if [ "$passed" -eq 0 ]; then
  echo "no test ran" >&2
  status=1
fi
echo "$passed passed, $failed failed"
exit $status
