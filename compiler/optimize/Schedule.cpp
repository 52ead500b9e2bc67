//===- Schedule.cpp - which tiles each linalg op gets ---------------------===//
//
// The register block is what matters: 16 output columns (or 16 images when
// the output rows are short) times 16 output channels is 16 vector
// accumulators of 16 floats, the most AVX-512 keeps without spilling, fed
// by one broadcast and one FMA per input channel and kernel tap. Sizes are
// divisors of the extents, so every tile is static (docs/pipeline.md).
//
//===----------------------------------------------------------------------===//

#include "compiler/optimize/Schedule.h"

using namespace mlir;
using namespace tcnnc::optimize;

int64_t tcnnc::optimize::tileSize(int64_t extent, int64_t limit) {
  if (extent <= limit + limit / 2)
    return extent;
  for (int64_t t = limit; t > 1; --t)
    if (extent % t == 0)
      return t;
  return 1;
}

namespace {

/// conv_2d_nhwc_hwcf, loops [n, oh, ow, f, kh, kw, c]. Threads share
/// batch (or, for the weight gradient, input channel) and output-channel
/// blocks; one output row and one kernel row per tile so that the tile is
/// a 1-D convolution.
Schedule convSchedule(ArrayRef<int64_t> r) {
  int64_t n = r[0], ow = r[2], f = r[3], c = r[6];
  int64_t fT = tileSize(f, 16);
  int64_t owT = ow >= 8 ? tileSize(ow, 16) : 1;
  int64_t nT = owT == 1 ? tileSize(n, 16) : 1;
  int64_t cT = tileSize(c, owT == 1 ? 8 : 32);
  Schedule s;
  s.forall = {nT, 0, 0, fT};
  s.loops = {0, 1, owT, 0, 1, 1, cT};
  s.decompose = true;
  return s;
}

/// Matmuls [m, n, k]: an 8-row by up-to-32-column block of accumulators,
/// k in slices of 16.
Schedule matmulSchedule(ArrayRef<int64_t> r) {
  Schedule s;
  s.loops = {tileSize(r[0], 8), tileSize(r[1], 32), tileSize(r[2], 16)};
  return s;
}

} // namespace

std::optional<Schedule> tcnnc::optimize::scheduleFor(linalg::LinalgOp op) {
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  if (llvm::any_of(ranges, ShapedType::isDynamic) || !op.hasPureTensorSemantics())
    return std::nullopt;
  if (isa<linalg::Conv2DNhwcHwcfOp>(op))
    return convSchedule(ranges);
  if (isa<linalg::MatmulOp>(op))
    return matmulSchedule(ranges);
  return std::nullopt;
}
