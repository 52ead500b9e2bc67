//===- Report.cpp - explain every op of a model with its numbers ----------===//

#include "compiler/explain/Report.h"

#include "compiler/explain/ExplainInterface.h"

#include "compiler/explain/Html.h"

#include "dialect/ShapeRules.h"
#include "dialect/TcnnOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/BuiltinOps.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <cstdio>

using namespace mlir;
using namespace mlir::tcnn;
using tcnnc::explain::Index;
using tcnnc::explain::Report;

std::string tcnnc::explain::indexStr(const Index &index) {
  std::string s = "(";
  for (size_t i = 0; i < index.size(); ++i)
    s += (i ? ", " : "") + std::to_string(index[i]);
  return s + ")";
}

int64_t tcnnc::explain::flat(const std::vector<int64_t> &shape,
                               const Index &index) {
  int64_t f = 0;
  for (size_t d = 0; d < shape.size(); ++d)
    f = f * shape[d] + index[d];
  return f;
}

std::string tcnnc::explain::shapeStr(const std::vector<int64_t> &shape) {
  return shapes::str(shape);
}

/// "`x`, `side`": the inputs the gradient function differentiates (a
/// result named `<input>.grad`).
static std::string differentiatedInputs(func::FuncOp grad) {
  auto names = grad->getAttrOfType<ArrayAttr>(kResultNamesAttr);
  std::string list;
  for (StringRef input : argumentNames(grad, ArgRole::Input)) {
    std::string gradName = (input + ".grad").str();
    if (names && llvm::any_of(names, [&](Attribute a) {
          return cast<StringAttr>(a).getValue() == gradName;
        }))
      list += (list.empty() ? "`" : ", `") + input.str() + "`";
  }
  return list;
}

std::vector<int64_t> tcnnc::explain::indexRange(int64_t from,
                                                  int64_t count) {
  std::vector<int64_t> r;
  for (int64_t k = 0; k < count; ++k)
    r.push_back(from + k);
  return r;
}

tcnnc::explain::Window tcnnc::explain::windowAt(const Index &at,
                                                   ArrayRef<int64_t> kernel,
                                                   ArrayRef<int64_t> stride,
                                                   ArrayRef<int64_t> pad) {
  return {at[0],
          at[1],
          at[2],
          at[3],
          at[2] * stride[0] - pad[0],
          at[3] * stride[1] - pad[1],
          kernel[0],
          kernel[1]};
}

double Report::upstream(Value dy, const Index &at) {
  const tcnnc::Tensor &t = value(dy);
  double v = t.data[flat(t.shape, at)];
  md.para("**Upstream gradient** $\\partial L/\\partial y$ (shape " +
          shapeStr(t.shape) + ", the gradient of the loss with respect to " +
          "this layer's output) at " + indexStr(at) + ": **" + md.num(v) +
          "**.");
  traceUpstream(dy, at);
  return v;
}

/// Where an upstream gradient was computed: the backward op of the layer
/// after this one, and for max pooling the windows whose maximum this
/// position is (the positions that sent it their gradient).
void Report::traceUpstream(Value dy, const Index &at) {
  Operation *def = dy.getDefiningOp();
  if (!def || isa<arith::ConstantOp>(def))
    return;
  std::string from = layerOf(def);
  if (isa<AddOp>(def)) {
    md.para("It is the sum of the gradients of this value's uses (the "
            "section before adds them).");
    return;
  }
  auto pool = dyn_cast<MaxPool2dGradOp>(def);
  if (!pool || at.size() != 4) {
    md.para("It comes from the backward pass of `" + from + "` (" +
            kindOf(from) + "), the layer that reads this output.");
    return;
  }
  std::vector<std::string> sources = maxPoolGradientSources(*this, pool, at);
  md.para("It comes from `" + from + "` (MaxPool2d), which sends each "
          "window's gradient to the window's first maximum: " +
          (sources.empty()
               ? std::string("no window has its maximum here, so it is 0.")
               : "here it is the maximum of " + llvm::join(sources, " and ") +
                     "."));
}

