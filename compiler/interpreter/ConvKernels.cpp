//===- ConvKernels.cpp - conv2d forward and backward ----------------------===//

#include "compiler/interpreter/KernelInterface.h"
#include "compiler/interpreter/Kernels.h"
#include "dialect/TcnnOps.h"

using namespace tcnnc;
using namespace tcnnc::kernels;

namespace {
/// The one indexing rule of conv2d and both its gradients: output position
/// (i, j) of channel o with kernel tap (p, q) of its input channel c (of
/// the C_in / G of o's group) reads input channel g(o) + c at position
/// (h, w) = (i*s_h + p*d_h - pad_h, j*s_w + q*d_w - pad_w), where g(o) is
/// the first input channel of o's group. Calls
/// f(n, o, i, j, c, ci, p, q, h, w) (ci = g(o) + c) for every such
/// combination whose (h, w) lies inside the input; taps on the zero
/// padding contribute nothing and are skipped.
template <typename F>
void forEachTap(const std::vector<int64_t> &xShape,
                const std::vector<int64_t> &wShape,
                const std::vector<int64_t> &yShape, const ConvGeometry &g,
                F f) {
  int64_t N = yShape[0], O = yShape[1], OH = yShape[2], OW = yShape[3];
  int64_t C = wShape[1], KH = wShape[2], KW = wShape[3];
  int64_t H = xShape[2], W = xShape[3];
  int64_t outPerGroup = O / g.groups;
  for (int64_t n = 0; n < N; ++n)
    for (int64_t o = 0; o < O; ++o) {
      int64_t first = (o / outPerGroup) * C;
      for (int64_t i = 0; i < OH; ++i)
        for (int64_t j = 0; j < OW; ++j)
          for (int64_t c = 0; c < C; ++c)
            for (int64_t p = 0; p < KH; ++p) {
              int64_t h = i * g.stride[0] + p * g.dilation[0] - g.padding[0];
              if (h < 0 || h >= H)
                continue;
              for (int64_t q = 0; q < KW; ++q) {
                int64_t w = j * g.stride[1] + q * g.dilation[1] - g.padding[1];
                if (w >= 0 && w < W)
                  f(n, o, i, j, c, first + c, p, q, h, w);
              }
            }
    }
}

int64_t outputSize(int64_t in, int64_t k, int64_t s, int64_t pad, int64_t d) {
  return (in + 2 * pad - d * (k - 1) - 1) / s + 1;
}
} // namespace

/// y[n,o,i,j] = b[o] + sum_{c,p,q} x[n, g(o) + c, i*sh + p*dh - ph, ...] w[o,c,p,q]
Tensor kernels::conv2d(const Tensor &x, const Tensor &w, const Tensor *b,
                       const ConvGeometry &g) {
  Tensor y({x.dim(0), w.dim(0),
            outputSize(x.dim(2), w.dim(2), g.stride[0], g.padding[0],
                       g.dilation[0]),
            outputSize(x.dim(3), w.dim(3), g.stride[1], g.padding[1],
                       g.dilation[1])});
  if (b)
    for (int64_t k = 0; k < y.size(); ++k)
      y.data[k] = b->data[(k / (y.dim(2) * y.dim(3))) % y.dim(1)];
  forEachTap(x.shape, w.shape, y.shape, g,
             [&](int64_t n, int64_t o, int64_t i, int64_t j, int64_t c,
                 int64_t ci, int64_t p, int64_t q, int64_t h, int64_t v) {
               y.at(n, o, i, j) += x.at(n, ci, h, v) * w.at(o, c, p, q);
             });
  return y;
}

/// Each dy[n,o,i,j] scales kernel w[o] and adds it back where the window
/// was (onto o's group of input channels); copies falling on the padding
/// are dropped.
Tensor kernels::conv2dInputGrad(const Tensor &dy, const Tensor &w,
                                const std::vector<int64_t> &inputShape,
                                const ConvGeometry &g) {
  Tensor dx(inputShape);
  forEachTap(inputShape, w.shape, dy.shape, g,
             [&](int64_t n, int64_t o, int64_t i, int64_t j, int64_t c,
                 int64_t ci, int64_t p, int64_t q, int64_t h, int64_t v) {
               dx.at(n, ci, h, v) += dy.at(n, o, i, j) * w.at(o, c, p, q);
             });
  return dx;
}

