//===- LowerOptimizer.cpp - SGD and Adam updates to linalg ----------------===//
//
// Each update is one elementwise linalg.generic over the parameter's
// shape; the hyperparameters are scalars the body captures, so the tile
// and vectorize passes treat it like any activation.
//
//===----------------------------------------------------------------------===//

#include "compiler/lowering/LinalgHelpers.h"
#include "compiler/lowering/LoweringInterface.h"

#include "dialect/TcnnOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;
using namespace mlir::tcnn;
using namespace tcnnc::lowering;

namespace {

/// grad + weight_decay * param, PyTorch's L2 penalty folded into the
/// gradient.
Value decayed(OpBuilder &b, Location loc, Value grad, Value param,
              Value weightDecay) {
  return b.create<arith::AddFOp>(
      loc, grad, b.create<arith::MulFOp>(loc, weightDecay, param));
}

/// buffer' = momentum * buffer + d.
Value lowerSgdBuffer(SgdBufferOp op, OpBuilder &b) {
  return elementwise(
      b, op.getLoc(), op.getType(), {op.getParam(), op.getGrad(), op.getBuffer()},
      [&](OpBuilder &nb, Location l, ValueRange a) {
        Value d = decayed(nb, l, a[1], a[0], op.getWeightDecay());
        Value kept = nb.create<arith::MulFOp>(l, op.getMomentum(), a[2]);
        return nb.create<arith::AddFOp>(l, kept, d).getResult();
      });
}

/// param' = param - lr * (nesterov ? d + momentum * buffer' : buffer').
Value lowerSgdUpdate(SgdUpdateOp op, OpBuilder &b) {
  Location loc = op.getLoc();
  Value nesterov = b.create<arith::CmpIOp>(
      loc, arith::CmpIPredicate::ne, op.getNesterov(),
      b.create<arith::ConstantIntOp>(loc, 0, 32));
  return elementwise(
      b, loc, op.getType(), {op.getParam(), op.getGrad(), op.getBuffer()},
      [&](OpBuilder &nb, Location l, ValueRange a) {
        Value d = decayed(nb, l, a[1], a[0], op.getWeightDecay());
        Value ahead = nb.create<arith::AddFOp>(
            l, d, nb.create<arith::MulFOp>(l, op.getMomentum(), a[2]));
        Value step = nb.create<arith::SelectOp>(l, nesterov, ahead, a[2]);
        return nb.create<arith::SubFOp>(
                   l, a[0], nb.create<arith::MulFOp>(l, op.getLr(), step))
            .getResult();
      });
}

/// moment' = beta * moment + (1 - beta) * d (or d * d).
Value lowerAdamMoment(AdamMomentOp op, OpBuilder &b) {
  Location loc = op.getLoc();
  Value rest = b.create<arith::SubFOp>(loc, f32(b, loc, 1.0), op.getBeta());
  return elementwise(
      b, loc, op.getType(), {op.getParam(), op.getGrad(), op.getMoment()},
      [&](OpBuilder &nb, Location l, ValueRange a) {
        Value d = decayed(nb, l, a[1], a[0], op.getWeightDecay());
        if (op.getSquared())
          d = nb.create<arith::MulFOp>(l, d, d);
        Value kept = nb.create<arith::MulFOp>(l, a[2], op.getBeta());
        return nb.create<arith::AddFOp>(
                   l, kept, nb.create<arith::MulFOp>(l, rest, d))
            .getResult();
      });
}

/// 1 - beta^step in double precision, as PyTorch computes it in Python.
Value biasCorrection(OpBuilder &b, Location loc, Value beta, Value step) {
  Type f64 = b.getF64Type();
  Value beta64 = b.create<arith::ExtFOp>(loc, f64, beta);
  Value step64 = b.create<arith::SIToFPOp>(loc, f64, step);
  Value power = b.create<math::PowFOp>(loc, beta64, step64);
  return b.create<arith::SubFOp>(
      loc, b.create<arith::ConstantFloatOp>(loc, APFloat(1.0), b.getF64Type()),
      power);
}

/// param' = param - (lr / c1) * m / (sqrt(v) / sqrt(c2) + eps).
Value lowerAdamUpdate(AdamUpdateOp op, OpBuilder &b) {
  Location loc = op.getLoc();
  Type f32Type = b.getF32Type();
  Value c1 = biasCorrection(b, loc, op.getBeta1(), op.getStep());
  Value c2 = biasCorrection(b, loc, op.getBeta2(), op.getStep());
  Value lr64 = b.create<arith::ExtFOp>(loc, b.getF64Type(), op.getLr());
  Value stepSize = b.create<arith::TruncFOp>(
      loc, f32Type, b.create<arith::DivFOp>(loc, lr64, c1));
  Value c2Sqrt =
      b.create<arith::TruncFOp>(loc, f32Type, b.create<math::SqrtOp>(loc, c2));
  return elementwise(
      b, loc, op.getType(),
      {op.getParam(), op.getFirstMoment(), op.getSecondMoment()},
      [&](OpBuilder &nb, Location l, ValueRange a) {
        Value root = nb.create<math::SqrtOp>(l, a[2]);
        Value denom = nb.create<arith::AddFOp>(
            l, nb.create<arith::DivFOp>(l, root, c2Sqrt), op.getEps());
        Value ratio = nb.create<arith::DivFOp>(l, a[1], denom);
        return nb.create<arith::SubFOp>(
                   l, a[0], nb.create<arith::MulFOp>(l, stepSize, ratio))
            .getResult();
      });
}

} // namespace

void tcnnc::lowering::registerOptimizerLowerings(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *ctx, TcnnDialect *) {
    SgdBufferOp::attachInterface<FnLowering<SgdBufferOp, lowerSgdBuffer>>(*ctx);
    SgdUpdateOp::attachInterface<FnLowering<SgdUpdateOp, lowerSgdUpdate>>(*ctx);
    AdamMomentOp::attachInterface<FnLowering<AdamMomentOp, lowerAdamMoment>>(
        *ctx);
    AdamUpdateOp::attachInterface<FnLowering<AdamUpdateOp, lowerAdamUpdate>>(
        *ctx);
  });
}
