//===- PoolSections.cpp - explaining max/avg pooling and gradients --------===//

#include "compiler/explain/ExplainInterface.h"
#include "compiler/explain/Report.h"

#include "dialect/TcnnOps.h"

#include <cmath>

using namespace mlir;
using namespace mlir::tcnn;
using tcnnc::Tensor;
using namespace tcnnc::explain;

namespace {

/// The first maximum of the window in row-major order (padding never
/// wins), as an absolute (h, w).
std::pair<int64_t, int64_t> argmax(const Tensor &x, const Window &win) {
  int64_t bh = -1, bw = -1;
  double best = 0;
  for (int64_t i = 0; i < win.kh; ++i)
    for (int64_t j = 0; j < win.kw; ++j) {
      int64_t h = win.h0 + i, w = win.w0 + j;
      if (!win.inside(x.shape, h, w))
        continue;
      double v = x.at(win.n, win.c, h, w);
      if (bh < 0 || v > best) {
        best = v;
        bh = h;
        bw = w;
      }
    }
  return {bh, bw};
}

std::string windowText(const Window &win) {
  return "input rows " + std::to_string(win.h0) + ".." +
         std::to_string(win.h0 + win.kh - 1) + " and columns " +
         std::to_string(win.w0) + ".." + std::to_string(win.w0 + win.kw - 1) +
         " of channel " + std::to_string(win.c) + " ($h_{in} = h s_h - p_h$, "
         "$w_{in} = w s_w - p_w$)";
}

/// Gradient of every input position of a pool, recomputed from the
/// formula: each window sends dy to its arg-max (max) or dy / (kh kw) to
/// every position (avg).
std::vector<double> poolInputGradient(bool isMax, const Tensor &dy,
                                      const Tensor *x,
                                      const std::vector<int64_t> &xShape,
                                      ArrayRef<int64_t> k, ArrayRef<int64_t> s,
                                      ArrayRef<int64_t> p) {
  std::vector<double> dx(Tensor::count(xShape), 0.0);
  for (int64_t n = 0; n < dy.dim(0); ++n)
    for (int64_t c = 0; c < dy.dim(1); ++c)
      for (int64_t i = 0; i < dy.dim(2); ++i)
        for (int64_t j = 0; j < dy.dim(3); ++j) {
          Window win = windowAt({n, c, i, j}, k, s, p);
          double g = dy.at(n, c, i, j);
          if (isMax) {
            auto [h, w] = argmax(*x, win);
            dx[flat(xShape, {n, c, h, w})] += g;
            continue;
          }
          for (int64_t a = 0; a < k[0]; ++a)
            for (int64_t b = 0; b < k[1]; ++b)
              if (win.inside(xShape, win.h0 + a, win.w0 + b))
                dx[flat(xShape, {n, c, win.h0 + a, win.w0 + b})] +=
                    g / static_cast<double>(k[0] * k[1]);
        }
  return dx;
}

} // namespace

