//===- ElementwiseSections.cpp - relu, flatten, add and their gradients ---===//

#include "compiler/explain/ExplainInterface.h"
#include "compiler/explain/Report.h"

#include "dialect/TcnnOps.h"

using namespace mlir;
using namespace mlir::tcnn;
using tcnnc::Tensor;
using namespace tcnnc::explain;

static void reluForward(Report &r, Operation *op) {
  Markdown &md = r.md;
  Value input = op->getOperand(0);
  const Tensor &x = r.value(input), &y = r.value(op->getResult(0));
  r.beginSection(op, "forward");
  Index at = r.positionIn(y.shape);
  double xv = x.data[flat(x.shape, at)];
  int64_t zeros = 0;
  for (double v : y.data)
    zeros += v == 0.0;
  md.para("Input " + r.describe(input) + " " + shapeStr(x.shape) +
          ", output of the same shape. $$y = \\max(x, 0)$$");
  md.para("**Explained position** " + indexStr(at) + ": $\\max(" +
          md.op(xv) + ", 0) = " + md.op(xv > 0 ? xv : 0.0) + "$ (" +
          (xv > 0 ? "positive: passed through" : "not positive: set to 0") +
          "). Over the whole tensor, " + std::to_string(zeros) + " of " +
          std::to_string(y.size()) + " outputs are 0.");
  r.compare("output at " + indexStr(at), xv > 0 ? xv : 0.0,
            y.data[flat(y.shape, at)]);
}

static void reluGrad(Report &r, Operation *op) {
  auto g = cast<ReluGradOp>(op);
  Markdown &md = r.md;
  const Tensor &dy = r.value(g.getOutputGrad()), &x = r.value(g.getInput()),
               &dx = r.value(g.getInputGrad());
  r.beginSection(op, "backward");
  Index at = r.positionIn(dy.shape);
  int64_t i = flat(dy.shape, at);
  r.upstream(g.getOutputGrad(), at);
  md.para("The ReLU's input there was " + md.num(x.data[i]) +
          ", so the gradient " +
          (x.data[i] > 0 ? "passes through" : "is blocked (0)") +
          ": it passes on $\\partial L/\\partial x$ = **" +
          md.num(x.data[i] > 0 ? dy.data[i] : 0.0) + "** at " + indexStr(at) +
          " to " + r.describe(g.getInput()) + ".");
  md.para("$$\\frac{\\partial L}{\\partial x} = \\begin{cases} "
          "\\dfrac{\\partial L}{\\partial y} & x > 0 \\\\ 0 & x \\le 0 "
          "\\end{cases}$$");
  std::vector<double> full(dx.size());
  int64_t blocked = 0;
  for (int64_t k = 0; k < dx.size(); ++k) {
    full[k] = x.data[k] > 0 ? dy.data[k] : 0.0;
    blocked += x.data[k] <= 0;
  }
  md.para(std::to_string(blocked) + " of " + std::to_string(dx.size()) +
          " positions are blocked.");
  r.compareTensor("input gradient", full, dx);
}

static void leakyReluForward(Report &r, Operation *op) {
  auto f = cast<LeakyReluOp>(op);
  Markdown &md = r.md;
  const Tensor &x = r.value(f.getInput()), &y = r.value(f.getOutput());
  double slope = f.getNegativeSlope().convertToDouble();
  r.beginSection(op, "forward");
  Index at = r.positionIn(y.shape);
  double xv = x.data[flat(x.shape, at)];
  double calculated = xv > 0 ? xv : slope * xv;
  int64_t scaled = 0;
  for (double v : x.data)
    scaled += v <= 0;
  md.para("Input " + r.describe(f.getInput()) + " " + shapeStr(x.shape) +
          ", output of the same shape, negative slope $a = " +
          md.num(slope) + "$. $$y = \\begin{cases} x & x > 0 \\\\ a\\,x & "
          "x \\le 0 \\end{cases}$$");
  md.para("**Explained position** " + indexStr(at) + ": " +
          (xv > 0 ? "$x = " + md.op(xv) + " > 0$, so $y = " + md.op(xv) +
                        "$ (passed through)"
                  : "$x = " + md.op(xv) + " \\le 0$, so $y = " +
                        md.op(slope) + " \\times (" + md.op(xv) + ") = " +
                        md.num(calculated) + "$ (scaled)") +
          ". Over the whole tensor, " + std::to_string(scaled) + " of " +
          std::to_string(y.size()) + " inputs are scaled by $a$.");
  r.compare("output at " + indexStr(at), calculated,
            y.data[flat(y.shape, at)]);
}

