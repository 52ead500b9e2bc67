//===- Passes.h - tcnn's optimizing passes ----------------------*- C++ -*-===//

#ifndef TCNN_OPTIMIZE_PASSES_H
#define TCNN_OPTIMIZE_PASSES_H

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Transform/IR/TransformDialect.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir {
class DialectRegistry;
}

namespace tcnnc::optimize {

#define GEN_PASS_DECL
#include "compiler/optimize/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "compiler/optimize/Passes.h.inc"

/// The transform-dialect extensions and op interfaces the passes above
/// rely on (tiling, value bounds, bufferization of scf and vector ops).
void registerOptimizeInterfaces(mlir::DialectRegistry &registry);

/// Parses `script`, a module holding `transform.named_sequence
/// @__transform_main`, and applies it to `payload`.
mlir::LogicalResult applyTransformScript(mlir::ModuleOp payload,
                                         llvm::StringRef script);

} // namespace tcnnc::optimize

#endif // TCNN_OPTIMIZE_PASSES_H
