//===- TcnnOps.h - tcnn operations ------------------------------*- C++ -*-===//

#ifndef TCNN_DIALECT_TCNNOPS_H
#define TCNN_DIALECT_TCNNOPS_H

#include "dialect/ShapeRules.h"
#include "dialect/TcnnDialect.h"

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "dialect/BatchInterface.h.inc"
#include "dialect/GradientInterface.h.inc"
#include "dialect/Layer.h"
#include "dialect/LayerInterface.h.inc"
#include "dialect/StateInterface.h.inc"

namespace mlir::tcnn {
/// The layer an op belongs to: the name of its NameLoc (or of the first
/// location of a FusedLoc), if it has one.
std::optional<llvm::StringRef> layerNameOf(Operation *op);

/// Names `op`'s result after the layer in its NameLoc plus `suffix`.
void nameResultAfterLayer(Operation *op, llvm::StringRef suffix,
                          llvm::function_ref<void(Value, llvm::StringRef)> set);

/// The trait of the optimizer ops (ops/Optimizer.td): compiled only.
template <typename ConcreteType>
class OptimizerStep : public OpTrait::TraitBase<ConcreteType, OptimizerStep> {
};
} // namespace mlir::tcnn

#define GET_OP_CLASSES
#include "dialect/TcnnOps.h.inc"