Report::Report(func::FuncOp grad, tcnnc::Interpreter &interp,
               const std::vector<tcnnc::Tensor> &args, ReportOptions options)
    : md(6, options.precision), grad(grad), interp(interp), args(args),
      options(std::move(options)), asmState(grad) {
  for (Operation &op : grad.getBody().front())
    if (isa<GradientOpInterface>(op) && !op.hasAttr(kGradOfAttr))
      forwardOps.emplace(layerOf(&op), &op);
}

const tcnnc::Tensor &Report::value(Value v) const {
  return *interp.valueOf(v);
}

std::string Report::layerOf(Operation *op) const {
  if (auto name = dyn_cast<NameLoc>(op->getLoc()))
    return name.getName().str();
  return "";
}

std::string Report::nameOf(Value v) const {
  if (auto arg = dyn_cast<BlockArgument>(v))
    return argumentName(grad, arg.getArgNumber());
  return layerOf(v.getDefiningOp());
}

std::string Report::kindOf(const std::string &layer) const {
  auto it = forwardOps.find(layer);
  if (it != forwardOps.end())
    if (auto kind = dyn_cast<LayerOpInterface>(it->second))
      return kind.getLayerName().str();
  // A layer's helper value ("drop.mask") is of its layer's kind.
  if (layer.find('.') != std::string::npos)
    return kindOf(layer.substr(0, layer.rfind('.')));
  return "?";
}

std::string Report::describe(Value v) const {
  if (auto arg = dyn_cast<BlockArgument>(v)) {
    auto role = argumentRole(grad, arg.getArgNumber());
    const char *kind = !role                            ? "argument"
                       : role->first == ArgRole::Param  ? "parameter"
                       : role->first == ArgRole::Target ? "target"
                                                        : "model input";
    return "`" + nameOf(v) + "` (" + kind + ")";
  }
  std::string layer = nameOf(v);
  return "`" + layer + "` (the output of " + kindOf(layer) + " " + layer + ")";
}

Index Report::positionIn(const std::vector<int64_t> &shape) const {
  std::array<int64_t, 4> want = options.at.value_or(
      std::array<int64_t, 4>{0, 0, 1, 1});
  Index index;
  if (shape.size() == 4)
    index.assign(want.begin(), want.end());
  else
    index.assign(want.begin(), want.begin() + std::min<size_t>(2, shape.size()));
  index.resize(shape.size(), 0);
  for (size_t d = 0; d < shape.size(); ++d)
    if (index[d] < 0 || index[d] >= shape[d])
      return Index(shape.size(), 0);
  return index;
}

std::string Report::irLine(Operation *op) {
  std::string s;
  llvm::raw_string_ostream os(s);
  op->print(os, asmState);
  return s;
}

void Report::beginSection(Operation *op, const std::string &title) {
  beginSection(op, title, layerOf(op));
}

void Report::beginSection(Operation *op, const std::string &title,
                          const std::string &layer) {
  std::string kind = kindOf(layer);
  md.heading(3, "`" + layer + "`" + (kind == "?" ? "" : " (" + kind + ")") +
                    ": " + title);
  md.line("```mlir");
  md.line(irLine(op));
  md.line("```");
  md.line("");
  if (md.html())
    figures(op);
}

