//===- LowerLoss.cpp - the losses and their gradients to linalg -----------===//
//
// Reductions to a 0-d tensor and elementwise maps as linalg.generic. Cross
// entropy works row by row in three reductions (max, sum of exp, the
// target's logit), the stable log-sum-exp form; NLL keeps each row's
// label column.
//
//===----------------------------------------------------------------------===//

#include "compiler/lowering/LinalgHelpers.h"
#include "compiler/lowering/LoweringInterface.h"

#include "dialect/TcnnOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

#include <limits>

using namespace mlir;
using namespace mlir::tcnn;
using namespace tcnnc::lowering;
using utils::IteratorType;

namespace {

/// s * v for a 0-d tensor v and an f32 scalar s.
Value scaleScalar(OpBuilder &b, Location loc, Value v, Value s) {
  auto type = cast<RankedTensorType>(v.getType());
  return elementwise(
      b, loc, type, {v}, [&](OpBuilder &nb, Location l, ValueRange a) {
        return nb.create<arith::MulFOp>(l, a[0], s).getResult();
      });
}

/// scale / (rows * perRow), `scale` times the factor of a mean over `rows`
/// rows of `perRow` elements each; with `valid` (a partial batch), over
/// that many rows instead, computed at run time. Just `scale` for
/// reduction "sum".
Value reductionFactor(OpBuilder &b, Location loc, StringRef reduction,
                      Value valid, int64_t rows, int64_t perRow,
                      double scale = 1.0) {
  if (reduction == "sum")
    return f32(b, loc, scale);
  if (!valid)
    return f32(b, loc, scale / static_cast<double>(rows * perRow));
  Value n = b.create<arith::SIToFPOp>(loc, b.getF32Type(), valid);
  Value count = b.create<arith::MulFOp>(loc, n, f32(b, loc, perRow));
  return b.create<arith::DivFOp>(loc, f32(b, loc, scale), count);
}

int64_t rowsOf(RankedTensorType type) {
  return type.getRank() == 0 ? 1 : type.getDimSize(0);
}

/// One term of a pointwise loss, or its derivative, of prediction p and
/// target t.
using TermFn =
    llvm::function_ref<Value(OpBuilder &, Location, Value p, Value t)>;

/// A pointwise loss: the reduction of term(p, t) over the elements (of the
/// real rows with `valid`).
template <typename OpT>
Value lowerReducedTerms(OpT op, OpBuilder &b, TermFn term) {
  Location loc = op.getLoc();
  auto type = cast<RankedTensorType>(op.getInput().getType());
  Value valid = op.getValid();
  Value sum = sumAll(b, loc, {op.getInput(), op.getTarget()},
                     [&](OpBuilder &nb, Location l, ValueRange a) {
                       return onRealRows(nb, l, valid, term(nb, l, a[0], a[1]));
                     });
  int64_t rows = rowsOf(type);
  return scaleScalar(b, loc, sum,
                     reductionFactor(b, loc, op.getReduction(), valid, rows,
                                     type.getNumElements() / rows));
}

/// Its gradient: dp = dL * scale (/ numel) * derivative(p, t), where the
/// derivative of the term is scale * derivative.
template <typename GradOp>
Value lowerTermGradient(GradOp op, OpBuilder &b, TermFn derivative,
                        double scale = 1.0) {
  Location loc = op.getLoc();
  auto type = op.getType();
  Value valid = op.getValid();
  int64_t rows = rowsOf(type);
  Value factor = reductionFactor(b, loc, op.getReduction(), valid, rows,
                                 type.getNumElements() / rows, scale);
  return elementwise(b, loc, type,
                     {op.getLossGrad(), op.getInput(), op.getTarget()},
                     [&](OpBuilder &nb, Location l, ValueRange a) {
                       Value s = nb.create<arith::MulFOp>(l, a[0], factor);
                       Value g = nb.create<arith::MulFOp>(
                           l, s, derivative(nb, l, a[1], a[2]));
                       return onRealRows(nb, l, valid, g);
                     });
}

/// p - t, the argument of the terms of MSE, L1 and smooth L1.
Value diff(OpBuilder &b, Location l, Value p, Value t) {
  return b.create<arith::SubFOp>(l, p, t);
}

/// sign(d): 1, -1, or 0 at 0 (PyTorch's choice for |d|).
Value sign(OpBuilder &b, Location l, Value d) {
  Value zero = f32(b, l, 0.0);
  Value pos = b.create<arith::SelectOp>(
      l, b.create<arith::CmpFOp>(l, arith::CmpFPredicate::OGT, d, zero),
      f32(b, l, 1.0), zero);
  return b.create<arith::SelectOp>(
      l, b.create<arith::CmpFOp>(l, arith::CmpFPredicate::OLT, d, zero),
      f32(b, l, -1.0), pos);
}

/// (p - t)^2.
Value lowerMseLoss(MseLossOp op, OpBuilder &b) {
  return lowerReducedTerms(op, b, [](OpBuilder &nb, Location l, Value p,
                                     Value t) {
    Value d = diff(nb, l, p, t);
    return nb.create<arith::MulFOp>(l, d, d).getResult();
  });
}

/// dp = dL * 2 (/ numel) * (p - t).
Value lowerMseLossGrad(MseLossGradOp op, OpBuilder &b) {
  return lowerTermGradient(op, b, diff, /*scale=*/2.0);
}

Value lowerL1Loss(L1LossOp op, OpBuilder &b) {
  return lowerReducedTerms(op, b, [](OpBuilder &nb, Location l, Value p,
                                     Value t) {
    return nb.create<math::AbsFOp>(l, diff(nb, l, p, t)).getResult();
  });
}

Value lowerL1LossGrad(L1LossGradOp op, OpBuilder &b) {
  return lowerTermGradient(op, b, [](OpBuilder &nb, Location l, Value p,
                                     Value t) {
    return sign(nb, l, diff(nb, l, p, t));
  });
}

/// |d| < beta ? d^2 * (0.5 / beta) : |d| - beta / 2.
Value lowerSmoothL1Loss(SmoothL1LossOp op, OpBuilder &b) {
  double beta = op.getBeta().convertToDouble();
  return lowerReducedTerms(op, b, [beta](OpBuilder &nb, Location l, Value p,
                                         Value t) {
    Value d = diff(nb, l, p, t);
    Value abs = nb.create<math::AbsFOp>(l, d);
    Value inside = nb.create<arith::CmpFOp>(l, arith::CmpFPredicate::OLT, abs,
                                            f32(nb, l, beta));
    Value square = nb.create<arith::MulFOp>(
        l, nb.create<arith::MulFOp>(l, d, d),
        f32(nb, l, beta > 0 ? 0.5 / beta : 0.0));
    Value linear = nb.create<arith::SubFOp>(l, abs, f32(nb, l, 0.5 * beta));
    return nb.create<arith::SelectOp>(l, inside, square, linear).getResult();
  });
}

/// |d| < beta ? d / beta : sign(d).
Value lowerSmoothL1LossGrad(SmoothL1LossGradOp op, OpBuilder &b) {
  double beta = op.getBeta().convertToDouble();
  return lowerTermGradient(op, b, [beta](OpBuilder &nb, Location l, Value p,
                                         Value t) {
    Value d = diff(nb, l, p, t);
    Value inside = nb.create<arith::CmpFOp>(
        l, arith::CmpFPredicate::OLT, nb.create<math::AbsFOp>(l, d),
        f32(nb, l, beta));
    Value scaled =
        nb.create<arith::MulFOp>(l, d, f32(nb, l, beta > 0 ? 1.0 / beta : 0.0));
    return nb.create<arith::SelectOp>(l, inside, scaled, sign(nb, l, d))
        .getResult();
  });
}

/// max(x, 0) - x y + log1p(exp(-|x|)): exp never sees a positive argument.
Value lowerBceWithLogitsLoss(BceWithLogitsLossOp op, OpBuilder &b) {
  return lowerReducedTerms(op, b, [](OpBuilder &nb, Location l, Value x,
                                     Value y) {
    Value relu = nb.create<arith::MaximumFOp>(l, x, f32(nb, l, 0.0));
    Value xy = nb.create<arith::MulFOp>(l, x, y);
    Value negAbs = nb.create<arith::NegFOp>(l, nb.create<math::AbsFOp>(l, x));
    Value soft =
        nb.create<math::Log1pOp>(l, nb.create<math::ExpOp>(l, negAbs));
    return nb
        .create<arith::AddFOp>(l, nb.create<arith::SubFOp>(l, relu, xy), soft)
        .getResult();
  });
}

/// sigmoid(x) - y, sigmoid as 1 / (1 + exp(-x)).
Value lowerBceWithLogitsLossGrad(BceWithLogitsLossGradOp op, OpBuilder &b) {
  return lowerTermGradient(op, b, [](OpBuilder &nb, Location l, Value x,
                                     Value y) {
    Value e = nb.create<math::ExpOp>(l, nb.create<arith::NegFOp>(l, x));
    Value one = f32(nb, l, 1.0);
    Value s = nb.create<arith::DivFOp>(l, one,
                                       nb.create<arith::AddFOp>(l, one, e));
    return nb.create<arith::SubFOp>(l, s, y).getResult();
  });
}

/// Per-row pieces of cross entropy on logits z [N, C] and labels t [N].
struct RowStats {
  Value max, sumExp; // [N]
};

RowStats rowStats(OpBuilder &b, Location loc, Value z) {
  auto type = cast<RankedTensorType>(z.getType());
  int64_t n = type.getDimSize(0);
  MLIRContext *ctx = b.getContext();
  AffineMap full = b.getMultiDimIdentityMap(2);
  AffineMap row = AffineMap::get(2, 0, b.getAffineDimExpr(0), ctx);
  auto rowType = RankedTensorType::get({n}, b.getF32Type());
  SmallVector<IteratorType> it = {IteratorType::parallel,
                                  IteratorType::reduction};
  Value max =
      generic(b, loc, rowType, {z},
              filled(b, loc, {n}, b.getF32Type(),
                     f32(b, loc, -std::numeric_limits<float>::infinity())),
              {full, row}, it, [](OpBuilder &nb, Location l, ValueRange a) {
                return nb.create<arith::MaximumFOp>(l, a[0], a[1]).getResult();
              });
  Value sumExp =
      generic(b, loc, rowType, {z, max}, zeros(b, loc, {n}), {full, row, row},
              it, [](OpBuilder &nb, Location l, ValueRange a) {
                Value d = nb.create<arith::SubFOp>(l, a[0], a[1]);
                Value e = nb.create<math::ExpOp>(l, d);
                return nb.create<arith::AddFOp>(l, a[2], e).getResult();
              });
  return {max, sumExp};
}

/// True where the column index (dim 1) is the row's label.
Value isLabel(OpBuilder &b, Location loc, Value label) {
  Value c = b.create<linalg::IndexOp>(loc, 1);
  Value t = b.create<arith::IndexCastOp>(loc, b.getIndexType(), label);
  return b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::eq, c, t);
}

