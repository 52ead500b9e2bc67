//===- tcnn-opt.cpp - mlir-opt with the tcnn dialect and passes -----------===//
//
// The standard MLIR optimizer driver with the tcnn dialect, tcnn's passes
// and the upstream dialects and passes tcnn uses, so every mlir-opt flag
// (--mlir-print-ir-after-all, -verify-diagnostics, -split-input-file, ...)
// works on tcnn modules.
//
//===----------------------------------------------------------------------===//

#include "compiler/driver/Registration.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  tcnnc::registerDialects(registry);
  tcnnc::registerPasses();
  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv,
      "tcnn-opt: run tcnn and upstream MLIR passes on a tcnn module\n\n"
      "Reads MLIR (a file or stdin), runs the passes named on the command\n"
      "line in order, and prints the result. Example:\n"
      "  tcnnc model.tcnn --emit=mlir | tcnn-opt -tcnn-autodiff\n",
      registry));
}
