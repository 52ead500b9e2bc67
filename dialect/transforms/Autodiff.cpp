//===- Autodiff.cpp - the -tcnn-autodiff pass -----------------------------===//
//
// Reverse-mode differentiation of a straight-line tcnn function. The pass
// knows no op by name: it asks each op for its rule through
// GradientOpInterface. Three ideas keep the backward IR minimal:
//  - activity: only values that depend on a differentiated argument carry
//    gradients, so no op is built for an input nobody asked about;
//  - reverse order: each op's result gradient is complete (all uses summed)
//    before its rule runs, because every use comes later in the block;
//  - reuse: rules read forward values directly, nothing is recomputed.
//
//===----------------------------------------------------------------------===//

#include "dialect/transforms/Passes.h"

#include "dialect/TcnnOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/MapVector.h"

namespace mlir::tcnn {
#define GEN_PASS_DEF_TCNNAUTODIFF
#include "dialect/transforms/Passes.h.inc"
} // namespace mlir::tcnn

using namespace mlir;
using namespace mlir::tcnn;

namespace {

/// Adds `grad` to the gradient accumulated for `value`.
void accumulate(OpBuilder &b, DenseMap<Value, Value> &grads, Value value,
                Value grad) {
  auto [it, inserted] = grads.try_emplace(value, grad);
  if (!inserted)
    it->second = b.create<AddOp>(grad.getLoc(), it->second, grad);
}

Value zerosLike(OpBuilder &b, Location loc, Type type) {
  auto tensorType = cast<RankedTensorType>(type);
  return b.create<arith::ConstantOp>(
      loc, DenseElementsAttr::get(tensorType, b.getF32FloatAttr(0.0f)));
}

/// The user-facing name of a forward value: its layer (NameLoc) or its
/// argument's tcnn.input/target/param name.
std::string valueName(func::FuncOp func, Value v) {
  if (auto arg = dyn_cast<BlockArgument>(v))
    return argumentName(func, arg.getArgNumber());
  if (auto name = dyn_cast<NameLoc>(v.getLoc()))
    return name.getName().str();
  return "";
}

void tagGradients(func::FuncOp func, const DenseMap<Value, Value> &grads) {
  llvm::MapVector<Operation *, SmallVector<Attribute>> tags;
  for (auto [value, grad] : grads) {
    Operation *def = grad.getDefiningOp();
    std::string name = valueName(func, value);
    if (def && !name.empty())
      tags[def].push_back(StringAttr::get(func.getContext(), name));
  }
  for (auto &[op, names] : tags) {
    llvm::sort(names, [](Attribute a, Attribute b) {
      return cast<StringAttr>(a).getValue() < cast<StringAttr>(b).getValue();
    });
    op->setAttr(kGradOfAttr, ArrayAttr::get(func.getContext(), names));
  }
}

class AutodiffPass
    : public mlir::tcnn::impl::TcnnAutodiffBase<AutodiffPass> {
public:
  using TcnnAutodiffBase::TcnnAutodiffBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<func::FuncOp> forwards;
    for (auto func : module.getOps<func::FuncOp>()) {
      if (isInferenceOnly(func)) {
        func.emitError() << "tcnn-autodiff: @" << func.getSymName()
                         << " is inference-only (the model has no loss): "
                            "there is nothing to differentiate";
        return signalPassFailure();
      }
      if (!func.isExternal() && !func->hasAttr(kGradientOfAttr))
        forwards.push_back(func);
    }
    if (forwards.empty()) {
      module.emitError("tcnn-autodiff: the module has no function to "
                       "differentiate");
      return signalPassFailure();
    }
    for (func::FuncOp func : forwards)
      if (failed(differentiate(func)))
        return signalPassFailure();
  }

private:
  LogicalResult differentiate(func::FuncOp forward);
};