/// q[n, c] inside a generic over (n, c): the target distribution,
/// (1 - e) [c == t[n]] + e / C.
Value targetProbability(OpBuilder &b, Location l, Value label, double e,
                        int64_t classes) {
  double lo = e / static_cast<double>(classes);
  return b.create<arith::SelectOp>(l, isLabel(b, l, label),
                                   f32(b, l, 1.0 - e + lo), f32(b, l, lo));
}

/// L = factor * sum over n, c of q[n, c] (lse_n - z[n, c]); without label
/// smoothing only c == t[n] counts, and the term is selected rather than
/// multiplied.
Value lowerCrossEntropyLoss(CrossEntropyLossOp op, OpBuilder &b) {
  Location loc = op.getLoc();
  Value z = op.getInput();
  auto type = cast<RankedTensorType>(z.getType());
  int64_t n = type.getDimSize(0), classes = type.getDimSize(1);
  double e = op.getLabelSmoothing().convertToDouble();
  RowStats stats = rowStats(b, loc, z);
  MLIRContext *ctx = b.getContext();
  AffineMap row = AffineMap::get(2, 0, b.getAffineDimExpr(0), ctx);
  AffineMap scalar = AffineMap::get(2, 0, ctx);
  Value total =
      generic(b, loc, RankedTensorType::get({}, b.getF32Type()),
              {z, stats.max, stats.sumExp, op.getTarget()}, zeros(b, loc, {}),
              {b.getMultiDimIdentityMap(2), row, row, row, scalar},
              {IteratorType::reduction, IteratorType::reduction},
              [&](OpBuilder &nb, Location l, ValueRange a) {
                Value lse = nb.create<arith::AddFOp>(
                    l, a[1], nb.create<math::LogOp>(l, a[2]));
                Value nll = nb.create<arith::SubFOp>(l, lse, a[0]);
                Value term =
                    e == 0.0
                        ? nb.create<arith::SelectOp>(l, isLabel(nb, l, a[3]),
                                                     nll, f32(nb, l, 0.0))
                              .getResult()
                        : nb.create<arith::MulFOp>(
                                l, nll,
                                targetProbability(nb, l, a[3], e, classes))
                              .getResult();
                return nb.create<arith::AddFOp>(
                             l, a[4], onRealRows(nb, l, op.getValid(), term))
                    .getResult();
              });
  return scaleScalar(b, loc, total,
                     reductionFactor(b, loc, op.getReduction(), op.getValid(),
                                     n, 1));
}

