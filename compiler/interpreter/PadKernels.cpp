//===- PadKernels.cpp - pad2d and its gradient ----------------------------===//

#include "compiler/interpreter/KernelInterface.h"
#include "compiler/interpreter/Kernels.h"
#include "dialect/TcnnOps.h"

using namespace tcnnc;
using namespace tcnnc::kernels;

Tensor kernels::shift2d(const Tensor &x, const std::vector<int64_t> &shape,
                        int64_t rows, int64_t cols) {
  Tensor y(shape);
  size_t rank = shape.size();
  int64_t H = shape[rank - 2], W = shape[rank - 1];
  int64_t xH = x.shape[rank - 2], xW = x.shape[rank - 1];
  int64_t planes = y.size() / (H * W);
  for (int64_t p = 0; p < planes; ++p)
    for (int64_t i = 0; i < H; ++i)
      for (int64_t j = 0; j < W; ++j) {
        int64_t si = i + rows, sj = j + cols;
        bool inside = si >= 0 && si < xH && sj >= 0 && sj < xW;
        y.data[(p * H + i) * W + j] =
            inside ? x.data[(p * xH + si) * xW + sj] : 0.0;
      }
  return y;
}

namespace {
using namespace mlir::tcnn;

/// padding is (left, right, top, bottom).
Tensor evalPad(Pad2dOp o, ValueLookup in) {
  auto p = o.getPadding();
  return shift2d(in(o.getInput()), shapeOf(o.getType()), -p[2], -p[0]);
}

Tensor evalPadGrad(Pad2dGradOp o, ValueLookup in) {
  auto p = o.getPadding();
  return shift2d(in(o.getOutputGrad()), shapeOf(o.getType()), p[2], p[0]);
}
} // namespace

void tcnnc::registerPadKernels(mlir::DialectRegistry &registry) {
  registry.addExtension(+[](mlir::MLIRContext *ctx, TcnnDialect *) {
    Pad2dOp::attachInterface<FnKernel<Pad2dOp, evalPad>>(*ctx);
    Pad2dGradOp::attachInterface<FnKernel<Pad2dGradOp, evalPadGrad>>(*ctx);
  });
}
