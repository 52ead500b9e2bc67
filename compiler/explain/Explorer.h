//===- Explorer.h - the interactive part of the HTML report -----*- C++ -*-===//
//
// The "Explore" section of `tcnnc explain --format html`: the reader picks
// a layer, a batch element and a channel, clicks any output cell, and the
// page (explorer.js) recomputes that value and its backward contributions
// from the tensors embedded here as JSON.
//
//===----------------------------------------------------------------------===//

#ifndef TCNN_EXPLAIN_EXPLORER_H
#define TCNN_EXPLAIN_EXPLORER_H

#include "compiler/interpreter/Interpreter.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <string>

namespace tcnnc::explain {

/// The section's HTML: the panel, the data of every layer the explorer
/// explains (Conv2d, MaxPool2d, AvgPool2d, Linear, ReLU) and its script.
/// For a model too large to embed, a paragraph that says so.
std::string explorerSection(mlir::func::FuncOp run, const Interpreter &interp);

} // namespace tcnnc::explain

#endif // TCNN_EXPLAIN_EXPLORER_H
