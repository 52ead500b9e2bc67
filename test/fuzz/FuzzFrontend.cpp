//===- FuzzFrontend.cpp - libFuzzer target: .tcnn files -------------------===//
//
// Any bytes as a model file: lex, parse, check, initialize and build the
// tcnn module, then verify it. Every input must end in a module or a
// diagnostic; a crash, hang, leak or sanitizer report is a bug.
//
//===----------------------------------------------------------------------===//

#include "compiler/driver/Registration.h"
#include "compiler/frontend/MLIRGen.h"
#include "compiler/frontend/Parser.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"

#include <memory>

namespace {
/// A context lives for a few hundred inputs: making one per input would
/// dominate the run time, keeping one forever would let its uniqued
/// attributes grow without bound.
constexpr int kInputsPerContext = 500;

std::unique_ptr<mlir::MLIRContext> makeContext() {
  mlir::DialectRegistry registry;
  tcnnc::registerDialects(registry);
  auto context = std::make_unique<mlir::MLIRContext>(registry);
  context->loadAllAvailableDialects();
  // Verifier messages are expected output here, not findings.
  context->getDiagEngine().registerHandler(
      [](mlir::Diagnostic &) { return mlir::success(); });
  return context;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static std::unique_ptr<mlir::MLIRContext> context;
  static int uses = 0;
  if (!context || ++uses == kInputsPerContext) {
    context.reset();
    context = makeContext();
    uses = 0;
  }
  llvm::StringRef text(reinterpret_cast<const char *>(data), size);
  tcnnc::Diagnostics diags("fuzz.tcnn", llvm::nulls());
  auto ast = tcnnc::parseModel(text, diags);
  if (!ast)
    return 0;
  // npy("...") paths resolve against a directory that does not exist; a
  // small memory limit keeps every accepted model cheap to build.
  (void)tcnnc::mlirGen(*context, *ast, diags, "/nonexistent/tcnn-fuzz",
                      uint64_t(16) << 20);
  return 0;
}
