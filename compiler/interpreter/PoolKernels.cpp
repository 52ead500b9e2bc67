//===- PoolKernels.cpp - max/avg pooling forward and backward -------------===//

#include "compiler/interpreter/KernelInterface.h"
#include "compiler/interpreter/Kernels.h"
#include "dialect/TcnnOps.h"

using namespace tcnnc;
using namespace tcnnc::kernels;

static std::vector<int64_t> pooledShape(const Tensor &x, Pair k, Pair s,
                                        Pair pad) {
  return {x.dim(0), x.dim(1), (x.dim(2) + 2 * pad[0] - k[0]) / s[0] + 1,
          (x.dim(3) + 2 * pad[1] - k[1]) / s[1] + 1};
}

int64_t kernels::maxPoolArgmax(const Tensor &x, int64_t n, int64_t c,
                               int64_t i, int64_t j, Pair k, Pair s,
                               Pair pad) {
  int64_t best = -1;
  double bestValue = 0;
  for (int64_t p = 0; p < k[0]; ++p) {
    int64_t h = i * s[0] + p - pad[0];
    if (h < 0 || h >= x.dim(2))
      continue;
    for (int64_t q = 0; q < k[1]; ++q) {
      int64_t v = j * s[1] + q - pad[1];
      if (v < 0 || v >= x.dim(3))
        continue;
      double value = x.at(n, c, h, v);
      // Strictly greater: the first maximum in row-major order wins ties.
      if (best < 0 || value > bestValue) {
        best = p * k[1] + q;
        bestValue = value;
      }
    }
  }
  return best;
}

Tensor kernels::maxPool2d(const Tensor &x, Pair k, Pair s, Pair pad) {
  Tensor y(pooledShape(x, k, s, pad));
  for (int64_t n = 0; n < y.dim(0); ++n)
    for (int64_t c = 0; c < y.dim(1); ++c)
      for (int64_t i = 0; i < y.dim(2); ++i)
        for (int64_t j = 0; j < y.dim(3); ++j) {
          int64_t a = maxPoolArgmax(x, n, c, i, j, k, s, pad);
          y.at(n, c, i, j) = x.at(n, c, i * s[0] + a / k[1] - pad[0],
                                  j * s[1] + a % k[1] - pad[1]);
        }
  return y;
}

Tensor kernels::maxPool2dGrad(const Tensor &dy, const Tensor &x, Pair k,
                              Pair s, Pair pad) {
  Tensor dx(x.shape);
  for (int64_t n = 0; n < dy.dim(0); ++n)
    for (int64_t c = 0; c < dy.dim(1); ++c)
      for (int64_t i = 0; i < dy.dim(2); ++i)
        for (int64_t j = 0; j < dy.dim(3); ++j) {
          int64_t a = maxPoolArgmax(x, n, c, i, j, k, s, pad);
          dx.at(n, c, i * s[0] + a / k[1] - pad[0],
                j * s[1] + a % k[1] - pad[1]) += dy.at(n, c, i, j);
        }
  return dx;
}

Tensor kernels::avgPool2d(const Tensor &x, Pair k, Pair s, Pair pad) {
  Tensor y(pooledShape(x, k, s, pad));
  double divisor = static_cast<double>(k[0] * k[1]);
  for (int64_t n = 0; n < y.dim(0); ++n)
    for (int64_t c = 0; c < y.dim(1); ++c)
      for (int64_t i = 0; i < y.dim(2); ++i)
        for (int64_t j = 0; j < y.dim(3); ++j) {
          double acc = 0;
          for (int64_t p = 0; p < k[0]; ++p)
            for (int64_t q = 0; q < k[1]; ++q) {
              int64_t h = i * s[0] + p - pad[0], v = j * s[1] + q - pad[1];
              if (h >= 0 && h < x.dim(2) && v >= 0 && v < x.dim(3))
                acc += x.at(n, c, h, v);
            }
          y.at(n, c, i, j) = acc / divisor;
        }
  return y;
}

Tensor kernels::avgPool2dGrad(const Tensor &dy,
                              const std::vector<int64_t> &inputShape, Pair k,
                              Pair s, Pair pad) {
  Tensor dx(inputShape);
  double divisor = static_cast<double>(k[0] * k[1]);
  for (int64_t n = 0; n < dy.dim(0); ++n)
    for (int64_t c = 0; c < dy.dim(1); ++c)
      for (int64_t i = 0; i < dy.dim(2); ++i)
        for (int64_t j = 0; j < dy.dim(3); ++j) {
          double g = dy.at(n, c, i, j) / divisor;
          for (int64_t p = 0; p < k[0]; ++p)
            for (int64_t q = 0; q < k[1]; ++q) {
              int64_t h = i * s[0] + p - pad[0], v = j * s[1] + q - pad[1];
              if (h >= 0 && h < dx.dim(2) && v >= 0 && v < dx.dim(3))
                dx.at(n, c, h, v) += g;
            }
        }
  return dx;
}

//===----------------------------------------------------------------------===//
// The ops' kernels
//===----------------------------------------------------------------------===//

namespace {
using namespace mlir::tcnn;

Tensor evalMaxPool2d(MaxPool2dOp o, ValueLookup in) {
  return maxPool2d(in(o.getInput()), pair(o.getKernelSize()),
                   pair(o.getStride()), pair(o.getPadding()));
}
Tensor evalAvgPool2d(AvgPool2dOp o, ValueLookup in) {
  return avgPool2d(in(o.getInput()), pair(o.getKernelSize()),
                   pair(o.getStride()), pair(o.getPadding()));
}
Tensor evalMaxPool2dGrad(MaxPool2dGradOp o, ValueLookup in) {
  return maxPool2dGrad(in(o.getOutputGrad()), in(o.getInput()),
                       pair(o.getKernelSize()), pair(o.getStride()),
                       pair(o.getPadding()));
}
Tensor evalAvgPool2dGrad(AvgPool2dGradOp o, ValueLookup in) {
  return avgPool2dGrad(in(o.getOutputGrad()), shapeOf(o.getType()),
                       pair(o.getKernelSize()), pair(o.getStride()),
                       pair(o.getPadding()));
}
} // namespace

void tcnnc::registerPoolKernels(mlir::DialectRegistry &registry) {
  registry.addExtension(+[](mlir::MLIRContext *ctx, TcnnDialect *) {
    MaxPool2dOp::attachInterface<FnKernel<MaxPool2dOp, evalMaxPool2d>>(*ctx);
    AvgPool2dOp::attachInterface<FnKernel<AvgPool2dOp, evalAvgPool2d>>(*ctx);
    MaxPool2dGradOp::attachInterface<
        FnKernel<MaxPool2dGradOp, evalMaxPool2dGrad>>(*ctx);
    AvgPool2dGradOp::attachInterface<
        FnKernel<AvgPool2dGradOp, evalAvgPool2dGrad>>(*ctx);
  });
}
