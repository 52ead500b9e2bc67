//===- ActivationSections.cpp - activations, softmax and their gradients --===//
//
// Every smooth activation is explained the same way: forward, the formula,
// the explained position with the input substituted step by step, and
// calculated vs actual; backward, the derivative, the upstream gradient,
// the local derivative substituted at the forward input, their product,
// and the whole input gradient recomputed. What differs per op (formulas
// and substitutions) is one `Activation` description each.
//
//===----------------------------------------------------------------------===//

#include "compiler/explain/ExplainInterface.h"
#include "compiler/explain/Report.h"

#include "dialect/TcnnOps.h"

#include <cmath>
#include <functional>
#include <type_traits>

using namespace mlir;
using namespace mlir::tcnn;
using tcnnc::Tensor;
using namespace tcnnc::explain;

namespace {

/// How an activation reads: its formulas in LaTeX, its value and
/// derivative at one input, and that arithmetic written out in LaTeX.
struct Activation {
  std::string formula;    ///< y = ...
  std::string derivative; ///< dy/dx = ...
  std::function<double(double)> f, df;
  std::function<std::string(Markdown &, double x)> forward, local;
};

/// e^v as LaTeX with v's sign kept readable.
std::string expOf(Markdown &md, double v) {
  return "e^{" + md.op(v) + "}";
}

Activation sigmoid(Operation *) {
  Activation a;
  a.formula = "y = \\sigma(x) = \\dfrac{1}{1 + e^{-x}}";
  a.derivative = "\\dfrac{\\partial y}{\\partial x} = \\sigma(x)\\,(1 - "
                 "\\sigma(x))";
  a.f = [](double x) { return 1.0 / (1.0 + std::exp(-x)); };
  a.df = [f = a.f](double x) { return f(x) * (1.0 - f(x)); };
  a.forward = [](Markdown &md, double x) {
    double e = std::exp(-x);
    double y = 1.0 / (1.0 + e);
    return "y = \\dfrac{1}{1 + " + expOf(md, -x) + "} = \\dfrac{1}{1 + " +
           md.op(e) + "} = " + md.num(y);
  };
  a.local = [](Markdown &md, double x) {
    double s = 1.0 / (1.0 + std::exp(-x));
    double d = s * (1.0 - s);
    return "\\sigma(" + md.op(x) + ") = " + md.op(s) + ", \\quad " +
           md.op(s) + " \\times (1 - " + md.op(s) + ") = " + md.num(d);
  };
  return a;
}

Activation tanhActivation(Operation *) {
  Activation a;
  a.formula = "y = \\tanh x = \\dfrac{e^{x} - e^{-x}}{e^{x} + e^{-x}}";
  a.derivative = "\\dfrac{\\partial y}{\\partial x} = 1 - \\tanh^2 x";
  a.f = [](double x) { return std::tanh(x); };
  a.df = [](double x) { return 1.0 - std::tanh(x) * std::tanh(x); };
  a.forward = [](Markdown &md, double x) {
    double p = std::exp(x), n = std::exp(-x);
    double y = std::tanh(x);
    return "y = \\dfrac{" + expOf(md, x) + " - " + expOf(md, -x) + "}{" +
           expOf(md, x) + " + " + expOf(md, -x) + "} = \\dfrac{" + md.op(p) +
           " - " + md.op(n) + "}{" + md.op(p) + " + " + md.op(n) +
           "} = " + md.num(y);
  };
  a.local = [](Markdown &md, double x) {
    double t = std::tanh(x);
    double d = 1.0 - t * t;
    return "\\tanh(" + md.op(x) + ") = " + md.op(t) + ", \\quad 1 - " +
           paren(md.op(t)) + "^2 = " + md.num(d);
  };
  return a;
}

Activation elu(Operation *op) {
  double alpha = isa<EluOp>(op)
                     ? cast<EluOp>(op).getAlpha().convertToDouble()
                     : cast<EluGradOp>(op).getAlpha().convertToDouble();
  Activation a;
  a.formula = "y = \\begin{cases} x & x > 0 \\\\ \\alpha\\,(e^{x} - 1) & x "
              "\\le 0 \\end{cases}";
  a.derivative = "\\dfrac{\\partial y}{\\partial x} = \\begin{cases} 1 & x "
                 "> 0 \\\\ \\alpha\\,e^{x} & x \\le 0 \\end{cases}";
  a.f = [alpha](double x) { return x > 0 ? x : alpha * std::expm1(x); };
  a.df = [alpha](double x) { return x > 0 ? 1.0 : alpha * std::exp(x); };
  a.forward = [alpha](Markdown &md, double x) {
    if (x > 0) {
      double y = x;
      return "x = " + md.op(x) + " > 0, \\text{ so } y = " + md.num(y);
    }
    double e = std::exp(x);
    double y = alpha * std::expm1(x);
    return "x = " + md.op(x) + " \\le 0, \\text{ so } y = \\alpha\\,(" +
           expOf(md, x) + " - 1) = " + md.op(alpha) + " \\times (" +
           md.op(e) + " - 1) = " + md.num(y) + " \\quad (\\alpha = " +
           md.num(alpha) + ")";
  };
  a.local = [alpha](Markdown &md, double x) {
    if (x > 0) {
      double d = 1.0;
      return "x = " + md.op(x) + " > 0: \\text{ the derivative is } 1";
    }
    double d = alpha * std::exp(x);
    return "x = " + md.op(x) + " \\le 0: \\alpha\\,e^{x} = " + md.op(alpha) +
           " \\times " + expOf(md, x) + " = " + md.num(d);
  };
  return a;
}

/// GELU's tanh approximation (approximate = "tanh").
Activation geluTanh() {
  constexpr double c = 0.044715;
  double k = std::sqrt(2.0 / M_PI);
  Activation a;
  a.formula = "y = \\dfrac{x}{2}\\left(1 + \\tanh u\\right), \\quad u = "
              "\\sqrt{2/\\pi}\\,(x + 0.044715\\,x^3)";
  a.derivative = "\\dfrac{\\partial y}{\\partial x} = \\dfrac{1 + \\tanh "
                 "u}{2} + \\dfrac{x}{2}\\,(1 - \\tanh^2 u)\\,\\sqrt{2/\\pi}"
                 "\\,(1 + 3 \\cdot 0.044715\\,x^2)";
  a.f = [k](double x) { return 0.5 * x * (1.0 + std::tanh(k * (x + c * x * x * x))); };
  a.df = [k](double x) {
    double t = std::tanh(k * (x + c * x * x * x));
    return 0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * k * (1.0 + 3.0 * c * x * x);
  };
  a.forward = [k](Markdown &md, double x) {
    double u = k * (x + c * x * x * x), t = std::tanh(u);
    double y = 0.5 * x * (1.0 + t);
    return "u = " + md.op(u) + ", \\quad \\tanh u = " + md.op(t) +
           ", \\quad y = \\dfrac{" + md.op(x) + "}{2} (1 + " + paren(md.op(t)) +
           ") = " + md.num(y);
  };
  a.local = [k, df = a.df](Markdown &md, double x) {
    double t = std::tanh(k * (x + c * x * x * x));
    return "\\tanh u = " + md.op(t) + ", \\quad \\dfrac{\\partial y}{\\partial x} = " +
           md.num(df(x));
  };
  return a;
}

Activation gelu(Operation *op) {
  auto approximate = op->getAttrOfType<StringAttr>("approximate");
  if (approximate && approximate.getValue() == "tanh")
    return geluTanh();
  Activation a;
  a.formula = "y = x\\,\\Phi(x) = \\dfrac{x}{2}\\left(1 + "
              "\\operatorname{erf}\\dfrac{x}{\\sqrt 2}\\right)";
  a.derivative = "\\dfrac{\\partial y}{\\partial x} = \\Phi(x) + x\\,\\varphi(x),"
                 " \\quad \\varphi(x) = \\dfrac{e^{-x^2/2}}{\\sqrt{2\\pi}}";
  auto cdf = [](double x) { return 0.5 * (1.0 + std::erf(x / std::sqrt(2.0))); };
  a.f = [cdf](double x) { return x * cdf(x); };
  a.df = [cdf](double x) {
    return cdf(x) + x * std::exp(-0.5 * x * x) / std::sqrt(2.0 * M_PI);
  };
  a.forward = [](Markdown &md, double x) {
    double erf = std::erf(x / std::sqrt(2.0));
    double cdf = 0.5 * (1.0 + erf);
    double y = x * cdf;
    return "\\operatorname{erf}\\dfrac{" + md.op(x) + "}{\\sqrt 2} = " +
           md.op(erf) + ", \\quad \\Phi = \\dfrac{1 + " + paren(md.op(erf)) +
           "}{2} = " + md.op(cdf) + ", \\quad y = " + md.op(x) + " \\times " +
           md.op(cdf) + " = " + md.num(y);
  };
  a.local = [](Markdown &md, double x) {
    double cdf = 0.5 * (1.0 + std::erf(x / std::sqrt(2.0)));
    double pdf = std::exp(-0.5 * x * x) / std::sqrt(2.0 * M_PI);
    double d = cdf + x * pdf;
    return "\\Phi(" + md.op(x) + ") = " + md.op(cdf) + ", \\quad \\varphi(" +
           md.op(x) + ") = " + md.op(pdf) + ", \\quad " + md.op(cdf) + " + " +
           paren(md.op(x)) + " \\times " + md.op(pdf) + " = " + md.num(d);
  };
  return a;
}

template <Activation (*Describe)(Operation *)>
void forwardSection(Report &r, Operation *op) {
  Markdown &md = r.md;
  Value input = op->getOperand(0);
  const Tensor &x = r.value(input), &y = r.value(op->getResult(0));
  Activation a = Describe(op);
  r.beginSection(op, "forward");
  Index at = r.positionIn(y.shape);
  double xv = x.data[flat(x.shape, at)];
  md.para("Input " + r.describe(input) + " " + shapeStr(x.shape) +
          ", output of the same shape, elementwise. $$" + a.formula + "$$");
  double calculated = a.f(xv);
  std::string steps = a.forward(md, xv);
  md.para("**Explained position** " + indexStr(at) + ": $x = " + md.num(xv) +
          "$. $$" + steps + "$$");
  r.compare("output at " + indexStr(at), calculated,
            y.data[flat(y.shape, at)]);
}

template <typename GradOp, Activation (*Describe)(Operation *)>
void backwardSection(Report &r, Operation *op) {
  auto g = cast<GradOp>(op);
  Markdown &md = r.md;
  const Tensor &dy = r.value(g.getOutputGrad()), &x = r.value(g.getInput()),
               &dx = r.value(g.getInputGrad());
  Activation a = Describe(op);
  r.beginSection(op, "backward");
  Index at = r.positionIn(dy.shape);
  int64_t i = flat(dy.shape, at);
  md.para("$$\\frac{\\partial L}{\\partial x} = \\frac{\\partial L}{\\partial "
          "y} \\cdot \\frac{\\partial y}{\\partial x}, \\qquad " +
          a.derivative + "$$ The derivative is taken at the forward input "
          "$x$, which the backward op reads.");
  double up = r.upstream(g.getOutputGrad(), at);
  double local = a.df(x.data[i]);
  std::string steps = a.local(md, x.data[i]);
  md.para("**Local derivative** at " + indexStr(at) + " ($x = " +
          md.num(x.data[i]) + "$): $$" + steps + "$$");
  md.para("$$\\frac{\\partial L}{\\partial x} = " + md.op(up) + " \\times " +
          paren(md.op(local)) + " = " + md.num(up * local) + "$$");
  r.compare("input gradient at " + indexStr(at), up * local, dx.data[i]);
  std::vector<double> full(dx.size());
  for (int64_t k = 0; k < dx.size(); ++k)
    full[k] = dy.data[k] * a.df(x.data[k]);
  r.compareTensor("input gradient", full, dx);
}


//===----------------------------------------------------------------------===//
// Softmax and LogSoftmax: the whole line along `dim` through the position
//===----------------------------------------------------------------------===//

/// The line along `dim` through position `at` of a tensor of `shape`: the
/// flat offsets of its elements, and the index of `at` in it.
struct Line {
  std::vector<int64_t> offsets;
  int64_t self;
};

Line lineThrough(const std::vector<int64_t> &shape, const Index &at,
                 int64_t dim) {
  Line line;
  Index i = at;
  for (int64_t k = 0; k < shape[dim]; ++k) {
    i[dim] = k;
    line.offsets.push_back(flat(shape, i));
  }
  line.self = at[dim];
  return line;
}

/// The rows of a table of a line: all of them up to 12, else the first 5,
/// the explained one and the last 5 (the sums still take every element),
/// with -1 where rows are left out.
std::vector<int64_t> shownRows(const Line &line) {
  int64_t n = line.offsets.size();
  std::vector<int64_t> rows;
  for (int64_t k = 0; k < n; ++k) {
    if (n <= 12 || k < 5 || k >= n - 5 || k == line.self)
      rows.push_back(k);
    else if (rows.back() != -1)
      rows.push_back(-1);
  }
  return rows;
}

/// A row of "⋮" for the rows a table leaves out.
std::vector<std::string> gapRow(size_t columns) {
  return std::vector<std::string>(columns, "⋮");
}

/// What the table leaves out, if anything.
std::string elided(const Line &line) {
  size_t n = line.offsets.size();
  size_t shown = llvm::count_if(shownRows(line), [](int64_t k) { return k >= 0; });
  return shown == n ? "" : " (" + std::to_string(n - shown) +
                               " rows not shown; the sums take all " +
                               std::to_string(n) + ")";
}

template <typename OpT>
void softmaxForward(Report &r, Operation *op) {
  auto f = cast<OpT>(op);
  bool log = std::is_same_v<OpT, LogSoftmaxOp>;
  Markdown &md = r.md;
  const Tensor &x = r.value(f.getInput()), &y = r.value(f.getOutput());
  int64_t dim = f.getDim();
  r.beginSection(op, "forward");
  Index at = r.positionIn(y.shape);
  Line line = lineThrough(x.shape, at, dim);
  md.para("Input " + r.describe(f.getInput()) + " " + shapeStr(x.shape) +
          ", output of the same shape; each line along dimension " +
          std::to_string(dim) + " (" + std::to_string(line.offsets.size()) +
          " elements) is normalized on its own. Subtracting the line's "
          "maximum $m$ first changes nothing mathematically and keeps "
          "$e^{x}$ from overflowing for large logits. $$" +
          (log ? std::string("y_i = x_i - m - \\log \\sum_k e^{x_k - m}")
               : std::string("y_i = \\dfrac{e^{x_i - m}}{\\sum_k e^{x_k - "
                             "m}}")) +
          ", \\qquad m = \\max_k x_k$$");
  double m = -INFINITY, s = 0;
  for (int64_t o : line.offsets)
    m = std::max(m, x.data[o]);
  for (int64_t o : line.offsets)
    s += std::exp(x.data[o] - m);
  std::vector<std::vector<std::string>> rows;
  for (int64_t k : shownRows(line)) {
    if (k < 0) {
      rows.push_back(gapRow(5));
      continue;
    }
    double v = x.data[line.offsets[k]];
    double yk = log ? v - m - std::log(s) : std::exp(v - m) / s;
    rows.push_back({(k == line.self ? "**" + std::to_string(k) + "**"
                                    : std::to_string(k)),
                    md.num(v), md.num(v - m), md.num(std::exp(v - m)),
                    md.num(yk)});
  }
  md.para("**The line through** " + indexStr(at) + elided(line) + ":");
  md.table({"k", "$x_k$", "$x_k - m$", "$e^{x_k - m}$", "$y_k$"}, rows);
  double xv = x.data[line.offsets[line.self]];
  double calculated = log ? xv - m - std::log(s) : std::exp(xv - m) / s;
  md.para("$m = " + md.num(m) + "$, $\\sum_k e^{x_k - m} = " + md.num(s) +
          "$. At " + indexStr(at) + ": $$" +
          (log ? "y = " + md.op(xv) + " - " + paren(md.op(m)) + " - \\log " +
                     md.op(s) + " = " + md.num(calculated)
               : "y = \\dfrac{e^{" + md.op(xv - m) + "}}{" + md.op(s) +
                     "} = \\dfrac{" + md.op(std::exp(xv - m)) + "}{" +
                     md.op(s) + "} = " + md.num(calculated)) +
          "$$");
  r.compare("output at " + indexStr(at), calculated,
            y.data[flat(y.shape, at)]);
}

template <typename GradOp>
void softmaxBackward(Report &r, Operation *op) {
  auto g = cast<GradOp>(op);
  bool log = std::is_same_v<GradOp, LogSoftmaxGradOp>;
  Markdown &md = r.md;
  const Tensor &dy = r.value(g.getOutputGrad()), &y = r.value(g.getOutput()),
               &dx = r.value(g.getInputGrad());
  int64_t dim = g.getDim();
  r.beginSection(op, "backward");
  Index at = r.positionIn(dy.shape);
  Line line = lineThrough(dy.shape, at, dim);
  if (log)
    md.para("Every output of a line depends on every input of it, so the "
            "gradient is a Jacobian-vector product. With $p = e^{y}$ (the "
            "softmax), $\\partial y_k / \\partial x_i = [k = i] - p_i$, and "
            "summing over the line: $$\\frac{\\partial L}{\\partial x_i} = "
            "\\frac{\\partial L}{\\partial y_i} - p_i \\sum_k "
            "\\frac{\\partial L}{\\partial y_k}$$ computed from the forward "
            "output $y$, without forming the Jacobian.");
  else
    md.para("Every output of a line depends on every input of it, so the "
            "gradient is a Jacobian-vector product: $\\partial y_k / "
            "\\partial x_i = y_k ([k = i] - y_i)$, and summing over the line: "
            "$$\\frac{\\partial L}{\\partial x_i} = y_i \\left( "
            "\\frac{\\partial L}{\\partial y_i} - \\sum_k \\frac{\\partial "
            "L}{\\partial y_k} y_k \\right)$$ computed from the forward "
            "output $y$, without forming the Jacobian.");
  double up = r.upstream(g.getOutputGrad(), at);
  double sum = 0;
  for (int64_t o : line.offsets)
    sum += log ? dy.data[o] : dy.data[o] * y.data[o];
  std::vector<std::vector<std::string>> rows;
  for (int64_t k : shownRows(line)) {
    if (k < 0) {
      rows.push_back(gapRow(4));
      continue;
    }
    int64_t o = line.offsets[k];
    std::string kk = k == line.self ? "**" + std::to_string(k) + "**"
                                    : std::to_string(k);
    if (log)
      rows.push_back({kk, md.num(dy.data[o]), md.num(y.data[o]),
                      md.num(std::exp(y.data[o]))});
    else
      rows.push_back({kk, md.num(dy.data[o]), md.num(y.data[o]),
                      md.num(dy.data[o] * y.data[o])});
  }
  md.para("**The line through** " + indexStr(at) + elided(line) + ":");
  if (log)
    md.table({"k", "$\\partial L/\\partial y_k$", "$y_k$", "$p_k = e^{y_k}$"},
             rows);
  else
    md.table({"k", "$\\partial L/\\partial y_k$", "$y_k$",
              "$\\partial L/\\partial y_k \\cdot y_k$"},
             rows);
  double yi = y.data[line.offsets[line.self]];
  double calculated = log ? up - std::exp(yi) * sum : yi * (up - sum);
  if (log)
    md.para("$\\sum_k \\partial L/\\partial y_k = " + md.num(sum) +
            "$. At " + indexStr(at) + ": $$\\frac{\\partial L}{\\partial x} = " +
            md.op(up) + " - " + md.op(std::exp(yi)) + " \\times " +
            paren(md.op(sum)) + " = " + md.num(calculated) + "$$");
  else
    md.para("$\\sum_k \\partial L/\\partial y_k \\cdot y_k = " + md.num(sum) +
            "$. At " + indexStr(at) + ": $$\\frac{\\partial L}{\\partial x} = " +
            md.op(yi) + " \\times (" + md.op(up) + " - " + paren(md.op(sum)) +
            ") = " + md.num(calculated) + "$$");
  r.compare("input gradient at " + indexStr(at), calculated,
            dx.data[flat(dx.shape, at)]);
  // Every line, recomputed the same way.
  std::vector<double> full(dx.size());
  Index i(dy.shape.size(), 0);
  for (int64_t e = 0; e < dx.size(); ++e) {
    int64_t rest = e;
    for (size_t d = dy.shape.size(); d-- > 0;) {
      i[d] = rest % dy.shape[d];
      rest /= dy.shape[d];
    }
    if (i[dim] != 0)
      continue;
    Line l = lineThrough(dy.shape, i, dim);
    double t = 0;
    for (int64_t o : l.offsets)
      t += log ? dy.data[o] : dy.data[o] * y.data[o];
    for (int64_t o : l.offsets)
      full[o] = log ? dy.data[o] - std::exp(y.data[o]) * t
                    : y.data[o] * (dy.data[o] - t);
  }
  r.compareTensor("input gradient", full, dx);
}

} // namespace