/// dz[n, c] = dL * factor * (exp(z - max) / sumexp - q[n, c]).
Value lowerCrossEntropyLossGrad(CrossEntropyLossGradOp op, OpBuilder &b) {
  Location loc = op.getLoc();
  Value z = op.getInput();
  auto type = op.getType();
  double e = op.getLabelSmoothing().convertToDouble();
  Value factor = reductionFactor(b, loc, op.getReduction(), op.getValid(),
                                 type.getDimSize(0), 1);
  RowStats stats = rowStats(b, loc, z);
  MLIRContext *ctx = b.getContext();
  AffineMap full = b.getMultiDimIdentityMap(2);
  AffineMap row = AffineMap::get(2, 0, b.getAffineDimExpr(0), ctx);
  AffineMap scalar = AffineMap::get(2, 0, ctx);
  return generic(
      b, loc, type,
      {z, stats.max, stats.sumExp, op.getTarget(), op.getLossGrad()}, nullptr,
      {full, row, row, row, scalar, full},
      {IteratorType::parallel, IteratorType::parallel},
      [&](OpBuilder &nb, Location l, ValueRange a) {
        Value ex =
            nb.create<math::ExpOp>(l, nb.create<arith::SubFOp>(l, a[0], a[1]));
        Value p = nb.create<arith::DivFOp>(l, ex, a[2]);
        Value q = targetProbability(nb, l, a[3], e, type.getDimSize(1));
        Value d = nb.create<arith::SubFOp>(l, p, q);
        Value s = nb.create<arith::MulFOp>(l, a[4], factor);
        return onRealRows(nb, l, op.getValid(),
                          nb.create<arith::MulFOp>(l, s, d).getResult());
      });
}

