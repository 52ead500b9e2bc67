//===- Run.h - run a compiled model in the interpreter ----------*- C++ -*-===//

#ifndef TCNN_COMPILER_DRIVER_RUN_H
#define TCNN_COMPILER_DRIVER_RUN_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"

#include "llvm/Support/raw_ostream.h"

#include <string>

namespace tcnnc {

/// Interprets the gradient function (after -tcnn-autodiff) and prints the
/// loss, the output and a summary of every gradient. With `dumpDir`,
/// writes every argument, activation and gradient there as .npy:
/// `<name>.npy` for inputs, targets, parameters and layer outputs,
/// `<name>.grad.npy` for the gradient of the loss with respect to each.
mlir::LogicalResult runModel(mlir::ModuleOp module, llvm::raw_ostream &os,
                             const std::string &dumpDir);

} // namespace tcnnc

#endif // TCNN_COMPILER_DRIVER_RUN_H
