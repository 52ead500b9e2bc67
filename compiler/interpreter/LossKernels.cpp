//===- LossKernels.cpp - MSE and cross-entropy losses ---------------------===//

#include "compiler/interpreter/KernelInterface.h"
#include "compiler/interpreter/Kernels.h"
#include "dialect/TcnnOps.h"

#include <algorithm>
#include <cmath>

using namespace tcnnc;
using namespace tcnnc::kernels;

Tensor kernels::mseLoss(const Tensor &p, const Tensor &t) {
  double acc = 0;
  for (int64_t i = 0; i < p.size(); ++i) {
    double d = p.data[i] - t.data[i];
    acc += d * d;
  }
  Tensor loss(std::vector<int64_t>{});
  loss.data[0] = acc / static_cast<double>(p.size());
  return loss;
}

/// dp = dL * 2 (p - t) / numel
Tensor kernels::mseLossGrad(const Tensor &dLoss, const Tensor &p,
                            const Tensor &t) {
  Tensor dp(p.shape);
  double scale = 2.0 * dLoss.data[0] / static_cast<double>(p.size());
  for (int64_t i = 0; i < p.size(); ++i)
    dp.data[i] = scale * (p.data[i] - t.data[i]);
  return dp;
}

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

Tensor evalMseLoss(MseLossOp o, ValueLookup in) {
  return mseLoss(in(o.getInput()), in(o.getTarget()));
}
Tensor evalMseLossGrad(MseLossGradOp o, ValueLookup in) {
  return mseLossGrad(in(o.getLossGrad()), in(o.getInput()),
                     in(o.getTarget()));
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
    CrossEntropyLossOp::attachInterface<
        FnKernel<CrossEntropyLossOp, evalCrossEntropyLoss>>(*ctx);
    CrossEntropyLossGradOp::attachInterface<
        FnKernel<CrossEntropyLossGradOp, evalCrossEntropyLossGrad>>(*ctx);
  });
}
