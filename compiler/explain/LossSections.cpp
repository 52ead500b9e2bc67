//===- LossSections.cpp - explaining the losses and their gradients -------===//
//
// A loss is a reduction of terms: one per element for the pointwise
// losses, one per row for the class-index losses. The forward section
// tabulates the terms and recomputes their mean or sum; the backward
// section shows each term's derivative and recomputes the whole gradient.
//
//===----------------------------------------------------------------------===//

#include "compiler/explain/ExplainInterface.h"
#include "compiler/explain/Report.h"

#include "dialect/TcnnOps.h"

#include <algorithm>
#include <cmath>
#include <functional>

using namespace mlir;
using namespace mlir::tcnn;
using tcnnc::Tensor;
using namespace tcnnc::explain;

namespace {
/// How a loss reduces its `count` terms: the LaTeX of L in terms of the
/// sum `sum`, and the factor.
struct Reduction {
  bool mean;
  int64_t count;
  double factor() const { return mean ? 1.0 / static_cast<double>(count) : 1.0; }
  std::string of(const std::string &sum) const {
    return mean ? "\\frac{1}{N} " + sum : sum;
  }
  std::string countNote() const {
    return mean ? ", \\quad N = " + std::to_string(count) : "";
  }
  std::string name() const { return mean ? "mean" : "sum"; }
};

Reduction reductionOf(Operation *op, int64_t count) {
  auto attr = op->getAttrOfType<StringAttr>("reduction");
  return {!attr || attr.getValue() == "mean", count};
}

double signOf(double d) { return d > 0 ? 1.0 : d < 0 ? -1.0 : 0.0; }

/// How a pointwise loss reads: its term of prediction p and target t and
/// that term's derivative, in LaTeX and as numbers; `substitute` writes the
/// term with numbers in it, where that is short.
struct PointwiseLoss {
  std::string term, derivative;
  std::function<double(double, double)> f, df;
  bool ofDifference = true; ///< a function of p - t (all but BCE)
  std::function<std::string(const std::string &, const std::string &)>
      substitute, substituteDerivative;
};

PointwiseLoss describeLoss(Operation *op) {
  PointwiseLoss l;
  if (isa<MseLossOp, MseLossGradOp>(op)) {
    l.term = "(p_i - t_i)^2";
    l.derivative = "2 (p_i - t_i)";
    l.f = [](double p, double t) { return (p - t) * (p - t); };
    l.df = [](double p, double t) { return 2.0 * (p - t); };
    l.substitute = [](const std::string &p, const std::string &t) {
      return "(" + p + " - " + t + ")^2";
    };
    l.substituteDerivative = [](const std::string &p, const std::string &t) {
      return "2 \\times (" + p + " - " + t + ")";
    };
    return l;
  }
  if (isa<L1LossOp, L1LossGradOp>(op)) {
    l.term = "|p_i - t_i|";
    l.derivative = "\\operatorname{sign}(p_i - t_i)";
    l.f = [](double p, double t) { return std::fabs(p - t); };
    l.df = [](double p, double t) { return signOf(p - t); };
    l.substitute = [](const std::string &p, const std::string &t) {
      return "|" + p + " - " + t + "|";
    };
    return l;
  }
  if (isa<BceWithLogitsLossOp, BceWithLogitsLossGradOp>(op)) {
    l.ofDifference = false;
    l.term = "-\\big(t_i \\log \\sigma(p_i) + (1 - t_i) \\log(1 - "
             "\\sigma(p_i))\\big) = \\max(p_i, 0) - p_i t_i + \\log(1 + "
             "e^{-|p_i|})";
    l.derivative = "\\big(\\sigma(p_i) - t_i\\big), \\quad \\sigma(p) = "
                   "\\frac{1}{1 + e^{-p}}";
    l.f = [](double x, double y) {
      return std::max(x, 0.0) - x * y + std::log1p(std::exp(-std::fabs(x)));
    };
    l.df = [](double x, double y) { return 1.0 / (1.0 + std::exp(-x)) - y; };
    return l;
  }
  double beta = isa<SmoothL1LossOp>(op)
                    ? cast<SmoothL1LossOp>(op).getBeta().convertToDouble()
                    : cast<SmoothL1LossGradOp>(op).getBeta().convertToDouble();
  l.term = "\\begin{cases} \\frac{(p_i - t_i)^2}{2\\beta} & |p_i - t_i| < "
           "\\beta \\\\ |p_i - t_i| - \\frac{\\beta}{2} & \\text{otherwise} "
           "\\end{cases}, \\quad \\beta = " +
           std::to_string(beta);
  l.derivative = "\\begin{cases} \\frac{p_i - t_i}{\\beta} & |p_i - t_i| < "
                 "\\beta \\\\ \\operatorname{sign}(p_i - t_i) & "
                 "\\text{otherwise} \\end{cases}";
  l.f = [beta](double p, double t) {
    double d = p - t;
    return std::fabs(d) < beta ? 0.5 * d * d / beta : std::fabs(d) - 0.5 * beta;
  };
  l.df = [beta](double p, double t) {
    double d = p - t;
    return std::fabs(d) < beta ? d / beta : signOf(d);
  };
  return l;
}
} // namespace

