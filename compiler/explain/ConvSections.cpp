//===- ConvSections.cpp - explaining conv2d and its gradients -------------===//

#include "compiler/explain/ExplainInterface.h"
#include "compiler/explain/Report.h"

#include "dialect/TcnnOps.h"

using namespace mlir;
using namespace mlir::tcnn;
using tcnnc::Tensor;
using namespace tcnnc::explain;

namespace {

std::string pairStr(ArrayRef<int64_t> v) {
  return "(" + std::to_string(v[0]) + ", " + std::to_string(v[1]) + ")";
}

/// The geometry of a conv2d or one of its gradients, and where output
/// channel o's group of input channels starts.
struct Geometry {
  SmallVector<int64_t, 2> s, p, d;
  int64_t groups, inPerGroup, outPerGroup;

  template <typename OpT>
  static Geometry of(OpT op, int64_t outChannels, int64_t inPerGroup) {
    Geometry g{SmallVector<int64_t, 2>(op.getStride()),
               SmallVector<int64_t, 2>(op.getPadding()),
               SmallVector<int64_t, 2>(op.getDilation()),
               static_cast<int64_t>(op.getGroups()), inPerGroup, 0};
    g.outPerGroup = outChannels / g.groups;
    return g;
  }
  bool dilated() const { return d[0] != 1 || d[1] != 1; }
  /// The first input channel output channel o reads.
  int64_t firstChannel(int64_t o) const {
    return (o / outPerGroup) * inPerGroup;
  }
  /// Input row (or column) of tap k of the window starting at `start`.
  int64_t row(int64_t start, int64_t k) const { return start + k * d[0]; }
  int64_t col(int64_t start, int64_t k) const { return start + k * d[1]; }
};

/// The forward formula: the plain one, or with the taps' spacing d and
/// the group's first channel g(c_out) where they matter.
std::string forwardFormula(const Geometry &g) {
  std::string channel = g.groups > 1 ? "g(c_{out}) + c_{in}" : "c_{in}";
  std::string kh = g.dilated() ? "k_h d_h" : "k_h",
              kw = g.dilated() ? "k_w d_w" : "k_w";
  return "$$y_{n,c_{out},h,w} = b_{c_{out}} + \\sum_{c_{in}=0}^{C_{in}-1} "
         "\\sum_{k_h=0}^{K_h-1} \\sum_{k_w=0}^{K_w-1} "
         "x_{n,\\," +
         channel + ",\\,h_{in}+" + kh + ",\\,w_{in}+" + kw +
         "} \\cdot "
         "W_{c_{out},c_{in},k_h,k_w}, \\qquad h_{in} = h \\cdot s_h - p_h, "
         "\\quad w_{in} = w \\cdot s_w - p_w$$";
}

/// The explained output position and its window, as a sentence.
std::string windowSentence(const Window &win, const Geometry &g) {
  int64_t first = g.firstChannel(win.c);
  std::string channels =
      g.groups == 1
          ? std::string("every input channel")
          : g.inPerGroup == 1
                ? "input channel " + std::to_string(first) +
                      " only (output channel " + std::to_string(win.c) +
                      "'s group)"
                : "input channels " + std::to_string(first) + ".." +
                      std::to_string(first + g.inPerGroup - 1) +
                      " (output channel " + std::to_string(win.c) +
                      "'s group of " + std::to_string(g.groups) + ")";
  std::string taps =
      g.dilated() ? ", the taps " + std::to_string(g.d[0]) + " rows and " +
                        std::to_string(g.d[1]) + " columns apart (dilation " +
                        pairStr(g.d) + ")"
                  : std::string();
  return "$h_{in} = " + std::to_string(win.i) + " \\cdot " +
         std::to_string(g.s[0]) + " - " + std::to_string(g.p[0]) + " = " +
         std::to_string(win.h0) + "$ and $w_{in} = " + std::to_string(win.j) +
         " \\cdot " + std::to_string(g.s[1]) + " - " + std::to_string(g.p[1]) +
         " = " + std::to_string(win.w0) +
         "$: the receptive field is input rows " + std::to_string(win.h0) +
         ".." + std::to_string(g.row(win.h0, win.kh - 1)) + " and columns " +
         std::to_string(win.w0) + ".." + std::to_string(g.col(win.w0, win.kw - 1)) +
         taps + " of " + channels + ".";
}

/// Calls f(n, o, i, j, c, ci, kh, kw, h, v) for every tap of every output
/// that reads input position (h, v) of channel ci inside the input.
template <typename F>
void forEachTap(const std::vector<int64_t> &yShape,
                const std::vector<int64_t> &wShape,
                const std::vector<int64_t> &xShape, const Geometry &g, F f) {
  for (int64_t n = 0; n < yShape[0]; ++n)
    for (int64_t o = 0; o < yShape[1]; ++o)
      for (int64_t i = 0; i < yShape[2]; ++i)
        for (int64_t j = 0; j < yShape[3]; ++j)
          for (int64_t c = 0; c < wShape[1]; ++c)
            for (int64_t kh = 0; kh < wShape[2]; ++kh)
              for (int64_t kw = 0; kw < wShape[3]; ++kw) {
                int64_t h = g.row(i * g.s[0] - g.p[0], kh),
                        v = g.col(j * g.s[1] - g.p[1], kw);
                if (h >= 0 && h < xShape[2] && v >= 0 && v < xShape[3])
                  f(n, o, i, j, c, g.firstChannel(o) + c, kh, kw, h, v);
              }
}

/// dL/dx recomputed from the formula: every (o, i, j, p, q) that reads
/// input position (h, w).
std::vector<double> inputGradient(const Tensor &dy, const Tensor &w,
                                  const std::vector<int64_t> &xShape,
                                  const Geometry &g) {
  std::vector<double> dx(Tensor::count(xShape), 0.0);
  forEachTap(dy.shape, w.shape, xShape, g,
             [&](int64_t n, int64_t o, int64_t i, int64_t j, int64_t c,
                 int64_t ci, int64_t kh, int64_t kw, int64_t h, int64_t v) {
               dx[flat(xShape, {n, ci, h, v})] +=
                   dy.at(n, o, i, j) * w.at(o, c, kh, kw);
             });
  return dx;
}

std::vector<double> weightGradient(const Tensor &dy, const Tensor &x,
                                   const std::vector<int64_t> &wShape,
                                   const Geometry &g) {
  std::vector<double> dw(Tensor::count(wShape), 0.0);
  forEachTap(dy.shape, wShape, x.shape, g,
             [&](int64_t n, int64_t o, int64_t i, int64_t j, int64_t c,
                 int64_t ci, int64_t kh, int64_t kw, int64_t h, int64_t v) {
               dw[flat(wShape, {o, c, kh, kw})] +=
                   dy.at(n, o, i, j) * x.at(n, ci, h, v);
             });
  return dw;
}

/// Whether the layer's input gradient is computed (its input is
/// differentiated), for the shapes table.
bool hasInputGradient(Conv2dOp conv) {
  bool found = false;
  conv->getParentOp()->walk([&](Conv2dInputGradOp g) {
    if (g.getLoc() == conv.getLoc())
      found = true;
  });
  return found;
}

/// Whether the forward output goes into an activation (ReLU, Sigmoid,
/// ...), so that the section can say the values are taken before it.
bool feedsActivation(Conv2dOp conv) {
  return llvm::any_of(conv->getUsers(), [](Operation *user) {
    return !user->hasAttr(kGradOfAttr) &&
           isa<ReluOp, LeakyReluOp, SigmoidOp, TanhOp, EluOp, GeluOp>(user);
  });
}

} // namespace