/// Heatmaps for the HTML report: the op's first operand with the explained
/// window outlined (for windowed ops) and its result with the explained
/// position outlined, in the explained channel.
void Report::figures(Operation *op) {
  const tcnnc::Tensor &out = value(op->getResult(0));
  if (out.shape.size() != 4 && out.shape.size() != 2)
    return;
  Index at = positionIn(out.shape);
  std::string pics;
  Value in = op->getOperand(0);
  auto inType = cast<RankedTensorType>(in.getType());
  if (inType.getRank() == 4 && out.shape.size() == 4 &&
      !op->hasAttr(kGradOfAttr)) {
    const tcnnc::Tensor &x = value(in);
    std::optional<Highlight> hl;
    auto stride = op->getAttrOfType<DenseI64ArrayAttr>("stride");
    auto pad = op->getAttrOfType<DenseI64ArrayAttr>("padding");
    if (stride && pad) {
      int64_t kh = 1, kw = 1;
      if (auto k = op->getAttrOfType<DenseI64ArrayAttr>("kernel_size")) {
        kh = k[0];
        kw = k[1];
      } else {
        auto w = cast<RankedTensorType>(op->getOperand(1).getType()).getShape();
        kh = w[2];
        kw = w[3];
      }
      hl = Highlight{at[2] * stride[0] - pad[0], at[3] * stride[1] - pad[1], kh,
                     kw};
    } else {
      hl = Highlight{at[2], at[3], 1, 1};
    }
    int64_t c = x.dim(1) == out.dim(1) ? at[1] : 0;
    pics += heatmap(x, at[0], c,
                    nameOf(in) + " " + shapeStr(x.shape) + ", channel " +
                        std::to_string(c) + ": the input",
                    hl);
  }
  if (auto of = op->getAttrOfType<ArrayAttr>(kGradOfAttr)) {
    // A gradient: the slice the section's numbers come from, with nothing
    // outlined (its positions are the section's tables, not `at`).
    std::string of0 = of.empty() ? "" : cast<StringAttr>(of[0]).str();
    bool weight = llvm::StringRef(of0).ends_with(".weight");
    int64_t n = 0, c = 0;
    if (out.shape.size() == 4) {
      n = std::min(weight ? at[1] : at[0], out.dim(0) - 1);
      c = weight ? 0 : std::min(at[1], out.dim(1) - 1);
    }
    std::string what =
        out.shape.size() != 4 ? ""
        : weight ? ", [c_out, c_in] = [" + std::to_string(n) + ", 0]"
                 : ", batch element " + std::to_string(n) + ", channel " +
                       std::to_string(c);
    pics += heatmap(out, n, c,
                    "∂L/∂" + of0 + " " + shapeStr(out.shape) + what,
                    std::nullopt);
    md.raw(pics);
    return;
  }
  std::optional<Highlight> hl;
  if (out.shape.size() == 4)
    hl = Highlight{at[2], at[3], 1, 1};
  else
    hl = Highlight{at[0], at[1], 1, 1};
  pics += heatmap(out, at.empty() ? 0 : at[0], at.size() > 1 ? at[1] : 0,
                  "the output " + shapeStr(out.shape) +
                      (out.shape.size() == 4
                           ? ", channel " + std::to_string(at[1]) +
                                 " (the explained position outlined)"
                           : std::string(" (the explained position outlined)")),
                  hl);
  md.raw(pics);
}

bool Report::compareTensor(const std::string &what,
                           const std::vector<double> &calculated,
                           const tcnnc::Tensor &actual) {
  int64_t worst = -1, bad = 0;
  double worstRatio = 0, maxDiff = 0;
  for (int64_t i = 0; i < actual.size(); ++i) {
    double diff = std::fabs(calculated[i] - actual.data[i]);
    double ratio = diff / (1e-6 + 1e-5 * std::fabs(actual.data[i]));
    maxDiff = std::max(maxDiff, diff);
    bad += ratio > 1;
    if (ratio > worstRatio) {
      worstRatio = ratio;
      worst = i;
    }
  }
  if (bad == 0) {
    char diff[32];
    std::snprintf(diff, sizeof diff, "%.1e", maxDiff);
    md.para("- " + what + ": all " + std::to_string(actual.size()) +
            " elements recomputed from the formula agree with the "
            "interpreter's (largest difference " + diff + ").");
    return true;
  }
  ++mismatches;
  md.para("- **⚠ MISMATCH** " + what + ": " + std::to_string(bad) + " of " +
          std::to_string(actual.size()) +
          " elements differ; the worst, flat index " + std::to_string(worst) +
          ", is " + md.num(calculated[worst]) + " by the formula but " +
          md.num(actual.data[worst]) +
          " by the interpreter. This is a bug in tcnn; please report it.");
  return false;
}

