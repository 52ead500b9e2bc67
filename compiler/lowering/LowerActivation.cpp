//===- LowerActivation.cpp - sigmoid, tanh, elu, gelu to linalg -----------===//
//
// Each activation and its backward op is one elementwise linalg.generic
// whose body is the formula in f32 with math dialect functions (exp,
// expm1, tanh, erf); -tcnn-lower-vectors later turns those into
// polynomial approximations on whole vectors.
//
//===----------------------------------------------------------------------===//

#include "compiler/lowering/LinalgHelpers.h"
#include "compiler/lowering/LoweringInterface.h"

#include "dialect/TcnnOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

#include <cmath>

using namespace mlir;
using namespace mlir::tcnn;
using namespace tcnnc::lowering;

namespace {

using ScalarFn = llvm::function_ref<Value(OpBuilder &, Location, Value)>;

/// y = f(x).
template <typename OpT>
Value mapInput(OpT op, OpBuilder &b, ScalarFn f) {
  return elementwise(b, op.getLoc(), op.getType(), {op.getInput()},
                     [&](OpBuilder &nb, Location l, ValueRange a) {
                       return f(nb, l, a[0]);
                     });
}

/// dx = dy * f'(x).
template <typename OpT>
Value scaleGrad(OpT op, OpBuilder &b, ScalarFn derivative) {
  return elementwise(b, op.getLoc(), op.getType(),
                     {op.getOutputGrad(), op.getInput()},
                     [&](OpBuilder &nb, Location l, ValueRange a) {
                       return nb
                           .create<arith::MulFOp>(l, a[0],
                                                  derivative(nb, l, a[1]))
                           .getResult();
                     });
}

Value sigmoid(OpBuilder &b, Location l, Value x) {
  Value e = b.create<math::ExpOp>(l, b.create<arith::NegFOp>(l, x));
  return b.create<arith::DivFOp>(
      l, f32(b, l, 1.0), b.create<arith::AddFOp>(l, f32(b, l, 1.0), e));
}

/// s (1 - s), s = sigmoid(x).
Value sigmoidDerivative(OpBuilder &b, Location l, Value x) {
  Value s = sigmoid(b, l, x);
  return b.create<arith::MulFOp>(
      l, s, b.create<arith::SubFOp>(l, f32(b, l, 1.0), s));
}

Value hyperbolicTangent(OpBuilder &b, Location l, Value x) {
  return b.create<math::TanhOp>(l, x);
}

/// 1 - tanh(x)^2.
Value tanhDerivative(OpBuilder &b, Location l, Value x) {
  Value t = hyperbolicTangent(b, l, x);
  return b.create<arith::SubFOp>(l, f32(b, l, 1.0),
                                 b.create<arith::MulFOp>(l, t, t));
}

/// Phi(x) = (1 + erf(x / sqrt 2)) / 2.
Value normalCdf(OpBuilder &b, Location l, Value x) {
  Value erf = b.create<math::ErfOp>(
      l, b.create<arith::MulFOp>(l, x, f32(b, l, M_SQRT1_2)));
  return b.create<arith::MulFOp>(
      l, f32(b, l, 0.5), b.create<arith::AddFOp>(l, f32(b, l, 1.0), erf));
}

Value gelu(OpBuilder &b, Location l, Value x) {
  return b.create<arith::MulFOp>(l, x, normalCdf(b, l, x));
}

/// Phi(x) + x phi(x), phi(x) = e^(-x^2 / 2) / sqrt(2 pi).
Value geluDerivative(OpBuilder &b, Location l, Value x) {
  Value halfSquare = b.create<arith::MulFOp>(
      l, f32(b, l, -0.5), b.create<arith::MulFOp>(l, x, x));
  Value pdf = b.create<arith::MulFOp>(l, b.create<math::ExpOp>(l, halfSquare),
                                      f32(b, l, 1.0 / std::sqrt(2.0 * M_PI)));
  return b.create<arith::AddFOp>(l, normalCdf(b, l, x),
                                 b.create<arith::MulFOp>(l, x, pdf));
}

Value positive(OpBuilder &b, Location l, Value x) {
  return b.create<arith::CmpFOp>(l, arith::CmpFPredicate::OGT, x,
                                 f32(b, l, 0.0));
}

Value lowerSigmoid(SigmoidOp op, OpBuilder &b) {
  return mapInput(op, b, sigmoid);
}
Value lowerSigmoidGrad(SigmoidGradOp op, OpBuilder &b) {
  return scaleGrad(op, b, sigmoidDerivative);
}
Value lowerTanh(TanhOp op, OpBuilder &b) { return mapInput(op, b, hyperbolicTangent); }
Value lowerTanhGrad(TanhGradOp op, OpBuilder &b) {
  return scaleGrad(op, b, tanhDerivative);
}
Value lowerGelu(GeluOp op, OpBuilder &b) { return mapInput(op, b, gelu); }
Value lowerGeluGrad(GeluGradOp op, OpBuilder &b) {
  return scaleGrad(op, b, geluDerivative);
}

/// y = x > 0 ? x : alpha (e^x - 1), with expm1 as PyTorch (exact near 0).
Value lowerElu(EluOp op, OpBuilder &b) {
  double alpha = op.getAlpha().convertToDouble();
  return mapInput(op, b, [alpha](OpBuilder &nb, Location l, Value x) {
    Value negative = nb.create<arith::MulFOp>(
        l, f32(nb, l, alpha), nb.create<math::ExpM1Op>(l, x));
    return nb.create<arith::SelectOp>(l, positive(nb, l, x), x, negative)
        .getResult();
  });
}

/// dx = dy * (x > 0 ? 1 : alpha e^x).
Value lowerEluGrad(EluGradOp op, OpBuilder &b) {
  double alpha = op.getAlpha().convertToDouble();
  return scaleGrad(op, b, [alpha](OpBuilder &nb, Location l, Value x) {
    Value slope = nb.create<arith::MulFOp>(l, f32(nb, l, alpha),
                                           nb.create<math::ExpOp>(l, x));
    return nb
        .create<arith::SelectOp>(l, positive(nb, l, x), f32(nb, l, 1.0), slope)
        .getResult();
  });
}

} // namespace

void tcnnc::lowering::registerActivationLowerings(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *ctx, TcnnDialect *) {
    SigmoidOp::attachInterface<FnLowering<SigmoidOp, lowerSigmoid>>(*ctx);
    SigmoidGradOp::attachInterface<
        FnLowering<SigmoidGradOp, lowerSigmoidGrad>>(*ctx);
    TanhOp::attachInterface<FnLowering<TanhOp, lowerTanh>>(*ctx);
    TanhGradOp::attachInterface<FnLowering<TanhGradOp, lowerTanhGrad>>(*ctx);
    EluOp::attachInterface<FnLowering<EluOp, lowerElu>>(*ctx);
    EluGradOp::attachInterface<FnLowering<EluGradOp, lowerEluGrad>>(*ctx);
    GeluOp::attachInterface<FnLowering<GeluOp, lowerGelu>>(*ctx);
    GeluGradOp::attachInterface<FnLowering<GeluGradOp, lowerGeluGrad>>(*ctx);
  });
}
