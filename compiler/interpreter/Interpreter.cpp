//===- Interpreter.cpp - run tcnn functions op by op ----------------------===//

#include "compiler/interpreter/Interpreter.h"

#include "compiler/interpreter/KernelInterface.h"
#include "compiler/interpreter/Kernels.h"
#include "dialect/ShapeRules.h"
#include "dialect/TcnnOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MLProgram/IR/MLProgram.h"
#include "mlir/IR/SymbolTable.h"


using namespace mlir;
using namespace mlir::tcnn;
using tcnnc::Interpreter;
using tcnnc::KernelOpInterface;
using tcnnc::ValueLookup;
using tcnnc::Tensor;
namespace kernels = tcnnc::kernels;

using tcnnc::kernels::shapeOf;

#include "compiler/interpreter/KernelInterface.cpp.inc"

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
  // Every op's kernel is attached to it (KernelInterface.h): a missing one
  // is an op the interpreter does not know.
  auto kernel = dyn_cast<KernelOpInterface>(op);
  if (!kernel)
    return op->emitOpError("is not supported by the tcnn interpreter");
  FailureOr<std::vector<Tensor>> evaluated =
      kernel.evaluate([&](Value v) -> const Tensor & { return values.at(v); });
  if (failed(evaluated) || evaluated->size() != op->getNumResults())
    return op->emitOpError("is not supported by the tcnn interpreter");
  for (auto [value, result] : llvm::zip(op->getResults(), *evaluated)) {
    if (result.shape != kernels::shapeOf(value.getType()))
      return op->emitOpError("interpreter: computed shape ")
             << shapes::str(result.shape) << " does not match the result type";
    // Integers (a generator's state) are held exactly, not as floats.
    if (roundToFloat &&
        isa<FloatType>(cast<ShapedType>(value.getType()).getElementType()))
      result.roundToFloat();
    values[value] = std::move(result);
  }
  return success();
}

namespace {
/// arith.constant: the dense value it holds (folded constants of the
/// backward pass, such as the loss's seed gradient 1.0).
struct ConstantKernel
    : KernelOpInterface::ExternalModel<ConstantKernel, arith::ConstantOp> {
  FailureOr<std::vector<Tensor>> evaluate(Operation *op, ValueLookup) const {
    auto value = tensorFromAttr(cast<arith::ConstantOp>(op).getValue());
    if (failed(value))
      return failure();
    return std::vector<Tensor>{std::move(*value)};
  }
};
} // namespace

void tcnnc::registerKernels(DialectRegistry &registry) {
  registerConvKernels(registry);
  registerPoolKernels(registry);
  registerElementwiseKernels(registry);
  registerActivationKernels(registry);
  registerLinearKernels(registry);
  registerLossKernels(registry);
  registerNormKernels(registry);
  registerDropoutKernels(registry);
  registerPadKernels(registry);
  registry.addExtension(+[](MLIRContext *ctx, arith::ArithDialect *) {
    arith::ConstantOp::attachInterface<ConstantKernel>(*ctx);
  });
}
