//===- LossKernels.cpp - the pointwise and cross-entropy losses -----------===//

#include "compiler/interpreter/KernelInterface.h"
#include "compiler/interpreter/Kernels.h"
#include "dialect/TcnnOps.h"

#include <algorithm>
#include <cmath>

using namespace tcnnc;
using namespace tcnnc::kernels;

/// log(sum_c exp(z[n,c])), shifted by the row maximum for stability.
static double logSumExp(const Tensor &z, int64_t n) {
  double m = z.at(n, 0);
  for (int64_t c = 1; c < z.dim(1); ++c)
    m = std::max(m, z.at(n, c));
  double s = 0;
  for (int64_t c = 0; c < z.dim(1); ++c)
    s += std::exp(z.at(n, c) - m);
  return m + std::log(s);
}

Tensor kernels::crossEntropyLoss(const Tensor &z, const Tensor &target) {
  double acc = 0;
  for (int64_t n = 0; n < z.dim(0); ++n)
    acc += logSumExp(z, n) - z.at(n, static_cast<int64_t>(target.data[n]));
  Tensor loss(std::vector<int64_t>{});
  loss.data[0] = acc / static_cast<double>(z.dim(0));
  return loss;
}

/// dz[n,c] = dL (softmax(z[n])[c] - [c == t[n]]) / N
Tensor kernels::crossEntropyLossGrad(const Tensor &dLoss, const Tensor &z,
                                     const Tensor &target) {
  Tensor dz(z.shape);
  double scale = dLoss.data[0] / static_cast<double>(z.dim(0));
  for (int64_t n = 0; n < z.dim(0); ++n) {
    double lse = logSumExp(z, n);
    int64_t t = static_cast<int64_t>(target.data[n]);
    for (int64_t c = 0; c < z.dim(1); ++c)
      dz.at(n, c) = scale * (std::exp(z.at(n, c) - lse) - (c == t ? 1.0 : 0.0));
  }
  return dz;
}

//===----------------------------------------------------------------------===//
// The ops' kernels
//===----------------------------------------------------------------------===//

namespace {
using namespace mlir::tcnn;

/// The mean over the elements of term(p_i - t_i).
Tensor meanOfTerms(const Tensor &p, const Tensor &t,
                   llvm::function_ref<double(double)> term) {
  double acc = 0;
  for (int64_t i = 0; i < p.size(); ++i)
    acc += term(p.data[i] - t.data[i]);
  Tensor loss(std::vector<int64_t>{});
  loss.data[0] = acc / static_cast<double>(p.size());
  return loss;
}

/// dp_i = dL * term'(p_i - t_i) / numel.
Tensor termGradient(const Tensor &dLoss, const Tensor &p, const Tensor &t,
                    llvm::function_ref<double(double)> derivative) {
  Tensor dp(p.shape);
  double scale = dLoss.data[0] / static_cast<double>(p.size());
  for (int64_t i = 0; i < p.size(); ++i)
    dp.data[i] = scale * derivative(p.data[i] - t.data[i]);
  return dp;
}

double sign(double d) { return d > 0 ? 1.0 : d < 0 ? -1.0 : 0.0; }

Tensor evalMseLoss(MseLossOp o, ValueLookup in) {
  return meanOfTerms(in(o.getInput()), in(o.getTarget()),
                     [](double d) { return d * d; });
}
/// dp = dL * 2 (p - t) / numel.
Tensor evalMseLossGrad(MseLossGradOp o, ValueLookup in) {
  return termGradient(in(o.getLossGrad()), in(o.getInput()),
                      in(o.getTarget()), [](double d) { return 2.0 * d; });
}

Tensor evalL1Loss(L1LossOp o, ValueLookup in) {
  return meanOfTerms(in(o.getInput()), in(o.getTarget()),
                     [](double d) { return std::fabs(d); });
}
Tensor evalL1LossGrad(L1LossGradOp o, ValueLookup in) {
  return termGradient(in(o.getLossGrad()), in(o.getInput()),
                      in(o.getTarget()), sign);
}
/// |d| < beta ? d^2 / (2 beta) : |d| - beta / 2.
Tensor evalSmoothL1Loss(SmoothL1LossOp o, ValueLookup in) {
  double beta = o.getBeta().convertToDouble();
  return meanOfTerms(in(o.getInput()), in(o.getTarget()), [beta](double d) {
    return std::fabs(d) < beta ? 0.5 * d * d / beta : std::fabs(d) - 0.5 * beta;
  });
}
/// |d| < beta ? d / beta : sign(d).
Tensor evalSmoothL1LossGrad(SmoothL1LossGradOp o, ValueLookup in) {
  double beta = o.getBeta().convertToDouble();
  return termGradient(in(o.getLossGrad()), in(o.getInput()),
                      in(o.getTarget()), [beta](double d) {
                        return std::fabs(d) < beta ? d / beta : sign(d);
                      });
}

Tensor evalCrossEntropyLoss(CrossEntropyLossOp o, ValueLookup in) {
  return crossEntropyLoss(in(o.getInput()), in(o.getTarget()));
}
Tensor evalCrossEntropyLossGrad(CrossEntropyLossGradOp o, ValueLookup in) {
  return crossEntropyLossGrad(in(o.getLossGrad()), in(o.getInput()),
                              in(o.getTarget()));
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
    CrossEntropyLossOp::attachInterface<
        FnKernel<CrossEntropyLossOp, evalCrossEntropyLoss>>(*ctx);
    CrossEntropyLossGradOp::attachInterface<
        FnKernel<CrossEntropyLossGradOp, evalCrossEntropyLossGrad>>(*ctx);
  });
}
