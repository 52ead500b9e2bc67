//===- LowerElementwise.cpp - relu, add, flatten, reshape to linalg -------===//

#include "compiler/lowering/LinalgHelpers.h"
#include "compiler/lowering/Patterns.h"

#include "dialect/TcnnOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;
using namespace tcnnc::lowering;

namespace {

/// y = max(x, 0).
struct ReluLowering : OpRewritePattern<mlir::tcnn::ReluOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(mlir::tcnn::ReluOp op,
                                PatternRewriter &b) const override {
    b.replaceOp(op, elementwise(b, op.getLoc(), op.getType(), {op.getInput()},
                                [](OpBuilder &nb, Location l, ValueRange a) {
                                  return nb
                                      .create<arith::MaximumFOp>(
                                          l, a[0], f32(nb, l, 0.0))
                                      .getResult();
                                }));
    return success();
  }
};

/// dx = x > 0 ? dy : 0.
struct ReluGradLowering : OpRewritePattern<mlir::tcnn::ReluGradOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(mlir::tcnn::ReluGradOp op,
                                PatternRewriter &b) const override {
    b.replaceOp(op, elementwise(
                        b, op.getLoc(), op.getType(),
                        {op.getOutputGrad(), op.getInput()},
                        [](OpBuilder &nb, Location l, ValueRange a) {
                          Value positive = nb.create<arith::CmpFOp>(
                              l, arith::CmpFPredicate::OGT, a[1],
                              f32(nb, l, 0.0));
                          return nb
                              .create<arith::SelectOp>(l, positive, a[0],
                                                       f32(nb, l, 0.0))
                              .getResult();
                        }));
    return success();
  }
};

struct AddLowering : OpRewritePattern<mlir::tcnn::AddOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(mlir::tcnn::AddOp op,
                                PatternRewriter &b) const override {
    b.replaceOp(op, elementwise(b, op.getLoc(), op.getType(),
                                {op.getLhs(), op.getRhs()},
                                [](OpBuilder &nb, Location l, ValueRange a) {
                                  return nb.create<arith::AddFOp>(l, a[0], a[1])
                                      .getResult();
                                }));
    return success();
  }
};

/// flatten and reshape are row-major reinterpretations: collapse + expand,
/// which bufferize to views of the same buffer.
template <typename OpTy>
struct ReshapeLowering : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op, PatternRewriter &b) const override {
    b.replaceOp(op, reshape(b, op.getLoc(), op.getInput(), op.getType()));
    return success();
  }
};

} // namespace

void tcnnc::lowering::populateElementwisePatterns(RewritePatternSet &patterns) {
  patterns.add<ReluLowering, ReluGradLowering, AddLowering,
               ReshapeLowering<mlir::tcnn::FlattenOp>,
               ReshapeLowering<mlir::tcnn::ReshapeOp>>(patterns.getContext());
}