static void leakyReluGrad(Report &r, Operation *op) {
  auto g = cast<LeakyReluGradOp>(op);
  Markdown &md = r.md;
  const Tensor &dy = r.value(g.getOutputGrad()), &x = r.value(g.getInput()),
               &dx = r.value(g.getInputGrad());
  double slope = g.getNegativeSlope().convertToDouble();
  r.beginSection(op, "backward");
  Index at = r.positionIn(dy.shape);
  int64_t i = flat(dy.shape, at);
  double up = r.upstream(g.getOutputGrad(), at);
  md.para("$$\\frac{\\partial L}{\\partial x} = \\begin{cases} "
          "\\dfrac{\\partial L}{\\partial y} & x > 0 \\\\ a\\,"
          "\\dfrac{\\partial L}{\\partial y} & x \\le 0 \\end{cases}"
          "\\qquad a = " +
          md.num(slope) + "$$");
  md.para("The LeakyReLU's input there was " + md.num(x.data[i]) + ", so " +
          (x.data[i] > 0
               ? "the gradient passes through: " + md.num(up) + "."
               : "the gradient is scaled: $" + md.op(slope) + " \\times " +
                     (up < 0 ? "(" + md.op(up) + ")" : md.op(up)) + " = " +
                     md.num(slope * up) + "$."));
  std::vector<double> full(dx.size());
  for (int64_t k = 0; k < dx.size(); ++k)
    full[k] = x.data[k] > 0 ? dy.data[k] : slope * dy.data[k];
  r.compareTensor("input gradient", full, dx);
}

static void flattenForward(Report &r, Operation *op) {
  Markdown &md = r.md;
  Value input = op->getOperand(0);
  const Tensor &x = r.value(input), &y = r.value(op->getResult(0));
  r.beginSection(op, "forward");
  auto flatten = cast<FlattenOp>(op);
  int64_t rank = x.shape.size(), start = flatten.getStartDim(),
          end = flatten.getEndDim();
  start += start < 0 ? rank : 0;
  end += end < 0 ? rank : 0;
  std::string how =
      rank == 4 && start == 1 && end == 3
          ? "$y_{n,f} = x_{n,c,h,w}$ with $f = (c \\cdot H + h) \\cdot W + w$"
          : "dimensions " + std::to_string(start) + " to " +
                std::to_string(end) + " merged into one";
  md.para("Input " + r.describe(input) + " " + shapeStr(x.shape) +
          " is read in row-major order as " + shapeStr(y.shape) + ": " + how +
          ". No arithmetic; the backward pass reshapes the gradient back.");
  Index at = r.positionIn(y.shape);
  int64_t f = flat(y.shape, at);
  Index src;
  int64_t rest = f;
  for (size_t d = x.shape.size(); d-- > 0;) {
    src.insert(src.begin(), rest % x.shape[d]);
    rest /= x.shape[d];
  }
  md.para("**Explained position** " + indexStr(at) + " comes from input " +
          indexStr(src) + ".");
  r.compare("output at " + indexStr(at), x.data[f], y.data[f]);
}

static void reshapeGrad(Report &r, Operation *op) {
  Markdown &md = r.md;
  const Tensor &dy = r.value(op->getOperand(0)), &dx = r.value(op->getResult(0));
  r.beginSection(op, "backward");
  md.para("The upstream gradient " + shapeStr(dy.shape) +
          " is reshaped back to the input's shape " + shapeStr(dx.shape) +
          ", element for element in row-major order.");
  r.compareTensor("input gradient", dy.data, dx);
}

