//===- LinearKernels.cpp - linear forward and backward --------------------===//

#include "compiler/interpreter/KernelInterface.h"
#include "compiler/interpreter/Kernels.h"
#include "dialect/TcnnOps.h"

using namespace tcnnc;
using namespace tcnnc::kernels;

/// y[n,o] = b[o] + sum_f x[n,f] w[o,f]
Tensor kernels::linear(const Tensor &x, const Tensor &w, const Tensor *b) {
  int64_t N = x.dim(0), F = x.dim(1), O = w.dim(0);
  Tensor y({N, O});
  for (int64_t n = 0; n < N; ++n)
    for (int64_t o = 0; o < O; ++o) {
      double acc = b ? b->data[o] : 0.0;
      for (int64_t f = 0; f < F; ++f)
        acc += x.at(n, f) * w.at(o, f);
      y.at(n, o) = acc;
    }
  return y;
}

/// dx[n,f] = sum_o dy[n,o] w[o,f]
Tensor kernels::linearInputGrad(const Tensor &dy, const Tensor &w) {
  int64_t N = dy.dim(0), O = dy.dim(1), F = w.dim(1);
  Tensor dx({N, F});
  for (int64_t n = 0; n < N; ++n)
    for (int64_t f = 0; f < F; ++f) {
      double acc = 0;
      for (int64_t o = 0; o < O; ++o)
        acc += dy.at(n, o) * w.at(o, f);
      dx.at(n, f) = acc;
    }
  return dx;
}

/// dw[o,f] = sum_n dy[n,o] x[n,f]
Tensor kernels::linearWeightGrad(const Tensor &dy, const Tensor &x) {
  int64_t N = dy.dim(0), O = dy.dim(1), F = x.dim(1);
  Tensor dw({O, F});
  for (int64_t o = 0; o < O; ++o)
    for (int64_t f = 0; f < F; ++f) {
      double acc = 0;
      for (int64_t n = 0; n < N; ++n)
        acc += dy.at(n, o) * x.at(n, f);
      dw.at(o, f) = acc;
    }
  return dw;
}

//===----------------------------------------------------------------------===//
// The ops' kernels
//===----------------------------------------------------------------------===//

namespace {
using namespace mlir::tcnn;

/// `t` [..., F] as the matrix [M, F] of its rows: a Linear on any rank
/// applies to the last dimension, row by row.
Tensor rows(const Tensor &t) {
  int64_t f = t.shape.empty() ? 1 : t.shape.back();
  return reshape(t, {f == 0 ? 0 : t.size() / f, f});
}

Tensor evalLinear(LinearOp o, ValueLookup in) {
  Tensor y = linear(rows(in(o.getInput())), in(o.getWeight()),
                    o.getBias() ? &in(o.getBias()) : nullptr);
  return reshape(y, shapeOf(o.getType()));
}
Tensor evalLinearInputGrad(LinearInputGradOp o, ValueLookup in) {
  Tensor dx = linearInputGrad(rows(in(o.getOutputGrad())), in(o.getWeight()));
  return reshape(dx, shapeOf(o.getType()));
}
Tensor evalLinearWeightGrad(LinearWeightGradOp o, ValueLookup in) {
  return linearWeightGrad(rows(in(o.getOutputGrad())), rows(in(o.getInput())));
}
} // namespace

void tcnnc::registerLinearKernels(mlir::DialectRegistry &registry) {
  registry.addExtension(+[](mlir::MLIRContext *ctx, TcnnDialect *) {
    LinearOp::attachInterface<FnKernel<LinearOp, evalLinear>>(*ctx);
    LinearInputGradOp::attachInterface<
        FnKernel<LinearInputGradOp, evalLinearInputGrad>>(*ctx);
    LinearWeightGradOp::attachInterface<
        FnKernel<LinearWeightGradOp, evalLinearWeightGrad>>(*ctx);
  });
}
