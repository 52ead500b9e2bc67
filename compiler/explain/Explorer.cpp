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
const llvm::StringSet<> kExplained = {
    "conv2d",           "conv_transpose2d",    "max_pool2d",
    "avg_pool2d",       "adaptive_max_pool2d", "adaptive_avg_pool2d",
    "linear",           "relu",                "leaky_relu",
    "sigmoid",          "tanh",                "elu",
    "gelu",             "softmax",             "log_softmax",
    "batch_norm2d",     "mse_loss",            "l1_loss",
    "smooth_l1_loss",   "bce_with_logits_loss", "cross_entropy_loss",
    "nll_loss",         "add",                 "mul",
    "cat",              "dropout",             "flatten",
    "pad2d"};

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
    } else if (auto str = dyn_cast<StringAttr>(a.getValue())) {
      // Identifiers and keywords only ("mean", "sum"): no escaping needed.
      if (llvm::any_of(str.getValue(),
                       [](char c) { return c == '"' || c == '\\'; }))
        continue;
      v << "\"" << str.getValue() << "\"";
    } else {
      continue;
    }
    os << (first ? "" : ",") << "\"" << a.getName().getValue() << "\":" << value;
    first = false;
  }
  os << "}";
}

/// What explorer.js calls each operand of `op`: input, weight, bias by
/// default; a loss's input and target; BatchNorm's by its ODS names (its
/// weight, bias and running statistics are optional).
SmallVector<std::string> operandNamesOf(Operation *op) {
  SmallVector<std::string> names;
  for (unsigned i = 0; i < op->getNumOperands(); ++i)
    names.push_back("operand" + std::to_string(i));
  auto name = [&](Value v, const char *n) {
    for (unsigned i = 0; v && i < op->getNumOperands(); ++i)
      if (op->getOperand(i) == v)
        names[i] = n;
  };
  if (auto bn = dyn_cast<mlir::tcnn::BatchNorm2dOp>(op)) {
    name(bn.getInput(), "input");
    name(bn.getWeight(), "weight");
    name(bn.getBias(), "bias");
    name(bn.getRunningMean(), "runningMean");
    name(bn.getRunningVar(), "runningVar");
    return names;
  }
  StringRef kind = op->getName().stripDialect();
  if (kind == "add" || kind == "mul")
    return {"lhs", "rhs"};
  if (kind == "cat") {
    // Zero-padded so that explorer.js finds them in order by sorting.
    for (unsigned i = 0; i < names.size(); ++i) {
      char buf[16];
      std::snprintf(buf, sizeof buf, "in%03u", i);
      names[i] = buf;
    }
    return names;
  }
  if (kind == "dropout")
    return {"input", "mask"};
  bool loss = kind.ends_with("_loss");
  const char *defaults[] = {"input", loss ? "target" : "weight", "bias"};
  for (unsigned i = 0; i < names.size() && i < 3; ++i)
    names[i] = defaults[i];
  return names;
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
    // Every operand by its ODS name (BatchNorm's optional weight, bias and
    // running statistics; a loss's target), and the gradients of the
    // first three with respect to the loss, to compare full sums with.
    os << ",\"operands\":{";
    auto operandNames = operandNamesOf(&op);
    for (unsigned i = 0; i < op.getNumOperands(); ++i) {
      if (!isa<TensorType>(op.getOperand(i).getType()))
        continue;
      os << (i ? "," : "") << "\"" << operandNames[i] << "\":";
      writeTensor(os, interp.valueOf(op.getOperand(i)));
    }
    os << "},\"operandGrads\":{";
    for (unsigned i = 0; i < op.getNumOperands(); ++i) {
      if (!isa<TensorType>(op.getOperand(i).getType()))
        continue;
      os << (i ? "," : "") << "\"" << operandNames[i] << "\":";
      writeTensor(os, gradOf(nameOf(run, op.getOperand(i))));
    }
    os << "}}";
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
           "knows convolutions, pooling, Linear, BatchNorm2d, the activations "
           "and the losses).</p>\n";
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
