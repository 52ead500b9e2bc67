//===- LossLayers.cpp - nn.MSELoss, nn.CrossEntropyLoss in a model file ---===//

#include "dialect/TcnnOps.h"

using namespace mlir;
using namespace mlir::tcnn;

ArrayRef<LayerArg> MseLossOp::getLayerArgs() { return {}; }

LogicalResult MseLossOp::planLayer(LayerPlan &plan) {
  auto shape =
      shapes::mseLoss(plan.inputs[0], plan.inputs[1], plan.atOperand(1));
  if (!shape)
    return failure();
  plan.result = *shape;
  return success();
}

Value MseLossOp::buildLayer(OpBuilder &b, Location loc, const LayerPlan &,
                            ValueRange inputs, ValueRange) {
  return b.create<MseLossOp>(loc, inputs[0], inputs[1]);
}

ArrayRef<LayerArg> CrossEntropyLossOp::getLayerArgs() { return {}; }

LogicalResult CrossEntropyLossOp::planLayer(LayerPlan &plan) {
  auto shape = shapes::crossEntropyLoss(plan.inputs[0], plan.inputs[1],
                                        plan.atOperand(1));
  if (!shape)
    return failure();
  plan.result = *shape;
  // The target holds one class index in [0, classes) per batch element.
  plan.classIndexInput = 1;
  plan.numClasses = plan.inputs[0][1];
  return success();
}

Value CrossEntropyLossOp::buildLayer(OpBuilder &b, Location loc,
                                     const LayerPlan &, ValueRange inputs,
                                     ValueRange) {
  return b.create<CrossEntropyLossOp>(loc, inputs[0], inputs[1]);
}
