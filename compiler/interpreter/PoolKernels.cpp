//===- PoolKernels.cpp - max/avg pooling forward and backward -------------===//

#include "compiler/interpreter/KernelInterface.h"
#include "compiler/interpreter/Kernels.h"
#include "dialect/TcnnOps.h"

using namespace tcnnc;
using namespace tcnnc::kernels;

/// Calls f(h, v) for every tap of window (i, j) that lies inside the
/// `hIn` x `wIn` input, in row-major window order.
template <typename F>
static void forEachTap(const PoolWindows &w, int64_t i, int64_t j,
                       int64_t hIn, int64_t wIn, F f) {
  for (int64_t p = 0; p < w.kernel[0]; ++p) {
    int64_t h = w.start(0, i) + p * w.dilation[0];
    if (h < 0 || h >= hIn)
      continue;
    for (int64_t q = 0; q < w.kernel[1]; ++q) {
      int64_t v = w.start(1, j) + q * w.dilation[1];
      if (v >= 0 && v < wIn)
        f(h, v);
    }
  }
}

static std::vector<int64_t> pooledShape(const std::vector<int64_t> &x,
                                        const PoolWindows &w) {
  return {x[0], x[1], w.outputSize(0, x[2]), w.outputSize(1, x[3])};
}

std::pair<int64_t, int64_t>
kernels::maxPoolArgmax(const Tensor &x, int64_t n, int64_t c, int64_t i,
                       int64_t j, const PoolWindows &w) {
  std::pair<int64_t, int64_t> best{-1, -1};
  double bestValue = 0;
  forEachTap(w, i, j, x.dim(2), x.dim(3), [&](int64_t h, int64_t v) {
    double value = x.at(n, c, h, v);
    // Strictly greater: the first maximum in row-major order wins ties.
    if (best.first < 0 || value > bestValue) {
      best = {h, v};
      bestValue = value;
    }
  });
  return best;
}

Tensor kernels::maxPool2d(const Tensor &x, const PoolWindows &w) {
  Tensor y(pooledShape(x.shape, w));
  for (int64_t n = 0; n < y.dim(0); ++n)
    for (int64_t c = 0; c < y.dim(1); ++c)
      for (int64_t i = 0; i < y.dim(2); ++i)
        for (int64_t j = 0; j < y.dim(3); ++j) {
          auto [h, v] = maxPoolArgmax(x, n, c, i, j, w);
          y.at(n, c, i, j) = x.at(n, c, h, v);
        }
  return y;
}

Tensor kernels::maxPool2dGrad(const Tensor &dy, const Tensor &x,
                              const PoolWindows &w) {
  Tensor dx(x.shape);
  for (int64_t n = 0; n < dy.dim(0); ++n)
    for (int64_t c = 0; c < dy.dim(1); ++c)
      for (int64_t i = 0; i < dy.dim(2); ++i)
        for (int64_t j = 0; j < dy.dim(3); ++j) {
          auto [h, v] = maxPoolArgmax(x, n, c, i, j, w);
          dx.at(n, c, h, v) += dy.at(n, c, i, j);
        }
  return dx;
}

Tensor kernels::avgPool2d(const Tensor &x, const PoolWindows &w) {
  Tensor y(pooledShape(x.shape, w));
  for (int64_t n = 0; n < y.dim(0); ++n)
    for (int64_t c = 0; c < y.dim(1); ++c)
      for (int64_t i = 0; i < y.dim(2); ++i)
        for (int64_t j = 0; j < y.dim(3); ++j) {
          double acc = 0;
          forEachTap(w, i, j, x.dim(2), x.dim(3),
                     [&](int64_t h, int64_t v) { acc += x.at(n, c, h, v); });
          y.at(n, c, i, j) =
              acc / static_cast<double>(w.divisor(i, j, x.dim(2), x.dim(3)));
        }
  return y;
}

Tensor kernels::avgPool2dGrad(const Tensor &dy,
                              const std::vector<int64_t> &inputShape,
                              const PoolWindows &w) {
  Tensor dx(inputShape);
  for (int64_t n = 0; n < dy.dim(0); ++n)
    for (int64_t c = 0; c < dy.dim(1); ++c)
      for (int64_t i = 0; i < dy.dim(2); ++i)
        for (int64_t j = 0; j < dy.dim(3); ++j) {
          double g = dy.at(n, c, i, j) /
                     static_cast<double>(
                         w.divisor(i, j, inputShape[2], inputShape[3]));
          forEachTap(w, i, j, dx.dim(2), dx.dim(3),
                     [&](int64_t h, int64_t v) { dx.at(n, c, h, v) += g; });
        }
  return dx;
}

/// Calls f(h, v) for every position of adaptive window (i, j) of an
/// `in` input pooled to `out`, in row-major order.
template <typename F>
static void forEachAdaptiveTap(const std::vector<int64_t> &in,
                               const std::vector<int64_t> &out, int64_t i,
                               int64_t j, F f) {
  using namespace mlir::tcnn::shapes;
  for (int64_t h = adaptiveStart(i, in[2], out[2]);
       h < adaptiveEnd(i, in[2], out[2]); ++h)
    for (int64_t v = adaptiveStart(j, in[3], out[3]);
         v < adaptiveEnd(j, in[3], out[3]); ++v)
      f(h, v);
}

