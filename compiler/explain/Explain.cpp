//===- Explain.cpp - `tcnnc explain` --------------------------------------===//

#include "compiler/explain/Explain.h"

#include "compiler/explain/AnnotatedIR.h"
#include "compiler/explain/ExplainInterface.h"
#include "compiler/explain/Explorer.h"
#include "compiler/explain/Html.h"
#include "compiler/explain/Symbolic.h"
#include "dialect/transforms/Passes.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

#include "compiler/explain/ExplainInterface.cpp.inc"

void tcnnc::explain::registerSections(DialectRegistry &registry) {
  registerConvSections(registry);
  registerPoolSections(registry);
  registerElementwiseSections(registry);
  registerActivationSections(registry);
  registerLinearSections(registry);
  registerLossSections(registry);
  registerNormSections(registry);
  registerDropoutSections(registry);
  registerPadSections(registry);
}

LogicalResult tcnnc::explain::parsePosition(llvm::StringRef text,
                                              std::array<int64_t, 4> &at) {
  llvm::SmallVector<llvm::StringRef> parts;
  text.split(parts, ',');
  bool ok = parts.size() == 4;
  for (size_t i = 0; ok && i < 4; ++i) {
    long long v;
    ok = !parts[i].trim().getAsInteger(10, v) && v >= 0;
    at[i] = v;
  }
  if (!ok) {
    llvm::errs() << "tcnnc: error: --at expects four non-negative integers "
                    "b,c,y,x (batch, channel, row, column), got '"
                 << text << "'\n";
    return failure();
  }
  return success();
}

LogicalResult tcnnc::explain::explainModel(ModuleOp module,
                                             const ExplainOptions &options,
                                             std::string &out) {
  func::FuncOp forward, grad;
  // A model without a loss is explained forward only.
  if (failed(mlir::tcnn::findModelFunction(module, forward, grad)))
    return failure();
  Interpreter interp;
  auto args = interp.loadArguments(grad);
  if (failed(args) || failed(interp.run(grad, *args)))
    return failure();
  if (options.annotatedIR) {
    out = annotatedIR(grad, interp, options);
    return success();
  }
  if (options.symbolic) {
    Markdown md(6, options.precision);
    if (failed(writeSymbolic(grad, interp, options.layer, md)))
      return failure();
    out = md.str();
    if (!options.html)
      return success();
    // The derivation as a page of its own: rendered formulas, no explorer
    // or op graph.
    std::string error;
    out = renderPage(md.str(), "tcnn: symbolic derivation", "", "", error);
    if (!error.empty()) {
      llvm::errs() << "tcnnc: error: " << error << "\n";
      return failure();
    }
    return success();
  }
  Report report(grad, interp, *args, options);
  report.md.setHtml(options.html);
  std::string markdown;
  if (failed(report.write(markdown)))
    return failure();
  if (!options.html) {
    out = markdown;
    return success();
  }
  std::string error;
  std::string graph = opGraph(grad, error);
  if (error.empty()) {
    std::string model = "model";
    if (auto m = module->getAttrOfType<StringAttr>("tcnn.model"))
      model = m.str();
    out = renderPage(markdown, "tcnn: " + model + " explained", graph,
                     explorerSection(grad, interp), error);
  }
  if (!error.empty()) {
    llvm::errs() << "tcnnc: error: " << error << "\n";
    return failure();
  }
  return success();
}
