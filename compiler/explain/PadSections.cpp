//===- PadSections.cpp - pad2d and its gradient ---------------------------===//

#include "compiler/explain/ExplainInterface.h"
#include "compiler/explain/Report.h"

#include "compiler/interpreter/Kernels.h"
#include "dialect/TcnnOps.h"

using namespace mlir;
using namespace mlir::tcnn;
using tcnnc::Tensor;
using namespace tcnnc::explain;

namespace {

/// "(left 0, right 1, top 0, bottom 1)", negative sides saying they cut.
std::string sidesStr(ArrayRef<int64_t> p) {
  const char *names[] = {"left", "right", "top", "bottom"};
  std::string s;
  for (int k = 0; k < 4; ++k)
    s += std::string(k ? ", " : "") + names[k] + " " + std::to_string(p[k]);
  return "(" + s + ")";
}

/// Whether some side is negative, i.e. the forward op cut rows or columns.
bool cuts(ArrayRef<int64_t> p) {
  return llvm::any_of(p, [](int64_t v) { return v < 0; });
}

/// "i", "i + 2" or "i - 1": index `var` plus `offset`, signs written out.
std::string plus(const char *var, int64_t offset) {
  if (offset == 0)
    return var;
  return std::string(var) + (offset > 0 ? " + " : " - ") +
         std::to_string(offset > 0 ? offset : -offset);
}

/// Where position `at` of a shift2d result reads `x`: the index, whether
/// it is inside `x`, and the value (0 outside).
struct Source {
  Index index;
  bool inside;
  double value;
};
Source shiftedFrom(const Tensor &x, const Index &at, int64_t rows,
                   int64_t cols) {
  size_t rank = at.size();
  Index src = at;
  src[rank - 2] += rows;
  src[rank - 1] += cols;
  bool inside = src[rank - 2] >= 0 && src[rank - 2] < x.shape[rank - 2] &&
                src[rank - 1] >= 0 && src[rank - 1] < x.shape[rank - 1];
  return {src, inside, inside ? x.data[flat(x.shape, src)] : 0.0};
}

void padForward(Report &r, Operation *op) {
  auto pad = cast<Pad2dOp>(op);
  Markdown &md = r.md;
  const Tensor &x = r.value(pad.getInput()), &y = r.value(pad.getOutput());
  ArrayRef<int64_t> p = pad.getPadding();
  r.beginSection(op, "forward");
  md.para("Zero padding " + sidesStr(p) + " of the last two dimensions: "
          "$y[\\ldots, i, j] = x[\\ldots, " + plus("i", -p[2]) + ", " +
          plus("j", -p[0]) + "]$, and 0 where that index is "
          "outside $x$" +
          (cuts(p)
               ? " (a negative side cuts that many rows or columns)"
               : "") +
          ". Input " + r.describe(pad.getInput()) + " " + shapeStr(x.shape) +
          ", output " + shapeStr(y.shape) + ".");
  Index at = r.positionIn(y.shape);
  auto [src, inside, expected] = shiftedFrom(x, at, -p[2], -p[0]);
  md.para("**Explained position** " + indexStr(at) + ": " +
          (inside ? "input element " + indexStr(src) + " = " +
                        md.num(expected)
                  : std::string("index ") + indexStr(src) +
                        " is outside the input, so it is a padding zero") +
          ".");
  r.compare("output at " + indexStr(at), expected, y.data[flat(y.shape, at)]);
  r.compareTensor("whole output",
                  tcnnc::kernels::shift2d(x, y.shape, -p[2], -p[0]).data, y);
}

void padGrad(Report &r, Operation *op) {
  auto g = cast<Pad2dGradOp>(op);
  Markdown &md = r.md;
  const Tensor &dy = r.value(g.getOutputGrad()),
               &dx = r.value(g.getInputGrad());
  ArrayRef<int64_t> p = g.getPadding();
  r.beginSection(op, "backward");
  md.para("The padding " + sidesStr(p) + " added constants, which pass no "
          "gradient on: each input element receives the upstream gradient "
          "of the one output position it was copied to, "
          "$\\frac{\\partial L}{\\partial x}[\\ldots, h, w] = "
          "\\frac{\\partial L}{\\partial y}[\\ldots, " + plus("h", p[2]) +
          ", " + plus("w", p[0]) + "]$" +
          (cuts(p)
               ? "; elements the forward pass cut receive 0"
               : "") +
          ". Upstream gradient " + shapeStr(dy.shape) + ", input gradient " +
          shapeStr(dx.shape) + ".");
  Index at = r.positionIn(dx.shape);
  auto [src, inside, expected] = shiftedFrom(dy, at, p[2], p[0]);
  md.para("**Explained position** " + indexStr(at) + ": " +
          (inside ? "the upstream gradient at " + indexStr(src) + ", " +
                        md.num(expected)
                  : std::string("it was cut in the forward pass, so 0")) +
          ".");
  r.compare("input gradient at " + indexStr(at), expected,
            dx.data[flat(dx.shape, at)]);
  r.compareTensor("input gradient",
                  tcnnc::kernels::shift2d(dy, dx.shape, p[2], p[0]).data, dx);
}

} // namespace

void tcnnc::explain::registerPadSections(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *ctx, TcnnDialect *) {
    Pad2dOp::attachInterface<FnSections<Pad2dOp, padForward>>(*ctx);
    Pad2dGradOp::attachInterface<FnSections<Pad2dGradOp, padGrad>>(*ctx);
  });
}
