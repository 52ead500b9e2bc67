//===- Explain.h - `tcnnc explain` ------------------------------*- C++ -*-===//

#ifndef TCNN_EXPLAIN_EXPLAIN_H
#define TCNN_EXPLAIN_EXPLAIN_H

#include "compiler/explain/Report.h"

#include "mlir/IR/BuiltinOps.h"

namespace tcnnc::explain {

struct ExplainOptions : ReportOptions {
  /// The derivation with symbols instead of the numeric report.
  bool symbolic = false;
  /// The gradient IR annotated with values instead of the report.
  bool annotatedIR = false;
  /// A self-contained HTML page instead of Markdown.
  bool html = false;
};

/// Parses "b,c,y,x"; reports an error and fails otherwise.
mlir::LogicalResult parsePosition(llvm::StringRef text,
                                  std::array<int64_t, 4> &at);

/// Interprets the module's gradient function (after -tcnn-autodiff) and
/// writes the chosen explanation into `out`.
mlir::LogicalResult explainModel(mlir::ModuleOp module,
                                 const ExplainOptions &options,
                                 std::string &out);

} // namespace tcnnc::explain

#endif // TCNN_EXPLAIN_EXPLAIN_H