void tcnnc::explain::registerActivationSections(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *ctx, TcnnDialect *) {
    SigmoidOp::attachInterface<
        FnSections<SigmoidOp, forwardSection<sigmoid>>>(*ctx);
    SigmoidGradOp::attachInterface<FnSections<
        SigmoidGradOp, backwardSection<SigmoidGradOp, sigmoid>>>(*ctx);
    TanhOp::attachInterface<FnSections<TanhOp, forwardSection<tanhActivation>>>(
        *ctx);
    TanhGradOp::attachInterface<FnSections<
        TanhGradOp, backwardSection<TanhGradOp, tanhActivation>>>(*ctx);
    EluOp::attachInterface<FnSections<EluOp, forwardSection<elu>>>(*ctx);
    EluGradOp::attachInterface<
        FnSections<EluGradOp, backwardSection<EluGradOp, elu>>>(*ctx);
    GeluOp::attachInterface<FnSections<GeluOp, forwardSection<gelu>>>(*ctx);
    GeluGradOp::attachInterface<
        FnSections<GeluGradOp, backwardSection<GeluGradOp, gelu>>>(*ctx);
    SoftmaxOp::attachInterface<
        FnSections<SoftmaxOp, softmaxForward<SoftmaxOp>>>(*ctx);
    LogSoftmaxOp::attachInterface<
        FnSections<LogSoftmaxOp, softmaxForward<LogSoftmaxOp>>>(*ctx);
    SoftmaxGradOp::attachInterface<
        FnSections<SoftmaxGradOp, softmaxBackward<SoftmaxGradOp>>>(*ctx);
    LogSoftmaxGradOp::attachInterface<
        FnSections<LogSoftmaxGradOp, softmaxBackward<LogSoftmaxGradOp>>>(*ctx);
  });
}
