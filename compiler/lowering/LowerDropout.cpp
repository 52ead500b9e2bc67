//===- LowerDropout.cpp - dropout's mask, masking and generator -----------===//
//
// The mask is a linalg.generic with no input but the generator state: each
// element hashes its flat index in 64-bit integer arithmetic (the formula
// of tcnn.dropout_mask), which vectorizes like any elementwise map.
//
//===----------------------------------------------------------------------===//

#include "compiler/lowering/LinalgHelpers.h"
#include "compiler/lowering/LoweringInterface.h"

#include "dialect/TcnnOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;
using namespace mlir::tcnn;
using namespace tcnnc::lowering;

namespace {

Value i64(OpBuilder &b, Location loc, uint64_t v) {
  return b.create<arith::ConstantIntOp>(loc, static_cast<int64_t>(v), 64);
}

/// z ^ (z >> shift), then times `factor` (when given).
Value mix(OpBuilder &b, Location l, Value z, int64_t shift, uint64_t factor) {
  Value x = b.create<arith::XOrIOp>(
      l, z, b.create<arith::ShRUIOp>(l, z, i64(b, l, shift)));
  return factor ? b.create<arith::MulIOp>(l, x, i64(b, l, factor)) : x;
}

Value lowerMask(DropoutMaskOp op, OpBuilder &b) {
  Location loc = op.getLoc();
  auto type = cast<RankedTensorType>(op.getType());
  unsigned rank = type.getRank();
  double p = op.getP().convertToDouble();
  uint64_t threshold = dropoutThreshold(p);
  float scale = dropoutScale(p);
  SmallVector<AffineMap> maps{AffineMap::get(rank, 0, b.getContext()),
                              b.getMultiDimIdentityMap(rank)};
  return generic(
      b, loc, type, {op.getState()}, Value(), maps,
      SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
      [&](OpBuilder &nb, Location l, ValueRange a) {
        // The flat row-major index of the element.
        Value index = i64(nb, l, 0);
        for (unsigned d = 0; d < rank; ++d) {
          Value i = nb.create<arith::IndexCastOp>(
              l, nb.getI64Type(), nb.create<linalg::IndexOp>(l, d));
          index = nb.create<arith::AddIOp>(
              l, nb.create<arith::MulIOp>(l, index,
                                          i64(nb, l, type.getDimSize(d))),
              i);
        }
        Value step = nb.create<arith::MulIOp>(
            l, nb.create<arith::AddIOp>(l, index, i64(nb, l, 1)),
            i64(nb, l, 0x9E3779B97F4A7C15ull));
        Value z = nb.create<arith::AddIOp>(l, a[0], step);
        z = mix(nb, l, z, 30, 0xBF58476D1CE4E5B9ull);
        z = mix(nb, l, z, 27, 0x94D049BB133111EBull);
        z = mix(nb, l, z, 31, 0);
        Value draw = nb.create<arith::ShRUIOp>(l, z, i64(nb, l, 40));
        Value dropped = nb.create<arith::CmpIOp>(
            l, arith::CmpIPredicate::ult, draw, i64(nb, l, threshold));
        return nb
            .create<arith::SelectOp>(l, dropped, f32(nb, l, 0.0),
                                     f32(nb, l, scale))
            .getResult();
      });
}

/// x * mask in training, x in inference.
Value lowerDropout(DropoutOp op, OpBuilder &b) {
  if (!op.getTraining())
    return op.getInput();
  return elementwise(b, op.getLoc(), cast<RankedTensorType>(op.getType()),
                     {op.getInput(), op.getMask()},
                     [](OpBuilder &nb, Location l, ValueRange a) {
                       return nb.create<arith::MulFOp>(l, a[0], a[1])
                           .getResult();
                     });
}

/// state + 1 in training, state in inference.
Value lowerAdvance(AdvanceGeneratorOp op, OpBuilder &b) {
  if (!op.getTraining())
    return op.getState();
  return elementwise(b, op.getLoc(), cast<RankedTensorType>(op.getType()),
                     {op.getState()},
                     [](OpBuilder &nb, Location l, ValueRange a) {
                       return nb.create<arith::AddIOp>(l, a[0], i64(nb, l, 1))
                           .getResult();
                     });
}

} // namespace

void tcnnc::lowering::registerDropoutLowerings(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *ctx, TcnnDialect *) {
    DropoutMaskOp::attachInterface<FnLowering<DropoutMaskOp, lowerMask>>(*ctx);
    DropoutOp::attachInterface<FnLowering<DropoutOp, lowerDropout>>(*ctx);
    AdvanceGeneratorOp::attachInterface<
        FnLowering<AdvanceGeneratorOp, lowerAdvance, noFlops>>(*ctx);
  });
}