/// Adaptive average (isMax false) or max pooling of x to `out`, and the
/// first maximum of each window.
static Tensor adaptivePool(const Tensor &x, const std::vector<int64_t> &out,
                           bool isMax) {
  Tensor y(out);
  for (int64_t n = 0; n < out[0]; ++n)
    for (int64_t c = 0; c < out[1]; ++c)
      for (int64_t i = 0; i < out[2]; ++i)
        for (int64_t j = 0; j < out[3]; ++j) {
          double acc = 0;
          int64_t count = 0;
          forEachAdaptiveTap(x.shape, out, i, j, [&](int64_t h, int64_t v) {
            double value = x.at(n, c, h, v);
            acc = isMax ? (count == 0 || value > acc ? value : acc)
                        : acc + value;
            ++count;
          });
          y.at(n, c, i, j) = isMax ? acc : acc / static_cast<double>(count);
        }
  return y;
}

//===----------------------------------------------------------------------===//
// The ops' kernels
//===----------------------------------------------------------------------===//

namespace {
using namespace mlir::tcnn;

Tensor evalMaxPool2d(MaxPool2dOp o, ValueLookup in) {
  return maxPool2d(in(o.getInput()), maxPoolWindows(o));
}
Tensor evalAvgPool2d(AvgPool2dOp o, ValueLookup in) {
  return avgPool2d(in(o.getInput()), avgPoolWindows(o));
}
Tensor evalMaxPool2dGrad(MaxPool2dGradOp o, ValueLookup in) {
  return maxPool2dGrad(in(o.getOutputGrad()), in(o.getInput()),
                       maxPoolWindows(o));
}
Tensor evalAvgPool2dGrad(AvgPool2dGradOp o, ValueLookup in) {
  return avgPool2dGrad(in(o.getOutputGrad()), shapeOf(o.getType()),
                       avgPoolWindows(o));
}
Tensor evalAdaptiveAvgPool2d(AdaptiveAvgPool2dOp o, ValueLookup in) {
  return adaptivePool(in(o.getInput()), shapeOf(o.getType()), false);
}
Tensor evalAdaptiveMaxPool2d(AdaptiveMaxPool2dOp o, ValueLookup in) {
  return adaptivePool(in(o.getInput()), shapeOf(o.getType()), true);
}
/// dy / (window size) to every position of each window.
Tensor evalAdaptiveAvgPool2dGrad(AdaptiveAvgPool2dGradOp o, ValueLookup in) {
  const Tensor &dy = in(o.getOutputGrad());
  Tensor dx(shapeOf(o.getType()));
  for (int64_t n = 0; n < dy.dim(0); ++n)
    for (int64_t c = 0; c < dy.dim(1); ++c)
      for (int64_t i = 0; i < dy.dim(2); ++i)
        for (int64_t j = 0; j < dy.dim(3); ++j) {
          int64_t count = 0;
          forEachAdaptiveTap(dx.shape, dy.shape, i, j,
                             [&](int64_t, int64_t) { ++count; });
          double g = dy.at(n, c, i, j) / static_cast<double>(count);
          forEachAdaptiveTap(dx.shape, dy.shape, i, j,
                             [&](int64_t h, int64_t v) { dx.at(n, c, h, v) += g; });
        }
  return dx;
}
/// dy to the first maximum of each window.
Tensor evalAdaptiveMaxPool2dGrad(AdaptiveMaxPool2dGradOp o, ValueLookup in) {
  const Tensor &dy = in(o.getOutputGrad()), &x = in(o.getInput());
  Tensor dx(x.shape);
  for (int64_t n = 0; n < dy.dim(0); ++n)
    for (int64_t c = 0; c < dy.dim(1); ++c)
      for (int64_t i = 0; i < dy.dim(2); ++i)
        for (int64_t j = 0; j < dy.dim(3); ++j) {
          int64_t bh = -1, bv = -1;
          forEachAdaptiveTap(x.shape, dy.shape, i, j, [&](int64_t h, int64_t v) {
            if (bh < 0 || x.at(n, c, h, v) > x.at(n, c, bh, bv)) {
              bh = h;
              bv = v;
            }
          });
          dx.at(n, c, bh, bv) += dy.at(n, c, i, j);
        }
  return dx;
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
    AdaptiveAvgPool2dOp::attachInterface<
        FnKernel<AdaptiveAvgPool2dOp, evalAdaptiveAvgPool2d>>(*ctx);
    AdaptiveMaxPool2dOp::attachInterface<
        FnKernel<AdaptiveMaxPool2dOp, evalAdaptiveMaxPool2d>>(*ctx);
    AdaptiveAvgPool2dGradOp::attachInterface<
        FnKernel<AdaptiveAvgPool2dGradOp, evalAdaptiveAvgPool2dGrad>>(*ctx);
    AdaptiveMaxPool2dGradOp::attachInterface<
        FnKernel<AdaptiveMaxPool2dGradOp, evalAdaptiveMaxPool2dGrad>>(*ctx);
  });
}
