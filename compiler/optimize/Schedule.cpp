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

#include "mlir/Dialect/Arith/IR/Arith.h"

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

/// Below this many loop iterations an op is not worth waking threads for:
/// a fork and join costs a few microseconds, the whole of tinycnn's step.
constexpr int64_t kMinParallelWork = int64_t(1) << 17;

/// Below this many elements a fill, copy or broadcast stays a plain loop:
/// a transform sequence per op costs compile time, and tinycnn's 2 x 8 x 8
/// activations are filled in nanoseconds either way.
constexpr int64_t kMinVectorWork = int64_t(1) << 12;

/// The tile of a dimension that becomes vector lanes: the largest divisor
/// of `extent` up to `limit` that is a multiple of 16, else of 8 (whole
/// AVX-512 or AVX registers), else tileSize's choice. 400 columns make
/// tiles of 16, not 25 (a 16-, an 8- and a 1-wide piece per row).
int64_t laneTileSize(int64_t extent, int64_t limit) {
  for (int64_t unit : {16, 8})
    for (int64_t t = limit - limit % unit; t >= unit; t -= unit)
      if (extent % t == 0)
        return t;
  return tileSize(extent, limit);
}

/// conv_2d_nhwc_hwcf, loops [n, oh, ow, f, kh, kw, c]. Threads share
/// batch (or, for the weight gradient, input channel) and output-channel
/// blocks; one output row and one kernel row per tile so that the tile is
/// a 1-D convolution.
Schedule convSchedule(ArrayRef<int64_t> r) {
  int64_t n = r[0], ow = r[2], f = r[3], c = r[6];
  int64_t fT = laneTileSize(f, 16);
  // Short rows (the 3 or 5 kernel columns of a weight gradient, the 4x4
  // maps of late layers) take whole rows and make up the block with images.
  bool shortRows = ow < 8;
  int64_t owT = shortRows ? ow : tileSize(ow, 16);
  int64_t nT = shortRows ? tileSize(n, std::max<int64_t>(1, 16 / ow)) : 1;
  int64_t cT = tileSize(c, 8);
  Schedule s;
  s.forall = {nT, 0, 0, fT};
  // One kernel tap per tile even for few input channels (a first layer's
  // 1 or 3): a whole kernel row reuses each input broadcast across its
  // taps, and LLVM kept all of them live and spilled them to the stack
  // (cifar_small's conv1 forward ran at 39% of peak instead of 57%).
  s.loops = {0, 1, owT, 0, 1, 1, cT};
  s.decompose = true;
  return s;
}

/// depthwise_conv_2d_nhwc_hwc, loops [n, oh, ow, c, kh, kw]: channels are
/// the vector lanes (each channel has its own kernel, so there is no
/// channel reduction to broadcast against); a block of output columns
/// times a block of channels is the register block. One output row and
/// one kernel row per tile, as for the dense convolution, makes the tile
/// a 1-D depthwise convolution; a short kernel row is taken whole.
Schedule depthwiseSchedule(ArrayRef<int64_t> r) {
  int64_t n = r[0], ow = r[2], c = r[3], kw = r[5];
  int64_t cT = laneTileSize(c, 32);
  int64_t owT = tileSize(ow, 8);
  Schedule s;
  s.forall = {tileSize(n, 1), 0, 0, cT};
  s.loops = {0, 1, owT, 0, 1, kw <= 7 ? kw : 1};
  s.decompose = true;
  return s;
}

/// Matmuls [m, n, k]: an 8-row by up-to-32-column block of accumulators,
/// one k at a time: each step broadcasts 8 elements of a column of A
/// against a row of B, the classic register-blocked outer product. Wider
/// k slices would make the contraction lowering transpose A's tile first,
/// element by element for odd widths.
Schedule matmulSchedule(ArrayRef<int64_t> r) {
  Schedule s;
  int64_t mT = tileSize(r[0], 8);
  s.loops = {0, laneTileSize(r[1], 32), tileSize(r[2], 16)};
  // Threads share the row blocks (the pixels of a pointwise convolution,
  // the output channels of its weight gradient).
  s.forall = {mT, 0, 0};
  return s;
}

