//===- ModelText.cpp - an imported model as .tcnn text --------------------===//
//
// A chain (each layer reads only the one before it, and nothing else reads
// that) is written as one `sequential` block, as a person would write it;
// a graph that branches or joins is written one statement per layer.
//
//===----------------------------------------------------------------------===//

#include "compiler/importers/Translate.h"

#include <map>
#include <sstream>

using namespace tcnnc::import;

namespace {

std::string shapeText(const std::vector<int64_t> &shape) {
  std::string s = "[";
  for (size_t k = 0; k < shape.size(); ++k)
    s += (k ? ", " : "") + std::to_string(shape[k]);
  return s + "]";
}

std::string call(const Layer &l) {
  std::string s = l.kind + "(";
  for (size_t k = 0; k < l.args.size(); ++k)
    s += (k ? ", " : "") + l.args[k];
  return s + ")";
}

bool isChain(const Model &m) {
  if (m.inputs.size() != 1 || m.layers.empty() ||
      m.layers.back().name != m.output)
    return false;
  std::map<std::string, int> uses;
  for (const Layer &l : m.layers)
    for (const std::string &in : l.inputs)
      ++uses[in];
  std::string previous = m.inputs[0].first;
  for (const Layer &l : m.layers) {
    if (l.inputs.size() != 1 || l.inputs[0] != previous ||
        uses[previous] != 1)
      return false;
    previous = l.name;
  }
  return true;
}

/// A name for the sequential block that no layer or input has.
std::string blockName(const Model &m) {
  for (std::string name = "out";; name += "_") {
    bool taken = false;
    for (const Layer &l : m.layers)
      taken |= l.name == name;
    for (const auto &in : m.inputs)
      taken |= in.first == name;
    if (!taken)
      return name;
  }
}

} // namespace

std::string tcnnc::import::modelText(const Model &m) {
  std::ostringstream os;
  os << "# Imported from " << m.source << " (ONNX opset ";
  if (m.upgradedFrom)
    os << m.upgradedFrom << ", upgraded to " << m.opset;
  else
    os << m.opset;
  os << ") by tcnnc import.\n"
     << "model " << m.name << "\n\n";
  for (const auto &[name, shape] : m.inputs)
    os << "input " << name << ": " << shapeText(shape) << "\n";
  os << "\n";
  std::string output = m.output;
  if (isChain(m)) {
    // The block's name is an alias of its last layer's.
    output = blockName(m);
    os << output << " = sequential(" << m.inputs[0].first << ") {\n";
    for (const Layer &l : m.layers) {
      os << "  ";
      // Layers without parameters and without a name of their own are
      // named by the frontend (relu1, relu2, ...), as in hand-written
      // blocks.
      if (l.named || !l.params.empty())
        os << l.name << " = ";
      os << call(l) << "\n";
    }
    os << "}\n";
  } else {
    for (const Layer &l : m.layers) {
      os << l.name << " = " << call(l) << "(";
      for (size_t k = 0; k < l.inputs.size(); ++k)
        os << (k ? ", " : "") << l.inputs[k];
      os << ")\n";
    }
  }
  if (!m.loss.empty()) {
    bool classes = m.loss == "CrossEntropyLoss" || m.loss == "NLLLoss";
    std::vector<int64_t> shape = m.outputShape;
    if (classes && !shape.empty())
      shape = {shape[0]};
    os << "\ntarget target: " << shapeText(shape) << "\n"
       << "loss = " << m.loss << "()(" << output << ", target)\n";
  }
  bool first = true;
  for (const Layer &l : m.layers)
    for (const auto &[param, file] : l.params) {
      os << (first ? "\n" : "") << l.name << "." << param << " = npy(\""
         << file << "\")\n";
      first = false;
    }
  return os.str();
}
