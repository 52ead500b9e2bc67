//===- MLIRGen.cpp - model AST to the tcnn dialect ------------------------===//
//
// Two steps. `plan` walks the layers in file order, resolves each input
// value, binds arguments, and infers shapes with the dialect's ShapeRules,
// so every mistake is reported at its place in the model file. `build`
// then emits the module; it cannot fail on a plan that succeeded.
//
//===----------------------------------------------------------------------===//

#include "compiler/frontend/MLIRGen.h"

#include "compiler/frontend/LayerSpecs.h"
#include "compiler/frontend/OptimizerSpec.h"
#include "compiler/frontend/TensorValues.h"
#include "compiler/support/MemoryBudget.h"
#include "compiler/support/Random.h"
#include "dialect/ShapeRules.h"
#include "dialect/TcnnOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MLProgram/IR/MLProgram.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "llvm/ADT/StringMap.h"

#include <cmath>

using namespace tcnnc;
namespace shapes = mlir::tcnn::shapes;
using shapes::Shape;

namespace {

/// An input or target tensor, or a layer parameter or buffer.
struct DataTensor {
  enum class Role { Input, Target, Param, Buffer };
  Role role;
  std::string name;
  std::vector<int64_t> shape;
  SourceLoc loc;
  const TensorInit *init = nullptr; // null: the default for its role
  /// Parameters and buffers: by default U(-1/sqrt(fanIn), 1/sqrt(fanIn))
  /// or what the layer asks for.
  int64_t fanIn = 0;
  mlir::tcnn::LayerPlan::Param::Init paramInit =
      mlir::tcnn::LayerPlan::Param::Init::Uniform;
  /// Targets of CrossEntropyLoss: class indices in [0, classes).
  bool classIndices = false;
  int64_t classes = 0;
  std::vector<double> values;
};

/// A layer after checking: the op that implements it and its plan, from
/// which `build` emits the op.
struct PlannedLayer {
  const LayerStmt *stmt;
  const LayerKind *kind;
  std::vector<std::string> operands; // value names, aliases resolved
  mlir::tcnn::LayerPlan plan;        // arguments, shapes, parameters
  std::vector<int> params;           // indices into `tensors`, plan order
  const Shape &shape() const { return plan.result; }
  /// The index into `tensors` of parameter `name` ("weight"), or -1.
  int param(const std::string &name) const {
    for (size_t i = 0; i < params.size(); ++i)
      if (plan.params[i].name == name)
        return params[i];
    return -1;
  }
};

/// What a value name refers to.
struct ValueRef {
  enum class Kind { Tensor, Layer } kind;
  int index;
  SourceLoc loc;
};

class Generator {
public:
  Generator(mlir::MLIRContext &context, const ModelAST &model,
            Diagnostics &diags, const std::string &baseDir,
            uint64_t maxMemory)
      : context(context), model(model), diags(diags),
        initCtx{baseDir, model.seed, diags}, maxMemory(maxMemory) {}

  mlir::OwningOpRef<mlir::ModuleOp> run() {
    if (!declareTensors() || !planLayers() || !assignParams() ||
        !checkMemory() || !initializeTensors())
      return nullptr;
    if (model.optimizer &&
        !(optimizer = bindOptimizer(*model.optimizer, diags)))
      return nullptr;
    return build();
  }

private:
  std::optional<OptimizerConfig> optimizer;

  // Planning.
  bool declareTensors();
  bool declareName(const std::string &name, ValueRef ref);
  bool planLayers();
  bool planLayer(const LayerStmt &stmt);
  bool checkLayer(PlannedLayer &layer, const BoundArgs &args);
  int addParam(const std::string &layer,
               const mlir::tcnn::LayerPlan::Param &param, SourceLoc loc);
  bool assignParams();
  bool checkMemory();
  bool initializeTensors();
  Shape shapeOf(const std::string &name) const;
  /// The output's name as the model file spells it.
  std::string outputName() const;

  // Building.
  mlir::OwningOpRef<mlir::ModuleOp> build();
  mlir::Location locFor(const std::string &name, SourceLoc loc);
  mlir::Type typeOf(const DataTensor &t);
  bool isSeed(const DataTensor &t) const;
  mlir::Value emitLayer(mlir::OpBuilder &b, const PlannedLayer &layer,
                        mlir::ValueRange inputs,
                        llvm::ArrayRef<mlir::Value> args);