/// MSELoss, L1Loss, SmoothL1Loss, BCEWithLogitsLoss: one term per element.
static void pointwiseLossForward(Report &r, Operation *op) {
  Markdown &md = r.md;
  Value pred = op->getOperand(0), target = op->getOperand(1);
  const Tensor &p = r.value(pred), &t = r.value(target),
               &loss = r.value(op->getResult(0));
  PointwiseLoss l = describeLoss(op);
  Reduction red = reductionOf(op, p.size());
  r.beginSection(op, "forward");
  md.para("Prediction " + r.describe(pred) + " and target " +
          r.describe(target) + ", both " + shapeStr(p.shape) +
          "; the loss is a scalar, the " + red.name() +
          " of one term per element. $$L = " +
          red.of("\\sum_{i=0}^{N-1} \\ell_i") + ", \\quad \\ell_i = " + l.term +
          ", \\quad N = " + std::to_string(p.size()) + "$$");
  std::vector<std::vector<std::string>> rows;
  std::string sum;
  double exact = 0, rounded = 0;
  for (int64_t i = 0; i < p.size(); ++i) {
    double term = l.f(p.data[i], t.data[i]);
    exact += term;
    rounded += l.f(md.roundedOp(p.data[i]), md.roundedOp(t.data[i]));
    if (i >= 16)
      continue;
    std::vector<std::string> row = {std::to_string(i), md.num(p.data[i]),
                                    md.num(t.data[i])};
    if (l.ofDifference)
      row.push_back(md.num(p.data[i] - t.data[i]));
    row.push_back(md.num(term));
    rows.push_back(row);
    if (l.substitute)
      sum += (i ? " + " : "") +
             l.substitute(md.op(p.data[i]), paren(md.op(t.data[i])));
  }
  std::vector<std::string> head = {"element", "prediction p", "target t"};
  if (l.ofDifference)
    head.push_back("p - t");
  head.push_back("term");
  md.table(head, rows);
  if (p.size() > 16)
    md.para("(the first 16 of " + std::to_string(p.size()) + " elements)");
  else if (l.substitute)
    md.para("$$L = " +
            (red.mean ? "\\frac{1}{" + std::to_string(p.size()) + "} " : "") +
            "\\left(" + sum +
            "\\right)$$ With the operands rounded as shown, this is " +
            md.num(rounded * red.factor()) + ".");
  r.compare("loss", exact * red.factor(), loss.data[0]);
}

static void pointwiseLossGrad(Report &r, Operation *op) {
  Markdown &md = r.md;
  const Tensor &dl = r.value(op->getOperand(0)), &p = r.value(op->getOperand(1)),
               &t = r.value(op->getOperand(2)), &dp = r.value(op->getResult(0));
  PointwiseLoss l = describeLoss(op);
  Reduction red = reductionOf(op, p.size());
  r.beginSection(op, "backward");
  md.para("$$\\frac{\\partial L}{\\partial p_i} = \\frac{\\partial "
          "L}{\\partial L} \\cdot " +
          std::string(red.mean ? "\\frac{1}{N} \\cdot " : "") + l.derivative +
          red.countNote() + "$$");
  std::vector<std::vector<std::string>> rows;
  std::vector<double> full(dp.size());
  for (int64_t i = 0; i < p.size(); ++i) {
    double d = l.df(p.data[i], t.data[i]);
    full[i] = dl.data[0] * d * red.factor();
    if (i >= 16)
      continue;
    std::vector<std::string> row = {std::to_string(i)};
    if (l.substituteDerivative) {
      double printed = dl.data[0] * red.factor() *
                       l.df(md.roundedOp(p.data[i]), md.roundedOp(t.data[i]));
      row.push_back(md.formula(
          l.substituteDerivative(md.op(p.data[i]), paren(md.op(t.data[i]))) +
              (red.mean ? " / " + std::to_string(p.size()) : ""),
          full[i], printed));
    } else {
      row.push_back(
          md.num(l.ofDifference ? p.data[i] - t.data[i] : p.data[i]));
      if (!l.ofDifference)
        row.push_back(md.num(t.data[i]));
      row.push_back(md.num(d));
    }
    row.push_back(md.num(dp.data[i]));
    rows.push_back(row);
  }
  std::vector<std::string> head = {"element"};
  if (l.substituteDerivative) {
    head.push_back("formula");
  } else if (l.ofDifference) {
    head.push_back("p - t");
  } else {
    head.push_back("prediction p");
    head.push_back("target t");
  }
  if (!l.substituteDerivative)
    head.push_back("derivative of the term");
  head.push_back("$\\partial L/\\partial p$");
  md.table(head, rows);
  if (p.size() > 16)
    md.para("(the first 16 of " + std::to_string(p.size()) + " elements)");
  r.compareTensor("gradient", full, dp);
}

