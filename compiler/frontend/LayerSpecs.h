//===- LayerSpecs.h - the layers a model file can use -----------*- C++ -*-===//
//
// There is no table of layers here: every registered op that implements
// LayerOpInterface is a layer (its PyTorch name, arguments and rules come
// from the op, dialect/ops/). This file finds a layer by name and binds
// a call's arguments against the op's argument list, which gives every
// argument error message.
//
//===----------------------------------------------------------------------===//

#ifndef TCNN_FRONTEND_LAYERSPECS_H
#define TCNN_FRONTEND_LAYERSPECS_H

#include "compiler/frontend/AST.h"
#include "compiler/frontend/Diagnostics.h"
#include "dialect/TcnnOps.h"

#include "mlir/IR/MLIRContext.h"

#include <map>
#include <optional>
#include <string>

namespace tcnnc {

/// A layer kind: the op that implements it.
using LayerKind = mlir::tcnn::LayerOpInterface::Concept;

/// The layer a model file calls `name` (e.g. "Conv2d"), or null.
const LayerKind *lookupLayer(mlir::MLIRContext &context,
                             const std::string &name);
/// "AvgPool2d, Conv2d, ..." for error messages.
std::string knownLayerNames(mlir::MLIRContext &context);

/// A call's arguments by name, after binding, with where each was given.
struct BoundArgs {
  std::map<std::string, mlir::tcnn::LayerArgValue> values;
  std::map<std::string, SourceLoc> locs;
  SourceLoc locOf(const std::string &name, SourceLoc dflt) const {
    auto it = locs.find(name);
    return it == locs.end() ? dflt : it->second;
  }
};

/// Binds positional and keyword arguments of `call` against the layer's
/// argument list, checking names, count, duplicates, required arguments
/// and types.
std::optional<BoundArgs> bindArgs(const LayerKind &layer, const LayerCall &call,
                                  Diagnostics &diags);

} // namespace tcnnc

#endif // TCNN_FRONTEND_LAYERSPECS_H
