//===- Passes.h - tcnn dialect passes ---------------------------*- C++ -*-===//

#ifndef TCNN_DIALECT_TRANSFORMS_PASSES_H
#define TCNN_DIALECT_TRANSFORMS_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

#include <memory>

namespace mlir::tcnn {

#define GEN_PASS_DECL
#include "dialect/transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "dialect/transforms/Passes.h.inc"

} // namespace mlir::tcnn

#endif // TCNN_DIALECT_TRANSFORMS_PASSES_H
