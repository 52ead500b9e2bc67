//===- Activation.cpp - Sigmoid, Tanh, ELU, GELU: layers, reverse rules ---===//
//
// How a model file spells each smooth activation (LayerOpInterface), and
// its reverse rule (GradientOpInterface): the backward op of
// ops/Activation.td, from the upstream gradient and the forward input.
//
//===----------------------------------------------------------------------===//

#include "dialect/TcnnOps.h"

using namespace mlir;
using namespace mlir::tcnn;

namespace {

/// An activation keeps its input's shape and has no parameters.
LogicalResult sameShape(LayerPlan &plan) {
  plan.result = plan.inputs[0];
  return success();
}

/// The reverse rule of an activation without attributes.
template <typename GradOp, typename OpT>
LogicalResult gradientOf(OpT op, OpBuilder &b, Value dy, ArrayRef<bool> needed,
                         MutableArrayRef<Value> grads) {
  if (needed[0])
    grads[0] = b.create<GradOp>(op.getLoc(), op.getInput().getType(), dy,
                                op.getInput());
  return success();
}

} // namespace

ArrayRef<LayerArg> SigmoidOp::getLayerArgs() { return {}; }
LogicalResult SigmoidOp::planLayer(LayerPlan &plan) { return sameShape(plan); }
Value SigmoidOp::buildLayer(OpBuilder &b, Location loc, const LayerPlan &,
                            ValueRange inputs, ValueRange) {
  return b.create<SigmoidOp>(loc, inputs[0]);
}
LogicalResult SigmoidOp::buildGradients(OpBuilder &b, Value dy,
                                        ArrayRef<bool> needed,
                                        MutableArrayRef<Value> grads) {
  return gradientOf<SigmoidGradOp>(*this, b, dy, needed, grads);
}

ArrayRef<LayerArg> TanhOp::getLayerArgs() { return {}; }
LogicalResult TanhOp::planLayer(LayerPlan &plan) { return sameShape(plan); }
Value TanhOp::buildLayer(OpBuilder &b, Location loc, const LayerPlan &,
                         ValueRange inputs, ValueRange) {
  return b.create<TanhOp>(loc, inputs[0]);
}
LogicalResult TanhOp::buildGradients(OpBuilder &b, Value dy,
                                     ArrayRef<bool> needed,
                                     MutableArrayRef<Value> grads) {
  return gradientOf<TanhGradOp>(*this, b, dy, needed, grads);
}

ArrayRef<LayerArg> GeluOp::getLayerArgs() { return {}; }
LogicalResult GeluOp::planLayer(LayerPlan &plan) { return sameShape(plan); }
Value GeluOp::buildLayer(OpBuilder &b, Location loc, const LayerPlan &,
                         ValueRange inputs, ValueRange) {
  return b.create<GeluOp>(loc, inputs[0]);
}
LogicalResult GeluOp::buildGradients(OpBuilder &b, Value dy,
                                     ArrayRef<bool> needed,
                                     MutableArrayRef<Value> grads) {
  return gradientOf<GeluGradOp>(*this, b, dy, needed, grads);
}

ArrayRef<LayerArg> EluOp::getLayerArgs() {
  static const LayerArg args[] = {{"alpha", LayerArg::Type::Float}};
  return args;
}
LogicalResult EluOp::planLayer(LayerPlan &plan) { return sameShape(plan); }
Value EluOp::buildLayer(OpBuilder &b, Location loc, const LayerPlan &plan,
                        ValueRange inputs, ValueRange) {
  // Without the argument the attribute stays unset: its default is the
  // ODS definition's.
  FloatAttr alpha;
  if (plan.has("alpha"))
    alpha = b.getF64FloatAttr(plan.getFloat("alpha", 0));
  return b.create<EluOp>(loc, inputs[0], alpha);
}
LogicalResult EluOp::buildGradients(OpBuilder &b, Value dy,
                                    ArrayRef<bool> needed,
                                    MutableArrayRef<Value> grads) {
  if (needed[0])
    grads[0] = b.create<EluGradOp>(getLoc(), getInput().getType(), dy,
                                   getInput(), getAlphaAttr());
  return success();
}
