//===- FuseElementwise.cpp - the -tcnn-fuse-elementwise pass --------------===//
//
// A step's elementwise ops (ReLU and its gradient, the routing of a
// max-pool gradient) each read and write whole activations: at a few
// megabytes each, every such pass costs as much as it moves through
// memory. Fusing them into their consumers removes the round trip.
//
//===----------------------------------------------------------------------===//

#include "compiler/optimize/Passes.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace tcnnc::optimize {
#define GEN_PASS_DEF_TCNNFUSEELEMENTWISE
#include "compiler/optimize/Passes.h.inc"
} // namespace tcnnc::optimize

using namespace mlir;

namespace {

/// Scalar ops in a generic's body beyond which recomputing it in every
/// reader costs more than writing it once.
constexpr size_t kCheapOps = 4;

/// An all-parallel generic that is cheap to recompute, or has one reader.
bool isFusibleProducer(Operation *op) {
  auto generic = dyn_cast_or_null<linalg::GenericOp>(op);
  if (!generic || generic.getNumReductionLoops() != 0 ||
      generic.getNumDpsInits() != 1)
    return false;
  size_t ops = generic.getBody()->getOperations().size() - 1;
  return ops <= kCheapOps || generic->hasOneUse();
}

/// Every user of `v` is a linalg.generic (so folding a reshape into its
/// producer leads to a fusion, not just a reshaped op).
bool onlyGenericsUse(Value v) {
  return llvm::all_of(v.getUsers(), [](Operation *user) {
    return isa<linalg::GenericOp>(user);
  });
}

/// Fuse the producer of `operand` into its generic reader when the
/// reader visits each produced element once (a permutation map: no
/// broadcast that would recompute it many times).
bool controlFusion(OpOperand *operand) {
  auto consumer = dyn_cast<linalg::GenericOp>(operand->getOwner());
  if (!consumer || !isFusibleProducer(operand->get().getDefiningOp()))
    return false;
  return consumer.getMatchingIndexingMap(operand).isPermutation();
}

/// Fold a reshape into an elementwise generic by expanding its loops
/// only where a fusion follows: an expand_shape of a fusible producer
/// read only by generics, or a generic reading a collapse_shape of one.
bool controlReshape(OpOperand *operand) {
  Operation *owner = operand->getOwner();
  if (auto expand = dyn_cast<tensor::ExpandShapeOp>(owner))
    return isFusibleProducer(expand.getSrc().getDefiningOp()) &&
           onlyGenericsUse(expand.getResult());
  auto collapse = operand->get().getDefiningOp<tensor::CollapseShapeOp>();
  return collapse && isa<linalg::GenericOp>(owner) &&
         isFusibleProducer(collapse.getSrc().getDefiningOp()) &&
         collapse.getSrc().hasOneUse();
}

/// A constant padding (a convolution's zeros): a fill of the padded
/// tensor and a linalg.copy of the source into its interior, both tiled
/// and vectorized like any other op, instead of the scalar fill and copy
/// that bufferization would leave; the copy writes the interior in place.
/// (Having an elementwise producer write the interior itself, as
/// upstream's pad fusion does, recomputed it for its other readers and
/// made separable's step slower.)
struct PadAsFillAndCopy : public OpRewritePattern<tensor::PadOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(tensor::PadOp pad,
                                PatternRewriter &rewriter) const override {
    Value value = pad.getConstantPaddingValue();
    auto type = pad.getResultType();
    if (!value || !type.hasStaticShape() ||
        !pad.getSourceType().hasStaticShape())
      return failure();
    Location loc = pad.getLoc();
    Value empty = rewriter.create<tensor::EmptyOp>(loc, type.getShape(),
                                                   type.getElementType());
    Value filled =
        rewriter.create<linalg::FillOp>(loc, value, empty).getResult(0);
    SmallVector<OpFoldResult> offsets = pad.getMixedLowPad();
    SmallVector<OpFoldResult> sizes, strides;
    for (int64_t size : pad.getSourceType().getShape()) {
      sizes.push_back(rewriter.getIndexAttr(size));
      strides.push_back(rewriter.getIndexAttr(1));
    }
    Value interior = rewriter.create<tensor::ExtractSliceOp>(
        loc, filled, offsets, sizes, strides);
    Value copied = rewriter
                       .create<linalg::CopyOp>(loc, pad.getSource(), interior)
                       .getResult(0);
    rewriter.replaceOpWithNewOp<tensor::InsertSliceOp>(
        pad, copied, filled, offsets, sizes, strides);
    return success();
  }
};

struct TcnnFuseElementwisePass
    : public tcnnc::optimize::impl::TcnnFuseElementwiseBase<
          TcnnFuseElementwisePass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    linalg::populateElementwiseOpsFusionPatterns(patterns, controlFusion);
    linalg::populateFoldReshapeOpsByExpansionPatterns(patterns,
                                                      controlReshape);
    patterns.add<PadAsFillAndCopy>(&getContext());
    if (failed(applyPatternsAndFoldGreedily(getOperation(),
                                            std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
