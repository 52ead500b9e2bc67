//===- LowerActivation.cpp - sigmoid, tanh, elu, gelu, softmax to linalg --===//
//
// Each activation and its backward op is one elementwise linalg.generic
// whose body is the formula in f32 with math dialect functions (exp,
// expm1, tanh, erf); -tcnn-lower-vectors later turns those into
// polynomial approximations on whole vectors. Softmax and its gradient
// reduce along their dimension first (maxima and sums per line), then map.
//
//===----------------------------------------------------------------------===//

#include "compiler/lowering/LinalgHelpers.h"
#include "compiler/lowering/LoweringInterface.h"

#include "dialect/TcnnOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

#include <cmath>
#include <limits>

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

/// PyTorch's approximate='tanh': u = sqrt(2 / pi) (x + 0.044715 x^3),
/// t = tanh(u).
constexpr double kGeluCubic = 0.044715;
Value geluTanhOfU(OpBuilder &b, Location l, Value x) {
  Value cube = b.create<arith::MulFOp>(l, b.create<arith::MulFOp>(l, x, x), x);
  Value inner = b.create<arith::AddFOp>(
      l, x, b.create<arith::MulFOp>(l, cube, f32(b, l, kGeluCubic)));
  return b.create<math::TanhOp>(
      l, b.create<arith::MulFOp>(l, inner, f32(b, l, std::sqrt(2.0 / M_PI))));
}

/// x / 2 (1 + t).
Value geluTanh(OpBuilder &b, Location l, Value x) {
  Value t = geluTanhOfU(b, l, x);
  return b.create<arith::MulFOp>(
      l, b.create<arith::MulFOp>(l, x, f32(b, l, 0.5)),
      b.create<arith::AddFOp>(l, f32(b, l, 1.0), t));
}