/// L = -factor * sum over n of z[n, t[n]], as a reduction over (n, c) that
/// keeps the label's column.
Value lowerNllLoss(NllLossOp op, OpBuilder &b) {
  Location loc = op.getLoc();
  Value z = op.getInput();
  auto type = cast<RankedTensorType>(z.getType());
  MLIRContext *ctx = b.getContext();
  AffineMap row = AffineMap::get(2, 0, b.getAffineDimExpr(0), ctx);
  Value total = generic(
      b, loc, RankedTensorType::get({}, b.getF32Type()), {z, op.getTarget()},
      zeros(b, loc, {}),
      {b.getMultiDimIdentityMap(2), row, AffineMap::get(2, 0, ctx)},
      {IteratorType::reduction, IteratorType::reduction},
      [&](OpBuilder &nb, Location l, ValueRange a) {
        Value term = nb.create<arith::SelectOp>(l, isLabel(nb, l, a[1]), a[0],
                                                f32(nb, l, 0.0));
        return nb.create<arith::SubFOp>(
                     l, a[2], onRealRows(nb, l, op.getValid(), term))
            .getResult();
      });
  return scaleScalar(b, loc, total,
                     reductionFactor(b, loc, op.getReduction(), op.getValid(),
                                     type.getDimSize(0), 1));
}

