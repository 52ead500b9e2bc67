//===- Norm.cpp - nn.BatchNorm2d: layer, checks and reverse rule ----------===//
//
// How a model file spells BatchNorm2d (LayerOpInterface), the checks of the
// family's ops, and the forward op's reverse-mode rule: given the gradient
// of the result, build the backward ops of ops/Norm.td.
//
//===----------------------------------------------------------------------===//

#include "dialect/TcnnOps.h"

using namespace mlir;
using namespace mlir::tcnn;
using T = LayerArg::Type;
using Init = LayerPlan::Param::Init;

namespace {

/// The channel count of an [N, C, H, W] input, or -1 for another rank.
int64_t channelsOf(Value input) {
  auto type = cast<RankedTensorType>(input.getType());
  return type.getRank() == 4 ? type.getDimSize(1) : -1;
}

/// Every per-channel operand that is present has shape [C].
LogicalResult verifyChannelOperands(Operation *op, Value input,
                                    std::initializer_list<Value> perChannel) {
  int64_t c = channelsOf(input);
  if (c < 0)
    return op->emitOpError() << "expects an input [N, C, H, W], got rank "
                             << cast<RankedTensorType>(input.getType())
                                    .getRank();
  for (Value v : perChannel) {
    if (!v)
      continue;
    auto shape = cast<RankedTensorType>(v.getType()).getShape();
    if (shape.size() != 1 || shape[0] != c)
      return op->emitOpError()
             << "expects per-channel operands of shape [" << c
             << "] for input channels " << c << ", got "
             << shapes::str(shape);
  }
  return success();
}

/// Both of a pair of optional operands, or neither.
LogicalResult verifyPaired(Operation *op, Value a, Value b, StringRef what) {
  if (bool(a) != bool(b))
    return op->emitOpError() << "takes " << what << " together or not at all";
  return success();
}

} // namespace

//===----------------------------------------------------------------------===//
// The layer
//===----------------------------------------------------------------------===//

ArrayRef<LayerArg> BatchNorm2dOp::getLayerArgs() {
  static const LayerArg args[] = {
      {"num_features", T::Int, true},
      {"eps", T::Float},
      {"momentum", T::Float},
      {"affine", T::Bool},
      {"track_running_stats", T::Bool}};
  return args;
}

LogicalResult BatchNorm2dOp::planLayer(LayerPlan &plan) {
  int64_t c = plan.getInt("num_features", 0);
  if (c <= 0) {
    plan.atArgument("num_features")("BatchNorm2d: num_features must be "
                                    "positive");
    return failure();
  }
  if (plan.getFloat("eps", 1e-5) <= 0) {
    plan.atArgument("eps")("BatchNorm2d: eps must be positive");
    return failure();
  }
  bool track = plan.getBool("track_running_stats", true);
  double momentum = plan.getFloat("momentum", 0.1);
  if (momentum < 0 || momentum > 1) {
    plan.atArgument("momentum")("BatchNorm2d: momentum must be between 0 "
                                "and 1");
    return failure();
  }
  const shapes::Shape &x = plan.inputs[0];
  if (x.size() != 4) {
    plan.atOperand(0)("BatchNorm2d: input '" + plan.inputNames[0] + "' " +
                      shapes::str(x) + " is not [N, C, H, W]");
    return failure();
  }
  if (x[1] != c) {
    plan.atArgument("num_features")(
        "BatchNorm2d: num_features is " + Twine(c) + " but input '" +
        plan.inputNames[0] + "' " + shapes::str(x) + " has " + Twine(x[1]) +
        " channels");
    return failure();
  }
  // PyTorch refuses to normalize a single value per channel in training.
  if (x[0] * x[2] * x[3] == 1) {
    plan.atOperand(0)("BatchNorm2d: expected more than 1 value per channel "
                      "when training, got input '" +
                      plan.inputNames[0] + "' " + shapes::str(x));
    return failure();
  }
  plan.result = x;
  if (plan.getBool("affine", true)) {
    plan.params.push_back({"weight", {c}, 0, Init::Ones});
    plan.params.push_back({"bias", {c}, 0, Init::Zeros});
  }
  if (track) {
    plan.params.push_back({"running_mean", {c}, 0, Init::Zeros, true});
    plan.params.push_back({"running_var", {c}, 0, Init::Ones, true});
  }
  return success();
}

