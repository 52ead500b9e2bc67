//===- AnnotatedIR.h - IR with the values each op computed ------*- C++ -*-===//

#ifndef TCNN_EXPLAIN_ANNOTATEDIR_H
#define TCNN_EXPLAIN_ANNOTATEDIR_H

#include "compiler/explain/Report.h"

namespace tcnnc::explain {

/// The gradient function with, after every op, a comment giving what it
/// computed: shape, the value at the explained position, min and max.
std::string annotatedIR(mlir::func::FuncOp grad, const Interpreter &interp,
                        const ReportOptions &options);

} // namespace tcnnc::explain

#endif // TCNN_EXPLAIN_ANNOTATEDIR_H
