//===- LowerElementwise.cpp - relu, add, flatten, reshape to linalg -------===//

#include "compiler/lowering/LinalgHelpers.h"
#include "compiler/lowering/LoweringInterface.h"

#include "dialect/TcnnOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::tcnn;
using namespace tcnnc::lowering;

namespace {

/// y = max(x, 0).
Value lowerRelu(ReluOp op, OpBuilder &b) {
  return elementwise(b, op.getLoc(), op.getType(), {op.getInput()},
                     [](OpBuilder &nb, Location l, ValueRange a) {
                       return nb
                           .create<arith::MaximumFOp>(l, a[0], f32(nb, l, 0.0))
                           .getResult();
                     });
}

/// dx = x > 0 ? dy : 0.
Value lowerReluGrad(ReluGradOp op, OpBuilder &b) {
  return elementwise(
      b, op.getLoc(), op.getType(), {op.getOutputGrad(), op.getInput()},
      [](OpBuilder &nb, Location l, ValueRange a) {
        Value positive = nb.create<arith::CmpFOp>(l, arith::CmpFPredicate::OGT,
                                                  a[1], f32(nb, l, 0.0));
        return nb.create<arith::SelectOp>(l, positive, a[0], f32(nb, l, 0.0))
            .getResult();
      });
}

/// `test > 0 ? value : slope * value`: LeakyReLU with test = value = x,
/// its gradient with test = x and value = dy.
Value leakySelect(OpBuilder &b, Location l, Value test, Value value,
                  double slope) {
  Value positive = b.create<arith::CmpFOp>(l, arith::CmpFPredicate::OGT, test,
                                           f32(b, l, 0.0));
  Value scaled = b.create<arith::MulFOp>(l, value, f32(b, l, slope));
  return b.create<arith::SelectOp>(l, positive, value, scaled);
}

Value lowerLeakyRelu(LeakyReluOp op, OpBuilder &b) {
  double slope = op.getNegativeSlope().convertToDouble();
  return elementwise(b, op.getLoc(), op.getType(), {op.getInput()},
                     [slope](OpBuilder &nb, Location l, ValueRange a) {
                       return leakySelect(nb, l, a[0], a[0], slope);
                     });
}

Value lowerLeakyReluGrad(LeakyReluGradOp op, OpBuilder &b) {
  double slope = op.getNegativeSlope().convertToDouble();
  return elementwise(b, op.getLoc(), op.getType(),
                     {op.getOutputGrad(), op.getInput()},
                     [slope](OpBuilder &nb, Location l, ValueRange a) {
                       return leakySelect(nb, l, a[1], a[0], slope);
                     });
}

Value lowerAdd(AddOp op, OpBuilder &b) {
  return elementwise(
      b, op.getLoc(), op.getType(), {op.getLhs(), op.getRhs()},
      [](OpBuilder &nb, Location l, ValueRange a) {
        return nb.create<arith::AddFOp>(l, a[0], a[1]).getResult();
      });
}

Value lowerMul(MulOp op, OpBuilder &b) {
  return elementwise(
      b, op.getLoc(), op.getType(), {op.getLhs(), op.getRhs()},
      [](OpBuilder &nb, Location l, ValueRange a) {
        return nb.create<arith::MulFOp>(l, a[0], a[1]).getResult();
      });
}

/// flatten and reshape are row-major reinterpretations: collapse + expand,
/// which bufferize to views of the same buffer.
template <typename OpTy> Value lowerReshape(OpTy op, OpBuilder &b) {
  return reshape(b, op.getLoc(), op.getInput(), op.getType());
}

/// Each input inserted into its slice of the result (tensor.insert_slice
/// into tensor.empty; bufferized, each a copy into a view of one buffer).
Value lowerCat(CatOp op, OpBuilder &b) {
  Location loc = op.getLoc();
  auto type = op.getType();
  int64_t rank = type.getRank();
  int64_t dim = op.getConcatDim();
  Value y = b.create<tensor::EmptyOp>(loc, type.getShape(), b.getF32Type());
  int64_t offset = 0;
  for (Value input : op.getInputs()) {
    auto inType = cast<RankedTensorType>(input.getType());
    SmallVector<int64_t> offsets(rank, 0), strides(rank, 1);
    offsets[dim] = offset;
    y = b.create<tensor::InsertSliceOp>(loc, input, y, indexAttrs(b, offsets),
                                        indexAttrs(b, inType.getShape()),
                                        indexAttrs(b, strides));
    offset += inType.getDimSize(dim);
  }
  return y;
}

/// The input's slice of dy (tensor.extract_slice).
Value lowerCatGrad(CatGradOp op, OpBuilder &b) {
  auto type = op.getType();
  int64_t rank = type.getRank();
  SmallVector<int64_t> offsets(rank, 0), strides(rank, 1);
  offsets[op.getDim()] = op.getOffset();
  return b.create<tensor::ExtractSliceOp>(
      op.getLoc(), type, op.getOutputGrad(), indexAttrs(b, offsets),
      indexAttrs(b, type.getShape()), indexAttrs(b, strides));
}

} // namespace

void tcnnc::lowering::registerElementwiseLowerings(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *ctx, TcnnDialect *) {
    ReluOp::attachInterface<FnLowering<ReluOp, lowerRelu>>(*ctx);
    ReluGradOp::attachInterface<FnLowering<ReluGradOp, lowerReluGrad>>(*ctx);
    LeakyReluOp::attachInterface<FnLowering<LeakyReluOp, lowerLeakyRelu>>(*ctx);
    LeakyReluGradOp::attachInterface<
        FnLowering<LeakyReluGradOp, lowerLeakyReluGrad>>(*ctx);
    AddOp::attachInterface<FnLowering<AddOp, lowerAdd>>(*ctx);
    MulOp::attachInterface<FnLowering<MulOp, lowerMul>>(*ctx);
    FlattenOp::attachInterface<
        FnLowering<FlattenOp, lowerReshape<FlattenOp>, noFlops<FlattenOp>>>(
        *ctx);
    ReshapeOp::attachInterface<
        FnLowering<ReshapeOp, lowerReshape<ReshapeOp>, noFlops<ReshapeOp>>>(
        *ctx);
    CatOp::attachInterface<FnLowering<CatOp, lowerCat, noFlops<CatOp>>>(*ctx);
    CatGradOp::attachInterface<
        FnLowering<CatGradOp, lowerCatGrad, noFlops<CatGradOp>>>(*ctx);
  });
}