bool Report::compare(const std::string &what, double calculated,
                     double actual) {
  bool ok = std::fabs(calculated - actual) <=
            1e-6 + 1e-5 * std::max(std::fabs(calculated), std::fabs(actual));
  if (ok) {
    md.para("- " + what + ": calculated " + md.num(calculated) +
            ", actual " + md.num(actual) + " (the interpreter's) — they agree.");
  } else {
    ++mismatches;
    md.para("- **⚠ MISMATCH** " + what + ": calculated " + md.num(calculated) +
            " but the interpreter computed " + md.num(actual) +
            ". This is a bug in tcnn; please report it.");
  }
  return ok;
}

void Report::writeHeader() {
  auto names = grad->getAttrOfType<ArrayAttr>(kResultNamesAttr);
  std::string model = "model";
  if (auto m = grad->getParentOfType<ModuleOp>()->getAttrOfType<StringAttr>(
          "tcnn.model"))
    model = m.str();
  bool inferenceOnly = isInferenceOnly(grad);
  if (inferenceOnly) {
    md.line("# Forward pass of `" + model + "`, explained");
    md.line("");
    md.para("Generated by `tcnnc explain` from the model's IR: every op of "
            "the forward function, in IR order, with the numbers the "
            "reference interpreter computed (float32). The model has no "
            "loss, so it has no backward pass: it runs in inference mode "
            "(as PyTorch's `model.eval()`), as it does when it predicts.");
  } else {
    md.line("# Forward and backward pass of `" + model + "`, explained");
    md.line("");
    md.para("Generated by `tcnnc explain` from the model's IR: every op of "
            "the forward function and of the backward pass `-tcnn-autodiff` "
            "derived, in IR order, with the numbers the reference "
            "interpreter computed (float32).");
  }
  Operation *ret = grad.getBody().front().getTerminator();
  Value output = ret->getOperand(outputResultIndex(grad));
  std::vector<std::vector<std::string>> rows;
  for (BlockArgument arg : grad.getArguments()) {
    unsigned i = arg.getArgNumber();
    if (grad.getArgAttr(i, kParamAttr))
      continue;
    const tcnnc::Tensor &t = args[i];
    // Class indices are integers and print as such.
    bool integers = !isa<FloatType>(getElementTypeOrSelf(arg.getType()));
    std::string values;
    if (t.size() <= 8) {
      values = "[";
      for (int64_t k = 0; k < t.size(); ++k)
        values += (k ? ", " : "") +
                  (integers ? std::to_string(static_cast<int64_t>(t.data[k]))
                            : md.num(t.data[k]));
      values += "]";
    } else {
      values = "(" + std::to_string(t.size()) + " values)";
    }
    rows.push_back({grad.getArgAttr(i, kTargetAttr) ? "target" : "input",
                    "`" + nameOf(arg) + "`", shapeStr(t.shape), values});
  }
  const tcnnc::Tensor &out = value(output);
  std::string outValues;
  for (int64_t k = 0; k < out.size() && k < 8; ++k)
    outValues += (k ? ", " : "") + md.num(out.data[k]);
  rows.push_back({"output", "`" + nameOf(output) + "`", shapeStr(out.shape),
                  "[" + outValues + (out.size() > 8 ? ", ..." : "") + "]"});
  md.heading(2, "Model");
  md.table({"role", "name", "shape", "values"}, rows);
  writeInputValues();
  if (!inferenceOnly)
    writeLoss(ret->getOperand(0));
  writeConventions();
}

/// The values of every small 4-D model input, one table per batch element
/// and channel, rows and columns numbered: what every receptive field
/// below is cut from.
void Report::writeInputValues() {
  for (BlockArgument arg : grad.getArguments()) {
    unsigned i = arg.getArgNumber();
    const tcnnc::Tensor &t = args[i];
    if (!grad.getArgAttr(i, kInputAttr) || t.shape.size() != 4 ||
        t.dim(2) > 16 || t.dim(3) > 16)
      continue;
    int64_t slices = std::min<int64_t>(t.dim(0) * t.dim(1), 4);
    for (int64_t k = 0; k < slices; ++k) {
      int64_t n = k / t.dim(1), c = k % t.dim(1);
      std::vector<std::string> header{"h \\ w"};
      for (int64_t w = 0; w < t.dim(3); ++w)
        header.push_back(std::to_string(w));
      std::vector<std::vector<std::string>> rows;
      for (int64_t h = 0; h < t.dim(2); ++h) {
        rows.push_back({"**" + std::to_string(h) + "**"});
        for (int64_t w = 0; w < t.dim(3); ++w)
          rows.back().push_back(md.num(t.at(n, c, h, w)));
      }
      md.para("**Input `" + nameOf(arg) + "`**, batch element " +
              std::to_string(n) + ", channel " + std::to_string(c) + ":");
      md.table(header, rows);
    }
    if (t.dim(0) * t.dim(1) > slices)
      md.para("(The other " + std::to_string(t.dim(0) * t.dim(1) - slices) +
              " channels of `" + nameOf(arg) +
              "` are left out here; `tcnnc --run --dump DIR` writes them all.)");
  }
}

