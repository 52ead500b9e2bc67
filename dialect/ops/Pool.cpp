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
/// Both pools: stride defaults to the kernel size, as in PyTorch.
LogicalResult planPool(LayerPlan &plan, StringRef opName) {
  auto kernel = plan.getPair("kernel_size", {1, 1});
  auto shape = shapes::pool2d(opName, plan.inputs[0], kernel,
                              plan.getPair("stride", kernel),
                              plan.getPair("padding", {0, 0}), plan.atCall());
  if (!shape)
    return failure();
  plan.result = *shape;
  return success();
}

template <typename PoolOp>
Value buildPool(OpBuilder &b, Location loc, const LayerPlan &plan,
                ValueRange inputs) {
  auto kernel = plan.getPair("kernel_size", {1, 1});
  auto attr = [&](std::array<int64_t, 2> p) {
    return b.getDenseI64ArrayAttr({p[0], p[1]});
  };
  return b.create<PoolOp>(loc, inputs[0], attr(kernel),
                          attr(plan.getPair("stride", kernel)),
                          attr(plan.getPair("padding", {0, 0})));
}
} // namespace

ArrayRef<LayerArg> MaxPool2dOp::getLayerArgs() {
  static const LayerArg args[] = {
      {"kernel_size", T::Pair, true}, {"stride", T::Pair}, {"padding", T::Pair}};
  return args;
}

LogicalResult MaxPool2dOp::planLayer(LayerPlan &plan) {
  return planPool(plan, "max_pool2d");
}

Value MaxPool2dOp::buildLayer(OpBuilder &b, Location loc,
                              const LayerPlan &plan, ValueRange inputs,
                              ValueRange) {
  return buildPool<MaxPool2dOp>(b, loc, plan, inputs);
}

ArrayRef<LayerArg> AvgPool2dOp::getLayerArgs() {
  static const LayerArg args[] = {{"kernel_size", T::Pair, true},
                                  {"stride", T::Pair},
                                  {"padding", T::Pair},
                                  {"count_include_pad", T::Bool}};
  return args;
}

LogicalResult AvgPool2dOp::planLayer(LayerPlan &plan) {
  if (plan.has("count_include_pad") &&
      !plan.getBool("count_include_pad", true)) {
    plan.atArgument("count_include_pad")(
        "AvgPool2d: count_include_pad=false is not supported");
    return failure();
  }
  return planPool(plan, "avg_pool2d");
}

Value AvgPool2dOp::buildLayer(OpBuilder &b, Location loc,
                              const LayerPlan &plan, ValueRange inputs,
                              ValueRange) {
  return buildPool<AvgPool2dOp>(b, loc, plan, inputs);
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
        getStrideAttr(), getPaddingAttr());
  return success();
}

LogicalResult AvgPool2dOp::buildGradients(OpBuilder &b, Value dy,
                                          ArrayRef<bool> needed,
                                          MutableArrayRef<Value> grads) {
  if (needed[0])
    grads[0] = b.create<AvgPool2dGradOp>(getLoc(), getInput().getType(), dy,
                                         getKernelSizeAttr(), getStrideAttr(),
                                         getPaddingAttr());
  return success();
}
