//===- LowerLinear.cpp - linear and its gradients to linalg matmuls -------===//
//
// y = x W^T + b is linalg.matmul of x and the transposed W onto the
// broadcast bias; dx = dy W is linalg.matmul; dW = dy^T x is linalg.matmul
// of the transposed dy and x.
//
//===----------------------------------------------------------------------===//

#include "compiler/lowering/LinalgHelpers.h"
#include "compiler/lowering/LoweringInterface.h"

#include "dialect/TcnnOps.h"

using namespace mlir;
using namespace mlir::tcnn;
using namespace tcnnc::lowering;

namespace {

/// Every product is a plain linalg.matmul, row-major on both sides, so the
/// one vectorized schedule reads rows of its right operand contiguously:
/// the weight [out, in] is transposed once per step for the forward, dy for
/// the weight gradient.
Value lowerLinear(LinearOp op, OpBuilder &b) {
  Location loc = op.getLoc();
  Value init = biasInit(b, loc, op.getBias(), op.getType());
  Value wT = transpose(b, loc, op.getWeight(), {1, 0});
  return b
      .create<linalg::MatmulOp>(loc, TypeRange{op.getType()},
                                ValueRange{op.getInput(), wT}, ValueRange{init})
      ->getResult(0);
}

Value lowerLinearInputGrad(LinearInputGradOp op, OpBuilder &b) {
  Value init = zeros(b, op.getLoc(), op.getType().getShape());
  return b
      .create<linalg::MatmulOp>(op.getLoc(), TypeRange{op.getType()},
                                ValueRange{op.getOutputGrad(), op.getWeight()},
                                ValueRange{init})
      ->getResult(0);
}

/// dw[o, i] = sum over n of dy[n, o] x[n, i] = (dy^T x)[o, i].
Value lowerLinearWeightGrad(LinearWeightGradOp op, OpBuilder &b) {
  Location loc = op.getLoc();
  Value init = zeros(b, loc, op.getType().getShape());
  Value dyT = transpose(b, loc, op.getOutputGrad(), {1, 0});
  return b
      .create<linalg::MatmulOp>(loc, TypeRange{op.getType()},
                                ValueRange{dyT, op.getInput()}, ValueRange{init})
      ->getResult(0);
}

/// 2 x n x in x out for all three products.
int64_t linearFlops(Value x, Value weight) {
  auto w = cast<ShapedType>(weight.getType());
  return 2 * cast<ShapedType>(x.getType()).getDimSize(0) * w.getNumElements();
}
int64_t linearOpFlops(LinearOp op) {
  return linearFlops(op.getInput(), op.getWeight());
}
int64_t linearInputGradFlops(LinearInputGradOp op) {
  return linearFlops(op.getOutputGrad(), op.getWeight());
}
int64_t linearWeightGradFlops(LinearWeightGradOp op) {
  return linearFlops(op.getOutputGrad(), op.getResult());
}

} // namespace

void tcnnc::lowering::registerLinearLowerings(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *ctx, TcnnDialect *) {
    LinearOp::attachInterface<
        FnLowering<LinearOp, lowerLinear, linearOpFlops>>(*ctx);
    LinearInputGradOp::attachInterface<FnLowering<
        LinearInputGradOp, lowerLinearInputGrad, linearInputGradFlops>>(*ctx);
    LinearWeightGradOp::attachInterface<
        FnLowering<LinearWeightGradOp, lowerLinearWeightGrad,
                   linearWeightGradFlops>>(*ctx);
  });
}
