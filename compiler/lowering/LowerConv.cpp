//===- LowerConv.cpp - conv2d and its gradients to linalg -----------------===//
//
// Forward: tensor.pad + linalg.conv_2d_nchw_fchw (strides as attribute),
// accumulating onto the broadcast bias. Backward: linalg.generic whose
// indexing maps spell the receptive field, `i * s + p`, on the padded
// input: the weight gradient reads it (a reduction over n, i, j), the
// input gradient writes it (each dy scales a kernel copy added back where
// the window was), then the padding is sliced off.
//
//===----------------------------------------------------------------------===//

#include "compiler/lowering/LinalgHelpers.h"
#include "compiler/lowering/LoweringInterface.h"

#include "dialect/TcnnOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;
using namespace mlir::tcnn;
using namespace tcnnc::lowering;
using mlir::tcnn::BiasGradOp;
using mlir::tcnn::Conv2dInputGradOp;
using mlir::tcnn::Conv2dOp;
using mlir::tcnn::Conv2dWeightGradOp;
using utils::IteratorType;

namespace {

constexpr IteratorType par = IteratorType::parallel;
constexpr IteratorType red = IteratorType::reduction;

Value lowerConv2d(Conv2dOp op, OpBuilder &b) {
  Location loc = op.getLoc();
  auto type = op.getType();
  Value x =
      padSpatial(b, loc, op.getInput(), op.getPadding(), f32(b, loc, 0.0));
  Value init = biasInit(b, loc, op.getBias(), type);
  return b
      .create<linalg::Conv2DNchwFchwOp>(
          op.getLoc(), TypeRange{type}, ValueRange{x, op.getWeight()},
          ValueRange{init}, i64Pair(b, op.getStride()), i64Pair(b, {1, 1}))
      ->getResult(0);
}

/// Iteration space (n, c, i, j, o, p, q); dx_pad[n, c, i*sh+p, j*sw+q] +=
/// dy[n, o, i, j] * w[o, c, p, q].
Value lowerConv2dInputGrad(Conv2dInputGradOp op, OpBuilder &b) {
  Location loc = op.getLoc();
  auto type = op.getType();
  ArrayRef<int64_t> s = op.getStride(), pad = op.getPadding();
  MLIRContext *ctx = b.getContext();
  AffineExpr n, c, i, j, o, p, q;
  bindDims(ctx, n, c, i, j, o, p, q);
  auto map = [&](ArrayRef<AffineExpr> e) {
    return AffineMap::get(7, 0, e, ctx);
  };
  Value dx = scatterToInput(
      b, loc, type, pad, {op.getOutputGrad(), op.getWeight()},
      {map({n, o, i, j}), map({o, c, p, q}),
       map({n, c, i * s[0] + p, j * s[1] + q})},
      {par, par, red, red, red, red, red},
      [](OpBuilder &nb, Location l, ValueRange a) {
        Value prod = nb.create<arith::MulFOp>(l, a[0], a[1]);
        return nb.create<arith::AddFOp>(l, a[2], prod).getResult();
      });
  return dx;
}

/// Iteration space (o, c, p, q, n, i, j); dw[o, c, p, q] +=
/// dy[n, o, i, j] * x_pad[n, c, i*sh+p, j*sw+q].
Value lowerConv2dWeightGrad(Conv2dWeightGradOp op, OpBuilder &b) {
  Location loc = op.getLoc();
  auto type = op.getType();
  ArrayRef<int64_t> s = op.getStride();
  Value x =
      padSpatial(b, loc, op.getInput(), op.getPadding(), f32(b, loc, 0.0));
  MLIRContext *ctx = b.getContext();
  AffineExpr o, c, p, q, n, i, j;
  bindDims(ctx, o, c, p, q, n, i, j);
  auto map = [&](ArrayRef<AffineExpr> e) {
    return AffineMap::get(7, 0, e, ctx);
  };
  return generic(b, loc, type, {op.getOutputGrad(), x},
                 zeros(b, loc, type.getShape()),
                 {map({n, o, i, j}), map({n, c, i * s[0] + p, j * s[1] + q}),
                  map({o, c, p, q})},
                 {par, par, par, par, red, red, red},
                 [](OpBuilder &nb, Location l, ValueRange a) {
                   Value prod = nb.create<arith::MulFOp>(l, a[0], a[1]);
                   return nb.create<arith::AddFOp>(l, a[2], prod).getResult();
                 });
}

/// db[o] = sum of dy over every dimension but 1.
Value lowerBiasGrad(BiasGradOp op, OpBuilder &b) {
  Location loc = op.getLoc();
  auto dyType = cast<RankedTensorType>(op.getOutputGrad().getType());
  unsigned rank = dyType.getRank();
  SmallVector<IteratorType> iterators(rank, red);
  iterators[1] = par;
  AffineMap out = AffineMap::get(rank, 0, b.getAffineDimExpr(1));
  return generic(b, loc, op.getType(), {op.getOutputGrad()},
                 zeros(b, loc, op.getType().getShape()),
                 {b.getMultiDimIdentityMap(rank), out}, iterators,
                 [](OpBuilder &nb, Location l, ValueRange a) {
                   return nb.create<arith::AddFOp>(l, a[1], a[0]).getResult();
                 });
}

} // namespace

void tcnnc::lowering::registerConvLowerings(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *ctx, TcnnDialect *) {
    Conv2dOp::attachInterface<FnLowering<Conv2dOp, lowerConv2d>>(*ctx);
    Conv2dInputGradOp::attachInterface<
        FnLowering<Conv2dInputGradOp, lowerConv2dInputGrad>>(*ctx);
    Conv2dWeightGradOp::attachInterface<
        FnLowering<Conv2dWeightGradOp, lowerConv2dWeightGrad>>(*ctx);
    BiasGradOp::attachInterface<FnLowering<BiasGradOp, lowerBiasGrad>>(*ctx);
  });
}
