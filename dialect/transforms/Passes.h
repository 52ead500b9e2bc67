//===- Passes.h - tcnn dialect passes ---------------------------*- C++ -*-===//

#ifndef TCNN_DIALECT_TRANSFORMS_PASSES_H
#define TCNN_DIALECT_TRANSFORMS_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

#include <memory>

namespace mlir::tcnn {

#define GEN_PASS_DECL
#include "dialect/transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "dialect/transforms/Passes.h.inc"

/// The gradient function -tcnn-autodiff built (marked tcnn.gradient_of)
/// and the forward function it differentiates; fails with an error on the
/// module if the pass has not run.
LogicalResult findGradientFunction(ModuleOp module, func::FuncOp &forward,
                                   func::FuncOp &grad);

/// The function that computes all a model computes: the gradient function
/// (as findGradientFunction), or the forward function itself when it is
/// inference-only (then `forward` and `run` are the same function). The
/// interpreter, explanations and executables run it.
LogicalResult findModelFunction(ModuleOp module, func::FuncOp &forward,
                                func::FuncOp &run);

} // namespace mlir::tcnn

#endif // TCNN_DIALECT_TRANSFORMS_PASSES_H
