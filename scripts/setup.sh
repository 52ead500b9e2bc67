#!/usr/bin/env bash
# Installs everything tcnn needs from Debian 12 (bookworm) packages.
# Idempotent: when every package is present it does nothing but check.
set -euo pipefail

# libjs-katex renders the formulas of HTML explanations (with its fonts,
# fonts-katex); each report inlines it, so the pages open offline.
# libonnx-dev (with protobuf) reads ONNX models for tcnnc import;
# python3-onnx writes the small ONNX models of its tests.
PACKAGES=(
  llvm-19-dev llvm-19-tools libmlir-19-dev mlir-19-tools clang-19
  libclang-rt-19-dev libomp-19-dev
  cmake ninja-build ccache g++ python3 python3-numpy python3-torch valgrind
  graphviz chromium python3-sklearn libjs-katex libonnx-dev python3-onnx
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#PACKAGES[@]} packages present"
  exit 0
fi

echo "setup: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup: done"
