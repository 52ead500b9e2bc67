//===- StageCheck.cpp - does every op have every stage? -------------------===//
//
// tcnn-stage-check loads the dialects and external models exactly as tcnnc
// does and lists, for every op of the tcnn dialect, the stages attached to
// it. It exits 1, naming the op and the stage, when one is missing: a new
// op without an interpreter kernel, a lowering or an explanation fails the test suite instead of failing
// at run time on the first model that uses it.
//
//===----------------------------------------------------------------------===//

#include "compiler/driver/Registration.h"
#include "compiler/explain/ExplainInterface.h"
#include "compiler/interpreter/KernelInterface.h"
#include "compiler/lowering/LoweringInterface.h"
#include "dialect/TcnnOps.h"

#include "mlir/IR/MLIRContext.h"

#include "llvm/Support/raw_ostream.h"

int main(int argc, char **argv) {
  // --pretend-missing=OP: treat OP as if nothing were attached to it, to
  // show (in stages.test) that the check fails and names what is missing.
  llvm::StringRef pretendMissing;
  if (argc == 2 && llvm::StringRef(argv[1]).starts_with("--pretend-missing="))
    pretendMissing = llvm::StringRef(argv[1]).split('=').second;
  mlir::DialectRegistry registry;
  tcnnc::registerDialects(registry);
  mlir::MLIRContext context(registry);
  context.loadAllAvailableDialects();
  int missing = 0;
  for (mlir::RegisteredOperationName op : context.getRegisteredOperations()) {
    if (op.getDialectNamespace() != "tcnn")
      continue;
    bool forward = op.hasInterface<mlir::tcnn::GradientOpInterface>();
    // Optimizer steps run in compiled code only (ops/Optimizer.td).
    bool compiledOnly = op.hasTrait<mlir::tcnn::OptimizerStep>();
    bool dropped = op.getStringRef() == pretendMissing;
    bool kernel = !dropped && op.hasInterface<tcnnc::KernelOpInterface>();
    bool lowering =
        !dropped && op.hasInterface<tcnnc::lowering::LoweringOpInterface>();
    bool sections =
        !dropped && op.hasInterface<tcnnc::explain::ExplainOpInterface>();
    llvm::outs() << op.getStringRef() << ": "
                 << (forward        ? "forward (reverse rule)"
                     : compiledOnly ? "optimizer step"
                                    : "backward");
    if (compiledOnly)
      llvm::outs() << ", compiled only, lowering "
                   << (lowering ? "yes" : "MISSING") << "\n";
    else
      llvm::outs() << ", interpreter " << (kernel ? "yes" : "MISSING")
                   << ", lowering " << (lowering ? "yes" : "MISSING")
                   << ", explanation " << (sections ? "yes" : "MISSING")
                   << "\n";
    auto report = [&](bool present, const char *stage, const char *where) {
      if (present)
        return;
      llvm::errs() << "error: " << op.getStringRef() << " has no " << stage
                   << " (attach a model in " << where << ")\n";
      ++missing;
    };
    report(kernel || compiledOnly, "interpreter kernel",
           "compiler/interpreter/");
    report(lowering, "lowering to linalg", "compiler/lowering/");
    report(sections || compiledOnly, "explanation", "compiler/explain/");
  }
  return missing ? 1 : 0;
}