/// Whether `conv` is the input gradient a ConvTranspose2d's reverse rule
/// built (a convolution of its upstream gradient).
static bool isTransposeGradient(Conv2dOp conv) {
  bool found = false;
  conv->getParentOp()->walk([&](ConvTranspose2dOp t) {
    if (t.getLoc() == conv.getLoc())
      found = true;
  });
  return found;
}

static void convForward(Report &r, Operation *op) {
  auto conv = cast<Conv2dOp>(op);
  Markdown &md = r.md;
  if (isTransposeGradient(conv)) {
    r.beginSection(op, "backward, input gradient");
    const Tensor &dx = r.value(conv.getOutput());
    md.para("The input gradient of a transposed convolution is an ordinary "
            "convolution of the upstream gradient " +
            r.describe(conv.getInput()) + " with the same weight, stride, "
            "padding, dilation and groups: each input position's gradient "
            "gathers the upstream gradient over the outputs its kernel copy "
            "reached.");
    Index at = r.positionIn(dx.shape);
    const Tensor &dy = r.value(conv.getInput()), &w = r.value(conv.getWeight());
    Geometry g = Geometry::of(conv, w.dim(0), w.dim(1));
    double exact = 0;
    forEachTap(dx.shape, w.shape, dy.shape, g,
               [&](int64_t n, int64_t o, int64_t i, int64_t j, int64_t c,
                   int64_t ci, int64_t kh, int64_t kw, int64_t h, int64_t v) {
                 if (n == at[0] && o == at[1] && i == at[2] && j == at[3])
                   exact += dy.at(n, ci, h, v) * w.at(o, c, kh, kw);
               });
    r.compare("input gradient at " + indexStr(at), exact,
              dx.data[flat(dx.shape, at)]);
    return;
  }
  const Tensor &x = r.value(conv.getInput()), &w = r.value(conv.getWeight()),
               &y = r.value(conv.getOutput());
  const Tensor *b = conv.getBias() ? &r.value(conv.getBias()) : nullptr;
  Geometry g = Geometry::of(conv, w.dim(0), w.dim(1));
  std::string layer = r.layerOf(op);
  r.beginSection(op, "forward");
  md.para("Input " + r.describe(conv.getInput()) + " " + shapeStr(x.shape) +
          ", weight `" + layer + ".weight` " + shapeStr(w.shape) +
          (b ? ", bias `" + layer + ".bias` " + shapeStr(b->shape) : ", no bias") +
          "; output " + shapeStr(y.shape) +
          (feedsActivation(conv) ? " (before the activation that follows)"
                                 : "") +
          ".");
  md.para(forwardFormula(g));
  md.para("Here $s = " + pairStr(g.s) + "$, $p = " + pairStr(g.p) + "$, " +
          (g.dilated() ? "$d = " + pairStr(g.d) + "$, " : std::string()) +
          "$C_{in} = " + std::to_string(w.dim(1)) +
          (g.groups > 1 ? "$ per group ($" + std::to_string(g.groups) +
                              "$ groups: output channel $c_{out}$ reads input "
                              "channels $g(c_{out}) = \\lfloor c_{out} / " +
                              std::to_string(g.outPerGroup) + " \\rfloor \\cdot " +
                              std::to_string(g.inPerGroup) + "$ on), $K = "
                        : std::string("$, $K = ")) +
          std::to_string(w.dim(2)) + " \\times " + std::to_string(w.dim(3)) +
          "$. Input positions outside the input are padding and read 0.");

  Index at = r.positionIn(y.shape);
  Window win = windowAt(at, {w.dim(2), w.dim(3)}, g.s, g.p);
  int64_t first = g.firstChannel(win.c);
  // The absolute input rows and columns of the taps.
  std::vector<int64_t> rows, cols;
  for (int64_t k = 0; k < win.kh; ++k)
    rows.push_back(g.row(win.h0, k));
  for (int64_t k = 0; k < win.kw; ++k)
    cols.push_back(g.col(win.w0, k));
  md.para("**Explained position:** output (n, c_out, h, w) = " + indexStr(at) +
          ". " + windowSentence(win, g));
  for (int64_t c = 0; c < w.dim(1); ++c) {
    md.para("**Kernel for input channel " + std::to_string(c) + "**: $W_{" +
            std::to_string(win.c) + "," + std::to_string(c) +
            ",k_h,k_w}$ (rows $k_h$, columns $k_w$)");
    md.grid("k_h \\ k_w", indexRange(0, w.dim(2)), indexRange(0, w.dim(3)),
            [&](int64_t kh, int64_t kw) {
              return md.op(w.at(win.c, c, kh, kw));
            });
  }
  for (int64_t c = 0; c < w.dim(1); ++c) {
    int64_t ci = first + c;
    md.para("**Receptive field in input channel " + std::to_string(ci) +
            "**: $x_{" + std::to_string(win.n) + "," + std::to_string(ci) +
            ",h,w}$ (rows h and columns w are absolute input coordinates)");
    md.grid("h \\ w", rows, cols, [&](int64_t h, int64_t v) {
      return win.inside(x.shape, h, v) ? md.op(x.at(win.n, ci, h, v))
                                       : std::string("pad (0)");
    });
  }

  // The substitution, term by term in the order c_in, k_h, k_w.
  std::vector<std::string> terms;
  double exact = b ? b->data[win.c] : 0.0, rounded = 0.0;
  for (int64_t c = 0; c < w.dim(1); ++c)
    for (int64_t kh = 0; kh < win.kh; ++kh)
      for (int64_t kw = 0; kw < win.kw; ++kw) {
        int64_t h = g.row(win.h0, kh), v = g.col(win.w0, kw);
        double xv = win.inside(x.shape, h, v) ? x.at(win.n, first + c, h, v)
                                              : 0.0;
        double wv = w.at(win.c, c, kh, kw);
        exact += xv * wv;
        rounded += md.roundedOp(xv) * md.roundedOp(wv);
        terms.push_back("(" + md.op(xv) + " \\times " + paren(md.op(wv)) +
                        ")");
      }
  if (b) {
    rounded += md.roundedOp(b->data[win.c]);
    terms.push_back(paren(md.op(b->data[win.c])));
  }
  std::string sum;
  size_t shown = terms.size() > 48 ? 24 : terms.size();
  for (size_t t = 0; t < shown; ++t)
    sum += (t ? " + " : "") + terms[t];
  if (shown < terms.size())
    sum += " + \\ldots + " + terms.back() + " \\quad (" +
           std::to_string(terms.size()) + "\\text{ terms})";
  md.para("**Substitution** (each term is receptive field × kernel, then the "
          "bias):");
  md.para("$$y_{" + std::to_string(at[0]) + "," + std::to_string(at[1]) + "," +
          std::to_string(at[2]) + "," + std::to_string(at[3]) + "} = " + sum +
          "$$");
  md.para("With the operands rounded as shown, the sum is " +
          md.num(rounded) + ".");
  r.compare("output at " + indexStr(at), exact, y.data[flat(y.shape, at)]);

  md.para("**Shapes** (the four questions of the convolution notes):");
  bool dx = hasInputGradient(conv);
  md.table({"tensor", "shape"},
           {{"output $y$", shapeStr(y.shape)},
            {"upstream gradient $\\partial L/\\partial y$ (same as the "
             "output)",
             shapeStr(y.shape)},
            {"$\\partial L/\\partial W$ (same as the weight)",
             shapeStr(w.shape)},
            {"$\\partial L/\\partial X$ (same as the input)",
             shapeStr(x.shape) +
                 (dx ? "" : " — not computed (--wrt names the inputs to "
                            "differentiate)")}});
}

