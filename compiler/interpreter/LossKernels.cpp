//===- LossKernels.cpp - the pointwise and class-index losses -------------===//
//
// Every loss is a sum of terms (one per element, or one per row for the
// class-index losses), divided by their count for reduction "mean"; its
// gradient is the upstream gradient times each term's derivative, with
// the same division.
//
//===----------------------------------------------------------------------===//

#include "compiler/interpreter/KernelInterface.h"
#include "compiler/interpreter/Kernels.h"
#include "dialect/TcnnOps.h"

#include <algorithm>
#include <cmath>

using namespace tcnnc;

namespace {
using namespace mlir::tcnn;

/// 1 / count for "mean", 1 for "sum".
double reductionScale(llvm::StringRef reduction, int64_t count) {
  return reduction == "sum" ? 1.0 : 1.0 / static_cast<double>(count);
}

Tensor scalar(double v) {
  Tensor t(std::vector<int64_t>{});
  t.data[0] = v;
  return t;
}

using TermFn = llvm::function_ref<double(double p, double t)>;

/// The reduction of term(p_i, t_i) over the elements.
template <typename OpT>
Tensor reduceTerms(OpT op, ValueLookup in, TermFn term) {
  const Tensor &p = in(op.getInput()), &t = in(op.getTarget());
  double acc = 0;
  for (int64_t i = 0; i < p.size(); ++i)
    acc += term(p.data[i], t.data[i]);
  return scalar(acc * reductionScale(op.getReduction(), p.size()));
}

/// dp_i = dL * derivative(p_i, t_i) (/ numel for "mean").
template <typename GradOp>
Tensor termGradient(GradOp op, ValueLookup in, TermFn derivative) {
  const Tensor &p = in(op.getInput()), &t = in(op.getTarget());
  Tensor dp(p.shape);
  double scale = in(op.getLossGrad()).data[0] *
                 reductionScale(op.getReduction(), p.size());
  for (int64_t i = 0; i < p.size(); ++i)
    dp.data[i] = scale * derivative(p.data[i], t.data[i]);
  return dp;
}

double sign(double d) { return d > 0 ? 1.0 : d < 0 ? -1.0 : 0.0; }

Tensor evalMseLoss(MseLossOp o, ValueLookup in) {
  return reduceTerms(o, in, [](double p, double t) { return (p - t) * (p - t); });
}
Tensor evalMseLossGrad(MseLossGradOp o, ValueLookup in) {
  return termGradient(o, in, [](double p, double t) { return 2.0 * (p - t); });
}

Tensor evalL1Loss(L1LossOp o, ValueLookup in) {
  return reduceTerms(o, in, [](double p, double t) { return std::fabs(p - t); });
}
Tensor evalL1LossGrad(L1LossGradOp o, ValueLookup in) {
  return termGradient(o, in, [](double p, double t) { return sign(p - t); });
}

/// |d| < beta ? d^2 / (2 beta) : |d| - beta / 2.
Tensor evalSmoothL1Loss(SmoothL1LossOp o, ValueLookup in) {
  double beta = o.getBeta().convertToDouble();
  return reduceTerms(o, in, [beta](double p, double t) {
    double d = p - t;
    return std::fabs(d) < beta ? 0.5 * d * d / beta : std::fabs(d) - 0.5 * beta;
  });
}
/// |d| < beta ? d / beta : sign(d).
Tensor evalSmoothL1LossGrad(SmoothL1LossGradOp o, ValueLookup in) {
  double beta = o.getBeta().convertToDouble();
  return termGradient(o, in, [beta](double p, double t) {
    double d = p - t;
    return std::fabs(d) < beta ? d / beta : sign(d);
  });
}

/// max(x, 0) - x y + log(1 + exp(-|x|)).
Tensor evalBceWithLogitsLoss(BceWithLogitsLossOp o, ValueLookup in) {
  return reduceTerms(o, in, [](double x, double y) {
    return std::max(x, 0.0) - x * y + std::log1p(std::exp(-std::fabs(x)));
  });
}
/// sigmoid(x) - y.
Tensor evalBceWithLogitsLossGrad(BceWithLogitsLossGradOp o, ValueLookup in) {
  return termGradient(o, in, [](double x, double y) {
    return 1.0 / (1.0 + std::exp(-x)) - y;
  });
}

/// log(sum_c exp(z[n,c])), shifted by the row maximum for stability.
double logSumExp(const Tensor &z, int64_t n) {
  double m = z.at(n, 0);
  for (int64_t c = 1; c < z.dim(1); ++c)
    m = std::max(m, z.at(n, c));
  double s = 0;
  for (int64_t c = 0; c < z.dim(1); ++c)
    s += std::exp(z.at(n, c) - m);
  return m + std::log(s);
}

/// The target distribution of a row with label `t`, smoothed by `e`.
double targetProbability(int64_t c, int64_t t, double e, int64_t classes) {
  return (c == t ? 1.0 - e : 0.0) + e / static_cast<double>(classes);
}

/// sum_c q[n, c] (lse_n - z[n, c]): lse_n - z[n, t] without smoothing.
Tensor evalCrossEntropyLoss(CrossEntropyLossOp o, ValueLookup in) {
  const Tensor &z = in(o.getInput()), &target = in(o.getTarget());
  double e = o.getLabelSmoothing().convertToDouble(), acc = 0;
  for (int64_t n = 0; n < z.dim(0); ++n) {
    double lse = logSumExp(z, n);
    auto t = static_cast<int64_t>(target.data[n]);
    for (int64_t c = 0; c < z.dim(1); ++c)
      acc += targetProbability(c, t, e, z.dim(1)) * (lse - z.at(n, c));
  }
  return scalar(acc * reductionScale(o.getReduction(), z.dim(0)));
}

/// dz[n,c] = dL (softmax(z[n])[c] - q[n, c]) (/ N).
Tensor evalCrossEntropyLossGrad(CrossEntropyLossGradOp o, ValueLookup in) {
  const Tensor &z = in(o.getInput()), &target = in(o.getTarget());
  double e = o.getLabelSmoothing().convertToDouble();
  Tensor dz(z.shape);
  double scale = in(o.getLossGrad()).data[0] *
                 reductionScale(o.getReduction(), z.dim(0));
  for (int64_t n = 0; n < z.dim(0); ++n) {
    double lse = logSumExp(z, n);
    auto t = static_cast<int64_t>(target.data[n]);
    for (int64_t c = 0; c < z.dim(1); ++c)
      dz.at(n, c) = scale * (std::exp(z.at(n, c) - lse) -
                             targetProbability(c, t, e, z.dim(1)));
  }
  return dz;
}

/// -z[n, t[n]] per row.
Tensor evalNllLoss(NllLossOp o, ValueLookup in) {
  const Tensor &z = in(o.getInput()), &target = in(o.getTarget());
  double acc = 0;
  for (int64_t n = 0; n < z.dim(0); ++n)
    acc -= z.at(n, static_cast<int64_t>(target.data[n]));
  return scalar(acc * reductionScale(o.getReduction(), z.dim(0)));
}

/// dz[n, c] = -dL [c == t[n]] (/ N).
Tensor evalNllLossGrad(NllLossGradOp o, ValueLookup in) {
  const Tensor &z = in(o.getInput()), &target = in(o.getTarget());
  Tensor dz(z.shape);
  double scale = in(o.getLossGrad()).data[0] *
                 reductionScale(o.getReduction(), z.dim(0));
  for (int64_t n = 0; n < z.dim(0); ++n)
    dz.at(n, static_cast<int64_t>(target.data[n])) = -scale;
  return dz;
}
} // namespace

