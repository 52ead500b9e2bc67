//===- ElementwiseKernels.cpp - relu, add, reshape ------------------------===//

#include "compiler/interpreter/Kernels.h"

using namespace tcnnc;
using namespace tcnnc::kernels;

Tensor kernels::relu(const Tensor &x) {
  Tensor y(x.shape);
  for (int64_t i = 0; i < x.size(); ++i)
    y.data[i] = x.data[i] > 0 ? x.data[i] : 0.0;
  return y;
}

/// Zero where x <= 0 (PyTorch's choice at 0).
Tensor kernels::reluGrad(const Tensor &dy, const Tensor &x) {
  Tensor dx(x.shape);
  for (int64_t i = 0; i < x.size(); ++i)
    dx.data[i] = x.data[i] > 0 ? dy.data[i] : 0.0;
  return dx;
}

Tensor kernels::add(const Tensor &a, const Tensor &b) {
  Tensor y(a.shape);
  for (int64_t i = 0; i < a.size(); ++i)
    y.data[i] = a.data[i] + b.data[i];
  return y;
}

Tensor kernels::reshape(const Tensor &x, const std::vector<int64_t> &shape) {
  Tensor y = x;
  y.shape = shape;
  return y;
}