static void convWeightGrad(Report &r, Operation *op) {
  auto g = cast<Conv2dWeightGradOp>(op);
  Markdown &md = r.md;
  const Tensor &dy = r.value(g.getOutputGrad()), &x = r.value(g.getInput()),
               &dw = r.value(g.getWeightGrad());
  Geometry geo = Geometry::of(g, dw.dim(0), dw.dim(1));
  r.beginSection(op, "backward, weight gradient");
  Index at = r.positionIn(dy.shape);
  Window win = windowAt(at, {dw.dim(2), dw.dim(3)}, geo.s, geo.p);
  int64_t first = geo.firstChannel(win.c);
  double g0 = r.upstream(g.getOutputGrad(), at);
  md.para("**This position's contribution** to $\\partial L/\\partial W_{" +
          std::to_string(win.c) +
          ",c_{in},k_h,k_w}$ is the upstream gradient times the receptive "
          "field (" +
          windowSentence(win, geo) +
          (dy.dim(0) * dy.dim(2) * dy.dim(3) == 1
               ? ") Output channel " + std::to_string(win.c) +
                     " has this one position, so its contribution is the "
                     "**full gradient**:"
               : ") The **full gradient** adds the contributions of all " +
                     std::to_string(dy.dim(0) * dy.dim(2) * dy.dim(3)) +
                     " positions (n, h, w) of output channel " +
                     std::to_string(win.c) + ":"));
  std::vector<double> full = weightGradient(dy, x, dw.shape, geo);
  std::vector<std::vector<std::string>> rows;
  for (int64_t c = 0; c < dw.dim(1); ++c)
    for (int64_t kh = 0; kh < dw.dim(2); ++kh)
      for (int64_t kw = 0; kw < dw.dim(3); ++kw) {
        int64_t h = geo.row(win.h0, kh), v = geo.col(win.w0, kw);
        bool in = win.inside(x.shape, h, v);
        double xv = in ? x.at(win.n, first + c, h, v) : 0.0;
        rows.push_back(
            {indexStr({win.c, c, kh, kw}),
             md.formula(paren(md.op(g0)) + " \\times " + paren(md.op(xv)),
                        g0 * xv, md.roundedOp(g0) * md.roundedOp(xv)) +
                 (in ? "" : " (pad)"),
             md.num(g0 * xv), md.num(dw.at(win.c, c, kh, kw))});
      }
  md.table({"weight (c_out, c_in, k_h, k_w)",
            "formula (operands rounded)", "contribution of " + indexStr(at),
            "full $\\partial L/\\partial w$ (sum over all positions)"},
           rows);
  r.compareTensor("full weight gradient", full, dw);
  md.para("$$\\frac{\\partial L}{\\partial W_{c_{out},c_{in},k_h,k_w}} = "
          "\\sum_{n} \\sum_{h,w} \\frac{\\partial L}{\\partial "
          "y_{n,c_{out},h,w}} \\cdot x_{n,\\," +
          std::string(geo.groups > 1 ? "g(c_{out}) + c_{in}" : "c_{in}") +
          ",\\,h s_h - p_h + " + (geo.dilated() ? "k_h d_h" : "k_h") +
          ",\\,w s_w - p_w + " + (geo.dilated() ? "k_w d_w" : "k_w") + "}$$");
}