void Report::writeLoss(Value lossValue) {
  std::string lossLayer = nameOf(lossValue);
  std::string kind = kindOf(lossLayer);
  md.para("**Loss function:** " + kind +
          (kind == "MSELoss"
               ? " (mean squared error, averaged over all elements)"
               : " (softmax + negative log-likelihood, averaged over the "
                 "batch)") +
          ". **Loss value:** " + md.num(value(lossValue).data[0]) + ".");
}

void Report::writeConventions() {
  md.heading(2, "Conventions");
  md.para("- A position is written (n, c, h, w): batch, channel, row, "
          "column, 0-based, channel first, in the **absolute** coordinates "
          "of the tensor it indexes (never relative to a window).\n"
          "- In convolution formulas $W$ is the weight and $(h, w)$ a row "
          "and a column.\n"
          "- `pad` marks positions outside the input that padding supplies "
          "(0 for convolutions and average pooling, never chosen by max "
          "pooling).\n"
          "- Values are printed with " + std::to_string(md.valuePrecision()) +
          " decimals" +
          (md.operandPrecision() == md.valuePrecision()
               ? ", and so are the operands written out in arithmetic"
               : "; the operands written out in arithmetic with " +
                     std::to_string(md.operandPrecision()) +
                     " (`--precision`)") +
          ". Results are computed from the unrounded float32 values; where "
          "the operands as printed give another result, that result is "
          "shown beside the formula (\"as printed: ...\").\n"
          "- Every activation (ReLU, Sigmoid, GELU, ...) is an op of its "
          "own: a convolution's output here is before its activation, and "
          "the next layer reads the activation's output.\n"
          "- \"Calculated\" is recomputed by this report from the formula; "
          "\"actual\" is what the interpreter's kernel produced. A "
          "disagreement is flagged **⚠ MISMATCH**.");
}

void Report::writeSummary() {
  md.heading(2, "Layers");
  std::vector<std::vector<std::string>> rows;
  for (Operation &op : grad.getBody().front()) {
    if (!isa<GradientOpInterface>(op) || op.hasAttr(kGradOfAttr))
      continue;
    std::string layer = layerOf(&op);
    std::string inputs, params, window;
    int64_t count = 0;
    for (Value v : op.getOperands()) {
      auto shape = cast<RankedTensorType>(v.getType()).getShape();
      bool isParam = false;
      if (auto arg = dyn_cast<BlockArgument>(v))
        isParam = bool(grad.getArgAttr(arg.getArgNumber(), kParamAttr));
      std::string s = "`" + nameOf(v) + "` " + shapes::str(shape);
      if (isParam) {
        params += (params.empty() ? "" : ", ") + s;
        count += shapes::numElements(shape);
      } else {
        inputs += (inputs.empty() ? "" : ", ") + s;
      }
    }
    if (auto stride = op.getAttrOfType<DenseI64ArrayAttr>("stride")) {
      auto pad = op.getAttrOfType<DenseI64ArrayAttr>("padding");
      if (auto k = op.getAttrOfType<DenseI64ArrayAttr>("kernel_size"))
        window = "kernel (" + std::to_string(k[0]) + ", " +
                 std::to_string(k[1]) + "), ";
      window += "stride (" + std::to_string(stride[0]) + ", " +
                std::to_string(stride[1]) + "), padding (" +
                std::to_string(pad[0]) + ", " + std::to_string(pad[1]) + ")";
    }
    auto outShape = cast<RankedTensorType>(op.getResult(0).getType()).getShape();
    rows.push_back({"`" + layer + "`", kindOf(layer), inputs,
                    shapes::str(outShape), params.empty() ? "—" : params,
                    std::to_string(count), window.empty() ? "—" : window});
  }
  md.table({"layer", "op", "input", "output", "parameters", "# params",
            "window"},
           rows);
}

