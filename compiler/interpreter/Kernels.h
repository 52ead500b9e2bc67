//===- Kernels.h - reference implementation of every tcnn op ----*- C++ -*-===//
//
// Plain loops, written to be read next to each op's formula (its ODS
// description). Shapes were checked by the op verifiers before any kernel
// runs. Sums are accumulated in double.
//
//===----------------------------------------------------------------------===//

#ifndef TCNN_INTERPRETER_KERNELS_H
#define TCNN_INTERPRETER_KERNELS_H

#include "compiler/interpreter/Tensor.h"
#include "dialect/ShapeRules.h"

#include <array>

namespace tcnnc::kernels {

using Pair = std::array<int64_t, 2>;

// Convolution (ConvKernels.cpp): stride, zero padding, the taps' spacing
// and the channel groups of a conv2d and its gradients.
struct ConvGeometry {
  Pair stride{1, 1}, padding{0, 0}, dilation{1, 1};
  int64_t groups = 1;
};
Tensor conv2d(const Tensor &x, const Tensor &w, const Tensor *b,
              const ConvGeometry &g);
Tensor conv2dInputGrad(const Tensor &dy, const Tensor &w,
                       const std::vector<int64_t> &inputShape,
                       const ConvGeometry &g);
Tensor conv2dWeightGrad(const Tensor &dy, const Tensor &x,
                        const std::vector<int64_t> &weightShape,
                        const ConvGeometry &g);
/// Sum over every dimension but 1 (conv2d and linear biases).
Tensor biasGrad(const Tensor &dy);

// Pooling (PoolKernels.cpp), windows placed by shapes::PoolWindows.
using PoolWindows = mlir::tcnn::shapes::PoolWindows;
Tensor maxPool2d(const Tensor &x, const PoolWindows &w);
Tensor maxPool2dGrad(const Tensor &dy, const Tensor &x, const PoolWindows &w);
Tensor avgPool2d(const Tensor &x, const PoolWindows &w);
Tensor avgPool2dGrad(const Tensor &dy, const std::vector<int64_t> &inputShape,
                     const PoolWindows &w);
/// The input position (h, w) of the first maximum of window (n, c, i, j)
/// in row-major window order.
std::pair<int64_t, int64_t> maxPoolArgmax(const Tensor &x, int64_t n,
                                          int64_t c, int64_t i, int64_t j,
                                          const PoolWindows &w);

// Elementwise and shape ops (ElementwiseKernels.cpp).
Tensor relu(const Tensor &x);
Tensor reluGrad(const Tensor &dy, const Tensor &x);
Tensor add(const Tensor &a, const Tensor &b);
Tensor reshape(const Tensor &x, const std::vector<int64_t> &shape);

// Linear (LinearKernels.cpp).
Tensor linear(const Tensor &x, const Tensor &w, const Tensor *b);
Tensor linearInputGrad(const Tensor &dy, const Tensor &w);
Tensor linearWeightGrad(const Tensor &dy, const Tensor &x);

// Batch normalization (NormKernels.cpp): per-channel statistics, the
// forward op and its gradients.
struct ChannelStats {
  std::vector<double> mean, var; ///< var: biased (divided by count)
  int64_t count;                 ///< values per channel, N * H * W
};
ChannelStats batchStats(const Tensor &x);
Tensor batchNorm(const Tensor &x, const ChannelStats &s, const Tensor *weight,
                 const Tensor *bias, double eps);
Tensor batchNormInputGrad(const Tensor &dy, const Tensor &x,
                          const ChannelStats &s, const Tensor *weight,
                          double eps, bool batchStats);
Tensor batchNormWeightGrad(const Tensor &dy, const Tensor &x,
                           const ChannelStats &s, double eps);

// Dropout (DropoutKernels.cpp).
Tensor dropoutMask(int64_t state, const std::vector<int64_t> &shape, double p);

// Padding (PadKernels.cpp): y[..., i, j] = x[..., i + rows, j + cols],
// 0 where that is outside x; pad2d shifts by (-top, -left), its gradient
// by (top, left).
Tensor shift2d(const Tensor &x, const std::vector<int64_t> &shape,
               int64_t rows, int64_t cols);

} // namespace tcnnc::kernels

#endif // TCNN_INTERPRETER_KERNELS_H
