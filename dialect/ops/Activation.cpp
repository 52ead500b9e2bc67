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

ArrayRef<LayerArg> GeluOp::getLayerArgs() {
  static const LayerArg args[] = {
      {"approximate", LayerArg::Type::String, false, "none|tanh"}};
  return args;
}
LogicalResult GeluOp::planLayer(LayerPlan &plan) { return sameShape(plan); }
Value GeluOp::buildLayer(OpBuilder &b, Location loc, const LayerPlan &plan,
                         ValueRange inputs, ValueRange) {
  StringAttr approximate;
  if (plan.has("approximate"))
    approximate = b.getStringAttr(plan.getString("approximate", "none"));
  return b.create<GeluOp>(loc, inputs[0], approximate);
}
LogicalResult GeluOp::buildGradients(OpBuilder &b, Value dy,
                                     ArrayRef<bool> needed,
                                     MutableArrayRef<Value> grads) {
  if (needed[0])
    grads[0] = b.create<GeluGradOp>(getLoc(), getInput().getType(), dy,
                                    getInput(), getApproximateAttr());
  return success();
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

//===----------------------------------------------------------------------===//
// Softmax and LogSoftmax: a dimension, normalized to count from the front
//===----------------------------------------------------------------------===//

namespace {

/// `dim` is required: PyTorch's implicit choice without it is deprecated.
const LayerArg kDimArg[] = {{"dim", LayerArg::Type::Int, /*required=*/true}};

template <typename OpT>
LogicalResult planDim(LayerPlan &plan) {
  if (!shapes::dimension(OpT::getLayerName(), plan.inputs[0],
                         plan.getInt("dim", 0), plan.atArgument("dim")))
    return failure();
  plan.result = plan.inputs[0];
  return success();
}

template <typename OpT>
Value buildDim(OpBuilder &b, Location loc, const LayerPlan &plan,
               ValueRange inputs) {
  auto shape = cast<RankedTensorType>(inputs[0].getType()).getShape();
  int64_t dim = plan.getInt("dim", 0);
  if (dim < 0)
    dim += shape.size();
  return b.create<OpT>(loc, inputs[0], b.getI64IntegerAttr(dim));
}

/// The forward ops' and the backward ops' check: 0 <= dim < rank.
LogicalResult verifyDim(Operation *op, Value v, int64_t dim) {
  int64_t rank = cast<RankedTensorType>(v.getType()).getRank();
  if (dim < 0 || dim >= rank)
    return op->emitOpError() << "dim " << dim << " is out of range for rank "
                             << rank << " (expected 0 to " << rank - 1 << ")";
  return success();
}

} // namespace

ArrayRef<LayerArg> SoftmaxOp::getLayerArgs() { return kDimArg; }
LogicalResult SoftmaxOp::planLayer(LayerPlan &plan) {
  return planDim<SoftmaxOp>(plan);
}
Value SoftmaxOp::buildLayer(OpBuilder &b, Location loc, const LayerPlan &plan,
                            ValueRange inputs, ValueRange) {
  return buildDim<SoftmaxOp>(b, loc, plan, inputs);
}
LogicalResult SoftmaxOp::verify() {
  return verifyDim(*this, getInput(), getDim());
}
LogicalResult SoftmaxOp::buildGradients(OpBuilder &b, Value dy,
                                        ArrayRef<bool> needed,
                                        MutableArrayRef<Value> grads) {
  if (needed[0])
    grads[0] = b.create<SoftmaxGradOp>(getLoc(), getInput().getType(), dy,
                                       getOutput(), getDimAttr());
  return success();
}

ArrayRef<LayerArg> LogSoftmaxOp::getLayerArgs() { return kDimArg; }
LogicalResult LogSoftmaxOp::planLayer(LayerPlan &plan) {
  return planDim<LogSoftmaxOp>(plan);
}
Value LogSoftmaxOp::buildLayer(OpBuilder &b, Location loc,
                               const LayerPlan &plan, ValueRange inputs,
                               ValueRange) {
  return buildDim<LogSoftmaxOp>(b, loc, plan, inputs);
}
LogicalResult LogSoftmaxOp::verify() {
  return verifyDim(*this, getInput(), getDim());
}
LogicalResult LogSoftmaxOp::buildGradients(OpBuilder &b, Value dy,
                                           ArrayRef<bool> needed,
                                           MutableArrayRef<Value> grads) {
  if (needed[0])
    grads[0] = b.create<LogSoftmaxGradOp>(getLoc(), getInput().getType(), dy,
                                          getOutput(), getDimAttr());
  return success();
}

LogicalResult SoftmaxGradOp::verify() {
  return verifyDim(*this, getOutput(), getDim());
}
LogicalResult LogSoftmaxGradOp::verify() {
  return verifyDim(*this, getOutput(), getDim());
}