static void poolForward(Report &r, Operation *op) {
  bool isMax = isa<MaxPool2dOp>(op);
  Value input = op->getOperand(0);
  auto k = op->getAttrOfType<DenseI64ArrayAttr>("kernel_size").asArrayRef();
  auto s = op->getAttrOfType<DenseI64ArrayAttr>("stride").asArrayRef();
  auto p = op->getAttrOfType<DenseI64ArrayAttr>("padding").asArrayRef();
  Markdown &md = r.md;
  const Tensor &x = r.value(input), &y = r.value(op->getResult(0));
  r.beginSection(op, "forward");
  md.para("Input " + r.describe(input) + " " + shapeStr(x.shape) +
          "; output " + shapeStr(y.shape) + "; kernel (" + std::to_string(k[0]) +
          ", " + std::to_string(k[1]) + "), stride (" + std::to_string(s[0]) +
          ", " + std::to_string(s[1]) + "), padding (" + std::to_string(p[0]) +
          ", " + std::to_string(p[1]) + ").");
  if (isMax)
    md.para("$$y_{n,c,h,w} = \\max_{0 \\le k_h < K_h,\\; 0 \\le k_w < K_w} "
            "x_{n,c,\\,h_{in}+k_h,\\,w_{in}+k_w}, \\qquad h_{in} = h s_h - "
            "p_h,\\; w_{in} = w s_w - p_w$$");
  else
    md.para("$$y_{n,c,h,w} = \\frac{1}{K_h K_w} \\sum_{k_h=0}^{K_h-1} "
            "\\sum_{k_w=0}^{K_w-1} x_{n,c,\\,h_{in}+k_h,\\,w_{in}+k_w}, "
            "\\qquad h_{in} = h s_h - p_h,\\; w_{in} = w s_w - p_w$$");
  md.para(isMax ? "Padded positions never win (they count as $-\\infty$)."
                : "Padded positions count as 0 and still count in the "
                  "divisor $K_h K_w$ (PyTorch's `count_include_pad=True`).");
  Index at = r.positionIn(y.shape);
  Window win = windowAt(at, k, s, p);
  auto [mh, mw] = argmax(x, win);
  md.para("**Explained position:** output " + indexStr(at) + "; its window is " +
          windowText(win) + ", in absolute input coordinates:");
  md.grid("h \\ w", indexRange(win.h0, win.kh), indexRange(win.w0, win.kw),
          [&](int64_t h, int64_t w) -> std::string {
            if (!win.inside(x.shape, h, w))
              return "pad";
            std::string v = md.op(x.at(win.n, win.c, h, w));
            return isMax && h == mh && w == mw ? "**" + v + "**" : v;
          });
  std::vector<std::string> values;
  double exact = isMax ? -INFINITY : 0.0, rounded = isMax ? -INFINITY : 0.0;
  for (int64_t i = 0; i < win.kh; ++i)
    for (int64_t j = 0; j < win.kw; ++j) {
      int64_t h = win.h0 + i, w = win.w0 + j;
      if (!win.inside(x.shape, h, w)) {
        if (!isMax)
          values.push_back("0");
        continue;
      }
      double v = x.at(win.n, win.c, h, w);
      values.push_back(md.op(v));
      if (isMax) {
        exact = std::max(exact, v);
        rounded = std::max(rounded, md.roundedOp(v));
      } else {
        exact += v;
        rounded += md.roundedOp(v);
      }
    }
  std::string list;
  for (size_t i = 0; i < values.size(); ++i)
    list += (i ? ", " : "") + values[i];
  double divisor = static_cast<double>(k[0] * k[1]);
  if (isMax) {
    md.para("$$y_{" + std::to_string(at[0]) + "," + std::to_string(at[1]) +
            "," + std::to_string(at[2]) + "," + std::to_string(at[3]) +
            "} = \\max(" + list + ")$$");
    md.para("The maximum (bold) is at input position " +
            indexStr({win.n, win.c, mh, mw}) + " (first maximum in row-major "
            "window order on ties).");
  } else {
    std::string sum;
    for (size_t i = 0; i < values.size(); ++i)
      sum += (i ? " + " : "") + values[i];
    md.para("$$y_{" + std::to_string(at[0]) + "," + std::to_string(at[1]) +
            "," + std::to_string(at[2]) + "," + std::to_string(at[3]) +
            "} = \\frac{1}{" + std::to_string(k[0]) + " \\times " +
            std::to_string(k[1]) + "} (" + sum + ")$$");
    exact /= divisor;
    rounded /= divisor;
    md.para("With the operands rounded as shown, this is " + md.num(rounded) +
            ".");
  }
  r.compare("output at " + indexStr(at), exact, y.data[flat(y.shape, at)]);
  md.para("**Shapes:** output and upstream gradient " + shapeStr(y.shape) +
          "; no parameters; $\\partial L/\\partial X$ " + shapeStr(x.shape) +
          ".");
}