static void convInputGrad(Report &r, Operation *op) {
  auto g = cast<Conv2dInputGradOp>(op);
  Markdown &md = r.md;
  const Tensor &dy = r.value(g.getOutputGrad()), &w = r.value(g.getWeight()),
               &dx = r.value(g.getInputGrad());
  Geometry geo = Geometry::of(g, w.dim(0), w.dim(1));
  r.beginSection(op, "backward, input gradient");
  Index at = r.positionIn(dy.shape);
  Window win = windowAt(at, {w.dim(2), w.dim(3)}, geo.s, geo.p);
  int64_t first = geo.firstChannel(win.c);
  double g0 = r.upstream(g.getOutputGrad(), at);
  md.para("**Propagation to the input:** output position " + indexStr(at) +
          " scales a copy of kernel $W_{" + std::to_string(win.c) +
          ",:,:,:}$ by its upstream gradient and adds it where its window "
          "was (" +
          windowSentence(win, geo) +
          ") Overlapping copies from neighbouring output positions and "
          "other output channels add up to the **full gradient**; copies "
          "falling on padding are dropped. Positions are absolute input "
          "coordinates (n, c_in, h, w):");
  std::vector<double> full = inputGradient(dy, w, dx.shape, geo);
  std::vector<std::vector<std::string>> rows;
  for (int64_t c = 0; c < w.dim(1); ++c)
    for (int64_t kh = 0; kh < w.dim(2); ++kh)
      for (int64_t kw = 0; kw < w.dim(3); ++kw) {
        int64_t h = geo.row(win.h0, kh), v = geo.col(win.w0, kw);
        int64_t ci = first + c;
        double wv = w.at(win.c, c, kh, kw);
        if (h < 0 || h >= dx.dim(2) || v < 0 || v >= dx.dim(3)) {
          rows.push_back({"(" + std::to_string(win.n) + ", " +
                              std::to_string(ci) + ", " + std::to_string(h) +
                              ", " + std::to_string(v) + ") pad",
                          "dropped", "—", "—"});
          continue;
        }
        rows.push_back({indexStr({win.n, ci, h, v}),
                        md.formula(paren(md.op(g0)) + " \\times " +
                                       paren(md.op(wv)),
                                   g0 * wv,
                                   md.roundedOp(g0) * md.roundedOp(wv)),
                        md.num(g0 * wv), md.num(dx.at(win.n, ci, h, v))});
      }
  md.table({"input position", "formula (operands rounded)",
            "contribution of " + indexStr(at),
            "full $\\partial L/\\partial x$ at that position"},
           rows);
  r.compareTensor("full input gradient", full, dx);
  std::string kh = geo.dilated() ? "k_h d_h" : "k_h",
              kw = geo.dilated() ? "k_w d_w" : "k_w";
  md.para("$$\\frac{\\partial L}{\\partial x_{n,c_{in},h,w}} = "
          "\\sum_{c_{out}" +
          std::string(geo.groups > 1 ? " \\in \\text{group}(c_{in})" : "") +
          "} \\sum_{\\substack{i,\\,k_h:\\\\ i s_h - p_h + " + kh +
          " = h}} \\sum_{\\substack{j,\\,k_w:\\\\ j s_w - p_w + " + kw +
          " = w}} \\frac{\\partial L}{\\partial y_{n,c_{out},i,j}} \\cdot "
          "W_{c_{out}," +
          std::string(geo.groups > 1 ? "c_{in} - g(c_{out})" : "c_{in}") +
          ",k_h,k_w}$$");
  md.para("Equivalently: dilate $\\partial L/\\partial y$ with $s - 1$ zeros "
          "between elements, pad it with $d (K - 1) - p$, and cross-correlate "
          "it with the kernel rotated by 180° (taps $d$ apart, channels "
          "swapped" +
          std::string(geo.groups > 1 ? " within each group" : "") + ").");
}

