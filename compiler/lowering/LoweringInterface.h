//===- LoweringInterface.h - an op's lowering to linalg ---------*- C++ -*-===//

#ifndef TCNN_LOWERING_LOWERINGINTERFACE_H
#define TCNN_LOWERING_LOWERINGINTERFACE_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/OpDefinition.h"

#include "compiler/lowering/LoweringInterface.h.inc"

namespace tcnnc::lowering {

/// Attaches `Fn` as the lowering of `OpT` (one line per op in each family's
/// registration function).
/// One floating-point operation per result element: the count of
/// elementwise ops, pooling and losses.
int64_t resultElements(mlir::Operation *op);

template <typename OpT>
int64_t resultElementsOf(OpT op) {
  return resultElements(op.getOperation());
}

/// No arithmetic: reshapes only relabel elements.
template <typename OpT>
int64_t noFlops(OpT) {
  return 0;
}

/// The lowering model of OpT: `Fn` builds it, `Flops` counts its work.
template <typename OpT, mlir::Value (*Fn)(OpT, mlir::OpBuilder &),
          int64_t (*Flops)(OpT) = &resultElementsOf<OpT>>
struct FnLowering
    : LoweringOpInterface::ExternalModel<FnLowering<OpT, Fn, Flops>, OpT> {
  llvm::SmallVector<mlir::Value> lower(mlir::Operation *op,
                                       mlir::OpBuilder &b) const {
    mlir::Value v = Fn(mlir::cast<OpT>(op), b);
    return v ? llvm::SmallVector<mlir::Value>{v}
             : llvm::SmallVector<mlir::Value>{};
  }
  int64_t flops(mlir::Operation *op) const { return Flops(mlir::cast<OpT>(op)); }
};

/// The same for an op with several results.
template <typename OpT,
          llvm::SmallVector<mlir::Value> (*Fn)(OpT, mlir::OpBuilder &),
          int64_t (*Flops)(OpT) = &resultElementsOf<OpT>>
struct FnLowerings
    : LoweringOpInterface::ExternalModel<FnLowerings<OpT, Fn, Flops>, OpT> {
  llvm::SmallVector<mlir::Value> lower(mlir::Operation *op,
                                       mlir::OpBuilder &b) const {
    return Fn(mlir::cast<OpT>(op), b);
  }
  int64_t flops(mlir::Operation *op) const { return Flops(mlir::cast<OpT>(op)); }
};

/// Attaches every op family's lowering.
void registerLowerings(mlir::DialectRegistry &registry);
/// conv2d, conv2d_input_grad, conv2d_weight_grad, bias_grad (LowerConv.cpp).
void registerConvLowerings(mlir::DialectRegistry &registry);
/// max/avg pooling and their gradients (LowerPool.cpp).
void registerPoolLowerings(mlir::DialectRegistry &registry);
/// relu, relu_grad, add, flatten, reshape (LowerElementwise.cpp).
void registerElementwiseLowerings(mlir::DialectRegistry &registry);
/// sigmoid, tanh, elu, gelu and their gradients (LowerActivation.cpp).
void registerActivationLowerings(mlir::DialectRegistry &registry);
/// linear and its gradients (LowerLinear.cpp).
void registerLinearLowerings(mlir::DialectRegistry &registry);
/// mse_loss, cross_entropy_loss and their gradients (LowerLoss.cpp).
void registerLossLowerings(mlir::DialectRegistry &registry);
/// batch_norm2d, its running update and gradients (LowerNorm.cpp).
void registerNormLowerings(mlir::DialectRegistry &registry);
/// dropout_mask, dropout, advance_generator (LowerDropout.cpp).
void registerDropoutLowerings(mlir::DialectRegistry &registry);
/// pad2d and pad2d_grad (LowerPad.cpp).
void registerPadLowerings(mlir::DialectRegistry &registry);
/// sgd_buffer, sgd_update, adam_moment, adam_update (LowerOptimizer.cpp).
void registerOptimizerLowerings(mlir::DialectRegistry &registry);

} // namespace tcnnc::lowering

#endif // TCNN_LOWERING_LOWERINGINTERFACE_H
