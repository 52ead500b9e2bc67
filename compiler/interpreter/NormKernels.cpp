//===- NormKernels.cpp - batch normalization forward and backward ---------===//
//
// The interpreter runs whole batches (no `valid` operand is ever set on the
// functions it runs), so every row is a sample here.
//
//===----------------------------------------------------------------------===//

#include "compiler/interpreter/KernelInterface.h"
#include "compiler/interpreter/Kernels.h"
#include "dialect/TcnnOps.h"

#include <cmath>

using namespace tcnnc;
using namespace tcnnc::kernels;

kernels::ChannelStats kernels::batchStats(const Tensor &x) {
  int64_t N = x.dim(0), C = x.dim(1), H = x.dim(2), W = x.dim(3);
  ChannelStats s{std::vector<double>(C), std::vector<double>(C), N * H * W};
  for (int64_t c = 0; c < C; ++c) {
    double sum = 0, sq = 0;
    for (int64_t n = 0; n < N; ++n)
      for (int64_t h = 0; h < H; ++h)
        for (int64_t w = 0; w < W; ++w)
          sum += x.at(n, c, h, w);
    s.mean[c] = sum / s.count;
    for (int64_t n = 0; n < N; ++n)
      for (int64_t h = 0; h < H; ++h)
        for (int64_t w = 0; w < W; ++w) {
          double d = x.at(n, c, h, w) - s.mean[c];
          sq += d * d;
        }
    s.var[c] = sq / s.count;
  }
  return s;
}

/// y = weight * (x - mean) / sqrt(var + eps) + bias, per channel.
Tensor kernels::batchNorm(const Tensor &x, const ChannelStats &s,
                          const Tensor *weight, const Tensor *bias,
                          double eps) {
  Tensor y(x.shape);
  for (int64_t n = 0; n < x.dim(0); ++n)
    for (int64_t c = 0; c < x.dim(1); ++c) {
      double scale = (weight ? weight->data[c] : 1.0) /
                     std::sqrt(s.var[c] + eps);
      for (int64_t h = 0; h < x.dim(2); ++h)
        for (int64_t w = 0; w < x.dim(3); ++w)
          y.at(n, c, h, w) = (x.at(n, c, h, w) - s.mean[c]) * scale +
                             (bias ? bias->data[c] : 0.0);
    }
  return y;
}

/// Training: dx = s (dy - mean(dy) - xhat mean(dy xhat)); inference:
/// dx = s dy, with s = weight / sqrt(var + eps).
Tensor kernels::batchNormInputGrad(const Tensor &dy, const Tensor &x,
                                   const ChannelStats &s, const Tensor *weight,
                                   double eps, bool batchStats) {
  Tensor dx(x.shape);
  for (int64_t c = 0; c < x.dim(1); ++c) {
    double invstd = 1.0 / std::sqrt(s.var[c] + eps);
    double scale = (weight ? weight->data[c] : 1.0) * invstd;
    double meanDy = 0, meanDyXhat = 0;
    for (int64_t n = 0; batchStats && n < x.dim(0); ++n)
      for (int64_t h = 0; h < x.dim(2); ++h)
        for (int64_t w = 0; w < x.dim(3); ++w) {
          double xhat = (x.at(n, c, h, w) - s.mean[c]) * invstd;
          meanDy += dy.at(n, c, h, w);
          meanDyXhat += dy.at(n, c, h, w) * xhat;
        }
    meanDy /= s.count;
    meanDyXhat /= s.count;
    for (int64_t n = 0; n < x.dim(0); ++n)
      for (int64_t h = 0; h < x.dim(2); ++h)
        for (int64_t w = 0; w < x.dim(3); ++w) {
          double xhat = (x.at(n, c, h, w) - s.mean[c]) * invstd;
          dx.at(n, c, h, w) =
              batchStats ? scale * (dy.at(n, c, h, w) - meanDy -
                                    xhat * meanDyXhat)
                         : scale * dy.at(n, c, h, w);
        }
  }
  return dx;
}

