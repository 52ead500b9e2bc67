//===- LossSections.cpp - explaining the losses and their gradients -------===//

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
double logSumExp(const Tensor &z, int64_t n) {
  double m = z.at(n, 0), s = 0;
  for (int64_t c = 1; c < z.dim(1); ++c)
    m = std::max(m, z.at(n, c));
  for (int64_t c = 0; c < z.dim(1); ++c)
    s += std::exp(z.at(n, c) - m);
  return m + std::log(s);
}
} // namespace

static void lossForward(Report &r, Operation *op) {
  Markdown &md = r.md;
  Value pred = op->getOperand(0), target = op->getOperand(1);
  const Tensor &p = r.value(pred), &t = r.value(target),
               &l = r.value(op->getResult(0));
  r.beginSection(op, "forward");
  if (isa<MseLossOp>(op)) {
    md.para("Prediction " + r.describe(pred) + " and target " +
            r.describe(target) + ", both " + shapeStr(p.shape) +
            "; the loss is a scalar. $$L = \\frac{1}{N} \\sum_{i=0}^{N-1} "
            "(p_i - t_i)^2, \\quad N = " +
            std::to_string(p.size()) + "$$");
    std::vector<std::vector<std::string>> rows;
    std::string sum;
    double exact = 0, rounded = 0;
    for (int64_t i = 0; i < p.size(); ++i) {
      double d = p.data[i] - t.data[i];
      exact += d * d;
      double rd = md.roundedOp(p.data[i]) - md.roundedOp(t.data[i]);
      rounded += rd * rd;
      if (i < 16) {
        rows.push_back({std::to_string(i), md.num(p.data[i]), md.num(t.data[i]),
                        md.num(d * d)});
        sum += (i ? " + " : "") + std::string("(") + md.op(p.data[i]) + " - " +
               paren(md.op(t.data[i])) + ")^2";
      }
    }
    md.table({"element", "prediction p", "target t", "(p - t)²"}, rows);
    if (p.size() > 16)
      md.para("(the first 16 of " + std::to_string(p.size()) + " elements)");
    else
      md.para("$$L = \\frac{1}{" + std::to_string(p.size()) + "} \\left(" +
              sum + "\\right)$$ With the operands rounded as shown, this is " +
              md.num(rounded / p.size()) + ".");
    r.compare("loss", exact / p.size(), l.data[0]);
    return;
  }
  md.para("Logits " + r.describe(pred) + " " + shapeStr(p.shape) +
          " and class indices " + r.describe(target) + " " +
          shapeStr(t.shape) + ". $$L = \\frac{1}{N} \\sum_{n} \\Big( \\log "
          "\\sum_{c} e^{z_{n,c}} - z_{n,t_n} \\Big)$$");
  std::vector<std::vector<std::string>> rows;
  double exact = 0;
  for (int64_t n = 0; n < p.dim(0); ++n) {
    int64_t label = static_cast<int64_t>(t.data[n]);
    double lse = logSumExp(p, n), nll = lse - p.at(n, label);
    exact += nll;
    if (n < 16)
      rows.push_back({std::to_string(n), std::to_string(label), md.num(lse),
                      md.num(p.at(n, label)), md.num(nll)});
  }
  md.table({"n", "label t_n", "log Σ exp z_n", "z_{n,t_n}", "loss of row n"},
           rows);
  r.compare("loss (mean over " + std::to_string(p.dim(0)) + " rows)",
            exact / p.dim(0), l.data[0]);
}

static void lossGrad(Report &r, Operation *op) {
  Markdown &md = r.md;
  const Tensor &dl = r.value(op->getOperand(0)), &p = r.value(op->getOperand(1)),
               &t = r.value(op->getOperand(2)), &dp = r.value(op->getResult(0));
  r.beginSection(op, "backward");
  std::vector<double> full(dp.size());
  if (isa<MseLossGradOp>(op)) {
    md.para("$$\\frac{\\partial L}{\\partial p_i} = \\frac{\\partial "
            "L}{\\partial L} \\cdot \\frac{2 (p_i - t_i)}{N}, \\quad N = " +
            std::to_string(p.size()) + "$$");
    std::vector<std::vector<std::string>> rows;
    for (int64_t i = 0; i < p.size(); ++i) {
      full[i] = dl.data[0] * 2.0 * (p.data[i] - t.data[i]) / p.size();
      if (i < 16)
        rows.push_back({std::to_string(i),
                        "$2 \\times (" + md.op(p.data[i]) + " - " +
                            paren(md.op(t.data[i])) + ") / " +
                            std::to_string(p.size()) + "$",
                        md.num(dp.data[i])});
    }
    md.table({"element", "formula", "$\\partial L/\\partial p$"}, rows);
  } else {
    int64_t n = p.dim(0);
    md.para("$$\\frac{\\partial L}{\\partial z_{n,c}} = \\frac{1}{N} \\Big( "
            "\\operatorname{softmax}(z_n)_c - [c = t_n] \\Big), \\quad N = " +
            std::to_string(n) + "$$");
    for (int64_t b = 0; b < n; ++b) {
      double lse = logSumExp(p, b);
      for (int64_t c = 0; c < p.dim(1); ++c)
        full[b * p.dim(1) + c] =
            dl.data[0] *
            (std::exp(p.at(b, c) - lse) - (c == t.data[b] ? 1.0 : 0.0)) / n;
    }
    Index at = r.positionIn(p.shape);
    std::vector<std::vector<std::string>> rows;
    double lse = logSumExp(p, at[0]);
    for (int64_t c = 0; c < p.dim(1); ++c)
      rows.push_back({std::to_string(c), md.num(std::exp(p.at(at[0], c) - lse)),
                      c == t.data[at[0]] ? "1" : "0",
                      md.num(dp.at(at[0], c))});
    md.para("Row n = " + std::to_string(at[0]) + ":");
    md.table({"class c", "softmax", "[c = t]", "$\\partial L/\\partial z$"},
             rows);
  }
  r.compareTensor("gradient", full, dp);
}

