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

using shapes::PoolWindows;

/// The windows of any of the four pooling ops.
PoolWindows windowsOf(Operation *op) {
  if (auto o = dyn_cast<MaxPool2dOp>(op))
    return maxPoolWindows(o);
  if (auto o = dyn_cast<MaxPool2dGradOp>(op))
    return maxPoolWindows(o);
  if (auto o = dyn_cast<AvgPool2dOp>(op))
    return avgPoolWindows(o);
  return avgPoolWindows(cast<AvgPool2dGradOp>(op));
}

/// The absolute input rows and columns of the taps of window `win`.
std::vector<int64_t> tapRows(const Window &win, const PoolWindows &w) {
  std::vector<int64_t> rows;
  for (int64_t k = 0; k < w.kernel[0]; ++k)
    rows.push_back(win.h0 + k * w.dilation[0]);
  return rows;
}
std::vector<int64_t> tapCols(const Window &win, const PoolWindows &w) {
  std::vector<int64_t> cols;
  for (int64_t k = 0; k < w.kernel[1]; ++k)
    cols.push_back(win.w0 + k * w.dilation[1]);
  return cols;
}

/// The first maximum of the window in row-major order (padding never
/// wins), as an absolute (h, w).
std::pair<int64_t, int64_t> argmax(const Tensor &x, const Window &win,
                                   const PoolWindows &w) {
  int64_t bh = -1, bw = -1;
  double best = 0;
  for (int64_t h : tapRows(win, w))
    for (int64_t v : tapCols(win, w)) {
      if (!win.inside(x.shape, h, v))
        continue;
      double value = x.at(win.n, win.c, h, v);
      if (bh < 0 || value > best) {
        best = value;
        bh = h;
        bw = v;
      }
    }
  return {bh, bw};
}

std::string windowText(const Window &win, const PoolWindows &w) {
  std::vector<int64_t> rows = tapRows(win, w), cols = tapCols(win, w);
  bool dilated = w.dilation[0] != 1 || w.dilation[1] != 1;
  return "input rows " + std::to_string(rows.front()) + ".." +
         std::to_string(rows.back()) + " and columns " +
         std::to_string(cols.front()) + ".." + std::to_string(cols.back()) +
         (dilated ? ", the taps " + std::to_string(w.dilation[0]) +
                        " rows and " + std::to_string(w.dilation[1]) +
                        " columns apart,"
                  : std::string()) +
         " of channel " + std::to_string(win.c) +
         " ($h_{in} = h s_h - p_h$, $w_{in} = w s_w - p_w$)";
}

/// How the divisor of average pooling is chosen, in words.
std::string divisorRule(const PoolWindows &w) {
  if (w.divisorOverride > 0)
    return "$D = " + std::to_string(w.divisorOverride) +
           "$ for every window (`divisor_override`).";
  if (!w.countIncludePad)
    return "$D_{h,w}$ counts only the window's positions inside the input "
           "(`count_include_pad=false`); padded positions add 0.";
  return std::string("Padded positions count as 0 and still count in the "
                     "divisor $D = K_h K_w$ (PyTorch's "
                     "`count_include_pad=True`)") +
         (w.ceilMode ? "; a window hanging over the padded input "
                       "(`ceil_mode`) counts only the part inside it."
                     : ".");
}

/// Gradient of every input position of a pool, recomputed from the
/// formula: each window sends dy to its arg-max (max) or dy / D to every
/// position (avg).
std::vector<double> poolInputGradient(bool isMax, const Tensor &dy,
                                      const Tensor *x,
                                      const std::vector<int64_t> &xShape,
                                      const PoolWindows &w) {
  std::vector<double> dx(Tensor::count(xShape), 0.0);
  for (int64_t n = 0; n < dy.dim(0); ++n)
    for (int64_t c = 0; c < dy.dim(1); ++c)
      for (int64_t i = 0; i < dy.dim(2); ++i)
        for (int64_t j = 0; j < dy.dim(3); ++j) {
          Window win = windowAt({n, c, i, j}, w.kernel, w.stride, w.padding);
          double g = dy.at(n, c, i, j);
          if (isMax) {
            auto [h, v] = argmax(*x, win, w);
            dx[flat(xShape, {n, c, h, v})] += g;
            continue;
          }
          double d = static_cast<double>(w.divisor(i, j, xShape[2], xShape[3]));
          for (int64_t h : tapRows(win, w))
            for (int64_t v : tapCols(win, w))
              if (win.inside(xShape, h, v))
                dx[flat(xShape, {n, c, h, v})] += g / d;
        }
  return dx;
}

} // namespace

