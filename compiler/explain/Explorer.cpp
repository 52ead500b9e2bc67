//===- Explorer.cpp - the data and script of the "Explore" section --------===//

#include "compiler/explain/Explorer.h"

#include "dialect/TcnnOps.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <cstdio>
#include <map>

using namespace mlir;

namespace {

/// explorer.js, embedded at build time (ExplorerScript.h is generated from
/// it by CMake).
#include "ExplorerScript.h"

/// The op kinds explorer.js knows (its `kinds`), by op name.
const llvm::StringSet<> kExplained = {"conv2d", "max_pool2d", "avg_pool2d",
                                      "linear", "relu"};

/// Beyond this many embedded numbers the page would be unwieldy.
constexpr int64_t kMaxValues = 2'000'000;

void writeTensor(llvm::raw_ostream &os, const tcnnc::Tensor *t) {
  if (!t) {
    os << "null";
    return;
  }
  os << "{\"shape\":[";
  for (size_t d = 0; d < t->shape.size(); ++d)
    os << (d ? "," : "") << t->shape[d];
  os << "],\"data\":[";
  char buf[32];
  for (size_t i = 0; i < t->data.size(); ++i) {
    double v = t->data[i];
    if (std::isfinite(v))
      std::snprintf(buf, sizeof buf, "%.9g", v);
    else
      std::snprintf(buf, sizeof buf, "null");
    os << (i ? "," : "") << buf;
  }
  os << "]}";
}

/// Integer, pair, bool and float attributes, as JSON values.
void writeAttrs(llvm::raw_ostream &os, Operation *op) {
  os << "{";
  bool first = true;
  for (NamedAttribute a : op->getAttrs()) {
    std::string value;
    llvm::raw_string_ostream v(value);
    if (auto arr = dyn_cast<DenseI64ArrayAttr>(a.getValue())) {
      v << "[";
      for (size_t i = 0; i < arr.size(); ++i)
        v << (i ? "," : "") << arr[i];
      v << "]";
    } else if (auto i = dyn_cast<IntegerAttr>(a.getValue())) {
      v << i.getValue().getSExtValue();
    } else if (auto b = dyn_cast<BoolAttr>(a.getValue())) {
      v << (b.getValue() ? "true" : "false");
    } else if (auto f = dyn_cast<FloatAttr>(a.getValue())) {
      v << f.getValueAsDouble();
    } else {
      continue;
    }
    os << (first ? "" : ",") << "\"" << a.getName().getValue() << "\":" << value;
    first = false;
  }
  os << "}";
}

std::string nameOf(func::FuncOp run, Value v) {
  if (auto arg = dyn_cast<BlockArgument>(v))
    return mlir::tcnn::argumentName(run, arg.getArgNumber());
  return mlir::tcnn::layerNameOf(v.getDefiningOp()).value_or("").str();
}

} // namespace

std::string tcnnc::explain::explorerSection(func::FuncOp run,
                                             const Interpreter &interp) {
  // Gradients by the name of the value they are the gradient of.
  std::map<std::string, const Tensor *> grads;
  for (Operation &op : run.getBody().front())
    if (auto of = op.getAttrOfType<ArrayAttr>(mlir::tcnn::kGradOfAttr))
      for (Attribute n : of)
        if (op.getNumResults() == 1)
          grads[cast<StringAttr>(n).str()] = interp.valueOf(op.getResult(0));
  auto gradOf = [&](const std::string &name) -> const Tensor * {
    auto it = grads.find(name);
    return it == grads.end() ? nullptr : it->second;
  };

  std::string json;
  llvm::raw_string_ostream os(json);
  os << "{\"layers\":[";
  int64_t values = 0;
  bool first = true;
  for (Operation &op : run.getBody().front()) {
    auto layer = dyn_cast<mlir::tcnn::LayerOpInterface>(op);
    if (!layer || op.hasAttr(mlir::tcnn::kGradOfAttr) ||
        !kExplained.contains(op.getName().stripDialect()))
      continue;
    std::string name = nameOf(run, op.getResult(0));
    auto operand = [&](unsigned i) -> const Tensor * {
      return i < op.getNumOperands() ? interp.valueOf(op.getOperand(i))
                                     : nullptr;
    };
    const Tensor *bias = operand(2);
    os << (first ? "" : ",") << "{\"name\":\"" << name << "\",\"kind\":\""
       << op.getName().stripDialect() << "\",\"layer\":\""
       << layer.getLayerName() << "\",\"attrs\":";
    first = false;
    writeAttrs(os, &op);
    os << ",\"input\":";
    writeTensor(os, operand(0));
    os << ",\"weight\":";
    writeTensor(os, operand(1));
    os << ",\"bias\":";
    writeTensor(os, bias);
    os << ",\"output\":";
    writeTensor(os, interp.valueOf(op.getResult(0)));
    os << ",\"outputGrad\":";
    writeTensor(os, gradOf(name));
    os << ",\"biasGrad\":";
    writeTensor(os, bias ? gradOf(nameOf(run, op.getOperand(2))) : nullptr);
    os << "}";
    for (Value v : op.getOperands())
      values += static_cast<int64_t>(interp.valueOf(v)->data.size());
    values += 2 * static_cast<int64_t>(
                      interp.valueOf(op.getResult(0))->data.size());
  }
  os << "]}";
  if (values > kMaxValues)
    return "<p>This model's tensors are too large to embed for exploring "
           "(more than " +
           std::to_string(kMaxValues) +
           " numbers); the sections below explain one position per "
           "layer.</p>\n";
  if (first)
    return "<p>No layer of this model can be explored yet (the explorer "
           "knows Conv2d, MaxPool2d, AvgPool2d, Linear and ReLU).</p>\n";
  // `<` never appears in numbers or identifiers, but a `</script>` would
  // end the element early: escape it anyway.
  std::string safe;
  for (char c : json)
    safe += c == '<' ? std::string("\\u003c") : std::string(1, c);
  return "<p>Pick a layer, a batch element and a channel, then click any "
         "output cell: the panel recomputes that value from its inputs "
         "(receptive field, kernel, substitution, calculated vs actual) and "
         "shows where its gradient goes in the backward pass.</p>\n"
         "<div id=\"explorer\"></div>\n"
         "<script type=\"application/json\" id=\"tcnn-explorer-data\">" +
         safe + "</script>\n<script>" + kExplorerScript + "</script>\n";
}
