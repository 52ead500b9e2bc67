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
template <typename OpT, mlir::Value (*Fn)(OpT, mlir::OpBuilder &)>
struct FnLowering
    : LoweringOpInterface::ExternalModel<FnLowering<OpT, Fn>, OpT> {
  mlir::Value lower(mlir::Operation *op, mlir::OpBuilder &b) const {
    return Fn(mlir::cast<OpT>(op), b);
  }
};

/// Attaches every op family's lowering.
void registerLowerings(mlir::DialectRegistry &registry);
/// conv2d, conv2d_input_grad, conv2d_weight_grad, bias_grad (LowerConv.cpp).
void registerConvLowerings(mlir::DialectRegistry &registry);
/// max/avg pooling and their gradients (LowerPool.cpp).
void registerPoolLowerings(mlir::DialectRegistry &registry);
/// relu, relu_grad, add, flatten, reshape (LowerElementwise.cpp).
void registerElementwiseLowerings(mlir::DialectRegistry &registry);
/// linear and its gradients (LowerLinear.cpp).
void registerLinearLowerings(mlir::DialectRegistry &registry);
/// mse_loss, cross_entropy_loss and their gradients (LowerLoss.cpp).
void registerLossLowerings(mlir::DialectRegistry &registry);

} // namespace tcnnc::lowering

#endif // TCNN_LOWERING_LOWERINGINTERFACE_H
