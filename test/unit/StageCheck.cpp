//===- StageCheck.cpp - does every op have every stage? -------------------===//
//
// tcnn-stage-check loads the dialects and external models exactly as tcnnc
// does and lists, for every op of the tcnn dialect, the stages attached to
// it. It exits 1, naming the op and the stage, when one is missing: a new
// op without an interpreter kernel fails the test suite instead of failing
// at run time on the first model that uses it.
//
//===----------------------------------------------------------------------===//

#include "compiler/driver/Registration.h"
#include "compiler/interpreter/KernelInterface.h"
#include "dialect/TcnnOps.h"

#include "mlir/IR/MLIRContext.h"

#include "llvm/Support/raw_ostream.h"

int main() {
  mlir::DialectRegistry registry;
  tcnnc::registerDialects(registry);
  mlir::MLIRContext context(registry);
  context.loadAllAvailableDialects();
  int missing = 0;
  for (mlir::RegisteredOperationName op : context.getRegisteredOperations()) {
    if (op.getDialectNamespace() != "tcnn")
      continue;
    bool forward = op.hasInterface<mlir::tcnn::GradientOpInterface>();
    bool kernel = op.hasInterface<tcnnc::KernelOpInterface>();
    llvm::outs() << op.getStringRef() << ": "
                 << (forward ? "forward (reverse rule)" : "backward")
                 << ", interpreter " << (kernel ? "yes" : "MISSING") << "\n";
    if (!kernel) {
      llvm::errs() << "error: " << op.getStringRef()
                   << " has no interpreter kernel (attach a "
                      "KernelOpInterface model in compiler/interpreter/)\n";
      ++missing;
    }
  }
  return missing ? 1 : 0;
}