static void addForward(Report &r, Operation *op) {
  Markdown &md = r.md;
  const Tensor &a = r.value(op->getOperand(0)), &b = r.value(op->getOperand(1)),
               &y = r.value(op->getResult(0));
  bool backward = op->hasAttr(kGradOfAttr);
  if (backward) {
    // Headed by the value whose gradients it sums, not the layer that
    // used it a second time.
    auto of = op->getAttrOfType<ArrayAttr>(kGradOfAttr);
    std::string value = of && !of.empty()
                            ? cast<StringAttr>(of[0]).getValue().str()
                            : r.layerOf(op);
    r.beginSection(op, "backward, the sum of the gradients of its two uses",
                   value);
  } else {
    r.beginSection(op, "forward");
  }
  Index at = r.positionIn(y.shape);
  int64_t i = flat(y.shape, at);
  if (backward)
    md.para("A value used by two layers receives a gradient from each; "
            "`-tcnn-autodiff` adds them before the value's own backward "
            "rule runs. $$\\frac{\\partial L}{\\partial v} = \\sum_{\\text{uses "
            "of } v} \\frac{\\partial L}{\\partial v}\\Big|_{\\text{use}}$$");
  else
    md.para("Inputs " + r.describe(op->getOperand(0)) + " and " +
            r.describe(op->getOperand(1)) + ", shape " + shapeStr(y.shape) +
            ". $$y = a + b$$ Backward, both inputs receive the upstream "
            "gradient unchanged (no op is needed for that).");
  // The written sum recomputes from the operands as printed; where the
  // exact values round differently, that is said.
  double printed = md.roundedOp(a.data[i]) + md.roundedOp(b.data[i]);
  double exact = a.data[i] + b.data[i];
  std::string sum = md.num(printed);
  md.para("At " + indexStr(at) + ": $" + md.op(a.data[i]) + " + " +
          paren(md.op(b.data[i])) + " = " + sum + "$" +
          (md.num(exact) == sum
               ? "."
               : " (with the operands as printed; the unrounded values add "
                 "up to " + md.num(exact) + ")."));
  r.compare("value at " + indexStr(at), exact, y.data[i]);
}

static void mulForward(Report &r, Operation *op) {
  Markdown &md = r.md;
  const Tensor &a = r.value(op->getOperand(0)), &b = r.value(op->getOperand(1)),
               &y = r.value(op->getResult(0));
  bool backward = op->hasAttr(kGradOfAttr);
  r.beginSection(op, backward ? "backward" : "forward");
  Index at = r.positionIn(y.shape);
  int64_t i = flat(y.shape, at);
  if (backward) {
    md.para("The reverse rule of a product $y = a\\,b$: each operand's "
            "gradient is the upstream gradient times the *other* operand. "
            "$$\\frac{\\partial L}{\\partial a} = \\frac{\\partial L}"
            "{\\partial y}\\,b, \\qquad \\frac{\\partial L}{\\partial b} "
            "= \\frac{\\partial L}{\\partial y}\\,a$$");
    r.upstream(op->getOperand(0), at);
    md.para("The other operand, " + r.describe(op->getOperand(1)) +
            ", there: " + md.num(b.data[i]) + ".");
  } else {
    md.para("Inputs " + r.describe(op->getOperand(0)) + " and " +
            r.describe(op->getOperand(1)) + ", shape " + shapeStr(y.shape) +
            ". $$y = a\\,b$$ Backward, each input receives the upstream "
            "gradient times the other input.");
  }
  md.para("At " + indexStr(at) + ": $" + md.op(a.data[i]) + " \\times " +
          paren(md.op(b.data[i])) + " = " + md.num(a.data[i] * b.data[i]) +
          "$.");
  r.compare((backward ? "gradient at " : "value at ") + indexStr(at),
            a.data[i] * b.data[i], y.data[i]);
}

/// Which input of a cat holds index `i` along `dim`, and its index there.
static std::pair<unsigned, int64_t> catSource(CatOp op, int64_t dim,
                                              int64_t i) {
  unsigned k = 0;
  for (Value v : op.getInputs()) {
    int64_t size = cast<RankedTensorType>(v.getType()).getDimSize(dim);
    if (i < size)
      return {k, i};
    i -= size;
    ++k;
  }
  return {k, i};
}