/// dw[o,c,p,q] = sum_{n,i,j} dy[n,o,i,j] x[n, g(o) + c, i*sh + p*dh - ph, ...]
Tensor kernels::conv2dWeightGrad(const Tensor &dy, const Tensor &x,
                                 const std::vector<int64_t> &weightShape,
                                 const ConvGeometry &g) {
  Tensor dw(weightShape);
  forEachTap(x.shape, weightShape, dy.shape, g,
             [&](int64_t n, int64_t o, int64_t i, int64_t j, int64_t c,
                 int64_t ci, int64_t p, int64_t q, int64_t h, int64_t v) {
               dw.at(o, c, p, q) += dy.at(n, o, i, j) * x.at(n, ci, h, v);
             });
  return dw;
}

Tensor kernels::biasGrad(const Tensor &dy) {
  int64_t N = dy.dim(0), O = dy.dim(1);
  int64_t inner = dy.size() / (N * O);
  Tensor db({O});
  for (int64_t n = 0; n < N; ++n)
    for (int64_t o = 0; o < O; ++o)
      for (int64_t k = 0; k < inner; ++k)
        db.data[o] += dy.data[(n * O + o) * inner + k];
  return db;
}

//===----------------------------------------------------------------------===//
// The ops' kernels
//===----------------------------------------------------------------------===//

namespace {
using namespace mlir::tcnn;

/// The geometry attributes every op of the family carries.
template <typename OpT>
ConvGeometry geometryOf(OpT o) {
  return {pair(o.getStride()), pair(o.getPadding()), pair(o.getDilation()),
          static_cast<int64_t>(o.getGroups())};
}

Tensor evalConv2d(Conv2dOp o, ValueLookup in) {
  return conv2d(in(o.getInput()), in(o.getWeight()),
                o.getBias() ? &in(o.getBias()) : nullptr, geometryOf(o));
}
Tensor evalConv2dInputGrad(Conv2dInputGradOp o, ValueLookup in) {
  return conv2dInputGrad(in(o.getOutputGrad()), in(o.getWeight()),
                         shapeOf(o.getType()), geometryOf(o));
}
Tensor evalConv2dWeightGrad(Conv2dWeightGradOp o, ValueLookup in) {
  return conv2dWeightGrad(in(o.getOutputGrad()), in(o.getInput()),
                          shapeOf(o.getType()), geometryOf(o));
}
/// What conv2d_input_grad computes from x as the upstream gradient, plus
/// the bias.
Tensor evalConvTranspose2d(ConvTranspose2dOp o, ValueLookup in) {
  Tensor y = conv2dInputGrad(in(o.getInput()), in(o.getWeight()),
                             shapeOf(o.getType()), geometryOf(o));
  if (o.getBias()) {
    const Tensor &b = in(o.getBias());
    for (int64_t k = 0; k < y.size(); ++k)
      y.data[k] += b.data[(k / (y.dim(2) * y.dim(3))) % y.dim(1)];
  }
  return y;
}
Tensor evalBiasGrad(BiasGradOp o, ValueLookup in) {
  return biasGrad(in(o.getOutputGrad()));
}
} // namespace

void tcnnc::registerConvKernels(mlir::DialectRegistry &registry) {
  registry.addExtension(+[](mlir::MLIRContext *ctx, TcnnDialect *) {
    Conv2dOp::attachInterface<FnKernel<Conv2dOp, evalConv2d>>(*ctx);
    Conv2dInputGradOp::attachInterface<
        FnKernel<Conv2dInputGradOp, evalConv2dInputGrad>>(*ctx);
    Conv2dWeightGradOp::attachInterface<
        FnKernel<Conv2dWeightGradOp, evalConv2dWeightGrad>>(*ctx);
    BiasGradOp::attachInterface<FnKernel<BiasGradOp, evalBiasGrad>>(*ctx);
    ConvTranspose2dOp::attachInterface<
        FnKernel<ConvTranspose2dOp, evalConvTranspose2d>>(*ctx);
  });
}
