//===- GradientCheck.h - finite-difference check of gradients ---*- C++ -*-===//

#ifndef TCNN_INTERPRETER_GRADIENTCHECK_H
#define TCNN_INTERPRETER_GRADIENTCHECK_H

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include "llvm/Support/raw_ostream.h"

namespace tcnnc {

/// Compares every gradient `grad` returns (results named "<arg>.grad")
/// with central differences of `forward`'s loss, all in double precision:
/// every element of small tensors, an evenly spaced sample of at most
/// `maxPerTensor` elements of large ones. Prints one line per tensor and
/// returns true if every element agrees within atol + rtol * |analytic|.
bool checkGradients(mlir::func::FuncOp forward, mlir::func::FuncOp grad,
                    llvm::raw_ostream &os, int64_t maxPerTensor = 48);

} // namespace tcnnc

#endif // TCNN_INTERPRETER_GRADIENTCHECK_H