namespace {
/// How a pointwise loss reads: its term of d = p - t and that term's
/// derivative, in LaTeX and as numbers.
struct PointwiseLoss {
  std::string term, derivative;
  std::function<double(double)> f, df;
};

double signOf(double d) { return d > 0 ? 1.0 : d < 0 ? -1.0 : 0.0; }

PointwiseLoss describeLoss(Operation *op) {
  PointwiseLoss l;
  if (isa<L1LossOp, L1LossGradOp>(op)) {
    l.term = "|p_i - t_i|";
    l.derivative = "\\operatorname{sign}(p_i - t_i)";
    l.f = [](double d) { return std::fabs(d); };
    l.df = signOf;
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
  l.f = [beta](double d) {
    return std::fabs(d) < beta ? 0.5 * d * d / beta : std::fabs(d) - 0.5 * beta;
  };
  l.df = [beta](double d) {
    return std::fabs(d) < beta ? d / beta : signOf(d);
  };
  return l;
}
} // namespace

/// L1Loss, SmoothL1Loss: the mean of one term per element.
static void pointwiseLossForward(Report &r, Operation *op) {
  Markdown &md = r.md;
  Value pred = op->getOperand(0), target = op->getOperand(1);
  const Tensor &p = r.value(pred), &t = r.value(target),
               &loss = r.value(op->getResult(0));
  PointwiseLoss l = describeLoss(op);
  r.beginSection(op, "forward");
  md.para("Prediction " + r.describe(pred) + " and target " +
          r.describe(target) + ", both " + shapeStr(p.shape) +
          "; the loss is a scalar, the mean of one term per element. $$L = "
          "\\frac{1}{N} \\sum_{i=0}^{N-1} \\ell_i, \\quad \\ell_i = " +
          l.term + ", \\quad N = " + std::to_string(p.size()) + "$$");
  std::vector<std::vector<std::string>> rows;
  double exact = 0;
  for (int64_t i = 0; i < p.size(); ++i) {
    double d = p.data[i] - t.data[i];
    exact += l.f(d);
    if (i < 16)
      rows.push_back({std::to_string(i), md.num(p.data[i]), md.num(t.data[i]),
                      md.num(d), md.num(l.f(d))});
  }
  md.table({"element", "prediction p", "target t", "p - t", "term"}, rows);
  if (p.size() > 16)
    md.para("(the first 16 of " + std::to_string(p.size()) + " elements)");
  r.compare("loss", exact / p.size(), loss.data[0]);
}

static void pointwiseLossGrad(Report &r, Operation *op) {
  Markdown &md = r.md;
  const Tensor &dl = r.value(op->getOperand(0)), &p = r.value(op->getOperand(1)),
               &t = r.value(op->getOperand(2)), &dp = r.value(op->getResult(0));
  PointwiseLoss l = describeLoss(op);
  r.beginSection(op, "backward");
  md.para("$$\\frac{\\partial L}{\\partial p_i} = \\frac{\\partial "
          "L}{\\partial L} \\cdot \\frac{1}{N} \\cdot " +
          l.derivative + ", \\quad N = " + std::to_string(p.size()) + "$$");
  std::vector<std::vector<std::string>> rows;
  std::vector<double> full(dp.size());
  for (int64_t i = 0; i < p.size(); ++i) {
    double d = p.data[i] - t.data[i];
    full[i] = dl.data[0] * l.df(d) / p.size();
    if (i < 16)
      rows.push_back({std::to_string(i), md.num(d), md.num(l.df(d)),
                      md.num(dp.data[i])});
  }
  md.table({"element", "p - t", "derivative of the term",
            "$\\partial L/\\partial p$"},
           rows);
  r.compareTensor("gradient", full, dp);
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
    MseLossOp::attachInterface<FnSections<MseLossOp, lossForward>>(*ctx);
    CrossEntropyLossOp::attachInterface<
        FnSections<CrossEntropyLossOp, lossForward>>(*ctx);
    MseLossGradOp::attachInterface<FnSections<MseLossGradOp, lossGrad>>(*ctx);
    L1LossOp::attachInterface<FnSections<L1LossOp, pointwiseLossForward>>(*ctx);
    L1LossGradOp::attachInterface<FnSections<L1LossGradOp, pointwiseLossGrad>>(
        *ctx);
    SmoothL1LossOp::attachInterface<
        FnSections<SmoothL1LossOp, pointwiseLossForward>>(*ctx);
    SmoothL1LossGradOp::attachInterface<
        FnSections<SmoothL1LossGradOp, pointwiseLossGrad>>(*ctx);
    CrossEntropyLossGradOp::attachInterface<
        FnSections<CrossEntropyLossGradOp, lossGrad>>(*ctx);
  });
}
