//===- MLIRGen.h - model AST to the tcnn dialect ----------------*- C++ -*-===//

#ifndef TCNN_FRONTEND_MLIRGEN_H
#define TCNN_FRONTEND_MLIRGEN_H

#include "compiler/frontend/AST.h"
#include "compiler/frontend/Diagnostics.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

namespace tcnnc {

/// Resolves names, checks every layer's arguments and shapes (reporting
/// `file:line:col` errors through `diags`), initializes every tensor, and
/// builds a module holding one `ml_program.global` per input, target and
/// parameter and the function `@forward` computing (loss, output).
/// `baseDir` is where `npy("...")` paths start. A model whose training step
/// would need more than `maxMemory` bytes is refused before any tensor is
/// materialized.
mlir::OwningOpRef<mlir::ModuleOp> mlirGen(mlir::MLIRContext &context,
                                          const ModelAST &model,
                                          Diagnostics &diags,
                                          const std::string &baseDir,
                                          uint64_t maxMemory);

} // namespace tcnnc

#endif // TCNN_FRONTEND_MLIRGEN_H
