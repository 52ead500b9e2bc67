//===- Linear.cpp - nn.Linear: layer and reverse rule ---------------------===//
//
// How a model file spells each op of the family (LayerOpInterface), and
// each forward op's reverse-mode rule (GradientOpInterface): given the
// gradient of the result, build the backward ops of ops/Linear.td. Backward
// ops take the forward op's location, so every derived op points back at
// the layer (and model-file line) it differentiates.
//
//===----------------------------------------------------------------------===//

#include "dialect/TcnnOps.h"

using namespace mlir;
using namespace mlir::tcnn;
using T = LayerArg::Type;

ArrayRef<LayerArg> LinearOp::getLayerArgs() {
  static const LayerArg args[] = {{"in_features", T::Int, true},
                                  {"out_features", T::Int, true},
                                  {"bias", T::Bool}};
  return args;
}

LogicalResult LinearOp::planLayer(LayerPlan &plan) {
  int64_t in = plan.getInt("in_features", 0);
  int64_t out = plan.getInt("out_features", 0);
  if (in <= 0 || out <= 0) {
    plan.atCall()("Linear: in_features and out_features must be positive");
    return failure();
  }
  const shapes::Shape &x = plan.inputs[0];
  if (x.size() == 2 && x[1] != in) {
    plan.atArgument("in_features")(
        "Linear: in_features is " + Twine(in) + " but input '" +
        plan.inputNames[0] + "' " + shapes::str(x) + " has " + Twine(x[1]) +
        " features");
    return failure();
  }
  shapes::Shape w{out, in}, b{out};
  bool hasBias = plan.getBool("bias", true);
  auto shape = shapes::linear(
      x, w, hasBias ? std::optional(ArrayRef<int64_t>(b)) : std::nullopt,
      plan.atCall());
  if (!shape)
    return failure();
  plan.result = *shape;
  plan.params.push_back({"weight", w, in});
  if (hasBias)
    plan.params.push_back({"bias", b, in});
  return success();
}

Value LinearOp::buildLayer(OpBuilder &b, Location loc, const LayerPlan &,
                           ValueRange inputs, ValueRange params) {
  return b.create<LinearOp>(loc, inputs[0], params[0],
                            params.size() > 1 ? params[1] : Value());
}

//===----------------------------------------------------------------------===//
// Reverse-mode rules
//===----------------------------------------------------------------------===//

LogicalResult LinearOp::buildGradients(OpBuilder &b, Value dy,
                                       ArrayRef<bool> needed,
                                       MutableArrayRef<Value> grads) {
  Location loc = getLoc();
  if (needed[0])
    grads[0] = b.create<LinearInputGradOp>(loc, getInput().getType(), dy,
                                           getWeight());
  if (needed[1])
    grads[1] = b.create<LinearWeightGradOp>(loc, getWeight().getType(), dy,
                                            getInput());
  if (getBias() && needed[2]) {
    // bias_grad sums over every dimension but 1: on any other rank than 2,
    // dy is first viewed as the matrix of its rows [M, out].
    auto dyType = cast<RankedTensorType>(dy.getType());
    Value rows = dy;
    if (dyType.getRank() != 2) {
      int64_t out = dyType.getShape().back();
      rows = b.create<ReshapeOp>(
          loc,
          RankedTensorType::get({dyType.getNumElements() / out, out},
                                dyType.getElementType()),
          dy);
    }
    grads[2] = b.create<BiasGradOp>(loc, getBias().getType(), rows);
  }
  return success();
}