/// dz[n, c] = -dL * factor at c == t[n], else 0.
Value lowerNllLossGrad(NllLossGradOp op, OpBuilder &b) {
  Location loc = op.getLoc();
  auto type = op.getType();
  Value factor = reductionFactor(b, loc, op.getReduction(), op.getValid(),
                                 type.getDimSize(0), 1, -1.0);
  MLIRContext *ctx = b.getContext();
  AffineMap row = AffineMap::get(2, 0, b.getAffineDimExpr(0), ctx);
  return generic(
      b, loc, type, {op.getTarget(), op.getLossGrad()}, nullptr,
      {row, AffineMap::get(2, 0, ctx), b.getMultiDimIdentityMap(2)},
      {IteratorType::parallel, IteratorType::parallel},
      [&](OpBuilder &nb, Location l, ValueRange a) {
        Value g = nb.create<arith::MulFOp>(l, a[1], factor);
        Value v = nb.create<arith::SelectOp>(l, isLabel(nb, l, a[0]), g,
                                             f32(nb, l, 0.0));
        return onRealRows(nb, l, op.getValid(), v);
      });
}

} // namespace

void tcnnc::lowering::registerLossLowerings(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *ctx, TcnnDialect *) {
    MseLossOp::attachInterface<FnLowering<MseLossOp, lowerMseLoss>>(*ctx);
    MseLossGradOp::attachInterface<FnLowering<MseLossGradOp, lowerMseLossGrad>>(
        *ctx);
    L1LossOp::attachInterface<FnLowering<L1LossOp, lowerL1Loss>>(*ctx);
    L1LossGradOp::attachInterface<FnLowering<L1LossGradOp, lowerL1LossGrad>>(
        *ctx);
    SmoothL1LossOp::attachInterface<
        FnLowering<SmoothL1LossOp, lowerSmoothL1Loss>>(*ctx);
    SmoothL1LossGradOp::attachInterface<
        FnLowering<SmoothL1LossGradOp, lowerSmoothL1LossGrad>>(*ctx);
    CrossEntropyLossOp::attachInterface<
        FnLowering<CrossEntropyLossOp, lowerCrossEntropyLoss>>(*ctx);
    CrossEntropyLossGradOp::attachInterface<
        FnLowering<CrossEntropyLossGradOp, lowerCrossEntropyLossGrad>>(*ctx);
    BceWithLogitsLossOp::attachInterface<
        FnLowering<BceWithLogitsLossOp, lowerBceWithLogitsLoss>>(*ctx);
    BceWithLogitsLossGradOp::attachInterface<
        FnLowering<BceWithLogitsLossGradOp, lowerBceWithLogitsLossGrad>>(*ctx);
    NllLossOp::attachInterface<FnLowering<NllLossOp, lowerNllLoss>>(*ctx);
    NllLossGradOp::attachInterface<FnLowering<NllLossGradOp, lowerNllLossGrad>>(
        *ctx);
  });
}
