//===- Dropout.cpp - nn.Dropout: layer, generator and reverse rule --------===//
//
// How a model file spells Dropout (LayerOpInterface), the draw every
// implementation of dropout_mask shares, and the reverse rules.
//
//===----------------------------------------------------------------------===//

#include "dialect/TcnnOps.h"

#include <cmath>
#include <cstdio>

using namespace mlir;
using namespace mlir::tcnn;
using T = LayerArg::Type;

uint32_t mlir::tcnn::dropoutDraw(int64_t state, int64_t index) {
  uint64_t z = static_cast<uint64_t>(state) +
               (static_cast<uint64_t>(index) + 1) * 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z ^= z >> 31;
  return static_cast<uint32_t>(z >> 40);
}

uint32_t mlir::tcnn::dropoutThreshold(double p) {
  return static_cast<uint32_t>(std::ceil(p * 0x1p24));
}

float mlir::tcnn::dropoutScale(double p) {
  return p < 1 ? static_cast<float>(1.0 / (1.0 - p)) : 0.0f;
}

ArrayRef<LayerArg> DropoutOp::getLayerArgs() {
  static const LayerArg args[] = {{"p", T::Float}, {"inplace", T::Bool}};
  return args;
}

LogicalResult DropoutOp::planLayer(LayerPlan &plan) {
  double p = plan.getFloat("p", 0.5);
  if (p < 0 || p > 1) {
    char given[32];
    std::snprintf(given, sizeof given, "%g", p);
    plan.atArgument("p")(Twine("Dropout: dropout probability has to be "
                               "between 0 and 1, but got ") +
                         given);
    return failure();
  }
  plan.result = plan.inputs[0];
  // The layer's generator: an int64 counter, seeded per layer.
  plan.params.push_back(
      {"generator", {}, 0, LayerPlan::Param::Init::Seed, /*buffer=*/true});
  return success();
}

Value DropoutOp::buildLayer(OpBuilder &b, Location loc, const LayerPlan &plan,
                            ValueRange inputs, ValueRange params) {
  // The mask is dumped and explained as `<layer>.mask`.
  Value mask = b.create<DropoutMaskOp>(
      layerPartLoc(loc, ".mask"), inputs[0].getType(), params[0],
      b.getF64FloatAttr(plan.getFloat("p", 0.5)));
  auto op = b.create<DropoutOp>(loc, inputs[0], mask, BoolAttr());
  b.create<AdvanceGeneratorOp>(loc, params[0], BoolAttr());
  return op;
}

LogicalResult DropoutOp::inferReturnTypes(MLIRContext *, std::optional<Location>,
                                      Adaptor adaptor,
                                      SmallVectorImpl<Type> &types) {
  return inferInputType(adaptor, types);
}

Value AdvanceGeneratorOp::getUpdatedOperand(unsigned) { return getState(); }

LogicalResult DropoutOp::buildGradients(OpBuilder &b, Value dy,
                                        ArrayRef<bool> needed,
                                        MutableArrayRef<Value> grads) {
  // The mask is a constant: dx = dy * mask, or dy in inference mode.
  if (needed[0])
    grads[0] = getTraining() ? b.create<MulOp>(getLoc(), dy, getMask())
                             : dy;
  return success();
}

/// The mask depends on the generator's state only, which is not
/// differentiable: there is nothing to build.
LogicalResult DropoutMaskOp::buildGradients(OpBuilder &, Value,
                                            ArrayRef<bool>,
                                            MutableArrayRef<Value>) {
  return success();
}
