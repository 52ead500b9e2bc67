//===- DropoutKernels.cpp - dropout's mask, masking and generator ---------===//

#include "compiler/interpreter/KernelInterface.h"
#include "compiler/interpreter/Kernels.h"
#include "dialect/TcnnOps.h"

using namespace tcnnc;
using namespace tcnnc::kernels;

/// mask[i] = d(state, i) < ceil(p 2^24) ? 0 : 1 / (1 - p), the draw of
/// mlir::tcnn::dropoutDraw.
Tensor kernels::dropoutMask(int64_t state, const std::vector<int64_t> &shape,
                            double p) {
  Tensor mask(shape);
  float scale = mlir::tcnn::dropoutScale(p);
  uint32_t threshold = mlir::tcnn::dropoutThreshold(p);
  for (int64_t i = 0; i < mask.size(); ++i)
    mask.data[i] =
        mlir::tcnn::dropoutDraw(state, i) < threshold ? 0.0 : double(scale);
  return mask;
}

namespace {
using namespace mlir::tcnn;

Tensor evalMask(DropoutMaskOp o, ValueLookup in) {
  return dropoutMask(static_cast<int64_t>(in(o.getState()).data[0]),
                     shapeOf(o.getType()), o.getP().convertToDouble());
}

Tensor evalDropout(DropoutOp o, ValueLookup in) {
  Tensor y = in(o.getInput());
  if (o.getTraining())
    for (int64_t i = 0; i < y.size(); ++i)
      y.data[i] *= in(o.getMask()).data[i];
  return y;
}

Tensor evalAdvance(AdvanceGeneratorOp o, ValueLookup in) {
  Tensor next = in(o.getState());
  if (o.getTraining())
    next.data[0] += 1;
  return next;
}
} // namespace

void tcnnc::registerDropoutKernels(mlir::DialectRegistry &registry) {
  registry.addExtension(+[](mlir::MLIRContext *ctx, TcnnDialect *) {
    DropoutMaskOp::attachInterface<FnKernel<DropoutMaskOp, evalMask>>(*ctx);
    DropoutOp::attachInterface<FnKernel<DropoutOp, evalDropout>>(*ctx);
    AdvanceGeneratorOp::attachInterface<
        FnKernel<AdvanceGeneratorOp, evalAdvance>>(*ctx);
  });
}
