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
using T = LayerArg::Type;

/// Every loss's `reduction`, as PyTorch spells it.
const LayerArg kReductionArg = {"reduction", T::String, false, "mean|sum"};

/// The op's reduction attribute: null (the default, "mean") unless given.
StringAttr reductionAttr(OpBuilder &b, const LayerPlan &plan) {
  return plan.has("reduction")
             ? b.getStringAttr(plan.getString("reduction", "mean"))
             : StringAttr();
}

/// MSELoss, L1Loss, SmoothL1Loss, BCEWithLogitsLoss: prediction and target
/// of one shape.
LogicalResult planPointwiseLoss(LayerPlan &plan, StringRef op) {
  auto shape = shapes::pointwiseLoss(op, plan.inputs[0], plan.inputs[1],
                                     plan.atOperand(1));
  if (!shape)
    return failure();
  plan.result = *shape;
  return success();
}

/// CrossEntropyLoss, NLLLoss: scores [N, C] and one class index in
/// [0, C) per row.
LogicalResult planClassLoss(LayerPlan &plan, StringRef op) {
  auto shape = shapes::classLoss(op, plan.inputs[0], plan.inputs[1],
                                 plan.atOperand(1));
  if (!shape)
    return failure();
  plan.result = *shape;
  plan.classIndexInput = 1;
  plan.numClasses = plan.inputs[0][1];
  return success();
}

/// A loss whose only argument is `reduction`.
template <typename OpT>
Value buildReducingLoss(OpBuilder &b, Location loc, const LayerPlan &plan,
                        ValueRange inputs) {
  return b.create<OpT>(loc, inputs[0], inputs[1], /*valid=*/Value(),
                       reductionAttr(b, plan));
}
} // namespace

ArrayRef<LayerArg> MseLossOp::getLayerArgs() { return kReductionArg; }

LogicalResult MseLossOp::planLayer(LayerPlan &plan) {
  return planPointwiseLoss(plan, "mse_loss");
}

Value MseLossOp::buildLayer(OpBuilder &b, Location loc, const LayerPlan &plan,
                            ValueRange inputs, ValueRange) {
  return buildReducingLoss<MseLossOp>(b, loc, plan, inputs);
}

ArrayRef<LayerArg> L1LossOp::getLayerArgs() { return kReductionArg; }

LogicalResult L1LossOp::planLayer(LayerPlan &plan) {
  return planPointwiseLoss(plan, "l1_loss");
}

Value L1LossOp::buildLayer(OpBuilder &b, Location loc, const LayerPlan &plan,
                           ValueRange inputs, ValueRange) {
  return buildReducingLoss<L1LossOp>(b, loc, plan, inputs);
}

ArrayRef<LayerArg> BceWithLogitsLossOp::getLayerArgs() { return kReductionArg; }

LogicalResult BceWithLogitsLossOp::planLayer(LayerPlan &plan) {
  return planPointwiseLoss(plan, "bce_with_logits_loss");
}

Value BceWithLogitsLossOp::buildLayer(OpBuilder &b, Location loc,
                                      const LayerPlan &plan, ValueRange inputs,
                                      ValueRange) {
  return buildReducingLoss<BceWithLogitsLossOp>(b, loc, plan, inputs);
}

ArrayRef<LayerArg> SmoothL1LossOp::getLayerArgs() {
  static const LayerArg args[] = {kReductionArg, {"beta", T::Float}};
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
                                  beta, reductionAttr(b, plan));
}

ArrayRef<LayerArg> CrossEntropyLossOp::getLayerArgs() {
  static const LayerArg args[] = {kReductionArg, {"label_smoothing", T::Float}};
  return args;
}

LogicalResult CrossEntropyLossOp::planLayer(LayerPlan &plan) {
  double smoothing = plan.getFloat("label_smoothing", 0.0);
  if (smoothing < 0 || smoothing > 1) {
    plan.atArgument("label_smoothing")(
        "CrossEntropyLoss: label_smoothing must be between 0 and 1, got " +
        llvm::formatv("{0}", smoothing).str());
    return failure();
  }
  return planClassLoss(plan, "cross_entropy_loss");
}

Value CrossEntropyLossOp::buildLayer(OpBuilder &b, Location loc,
                                     const LayerPlan &plan, ValueRange inputs,
                                     ValueRange) {
  FloatAttr smoothing;
  if (plan.has("label_smoothing"))
    smoothing = b.getF64FloatAttr(plan.getFloat("label_smoothing", 0.0));
  return b.create<CrossEntropyLossOp>(loc, inputs[0], inputs[1],
                                      /*valid=*/Value(), smoothing,
                                      reductionAttr(b, plan));
}

ArrayRef<LayerArg> NllLossOp::getLayerArgs() { return kReductionArg; }

LogicalResult NllLossOp::planLayer(LayerPlan &plan) {
  return planClassLoss(plan, "nll_loss");
}

Value NllLossOp::buildLayer(OpBuilder &b, Location loc, const LayerPlan &plan,
                            ValueRange inputs, ValueRange) {
  return buildReducingLoss<NllLossOp>(b, loc, plan, inputs);
}

//===----------------------------------------------------------------------===//
// Reverse-mode rules
//===----------------------------------------------------------------------===//

// The target is data, never differentiated (as a tensor without
// requires_grad in PyTorch): each loss has one gradient, its input's, an op
// that takes the loss's operands and attributes.
namespace {
template <typename GradOp, typename OpT>
LogicalResult buildLossGradient(OpT op, OpBuilder &b, Value dLoss,
                                ArrayRef<bool> needed,
                                MutableArrayRef<Value> grads) {
  if (!needed[0])
    return success();
  OperationState state(op.getLoc(), GradOp::getOperationName());
  state.addOperands({dLoss, op.getInput(), op.getTarget()});
  if (Value valid = op.getValid())
    state.addOperands(valid);
  state.addAttributes(op->getAttrs());
  state.addTypes(op.getInput().getType());
  grads[0] = b.create(state)->getResult(0);
  return success();
}
} // namespace

#define TCNN_LOSS_GRADIENT(Op, GradOp)                                         \
  LogicalResult Op::buildGradients(OpBuilder &b, Value dLoss,                  \
                                   ArrayRef<bool> needed,                      \
                                   MutableArrayRef<Value> grads) {             \
    return buildLossGradient<GradOp>(*this, b, dLoss, needed, grads);          \
  }
TCNN_LOSS_GRADIENT(MseLossOp, MseLossGradOp)
TCNN_LOSS_GRADIENT(L1LossOp, L1LossGradOp)
TCNN_LOSS_GRADIENT(SmoothL1LossOp, SmoothL1LossGradOp)
TCNN_LOSS_GRADIENT(BceWithLogitsLossOp, BceWithLogitsLossGradOp)
TCNN_LOSS_GRADIENT(CrossEntropyLossOp, CrossEntropyLossGradOp)
TCNN_LOSS_GRADIENT(NllLossOp, NllLossGradOp)
#undef TCNN_LOSS_GRADIENT
