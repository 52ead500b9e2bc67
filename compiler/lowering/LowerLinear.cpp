//===- LowerLinear.cpp - linear and its gradients to linalg matmuls -------===//
//
// y = x W^T + b is linalg.matmul_transpose_b onto the broadcast bias;
// dx = dy W is linalg.matmul; dW = dy^T x is linalg.matmul_transpose_a.
//
//===----------------------------------------------------------------------===//

#include "compiler/lowering/LinalgHelpers.h"
#include "compiler/lowering/LoweringInterface.h"

#include "dialect/TcnnOps.h"

using namespace mlir;
using namespace mlir::tcnn;
using namespace tcnnc::lowering;

namespace {

Value lowerLinear(LinearOp op, OpBuilder &b) {
  Value init = biasInit(b, op.getLoc(), op.getBias(), op.getType());
  return b
      .create<linalg::MatmulTransposeBOp>(
          op.getLoc(), TypeRange{op.getType()},
          ValueRange{op.getInput(), op.getWeight()}, ValueRange{init})
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

Value lowerLinearWeightGrad(LinearWeightGradOp op, OpBuilder &b) {
  Value init = zeros(b, op.getLoc(), op.getType().getShape());
  return b
      .create<linalg::MatmulTransposeAOp>(
          op.getLoc(), TypeRange{op.getType()},
          ValueRange{op.getOutputGrad(), op.getInput()}, ValueRange{init})
      ->getResult(0);
}

} // namespace

void tcnnc::lowering::registerLinearLowerings(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *ctx, TcnnDialect *) {
    LinearOp::attachInterface<FnLowering<LinearOp, lowerLinear>>(*ctx);
    LinearInputGradOp::attachInterface<
        FnLowering<LinearInputGradOp, lowerLinearInputGrad>>(*ctx);
    LinearWeightGradOp::attachInterface<
        FnLowering<LinearWeightGradOp, lowerLinearWeightGrad>>(*ctx);
  });
}
