#!/usr/bin/env bash
# Configures (once) and builds tcnn with Ninja and ccache.
#   scripts/build.sh              into build/ (Release)
#   scripts/build.sh --sanitize   into build-sanitize/: clang-19 with ASan,
#                                 LSan and UBSan, plus the libFuzzer targets
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--sanitize" ]; then
  BUILD_DIR=${BUILD_DIR:-build-sanitize}
  EXTRA=(-DTCNN_SANITIZE=ON -DTCNN_FUZZERS=ON
         -DCMAKE_C_COMPILER=clang-19 -DCMAKE_CXX_COMPILER=clang++-19)
else
  BUILD_DIR=${BUILD_DIR:-build}
  EXTRA=()
fi
if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  cmake -G Ninja -S . -B "$BUILD_DIR" \
    -DCMAKE_BUILD_TYPE=Release \
    -DMLIR_DIR=/usr/lib/llvm-19/lib/cmake/mlir \
    -DLLVM_EXTERNAL_LIT=/usr/lib/llvm-19/build/utils/lit/lit.py \
    "${EXTRA[@]}" >/dev/null
fi
cmake --build "$BUILD_DIR"
