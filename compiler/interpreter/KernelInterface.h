//===- KernelInterface.h - an op's reference kernel -------------*- C++ -*-===//

#ifndef TCNN_INTERPRETER_KERNELINTERFACE_H
#define TCNN_INTERPRETER_KERNELINTERFACE_H

#include "compiler/interpreter/Tensor.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/OpDefinition.h"

#include <array>

namespace tcnnc {
/// The value of an operand while an op runs.
using ValueLookup = llvm::function_ref<const Tensor &(mlir::Value)>;
} // namespace tcnnc

#include "compiler/interpreter/KernelInterface.h.inc"

namespace tcnnc {

/// Attaches `Fn` as the kernel of `OpT` (one line per op in each family's
/// registration function).
template <typename OpT, Tensor (*Fn)(OpT, ValueLookup)>
struct FnKernel
    : KernelOpInterface::ExternalModel<FnKernel<OpT, Fn>, OpT> {
  mlir::FailureOr<std::vector<Tensor>> evaluate(mlir::Operation *op,
                                                ValueLookup valueOf) const {
    return std::vector<Tensor>{Fn(mlir::cast<OpT>(op), valueOf)};
  }
};

/// The same for an op with several results.
template <typename OpT, std::vector<Tensor> (*Fn)(OpT, ValueLookup)>
struct FnKernels
    : KernelOpInterface::ExternalModel<FnKernels<OpT, Fn>, OpT> {
  mlir::FailureOr<std::vector<Tensor>> evaluate(mlir::Operation *op,
                                                ValueLookup valueOf) const {
    return Fn(mlir::cast<OpT>(op), valueOf);
  }
};

namespace kernels {
using Pair = std::array<int64_t, 2>;
inline Pair pair(llvm::ArrayRef<int64_t> a) { return {a[0], a[1]}; }
inline std::vector<int64_t> shapeOf(mlir::Type type) {
  auto shape = mlir::cast<mlir::ShapedType>(type).getShape();
  return {shape.begin(), shape.end()};
}
} // namespace kernels

/// Attaches every op family's kernels (and arith.constant's).
void registerKernels(mlir::DialectRegistry &registry);
void registerConvKernels(mlir::DialectRegistry &registry);
void registerPoolKernels(mlir::DialectRegistry &registry);
void registerElementwiseKernels(mlir::DialectRegistry &registry);
void registerActivationKernels(mlir::DialectRegistry &registry);
void registerLinearKernels(mlir::DialectRegistry &registry);
void registerLossKernels(mlir::DialectRegistry &registry);
void registerNormKernels(mlir::DialectRegistry &registry);
void registerDropoutKernels(mlir::DialectRegistry &registry);
void registerPadKernels(mlir::DialectRegistry &registry);

} // namespace tcnnc

#endif // TCNN_INTERPRETER_KERNELINTERFACE_H