static void maxPoolGrad(Report &r, Operation *op) {
  auto g = cast<MaxPool2dGradOp>(op);
  Markdown &md = r.md;
  const Tensor &dy = r.value(g.getOutputGrad()), &x = r.value(g.getInput()),
               &dx = r.value(g.getInputGrad());
  ArrayRef<int64_t> k = g.getKernelSize(), s = g.getStride(),
                    p = g.getPadding();
  r.beginSection(op, "backward");
  Index at = r.positionIn(dy.shape);
  Window win = windowAt(at, k, s, p);
  auto [mh, mw] = argmax(x, win);
  double g0 = r.upstream(g.getOutputGrad(), at);
  md.para("The whole upstream gradient goes to the window's maximum, input "
          "position " +
          indexStr({win.n, win.c, mh, mw}) +
          " (absolute coordinates); every other position of the window gets "
          "nothing from this output position. Windows that overlap add up "
          "into the **full gradient**:");
  std::vector<double> full =
      poolInputGradient(true, dy, &x, dx.shape, k, s, p);
  std::vector<std::vector<std::string>> rows;
  for (int64_t i = 0; i < win.kh; ++i)
    for (int64_t j = 0; j < win.kw; ++j) {
      int64_t h = win.h0 + i, w = win.w0 + j;
      if (!win.inside(dx.shape, h, w))
        continue;
      bool isMax = h == mh && w == mw;
      rows.push_back({indexStr({win.n, win.c, h, w}),
                      isMax ? "max: receives $" + paren(md.op(g0)) + "$"
                            : "not the max",
                      md.num(isMax ? g0 : 0.0),
                      md.num(dx.at(win.n, win.c, h, w))});
    }
  md.table({"input position", "rule", "contribution of " + indexStr(at),
            "full $\\partial L/\\partial x$"},
           rows);
  r.compareTensor("full input gradient", full, dx);
  md.para("$$\\frac{\\partial L}{\\partial x_{n,c,h,w}} = \\sum_{(i,j):\\ "
          "(h,w) = \\operatorname{argmax\\ of\\ window}(i,j)} "
          "\\frac{\\partial L}{\\partial y_{n,c,i,j}}$$");
}

static void avgPoolGrad(Report &r, Operation *op) {
  auto g = cast<AvgPool2dGradOp>(op);
  Markdown &md = r.md;
  const Tensor &dy = r.value(g.getOutputGrad()), &dx = r.value(g.getInputGrad());
  ArrayRef<int64_t> k = g.getKernelSize(), s = g.getStride(),
                    p = g.getPadding();
  r.beginSection(op, "backward");
  Index at = r.positionIn(dy.shape);
  Window win = windowAt(at, k, s, p);
  double g0 = r.upstream(g.getOutputGrad(), at);
  double divisor = static_cast<double>(k[0] * k[1]);
  md.para("It is spread evenly over the window: each of its " +
          std::to_string(k[0] * k[1]) + " positions receives $" +
          paren(md.op(g0)) + " / " + std::to_string(k[0] * k[1]) +
          "$ = " + md.num(g0 / divisor) +
          " (padded positions receive their share too, which is dropped). "
          "Overlapping windows add up into the **full gradient**:");
  std::vector<double> full =
      poolInputGradient(false, dy, nullptr, dx.shape, k, s, p);
  std::vector<std::vector<std::string>> rows;
  for (int64_t i = 0; i < win.kh; ++i)
    for (int64_t j = 0; j < win.kw; ++j) {
      int64_t h = win.h0 + i, w = win.w0 + j;
      if (!win.inside(dx.shape, h, w))
        continue;
      rows.push_back({indexStr({win.n, win.c, h, w}),
                      "$" + paren(md.op(g0)) + " / " +
                          std::to_string(k[0] * k[1]) + "$",
                      md.num(g0 / divisor), md.num(dx.at(win.n, win.c, h, w))});
    }
  md.table({"input position", "formula", "contribution of " + indexStr(at),
            "full $\\partial L/\\partial x$"},
           rows);
  r.compareTensor("full input gradient", full, dx);
  md.para("$$\\frac{\\partial L}{\\partial x_{n,c,h,w}} = \\frac{1}{K_h K_w} "
          "\\sum_{(i,j):\\ (h,w) \\in \\operatorname{window}(i,j)} "
          "\\frac{\\partial L}{\\partial y_{n,c,i,j}}$$");
}

void tcnnc::explain::registerPoolSections(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *ctx, TcnnDialect *) {
    MaxPool2dOp::attachInterface<FnSections<MaxPool2dOp, poolForward>>(*ctx);
    AvgPool2dOp::attachInterface<FnSections<AvgPool2dOp, poolForward>>(*ctx);
    MaxPool2dGradOp::attachInterface<
        FnSections<MaxPool2dGradOp, maxPoolGrad>>(*ctx);
    AvgPool2dGradOp::attachInterface<
        FnSections<AvgPool2dGradOp, avgPoolGrad>>(*ctx);
  });
}