/// ConvTranspose2d: every input position scatters a scaled kernel copy.
static void convTransposeForward(Report &r, Operation *op) {
  auto conv = cast<ConvTranspose2dOp>(op);
  Markdown &md = r.md;
  const Tensor &x = r.value(conv.getInput()), &w = r.value(conv.getWeight()),
               &y = r.value(conv.getOutput());
  const Tensor *b = conv.getBias() ? &r.value(conv.getBias()) : nullptr;
  // As conv2d's geometry with the roles of input and output exchanged:
  // "output" channel i of the adjoint conv2d is input channel i here.
  Geometry g = Geometry::of(conv, w.dim(0), w.dim(1));
  std::string layer = r.layerOf(op);
  r.beginSection(op, "forward");
  md.para("Input " + r.describe(conv.getInput()) + " " + shapeStr(x.shape) +
          ", weight `" + layer + ".weight` " + shapeStr(w.shape) +
          " [C_in, C_out / groups, K_h, K_w]" +
          (b ? ", bias `" + layer + ".bias` " + shapeStr(b->shape)
             : std::string(", no bias")) +
          "; output " + shapeStr(y.shape) + ".");
  md.para("Each input position $x_{n,i,a,c}$ scales kernel $W_{i,:,:,:}$ and "
          "adds it to the output where a convolution window at $(a, c)$ "
          "would read, rows $a s_h - p_h + k_h d_h$ and columns "
          "$c s_w - p_w + k_w d_w$ (copies falling on the padding are "
          "dropped): $$y_{n,o,h,w} = b_o + \\sum_{\\substack{i, a, k_h:\\\\ "
          "a s_h - p_h + k_h d_h = h}} \\sum_{\\substack{c, k_w:\\\\ c s_w - "
          "p_w + k_w d_w = w}} x_{n,i,a,c} \\, W_{i,o,k_h,k_w}$$ "
          "Here $s = " + pairStr(g.s) + "$, $p = " + pairStr(g.p) + "$, $d = " +
          pairStr(g.d) + "$" +
          (g.groups > 1 ? ", " + std::to_string(g.groups) +
                              " groups (input channel $i$ reaches only its "
                              "group's output channels)"
                        : std::string()) +
          "; the output is $(H - 1) s - 2 p + d (K - 1) + "
          "\\text{output\\_padding} + 1$ rows. It computes what the input "
          "gradient of a convolution computes (`conv2d_input_grad`).");
  Index at = r.positionIn(y.shape);
  std::vector<std::vector<std::string>> rows;
  double exact = b ? b->data[at[1]] : 0.0;
  // The adjoint conv2d's taps: its "output" (n, i, a, c) reads position
  // (h, v) of channel `ci` with kernel entry (i, c', kh, kw).
  forEachTap(x.shape, w.shape, y.shape, g,
             [&](int64_t n, int64_t i, int64_t a, int64_t c, int64_t o,
                 int64_t co, int64_t kh, int64_t kw, int64_t h, int64_t v) {
               if (n != at[0] || co != at[1] || h != at[2] || v != at[3])
                 return;
               double xv = x.at(n, i, a, c), wv = w.at(i, o, kh, kw);
               exact += xv * wv;
               rows.push_back({indexStr({n, i, a, c}),
                               "(" + std::to_string(kh) + ", " +
                                   std::to_string(kw) + ")",
                               "$" + md.op(xv) + " \\times " +
                                   paren(md.op(wv)) + "$",
                               md.num(xv * wv)});
             });
  md.para("**Explained position:** output " + indexStr(at) + " receives " +
          std::to_string(rows.size()) + " kernel cop" +
          (rows.size() == 1 ? "y" : "ies") +
          (b ? " plus the bias " + md.num(b->data[at[1]]) : std::string()) +
          ":");
  if (!rows.empty())
    md.table({"input position (n, i, a, c)", "kernel tap (k_h, k_w)",
              "x × w", "contribution"},
             rows);
  r.compare("output at " + indexStr(at), exact, y.data[flat(y.shape, at)]);
}