/// The ops of a step that only move or map data (ReLU and its gradient,
/// the layout transposes around convolutions) are memory-bound: they get
/// one vector per tile along a row, threads sharing the outermost
/// dimension. A transpose tiles both its source's and its result's
/// innermost dimensions, so that it reads and writes whole vectors and
/// the 2-D vector.transpose between them becomes shuffles.
Schedule rowSchedule(ArrayRef<int64_t> r, std::optional<unsigned> sourceInner) {
  Schedule s;
  unsigned rank = r.size();
  s.loops.assign(rank, 1);
  s.loops[rank - 1] = tileSize(r[rank - 1], sourceInner ? 16 : 64);
  if (sourceInner && *sourceInner != rank - 1)
    s.loops[*sourceInner] = tileSize(r[*sourceInner], 16);
  // A short innermost dimension (the window columns of a pooling
  // gradient's [n, c, i, p, j, q] view) takes the row around it along.
  if (!sourceInner && rank > 2 && r[rank - 1] <= 4)
    s.loops[rank - 2] = tileSize(r[rank - 2], 16);
  // Threads share the outermost dimension, in tiles of what the loop
  // there took: when that is the source's innermost dimension (a
  // channels-last [N, H, W, C] to [C, H, W, N]), its 16-wide tile keeps
  // the 16 x 16 shuffle instead of 16 strided single loads.
  if (rank > 1 && r[0] > 1) {
    s.forall.assign(1, s.loops[0]);
    s.loops[0] = 0;
  }
  return s;
}

int64_t product(ArrayRef<int64_t> r) {
  int64_t p = 1;
  for (int64_t v : r)
    p *= v;
  return p;
}

/// An elementwise op that reads and writes every operand whole and in
/// order, flattened to one loop of `n` elements: vectors of up to 64
/// elements, a multiple of 16 (whole AVX-512 registers: odd widths load
/// and store element by element), and the last n % 16 elements one short
/// vector of their own. Threads share runs of vectors. One loop instead
/// of a nest of rows (the 5-wide rows of a 5x5 kernel's optimizer update)
/// is less code to compile and no slower to run.
Schedule flatSchedule(ArrayRef<int64_t> r) {
  int64_t n = product(r);
  Schedule s;
  s.flatten = r.size() > 1;
  int64_t whole = n - n % 16;
  if (whole == 0) {
    s.loops = {0};
    return s;
  }
  if (whole != n)
    s.splitAt = whole;
  int64_t vector = laneTileSize(whole, 64);
  s.loops = {vector};
  int64_t vectors = whole / vector;
  if (n >= kMinParallelWork)
    s.forall = {vector * tileSize(vectors, std::max<int64_t>(1, vectors / 16))};
  return s;
}

/// A linalg.generic with one result whose every operand is read at the
/// loop indices (or broadcast) and whose body is plain arithmetic.
bool isMap(linalg::GenericOp op) {
  if (op.getNumLoops() == 0 || op.getNumDpsInits() != 1)
    return false;
  for (AffineMap map : op.getIndexingMapsArray())
    if (!map.isProjectedPermutation())
      return false;
  return llvm::all_of(op.getBody()->getOperations(), [](Operation &inner) {
    return isa<linalg::YieldOp, linalg::IndexOp>(inner) ||
           inner.getDialect()->getNamespace() == "arith" ||
           inner.getDialect()->getNamespace() == "math";
  });
}

/// Whether every operand of `op` is read or written whole, at the loop
/// indices in order, and its body does not ask for them.
bool readsWhole(linalg::GenericOp op) {
  return llvm::all_of(op.getIndexingMapsArray(),
                      [](AffineMap map) { return map.isIdentity(); }) &&
         op.getBody()->getOps<linalg::IndexOp>().empty();
}

/// A map whose loops are all parallel: elementwise.
bool isElementwise(linalg::GenericOp op) {
  return isMap(op) && op.getNumReductionLoops() == 0;
}

/// A map that folds terms into its result with + or max (out + term): the
/// bias gradients, the sums of the losses, pooling over windows that tile
/// the input; the vectorizer turns them into vector reductions.
bool isSum(linalg::GenericOp op) {
  if (!isMap(op) || op.getNumReductionLoops() == 0)
    return false;
  auto yield = cast<linalg::YieldOp>(op.getBody()->getTerminator());
  Operation *combiner = yield.getOperand(0).getDefiningOp();
  Value out = op.getBody()->getArguments().back();
  return isa_and_nonnull<arith::AddFOp, arith::MaximumFOp, arith::MaxSIOp>(
             combiner) &&
         llvm::is_contained(combiner->getOperands(), out);
}

/// The rest (pooling, its arg-max and scatter-style gradients, narrow
/// transposes, broadcasts) is not vectorized but still shared out over its
/// outermost dimension when that is a parallel one, so that a second
/// thread is not left waiting for them.
std::optional<Schedule> threadsOnly(linalg::LinalgOp op,
                                    ArrayRef<int64_t> r) {
  if (r[0] < 2 ||
      op.getIteratorTypesArray()[0] != utils::IteratorType::parallel)
    return std::nullopt;
  Schedule s;
  s.forall.assign(1, 1);
  s.loops.assign(r.size(), 0);
  s.vectorize = false;
  return s;
}

