//===- Pad.cpp - nn.ZeroPad2d: layer and reverse rule ---------------------===//
//
// How a model file spells ZeroPad2d (LayerOpInterface) and its reverse
// rule (GradientOpInterface).
//
//===----------------------------------------------------------------------===//

#include "dialect/TcnnOps.h"

using namespace mlir;
using namespace mlir::tcnn;
using T = LayerArg::Type;

ArrayRef<LayerArg> Pad2dOp::getLayerArgs() {
  static const LayerArg args[] = {{"padding", T::Sides, true}};
  return args;
}

LogicalResult Pad2dOp::planLayer(LayerPlan &plan) {
  auto shape = shapes::pad2d(plan.inputs[0],
                             plan.getSides("padding", {0, 0, 0, 0}),
                             plan.atArgument("padding"));
  if (!shape)
    return failure();
  plan.result = *shape;
  return success();
}

Value Pad2dOp::buildLayer(OpBuilder &b, Location loc, const LayerPlan &plan,
                          ValueRange inputs, ValueRange) {
  auto sides = plan.getSides("padding", {0, 0, 0, 0});
  return b.create<Pad2dOp>(loc, inputs[0], b.getDenseI64ArrayAttr(sides));
}

LogicalResult Pad2dOp::buildGradients(OpBuilder &b, Value dy,
                                      ArrayRef<bool> needed,
                                      MutableArrayRef<Value> grads) {
  if (needed[0])
    grads[0] = b.create<Pad2dGradOp>(getLoc(), getInput().getType(), dy,
                                     getPaddingAttr());
  return success();
}
