//===- LinalgHelpers.cpp - small builders the tcnn lowerings share --------===//

#include "compiler/lowering/LinalgHelpers.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
namespace lw = tcnnc::lowering;

Value lw::f32(OpBuilder &b, Location loc, double value) {
  return b.create<arith::ConstantOp>(loc, b.getF32FloatAttr(value));
}

Value lw::filled(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                 Type elem, Value value) {
  Value empty = b.create<tensor::EmptyOp>(loc, shape, elem);
  return b.create<linalg::FillOp>(loc, value, empty).getResult(0);
}

Value lw::zeros(OpBuilder &b, Location loc, ArrayRef<int64_t> shape) {
  return filled(b, loc, shape, b.getF32Type(), f32(b, loc, 0.0));
}

Value lw::padDims(OpBuilder &b, Location loc, Value x, ArrayRef<int64_t> low,
                  ArrayRef<int64_t> high, Value value) {
  if (llvm::all_of(low, [](int64_t v) { return v == 0; }) &&
      llvm::all_of(high, [](int64_t v) { return v == 0; }))
    return x;
  auto type = cast<RankedTensorType>(x.getType());
  SmallVector<int64_t> shape(type.getShape());
  SmallVector<OpFoldResult> lows, highs;
  for (size_t d = 0; d < shape.size(); ++d) {
    shape[d] += low[d] + high[d];
    lows.push_back(b.getIndexAttr(low[d]));
    highs.push_back(b.getIndexAttr(high[d]));
  }
  return b.create<tensor::PadOp>(
      loc, RankedTensorType::get(shape, type.getElementType()), x, lows, highs,
      value);
}

Value lw::transpose(OpBuilder &b, Location loc, Value x,
                    ArrayRef<int64_t> perm) {
  auto type = cast<RankedTensorType>(x.getType());
  SmallVector<int64_t> shape;
  for (int64_t d : perm)
    shape.push_back(type.getDimSize(d));
  Value init = b.create<tensor::EmptyOp>(loc, shape, type.getElementType());
  return b.create<linalg::TransposeOp>(loc, x, init, perm).getResult()[0];
}

Value lw::generic(OpBuilder &b, Location loc, RankedTensorType resultType,
                  ValueRange inputs, Value init, ArrayRef<AffineMap> maps,
                  ArrayRef<utils::IteratorType> iterators, BodyFn body) {
  if (!init)
    init = b.create<tensor::EmptyOp>(loc, resultType.getShape(),
                                     resultType.getElementType());
  auto op = b.create<linalg::GenericOp>(
      loc, TypeRange{resultType}, inputs, ValueRange{init}, maps, iterators,
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        nb.create<linalg::YieldOp>(nloc, body(nb, nloc, args));
      });
  return op.getResult(0);
}

Value lw::scatterToInput(OpBuilder &b, Location loc,
                         RankedTensorType inputType, ArrayRef<int64_t> low,
                         ArrayRef<int64_t> high, ValueRange inputs,
                         ArrayRef<AffineMap> maps,
                         ArrayRef<utils::IteratorType> iterators,
                         BodyFn body) {
  ArrayRef<int64_t> shape = inputType.getShape();
  SmallVector<int64_t> padded(shape);
  for (size_t d = 0; d < padded.size(); ++d)
    padded[d] += low[d] + high[d];
  Value dxPad = generic(b, loc, RankedTensorType::get(padded, b.getF32Type()),
                        inputs, zeros(b, loc, padded), maps, iterators, body);
  if (ArrayRef<int64_t>(padded) == shape)
    return dxPad;
  return b.create<tensor::ExtractSliceOp>(
      loc, inputType, dxPad, indexAttrs(b, low), indexAttrs(b, shape),
      indexAttrs(b, SmallVector<int64_t>(shape.size(), 1)));
}

Value lw::elementwise(OpBuilder &b, Location loc, RankedTensorType resultType,
                      ValueRange inputs, BodyFn body) {
  unsigned rank = resultType.getRank();
  SmallVector<AffineMap> maps;
  for (Value in : inputs)
    maps.push_back(cast<RankedTensorType>(in.getType()).getRank() == 0
                       ? AffineMap::get(rank, 0, b.getContext())
                       : b.getMultiDimIdentityMap(rank));
  maps.push_back(b.getMultiDimIdentityMap(rank));
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  return generic(b, loc, resultType, inputs, nullptr, maps, iterators, body);
}

Value lw::biasInit(OpBuilder &b, Location loc, Value bias,
                   RankedTensorType resultType, int64_t channelDim) {
  if (!bias)
    return zeros(b, loc, resultType.getShape());
  Value empty = b.create<tensor::EmptyOp>(loc, resultType.getShape(),
                                          resultType.getElementType());
  SmallVector<int64_t> dims;
  for (int64_t d = 0; d < resultType.getRank(); ++d)
    if (d != channelDim)
      dims.push_back(d);
  return b.create<linalg::BroadcastOp>(loc, bias, empty, dims).getResult()[0];
}

Value lw::reshape(OpBuilder &b, Location loc, Value x,
                  RankedTensorType resultType) {
  auto type = cast<RankedTensorType>(x.getType());
  auto flat = RankedTensorType::get({type.getNumElements()},
                                    type.getElementType());
  ReassociationIndices all;
  for (int64_t d = 0; d < type.getRank(); ++d)
    all.push_back(d);
  Value collapsed = b.create<tensor::CollapseShapeOp>(
      loc, flat, x, ArrayRef<ReassociationIndices>{all});
  ReassociationIndices allOut;
  for (int64_t d = 0; d < resultType.getRank(); ++d)
    allOut.push_back(d);
  return b.create<tensor::ExpandShapeOp>(loc, resultType, collapsed,
                                         ArrayRef<ReassociationIndices>{allOut});
}

Value lw::sumAll(OpBuilder &b, Location loc, ValueRange inputs, BodyFn f) {
  auto type = cast<RankedTensorType>(inputs[0].getType());
  unsigned rank = type.getRank();
  SmallVector<AffineMap> maps(inputs.size(), b.getMultiDimIdentityMap(rank));
  maps.push_back(AffineMap::get(rank, 0, b.getContext()));
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::reduction);
  auto scalar = RankedTensorType::get({}, b.getF32Type());
  return generic(b, loc, scalar, inputs, zeros(b, loc, {}), maps, iterators,
                 [&](OpBuilder &nb, Location nloc, ValueRange args) {
                   Value term = f(nb, nloc, args.drop_back());
                   return nb.create<arith::AddFOp>(nloc, args.back(), term)
                       .getResult();
                 });
}

SmallVector<OpFoldResult> lw::indexAttrs(OpBuilder &b, ArrayRef<int64_t> v) {
  return llvm::to_vector(llvm::map_range(
      v, [&](int64_t x) -> OpFoldResult { return b.getIndexAttr(x); }));
}

DenseIntElementsAttr lw::i64Pair(OpBuilder &b, ArrayRef<int64_t> pair) {
  return DenseIntElementsAttr::get(
      RankedTensorType::get({2}, b.getI64Type()), pair);
}

Value tcnnc::lowering::onRealRows(OpBuilder &b, Location loc, Value valid,
                                  Value v) {
  if (!valid)
    return v;
  Value row = b.create<arith::IndexCastOp>(
      loc, b.getI64Type(), b.create<linalg::IndexOp>(loc, 0));
  Value real =
      b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::slt, row, valid);
  return b.create<arith::SelectOp>(loc, real, v, f32(b, loc, 0.0));
}