std::vector<std::string>
tcnnc::explain::maxPoolGradientSources(Report &r, Operation *grad,
                                       const Index &at) {
  auto op = cast<MaxPool2dGradOp>(grad);
  PoolWindows w = maxPoolWindows(op);
  const Tensor &x = r.value(op.getInput()), &g = r.value(op.getOutputGrad());
  std::vector<std::string> sources;
  for (int64_t i = 0; i < g.dim(2); ++i)
    for (int64_t j = 0; j < g.dim(3); ++j) {
      Index out{at[0], at[1], i, j};
      auto [h, v] = argmax(x, windowAt(out, w.kernel, w.stride, w.padding), w);
      if (h == at[2] && v == at[3])
        sources.push_back("window " + indexStr(out) +
                          " (its upstream gradient " +
                          r.md.num(g.at(at[0], at[1], i, j)) + ")");
    }
  return sources;
}

namespace {

std::string pairText(ArrayRef<int64_t> p) {
  return "(" + std::to_string(p[0]) + ", " + std::to_string(p[1]) + ")";
}

} // namespace

static void poolForward(Report &r, Operation *op) {
  bool isMax = isa<MaxPool2dOp>(op);
  Value input = op->getOperand(0);
  PoolWindows pw = windowsOf(op);
  Markdown &md = r.md;
  const Tensor &x = r.value(input), &y = r.value(op->getResult(0));
  bool dilated = pw.dilation[0] != 1 || pw.dilation[1] != 1;
  r.beginSection(op, "forward");
  md.para("Input " + r.describe(input) + " " + shapeStr(x.shape) +
          "; output " + shapeStr(y.shape) + "; kernel " +
          pairText(pw.kernel) + ", stride " + pairText(pw.stride) +
          ", padding " + pairText(pw.padding) +
          (dilated ? ", dilation " + pairText(pw.dilation) : std::string()) +
          (pw.ceilMode ? ", ceil_mode (the output size rounds up; the last "
                         "window may hang over the padded input)"
                       : std::string()) +
          ".");
  std::string kh = dilated ? "k_h d_h" : "k_h", kw = dilated ? "k_w d_w" : "k_w";
  if (isMax)
    md.para("$$y_{n,c,h,w} = \\max_{0 \\le k_h < K_h,\\; 0 \\le k_w < K_w} "
            "x_{n,c,\\,h_{in}+" + kh + ",\\,w_{in}+" + kw +
            "}, \\qquad h_{in} = h s_h - p_h,\\; w_{in} = w s_w - p_w$$");
  else
    md.para("$$y_{n,c,h,w} = \\frac{1}{D_{h,w}} \\sum_{k_h=0}^{K_h-1} "
            "\\sum_{k_w=0}^{K_w-1} x_{n,c,\\,h_{in}+k_h,\\,w_{in}+k_w}, "
            "\\qquad h_{in} = h s_h - p_h,\\; w_{in} = w s_w - p_w$$");
  md.para(isMax ? "Padded positions never win (they count as $-\\infty$)."
                : divisorRule(pw));
  Index at = r.positionIn(y.shape);
  Window win = windowAt(at, pw.kernel, pw.stride, pw.padding);
  auto [mh, mw] = argmax(x, win, pw);
  md.para("**Explained position:** output " + indexStr(at) + "; its window is " +
          windowText(win, pw) + ", in absolute input coordinates:");
  std::pair<int64_t, int64_t> best{mh, mw};
  md.grid("h \\ w", tapRows(win, pw), tapCols(win, pw),
          [&](int64_t h, int64_t w) -> std::string {
            if (!win.inside(x.shape, h, w))
              return "pad";
            std::string v = md.op(x.at(win.n, win.c, h, w));
            return isMax && std::pair(h, w) == best ? "**" + v + "**" : v;
          });
  std::vector<std::string> values;
  double exact = isMax ? -INFINITY : 0.0, rounded = isMax ? -INFINITY : 0.0;
  for (int64_t h : tapRows(win, pw))
    for (int64_t w : tapCols(win, pw)) {
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
  if (isMax) {
    md.para("$$y_{" + std::to_string(at[0]) + "," + std::to_string(at[1]) +
            "," + std::to_string(at[2]) + "," + std::to_string(at[3]) +
            "} = \\max(" + list + ")$$");
    md.para("The maximum (bold) is at input position " +
            indexStr({win.n, win.c, mh, mw}) + " (first maximum in row-major "
            "window order on ties).");
  } else {
    int64_t d = pw.divisor(at[2], at[3], x.dim(2), x.dim(3));
    std::string sum;
    for (size_t i = 0; i < values.size(); ++i)
      sum += (i ? " + " : "") + values[i];
    std::string divisorText =
        d == pw.kernel[0] * pw.kernel[1] && pw.divisorOverride == 0
            ? std::to_string(pw.kernel[0]) + " \\times " +
                  std::to_string(pw.kernel[1])
            : std::to_string(d);
    md.para("$$y_{" + std::to_string(at[0]) + "," + std::to_string(at[1]) +
            "," + std::to_string(at[2]) + "," + std::to_string(at[3]) +
            "} = \\frac{1}{" + divisorText + "} (" + sum + ")$$");
    exact /= static_cast<double>(d);
    rounded /= static_cast<double>(d);
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
  PoolWindows pw = maxPoolWindows(g);
  r.beginSection(op, "backward");
  Index at = r.positionIn(dy.shape);
  Window win = windowAt(at, pw.kernel, pw.stride, pw.padding);
  auto [mh, mw] = argmax(x, win, pw);
  double g0 = r.upstream(g.getOutputGrad(), at);
  md.para("The whole upstream gradient goes to the window's maximum, input "
          "position " +
          indexStr({win.n, win.c, mh, mw}) +
          " (absolute coordinates); every other position of the window gets "
          "nothing from this output position. Windows that overlap add up "
          "into the **full gradient**:");
  std::vector<double> full = poolInputGradient(true, dy, &x, dx.shape, pw);
  std::vector<std::vector<std::string>> rows;
  for (int64_t h : tapRows(win, pw))
    for (int64_t w : tapCols(win, pw)) {
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
  PoolWindows pw = avgPoolWindows(g);
  r.beginSection(op, "backward");
  Index at = r.positionIn(dy.shape);
  Window win = windowAt(at, pw.kernel, pw.stride, pw.padding);
  double g0 = r.upstream(g.getOutputGrad(), at);
  int64_t d = pw.divisor(at[2], at[3], dx.dim(2), dx.dim(3));
  double divisor = static_cast<double>(d);
  md.para("It is spread evenly over the window: each of its " +
          std::to_string(pw.kernel[0] * pw.kernel[1]) +
          " positions receives " +
          md.formula(paren(md.op(g0)) + " / " + std::to_string(d),
                     g0 / divisor, md.roundedOp(g0) / divisor) +
          " = " + md.num(g0 / divisor) +
          " (the divisor of the forward pass; padded positions receive "
          "their share too, which is dropped). Overlapping windows add up "
          "into the **full gradient**:");
  std::vector<double> full =
      poolInputGradient(false, dy, nullptr, dx.shape, pw);
  std::vector<std::vector<std::string>> rows;
  for (int64_t h : tapRows(win, pw))
    for (int64_t w : tapCols(win, pw)) {
      if (!win.inside(dx.shape, h, w))
        continue;
      rows.push_back({indexStr({win.n, win.c, h, w}),
                      md.formula(paren(md.op(g0)) + " / " + std::to_string(d),
                                 g0 / divisor, md.roundedOp(g0) / divisor),
                      md.num(g0 / divisor), md.num(dx.at(win.n, win.c, h, w))});
    }
  md.table({"input position", "formula", "contribution of " + indexStr(at),
            "full $\\partial L/\\partial x$"},
           rows);
  r.compareTensor("full input gradient", full, dx);
  md.para("$$\\frac{\\partial L}{\\partial x_{n,c,h,w}} = "
          "\\sum_{(i,j):\\ (h,w) \\in \\operatorname{window}(i,j)} "
          "\\frac{1}{D_{i,j}} \\frac{\\partial L}{\\partial y_{n,c,i,j}}$$");
}

namespace {
/// Window (i, j) of adaptive pooling from `in` to `out`: its rows and
/// columns.
std::pair<std::vector<int64_t>, std::vector<int64_t>>
adaptiveWindow(const std::vector<int64_t> &in, const std::vector<int64_t> &out,
               int64_t i, int64_t j) {
  std::vector<int64_t> rows, cols;
  for (int64_t h = shapes::adaptiveStart(i, in[2], out[2]);
       h < shapes::adaptiveEnd(i, in[2], out[2]); ++h)
    rows.push_back(h);
  for (int64_t v = shapes::adaptiveStart(j, in[3], out[3]);
       v < shapes::adaptiveEnd(j, in[3], out[3]); ++v)
    cols.push_back(v);
  return {rows, cols};
}

/// The first maximum of adaptive window (n, c, i, j), as (h, w).
std::pair<int64_t, int64_t> adaptiveArgmax(const Tensor &x,
                                           const std::vector<int64_t> &out,
                                           int64_t n, int64_t c, int64_t i,
                                           int64_t j) {
  auto [rows, cols] = adaptiveWindow(x.shape, out, i, j);
  std::pair<int64_t, int64_t> best{rows[0], cols[0]};
  for (int64_t h : rows)
    for (int64_t v : cols)
      if (x.at(n, c, h, v) > x.at(n, c, best.first, best.second))
        best = {h, v};
  return best;
}

const char *kAdaptiveWindowRule =
    "Output row $i$ of $O_h$ pools input rows $\\lfloor i H / O_h \\rfloor$ "
    "to $\\lceil (i + 1) H / O_h \\rceil - 1$ (likewise for columns): when "
    "$O_h$ does not divide $H$ the windows differ in size and neighbours "
    "may share a row.";
} // namespace

static void adaptiveForward(Report &r, Operation *op) {
  bool isMax = isa<AdaptiveMaxPool2dOp>(op);
  Value input = op->getOperand(0);
  Markdown &md = r.md;
  const Tensor &x = r.value(input), &y = r.value(op->getResult(0));
  r.beginSection(op, "forward");
  md.para("Input " + r.describe(input) + " " + shapeStr(x.shape) +
          "; output " + shapeStr(y.shape) + ". " + kAdaptiveWindowRule);
  md.para(isMax ? "$$y_{n,c,i,j} = \\max_{(h, w) \\in \\text{window}(i, j)} "
                  "x_{n,c,h,w}$$"
                : "$$y_{n,c,i,j} = \\frac{1}{|\\text{window}(i, j)|} "
                  "\\sum_{(h, w) \\in \\text{window}(i, j)} x_{n,c,h,w}$$");
  Index at = r.positionIn(y.shape);
  auto [rows, cols] = adaptiveWindow(x.shape, y.shape, at[2], at[3]);
  auto [mh, mw] = adaptiveArgmax(x, y.shape, at[0], at[1], at[2], at[3]);
  md.para("**Explained position:** output " + indexStr(at) +
          "; its window is input rows " + std::to_string(rows.front()) + ".." +
          std::to_string(rows.back()) + " and columns " +
          std::to_string(cols.front()) + ".." + std::to_string(cols.back()) +
          " of channel " + std::to_string(at[1]) + " (" +
          std::to_string(rows.size() * cols.size()) + " positions):");
  std::pair<int64_t, int64_t> best{mh, mw};
  md.grid("h \\ w", rows, cols, [&](int64_t h, int64_t w) -> std::string {
    std::string v = md.op(x.at(at[0], at[1], h, w));
    return isMax && std::pair(h, w) == best ? "**" + v + "**" : v;
  });
  double exact = isMax ? x.at(at[0], at[1], mh, mw) : 0.0;
  std::string list;
  for (int64_t h : rows)
    for (int64_t w : cols) {
      list += (list.empty() ? "" : isMax ? ", " : " + ") +
              md.op(x.at(at[0], at[1], h, w));
      if (!isMax)
        exact += x.at(at[0], at[1], h, w);
    }
  std::string pos = std::to_string(at[0]) + "," + std::to_string(at[1]) +
                    "," + std::to_string(at[2]) + "," + std::to_string(at[3]);
  if (isMax) {
    md.para("$$y_{" + pos + "} = \\max(" + list + ")$$");
  } else {
    exact /= static_cast<double>(rows.size() * cols.size());
    md.para("$$y_{" + pos + "} = \\frac{1}{" +
            std::to_string(rows.size() * cols.size()) + "} (" + list + ")$$");
  }
  r.compare("output at " + indexStr(at), exact, y.data[flat(y.shape, at)]);
}

static void adaptiveGrad(Report &r, Operation *op) {
  bool isMax = isa<AdaptiveMaxPool2dGradOp>(op);
  Markdown &md = r.md;
  Value dyValue = op->getOperand(0);
  const Tensor &dy = r.value(dyValue), &dx = r.value(op->getResult(0));
  const Tensor *x = isMax ? &r.value(op->getOperand(1)) : nullptr;
  r.beginSection(op, "backward");
  Index at = r.positionIn(dy.shape);
  auto [rows, cols] = adaptiveWindow(dx.shape, dy.shape, at[2], at[3]);
  double g0 = r.upstream(dyValue, at);
  std::vector<double> full(dx.size(), 0.0);
  for (int64_t n = 0; n < dy.dim(0); ++n)
    for (int64_t c = 0; c < dy.dim(1); ++c)
      for (int64_t i = 0; i < dy.dim(2); ++i)
        for (int64_t j = 0; j < dy.dim(3); ++j) {
          auto [wr, wc] = adaptiveWindow(dx.shape, dy.shape, i, j);
          if (isMax) {
            auto [h, v] = adaptiveArgmax(*x, dy.shape, n, c, i, j);
            full[flat(dx.shape, {n, c, h, v})] += dy.at(n, c, i, j);
            continue;
          }
          double share =
              dy.at(n, c, i, j) / static_cast<double>(wr.size() * wc.size());
          for (int64_t h : wr)
            for (int64_t v : wc)
              full[flat(dx.shape, {n, c, h, v})] += share;
        }
  int64_t size = static_cast<int64_t>(rows.size() * cols.size());
  std::pair<int64_t, int64_t> best{-1, -1};
  if (isMax)
    best = adaptiveArgmax(*x, dy.shape, at[0], at[1], at[2], at[3]);
  md.para(isMax ? "The whole upstream gradient of output " + indexStr(at) +
                      " goes to its window's maximum, input position " +
                      indexStr({at[0], at[1], best.first, best.second}) + "."
                : "The upstream gradient of output " + indexStr(at) +
                      " is spread evenly over its " + std::to_string(size) +
                      " window positions: $" + paren(md.op(g0)) + " / " +
                      std::to_string(size) + "$ = " +
                      md.num(g0 / static_cast<double>(size)) + " each.");
  std::vector<std::vector<std::string>> table;
  for (int64_t h : rows)
    for (int64_t w : cols) {
      double contribution =
          isMax ? (h == best.first && w == best.second ? g0 : 0.0)
                : g0 / static_cast<double>(size);
      table.push_back({indexStr({at[0], at[1], h, w}), md.num(contribution),
                       md.num(dx.at(at[0], at[1], h, w))});
    }
  md.table({"input position", "contribution of " + indexStr(at),
            "full $\\partial L/\\partial x$ (all windows holding it)"},
           table);
  r.compareTensor("full input gradient", full, dx);
}

void tcnnc::explain::registerPoolSections(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *ctx, TcnnDialect *) {
    MaxPool2dOp::attachInterface<FnSections<MaxPool2dOp, poolForward>>(*ctx);
    AvgPool2dOp::attachInterface<FnSections<AvgPool2dOp, poolForward>>(*ctx);
    MaxPool2dGradOp::attachInterface<
        FnSections<MaxPool2dGradOp, maxPoolGrad>>(*ctx);
    AvgPool2dGradOp::attachInterface<
        FnSections<AvgPool2dGradOp, avgPoolGrad>>(*ctx);
    AdaptiveAvgPool2dOp::attachInterface<
        FnSections<AdaptiveAvgPool2dOp, adaptiveForward>>(*ctx);
    AdaptiveMaxPool2dOp::attachInterface<
        FnSections<AdaptiveMaxPool2dOp, adaptiveForward>>(*ctx);
    AdaptiveAvgPool2dGradOp::attachInterface<
        FnSections<AdaptiveAvgPool2dGradOp, adaptiveGrad>>(*ctx);
    AdaptiveMaxPool2dGradOp::attachInterface<
        FnSections<AdaptiveMaxPool2dGradOp, adaptiveGrad>>(*ctx);
  });
}