namespace {
double logSumExp(const Tensor &z, int64_t n) {
  double m = z.at(n, 0), s = 0;
  for (int64_t c = 1; c < z.dim(1); ++c)
    m = std::max(m, z.at(n, c));
  for (int64_t c = 0; c < z.dim(1); ++c)
    s += std::exp(z.at(n, c) - m);
  return m + std::log(s);
}

double labelSmoothing(Operation *op) {
  if (auto ce = dyn_cast<CrossEntropyLossOp>(op))
    return ce.getLabelSmoothing().convertToDouble();
  if (auto ce = dyn_cast<CrossEntropyLossGradOp>(op))
    return ce.getLabelSmoothing().convertToDouble();
  return 0.0;
}

/// q[n, c] of cross entropy: (1 - e) [c == t] + e / C.
double targetProbability(int64_t c, int64_t t, double e, int64_t classes) {
  return (c == t ? 1.0 - e : 0.0) + e / static_cast<double>(classes);
}
} // namespace

/// CrossEntropyLoss, NLLLoss: one term per row, from the row's scores and
/// label.
static void classLossForward(Report &r, Operation *op) {
  Markdown &md = r.md;
  Value scores = op->getOperand(0), target = op->getOperand(1);
  const Tensor &z = r.value(scores), &t = r.value(target),
               &l = r.value(op->getResult(0));
  int64_t n = z.dim(0), classes = z.dim(1);
  Reduction red = reductionOf(op, n);
  bool nll = isa<NllLossOp>(op);
  double e = labelSmoothing(op);
  r.beginSection(op, "forward");
  std::string term =
      nll ? "-z_{n,t_n}"
      : e == 0.0
          ? "\\log \\sum_{c} e^{z_{n,c}} - z_{n,t_n}"
          : "\\log \\sum_{c} e^{z_{n,c}} - (1 - \\varepsilon) z_{n,t_n} - "
            "\\frac{\\varepsilon}{C} \\sum_c z_{n,c}, \\quad \\varepsilon = " +
                md.num(e) + ", \\quad C = " + std::to_string(classes);
  md.para(std::string(nll ? "Log-probabilities " : "Logits ") +
          r.describe(scores) + " " + shapeStr(z.shape) + " and class indices " +
          r.describe(target) + " " + shapeStr(t.shape) + ". $$L = " +
          red.of("\\sum_{n} \\ell_n") + ", \\quad \\ell_n = " + term +
          red.countNote() + "$$");
  std::vector<std::vector<std::string>> rows;
  double exact = 0;
  for (int64_t b = 0; b < n; ++b) {
    auto label = static_cast<int64_t>(t.data[b]);
    double rowLoss = 0, lse = nll ? 0 : logSumExp(z, b), meanZ = 0;
    for (int64_t c = 0; c < classes; ++c)
      meanZ += z.at(b, c) / static_cast<double>(classes);
    if (nll)
      rowLoss = -z.at(b, label);
    else
      for (int64_t c = 0; c < classes; ++c)
        rowLoss += targetProbability(c, label, e, classes) * (lse - z.at(b, c));
    exact += rowLoss;
    if (b >= 16)
      continue;
    std::vector<std::string> row = {std::to_string(b), std::to_string(label)};
    if (!nll)
      row.push_back(md.num(lse));
    row.push_back(md.num(z.at(b, label)));
    if (e != 0.0)
      row.push_back(md.num(meanZ));
    row.push_back(md.num(rowLoss));
    rows.push_back(row);
  }
  std::vector<std::string> head = {"n", "label t_n"};
  if (!nll)
    head.push_back("log Σ exp z_n");
  head.push_back("z_{n,t_n}");
  if (e != 0.0)
    head.push_back("(1/C) Σ_c z_{n,c}");
  head.push_back("loss of row n");
  md.table(head, rows);
  if (n > 16)
    md.para("(the first 16 of " + std::to_string(n) + " rows)");
  r.compare("loss (" + red.name() + " over " + std::to_string(n) + " rows)",
            exact * red.factor(), l.data[0]);
}

