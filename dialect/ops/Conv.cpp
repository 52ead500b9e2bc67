//===- Conv.cpp - nn.Conv2d: layer and reverse rule -----------------------===//
//
// How a model file spells each op of the family (LayerOpInterface), and
// each forward op's reverse-mode rule (GradientOpInterface): given the
// gradient of the result, build the backward ops of ops/Conv.td. Backward
// ops take the forward op's location, so every derived op points back at
// the layer (and model-file line) it differentiates.
//
//===----------------------------------------------------------------------===//

#include "dialect/TcnnOps.h"

using namespace mlir;
using namespace mlir::tcnn;
using T = LayerArg::Type;

ArrayRef<LayerArg> Conv2dOp::getLayerArgs() {
  static const LayerArg args[] = {
      {"in_channels", T::Int, true}, {"out_channels", T::Int, true},
      {"kernel_size", T::Pair, true}, {"stride", T::Pair},
      {"padding", T::Pair},           {"bias", T::Bool}};
  return args;
}

LogicalResult Conv2dOp::planLayer(LayerPlan &plan) {
  int64_t in = plan.getInt("in_channels", 0);
  int64_t out = plan.getInt("out_channels", 0);
  if (in <= 0 || out <= 0) {
    plan.atCall()("Conv2d: in_channels and out_channels must be positive");
    return failure();
  }
  const shapes::Shape &x = plan.inputs[0];
  if (x.size() == 4 && x[1] != in) {
    plan.atArgument("in_channels")(
        "Conv2d: in_channels is " + Twine(in) + " but input '" +
        plan.inputNames[0] + "' " + shapes::str(x) + " has " + Twine(x[1]) +
        " channels");
    return failure();
  }
  auto kernel = plan.getPair("kernel_size", {1, 1});
  shapes::Shape w{out, in, kernel[0], kernel[1]}, b{out};
  bool hasBias = plan.getBool("bias", true);
  auto shape = shapes::conv2d(
      x, w, hasBias ? std::optional(ArrayRef<int64_t>(b)) : std::nullopt,
      plan.getPair("stride", {1, 1}), plan.getPair("padding", {0, 0}),
      plan.atCall());
  if (!shape)
    return failure();
  plan.result = *shape;
  int64_t fanIn = in * kernel[0] * kernel[1];
  plan.params.push_back({"weight", w, fanIn});
  if (hasBias)
    plan.params.push_back({"bias", b, fanIn});
  return success();
}

Value Conv2dOp::buildLayer(OpBuilder &b, Location loc, const LayerPlan &plan,
                           ValueRange inputs, ValueRange params) {
  auto pair = [&](StringRef name, std::array<int64_t, 2> dflt) {
    auto p = plan.getPair(name, dflt);
    return b.getDenseI64ArrayAttr({p[0], p[1]});
  };
  return b.create<Conv2dOp>(loc, inputs[0], params[0],
                            params.size() > 1 ? params[1] : Value(),
                            pair("stride", {1, 1}), pair("padding", {0, 0}));
}

//===----------------------------------------------------------------------===//
// Reverse-mode rules
//===----------------------------------------------------------------------===//

LogicalResult Conv2dOp::buildGradients(OpBuilder &b, Value dy,
                                       ArrayRef<bool> needed,
                                       MutableArrayRef<Value> grads) {
  Location loc = getLoc();
  if (needed[0])
    grads[0] = b.create<Conv2dInputGradOp>(loc, getInput().getType(), dy,
                                           getWeight(), getStrideAttr(),
                                           getPaddingAttr());
  if (needed[1])
    grads[1] = b.create<Conv2dWeightGradOp>(loc, getWeight().getType(), dy,
                                            getInput(), getStrideAttr(),
                                            getPaddingAttr());
  if (getBias() && needed[2])
    grads[2] = b.create<BiasGradOp>(loc, getBias().getType(), dy);
  return success();
}