Value BatchNorm2dOp::buildLayer(OpBuilder &b, Location loc,
                                const LayerPlan &plan, ValueRange inputs,
                                ValueRange params) {
  bool affine = plan.getBool("affine", true);
  Value weight = affine ? params[0] : Value();
  Value bias = affine ? params[1] : Value();
  ValueRange running = params.drop_front(affine ? 2 : 0);
  Value mean = running.empty() ? Value() : running[0];
  Value var = running.empty() ? Value() : running[1];
  auto eps = plan.has("eps") ? b.getF64FloatAttr(plan.getFloat("eps", 1e-5))
                             : FloatAttr();
  auto op = b.create<BatchNorm2dOp>(loc, inputs[0], weight, bias, mean, var,
                                    /*valid=*/Value(), eps, BoolAttr());
  if (mean) {
    auto momentum = plan.has("momentum")
                        ? b.getF64FloatAttr(plan.getFloat("momentum", 0.1))
                        : FloatAttr();
    b.create<BatchNorm2dUpdateOp>(loc, mean.getType(), mean.getType(),
                                  inputs[0], mean, var, /*valid=*/Value(),
                                  momentum, BoolAttr());
  }
  return op;
}

//===----------------------------------------------------------------------===//
// Types and checks
//===----------------------------------------------------------------------===//

LogicalResult BatchNorm2dOp::inferReturnTypes(MLIRContext *, std::optional<Location>,
                                      Adaptor adaptor,
                                      SmallVectorImpl<Type> &types) {
  return inferInputType(adaptor, types);
}

LogicalResult BatchNorm2dOp::verify() {
  if (failed(verifyPaired(*this, getWeight(), getBias(), "weight and bias")) ||
      failed(verifyPaired(*this, getRunningMean(), getRunningVar(),
                          "running_mean and running_var")))
    return failure();
  if (getEps().convertToDouble() <= 0)
    return emitOpError("expects a positive eps");
  return verifyChannelOperands(*this, getInput(),
                               {getWeight(), getBias(), getRunningMean(),
                                getRunningVar()});
}

LogicalResult BatchNorm2dUpdateOp::verify() {
  double m = getMomentum().convertToDouble();
  if (m < 0 || m > 1)
    return emitOpError() << "expects a momentum between 0 and 1, got " << m;
  return verifyChannelOperands(*this, getInput(), {getRunningMean()});
}

/// The gradient ops read the running statistics exactly when they
/// normalize with them (inference mode).
template <typename GradOp>
static LogicalResult verifyGrad(GradOp op, Value weight) {
  if (op.getOutputGrad().getType() != op.getInput().getType())
    return op.emitOpError("expects the upstream gradient to have the "
                          "input's type");
  if (failed(verifyPaired(op, op.getRunningMean(), op.getRunningVar(),
                          "running_mean and running_var")))
    return failure();
  if (!op.getTraining() && !op.getRunningMean())
    return op.emitOpError("in inference mode needs the running statistics");
  return verifyChannelOperands(op, op.getInput(),
                               {weight, op.getRunningMean(),
                                op.getRunningVar()});
}

LogicalResult BatchNorm2dGradOp::verify() {
  if (failed(verifyGrad(*this, getWeight())))
    return failure();
  if (getInputGrad().getType() != getInput().getType())
    return emitOpError("expects a result of the input's type");
  return success();
}

LogicalResult BatchNorm2dWeightGradOp::verify() {
  if (failed(verifyGrad(*this, Value())))
    return failure();
  auto shape = cast<RankedTensorType>(getWeightGrad().getType()).getShape();
  if (shape.size() != 1 || shape[0] != channelsOf(getInput()))
    return emitOpError() << "expects a result of shape ["
                         << channelsOf(getInput()) << "], got "
                         << shapes::str(shape);
  return success();
}

Value BatchNorm2dUpdateOp::getUpdatedOperand(unsigned i) {
  return i == 0 ? getRunningMean() : getRunningVar();
}

//===----------------------------------------------------------------------===//
// Reverse-mode rule
//===----------------------------------------------------------------------===//

LogicalResult BatchNorm2dOp::buildGradients(OpBuilder &b, Value dy,
                                            ArrayRef<bool> needed,
                                            MutableArrayRef<Value> grads) {
  Location loc = getLoc();
  // Without running statistics, both modes normalize by the batch's.
  bool batchStats = getTraining() || !getRunningMean();
  Value mean = batchStats ? Value() : getRunningMean();
  Value var = batchStats ? Value() : getRunningVar();
  BoolAttr mode = batchStats ? BoolAttr() : b.getBoolAttr(false);
  auto neededOperand = [&](MutableOperandRange range) -> std::optional<unsigned> {
    if (range.empty() || !needed[range.begin()->getOperandNumber()])
      return std::nullopt;
    return range.begin()->getOperandNumber();
  };
  if (needed[0])
    grads[0] = b.create<BatchNorm2dGradOp>(loc, getInput().getType(), dy,
                                           getInput(), getWeight(), mean, var,
                                           getValid(), getEpsAttr(), mode);
  if (auto i = neededOperand(getWeightMutable()))
    grads[*i] = b.create<BatchNorm2dWeightGradOp>(
        loc, getWeight().getType(), dy, getInput(), mean, var, getValid(),
        getEpsAttr(), mode);
  if (auto i = neededOperand(getBiasMutable()))
    grads[*i] = b.create<BiasGradOp>(loc, getBias().getType(), dy);
  return success();
}
