#!/usr/bin/env bash
# Set-up, build, and the main job on examples/tinycnn.tcnn: print its MLIR,
# derive the backward pass, run forward + backward in the reference
# interpreter and write every tensor as .npy into out/tinycnn/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh >/dev/null
TCNNC=${BUILD_DIR:-build}/bin/tcnnc
MODEL=${1:-examples/tinycnn.tcnn}
NAME=$(basename "$MODEL" .tcnn)
OUT=out/$NAME
mkdir -p "$OUT"

"$TCNNC" "$MODEL" --emit=mlir -o "$OUT/$NAME.mlir"
"$TCNNC" "$MODEL" --emit=mlir-grad -o "$OUT/$NAME.grad.mlir"
echo "== backward IR derived by -tcnn-autodiff ($OUT/$NAME.grad.mlir):"
sed -n '/func.func @forward_grad/,$p' "$OUT/$NAME.grad.mlir" | grep -o '^ *%[a-z_0-9]* = [a-z0-9_.]*' | head -40
echo "== forward + backward in the interpreter:"
"$TCNNC" "$MODEL" --run --dump "$OUT/npy"
echo "== gradients against finite differences:"
"$TCNNC" "$MODEL" --check-gradients
