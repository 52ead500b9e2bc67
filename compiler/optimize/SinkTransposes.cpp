//===- SinkTransposes.cpp - the -tcnn-sink-transposes pass ----------------===//
//
// Layout is the compiler's choice inside a step: convolutions and pooling
// compute channels-last and transpose from and to NCHW at their
// boundaries. Moving each transpose below the elementwise ops that follow
// it lets it meet the next op's inverse transpose, and canonicalization
// folds the pair away.
//
//===----------------------------------------------------------------------===//

#include "compiler/optimize/Passes.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace tcnnc::optimize {
#define GEN_PASS_DEF_TCNNSINKTRANSPOSES
#include "compiler/optimize/Passes.h.inc"
} // namespace tcnnc::optimize

using namespace mlir;

namespace {

/// An elementwise generic: every loop parallel, one result, every operand
/// read at the loop indices (full rank, identity map) or a 0-d scalar, a
/// body that neither asks for the indices nor reads the result's initial
/// value. Such an op computes the same values in any layout.
bool isLayoutFree(linalg::GenericOp op) {
  if (op.getNumDpsInits() != 1 || op.getNumLoops() == 0 ||
      op.getNumReductionLoops() != 0 ||
      !op.getBody()->getOps<linalg::IndexOp>().empty() ||
      op.payloadUsesValueFromOperand(op.getDpsInitOperand(0)))
    return false;
  for (OpOperand &operand : op->getOpOperands()) {
    AffineMap map = op.getMatchingIndexingMap(&operand);
    if (!map.isIdentity() && map.getNumResults() != 0)
      return false;
  }
  return true;
}

/// generic(transpose(a, P), transpose(b, P), s) ->
/// transpose(generic(a, b, s), P) for a layout-free generic.
struct SinkTransposeBelowElementwise
    : public OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::GenericOp op,
                                PatternRewriter &rewriter) const override {
    if (!isLayoutFree(op))
      return failure();
    std::optional<SmallVector<int64_t>> perm;
    SmallVector<Value> inputs;
    ArrayRef<int64_t> sourceShape;
    for (OpOperand *operand : op.getDpsInputOperands()) {
      Value v = operand->get();
      if (op.getMatchingIndexingMap(operand).getNumResults() == 0) {
        inputs.push_back(v);
        continue;
      }
      auto t = v.getDefiningOp<linalg::TransposeOp>();
      if (!t || (perm && ArrayRef<int64_t>(*perm) != t.getPermutation()))
        return failure();
      perm = llvm::to_vector(t.getPermutation());
      inputs.push_back(t.getInput());
      sourceShape = t.getInput().getType().getShape();
    }
    if (!perm)
      return failure();
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getResult(0).getType());
    auto sunkType = RankedTensorType::get(sourceShape,
                                          resultType.getElementType());
    Value init = rewriter.create<tensor::EmptyOp>(loc, sunkType.getShape(),
                                                  sunkType.getElementType());
    auto sunk = rewriter.create<linalg::GenericOp>(
        loc, TypeRange{sunkType}, inputs, ValueRange{init},
        op.getIndexingMapsArray(), op.getIteratorTypesArray());
    rewriter.inlineRegionBefore(op.getRegion(), sunk.getRegion(),
                                sunk.getRegion().begin());
    Value out = rewriter.create<tensor::EmptyOp>(loc, resultType.getShape(),
                                                 resultType.getElementType());
    rewriter.replaceOpWithNewOp<linalg::TransposeOp>(op, sunk.getResult(0),
                                                     out, *perm);
    return success();
  }
};

struct TcnnSinkTransposesPass
    : public tcnnc::optimize::impl::TcnnSinkTransposesBase<
          TcnnSinkTransposesPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<SinkTransposeBelowElementwise>(&getContext());
    linalg::TransposeOp::getCanonicalizationPatterns(patterns, &getContext());
    if (failed(applyPatternsAndFoldGreedily(getOperation(),
                                            std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