static void catForward(Report &r, Operation *op) {
  auto cat = cast<CatOp>(op);
  Markdown &md = r.md;
  const Tensor &y = r.value(cat.getOutput());
  int64_t dim = cat.getConcatDim();
  r.beginSection(op, "forward");
  std::vector<std::vector<std::string>> rows;
  int64_t offset = 0;
  for (Value v : cat.getInputs()) {
    int64_t size = cast<RankedTensorType>(v.getType()).getDimSize(dim);
    rows.push_back({r.describe(v), shapeStr(r.value(v).shape),
                    std::to_string(offset) + ".." +
                        std::to_string(offset + size - 1)});
    offset += size;
  }
  md.para("The inputs side by side along dimension " + std::to_string(dim) +
          "; output " + shapeStr(y.shape) + ". Backward, each input receives "
          "its slice of the upstream gradient.");
  md.table({"input", "shape", "indices of dimension " + std::to_string(dim)},
           rows);
  Index at = r.positionIn(y.shape);
  auto [k, i] = catSource(cat, dim, at[dim]);
  Index src = at;
  src[dim] = i;
  const Tensor &x = r.value(cat.getInputs()[k]);
  md.para("**Explained position** " + indexStr(at) + " is element " +
          indexStr(src) + " of input " + std::to_string(k) + ", " +
          r.describe(cat.getInputs()[k]) + ".");
  r.compare("output at " + indexStr(at), x.data[flat(x.shape, src)],
            y.data[flat(y.shape, at)]);
}

static void catGrad(Report &r, Operation *op) {
  auto g = cast<CatGradOp>(op);
  Markdown &md = r.md;
  const Tensor &dy = r.value(g.getOutputGrad()), &dx = r.value(g.getInputGrad());
  int64_t dim = g.getDim(), offset = g.getOffset();
  r.beginSection(op, "backward");
  md.para("This input occupied indices " + std::to_string(offset) + ".." +
          std::to_string(offset + dx.dim(dim) - 1) + " of dimension " +
          std::to_string(dim) + " of the concatenation: its gradient is that "
          "slice of the upstream gradient " + shapeStr(dy.shape) + ".");
  std::vector<double> full(dx.size());
  Index at(dx.shape.size(), 0);
  for (int64_t e = 0; e < dx.size(); ++e) {
    // `at` walks dx in row-major order; its dy position is shifted by the
    // offset along dim.
    Index src = at;
    src[dim] += offset;
    full[e] = dy.data[flat(dy.shape, src)];
    for (int64_t d = int64_t(at.size()) - 1; d >= 0; --d) {
      if (++at[d] < dx.shape[d])
        break;
      at[d] = 0;
    }
  }
  r.compareTensor("input gradient", full, dx);
}

void tcnnc::explain::registerElementwiseSections(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *ctx, TcnnDialect *) {
    ReluOp::attachInterface<FnSections<ReluOp, reluForward>>(*ctx);
    ReluGradOp::attachInterface<FnSections<ReluGradOp, reluGrad>>(*ctx);
    LeakyReluOp::attachInterface<FnSections<LeakyReluOp, leakyReluForward>>(
        *ctx);
    LeakyReluGradOp::attachInterface<
        FnSections<LeakyReluGradOp, leakyReluGrad>>(*ctx);
    FlattenOp::attachInterface<FnSections<FlattenOp, flattenForward>>(*ctx);
    ReshapeOp::attachInterface<FnSections<ReshapeOp, reshapeGrad>>(*ctx);
    AddOp::attachInterface<FnSections<AddOp, addForward>>(*ctx);
    MulOp::attachInterface<FnSections<MulOp, mulForward>>(*ctx);
    CatOp::attachInterface<FnSections<CatOp, catForward>>(*ctx);
    CatGradOp::attachInterface<FnSections<CatGradOp, catGrad>>(*ctx);
  });
}
