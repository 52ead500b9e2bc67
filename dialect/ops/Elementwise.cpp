//===- Elementwise.cpp - ReLUs, Flatten, Add, Mul: layers, reverse rules -===//
//
// How a model file spells each op of the family (LayerOpInterface), and
// each forward op's reverse-mode rule (GradientOpInterface): given the
// gradient of the result, build the backward ops of ops/Elementwise.td. Backward
// ops take the forward op's location, so every derived op points back at
// the layer (and model-file line) it differentiates.
//
//===----------------------------------------------------------------------===//

#include "dialect/TcnnOps.h"

using namespace mlir;
using namespace mlir::tcnn;

ArrayRef<LayerArg> ReluOp::getLayerArgs() { return {}; }

LogicalResult ReluOp::planLayer(LayerPlan &plan) {
  plan.result = plan.inputs[0];
  return success();
}

Value ReluOp::buildLayer(OpBuilder &b, Location loc, const LayerPlan &,
                         ValueRange inputs, ValueRange) {
  return b.create<ReluOp>(loc, inputs[0]);
}

ArrayRef<LayerArg> LeakyReluOp::getLayerArgs() {
  static const LayerArg args[] = {{"negative_slope", LayerArg::Type::Float}};
  return args;
}

LogicalResult LeakyReluOp::planLayer(LayerPlan &plan) {
  plan.result = plan.inputs[0];
  return success();
}

Value LeakyReluOp::buildLayer(OpBuilder &b, Location loc,
                              const LayerPlan &plan, ValueRange inputs,
                              ValueRange) {
  // Without the argument the attribute stays unset: its default is the
  // ODS definition's.
  FloatAttr slope;
  if (plan.has("negative_slope"))
    slope = b.getF64FloatAttr(plan.getFloat("negative_slope", 0));
  return b.create<LeakyReluOp>(loc, inputs[0], slope);
}

ArrayRef<LayerArg> FlattenOp::getLayerArgs() {
  static const LayerArg args[] = {{"start_dim", LayerArg::Type::Int},
                                  {"end_dim", LayerArg::Type::Int}};
  return args;
}

LogicalResult FlattenOp::planLayer(LayerPlan &plan) {
  auto shape = shapes::flatten(plan.inputs[0], plan.getInt("start_dim", 1),
                               plan.getInt("end_dim", -1), plan.atCall());
  if (!shape)
    return failure();
  plan.result = *shape;
  return success();
}

Value FlattenOp::buildLayer(OpBuilder &b, Location loc, const LayerPlan &plan,
                            ValueRange inputs, ValueRange) {
  // Arguments left out keep their ODS defaults (and are not printed).
  IntegerAttr start, end;
  if (plan.has("start_dim"))
    start = b.getI64IntegerAttr(plan.getInt("start_dim", 1));
  if (plan.has("end_dim"))
    end = b.getI64IntegerAttr(plan.getInt("end_dim", -1));
  return b.create<FlattenOp>(loc, inputs[0], start, end);
}

namespace {
/// Add and Mul: two operands of one shape, which the result keeps.
LogicalResult planSameShape(LayerPlan &plan, StringRef op) {
  auto shape = shapes::sameShape(op, plan.inputs[0], plan.inputs[1],
                                 plan.atOperand(1));
  if (!shape)
    return failure();
  plan.result = *shape;
  return success();
}
} // namespace

ArrayRef<LayerArg> AddOp::getLayerArgs() { return {}; }
LogicalResult AddOp::planLayer(LayerPlan &plan) {
  return planSameShape(plan, "add");
}
Value AddOp::buildLayer(OpBuilder &b, Location loc, const LayerPlan &,
                        ValueRange inputs, ValueRange) {
  return b.create<AddOp>(loc, inputs[0], inputs[1]);
}

ArrayRef<LayerArg> MulOp::getLayerArgs() { return {}; }
LogicalResult MulOp::planLayer(LayerPlan &plan) {
  return planSameShape(plan, "mul");
}
Value MulOp::buildLayer(OpBuilder &b, Location loc, const LayerPlan &,
                        ValueRange inputs, ValueRange) {
  return b.create<MulOp>(loc, inputs[0], inputs[1]);
}

