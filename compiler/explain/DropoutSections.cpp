//===- DropoutSections.cpp - dropout's mask, masking and generator --------===//

#include "compiler/explain/ExplainInterface.h"
#include "compiler/explain/Report.h"

#include "dialect/TcnnOps.h"

using namespace mlir;
using namespace mlir::tcnn;
using tcnnc::Tensor;
using namespace tcnnc::explain;

namespace {

void dropoutMask(Report &r, Operation *op) {
  auto m = cast<DropoutMaskOp>(op);
  Markdown &md = r.md;
  const Tensor &mask = r.value(m.getMask());
  double p = m.getP().convertToDouble();
  auto state = static_cast<int64_t>(r.value(m.getState()).data[0]);
  r.beginSection(op, "mask");
  Index at = r.positionIn(mask.shape);
  int64_t i = flat(mask.shape, at);
  uint32_t draw = dropoutDraw(state, i), threshold = dropoutThreshold(p);
  float scale = dropoutScale(p);
  int64_t dropped = 0;
  for (double v : mask.data)
    dropped += v == 0.0;
  md.para("Each element is dropped with probability $p = " + md.num(p) +
          "$ and a kept one is scaled by $1/(1-p) = " + md.num(scale) +
          "$, so that the expected output equals the input. The draws come "
          "from the layer's generator, state " + std::to_string(state) +
          " this step (it advances by one every training step).");
  md.para("**Explained position** " + indexStr(at) + " (flat index " +
          std::to_string(i) + "): the draw is " + std::to_string(draw) +
          " of $2^{24}$, " + (draw < threshold ? "below" : "not below") +
          " $p \\cdot 2^{24}$ = " + std::to_string(threshold) + ", so the "
          "element is " + (draw < threshold ? "dropped (0)" : "kept") +
          ". Over the whole mask " + std::to_string(dropped) + " of " +
          std::to_string(mask.size()) + " elements are dropped (" +
          md.num(100.0 * dropped / std::max<int64_t>(mask.size(), 1)) +
          "%, expected " + md.num(100.0 * p) + "%).");
  r.compare("mask at " + indexStr(at), draw < threshold ? 0.0 : double(scale),
            mask.data[i]);
}

void dropoutForward(Report &r, Operation *op) {
  auto f = cast<DropoutOp>(op);
  Markdown &md = r.md;
  const Tensor &x = r.value(f.getInput()), &y = r.value(f.getOutput());
  r.beginSection(op, "forward");
  Index at = r.positionIn(y.shape);
  int64_t i = flat(y.shape, at);
  if (!f.getTraining()) {
    md.para("Inference mode: dropout passes its input " +
            r.describe(f.getInput()) + " through unchanged, $y = x$.");
    r.compare("output at " + indexStr(at), x.data[i], y.data[i]);
    return;
  }
  double m = r.value(f.getMask()).data[i];
  md.para("Training mode: $y = x \\cdot m$ with the mask $m$ of this step. "
          "**Explained position** " +
          indexStr(at) + ": $" + md.op(x.data[i]) + " \\times " + md.op(m) +
          " = " + md.num(x.data[i] * m) + "$.");
  r.compare("output at " + indexStr(at), x.data[i] * m, y.data[i]);
}

void advanceGenerator(Report &r, Operation *op) {
  auto a = cast<AdvanceGeneratorOp>(op);
  const Tensor &state = r.value(a.getState()), &next = r.value(a.getNext());
  r.beginSection(op, "generator");
  auto current = static_cast<int64_t>(state.data[0]);
  int64_t expected = current + (a.getTraining() ? 1 : 0);
  r.md.para(a.getTraining()
                ? "The next training step draws a fresh mask: the "
                  "generator's state advances by one, from " +
                      std::to_string(current) + " to " +
                      std::to_string(expected) + "."
                : "Inference mode draws no mask: the state stays " +
                      std::to_string(current) + ".");
  // The step, not the state: states near 2^52 would hide an off-by-one
  // inside the comparison's relative tolerance.
  r.compare("advance of the state", double(expected - current),
            next.data[0] - state.data[0]);
}

} // namespace

void tcnnc::explain::registerDropoutSections(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *ctx, TcnnDialect *) {
    DropoutMaskOp::attachInterface<FnSections<DropoutMaskOp, dropoutMask>>(
        *ctx);
    DropoutOp::attachInterface<FnSections<DropoutOp, dropoutForward>>(*ctx);
    AdvanceGeneratorOp::attachInterface<
        FnSections<AdvanceGeneratorOp, advanceGenerator>>(*ctx);
  });
}
