//===- LowerLinear.cpp - linear and its gradients to linalg matmuls -------===//
//
// y = x W^T + b is linalg.matmul_transpose_b onto the broadcast bias;
// dx = dy W is linalg.matmul; dW = dy^T x is linalg.matmul_transpose_a.
//
//===----------------------------------------------------------------------===//

#include "compiler/lowering/LinalgHelpers.h"
#include "compiler/lowering/Patterns.h"

#include "dialect/TcnnOps.h"

using namespace mlir;
using namespace tcnnc::lowering;

namespace {

struct LinearLowering : OpRewritePattern<mlir::tcnn::LinearOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(mlir::tcnn::LinearOp op,
                                PatternRewriter &b) const override {
    Value init = biasInit(b, op.getLoc(), op.getBias(), op.getType());
    b.replaceOpWithNewOp<linalg::MatmulTransposeBOp>(
        op, TypeRange{op.getType()}, ValueRange{op.getInput(), op.getWeight()},
        ValueRange{init});
    return success();
  }
};

struct LinearInputGradLowering : OpRewritePattern<mlir::tcnn::LinearInputGradOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(mlir::tcnn::LinearInputGradOp op,
                                PatternRewriter &b) const override {
    Value init = zeros(b, op.getLoc(), op.getType().getShape());
    b.replaceOpWithNewOp<linalg::MatmulOp>(
        op, TypeRange{op.getType()},
        ValueRange{op.getOutputGrad(), op.getWeight()}, ValueRange{init});
    return success();
  }
};

struct LinearWeightGradLowering
    : OpRewritePattern<mlir::tcnn::LinearWeightGradOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(mlir::tcnn::LinearWeightGradOp op,
                                PatternRewriter &b) const override {
    Value init = zeros(b, op.getLoc(), op.getType().getShape());
    b.replaceOpWithNewOp<linalg::MatmulTransposeAOp>(
        op, TypeRange{op.getType()},
        ValueRange{op.getOutputGrad(), op.getInput()}, ValueRange{init});
    return success();
  }
};

} // namespace

void tcnnc::lowering::populateLinearPatterns(RewritePatternSet &patterns) {
  patterns.add<LinearLowering, LinearInputGradLowering,
               LinearWeightGradLowering>(patterns.getContext());
}