LogicalResult AutodiffPass::differentiate(func::FuncOp forward) {
  FunctionType type = forward.getFunctionType();
  auto lossType = type.getNumResults() == 0
                      ? RankedTensorType()
                      : dyn_cast<RankedTensorType>(type.getResult(0));
  if (!lossType || lossType.getRank() != 0 ||
      !lossType.getElementType().isF32())
    return forward.emitError()
           << "tcnn-autodiff: @" << forward.getSymName()
           << " has no scalar loss: its first result must be tensor<f32>";
  if (!forward.getBody().hasOneBlock())
    return forward.emitError("tcnn-autodiff: only single-block functions "
                             "can be differentiated");

  // The arguments to differentiate: every parameter, plus `wrt` inputs.
  SmallVector<unsigned> diffArgs;
  SmallVector<std::string> gradNames;
  for (unsigned i = 0; i < forward.getNumArguments(); ++i)
    if (auto name = forward.getArgAttrOfType<StringAttr>(i, kParamAttr)) {
      diffArgs.push_back(i);
      gradNames.push_back(name.str() + ".grad");
    }
  for (const std::string &input : wrt) {
    bool found = false;
    for (unsigned i = 0; i < forward.getNumArguments(); ++i) {
      auto name = forward.getArgAttrOfType<StringAttr>(i, kInputAttr);
      if (name && name.getValue() == input) {
        diffArgs.push_back(i);
        gradNames.push_back(input + ".grad");
        found = true;
      }
    }
    if (!found)
      return forward.emitError() << "tcnn-autodiff: wrt names '" << input
                                 << "', which is not an input (tcnn.input) "
                                    "of @" << forward.getSymName();
  }

  // The gradient function: same arguments, a copy of the forward body.
  OpBuilder b(forward);
  b.setInsertionPointAfter(forward);
  auto gradFunc = cast<func::FuncOp>(b.clone(*forward));
  gradFunc.setSymName((forward.getSymName() + "_grad").str());
  gradFunc->setAttr(kGradientOfAttr,
                    FlatSymbolRefAttr::get(forward.getSymNameAttr()));
  Block &body = gradFunc.getBody().front();
  auto ret = cast<func::ReturnOp>(body.getTerminator());

  // Activity: values that depend on a differentiated argument.
  llvm::DenseSet<Value> active;
  for (unsigned i : diffArgs)
    active.insert(body.getArgument(i));
  for (Operation &op : body.without_terminator())
    if (llvm::any_of(op.getOperands(),
                     [&](Value v) { return active.contains(v); }))
      for (Value r : op.getResults())
        active.insert(r);

  // Reverse sweep, seeded with dL/dL = 1.
  b.setInsertionPoint(ret);
  Location loc = gradFunc.getLoc();
  DenseMap<Value, Value> grads;
  Value loss = ret.getOperand(0);
  grads[loss] = b.create<arith::ConstantOp>(
      loc, DenseElementsAttr::get(lossType, b.getF32FloatAttr(1.0f)));
  SmallVector<Operation *> ops;
  for (Operation &op : body.without_terminator())
    ops.push_back(&op);
  for (Operation *op : llvm::reverse(ops)) {
    if (op->getNumResults() != 1 || !grads.count(op->getResult(0)) ||
        !active.contains(op->getResult(0)))
      continue;
    auto rule = dyn_cast<GradientOpInterface>(op);
    if (!rule)
      return op->emitOpError()
             << "has no gradient rule (it does not implement tcnn's "
                "GradientOpInterface)";
    SmallVector<bool> needed;
    for (Value v : op->getOperands())
      needed.push_back(active.contains(v));
    SmallVector<Value> operandGrads(op->getNumOperands());
    if (failed(rule.buildGradients(b, grads[op->getResult(0)], needed,
                                   operandGrads)))
      return failure();
    for (auto [operand, grad] : llvm::zip(op->getOperands(), operandGrads))
      if (grad)
        accumulate(b, grads, operand, grad);
  }

  // Tag each gradient with the forward values it is the gradient of, so
  // tools (--dump, explain) can name it: tcnn.grad_of = ["conv1", ...].
  tagGradients(gradFunc, grads);

  // Results: forward results, then one gradient per differentiated arg.
  SmallVector<Value> results(ret.getOperands());
  SmallVector<Type> resultTypes(type.getResults());
  for (unsigned i : diffArgs) {
    Value arg = body.getArgument(i);
    Value grad = grads.lookup(arg);
    // A parameter the loss does not depend on has a zero gradient.
    results.push_back(grad ? grad : zerosLike(b, loc, arg.getType()));
    resultTypes.push_back(arg.getType());
  }
  b.create<func::ReturnOp>(ret.getLoc(), results);
  ret.erase();
  gradFunc.setFunctionType(
      FunctionType::get(&getContext(), type.getInputs(), resultTypes));
  SmallVector<Attribute> names;
  if (auto fwdNames = forward->getAttrOfType<ArrayAttr>(kResultNamesAttr))
    names.append(fwdNames.begin(), fwdNames.end());
  else
    for (unsigned i = 0; i < type.getNumResults(); ++i)
      names.push_back(b.getStringAttr("result" + std::to_string(i)));
  for (const std::string &name : gradNames)
    names.push_back(b.getStringAttr(name));
  gradFunc->setAttr(kResultNamesAttr, b.getArrayAttr(names));

  OpPassManager cleanup(func::FuncOp::getOperationName());
  cleanup.addPass(createCanonicalizerPass());
  cleanup.addPass(createCSEPass());
  return runPipeline(cleanup, gradFunc);
}

} // namespace

LogicalResult mlir::tcnn::findGradientFunction(ModuleOp module,
                                               func::FuncOp &forward,
                                               func::FuncOp &grad) {
  for (auto func : module.getOps<func::FuncOp>())
    if (auto of = func->getAttrOfType<FlatSymbolRefAttr>(kGradientOfAttr)) {
      grad = func;
      forward = module.lookupSymbol<func::FuncOp>(of.getValue());
    }
  if (!grad || !forward)
    return module.emitError("no gradient function: run -tcnn-autodiff first");
  return success();
}

LogicalResult mlir::tcnn::findModelFunction(ModuleOp module,
                                            func::FuncOp &forward,
                                            func::FuncOp &run) {
  for (auto func : module.getOps<func::FuncOp>())
    if (isInferenceOnly(func)) {
      forward = run = func;
      return success();
    }
  return findGradientFunction(module, forward, run);
}
