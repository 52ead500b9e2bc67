//===- Interpreter.cpp - run tcnn functions op by op ----------------------===//

#include "compiler/interpreter/Interpreter.h"

#include "compiler/interpreter/Kernels.h"
#include "dialect/ShapeRules.h"
#include "dialect/TcnnOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MLProgram/IR/MLProgram.h"
#include "mlir/IR/SymbolTable.h"

#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::tcnn;
using tcnnc::Interpreter;
using tcnnc::Tensor;
namespace kernels = tcnnc::kernels;

static kernels::Pair pair(ArrayRef<int64_t> a) { return {a[0], a[1]}; }

static std::vector<int64_t> shapeOf(Type type) {
  auto shape = cast<ShapedType>(type).getShape();
  return {shape.begin(), shape.end()};
}

/// Reads a dense f32 or i64 attribute into a tensor.
static FailureOr<Tensor> tensorFromAttr(Attribute attr) {
  auto dense = dyn_cast_or_null<DenseElementsAttr>(attr);
  if (!dense)
    return failure();
  Tensor t(shapeOf(dense.getType()));
  Type elem = dense.getElementType();
  if (elem.isF32()) {
    int64_t i = 0;
    for (float v : dense.getValues<float>())
      t.data[i++] = v;
  } else if (elem.isInteger(64)) {
    int64_t i = 0;
    for (int64_t v : dense.getValues<int64_t>())
      t.data[i++] = static_cast<double>(v);
  } else {
    return failure();
  }
  return t;
}

FailureOr<std::vector<Tensor>>
Interpreter::loadArguments(func::FuncOp func,
                           const std::map<std::string, Tensor> &overrides) {
  std::vector<Tensor> args;
  for (unsigned i = 0; i < func.getNumArguments(); ++i) {
    std::string name = argumentName(func, i);
    std::vector<int64_t> expected = shapeOf(func.getArgument(i).getType());
    if (auto it = overrides.find(name); it != overrides.end()) {
      if (it->second.shape != expected)
        return func.emitError() << "value for '" << name << "' has shape "
                                << shapes::str(it->second.shape)
                                << " but the model expects "
                                << shapes::str(expected);
      args.push_back(it->second);
      continue;
    }
    auto global = SymbolTable::lookupNearestSymbolFrom<ml_program::GlobalOp>(
        func, StringAttr::get(func.getContext(), name));
    if (!global)
      return func.emitError() << "no value for argument " << i << " ('"
                              << name << "'): no ml_program.global @" << name;
    auto value = tensorFromAttr(global.getValueAttr());
    if (failed(value) || value->shape != expected)
      return global.emitError()
             << "global @" << name << " does not hold a dense tensor of "
             << "shape " << shapes::str(expected);
    args.push_back(std::move(*value));
  }
  return args;
}

FailureOr<std::vector<Tensor>> Interpreter::run(func::FuncOp func,
                                                ArrayRef<Tensor> args) {
  values.clear();
  if (func.isExternal() || !func.getBody().hasOneBlock())
    return func.emitError("interpreter: only single-block functions run");
  Block &body = func.getBody().front();
  if (args.size() != body.getNumArguments())
    return func.emitError() << "interpreter: " << args.size()
                            << " arguments given, " << body.getNumArguments()
                            << " expected";
  for (auto [arg, value] : llvm::zip(body.getArguments(), args))
    values[arg] = value;
  for (Operation &op : body) {
    if (auto ret = dyn_cast<func::ReturnOp>(op)) {
      std::vector<Tensor> results;
      for (Value v : ret.getOperands())
        results.push_back(values.at(v));
      return results;
    }
    if (failed(execute(&op)))
      return failure();
  }
  return func.emitError("interpreter: function has no return");
}

