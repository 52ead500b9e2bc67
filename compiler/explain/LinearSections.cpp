//===- LinearSections.cpp - explaining linear and its gradients -----------===//

#include "compiler/explain/ExplainInterface.h"
#include "compiler/explain/Report.h"

#include "dialect/TcnnOps.h"

using namespace mlir;
using namespace mlir::tcnn;
using tcnnc::Tensor;
using namespace tcnnc::explain;

namespace {
/// "t0 + t1 + ... + tn", eliding the middle of long sums.
std::string joinTerms(const std::vector<std::string> &terms) {
  std::string s;
  size_t shown = terms.size() > 24 ? 12 : terms.size();
  for (size_t t = 0; t < shown; ++t)
    s += (t ? " + " : "") + terms[t];
  if (shown < terms.size())
    s += " + \\ldots + " + terms.back() + " \\quad (" +
         std::to_string(terms.size()) + "\\text{ terms})";
  return s;
}
} // namespace

/// `t` [..., k] as the matrix [M, k] of its rows: a Linear on any rank
/// applies to the last dimension, and is explained on that matrix.
static Tensor rowsOf(const Tensor &t) {
  Tensor m = t;
  int64_t k = t.shape.back();
  m.shape = {t.size() / k, k};
  return m;
}

/// The row and column of position `at` of a tensor of `shape` in its
/// matrix of rows; says so when the tensor is not 2-D.
static std::pair<int64_t, int64_t> rowColumn(Markdown &md,
                                             const std::vector<int64_t> &shape,
                                             const Index &at) {
  int64_t k = shape.back(), i = flat(shape, at), m = 1;
  for (int64_t d : shape)
    m *= d;
  if (shape.size() != 2)
    md.para("This tensor has " + std::to_string(shape.size()) +
            " dimensions: the layer applies to the last one, so it is "
            "explained on the matrix of its rows " + shapeStr({m / k, k}) +
            ", where " + indexStr(at) + " is row " + std::to_string(i / k) +
            ", column " + std::to_string(i % k) + ".");
  return {i / k, i % k};
}

static void linearForward(Report &r, Operation *op) {
  auto lin = cast<LinearOp>(op);
  Markdown &md = r.md;
  const Tensor x = rowsOf(r.value(lin.getInput())),
               &w = r.value(lin.getWeight()), &y = r.value(lin.getOutput());
  const Tensor *b = lin.getBias() ? &r.value(lin.getBias()) : nullptr;
  std::string layer = r.layerOf(op);
  r.beginSection(op, "forward");
  const std::vector<int64_t> &xShape = r.value(lin.getInput()).shape;
  md.para("Input " + r.describe(lin.getInput()) + " " + shapeStr(xShape) +
          ", weight `" + layer + ".weight` " + shapeStr(w.shape) +
          (b ? ", bias `" + layer + ".bias` " + shapeStr(b->shape) : "") +
          "; output " + shapeStr(y.shape) + ".");
  md.para("$$y_{n,o} = b_o + \\sum_{f=0}^{F-1} x_{n,f} \\cdot w_{o,f}$$");
  Index at = r.positionIn(y.shape);
  auto [n, o] = rowColumn(md, y.shape, at);
  // Inputs that are exactly 0 (a ReLU's blocked features) add nothing: the
  // sum writes out the others, and says how many it left out.
  std::vector<std::string> terms;
  double exact = b ? b->data[o] : 0.0, rounded = b ? md.roundedOp(b->data[o]) : 0.0;
  int64_t zeros = 0;
  for (int64_t f = 0; f < x.dim(1); ++f) {
    exact += x.at(n, f) * w.at(o, f);
    if (x.at(n, f) == 0.0) {
      ++zeros;
      continue;
    }
    terms.push_back("(" + md.op(x.at(n, f)) + " \\times " +
                    paren(md.op(w.at(o, f))) + ")");
    rounded += md.roundedOp(x.at(n, f)) * md.roundedOp(w.at(o, f));
  }
  if (b)
    terms.push_back(paren(md.op(b->data[o])));
  md.para("**Explained position** (n, o) = " + indexStr(at) + ":");
  if (zeros)
    md.para(std::to_string(zeros) + " of the " + std::to_string(x.dim(1)) +
            " input features of sample " + std::to_string(n) +
            " are exactly 0 and add nothing; the sum below has the other " +
            std::to_string(x.dim(1) - zeros) + (b ? " and the bias." : "."));
  md.para("$$y_{" + std::to_string(n) + "," + std::to_string(o) +
          "} = " + (terms.empty() ? std::string("0") : joinTerms(terms)) +
          "$$");
  md.para("With the operands rounded as shown (all " +
          std::to_string(terms.size()) + " terms), the sum is " +
          md.num(rounded) + ".");
  r.compare("output at " + indexStr(at), exact, y.data[flat(y.shape, at)]);
  md.para("**Shapes:** output and upstream gradient " + shapeStr(y.shape) +
          "; $\\partial L/\\partial W$ " + shapeStr(w.shape) +
          "; $\\partial L/\\partial X$ " + shapeStr(xShape) + ".");
}