void Report::writeOp(Operation *op) {
  // Each op family attaches its section writers (ExplainInterface.h);
  // tcnn-stage-check makes sure no tcnn op lacks one.
  if (auto sections = dyn_cast<ExplainOpInterface>(op)) {
    sections.explain(*this);
    return;
  }
  beginSection(op, "not explained");
  md.para("**No explanation is attached to `" +
          op->getName().getStringRef().str() + "`.**");
  ++mismatches;
}

LogicalResult Report::write(std::string &out) {
  if (!options.layer.empty() && !forwardOps.count(options.layer)) {
    std::string known;
    for (auto &[name, op] : forwardOps)
      known += (known.empty() ? "" : ", ") + name;
    llvm::errs() << "tcnnc: error: --layer: no layer named '" << options.layer
                 << "' (layers: " << known << ")\n";
    return failure();
  }
  if (options.at && !options.layer.empty()) {
    Operation *op = forwardOps[options.layer];
    auto shape = cast<RankedTensorType>(op->getResult(0).getType()).getShape();
    Index at(options.at->begin(), options.at->end());
    bool fits = shape.size() == 4 || shape.size() == 2;
    Index used(at.begin(), at.begin() + std::min<size_t>(4, shape.size()));
    for (size_t d = 0; fits && d < shape.size(); ++d)
      fits = used[d] >= 0 && used[d] < shape[d];
    if (!fits) {
      llvm::errs() << "tcnnc: error: --at " << indexStr(at)
                   << " is outside the output of layer '" << options.layer
                   << "', which has shape " << shapes::str(shape) << "\n";
      return failure();
    }
  }
  writeHeader();
  if (options.layer.empty())
    writeSummary();
  md.heading(2, "Forward pass");
  bool backward = false;
  for (Operation &op : grad.getBody().front()) {
    if (isa<func::ReturnOp>(op))
      break;
    // Constants (the seed dL/dL = 1, zero gradients) are hoisted to the
    // top of the function; the seed is explained where the backward pass
    // starts.
    if (isa<arith::ConstantOp>(op))
      continue;
    // The updates of model state (running statistics) belong to the
    // forward pass too.
    bool isBackward = op.hasAttr(kGradOfAttr) ||
                      !isa<GradientOpInterface, StateUpdateOpInterface>(op);
    if (isBackward && !backward) {
      backward = true;
      md.heading(2, "Backward pass");
      md.para("The ops `-tcnn-autodiff` derived, in IR order (from the loss "
              "back to the first layer). Each is mapped to the layer whose "
              "backward rule built it.");
      std::string inputs = differentiatedInputs(grad);
      if (!inputs.empty())
        md.para("The gradient reaches the model's input too (" + inputs +
                "), as if PyTorch's input had `requires_grad=True`. "
                "Training skips it, in PyTorch and in tcnn's executables "
                "alike: no parameter depends on it. `--wrt` chooses the "
                "inputs explained.");
      Value loss = grad.getBody().front().getTerminator()->getOperand(0);
      for (Operation &c : grad.getBody().front())
        if (auto tags = c.getAttrOfType<ArrayAttr>(kGradOfAttr))
          if (isa<arith::ConstantOp>(c) &&
              (options.layer.empty() || options.layer == nameOf(loss)))
            seedGradient(*this, &c);
    }
    if (!options.layer.empty() && layerOf(&op) != options.layer)
      continue;
    writeOp(&op);
  }
  if (mismatches)
    md.para("**⚠ " + std::to_string(mismatches) +
            " MISMATCH(ES) in this report.**");
  out = md.str();
  return success();
}
