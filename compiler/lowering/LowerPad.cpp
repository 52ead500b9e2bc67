//===- LowerPad.cpp - pad2d and its gradient ------------------------------===//
//
// Both are a shift of the last two dimensions: the part of the source that
// lands inside the result (tensor.extract_slice, which cuts the negative
// sides), then zeros around it (tensor.pad via padDims). The gradient
// shifts back, with every side negated.
//
//===----------------------------------------------------------------------===//

#include "compiler/lowering/LinalgHelpers.h"
#include "compiler/lowering/LoweringInterface.h"

#include "dialect/TcnnOps.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::tcnn;
using namespace tcnnc::lowering;

namespace {

/// `x` with (left, right, top, bottom) added to its last two dimensions:
/// zeros where a side is positive, rows or columns cut where negative.
Value padSides(OpBuilder &b, Location loc, Value x, ArrayRef<int64_t> sides) {
  auto type = cast<RankedTensorType>(x.getType());
  int64_t rank = type.getRank();
  SmallVector<int64_t> offsets(rank, 0), sizes(type.getShape()),
      strides(rank, 1), low(rank, 0), high(rank, 0);
  // Dimension rank - 2 takes (top, bottom), rank - 1 (left, right).
  for (int d = 0; d < 2; ++d) {
    int64_t dim = rank - 2 + d, before = sides[2 - 2 * d],
            after = sides[3 - 2 * d];
    offsets[dim] = std::max<int64_t>(0, -before);
    sizes[dim] -= offsets[dim] + std::max<int64_t>(0, -after);
    low[dim] = std::max<int64_t>(0, before);
    high[dim] = std::max<int64_t>(0, after);
  }
  if (sizes != type.getShape())
    x = b.create<tensor::ExtractSliceOp>(
        loc, RankedTensorType::get(sizes, type.getElementType()), x,
        indexAttrs(b, offsets), indexAttrs(b, sizes), indexAttrs(b, strides));
  return padDims(b, loc, x, low, high, f32(b, loc, 0.0));
}

Value lowerPad(Pad2dOp op, OpBuilder &b) {
  return padSides(b, op.getLoc(), op.getInput(), op.getPadding());
}

Value lowerPadGrad(Pad2dGradOp op, OpBuilder &b) {
  SmallVector<int64_t> back;
  for (int64_t side : op.getPadding())
    back.push_back(-side);
  return padSides(b, op.getLoc(), op.getOutputGrad(), back);
}

} // namespace

void tcnnc::lowering::registerPadLowerings(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *ctx, TcnnDialect *) {
    Pad2dOp::attachInterface<
        FnLowering<Pad2dOp, lowerPad, noFlops<Pad2dOp>>>(*ctx);
    Pad2dGradOp::attachInterface<
        FnLowering<Pad2dGradOp, lowerPadGrad, noFlops<Pad2dGradOp>>>(*ctx);
  });
}