/// A sum, one row of its innermost loop per tile (every other loop,
/// parallel or reduction, steps by one). When the innermost loops are a
/// short window (pooling: [n, c, oh, kh, ow, kw]), the row is that of the
/// innermost parallel loop instead, with the window loops after it whole.
Schedule sumSchedule(linalg::GenericOp op, ArrayRef<int64_t> r) {
  Schedule s;
  s.loops.assign(r.size(), 1);
  auto iterators = op.getIteratorTypesArray();
  unsigned lastParallel = r.size();
  for (unsigned d = 0; d < r.size(); ++d)
    if (iterators[d] == utils::IteratorType::parallel)
      lastParallel = d;
  if (r.back() <= 4 && lastParallel < r.size() - 1) {
    s.loops[lastParallel] = tileSize(r[lastParallel], 16);
    for (unsigned d = lastParallel + 1; d < r.size(); ++d)
      s.loops[d] = r[d];
    if (iterators[0] == utils::IteratorType::parallel && r[0] > 1) {
      s.forall.assign(1, 1);
      s.loops[0] = 0;
    }
    return s;
  }
  s.loops.back() = tileSize(r.back(), 64);
  // Sums into lanes per channel (bias gradients: [O, N, S/l, l] -> [O, l])
  // share the channels over threads.
  if (iterators[0] == utils::IteratorType::parallel && r[0] > 1) {
    s.forall.assign(1, 1);
    s.loops[0] = 0;
  }
  return s;
}

/// `s` without threads: the forall tiles become sequential tiles.
Schedule sequential(Schedule s) {
  for (size_t d = 0; d < s.forall.size(); ++d)
    if (s.forall[d] != 0)
      s.loops[d] = s.forall[d];
  s.forall.clear();
  return s;
}

/// The schedule of `op` by its kind and shape, before the threads check.
std::optional<Schedule> scheduleOf(linalg::LinalgOp op,
                                   ArrayRef<int64_t> ranges) {
  if (isa<linalg::Conv2DNhwcHwcfOp>(op))
    return convSchedule(ranges);
  if (isa<linalg::DepthwiseConv2DNhwcHwcOp>(op))
    return depthwiseSchedule(ranges);
  if (isa<linalg::MatmulOp>(op))
    return matmulSchedule(ranges);
  if (auto transpose = dyn_cast<linalg::TransposeOp>(op.getOperation())) {
    // The result dimension that is the source's innermost one.
    ArrayRef<int64_t> perm = transpose.getPermutation();
    unsigned inner = llvm::find(perm, int64_t(perm.size() - 1)) - perm.begin();
    // A narrow side (the 3 or 6 channels of a first layer) would make the
    // 2-D vector.transpose element-by-element inserts and extracts: more
    // code than scalar loops, and no faster.
    if (tileSize(ranges.back(), 16) < 8 || tileSize(ranges[inner], 16) < 8)
      return threadsOnly(op, ranges);
    return rowSchedule(ranges, inner);
  }
  // Fills, copies (a padding's interior) and broadcasts (a bias as the
  // initial accumulator) move whole rows: vectors along the innermost
  // dimension.
  if (isa<linalg::FillOp, linalg::CopyOp, linalg::BroadcastOp>(
          op.getOperation()) &&
      product(ranges) >= kMinVectorWork)
    return rowSchedule(ranges, std::nullopt);
  if (auto generic = dyn_cast<linalg::GenericOp>(op.getOperation())) {
    if (isElementwise(generic)) {
      if (readsWhole(generic))
        return flatSchedule(ranges);
      return rowSchedule(ranges, std::nullopt);
    }
    if (isSum(generic))
      return sumSchedule(generic, ranges);
  }
  return threadsOnly(op, ranges);
}

} // namespace

std::optional<Schedule> tcnnc::optimize::scheduleFor(linalg::LinalgOp op) {
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  if (ranges.empty() || llvm::any_of(ranges, ShapedType::isDynamic) ||
      !op.hasPureTensorSemantics())
    return std::nullopt;
  std::optional<Schedule> s = scheduleOf(op, ranges);
  int64_t work = product(ranges);
  if (s && work < kMinParallelWork)
    return s->vectorize ? std::optional<Schedule>(sequential(*s))
                        : std::nullopt;
  return s;
}

