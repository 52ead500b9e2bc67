#!/usr/bin/env bash
# Installs everything tcnn needs from Debian 12 (bookworm) packages.
# Idempotent: when every package is present it does nothing but check.
set -euo pipefail

PACKAGES=(
  llvm-19-dev llvm-19-tools libmlir-19-dev mlir-19-tools clang-19
  libclang-rt-19-dev libomp-19-dev
  cmake ninja-build ccache g++ python3 python3-numpy python3-torch valgrind
  graphviz chromium python3-sklearn
)
# npm (for KaTeX): the machine's own if it has one, else Debian's.
if ! command -v npm >/dev/null 2>&1; then
  PACKAGES+=(nodejs npm)
fi
# KaTeX renders the formulas of HTML explanations; it is inlined into each
# report, so the pages open offline.
KATEX_VERSION=0.16.47
KATEX_PREFIX="$(cd "$(dirname "$0")/.." && pwd)/.deps"

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

install_katex() {
  local have
  have=$(sed -n 's/.*"version": "\(.*\)".*/\1/p' \
    "$KATEX_PREFIX/node_modules/katex/package.json" 2>/dev/null || true)
  if [ "$have" != "$KATEX_VERSION" ]; then
    echo "setup: installing katex@$KATEX_VERSION from the npm registry"
    npm install --prefix "$KATEX_PREFIX" --no-audit --no-fund --silent \
      "katex@$KATEX_VERSION" >/dev/null
  fi
}

if [ ${#missing[@]} -eq 0 ]; then
  install_katex
  echo "setup: all ${#PACKAGES[@]} packages present, katex $KATEX_VERSION"
  exit 0
fi

echo "setup: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
install_katex
echo "setup: done"
