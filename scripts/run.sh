#!/usr/bin/env bash
# Set-up, build, and the main job on a model file (default
# examples/tinycnn.tcnn): compile it to a native executable and run one
# training step with it; write the IR of every stage, check the gradients
# against the reference interpreter's finite differences, and explain
# every op (Markdown and HTML).
# Everything goes to out/<model>/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh >/dev/null
TCNNC=${BUILD_DIR:-build}/bin/tcnnc
MODEL=${1:-examples/tinycnn.tcnn}
NAME=$(basename "$MODEL" .tcnn)
OUT=out/$NAME
rm -rf "$OUT"
mkdir -p "$OUT/ir"

for stage in mlir mlir-grad linalg tiled vector loops llvm-mlir llvm-ir asm; do
  "$TCNNC" "$MODEL" --emit=$stage -o "$OUT/ir/$NAME.$stage.txt"
done
echo "== IR of every stage in $OUT/ir/; the backward ops -tcnn-autodiff derived:"
sed -n '/func.func @forward_grad/,$p' "$OUT/ir/$NAME.mlir-grad.txt" |
  grep -o '^ *%[a-z_0-9]* = tcnn\.[a-z0-9_]*_grad\|^ *%[a-z_0-9]* = tcnn\.reshape' | sed 's/^ */  /'

echo "== native executable $OUT/$NAME (tcnnc $MODEL -o $OUT/$NAME):"
"$TCNNC" "$MODEL" -o "$OUT/$NAME"
"$OUT/$NAME" --dump "$OUT/npy"
echo "(every tensor written to $OUT/npy/)"
"$OUT/$NAME" --repeat 200 --profile > "$OUT/$NAME.profile.txt"
grep 'ms/step;' "$OUT/$NAME.profile.txt" | sed 's/^/  /'
echo "  (time, GFLOP/s and % of peak of every op: $OUT/$NAME.profile.txt)"

echo "== gradients against central finite differences (interpreter, double):"
"$TCNNC" "$MODEL" --check-gradients | tail -1

echo "== explanation of every op: $OUT/$NAME.explained.md and $OUT/$NAME.explained.html"
"$TCNNC" explain "$MODEL" -o "$OUT/$NAME.explained.md"
"$TCNNC" explain "$MODEL" --format html -o "$OUT/$NAME.explained.html"
grep -c '^### ' "$OUT/$NAME.explained.md" | sed 's/^/  sections: /'
if grep -q 'MISMATCH\*\* ' "$OUT/$NAME.explained.md"; then
  echo "  a number disagreed: see the report" >&2
  exit 1
fi