int64_t CatOp::getConcatDim() {
  auto dim = static_cast<int64_t>(getDim());
  return dim < 0 ? dim + getType().getRank() : dim;
}

ArrayRef<LayerArg> CatOp::getLayerArgs() {
  static const LayerArg args[] = {{"dim", LayerArg::Type::Int}};
  return args;
}

LogicalResult CatOp::planLayer(LayerPlan &plan) {
  auto dim = shapes::dimension("Cat", plan.inputs[0], plan.getInt("dim", 0),
                               plan.atArgument("dim"));
  if (!dim)
    return failure();
  // A mismatch is reported at the first input that does not fit.
  for (unsigned k = 1; k < plan.inputs.size(); ++k)
    if (!shapes::cat({plan.inputs[0], plan.inputs[k]}, *dim,
                     plan.atOperand(k)))
      return failure();
  auto shape = shapes::cat(plan.inputs, *dim, plan.atCall());
  if (!shape)
    return failure();
  plan.result = *shape;
  return success();
}

Value CatOp::buildLayer(OpBuilder &b, Location loc, const LayerPlan &plan,
                        ValueRange inputs, ValueRange) {
  IntegerAttr dim;
  if (plan.has("dim"))
    dim = b.getI64IntegerAttr(plan.getInt("dim", 0));
  return b.create<CatOp>(loc, inputs, dim);
}

//===----------------------------------------------------------------------===//
// Reverse-mode rules
//===----------------------------------------------------------------------===//

LogicalResult ReluOp::buildGradients(OpBuilder &b, Value dy,
                                     ArrayRef<bool> needed,
                                     MutableArrayRef<Value> grads) {
  if (needed[0])
    grads[0] = b.create<ReluGradOp>(getLoc(), getInput().getType(), dy,
                                    getInput());
  return success();
}

LogicalResult LeakyReluOp::buildGradients(OpBuilder &b, Value dy,
                                          ArrayRef<bool> needed,
                                          MutableArrayRef<Value> grads) {
  if (needed[0])
    grads[0] = b.create<LeakyReluGradOp>(getLoc(), getInput().getType(), dy,
                                         getInput(), getNegativeSlopeAttr());
  return success();
}

LogicalResult FlattenOp::buildGradients(OpBuilder &b, Value dy,
                                        ArrayRef<bool> needed,
                                        MutableArrayRef<Value> grads) {
  if (needed[0])
    grads[0] = b.create<ReshapeOp>(getLoc(), getInput().getType(), dy);
  return success();
}

LogicalResult ReshapeOp::buildGradients(OpBuilder &b, Value dy,
                                        ArrayRef<bool> needed,
                                        MutableArrayRef<Value> grads) {
  if (needed[0])
    grads[0] = b.create<ReshapeOp>(getLoc(), getInput().getType(), dy);
  return success();
}

LogicalResult AddOp::buildGradients(OpBuilder &, Value dy,
                                    ArrayRef<bool> needed,
                                    MutableArrayRef<Value> grads) {
  // d(a + b)/da = d(a + b)/db = 1: both operands receive dy unchanged.
  for (unsigned i = 0; i < 2; ++i)
    if (needed[i])
      grads[i] = dy;
  return success();
}

LogicalResult MulOp::buildGradients(OpBuilder &b, Value dy,
                                    ArrayRef<bool> needed,
                                    MutableArrayRef<Value> grads) {
  // d(a * b)/da = b, d(a * b)/db = a.
  if (needed[0])
    grads[0] = b.create<MulOp>(getLoc(), dy, getRhs());
  if (needed[1])
    grads[1] = b.create<MulOp>(getLoc(), dy, getLhs());
  return success();
}

LogicalResult CatOp::buildGradients(OpBuilder &b, Value dy,
                                    ArrayRef<bool> needed,
                                    MutableArrayRef<Value> grads) {
  // Each input's gradient is its slice of dy.
  int64_t dim = getConcatDim();
  int64_t offset = 0;
  for (auto [k, input] : llvm::enumerate(getInputs())) {
    if (needed[k])
      grads[k] = b.create<CatGradOp>(getLoc(), input.getType(), dy,
                                     b.getI64IntegerAttr(dim),
                                     b.getI64IntegerAttr(offset));
    offset += cast<RankedTensorType>(input.getType()).getDimSize(dim);
  }
  return success();
}