static void classLossGrad(Report &r, Operation *op) {
  Markdown &md = r.md;
  const Tensor &dl = r.value(op->getOperand(0)), &z = r.value(op->getOperand(1)),
               &t = r.value(op->getOperand(2)), &dz = r.value(op->getResult(0));
  int64_t n = z.dim(0), classes = z.dim(1);
  Reduction red = reductionOf(op, n);
  bool nll = isa<NllLossGradOp>(op);
  double e = labelSmoothing(op);
  r.beginSection(op, "backward");
  std::string scale = "\\frac{\\partial L}{\\partial L} \\cdot " +
                      std::string(red.mean ? "\\frac{1}{N} " : "");
  md.para("$$\\frac{\\partial L}{\\partial z_{n,c}} = " + scale +
          (nll ? "\\big(-[c = t_n]\\big)"
               : "\\Big( \\operatorname{softmax}(z_n)_c - " +
                     std::string(e == 0.0 ? "[c = t_n]" : "q_{n,c}") +
                     " \\Big)") +
          red.countNote() +
          (e == 0.0 ? ""
                    : ", \\quad q_{n,c} = (1 - \\varepsilon) [c = t_n] + "
                      "\\frac{\\varepsilon}{C}, \\quad \\varepsilon = " +
                          md.num(e)) +
          "$$");
  std::vector<double> full(dz.size());
  for (int64_t b = 0; b < n; ++b) {
    auto label = static_cast<int64_t>(t.data[b]);
    double lse = nll ? 0 : logSumExp(z, b);
    for (int64_t c = 0; c < classes; ++c) {
      double q = targetProbability(c, label, e, classes);
      full[b * classes + c] =
          dl.data[0] * red.factor() *
          (nll ? -q : std::exp(z.at(b, c) - lse) - q);
    }
  }
  Index at = r.positionIn(z.shape);
  auto label = static_cast<int64_t>(t.data[at[0]]);
  double lse = nll ? 0 : logSumExp(z, at[0]);
  std::vector<std::vector<std::string>> rows;
  for (int64_t c = 0; c < classes; ++c) {
    std::vector<std::string> row = {std::to_string(c)};
    if (!nll)
      row.push_back(md.num(std::exp(z.at(at[0], c) - lse)));
    row.push_back(md.num(targetProbability(c, label, e, classes)));
    row.push_back(md.num(dz.at(at[0], c)));
    rows.push_back(row);
  }
  md.para("Row n = " + std::to_string(at[0]) + ":");
  std::vector<std::string> head = {"class c"};
  if (!nll)
    head.push_back("softmax");
  head.push_back(e == 0.0 ? "[c = t]" : "q");
  head.push_back("$\\partial L/\\partial z$");
  md.table(head, rows);
  r.compareTensor("gradient", full, dz);
}

void tcnnc::explain::seedGradient(Report &r, Operation *op) {
  std::string loss = r.nameOf(
      op->getParentOfType<func::FuncOp>().getBody().front().getTerminator()
          ->getOperand(0));
  r.md.heading(3, "`" + loss + "`: the seed of the backward pass");
  r.md.line("```mlir");
  r.md.line(r.irLine(op));
  r.md.line("```");
  r.md.line("");
  r.md.para("Reverse mode starts from $\\partial L/\\partial L = 1$.");
}

void tcnnc::explain::registerLossSections(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *ctx, TcnnDialect *) {
    MseLossOp::attachInterface<FnSections<MseLossOp, pointwiseLossForward>>(
        *ctx);
    MseLossGradOp::attachInterface<
        FnSections<MseLossGradOp, pointwiseLossGrad>>(*ctx);
    L1LossOp::attachInterface<FnSections<L1LossOp, pointwiseLossForward>>(*ctx);
    L1LossGradOp::attachInterface<FnSections<L1LossGradOp, pointwiseLossGrad>>(
        *ctx);
    SmoothL1LossOp::attachInterface<
        FnSections<SmoothL1LossOp, pointwiseLossForward>>(*ctx);
    SmoothL1LossGradOp::attachInterface<
        FnSections<SmoothL1LossGradOp, pointwiseLossGrad>>(*ctx);
    BceWithLogitsLossOp::attachInterface<
        FnSections<BceWithLogitsLossOp, pointwiseLossForward>>(*ctx);
    BceWithLogitsLossGradOp::attachInterface<
        FnSections<BceWithLogitsLossGradOp, pointwiseLossGrad>>(*ctx);
    CrossEntropyLossOp::attachInterface<
        FnSections<CrossEntropyLossOp, classLossForward>>(*ctx);
    CrossEntropyLossGradOp::attachInterface<
        FnSections<CrossEntropyLossGradOp, classLossGrad>>(*ctx);
    NllLossOp::attachInterface<FnSections<NllLossOp, classLossForward>>(*ctx);
    NllLossGradOp::attachInterface<FnSections<NllLossGradOp, classLossGrad>>(
        *ctx);
  });
}
