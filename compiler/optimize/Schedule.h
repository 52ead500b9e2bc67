//===- Schedule.h - which tiles each linalg op gets -------------*- C++ -*-===//

#ifndef TCNN_OPTIMIZE_SCHEDULE_H
#define TCNN_OPTIMIZE_SCHEDULE_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"

#include <optional>

namespace tcnnc::optimize {

/// How one linalg op is tiled before it is vectorized. Sizes are per loop
/// of the op (0 = not tiled) and always divide the loop's extent.
struct Schedule {
  /// Tiles distributed over threads (scf.forall); empty for none.
  llvm::SmallVector<int64_t> forall;
  /// Tiles of the sequential loops inside (scf.for).
  llvm::SmallVector<int64_t> loops;
  /// Whether the op is first flattened to one loop (elementwise ops on
  /// whole tensors); the sizes are then those of that loop.
  bool flatten = false;
  /// Where the flattened loop is split (0 = not split): the tiles are
  /// those of the part before; the part after, shorter than a vector, is
  /// vectorized whole.
  int64_t splitAt = 0;
  /// Whether the tile is a 2-D convolution to rewrite as a 1-D one.
  bool decompose = false;
  /// Whether the tile is vectorized; if not, it only shares out the work
  /// (pooling, scatter-style gradients) and becomes scalar loops.
  bool vectorize = true;
};

/// The schedule of `op`, or none if it stays as it is (it then becomes
/// plain loops).
std::optional<Schedule> scheduleFor(mlir::linalg::LinalgOp op);

/// The largest divisor of `extent` that is at most `limit`; `extent`
/// itself when it is at most 1.5 x `limit` (a prime 17 channels is better
/// one 17-wide tile than 17 tiles of 1).
int64_t tileSize(int64_t extent, int64_t limit);

} // namespace tcnnc::optimize

#endif // TCNN_OPTIMIZE_SCHEDULE_H
