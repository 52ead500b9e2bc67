//===- ElementwiseLayers.cpp - ReLU, Flatten, Add in a model file ---------===//

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

ArrayRef<LayerArg> FlattenOp::getLayerArgs() { return {}; }

LogicalResult FlattenOp::planLayer(LayerPlan &plan) {
  auto shape = shapes::flatten(plan.inputs[0], plan.atCall());
  if (!shape)
    return failure();
  plan.result = *shape;
  return success();
}

Value FlattenOp::buildLayer(OpBuilder &b, Location loc, const LayerPlan &,
                            ValueRange inputs, ValueRange) {
  return b.create<FlattenOp>(loc, inputs[0]);
}

ArrayRef<LayerArg> AddOp::getLayerArgs() { return {}; }

LogicalResult AddOp::planLayer(LayerPlan &plan) {
  auto shape = shapes::add(plan.inputs[0], plan.inputs[1], plan.atOperand(1));
  if (!shape)
    return failure();
  plan.result = *shape;
  return success();
}

Value AddOp::buildLayer(OpBuilder &b, Location loc, const LayerPlan &,
                        ValueRange inputs, ValueRange) {
  return b.create<AddOp>(loc, inputs[0], inputs[1]);
}