/// dweight[c] = sum dy * xhat over the channel.
Tensor kernels::batchNormWeightGrad(const Tensor &dy, const Tensor &x,
                                    const ChannelStats &s, double eps) {
  Tensor dw({x.dim(1)});
  for (int64_t c = 0; c < x.dim(1); ++c) {
    double invstd = 1.0 / std::sqrt(s.var[c] + eps), acc = 0;
    for (int64_t n = 0; n < x.dim(0); ++n)
      for (int64_t h = 0; h < x.dim(2); ++h)
        for (int64_t w = 0; w < x.dim(3); ++w)
          acc += dy.at(n, c, h, w) * (x.at(n, c, h, w) - s.mean[c]) * invstd;
    dw.data[c] = acc;
  }
  return dw;
}

//===----------------------------------------------------------------------===//
// The ops' kernels
//===----------------------------------------------------------------------===//

namespace {
using namespace mlir::tcnn;

const Tensor *optional(mlir::Value v, ValueLookup in) {
  return v ? &in(v) : nullptr;
}

/// The statistics an op normalizes with: the batch's, or the running ones
/// in inference mode.
template <typename OpT>
ChannelStats statsOf(OpT o, ValueLookup in, bool batch) {
  if (batch)
    return batchStats(in(o.getInput()));
  return {in(o.getRunningMean()).data, in(o.getRunningVar()).data, 0};
}

Tensor evalBatchNorm(BatchNorm2dOp o, ValueLookup in) {
  bool batch = o.getTraining() || !o.getRunningMean();
  return batchNorm(in(o.getInput()), statsOf(o, in, batch),
                   optional(o.getWeight(), in), optional(o.getBias(), in),
                   o.getEps().convertToDouble());
}

/// PyTorch's running update: the unbiased batch variance.
std::vector<Tensor> evalUpdate(BatchNorm2dUpdateOp o, ValueLookup in) {
  Tensor mean = in(o.getRunningMean()), var = in(o.getRunningVar());
  if (!o.getTraining())
    return {mean, var};
  ChannelStats s = batchStats(in(o.getInput()));
  double m = o.getMomentum().convertToDouble();
  double unbias = s.count > 1 ? double(s.count) / double(s.count - 1) : 1.0;
  for (size_t c = 0; c < s.mean.size(); ++c) {
    mean.data[c] = (1 - m) * mean.data[c] + m * s.mean[c];
    var.data[c] = (1 - m) * var.data[c] + m * s.var[c] * unbias;
  }
  return {mean, var};
}

Tensor evalInputGrad(BatchNorm2dGradOp o, ValueLookup in) {
  return batchNormInputGrad(in(o.getOutputGrad()), in(o.getInput()),
                            statsOf(o, in, o.getTraining()),
                            optional(o.getWeight(), in),
                            o.getEps().convertToDouble(), o.getTraining());
}

Tensor evalWeightGrad(BatchNorm2dWeightGradOp o, ValueLookup in) {
  return batchNormWeightGrad(in(o.getOutputGrad()), in(o.getInput()),
                             statsOf(o, in, o.getTraining()),
                             o.getEps().convertToDouble());
}
} // namespace

void tcnnc::registerNormKernels(mlir::DialectRegistry &registry) {
  registry.addExtension(+[](mlir::MLIRContext *ctx, TcnnDialect *) {
    BatchNorm2dOp::attachInterface<FnKernel<BatchNorm2dOp, evalBatchNorm>>(
        *ctx);
    BatchNorm2dUpdateOp::attachInterface<
        FnKernels<BatchNorm2dUpdateOp, evalUpdate>>(*ctx);
    BatchNorm2dGradOp::attachInterface<
        FnKernel<BatchNorm2dGradOp, evalInputGrad>>(*ctx);
    BatchNorm2dWeightGradOp::attachInterface<
        FnKernel<BatchNorm2dWeightGradOp, evalWeightGrad>>(*ctx);
  });
}
