//===- ConvKernels.cpp - conv2d forward and backward ----------------------===//

#include "compiler/interpreter/Kernels.h"

using namespace tcnn;
using namespace tcnn::kernels;

/// y[n,o,i,j] = b[o] + sum_{c,p,q} x[n, c, i*sh + p - ph, j*sw + q - pw] w[o,c,p,q]
Tensor kernels::conv2d(const Tensor &x, const Tensor &w, const Tensor *b,
                       Pair s, Pair pad) {
  int64_t N = x.dim(0), C = x.dim(1), H = x.dim(2), W = x.dim(3);
  int64_t O = w.dim(0), KH = w.dim(2), KW = w.dim(3);
  int64_t OH = (H + 2 * pad[0] - KH) / s[0] + 1;
  int64_t OW = (W + 2 * pad[1] - KW) / s[1] + 1;
  Tensor y({N, O, OH, OW});
  for (int64_t n = 0; n < N; ++n)
    for (int64_t o = 0; o < O; ++o)
      for (int64_t i = 0; i < OH; ++i)
        for (int64_t j = 0; j < OW; ++j) {
          double acc = b ? b->data[o] : 0.0;
          for (int64_t c = 0; c < C; ++c)
            for (int64_t p = 0; p < KH; ++p) {
              int64_t h = i * s[0] + p - pad[0];
              if (h < 0 || h >= H)
                continue;
              for (int64_t q = 0; q < KW; ++q) {
                int64_t v = j * s[1] + q - pad[1];
                if (v >= 0 && v < W)
                  acc += x.at(n, c, h, v) * w.at(o, c, p, q);
              }
            }
          y.at(n, o, i, j) = acc;
        }
  return y;
}

/// Each dy[n,o,i,j] scales kernel w[o] and adds it back where the window
/// was; copies falling on the padding are dropped.
Tensor kernels::conv2dInputGrad(const Tensor &dy, const Tensor &w,
                                const std::vector<int64_t> &inputShape,
                                Pair s, Pair pad) {
  Tensor dx(inputShape);
  int64_t N = dy.dim(0), O = dy.dim(1), OH = dy.dim(2), OW = dy.dim(3);
  int64_t C = w.dim(1), KH = w.dim(2), KW = w.dim(3);
  int64_t H = inputShape[2], W = inputShape[3];
  for (int64_t n = 0; n < N; ++n)
    for (int64_t o = 0; o < O; ++o)
      for (int64_t i = 0; i < OH; ++i)
        for (int64_t j = 0; j < OW; ++j) {
          double g = dy.at(n, o, i, j);
          for (int64_t c = 0; c < C; ++c)
            for (int64_t p = 0; p < KH; ++p) {
              int64_t h = i * s[0] + p - pad[0];
              if (h < 0 || h >= H)
                continue;
              for (int64_t q = 0; q < KW; ++q) {
                int64_t v = j * s[1] + q - pad[1];
                if (v >= 0 && v < W)
                  dx.at(n, c, h, v) += g * w.at(o, c, p, q);
              }
            }
        }
  return dx;
}

/// dw[o,c,p,q] = sum_{n,i,j} dy[n,o,i,j] x_pad[n, c, i*sh + p, j*sw + q]
Tensor kernels::conv2dWeightGrad(const Tensor &dy, const Tensor &x,
                                 const std::vector<int64_t> &weightShape,
                                 Pair s, Pair pad) {
  Tensor dw(weightShape);
  int64_t N = dy.dim(0), O = dy.dim(1), OH = dy.dim(2), OW = dy.dim(3);
  int64_t C = x.dim(1), H = x.dim(2), W = x.dim(3);
  int64_t KH = weightShape[2], KW = weightShape[3];
  for (int64_t o = 0; o < O; ++o)
    for (int64_t c = 0; c < C; ++c)
      for (int64_t p = 0; p < KH; ++p)
        for (int64_t q = 0; q < KW; ++q) {
          double acc = 0;
          for (int64_t n = 0; n < N; ++n)
            for (int64_t i = 0; i < OH; ++i) {
              int64_t h = i * s[0] + p - pad[0];
              if (h < 0 || h >= H)
                continue;
              for (int64_t j = 0; j < OW; ++j) {
                int64_t v = j * s[1] + q - pad[1];
                if (v >= 0 && v < W)
                  acc += dy.at(n, o, i, j) * x.at(n, c, h, v);
              }
            }
          dw.at(o, c, p, q) = acc;
        }
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
