//===- Pool.cpp - nn.MaxPool2d, nn.AvgPool2d: layers, reverse rules -------===//
//
// How a model file spells each op of the family (LayerOpInterface), and
// each forward op's reverse-mode rule (GradientOpInterface): given the
// gradient of the result, build the backward ops of ops/Pool.td. Backward
// ops take the forward op's location, so every derived op points back at
// the layer (and model-file line) it differentiates.
//
//===----------------------------------------------------------------------===//

#include "dialect/TcnnOps.h"

using namespace mlir;
using namespace mlir::tcnn;
using T = LayerArg::Type;

namespace {
/// The windows a pooling layer's arguments give; stride defaults to the
/// kernel size, as in PyTorch.
shapes::PoolWindows windowsOf(const LayerPlan &plan) {
  shapes::PoolWindows w;
  w.kernel = plan.getPair("kernel_size", {1, 1});
  w.stride = plan.getPair("stride", w.kernel);
  w.padding = plan.getPair("padding", {0, 0});
  w.dilation = plan.getPair("dilation", {1, 1});
  w.ceilMode = plan.getBool("ceil_mode", false);
  w.countIncludePad = plan.getBool("count_include_pad", true);
  w.divisorOverride = plan.getInt("divisor_override", 0);
  return w;
}

LogicalResult planPool(LayerPlan &plan, StringRef opName) {
  if (plan.has("divisor_override") && plan.getInt("divisor_override", 1) < 1) {
    plan.atArgument("divisor_override")(
        "AvgPool2d: divisor_override must be positive, got " +
        Twine(plan.getInt("divisor_override", 0)));
    return failure();
  }
  auto shape =
      shapes::pool2d(opName, plan.inputs[0], windowsOf(plan), plan.atCall());
  if (!shape)
    return failure();
  plan.result = *shape;
  return success();
}

} // namespace

ArrayRef<LayerArg> MaxPool2dOp::getLayerArgs() {
  static const LayerArg args[] = {{"kernel_size", T::Pair, true},
                                  {"stride", T::Pair, false, nullptr, true},
                                  {"padding", T::Pair},
                                  {"dilation", T::Pair},
                                  {"ceil_mode", T::Bool}};
  return args;
}

LogicalResult MaxPool2dOp::planLayer(LayerPlan &plan) {
  return planPool(plan, "max_pool2d");
}

Value MaxPool2dOp::buildLayer(OpBuilder &b, Location loc,
                              const LayerPlan &plan, ValueRange inputs,
                              ValueRange) {
  shapes::PoolWindows w = windowsOf(plan);
  return b.create<MaxPool2dOp>(
      loc, inputs[0], pairAttr(b, w.kernel), pairAttr(b, w.stride),
      pairAttr(b, w.padding),
      plan.givenPairAttr(b, "dilation"),
      w.ceilMode ? b.getBoolAttr(true) : BoolAttr());
}

ArrayRef<LayerArg> AvgPool2dOp::getLayerArgs() {
  static const LayerArg args[] = {
      {"kernel_size", T::Pair, true},
      {"stride", T::Pair, false, nullptr, true},
      {"padding", T::Pair},
      {"ceil_mode", T::Bool},
      {"count_include_pad", T::Bool},
      {"divisor_override", T::Int, false, nullptr, true}};
  return args;
}

LogicalResult AvgPool2dOp::planLayer(LayerPlan &plan) {
  return planPool(plan, "avg_pool2d");
}

Value AvgPool2dOp::buildLayer(OpBuilder &b, Location loc,
                              const LayerPlan &plan, ValueRange inputs,
                              ValueRange) {
  shapes::PoolWindows w = windowsOf(plan);
  return b.create<AvgPool2dOp>(
      loc, inputs[0], pairAttr(b, w.kernel), pairAttr(b, w.stride),
      pairAttr(b, w.padding), w.ceilMode ? b.getBoolAttr(true) : BoolAttr(),
      w.countIncludePad ? BoolAttr() : b.getBoolAttr(false),
      w.divisorOverride > 0 ? b.getI64IntegerAttr(w.divisorOverride)
                            : IntegerAttr());
}