void tcnnc::registerLossKernels(mlir::DialectRegistry &registry) {
  registry.addExtension(+[](mlir::MLIRContext *ctx, TcnnDialect *) {
    MseLossOp::attachInterface<FnKernel<MseLossOp, evalMseLoss>>(*ctx);
    MseLossGradOp::attachInterface<
        FnKernel<MseLossGradOp, evalMseLossGrad>>(*ctx);
    L1LossOp::attachInterface<FnKernel<L1LossOp, evalL1Loss>>(*ctx);
    L1LossGradOp::attachInterface<FnKernel<L1LossGradOp, evalL1LossGrad>>(
        *ctx);
    SmoothL1LossOp::attachInterface<
        FnKernel<SmoothL1LossOp, evalSmoothL1Loss>>(*ctx);
    SmoothL1LossGradOp::attachInterface<
        FnKernel<SmoothL1LossGradOp, evalSmoothL1LossGrad>>(*ctx);
    BceWithLogitsLossOp::attachInterface<
        FnKernel<BceWithLogitsLossOp, evalBceWithLogitsLoss>>(*ctx);
    BceWithLogitsLossGradOp::attachInterface<
        FnKernel<BceWithLogitsLossGradOp, evalBceWithLogitsLossGrad>>(*ctx);
    CrossEntropyLossOp::attachInterface<
        FnKernel<CrossEntropyLossOp, evalCrossEntropyLoss>>(*ctx);
    CrossEntropyLossGradOp::attachInterface<
        FnKernel<CrossEntropyLossGradOp, evalCrossEntropyLossGrad>>(*ctx);
    NllLossOp::attachInterface<FnKernel<NllLossOp, evalNllLoss>>(*ctx);
    NllLossGradOp::attachInterface<FnKernel<NllLossGradOp, evalNllLossGrad>>(
        *ctx);
  });
}
