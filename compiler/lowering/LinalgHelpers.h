//===- LinalgHelpers.h - small builders the tcnn lowerings share -*- C++ -*-===//

#ifndef TCNN_LOWERING_LINALGHELPERS_H
#define TCNN_LOWERING_LINALGHELPERS_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Builders.h"

namespace tcnnc::lowering {

using BodyFn = llvm::function_ref<mlir::Value(mlir::OpBuilder &, mlir::Location,
                                              mlir::ValueRange)>;

/// An f32 scalar constant.
mlir::Value f32(mlir::OpBuilder &b, mlir::Location loc, double value);

/// A tensor of `shape` and `elem` filled with `value` (tensor.empty +
/// linalg.fill).
mlir::Value filled(mlir::OpBuilder &b, mlir::Location loc,
                   llvm::ArrayRef<int64_t> shape, mlir::Type elem,
                   mlir::Value value);
mlir::Value zeros(mlir::OpBuilder &b, mlir::Location loc,
                  llvm::ArrayRef<int64_t> shape);

/// `x` grown by `low[d]` / `high[d]` elements of `value` before / after
/// each dimension d (tensor.pad); `x` itself when nothing is added.
mlir::Value padDims(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x,
                    llvm::ArrayRef<int64_t> low, llvm::ArrayRef<int64_t> high,
                    mlir::Value value);

/// `x` with its dimensions permuted: result dimension d is `x`'s
/// dimension perm[d] (linalg.transpose). The lowerings use it to move
/// between PyTorch's NCHW and the layouts the fast paths read.
mlir::Value transpose(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x,
                      llvm::ArrayRef<int64_t> perm);

/// A linalg.generic with one result of `resultType` whose body is `body`
/// (called with the block arguments: inputs, then the output). With a
/// null `init`, the output starts as tensor.empty (every element written).
mlir::Value generic(mlir::OpBuilder &b, mlir::Location loc,
                    mlir::RankedTensorType resultType, mlir::ValueRange inputs,
                    mlir::Value init, llvm::ArrayRef<mlir::AffineMap> maps,
                    llvm::ArrayRef<mlir::utils::IteratorType> iterators,
                    BodyFn body);

/// The input gradient of a windowed op (pooling) of input type
/// `inputType`: a linalg.generic accumulates into zeros grown by `low` /
/// `high` before / after each dimension, like the padded forward input,
/// through an output map that is the receptive field (`i * s + p`, the
/// last of `maps`), then the padding is sliced off.
mlir::Value scatterToInput(mlir::OpBuilder &b, mlir::Location loc,
                           mlir::RankedTensorType inputType,
                           llvm::ArrayRef<int64_t> low,
                           llvm::ArrayRef<int64_t> high,
                           mlir::ValueRange inputs,
                           llvm::ArrayRef<mlir::AffineMap> maps,
                           llvm::ArrayRef<mlir::utils::IteratorType> iterators,
                           BodyFn body);

/// Elementwise map over same-shaped inputs; 0-d inputs are broadcast.
mlir::Value elementwise(mlir::OpBuilder &b, mlir::Location loc,
                        mlir::RankedTensorType resultType,
                        mlir::ValueRange inputs, BodyFn body);

/// The initial value of `resultType` holding bias[o] wherever dimension
/// `channelDim` is o (linalg.broadcast; [N, O, ...] by default, 3 for a
/// channels-last [N, H, W, O]), or zeros without a bias.
mlir::Value biasInit(mlir::OpBuilder &b, mlir::Location loc, mlir::Value bias,
                     mlir::RankedTensorType resultType,
                     int64_t channelDim = 1);

/// Row-major reshape (collapse to 1-D, expand to the result shape).
mlir::Value reshape(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x,
                    mlir::RankedTensorType resultType);

/// Sum over every element of `x` into a 0-d tensor, of `f(element...)`
/// where the elements are those of `inputs` at the same position.
mlir::Value sumAll(mlir::OpBuilder &b, mlir::Location loc,
                   mlir::ValueRange inputs, BodyFn f);

/// Inside a generic whose dimension 0 is the batch: `v` on real rows, 0 on
/// the padding rows from `valid` on (`v` itself without `valid`, the
/// optional count of a partial batch's real samples).
mlir::Value onRealRows(mlir::OpBuilder &b, mlir::Location loc,
                       mlir::Value valid, mlir::Value v);

/// Static offsets, sizes or strides of a tensor slice.
llvm::SmallVector<mlir::OpFoldResult> indexAttrs(mlir::OpBuilder &b,
                                                 llvm::ArrayRef<int64_t> v);

/// The strides/dilations attribute of linalg's conv and pooling ops.
mlir::DenseIntElementsAttr i64Pair(mlir::OpBuilder &b,
                                   llvm::ArrayRef<int64_t> pair);

} // namespace tcnnc::lowering

#endif // TCNN_LOWERING_LINALGHELPERS_H