namespace {
/// output_size: an int k means (k, k), as in PyTorch.
LogicalResult planAdaptivePool(LayerPlan &plan, StringRef opName) {
  auto shape = shapes::adaptivePool2d(opName, plan.inputs[0],
                                      plan.getPair("output_size", {1, 1}),
                                      plan.atArgument("output_size"));
  if (!shape)
    return failure();
  plan.result = *shape;
  return success();
}

const LayerArg kOutputSizeArg[] = {{"output_size", T::Pair, true}};

template <typename AdaptiveOp>
Value buildAdaptivePool(OpBuilder &b, Location loc, const LayerPlan &plan,
                        ValueRange inputs) {
  return b.create<AdaptiveOp>(
      loc, inputs[0], pairAttr(b, plan.getPair("output_size", {1, 1})));
}
} // namespace

ArrayRef<LayerArg> AdaptiveAvgPool2dOp::getLayerArgs() { return kOutputSizeArg; }

LogicalResult AdaptiveAvgPool2dOp::planLayer(LayerPlan &plan) {
  return planAdaptivePool(plan, "adaptive_avg_pool2d");
}

Value AdaptiveAvgPool2dOp::buildLayer(OpBuilder &b, Location loc,
                                      const LayerPlan &plan, ValueRange inputs,
                                      ValueRange) {
  return buildAdaptivePool<AdaptiveAvgPool2dOp>(b, loc, plan, inputs);
}

ArrayRef<LayerArg> AdaptiveMaxPool2dOp::getLayerArgs() { return kOutputSizeArg; }

LogicalResult AdaptiveMaxPool2dOp::planLayer(LayerPlan &plan) {
  return planAdaptivePool(plan, "adaptive_max_pool2d");
}

Value AdaptiveMaxPool2dOp::buildLayer(OpBuilder &b, Location loc,
                                      const LayerPlan &plan, ValueRange inputs,
                                      ValueRange) {
  return buildAdaptivePool<AdaptiveMaxPool2dOp>(b, loc, plan, inputs);
}

//===----------------------------------------------------------------------===//
// Reverse-mode rules
//===----------------------------------------------------------------------===//

LogicalResult MaxPool2dOp::buildGradients(OpBuilder &b, Value dy,
                                          ArrayRef<bool> needed,
                                          MutableArrayRef<Value> grads) {
  if (needed[0])
    grads[0] = b.create<MaxPool2dGradOp>(
        getLoc(), getInput().getType(), dy, getInput(), getKernelSizeAttr(),
        getStrideAttr(), getPaddingAttr(), getDilationAttr(),
        getCeilModeAttr());
  return success();
}

LogicalResult AvgPool2dOp::buildGradients(OpBuilder &b, Value dy,
                                          ArrayRef<bool> needed,
                                          MutableArrayRef<Value> grads) {
  if (needed[0])
    grads[0] = b.create<AvgPool2dGradOp>(
        getLoc(), getInput().getType(), dy, getKernelSizeAttr(),
        getStrideAttr(), getPaddingAttr(), getCeilModeAttr(),
        getCountIncludePadAttr(), getDivisorOverrideAttr());
  return success();
}

LogicalResult AdaptiveAvgPool2dOp::buildGradients(OpBuilder &b, Value dy,
                                                  ArrayRef<bool> needed,
                                                  MutableArrayRef<Value> grads) {
  if (needed[0])
    grads[0] = b.create<AdaptiveAvgPool2dGradOp>(getLoc(), getInput().getType(),
                                                 dy);
  return success();
}

LogicalResult AdaptiveMaxPool2dOp::buildGradients(OpBuilder &b, Value dy,
                                                  ArrayRef<bool> needed,
                                                  MutableArrayRef<Value> grads) {
  if (needed[0])
    grads[0] = b.create<AdaptiveMaxPool2dGradOp>(getLoc(), getInput().getType(),
                                                 dy, getInput());
  return success();
}