static void biasGrad(Report &r, Operation *op) {
  auto g = cast<BiasGradOp>(op);
  Markdown &md = r.md;
  const Tensor &dy = r.value(g.getOutputGrad()), &db = r.value(g.getBiasGrad());
  r.beginSection(op, "backward, bias gradient");
  Index at = r.positionIn(dy.shape);
  double g0 = r.upstream(g.getOutputGrad(), at);
  int64_t n = dy.dim(0), o = dy.dim(1), inner = dy.size() / (n * o);
  md.para("Each output position adds its upstream gradient to the bias of "
          "its channel: **this position's contribution** to "
          "$\\partial L/\\partial b_{" +
          std::to_string(at[1]) + "}$ is " + md.num(g0) +
          (n * inner == 1
               ? "; the channel has no other position, so that is the "
                 "**full gradient**."
               : "; the **full gradient** sums all " +
                     std::to_string(n * inner) + " positions of the channel."));
  std::vector<double> full(o, 0.0);
  for (int64_t b = 0; b < n; ++b)
    for (int64_t c = 0; c < o; ++c)
      for (int64_t k = 0; k < inner; ++k)
        full[c] += dy.data[(b * o + c) * inner + k];
  std::vector<std::vector<std::string>> rows;
  for (int64_t c = 0; c < o; ++c)
    rows.push_back({std::to_string(c), c == at[1] ? md.num(g0) : "—",
                    md.num(db.data[c])});
  md.table({"channel", "contribution of " + indexStr(at),
            "full $\\partial L/\\partial b$ (sum over all positions)"},
           rows);
  r.compareTensor("full bias gradient", full, db);
  md.para(dy.shape.size() == 4
              ? "$$\\frac{\\partial L}{\\partial b_{c_{out}}} = \\sum_{n} "
                "\\sum_{h,w} \\frac{\\partial L}{\\partial "
                "y_{n,c_{out},h,w}}$$"
              : "$$\\frac{\\partial L}{\\partial b_{o}} = \\sum_{n} "
                "\\frac{\\partial L}{\\partial y_{n,o}}$$");
}

void tcnnc::explain::registerConvSections(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *ctx, TcnnDialect *) {
    Conv2dOp::attachInterface<FnSections<Conv2dOp, convForward>>(*ctx);
    Conv2dInputGradOp::attachInterface<
        FnSections<Conv2dInputGradOp, convInputGrad>>(*ctx);
    Conv2dWeightGradOp::attachInterface<
        FnSections<Conv2dWeightGradOp, convWeightGrad>>(*ctx);
    BiasGradOp::attachInterface<FnSections<BiasGradOp, biasGrad>>(*ctx);
    ConvTranspose2dOp::attachInterface<
        FnSections<ConvTranspose2dOp, convTransposeForward>>(*ctx);
  });
}
