//===- ElementwiseKernels.cpp - relu, add, reshape ------------------------===//

#include "compiler/interpreter/KernelInterface.h"
#include "compiler/interpreter/Kernels.h"
#include "dialect/TcnnOps.h"

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

//===----------------------------------------------------------------------===//
// The ops' kernels
//===----------------------------------------------------------------------===//

namespace {
using namespace mlir::tcnn;

Tensor evalRelu(ReluOp o, ValueLookup in) { return relu(in(o.getInput())); }
/// y = x > 0 ? x : slope * x.
Tensor evalLeakyRelu(LeakyReluOp o, ValueLookup in) {
  Tensor y = in(o.getInput());
  double slope = o.getNegativeSlope().convertToDouble();
  for (double &v : y.data)
    v = v > 0 ? v : slope * v;
  return y;
}
/// dx = x > 0 ? dy : slope * dy.
Tensor evalLeakyReluGrad(LeakyReluGradOp o, ValueLookup in) {
  const Tensor &x = in(o.getInput());
  Tensor dx = in(o.getOutputGrad());
  double slope = o.getNegativeSlope().convertToDouble();
  for (int64_t i = 0; i < dx.size(); ++i)
    dx.data[i] = x.data[i] > 0 ? dx.data[i] : slope * dx.data[i];
  return dx;
}
Tensor evalReluGrad(ReluGradOp o, ValueLookup in) {
  return reluGrad(in(o.getOutputGrad()), in(o.getInput()));
}
Tensor evalAdd(AddOp o, ValueLookup in) {
  return add(in(o.getLhs()), in(o.getRhs()));
}
Tensor evalMul(MulOp o, ValueLookup in) {
  const Tensor &a = in(o.getLhs()), &b = in(o.getRhs());
  Tensor y(a.shape);
  for (int64_t i = 0; i < a.size(); ++i)
    y.data[i] = a.data[i] * b.data[i];
  return y;
}
/// Flatten and the reshape of its backward rule move no element.
template <typename OpT>
Tensor evalReshape(OpT o, ValueLookup in) {
  return reshape(in(o.getInput()), shapeOf(o.getType()));
}
/// The elements before and after dimension `dim` of `shape`, as counts.
std::pair<int64_t, int64_t> aroundDim(const std::vector<int64_t> &shape,
                                      int64_t dim) {
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < int64_t(shape.size()); ++d)
    (d < dim ? outer : inner) *= d == dim ? 1 : shape[d];
  return {outer, inner};
}

/// The inputs side by side along dim: for each index before dim, each
/// input's block of size_k * inner elements in turn.
Tensor evalCat(CatOp o, ValueLookup in) {
  Tensor y(shapeOf(o.getType()));
  int64_t dim = o.getConcatDim();
  auto [outer, inner] = aroundDim(y.shape, dim);
  int64_t at = 0;
  for (int64_t i = 0; i < outer; ++i)
    for (mlir::Value v : o.getInputs()) {
      const Tensor &x = in(v);
      int64_t block = x.dim(dim) * inner;
      for (int64_t e = 0; e < block; ++e)
        y.data[at++] = x.data[i * block + e];
    }
  return y;
}

/// dy's slice from `offset` along dim.
Tensor evalCatGrad(CatGradOp o, ValueLookup in) {
  const Tensor &dy = in(o.getOutputGrad());
  Tensor dx(shapeOf(o.getType()));
  int64_t dim = o.getDim();
  auto [outer, inner] = aroundDim(dy.shape, dim);
  int64_t block = dx.dim(dim) * inner, stride = dy.dim(dim) * inner;
  for (int64_t i = 0; i < outer; ++i)
    for (int64_t e = 0; e < block; ++e)
      dx.data[i * block + e] = dy.data[i * stride + o.getOffset() * inner + e];
  return dx;
}
} // namespace

void tcnnc::registerElementwiseKernels(mlir::DialectRegistry &registry) {
  registry.addExtension(+[](mlir::MLIRContext *ctx, TcnnDialect *) {
    ReluOp::attachInterface<FnKernel<ReluOp, evalRelu>>(*ctx);
    ReluGradOp::attachInterface<FnKernel<ReluGradOp, evalReluGrad>>(*ctx);
    LeakyReluOp::attachInterface<FnKernel<LeakyReluOp, evalLeakyRelu>>(*ctx);
    LeakyReluGradOp::attachInterface<
        FnKernel<LeakyReluGradOp, evalLeakyReluGrad>>(*ctx);
    AddOp::attachInterface<FnKernel<AddOp, evalAdd>>(*ctx);
    CatOp::attachInterface<FnKernel<CatOp, evalCat>>(*ctx);
    CatGradOp::attachInterface<FnKernel<CatGradOp, evalCatGrad>>(*ctx);
    MulOp::attachInterface<FnKernel<MulOp, evalMul>>(*ctx);
    FlattenOp::attachInterface<
        FnKernel<FlattenOp, evalReshape<FlattenOp>>>(*ctx);
    ReshapeOp::attachInterface<
        FnKernel<ReshapeOp, evalReshape<ReshapeOp>>>(*ctx);
  });
}
