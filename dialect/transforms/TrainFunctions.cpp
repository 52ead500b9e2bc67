//===- TrainFunctions.cpp - the -tcnn-train-functions pass ----------------===//
//
// What a model needs to train on a data set beyond forward and gradient:
// a count of real samples for the padded last batch, and the optimizer
// steps as functions of tcnn ops (see Passes.td for the contract).
//
//===----------------------------------------------------------------------===//

#include "dialect/transforms/Passes.h"

#include "dialect/TcnnOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace mlir::tcnn {
#define GEN_PASS_DEF_TCNNTRAINFUNCTIONS
#include "dialect/transforms/Passes.h.inc"
} // namespace mlir::tcnn

using namespace mlir;
using namespace mlir::tcnn;

namespace {

/// N when every tensor argument but the parameters, and every tensor the
/// function computes except 0-d ones (losses), has dimension 0 equal to N:
/// then each sample flows through the model alone and only batch means mix
/// them. 0 otherwise.
int64_t batchSizeOf(func::FuncOp func) {
  int64_t batch = -1;
  auto agrees = [&](Value v) {
    auto type = dyn_cast<RankedTensorType>(v.getType());
    if (!type || type.getRank() == 0)
      return true;
    if (batch < 0)
      batch = type.getDimSize(0);
    return type.getDimSize(0) == batch;
  };
  for (unsigned i = 0; i < func.getNumArguments(); ++i) {
    auto role = argumentRole(func, i);
    if (role && (role->first == ArgRole::Param || role->first == ArgRole::Buffer))
      continue;
    auto type = dyn_cast<RankedTensorType>(func.getArgument(i).getType());
    if (!type || type.getRank() == 0 || !agrees(func.getArgument(i)))
      return 0;
  }
  WalkResult walk = func.walk([&](Operation *op) {
    // Model state (running statistics) is per model, not per sample.
    if (isa<StateUpdateOpInterface>(op))
      return WalkResult::advance();
    for (Value r : op->getResults())
      if (!agrees(r))
        return WalkResult::interrupt();
    return WalkResult::advance();
  });
  return walk.wasInterrupted() || batch < 0 ? 0 : batch;
}

/// Appends `%valid: i64` to `func` and, when `batchable`, hands it to every
/// op that averages over the batch.
void addValidArgument(func::FuncOp func, bool batchable) {
  unsigned index = func.getNumArguments();
  Builder b(func.getContext());
  (void)func.insertArgument(index, b.getI64Type(),
                            b.getDictionaryAttr(b.getNamedAttr(
                                kValidAttr, b.getUnitAttr())),
                            func.getLoc());
  if (!batchable)
    return;
  Value valid = func.getArgument(index);
  func.walk([&](BatchMeanOpInterface op) {
    op.getValidRowsMutable().assign(valid);
  });
}

/// Puts `forward` in inference mode, as evaluation and prediction use it,
/// and drops its results past loss and output: the buffers' next values,
/// which inference leaves as they are.
void makeInferenceFunction(func::FuncOp forward) {
  setTrainingMode(forward, false);
  auto ret = cast<func::ReturnOp>(forward.getBody().front().getTerminator());
  if (ret.getNumOperands() <= 2)
    return;
  ret->setOperands(ret.getOperands().take_front(2));
  forward.setFunctionType(FunctionType::get(
      forward.getContext(), forward.getArgumentTypes(),
      forward.getResultTypes().take_front(2)));
  if (auto names = forward->getAttrOfType<ArrayAttr>(kResultNamesAttr))
    forward->setAttr(kResultNamesAttr,
                     ArrayAttr::get(forward.getContext(),
                                    names.getValue().take_front(2)));
}

struct ParamInfo {
  RankedTensorType type;
  StringAttr name;
};

/// A function `name(params..., grads..., states...(per state kind),
/// scalars...)` whose body `build` fills; it returns what `build` gives.
func::FuncOp buildStep(OpBuilder &b, Location loc, StringRef name,
                       StringRef kind, ArrayRef<ParamInfo> params,
                       ArrayRef<StringRef> stateNames,
                       ArrayRef<std::pair<StringRef, Type>> scalars,
                       function_ref<SmallVector<Value>(
                           OpBuilder &, ArrayRef<Value> p, ArrayRef<Value> g,
                           ArrayRef<SmallVector<Value>> state,
                           ArrayRef<Value> scalars)>
                           build) {
  SmallVector<Type> inputs, results;
  SmallVector<DictionaryAttr> argAttrs;
  auto named = [&](StringRef attr, const Twine &value) {
    return b.getDictionaryAttr(
        b.getNamedAttr(attr, b.getStringAttr(value.str())));
  };
  for (const ParamInfo &p : params) {
    inputs.push_back(p.type);
    argAttrs.push_back(named(kParamAttr, p.name.getValue()));
  }
  for (const ParamInfo &p : params) {
    inputs.push_back(p.type);
    argAttrs.push_back(named("tcnn.grad", p.name.getValue() + ".grad"));
  }
  for (StringRef state : stateNames)
    for (const ParamInfo &p : params) {
      inputs.push_back(p.type);
      argAttrs.push_back(
          named("tcnn.state", p.name.getValue() + "." + state));
    }
  for (auto [scalarName, type] : scalars) {
    inputs.push_back(type);
    argAttrs.push_back(named("tcnn.hyperparameter", scalarName));
  }
  for (size_t k = 0; k <= stateNames.size(); ++k)
    for (const ParamInfo &p : params)
      results.push_back(p.type);
  auto func = b.create<func::FuncOp>(loc, name,
                                     b.getFunctionType(inputs, results));
  func.setAllArgAttrs(argAttrs);
  func->setAttr(kOptimizerStepAttr, b.getStringAttr(kind));
  Block *body = func.addEntryBlock();
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(body);
  size_t n = params.size();
  ArrayRef<Value> args(body->getArguments().begin(),
                       body->getArguments().end());
  SmallVector<SmallVector<Value>> state;
  for (size_t s = 0; s < stateNames.size(); ++s)
    state.emplace_back(args.slice((2 + s) * n, n));
  SmallVector<Value> ret =
      build(b, args.take_front(n), args.slice(n, n), state,
            args.drop_front((2 + stateNames.size()) * n));
  b.create<func::ReturnOp>(loc, ret);
  return func;
}

struct TrainFunctionsPass
    : public mlir::tcnn::impl::TcnnTrainFunctionsBase<TrainFunctionsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    func::FuncOp forward, grad;
    if (failed(findModelFunction(module, forward, grad)))
      return signalPassFailure();
    Builder builder(module.getContext());
    int64_t batch = batchSizeOf(forward);
    module->setAttr(kBatchAttr, builder.getI64IntegerAttr(batch));
    addValidArgument(forward, batch > 0);
    // A model without a loss predicts in padded batches and nothing more.
    if (forward == grad)
      return;
    addValidArgument(grad, batch > 0);
    makeInferenceFunction(forward);