LogicalResult Interpreter::execute(Operation *op) {
  auto in = [&](Value v) -> const Tensor & { return values.at(v); };
  auto optional = [&](Value v) -> const Tensor * {
    return v ? &values.at(v) : nullptr;
  };
  std::optional<Tensor> result =
      llvm::TypeSwitch<Operation *, std::optional<Tensor>>(op)
          // Forward ops.
          .Case([&](Conv2dOp o) {
            return kernels::conv2d(in(o.getInput()), in(o.getWeight()),
                                   optional(o.getBias()), pair(o.getStride()),
                                   pair(o.getPadding()));
          })
          .Case([&](MaxPool2dOp o) {
            return kernels::maxPool2d(in(o.getInput()), pair(o.getKernelSize()),
                                      pair(o.getStride()),
                                      pair(o.getPadding()));
          })
          .Case([&](AvgPool2dOp o) {
            return kernels::avgPool2d(in(o.getInput()), pair(o.getKernelSize()),
                                      pair(o.getStride()),
                                      pair(o.getPadding()));
          })
          .Case([&](ReluOp o) { return kernels::relu(in(o.getInput())); })
          .Case([&](FlattenOp o) {
            return kernels::reshape(in(o.getInput()), shapeOf(o.getType()));
          })
          .Case([&](ReshapeOp o) {
            return kernels::reshape(in(o.getInput()), shapeOf(o.getType()));
          })
          .Case([&](LinearOp o) {
            return kernels::linear(in(o.getInput()), in(o.getWeight()),
                                   optional(o.getBias()));
          })
          .Case([&](AddOp o) {
            return kernels::add(in(o.getLhs()), in(o.getRhs()));
          })
          .Case([&](MseLossOp o) {
            return kernels::mseLoss(in(o.getInput()), in(o.getTarget()));
          })
          .Case([&](CrossEntropyLossOp o) {
            return kernels::crossEntropyLoss(in(o.getInput()),
                                             in(o.getTarget()));
          })
          // Backward ops.
          .Case([&](Conv2dInputGradOp o) {
            return kernels::conv2dInputGrad(
                in(o.getOutputGrad()), in(o.getWeight()), shapeOf(o.getType()),
                pair(o.getStride()), pair(o.getPadding()));
          })
          .Case([&](Conv2dWeightGradOp o) {
            return kernels::conv2dWeightGrad(
                in(o.getOutputGrad()), in(o.getInput()), shapeOf(o.getType()),
                pair(o.getStride()), pair(o.getPadding()));
          })
          .Case([&](BiasGradOp o) {
            return kernels::biasGrad(in(o.getOutputGrad()));
          })
          .Case([&](MaxPool2dGradOp o) {
            return kernels::maxPool2dGrad(
                in(o.getOutputGrad()), in(o.getInput()),
                pair(o.getKernelSize()), pair(o.getStride()),
                pair(o.getPadding()));
          })
          .Case([&](AvgPool2dGradOp o) {
            return kernels::avgPool2dGrad(
                in(o.getOutputGrad()), shapeOf(o.getType()),
                pair(o.getKernelSize()), pair(o.getStride()),
                pair(o.getPadding()));
          })
          .Case([&](ReluGradOp o) {
            return kernels::reluGrad(in(o.getOutputGrad()), in(o.getInput()));
          })
          .Case([&](LinearInputGradOp o) {
            return kernels::linearInputGrad(in(o.getOutputGrad()),
                                            in(o.getWeight()));
          })
          .Case([&](LinearWeightGradOp o) {
            return kernels::linearWeightGrad(in(o.getOutputGrad()),
                                             in(o.getInput()));
          })
          .Case([&](MseLossGradOp o) {
            return kernels::mseLossGrad(in(o.getLossGrad()), in(o.getInput()),
                                        in(o.getTarget()));
          })
          .Case([&](CrossEntropyLossGradOp o) {
            return kernels::crossEntropyLossGrad(
                in(o.getLossGrad()), in(o.getInput()), in(o.getTarget()));
          })
          .Case([&](arith::ConstantOp o) -> std::optional<Tensor> {
            auto t = tensorFromAttr(o.getValue());
            if (failed(t))
              return std::nullopt;
            return *t;
          })
          .Default([](Operation *) { return std::nullopt; });
  if (!result)
    return op->emitOpError("is not supported by the tcnn interpreter");
  if (op->getNumResults() != 1 ||
      result->shape != shapeOf(op->getResult(0).getType()))
    return op->emitOpError("interpreter: computed shape ")
           << shapes::str(result->shape) << " does not match the result type";
  if (roundToFloat)
    result->roundToFloat();
  values[op->getResult(0)] = std::move(*result);
  return success();
}
