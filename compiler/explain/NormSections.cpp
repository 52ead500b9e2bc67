//===- NormSections.cpp - batch normalization, forward and backward -------===//
//
// BatchNorm is where students most need the intermediate quantities: each
// section recomputes the channel's statistics from the input, shows the
// mean, the variance, the normalized value, scale and shift (or the three
// terms of the input gradient) with the numbers, and compares with the
// interpreter.
//
//===----------------------------------------------------------------------===//

#include "compiler/explain/ExplainInterface.h"
#include "compiler/explain/Report.h"

#include "dialect/TcnnOps.h"

#include <cmath>

using namespace mlir;
using namespace mlir::tcnn;
using tcnnc::Tensor;
using namespace tcnnc::explain;

namespace {

/// Channel c's statistics, recomputed here from the formula.
struct Stats {
  double mean = 0, var = 0; ///< var: biased
  int64_t count = 0;
};

Stats channelStats(const Tensor &x, int64_t c) {
  Stats s;
  s.count = x.dim(0) * x.dim(2) * x.dim(3);
  for (int64_t n = 0; n < x.dim(0); ++n)
    for (int64_t h = 0; h < x.dim(2); ++h)
      for (int64_t w = 0; w < x.dim(3); ++w)
        s.mean += x.at(n, c, h, w);
  s.mean /= s.count;
  for (int64_t n = 0; n < x.dim(0); ++n)
    for (int64_t h = 0; h < x.dim(2); ++h)
      for (int64_t w = 0; w < x.dim(3); ++w)
        s.var += (x.at(n, c, h, w) - s.mean) * (x.at(n, c, h, w) - s.mean);
  s.var /= s.count;
  return s;
}

std::string sub(const std::string &s, int64_t c) {
  return s + "_{" + std::to_string(c) + "}";
}

/// The statistics an op normalizes with at channel c: the batch's, or the
/// running ones.
Stats statsOf(Report &r, const Tensor &x, int64_t c, bool batch,
              Value runningMean, Value runningVar) {
  if (batch)
    return channelStats(x, c);
  return {r.value(runningMean).data[c], r.value(runningVar).data[c], 0};
}

/// statsOf, written out: the batch's with their formulas, or the running
/// ones.
Stats normalizer(Report &r, const Tensor &x, int64_t c, bool batch,
                 Value runningMean, Value runningVar) {
  Markdown &md = r.md;
  Stats s = statsOf(r, x, c, batch, runningMean, runningVar);
  if (!batch) {
    md.para("Inference mode: the **running statistics** of channel " +
            std::to_string(c) + ", $" + sub("\\hat\\mu", c) + " = " +
            md.num(s.mean) + "$ and $" + sub("\\hat\\sigma^2", c) + " = " +
            md.num(s.var) + "$, stand for the batch's.");
    return s;
  }
  md.para("Training mode: the **batch statistics** of channel " +
          std::to_string(c) + " over its " + std::to_string(s.count) +
          " values (N·H·W): $$" + sub("\\mu", c) +
          " = \\frac{1}{NHW}\\sum_{n,h,w} x_{n," + std::to_string(c) +
          ",h,w} = " + md.num(s.mean) + "\\qquad " + sub("\\sigma^2", c) +
          " = \\frac{1}{NHW}\\sum_{n,h,w} (x_{n," + std::to_string(c) +
          ",h,w} - " + sub("\\mu", c) + ")^2 = " + md.num(s.var) +
          "$$ (the biased variance, as PyTorch normalizes with).");
  return s;
}

/// Every channel's mean and 1 / sqrt(var + eps) a gradient op normalizes
/// with, and xhat of each element.
struct Normalized {
  std::vector<double> mean, invstd;
  int64_t hw;
  int64_t channelOf(int64_t k) const {
    return (k / hw) % static_cast<int64_t>(mean.size());
  }
  double xhat(const Tensor &x, int64_t k) const {
    return (x.data[k] - mean[channelOf(k)]) * invstd[channelOf(k)];
  }
};

template <typename GradOp>
Normalized normalizeAll(Report &r, GradOp g, const Tensor &x) {
  Normalized n{{}, {}, x.dim(2) * x.dim(3)};
  double eps = g.getEps().convertToDouble();
  for (int64_t c = 0; c < x.dim(1); ++c) {
    Stats s = statsOf(r, x, c, g.getTraining(), g.getRunningMean(),
                      g.getRunningVar());
    n.mean.push_back(s.mean);
    n.invstd.push_back(1.0 / std::sqrt(s.var + eps));
  }
  return n;
}

double optionalAt(Report &r, Value v, int64_t c, double dflt) {
  return v ? r.value(v).data[c] : dflt;
}

void batchNormForward(Report &r, Operation *op) {
  auto f = cast<BatchNorm2dOp>(op);
  Markdown &md = r.md;
  const Tensor &x = r.value(f.getInput()), &y = r.value(f.getOutput());
  double eps = f.getEps().convertToDouble();
  r.beginSection(op, "forward");
  Index at = r.positionIn(y.shape);
  int64_t c = at[1];
  md.para("Input " + r.describe(f.getInput()) + " " + shapeStr(x.shape) +
          ", output of the same shape. Each channel is normalized to mean 0 "
          "and variance 1, then scaled and shifted: $$y_{n,c,h,w} = "
          "\\gamma_c \\, \\hat x_{n,c,h,w} + \\beta_c, \\qquad \\hat x = "
          "\\frac{x - \\mu_c}{\\sqrt{\\sigma^2_c + \\epsilon}}, \\quad "
          "\\epsilon = " +
          md.num(eps) + "$$");
  Stats s = normalizer(r, x, c, f.getTraining() || !f.getRunningMean(),
                       f.getRunningMean(), f.getRunningVar());
  double xv = x.data[flat(x.shape, at)];
  double invstd = 1.0 / std::sqrt(s.var + eps);
  double xhat = (xv - s.mean) * invstd;
  double gamma = optionalAt(r, f.getWeight(), c, 1.0);
  double beta = optionalAt(r, f.getBias(), c, 0.0);
  md.para("**Explained position** " + indexStr(at) + ": $x = " + md.op(xv) +
          "$, so $$\\hat x = \\frac{" + md.op(xv) + " - " + paren(md.op(s.mean)) +
          "}{\\sqrt{" + md.op(s.var) + " + " + md.num(eps) + "}} = " +
          md.num(xhat) + "$$ and, with scale $\\gamma_" + std::to_string(c) +
          " = " + md.num(gamma) + "$ and shift $\\beta_" + std::to_string(c) +
          " = " + md.num(beta) + "$" +
          (f.getWeight() ? "" : " (affine=False)") + ", $$y = " +
          md.op(gamma) + " \\times " + paren(md.op(xhat)) + " + " +
          paren(md.op(beta)) + " = " + md.num(gamma * xhat + beta) + "$$");
  r.compare("output at " + indexStr(at), gamma * xhat + beta,
            y.data[flat(y.shape, at)]);
}

void batchNormUpdate(Report &r, Operation *op) {
  auto u = cast<BatchNorm2dUpdateOp>(op);
  Markdown &md = r.md;
  const Tensor &x = r.value(u.getInput());
  const Tensor &mean = r.value(u.getRunningMean()),
               &var = r.value(u.getRunningVar());
  const Tensor &newMean = r.value(u.getNewMean()),
               &newVar = r.value(u.getNewVar());
  double m = u.getMomentum().convertToDouble();
  r.beginSection(op, "running statistics");
  int64_t c = r.positionIn(x.shape)[1];
  if (!u.getTraining()) {
    md.para("Inference mode: the running statistics stay as they are.");
    r.compareTensor("running mean", mean.data, newMean);
    return;
  }
  Stats s = channelStats(x, c);
  double unbiased = s.var * s.count / std::max<int64_t>(s.count - 1, 1);
  double nm = (1 - m) * mean.data[c] + m * s.mean;
  double nv = (1 - m) * var.data[c] + m * unbiased;
  md.para("After a training step PyTorch moves the running statistics "
          "towards the batch's, with momentum $m = " +
          md.num(m) + "$ and the **unbiased** batch variance (divided by "
          "NHW - 1 = " + std::to_string(s.count - 1) +
          "): $$\\hat\\mu \\leftarrow (1 - m)\\,\\hat\\mu + m\\,\\mu, "
          "\\qquad \\hat\\sigma^2 \\leftarrow (1 - m)\\,\\hat\\sigma^2 + m\\,"
          "\\frac{NHW}{NHW - 1}\\sigma^2$$");
  md.para("Channel " + std::to_string(c) + ": $\\mu = " + md.num(s.mean) +
          "$, so $" + md.op(1 - m) + " \\times " + paren(md.op(mean.data[c])) +
          " + " + md.op(m) + " \\times " + paren(md.op(s.mean)) + " = " +
          md.num(nm) + "$; the unbiased variance is $" + md.num(unbiased) +
          "$, so $" + md.op(1 - m) + " \\times " + md.op(var.data[c]) + " + " +
          md.op(m) + " \\times " + md.op(unbiased) + " = " + md.num(nv) +
          "$.");
  r.compare("running mean of channel " + std::to_string(c), nm,
            newMean.data[c]);
  r.compare("running variance of channel " + std::to_string(c), nv,
            newVar.data[c]);
}

void batchNormInputGrad(Report &r, Operation *op) {
  auto g = cast<BatchNorm2dGradOp>(op);
  Markdown &md = r.md;
  const Tensor &dy = r.value(g.getOutputGrad()), &x = r.value(g.getInput()),
               &dx = r.value(g.getInputGrad());
  r.beginSection(op, "backward");
  Index at = r.positionIn(dy.shape);
  int64_t c = at[1];
  double up = r.upstream(g.getOutputGrad(), at);
  bool batch = g.getTraining();
  normalizer(r, x, c, batch, g.getRunningMean(), g.getRunningVar());
  // The whole channel's means, then every element (for the comparison).
  Normalized all = normalizeAll(r, g, x);
  double scale = optionalAt(r, g.getWeight(), c, 1.0) * all.invstd[c];
  int64_t channels = x.dim(1), count = x.dim(0) * x.dim(2) * x.dim(3);
  std::vector<double> meanDy(channels), meanDyXhat(channels);
  for (int64_t k = 0; k < dx.size(); ++k) {
    meanDy[all.channelOf(k)] += dy.data[k] / count;
    meanDyXhat[all.channelOf(k)] += dy.data[k] * all.xhat(x, k) / count;
  }
  std::vector<double> full(dx.size());
  for (int64_t k = 0; k < dx.size(); ++k) {
    int64_t ch = all.channelOf(k);
    double s = optionalAt(r, g.getWeight(), ch, 1.0) * all.invstd[ch];
    full[k] = batch ? s * (dy.data[k] - meanDy[ch] -
                           all.xhat(x, k) * meanDyXhat[ch])
                    : s * dy.data[k];
  }
  int64_t i = flat(dy.shape, at);
  if (!batch) {
    md.para("In inference mode the statistics are constants, so the layer is "
            "an affine map per channel: $$\\frac{\\partial L}{\\partial x} = "
            "\\frac{\\gamma_c}{\\sqrt{\\hat\\sigma^2_c + \\epsilon}} \\cdot "
            "\\frac{\\partial L}{\\partial y} = " +
            md.op(scale) + " \\times " + paren(md.op(up)) + " = " +
            md.num(scale * up) + "$$");
  } else {
    md.para("In training mode every input of the channel moves its mean and "
            "variance, so the gradient has **three terms**: the direct one, "
            "minus the share through the mean, minus the share through the "
            "variance: $$\\frac{\\partial L}{\\partial x} = s_c \\Big( "
            "\\frac{\\partial L}{\\partial y} - \\overline{\\frac{\\partial "
            "L}{\\partial y}} - \\hat x \\, \\overline{\\frac{\\partial L}"
            "{\\partial y}\\hat x} \\Big), \\qquad s_c = \\frac{\\gamma_c}"
            "{\\sqrt{\\sigma^2_c + \\epsilon}}$$ where the bars are means "
            "over the channel's N·H·W positions.");
    double xh = all.xhat(x, i);
    md.para("Channel " + std::to_string(c) + ": $s_c = " + md.num(scale) +
            "$, mean of $\\partial L/\\partial y$ = " + md.num(meanDy[c]) +
            ", mean of $\\partial L/\\partial y \\cdot \\hat x$ = " +
            md.num(meanDyXhat[c]) + "; at " + indexStr(at) +
            " $\\hat x = " + md.num(xh) + "$: $$" + md.op(scale) +
            " \\times \\big(" + md.op(up) + " - " + paren(md.op(meanDy[c])) +
            " - " + paren(md.op(xh)) + " \\times " +
            paren(md.op(meanDyXhat[c])) + "\\big) = " + md.num(full[i]) +
            "$$");
  }
  r.compare("input gradient at " + indexStr(at), full[i], dx.data[i]);
  r.compareTensor("input gradient", full, dx);
}

void batchNormWeightGrad(Report &r, Operation *op) {
  auto g = cast<BatchNorm2dWeightGradOp>(op);
  Markdown &md = r.md;
  const Tensor &dy = r.value(g.getOutputGrad()), &x = r.value(g.getInput()),
               &dw = r.value(g.getWeightGrad());
  r.beginSection(op, "backward, weight gradient");
  Index at = r.positionIn(dy.shape);
  double up = r.upstream(g.getOutputGrad(), at);
  int64_t c = at[1];
  normalizer(r, x, c, g.getTraining(), g.getRunningMean(), g.getRunningVar());
  Normalized all = normalizeAll(r, g, x);
  double xh = all.xhat(x, flat(x.shape, at));
  md.para("The scale multiplies the normalized input: **this position's "
          "contribution** to $\\partial L/\\partial \\gamma_" +
          std::to_string(c) + "$ is $" + paren(md.op(up)) + " \\times " +
          paren(md.op(xh)) + " = " + md.num(up * xh) +
          "$; the **full gradient** sums the channel: $$\\frac{\\partial L}"
          "{\\partial \\gamma_c} = \\sum_{n,h,w} \\frac{\\partial L}{\\partial "
          "y_{n,c,h,w}} \\, \\hat x_{n,c,h,w}$$");
  std::vector<double> full(dw.size(), 0.0);
  for (int64_t k = 0; k < dy.size(); ++k)
    full[all.channelOf(k)] += dy.data[k] * all.xhat(x, k);
  r.compareTensor("weight gradient", full, dw);
}

} // namespace

void tcnnc::explain::registerNormSections(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *ctx, TcnnDialect *) {
    BatchNorm2dOp::attachInterface<FnSections<BatchNorm2dOp, batchNormForward>>(
        *ctx);
    BatchNorm2dUpdateOp::attachInterface<
        FnSections<BatchNorm2dUpdateOp, batchNormUpdate>>(*ctx);
    BatchNorm2dGradOp::attachInterface<
        FnSections<BatchNorm2dGradOp, batchNormInputGrad>>(*ctx);
    BatchNorm2dWeightGradOp::attachInterface<
        FnSections<BatchNorm2dWeightGradOp, batchNormWeightGrad>>(*ctx);
  });
}