/// (1 + t) / 2 + x / 2 (1 - t^2) sqrt(2 / pi) (1 + 3 * 0.044715 x^2).
Value geluTanhDerivative(OpBuilder &b, Location l, Value x) {
  Value t = geluTanhOfU(b, l, x);
  Value half = f32(b, l, 0.5), one = f32(b, l, 1.0);
  Value first =
      b.create<arith::MulFOp>(l, half, b.create<arith::AddFOp>(l, one, t));
  Value sech2 =
      b.create<arith::SubFOp>(l, one, b.create<arith::MulFOp>(l, t, t));
  Value du = b.create<arith::MulFOp>(
      l, f32(b, l, std::sqrt(2.0 / M_PI)),
      b.create<arith::AddFOp>(
          l, one,
          b.create<arith::MulFOp>(l, f32(b, l, 3.0 * kGeluCubic),
                                  b.create<arith::MulFOp>(l, x, x))));
  Value second = b.create<arith::MulFOp>(
      l, b.create<arith::MulFOp>(l, b.create<arith::MulFOp>(l, half, x), sech2),
      du);
  return b.create<arith::AddFOp>(l, first, second);
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
Value lowerGelu(GeluOp op, OpBuilder &b) {
  return mapInput(op, b, op.getApproximate() == "tanh" ? geluTanh : gelu);
}
Value lowerGeluGrad(GeluGradOp op, OpBuilder &b) {
  return scaleGrad(op, b,
                   op.getApproximate() == "tanh" ? geluTanhDerivative
                                                 : geluDerivative);
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


/// The maps and iterators of a reduction along `dim` of a tensor of
/// `rank`: the full index, the index without `dim` (one line), and every
/// loop parallel but `dim`.
struct AlongDim {
  AffineMap full, line;
  SmallVector<utils::IteratorType> reduce, parallel;
  RankedTensorType lineType;
  AlongDim(OpBuilder &b, RankedTensorType type, int64_t dim) {
    unsigned rank = type.getRank();
    full = b.getMultiDimIdentityMap(rank);
    line = full.dropResult(dim);
    parallel.assign(rank, utils::IteratorType::parallel);
    reduce = parallel;
    reduce[dim] = utils::IteratorType::reduction;
    SmallVector<int64_t> shape(type.getShape());
    shape.erase(shape.begin() + dim);
    lineType = RankedTensorType::get(shape, type.getElementType());
  }
  /// Sum along the line of `term(elements of inputs)`.
  Value sum(OpBuilder &b, Location loc, ValueRange inputs,
            llvm::function_ref<Value(OpBuilder &, Location, ValueRange)> term) {
    SmallVector<AffineMap> maps(inputs.size(), full);
    maps.push_back(line);
    return generic(b, loc, lineType, inputs,
                   zeros(b, loc, lineType.getShape()), maps, reduce,
                   [&](OpBuilder &nb, Location l, ValueRange a) {
                     return nb
                         .create<arith::AddFOp>(l, a.back(),
                                                term(nb, l, a.drop_back()))
                         .getResult();
                   });
  }
};

/// The line maxima m and the sums of exp(x - m) of softmax's input.
std::pair<Value, Value> softmaxStats(OpBuilder &b, Location loc, Value x,
                                     AlongDim &along) {
  Value max = generic(
      b, loc, along.lineType, {x},
      filled(b, loc, along.lineType.getShape(), b.getF32Type(),
             f32(b, loc, -std::numeric_limits<float>::infinity())),
      {along.full, along.line}, along.reduce,
      [](OpBuilder &nb, Location l, ValueRange a) {
        return nb.create<arith::MaximumFOp>(l, a[0], a[1]).getResult();
      });
  SmallVector<AffineMap> maps = {along.full, along.line, along.line};
  Value sum = generic(
      b, loc, along.lineType, {x, max}, zeros(b, loc, along.lineType.getShape()),
      maps, along.reduce, [](OpBuilder &nb, Location l, ValueRange a) {
        Value e =
            nb.create<math::ExpOp>(l, nb.create<arith::SubFOp>(l, a[0], a[1]));
        return nb.create<arith::AddFOp>(l, a[2], e).getResult();
      });
  return {max, sum};
}

/// softmax: exp(x - m) / s; log_softmax: x - m - log s.
template <typename OpT>
Value lowerSoftmaxOf(OpT op, OpBuilder &b, bool log) {
  Location loc = op.getLoc();
  auto type = cast<RankedTensorType>(op.getType());
  AlongDim along(b, type, op.getDim());
  auto [max, sum] = softmaxStats(b, loc, op.getInput(), along);
  return generic(b, loc, type, {op.getInput(), max, sum}, nullptr,
                 {along.full, along.line, along.line, along.full},
                 along.parallel, [log](OpBuilder &nb, Location l, ValueRange a) {
                   Value v = nb.create<arith::SubFOp>(l, a[0], a[1]);
                   if (log)
                     return nb
                         .create<arith::SubFOp>(l, v,
                                                nb.create<math::LogOp>(l, a[2]))
                         .getResult();
                   return nb
                       .create<arith::DivFOp>(l, nb.create<math::ExpOp>(l, v),
                                              a[2])
                       .getResult();
                 });
}

Value lowerSoftmax(SoftmaxOp op, OpBuilder &b) {
  return lowerSoftmaxOf(op, b, /*log=*/false);
}
Value lowerLogSoftmax(LogSoftmaxOp op, OpBuilder &b) {
  return lowerSoftmaxOf(op, b, /*log=*/true);
}

/// dx = y (dy - sum dy y).
Value lowerSoftmaxGrad(SoftmaxGradOp op, OpBuilder &b) {
  Location loc = op.getLoc();
  auto type = cast<RankedTensorType>(op.getType());
  AlongDim along(b, type, op.getDim());
  Value dot = along.sum(b, loc, {op.getOutputGrad(), op.getOutput()},
                        [](OpBuilder &nb, Location l, ValueRange a) {
                          return nb.create<arith::MulFOp>(l, a[0], a[1])
                              .getResult();
                        });
  return generic(b, loc, type, {op.getOutputGrad(), op.getOutput(), dot},
                 nullptr, {along.full, along.full, along.line, along.full},
                 along.parallel, [](OpBuilder &nb, Location l, ValueRange a) {
                   Value d = nb.create<arith::SubFOp>(l, a[0], a[2]);
                   return nb.create<arith::MulFOp>(l, a[1], d).getResult();
                 });
}

/// dx = dy - exp(y) sum dy.
Value lowerLogSoftmaxGrad(LogSoftmaxGradOp op, OpBuilder &b) {
  Location loc = op.getLoc();
  auto type = cast<RankedTensorType>(op.getType());
  AlongDim along(b, type, op.getDim());
  Value total = along.sum(b, loc, {op.getOutputGrad()},
                          [](OpBuilder &, Location, ValueRange a) {
                            return a[0];
                          });
  return generic(b, loc, type, {op.getOutputGrad(), op.getOutput(), total},
                 nullptr, {along.full, along.full, along.line, along.full},
                 along.parallel, [](OpBuilder &nb, Location l, ValueRange a) {
                   Value p = nb.create<math::ExpOp>(l, a[1]);
                   return nb
                       .create<arith::SubFOp>(
                           l, a[0], nb.create<arith::MulFOp>(l, p, a[2]))
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
    SoftmaxOp::attachInterface<FnLowering<SoftmaxOp, lowerSoftmax>>(*ctx);
    SoftmaxGradOp::attachInterface<
        FnLowering<SoftmaxGradOp, lowerSoftmaxGrad>>(*ctx);
    LogSoftmaxOp::attachInterface<FnLowering<LogSoftmaxOp, lowerLogSoftmax>>(
        *ctx);
    LogSoftmaxGradOp::attachInterface<
        FnLowering<LogSoftmaxGradOp, lowerLogSoftmaxGrad>>(*ctx);
  });
}
