//===- Passes.h - tcnn lowering passes --------------------------*- C++ -*-===//

#ifndef TCNN_LOWERING_PASSES_H
#define TCNN_LOWERING_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

#include <string>

namespace tcnnc::lowering {

#define GEN_PASS_DECL
#include "compiler/lowering/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "compiler/lowering/Passes.h.inc"

/// The C identifier a name becomes: every character that is not a letter,
/// digit or '_' becomes '_'.
std::string cIdentifier(llvm::StringRef name);

/// The model's C prefix: its `tcnn.model` name as an identifier.
std::string modelPrefix(mlir::ModuleOp module);

} // namespace tcnnc::lowering

#endif // TCNN_LOWERING_PASSES_H