namespace mlir::tcnn {
/// Argument attributes that name a function argument and say what it is.
/// Their value is the argument's name, e.g. "conv1.weight"; it is also the
/// symbol of the `ml_program.global` that holds the argument's data.
inline constexpr llvm::StringLiteral kInputAttr = "tcnn.input";
inline constexpr llvm::StringLiteral kTargetAttr = "tcnn.target";
inline constexpr llvm::StringLiteral kParamAttr = "tcnn.param";
/// Model state that is not trained by gradients (BatchNorm's running
/// statistics, Dropout's generator): the function returns its next value.
inline constexpr llvm::StringLiteral kBufferAttr = "tcnn.buffer";
/// Function attribute naming the function's results, e.g. ["loss", "logits"].
inline constexpr llvm::StringLiteral kResultNamesAttr = "tcnn.result_names";
/// On a backward op: the forward values (by name) whose gradient it is.
inline constexpr llvm::StringLiteral kGradOfAttr = "tcnn.grad_of";
/// On a gradient function: the symbol of the forward function it
/// differentiates (set by -tcnn-autodiff).
inline constexpr llvm::StringLiteral kGradientOfAttr = "tcnn.gradient_of";
/// On the forward function of a model without a loss: it only predicts. It
/// runs in inference mode, returns the model's output alone and is never
/// differentiated.
inline constexpr llvm::StringLiteral kInferenceOnlyAttr = "tcnn.inference_only";

/// Whether `func` is the forward function of a model without a loss.
inline bool isInferenceOnly(Operation *func) {
  return func->hasAttr(kInferenceOnlyAttr);
}

/// Where the model's output is among `func`'s results: after the loss, or
/// first in an inference-only forward function.
inline unsigned outputResultIndex(Operation *func) {
  return isInferenceOnly(func) ? 0 : 1;
}

/// On the `%valid: i64` argument -tcnn-train-functions adds: the count of
/// real samples in a padded batch.
inline constexpr llvm::StringLiteral kValidAttr = "tcnn.valid";
/// Module attribute: the batch size N a data set is cut into, or 0 when
/// the model mixes samples and cannot take a padded partial batch.
inline constexpr llvm::StringLiteral kBatchAttr = "tcnn.batch";
/// On @sgd_step / @adam_step: which optimizer's step the function is.
inline constexpr llvm::StringLiteral kOptimizerStepAttr = "tcnn.optimizer_step";

/// What an argument is, by its tcnn.input/target/param attribute; the
/// numbering is the runtime's `enum tcnn_role`.
enum class ArgRole { Input = 0, Target = 1, Param = 2, Buffer = 3 };

/// The role and name argument `i` of `func` has, if it has one.
std::optional<std::pair<ArgRole, llvm::StringRef>>
argumentRole(FunctionOpInterface func, unsigned i);

/// The names of `func`'s arguments with `role`, in argument order.
SmallVector<StringRef> argumentNames(FunctionOpInterface func, ArgRole role);

/// tcnn.dropout_mask's draw for element `index` with generator state
/// `state` (24 random bits), the draws below which an element is dropped
/// (ceil(p * 2^24): a draw d is dropped when d / 2^24 < p), and the value
/// 1 / (1 - p) of a kept element (0 for p = 1).
uint32_t dropoutDraw(int64_t state, int64_t index);
uint32_t dropoutThreshold(double p);
float dropoutScale(double p);

/// Puts every op of `func` with a mode (ModeOpInterface) into training or
/// inference mode, as PyTorch's `module.train(training)`.
void setTrainingMode(Operation *func, bool training);

/// The user-facing name of argument `i` ("x", "conv1.weight"), or "argN".
std::string argumentName(FunctionOpInterface func, unsigned i);

/// `loc` renamed `<layer><suffix>` when it names a layer: a second op a
/// layer builds is dumped and explained under that name ("conv1.pad").
Location layerPartLoc(Location loc, StringRef suffix);

/// An attribute's value, or `dflt` when it is not set: an attribute left
/// to its ODS default is not set yet while the op is built, when its
/// result type is inferred (the defaults are filled in afterwards).
inline std::array<int64_t, 2> pairOr(DenseI64ArrayAttr a,
                                     std::array<int64_t, 2> dflt) {
  return a && a.size() == 2 ? std::array<int64_t, 2>{a[0], a[1]} : dflt;
}
inline int64_t intOr(IntegerAttr a, int64_t dflt) {
  return a ? a.getValue().getSExtValue() : dflt;
}

/// The result type of a layer whose result has its input's type
/// (BatchNorm2d, Dropout), for inferReturnTypes.
template <typename Adaptor>
LogicalResult inferInputType(Adaptor adaptor, SmallVectorImpl<Type> &types) {
  if (!adaptor.getInput() ||
      !isa<RankedTensorType>(adaptor.getInput().getType()))
    return failure();
  types.push_back(adaptor.getInput().getType());
  return success();
}

namespace detail {
/// The kernel, stride, padding and ceil_mode every pooling op has.
template <typename PoolLike>
shapes::PoolWindows commonPoolWindows(PoolLike op) {
  shapes::PoolWindows w;
  w.kernel = pairOr(op.getKernelSizeAttr(), w.kernel);
  w.stride = pairOr(op.getStrideAttr(), w.stride);
  w.padding = pairOr(op.getPaddingAttr(), w.padding);
  if (BoolAttr ceil = op.getCeilModeAttr())
    w.ceilMode = ceil.getValue();
  return w;
}
} // namespace detail

/// The windows of a max pooling op, its gradient, or either's adaptor (an
/// attribute not set yet while the op is built is its default).
template <typename MaxPoolLike>
shapes::PoolWindows maxPoolWindows(MaxPoolLike op) {
  shapes::PoolWindows w = detail::commonPoolWindows(op);
  w.dilation = pairOr(op.getDilationAttr(), w.dilation);
  return w;
}

/// The windows of an average pooling op, its gradient, or an adaptor.
template <typename AvgPoolLike>
shapes::PoolWindows avgPoolWindows(AvgPoolLike op) {
  shapes::PoolWindows w = detail::commonPoolWindows(op);
  if (BoolAttr include = op.getCountIncludePadAttr())
    w.countIncludePad = include.getValue();
  w.divisorOverride = intOr(op.getDivisorOverrideAttr(), 0);
  return w;
}
} // namespace mlir::tcnn

#endif // TCNN_DIALECT_TCNNOPS_H