static void linearInputGrad(Report &r, Operation *op) {
  auto g = cast<LinearInputGradOp>(op);
  Markdown &md = r.md;
  const Tensor dy = rowsOf(r.value(g.getOutputGrad())),
               &w = r.value(g.getWeight()),
               dx = rowsOf(r.value(g.getInputGrad()));
  r.beginSection(op, "backward, input gradient");
  const std::vector<int64_t> &dyShape = r.value(g.getOutputGrad()).shape;
  Index at = r.positionIn(dyShape);
  auto [n, o] = rowColumn(md, dyShape, at);
  double g0 = r.upstream(g.getOutputGrad(), at);
  md.para("It reaches every input "
          "feature f through $w_{" + std::to_string(o) + ",f}$; the **full "
          "gradient** sums over all outputs o: $$\\frac{\\partial L}{\\partial "
          "x_{n,f}} = \\sum_{o} \\frac{\\partial L}{\\partial y_{n,o}} \\cdot "
          "w_{o,f}$$");
  std::vector<std::vector<std::string>> rows;
  for (int64_t f = 0; f < dx.dim(1) && f < 16; ++f)
    rows.push_back({indexStr({n, f}),
                    "$" + paren(md.op(g0)) + " \\times " +
                        paren(md.op(w.at(o, f))) + "$",
                    md.num(g0 * w.at(o, f)), md.num(dx.at(n, f))});
  md.table({"input (n, f)", "formula", "contribution of " + indexStr(at),
            "full $\\partial L/\\partial x$"},
           rows);
  if (dx.dim(1) > 16)
    md.para("(the first 16 of " + std::to_string(dx.dim(1)) + " features)");
  std::vector<double> full(dx.size(), 0.0);
  for (int64_t b = 0; b < dy.dim(0); ++b)
    for (int64_t f = 0; f < dx.dim(1); ++f)
      for (int64_t k = 0; k < dy.dim(1); ++k)
        full[b * dx.dim(1) + f] += dy.at(b, k) * w.at(k, f);
  r.compareTensor("full input gradient", full, dx);
}

static void linearWeightGrad(Report &r, Operation *op) {
  auto g = cast<LinearWeightGradOp>(op);
  Markdown &md = r.md;
  const Tensor dy = rowsOf(r.value(g.getOutputGrad())),
               x = rowsOf(r.value(g.getInput())),
               &dw = r.value(g.getWeightGrad());
  r.beginSection(op, "backward, weight gradient");
  const std::vector<int64_t> &dyShape = r.value(g.getOutputGrad()).shape;
  Index at = r.positionIn(dyShape);
  auto [n, o] = rowColumn(md, dyShape, at);
  double g0 = r.upstream(g.getOutputGrad(), at);
  md.para("**This position's contribution** to row " + std::to_string(o) +
          " of the weight gradient is $\\partial L/\\partial y_{" +
          std::to_string(n) + "," + std::to_string(o) + "} \\cdot x_{" +
          std::to_string(n) + ",f}$; the **full gradient** sums over the "
          "batch: $$\\frac{\\partial L}{\\partial w_{o,f}} = \\sum_{n} "
          "\\frac{\\partial L}{\\partial y_{n,o}} \\cdot x_{n,f}$$");
  std::vector<std::vector<std::string>> rows;
  for (int64_t f = 0; f < dw.dim(1) && f < 16; ++f)
    rows.push_back({indexStr({o, f}),
                    "$" + paren(md.op(g0)) + " \\times " +
                        paren(md.op(x.at(n, f))) + "$",
                    md.num(g0 * x.at(n, f)), md.num(dw.at(o, f))});
  md.table({"weight (o, f)", "formula", "contribution of " + indexStr(at),
            "full $\\partial L/\\partial w$"},
           rows);
  if (dw.dim(1) > 16)
    md.para("(the first 16 of " + std::to_string(dw.dim(1)) + " features)");
  std::vector<double> full(dw.size(), 0.0);
  for (int64_t b = 0; b < dy.dim(0); ++b)
    for (int64_t k = 0; k < dw.dim(0); ++k)
      for (int64_t f = 0; f < dw.dim(1); ++f)
        full[k * dw.dim(1) + f] += dy.at(b, k) * x.at(b, f);
  r.compareTensor("full weight gradient", full, dw);
}

void tcnnc::explain::registerLinearSections(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *ctx, TcnnDialect *) {
    LinearOp::attachInterface<FnSections<LinearOp, linearForward>>(*ctx);
    LinearInputGradOp::attachInterface<
        FnSections<LinearInputGradOp, linearInputGrad>>(*ctx);
    LinearWeightGradOp::attachInterface<
        FnSections<LinearWeightGradOp, linearWeightGrad>>(*ctx);
  });
}
