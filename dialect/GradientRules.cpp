//===- GradientRules.cpp - each op's reverse-mode rule --------------------===//
//
// The GradientOpInterface implementation of every forward op: given the
// gradient of the op's result, build the backward ops for its operands.
// Backward ops take the forward op's location, so every derived op points
// back at the layer (and model-file line) it differentiates.
//
//===----------------------------------------------------------------------===//

#include "dialect/TcnnOps.h"

using namespace mlir;
using namespace mlir::tcnn;

LogicalResult Conv2dOp::buildGradients(OpBuilder &b, Value dy,
                                       ArrayRef<bool> needed,
                                       MutableArrayRef<Value> grads) {
  Location loc = getLoc();
  if (needed[0])
    grads[0] = b.create<Conv2dInputGradOp>(loc, getInput().getType(), dy,
                                           getWeight(), getStrideAttr(),
                                           getPaddingAttr());
  if (needed[1])
    grads[1] = b.create<Conv2dWeightGradOp>(loc, getWeight().getType(), dy,
                                            getInput(), getStrideAttr(),
                                            getPaddingAttr());
  if (getBias() && needed[2])
    grads[2] = b.create<BiasGradOp>(loc, getBias().getType(), dy);
  return success();
}

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

LogicalResult ReluOp::buildGradients(OpBuilder &b, Value dy,
                                     ArrayRef<bool> needed,
                                     MutableArrayRef<Value> grads) {
  if (needed[0])
    grads[0] = b.create<ReluGradOp>(getLoc(), getInput().getType(), dy,
                                    getInput());
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

LogicalResult LinearOp::buildGradients(OpBuilder &b, Value dy,
                                       ArrayRef<bool> needed,
                                       MutableArrayRef<Value> grads) {
  Location loc = getLoc();
  if (needed[0])
    grads[0] = b.create<LinearInputGradOp>(loc, getInput().getType(), dy,
                                           getWeight());
  if (needed[1])
    grads[1] = b.create<LinearWeightGradOp>(loc, getWeight().getType(), dy,
                                            getInput());
  if (getBias() && needed[2])
    grads[2] = b.create<BiasGradOp>(loc, getBias().getType(), dy);
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

LogicalResult MseLossOp::buildGradients(OpBuilder &b, Value dLoss,
                                        ArrayRef<bool> needed,
                                        MutableArrayRef<Value> grads) {
  // The target is data, never differentiated (as a tensor without
  // requires_grad in PyTorch).
  if (needed[0])
    grads[0] = b.create<MseLossGradOp>(getLoc(), getInput().getType(), dLoss,
                                       getInput(), getTarget());
  return success();
}

LogicalResult CrossEntropyLossOp::buildGradients(OpBuilder &b, Value dLoss,
                                                 ArrayRef<bool> needed,
                                                 MutableArrayRef<Value> grads) {
  if (needed[0])
    grads[0] = b.create<CrossEntropyLossGradOp>(
        getLoc(), getInput().getType(), dLoss, getInput(), getTarget());
  return success();
}