  mlir::MLIRContext &context;
  const ModelAST &model;
  Diagnostics &diags;
  InitContext initCtx;
  uint64_t maxMemory;

  std::vector<DataTensor> tensors;
  std::vector<PlannedLayer> layers;
  std::map<std::string, ValueRef> names;
  std::map<std::string, int> layerIndex; // layer name -> index in `layers`
  int lossLayer = -1;
};

bool Generator::declareName(const std::string &name, ValueRef ref) {
  auto [it, inserted] = names.emplace(name, ref);
  if (!inserted) {
    diags.error(ref.loc, "duplicate name '" + name + "' (first defined at " +
                             std::to_string(it->second.loc.line) + ":" +
                             std::to_string(it->second.loc.col) + ")");
    return false;
  }
  return true;
}

bool Generator::declareTensors() {
  for (const TensorDecl &decl : model.tensors) {
    DataTensor t;
    t.role = decl.isTarget ? DataTensor::Role::Target : DataTensor::Role::Input;
    t.name = decl.name;
    t.shape = decl.shape;
    t.loc = decl.loc;
    t.init = decl.init ? &*decl.init : nullptr;
    if (!shapes::isAddressable(decl.shape)) {
      diags.error(decl.loc, "'" + decl.name + "' has shape " +
                                shapes::str(decl.shape) +
                                ", more than 2^40 elements");
      return false;
    }
    if (!declareName(decl.name, {ValueRef::Kind::Tensor,
                                 static_cast<int>(tensors.size()), decl.loc}))
      return false;
    tensors.push_back(std::move(t));
  }
  if (std::none_of(tensors.begin(), tensors.end(), [](const DataTensor &t) {
        return t.role == DataTensor::Role::Input;
      })) {
    diags.error(model.nameLoc, "model '" + model.name +
                                   "' declares no input (add e.g. 'input x: "
                                   "[1, 1, 8, 8]')");
    return false;
  }
  return true;
}

/// The shape of a defined value name.
Shape Generator::shapeOf(const std::string &name) const {
  const ValueRef &ref = names.at(name);
  if (ref.kind == ValueRef::Kind::Layer)
    return layers[ref.index].shape();
  const auto &s = tensors[ref.index].shape;
  return Shape(s.begin(), s.end());
}

bool Generator::planLayers() {
  for (const LayerStmt &stmt : model.layers)
    if (!planLayer(stmt))
      return false;
  for (const auto &[alias, target] : model.aliases) {
    auto it = names.find(target);
    if (it == names.end())
      continue;
    ValueRef ref = it->second;
    if (!declareName(alias, ref))
      return false;
  }
  if (lossLayer >= 0)
    return true;
  // Without a loss the model only predicts: its output is the value of its
  // last statement, and a target would have nothing to be compared with.
  if (layers.empty()) {
    diags.error(model.nameLoc,
                "model '" + model.name + "' has no layers: add e.g. "
                "'out = Conv2d(1, 2, 3)(x)'");
    return false;
  }
  for (const DataTensor &t : tensors)
    if (t.role == DataTensor::Role::Target) {
      diags.error(t.loc, "target '" + t.name + "' is only read by a loss, "
                         "and model '" + model.name + "' has none: add e.g. "
                         "'loss = MSELoss()(out, " + t.name + ")'");
      return false;
    }
  return true;
}

std::string Generator::outputName() const {
  if (lossLayer >= 0)
    return layers[lossLayer].stmt->operands[0].first;
  // The name the model file gives the last value: a sequential block's
  // name rather than its last layer's.
  const std::string &last = layers.back().stmt->name;
  for (const auto &[alias, target] : model.aliases)
    if (target == last)
      return alias;
  return last;
}

bool Generator::planLayer(const LayerStmt &stmt) {
  const LayerKind *kind = lookupLayer(context, stmt.call.kind);
  if (!kind) {
    diags.error(stmt.call.loc, "unknown layer '" + stmt.call.kind +
                                   "' (known layers: " +
                                   knownLayerNames(context) + ")");
    return false;
  }
  std::string layerName = kind->getLayerName().str();
  auto args = bindArgs(*kind, stmt.call, diags);
  if (!args)
    return false;
  // 0: two or more (Cat).
  unsigned numInputs = kind->getNumLayerInputs();
  if (numInputs == 0 ? stmt.operands.size() < 2
                     : stmt.operands.size() != numInputs) {
    diags.error(stmt.operands.empty() ? stmt.loc : stmt.operands[0].second,
                layerName + " takes " +
                    (numInputs == 0 ? std::string("two or more")
                                    : std::to_string(numInputs)) +
                    " input value" + (numInputs == 1 ? "" : "s") + ", got " +
                    std::to_string(stmt.operands.size()));
    return false;
  }
  PlannedLayer layer{&stmt, kind, {}, {}, {}};
  for (const auto &[name, loc] : stmt.operands) {
    std::string resolved = name;
    if (auto alias = model.aliases.find(name);
        alias != model.aliases.end() && !names.count(name))
      resolved = alias->second;
    auto it = names.find(resolved);
    if (it == names.end()) {
      diags.error(loc, "unknown value '" + name +
                           "' (values must be defined before they are used)");
      return false;
    }
    if (it->second.kind == ValueRef::Kind::Layer &&
        it->second.index == lossLayer) {
      diags.error(loc, "the loss '" + name +
                           "' cannot be the input of another layer");
      return false;
    }
    bool isTarget = it->second.kind == ValueRef::Kind::Tensor &&
                    tensors[it->second.index].role == DataTensor::Role::Target;
    bool targetSlot = kind->isLossLayer() && layer.operands.size() == 1;
    if (isTarget && !targetSlot) {
      diags.error(loc, "target '" + name +
                           "' can only be the second input of a loss");
      return false;
    }
    if (targetSlot && !isTarget) {
      diags.error(loc, layerName + ": second input '" + name +
                           "' must be a target declared with 'target'");
      return false;
    }
    layer.operands.push_back(resolved);
    layer.plan.inputs.push_back(shapeOf(resolved));
    layer.plan.inputNames.push_back(name);
  }
  if (!checkLayer(layer, *args))
    return false;
  int index = static_cast<int>(layers.size());
  if (kind->isLossLayer()) {
    if (lossLayer >= 0) {
      diags.error(stmt.loc, "a model has exactly one loss; '" +
                                layers[lossLayer].stmt->name +
                                "' is already its loss");
      return false;
    }
    lossLayer = index;
  }
  if (!declareName(stmt.name, {ValueRef::Kind::Layer, index, stmt.loc}))
    return false;
  layerIndex[stmt.name] = index;
  layers.push_back(std::move(layer));
  return true;
}

int Generator::addParam(const std::string &layer,
                        const mlir::tcnn::LayerPlan::Param &param,
                        SourceLoc loc) {
  DataTensor t;
  t.role = param.buffer ? DataTensor::Role::Buffer : DataTensor::Role::Param;
  t.name = layer + "." + param.name;
  t.shape.assign(param.shape.begin(), param.shape.end());
  t.fanIn = param.fanIn;
  t.paramInit = param.init;
  t.loc = loc;
  tensors.push_back(std::move(t));
  return static_cast<int>(tensors.size()) - 1;
}

bool Generator::checkLayer(PlannedLayer &layer, const BoundArgs &args) {
  using mlir::tcnn::LayerErrorAt;
  const LayerStmt &stmt = *layer.stmt;
  mlir::tcnn::LayerPlan &plan = layer.plan;
  plan.args = args.values;
  // The op's rule reports at the call, an argument or an input value.
  auto report = [&](const LayerErrorAt &at, const llvm::Twine &msg) {
    SourceLoc loc = at.kind == LayerErrorAt::Kind::Argument
                        ? args.locOf(at.argument, stmt.call.loc)
                    : at.kind == LayerErrorAt::Kind::Operand
                        ? stmt.operands[at.operand].second
                        : stmt.call.loc;
    diags.error(loc, msg);
  };
  plan.error = report;
  bool planned = mlir::succeeded(layer.kind->planLayer(plan));
  plan.error = nullptr;
  if (!planned)
    return false;
  for (const auto &p : plan.params)
    layer.params.push_back(addParam(stmt.name, p, stmt.loc));
  if (plan.classIndexInput) {
    DataTensor &target =
        tensors[names.at(layer.operands[*plan.classIndexInput]).index];
    target.classIndices = true;
    target.classes = plan.numClasses;
  }
  return true;
}

bool Generator::assignParams() {
  // Whole-tensor assignments replace the default initializer; element
  // assignments are applied after initialization, in file order.
  for (const ParamAssign &assign : model.params) {
    auto it = layerIndex.find(assign.layer);
    if (it == layerIndex.end()) {
      diags.error(assign.loc, "unknown layer '" + assign.layer + "' in '" +
                                  assign.layer + "." + assign.param + "'");
      return false;
    }
    const PlannedLayer &layer = layers[it->second];
    int index = layer.param(assign.param);
    if (index < 0) {
      std::string has;
      for (const auto &p : layer.plan.params)
        has += (has.empty() ? "'" : " and '") + p.name + "'";
      has = layer.plan.params.empty()       ? "no parameters"
            : layer.plan.params.size() == 1 ? "only " + has
                                            : has;
      diags.error(assign.loc, "layer '" + assign.layer + "' (" +
                                  layer.kind->getLayerName() +
                                  ") has no parameter '" + assign.param +
                                  "'; it has " + has);
      return false;
    }
    DataTensor &t = tensors[index];
    if (!assign.index) {
      t.init = &assign.init;
      continue;
    }
    const std::vector<int64_t> &idx = *assign.index;
    bool inRange = idx.size() == t.shape.size();
    for (size_t d = 0; inRange && d < idx.size(); ++d)
      inRange = idx[d] >= 0 && idx[d] < t.shape[d];
    if (!inRange) {
      diags.error(assign.loc, "index " + shapes::str(idx) +
                                  " is out of range for '" + t.name +
                                  "' of shape " + shapes::str(t.shape));
      return false;
    }
  }
  return true;
}

bool Generator::checkMemory() {
  using Kind = MemoryBudget::Kind;
  MemoryBudget budget;
  std::vector<SourceLoc> locs;
  for (const DataTensor &t : tensors) {
    budget.add(t.name, t.shape, shapes::numElements(t.shape),
               t.classIndices ? 8 : 4,
               t.role == DataTensor::Role::Param ? Kind::Param : Kind::Data,
               static_cast<int>(locs.size()));
    locs.push_back(t.loc);
  }
  for (const PlannedLayer &l : layers) {
    budget.add(l.stmt->name, {l.shape().begin(), l.shape().end()},
               shapes::numElements(l.shape()), 4, Kind::Activation,
               static_cast<int>(locs.size()));
    locs.push_back(l.stmt->loc);
  }
  if (auto message = budget.exceeds(maxMemory)) {
    diags.error(locs[budget.largestTag()], *message);
    return false;
  }
  return true;
}

bool Generator::initializeTensors() {
  for (DataTensor &t : tensors) {
    int64_t count = shapes::numElements(t.shape);
    if (t.init) {
      auto values = materialize(*t.init, t.shape, t.name, t.classIndices,
                                initCtx);
      if (!values)
        return false;
      t.values = std::move(*values);
    } else if (t.role == DataTensor::Role::Param ||
               t.role == DataTensor::Role::Buffer) {
      using Init = mlir::tcnn::LayerPlan::Param::Init;
      if (t.paramInit == Init::Uniform) {
        double bound = 1.0 / std::sqrt(static_cast<double>(t.fanIn));
        t.values = uniformValues(count, -bound, bound, model.seed, t.name);
      } else if (t.paramInit == Init::Seed) {
        // A generator's first state: the top 52 bits of the tensor's
        // stream seed (a double holds it exactly, as the interpreter does).
        t.values.assign(
            count, static_cast<double>(
                       tcnnc::streamSeed(model.seed, t.name) >> 12));
      } else {
        t.values.assign(count, t.paramInit == Init::Ones ? 1.0 : 0.0);
      }
    } else if (t.classIndices) {
      TensorInit init;
      init.kind = TensorInit::Kind::Randint;
      init.a = 0;
      init.b = static_cast<double>(t.classes);
      t.values = *materialize(init, t.shape, t.name, true, initCtx);
    } else {
      t.values = uniformValues(count, -1.0, 1.0, model.seed, t.name);
    }
    if (t.classIndices) {
      for (double v : t.values) {
        if (v < 0 || v >= t.classes) {
          diags.error(t.init ? t.init->loc : t.loc,
                      "class index " + std::to_string(static_cast<int64_t>(v)) +
                          " in '" + t.name + "' is outside [0, " +
                          std::to_string(t.classes) + ")");
          return false;
        }
      }
    }
  }
  // Element overrides, e.g. `conv2.weight[0, 0, 0, 0] = 0.5`.
  for (const ParamAssign &assign : model.params) {
    if (!assign.index)
      continue;
    const PlannedLayer &layer = layers[layerIndex.at(assign.layer)];
    DataTensor &t = tensors[layer.param(assign.param)];
    int64_t flat = 0;
    for (size_t d = 0; d < t.shape.size(); ++d)
      flat = flat * t.shape[d] + (*assign.index)[d];
    t.values[flat] = assign.scalar;
  }
  return true;
}

//===----------------------------------------------------------------------===//
// Building the module
//===----------------------------------------------------------------------===//

mlir::Location Generator::locFor(const std::string &name, SourceLoc loc) {
  auto file = mlir::FileLineColLoc::get(&context, diags.filename(), loc.line,
                                        loc.col);
  return mlir::NameLoc::get(mlir::StringAttr::get(&context, name), file);
}

bool Generator::isSeed(const DataTensor &t) const {
  return t.paramInit == mlir::tcnn::LayerPlan::Param::Init::Seed;
}

mlir::Type Generator::typeOf(const DataTensor &t) {
  mlir::Type elem = t.classIndices || isSeed(t)
                        ? mlir::Type(mlir::IntegerType::get(&context, 64))
                        : mlir::Type(mlir::Float32Type::get(&context));
  return mlir::RankedTensorType::get(t.shape, elem);
}

mlir::Value Generator::emitLayer(mlir::OpBuilder &b, const PlannedLayer &layer,
                                 mlir::ValueRange in,
                                 llvm::ArrayRef<mlir::Value> args) {
  llvm::SmallVector<mlir::Value, 2> params;
  for (int index : layer.params)
    params.push_back(args[index]);
  return layer.kind->buildLayer(b, locFor(layer.stmt->name, layer.stmt->call.loc),
                                layer.plan, in, params);
}

mlir::OwningOpRef<mlir::ModuleOp> Generator::build() {
  mlir::OpBuilder b(&context);
  mlir::Location fileLoc =
      locFor(model.name, model.nameLoc);
  mlir::OwningOpRef<mlir::ModuleOp> module = mlir::ModuleOp::create(fileLoc);
  (*module)->setAttr("tcnn.model", b.getStringAttr(model.name));
  if (optimizer)
    (*module)->setAttr("tcnn.optimizer", optimizerAttr(b, *optimizer));
  b.setInsertionPointToEnd(module->getBody());

  // Function arguments: inputs, then targets, then parameters.
  std::vector<int> order;
  for (auto role : {DataTensor::Role::Input, DataTensor::Role::Target,
                    DataTensor::Role::Param, DataTensor::Role::Buffer})
    for (size_t i = 0; i < tensors.size(); ++i)
      if (tensors[i].role == role)
        order.push_back(static_cast<int>(i));

  llvm::SmallVector<mlir::Type> argTypes;
  for (int i : order) {
    const DataTensor &t = tensors[i];
    mlir::Type type = typeOf(t);
    argTypes.push_back(type);
    mlir::DenseElementsAttr data;
    auto tensorType = mlir::cast<mlir::RankedTensorType>(type);
    if (t.classIndices || isSeed(t)) {
      std::vector<int64_t> ints(t.values.begin(), t.values.end());
      data = mlir::DenseElementsAttr::get(tensorType, llvm::ArrayRef(ints));
    } else {
      std::vector<float> floats(t.values.begin(), t.values.end());
      data = mlir::DenseElementsAttr::get(tensorType, llvm::ArrayRef(floats));
    }
    b.create<mlir::ml_program::GlobalOp>(locFor(t.name, t.loc), t.name, type,
                                         /*is_mutable=*/false, data,
                                         b.getStringAttr("private"));
  }

  bool inferenceOnly = lossLayer < 0;
  std::string output = outputName();
  auto func = b.create<mlir::func::FuncOp>(fileLoc, "forward",
                                           b.getFunctionType(argTypes, {}));
  if (inferenceOnly)
    func->setAttr(mlir::tcnn::kInferenceOnlyAttr, b.getUnitAttr());

  mlir::Block *entry = func.addEntryBlock();
  std::vector<mlir::Value> args(tensors.size());
  for (size_t k = 0; k < order.size(); ++k) {
    const DataTensor &t = tensors[order[k]];
    llvm::StringRef attr = t.role == DataTensor::Role::Input
                               ? mlir::tcnn::kInputAttr
                           : t.role == DataTensor::Role::Target
                               ? mlir::tcnn::kTargetAttr
                           : t.role == DataTensor::Role::Param
                               ? mlir::tcnn::kParamAttr
                               : mlir::tcnn::kBufferAttr;
    func.setArgAttr(k, attr, b.getStringAttr(t.name));
    entry->getArgument(k).setLoc(locFor(t.name, t.loc));
    args[order[k]] = entry->getArgument(k);
  }

  b.setInsertionPointToStart(entry);
  std::vector<mlir::Value> results(layers.size());
  auto valueOf = [&](const std::string &name) {
    const ValueRef &ref = names.at(name);
    return ref.kind == ValueRef::Kind::Tensor ? args[ref.index]
                                              : results[ref.index];
  };
  for (size_t i = 0; i < layers.size(); ++i) {
    llvm::SmallVector<mlir::Value, 2> in;
    for (const std::string &name : layers[i].operands)
      in.push_back(valueOf(name));
    results[i] = emitLayer(b, layers[i], in, args);
  }
  // Loss and output (the output alone without a loss), then the next value
  // of every buffer, from the op that updates it (a buffer nothing updates
  // is returned as it is). Inference leaves the buffers as they are.
  llvm::SmallVector<mlir::Value> returned;
  llvm::SmallVector<llvm::StringRef> resultNames;
  if (!inferenceOnly) {
    returned.push_back(results[lossLayer]);
    resultNames.push_back(layers[lossLayer].stmt->name);
  }
  returned.push_back(inferenceOnly ? results.back()
                                   : valueOf(layers[lossLayer].operands[0]));
  resultNames.push_back(output);
  llvm::DenseMap<mlir::Value, mlir::Value> next;
  func.walk([&](mlir::tcnn::StateUpdateOpInterface op) {
    for (unsigned i = 0; i < op->getNumResults(); ++i)
      next[op.getUpdatedOperand(i)] = op->getResult(i);
  });
  for (size_t k = 0; !inferenceOnly && k < order.size(); ++k) {
    const DataTensor &t = tensors[order[k]];
    if (t.role != DataTensor::Role::Buffer)
      continue;
    mlir::Value arg = entry->getArgument(k);
    returned.push_back(next.count(arg) ? next[arg] : arg);
    resultNames.push_back(t.name);
  }
  b.create<mlir::func::ReturnOp>(fileLoc, returned);
  func.setFunctionType(
      b.getFunctionType(argTypes, mlir::ValueRange(returned).getTypes()));
  func->setAttr(mlir::tcnn::kResultNamesAttr,
                b.getStrArrayAttr(resultNames));
  if (inferenceOnly) {
    mlir::tcnn::setTrainingMode(func, false);
    // Inference neither updates model state nor draws dropout masks: the
    // ops that would are left unused; drop them.
    llvm::SmallVector<mlir::Operation *> ops;
    for (mlir::Operation &op : entry->without_terminator())
      ops.push_back(&op);
    for (mlir::Operation *op : llvm::reverse(ops))
      if (mlir::isOpTriviallyDead(op))
        op->erase();
  }

  if (mlir::failed(mlir::verify(*module)))
    return nullptr;
  return module;
}

} // namespace

mlir::OwningOpRef<mlir::ModuleOp>
tcnnc::mlirGen(mlir::MLIRContext &context, const ModelAST &model,
              Diagnostics &diags, const std::string &baseDir,
              uint64_t maxMemory) {
  return Generator(context, model, diags, baseDir, maxMemory).run();
}
