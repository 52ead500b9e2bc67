//===- Translate.h - the importer's steps -----------------------*- C++ -*-===//

#ifndef TCNN_IMPORTERS_TRANSLATE_H
#define TCNN_IMPORTERS_TRANSLATE_H

#include "compiler/importers/Import.h"
#include "compiler/importers/OnnxGraph.h"

namespace tcnnc::import {

/// Adds `graph`'s inputs, layers and output to `model` (OnnxLayers.cpp).
/// On failure `error` names the node and its op type.
bool translateGraph(const onnx::Graph &graph, Model &model,
                    std::string &error);

/// `s` as a tcnn name: letters, digits and '_', no leading digit, not a
/// statement keyword; empty if nothing of `s` is left.
std::string toIdentifier(const std::string &s);

} // namespace tcnnc::import

#endif // TCNN_IMPORTERS_TRANSLATE_H