    SmallVector<ParamInfo> params;
    for (unsigned i = 0; i < grad.getNumArguments(); ++i)
      if (auto name = grad.getArgAttrOfType<StringAttr>(i, kParamAttr))
        params.push_back(
            {cast<RankedTensorType>(grad.getArgument(i).getType()), name});
    OpBuilder b(module.getBodyRegion());
    b.setInsertionPointToEnd(module.getBody());
    Location loc = grad.getLoc();
    Type f32 = b.getF32Type();
    buildStep(b, loc, "sgd_step", "sgd", params, {"momentum_buffer"},
              {{"lr", f32},
               {"momentum", f32},
               {"weight_decay", f32},
               {"nesterov", b.getI32Type()}},
              [&](OpBuilder &nb, ArrayRef<Value> p, ArrayRef<Value> g,
                  ArrayRef<SmallVector<Value>> state, ArrayRef<Value> h) {
                SmallVector<Value> newParams, newBuffers;
                for (size_t k = 0; k < p.size(); ++k) {
                  Value buffer = nb.create<SgdBufferOp>(
                      loc, p[k].getType(), p[k], g[k], state[0][k], h[1], h[2]);
                  newBuffers.push_back(buffer);
                  newParams.push_back(nb.create<SgdUpdateOp>(
                      loc, p[k].getType(), p[k], g[k], buffer, h[0], h[1], h[2],
                      h[3]));
                }
                newParams.append(newBuffers);
                return newParams;
              });
    buildStep(b, loc, "adam_step", "adam", params, {"exp_avg", "exp_avg_sq"},
              {{"lr", f32},
               {"beta1", f32},
               {"beta2", f32},
               {"eps", f32},
               {"weight_decay", f32},
               {"step", b.getI64Type()}},
              [&](OpBuilder &nb, ArrayRef<Value> p, ArrayRef<Value> g,
                  ArrayRef<SmallVector<Value>> state, ArrayRef<Value> h) {
                SmallVector<Value> newParams, firsts, seconds;
                for (size_t k = 0; k < p.size(); ++k) {
                  Type type = p[k].getType();
                  Value m = nb.create<AdamMomentOp>(loc, type, p[k], g[k],
                                                    state[0][k], h[1], h[4],
                                                    /*squared=*/false);
                  Value v = nb.create<AdamMomentOp>(loc, type, p[k], g[k],
                                                    state[1][k], h[2], h[4],
                                                    /*squared=*/true);
                  firsts.push_back(m);
                  seconds.push_back(v);
                  newParams.push_back(nb.create<AdamUpdateOp>(
                      loc, type, p[k], m, v, h[0], h[1], h[2], h[3], h[5]));
                }
                newParams.append(firsts);
                newParams.append(seconds);
                return newParams;
              });
  }
};
} // namespace
