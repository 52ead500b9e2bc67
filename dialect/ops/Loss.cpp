//===- Loss.cpp - the losses: layers, reverse rules -----------------------===//
//
// How a model file spells each op of the family (LayerOpInterface), and
// each forward op's reverse-mode rule (GradientOpInterface): given the
// gradient of the result, build the backward ops of ops/Loss.td. Backward
// ops take the forward op's location, so every derived op points back at
// the layer (and model-file line) it differentiates.
//
//===----------------------------------------------------------------------===//

#include "dialect/TcnnOps.h"

#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace mlir::tcnn;

namespace {
/// MSELoss, L1Loss, SmoothL1Loss: prediction and target of one shape.
LogicalResult planPointwiseLoss(LayerPlan &plan, StringRef op) {
  auto shape = shapes::pointwiseLoss(op, plan.inputs[0], plan.inputs[1],
                                     plan.atOperand(1));
  if (!shape)
    return failure();
  plan.result = *shape;
  return success();
}
} // namespace

ArrayRef<LayerArg> MseLossOp::getLayerArgs() { return {}; }

LogicalResult MseLossOp::planLayer(LayerPlan &plan) {
  return planPointwiseLoss(plan, "mse_loss");
}

Value MseLossOp::buildLayer(OpBuilder &b, Location loc, const LayerPlan &,
                            ValueRange inputs, ValueRange) {
  return b.create<MseLossOp>(loc, inputs[0], inputs[1], /*valid=*/Value());
}

ArrayRef<LayerArg> L1LossOp::getLayerArgs() { return {}; }

LogicalResult L1LossOp::planLayer(LayerPlan &plan) {
  return planPointwiseLoss(plan, "l1_loss");
}

Value L1LossOp::buildLayer(OpBuilder &b, Location loc, const LayerPlan &,
                           ValueRange inputs, ValueRange) {
  return b.create<L1LossOp>(loc, inputs[0], inputs[1], /*valid=*/Value());
}

ArrayRef<LayerArg> SmoothL1LossOp::getLayerArgs() {
  static const LayerArg args[] = {{"beta", LayerArg::Type::Float}};
  return args;
}

LogicalResult SmoothL1LossOp::planLayer(LayerPlan &plan) {
  double beta = plan.getFloat("beta", 1.0);
  if (beta < 0) {
    plan.atArgument("beta")("SmoothL1Loss: beta must not be negative, got " +
                            llvm::formatv("{0}", beta).str());
    return failure();
  }
  return planPointwiseLoss(plan, "smooth_l1_loss");
}

Value SmoothL1LossOp::buildLayer(OpBuilder &b, Location loc,
                                 const LayerPlan &plan, ValueRange inputs,
                                 ValueRange) {
  FloatAttr beta;
  if (plan.has("beta"))
    beta = b.getF64FloatAttr(plan.getFloat("beta", 1.0));
  return b.create<SmoothL1LossOp>(loc, inputs[0], inputs[1], /*valid=*/Value(),
                                  beta);
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
  return b.create<CrossEntropyLossOp>(loc, inputs[0], inputs[1],
                                     /*valid=*/Value());
}

//===----------------------------------------------------------------------===//
// Reverse-mode rules
//===----------------------------------------------------------------------===//

LogicalResult MseLossOp::buildGradients(OpBuilder &b, Value dLoss,
                                        ArrayRef<bool> needed,
                                        MutableArrayRef<Value> grads) {
  // The target is data, never differentiated (as a tensor without
  // requires_grad in PyTorch).
  if (needed[0])
    grads[0] = b.create<MseLossGradOp>(getLoc(), getInput().getType(), dLoss,
                                       getInput(), getTarget(), getValid());
  return success();
}

LogicalResult CrossEntropyLossOp::buildGradients(OpBuilder &b, Value dLoss,
                                                 ArrayRef<bool> needed,
                                                 MutableArrayRef<Value> grads) {
  if (needed[0])
    grads[0] = b.create<CrossEntropyLossGradOp>(
        getLoc(), getInput().getType(), dLoss, getInput(), getTarget(),
        getValid());
  return success();
}

LogicalResult L1LossOp::buildGradients(OpBuilder &b, Value dLoss,
                                       ArrayRef<bool> needed,
                                       MutableArrayRef<Value> grads) {
  if (needed[0])
    grads[0] = b.create<L1LossGradOp>(getLoc(), getInput().getType(), dLoss,
                                      getInput(), getTarget(), getValid());
  return success();
}

LogicalResult SmoothL1LossOp::buildGradients(OpBuilder &b, Value dLoss,
                                             ArrayRef<bool> needed,
                                             MutableArrayRef<Value> grads) {
  if (needed[0])
    grads[0] = b.create<SmoothL1LossGradOp>(
        getLoc(), getInput().getType(), dLoss, getInput(), getTarget(),
        getValid(), getBetaAttr());
  return success();
}
