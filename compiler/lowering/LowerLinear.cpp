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

/// `v` [..., k] as the matrix [M, k] of its rows (itself when 2-D): a
/// Linear on any rank applies to the last dimension, row by row.
Value asMatrix(OpBuilder &b, Location loc, Value v) {
  auto type = cast<RankedTensorType>(v.getType());
  if (type.getRank() == 2)
    return v;
  int64_t k = type.getShape().back();
  return reshape(b, loc, v,
                 RankedTensorType::get({type.getNumElements() / k, k},
                                       type.getElementType()));
}

/// The matrix type of `type`'s rows.
RankedTensorType matrixType(RankedTensorType type) {
  int64_t k = type.getShape().back();
  return RankedTensorType::get({type.getNumElements() / k, k},
                               type.getElementType());
}

/// `v` back in the shape of `type` (itself when it has it).
Value fromMatrix(OpBuilder &b, Location loc, Value v, RankedTensorType type) {
  return v.getType() == type ? v : reshape(b, loc, v, type);
}

/// Every product is a plain linalg.matmul, row-major on both sides, so the
/// one vectorized schedule reads rows of its right operand contiguously:
/// the weight [out, in] is transposed once per step for the forward, dy for
/// the weight gradient.
///
/// The matmul's columns are its vector lanes. When the output features are
/// no multiple of 16 but the batch is (lenet5: 120, 84 and 10 features, a
/// batch of 64), the product is taken the other way round, y^T = w x^T,
/// with the batch as the lanes, and transposed back.
Value lowerLinear(LinearOp op, OpBuilder &b) {
  Location loc = op.getLoc();
  RankedTensorType type = matrixType(op.getType());
  Value x = asMatrix(b, loc, op.getInput());
  int64_t n = type.getDimSize(0), out = type.getDimSize(1);
  if (out % 16 != 0 && n % 16 == 0) {
    auto yTType = RankedTensorType::get({out, n}, type.getElementType());
    Value init = biasInit(b, loc, op.getBias(), yTType, /*channelDim=*/0);
    Value xT = transpose(b, loc, x, {1, 0});
    Value yT = b.create<linalg::MatmulOp>(loc, TypeRange{yTType},
                                          ValueRange{op.getWeight(), xT},
                                          ValueRange{init})
                   ->getResult(0);
    return fromMatrix(b, loc, transpose(b, loc, yT, {1, 0}), op.getType());
  }
  Value init = biasInit(b, loc, op.getBias(), type);
  Value wT = transpose(b, loc, op.getWeight(), {1, 0});
  Value y = b.create<linalg::MatmulOp>(loc, TypeRange{type}, ValueRange{x, wT},
                                       ValueRange{init})
                ->getResult(0);
  return fromMatrix(b, loc, y, op.getType());
}

Value lowerLinearInputGrad(LinearInputGradOp op, OpBuilder &b) {
  Location loc = op.getLoc();
  RankedTensorType type = matrixType(op.getType());
  Value init = zeros(b, loc, type.getShape());
  Value dx = b.create<linalg::MatmulOp>(
                  loc, TypeRange{type},
                  ValueRange{asMatrix(b, loc, op.getOutputGrad()),
                             op.getWeight()},
                  ValueRange{init})
                 ->getResult(0);
  return fromMatrix(b, loc, dx, op.getType());
}

/// dw[o, i] = sum over n of dy[n, o] x[n, i] = (dy^T x)[o, i].
Value lowerLinearWeightGrad(LinearWeightGradOp op, OpBuilder &b) {
  Location loc = op.getLoc();
  Value init = zeros(b, loc, op.getType().getShape());
  Value dyT = transpose(b, loc, asMatrix(b, loc, op.getOutputGrad()), {1, 0});
  return b
      .create<linalg::MatmulOp>(loc, TypeRange{op.getType()},
                                ValueRange{dyT, asMatrix(b, loc, op.getInput())},
                                ValueRange{init})
      ->getResult(0);
}

/// 2 x rows x in x out for all three products.
int64_t linearFlops(Value x, Value weight) {
  auto w = cast<ShapedType>(weight.getType());
  auto t = cast<ShapedType>(x.getType());
  return 2 * (t.getNumElements() / t.getShape().back()) * w.getNumElements();
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
