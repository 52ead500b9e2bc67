//===- Run.cpp - run a compiled model in the interpreter ------------------===//

#include "compiler/driver/Run.h"

#include "compiler/interpreter/Interpreter.h"
#include "compiler/support/Format.h"
#include "compiler/support/Npy.h"
#include "dialect/ShapeRules.h"
#include "dialect/TcnnOps.h"
#include "dialect/transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <cmath>
#include <set>

using namespace mlir;
using tcnnc::Interpreter;
using tcnnc::Tensor;
using tcnnc::formatFixed;
using tcnnc::writeNpy;
using mlir::tcnn::argumentName;

/// The first `limit` values, as integers when `integers` (a generator's
/// state), else with six decimals.
static std::string join(const std::vector<double> &values, size_t limit,
                        bool integers = false) {
  std::string s;
  for (size_t i = 0; i < values.size() && i < limit; ++i)
    s += (i ? ", " : "") +
         (integers ? std::to_string(static_cast<int64_t>(values[i]))
                   : formatFixed(values[i]));
  if (values.size() > limit)
    s += ", ... (" + std::to_string(values.size()) + " values)";
  return s;
}

namespace {
/// Writes .npy files into one directory, each name once. Until `commit`,
/// a failure (or destruction) removes every file written so far, and the
/// directory if it made it: a failed --dump leaves nothing behind.
class Dumper {
public:
  explicit Dumper(std::string dir) : dir(std::move(dir)) {}
  ~Dumper() {
    if (committed)
      return;
    for (const std::string &path : paths)
      llvm::sys::fs::remove(path);
    if (createdDir)
      llvm::sys::fs::remove(dir);
  }

  LogicalResult open(Location loc) {
    createdDir = !llvm::sys::fs::exists(dir);
    if (std::error_code ec = llvm::sys::fs::create_directories(dir))
      return emitError(loc) << "cannot create '" << dir
                            << "': " << ec.message();
    if (!llvm::sys::fs::is_directory(dir))
      return emitError(loc) << "cannot create '" << dir
                            << "': a file of that name is in the way";
    return success();
  }

  LogicalResult write(Location loc, const std::string &name, const Tensor &t,
                      bool classIndices = false) {
    if (!written.insert(name).second)
      return success();
    llvm::SmallString<256> path(dir);
    llvm::sys::path::append(path, name + ".npy");
    std::string error;
    if (!writeNpy(std::string(path), t.shape, t.data, classIndices, error))
      return emitError(loc) << error;
    paths.push_back(std::string(path));
    return success();
  }

  void commit() { committed = true; }

private:
  std::string dir;
  std::set<std::string> written;
  std::vector<std::string> paths;
  bool createdDir = false, committed = false;
};
} // namespace

LogicalResult tcnnc::runModel(ModuleOp module, llvm::raw_ostream &os,
                             const std::string &dumpDir) {
  // The gradient function, or the forward function of a model that only
  // predicts (no loss, no gradients).
  func::FuncOp forward, grad;
  if (failed(mlir::tcnn::findModelFunction(module, forward, grad)))
    return failure();
  Interpreter interp;
  auto args = interp.loadArguments(grad);
  if (failed(args))
    return failure();
  auto results = interp.run(grad, *args);
  if (failed(results))
    return failure();
  auto names = grad->getAttrOfType<ArrayAttr>(mlir::tcnn::kResultNamesAttr);
  auto nameOf = [&](unsigned i) {
    return names && i < names.size()
               ? cast<StringAttr>(names[i]).str()
               : "result" + std::to_string(i);
  };

  std::string model = "model";
  if (auto attr = module->getAttrOfType<StringAttr>("tcnn.model"))
    model = attr.str();
  os << "model " << model << " (interpreted, float32"
     << (forward == grad ? ", inference: the model has no loss" : "")
     << ")\n";
  // Results: loss, output, the buffers' next values, then gradients.
  unsigned output = mlir::tcnn::outputResultIndex(grad);
  std::set<std::string> buffers;
  for (unsigned i = 0; i < grad.getNumArguments(); ++i)
    if (auto role = mlir::tcnn::argumentRole(grad, i);
        role && role->first == mlir::tcnn::ArgRole::Buffer)
      buffers.insert(role->second.str());
  auto isBuffer = [&](unsigned i) {
    return i > output && buffers.count(nameOf(i));
  };
  // Class indices and generator states are integers.
  auto isInteger = [&](unsigned i) {
    return !isa<FloatType>(getElementTypeOrSelf(grad.getResultTypes()[i]));
  };
  if (output == 1)
    os << nameOf(0) << ": " << formatFixed((*results)[0].data[0]) << "\n";
  bool gradientsSeen = false;
  for (unsigned i = output; i < results->size(); ++i) {
    const Tensor &t = (*results)[i];
    if (i == output + 1 && isBuffer(i))
      os << "buffers after the step:\n";
    if (i > output && !isBuffer(i) && !gradientsSeen) {
      os << "gradients (shape: min / max / L2 norm):\n";
      gradientsSeen = true;
    }
    if (i == output || isBuffer(i)) {
      os << (i == output ? "" : "  ") << nameOf(i) << " "
         << mlir::tcnn::shapes::str(t.shape) << ": ["
         << join(t.data, 16, isInteger(i))
         << "]\n";
      continue;
    }
    double lo = INFINITY, hi = -INFINITY, sq = 0;
    for (double v : t.data) {
      lo = std::min(lo, v);
      hi = std::max(hi, v);
      sq += v * v;
    }
    os << "  " << nameOf(i) << " " << mlir::tcnn::shapes::str(t.shape) << ": "
       << formatFixed(lo) << " / " << formatFixed(hi) << " / "
       << formatFixed(std::sqrt(sq)) << "\n";
  }

  if (dumpDir.empty())
    return success();
  Dumper dump(dumpDir);
  if (failed(dump.open(grad.getLoc())))
    return failure();
  for (unsigned i = 0; i < grad.getNumArguments(); ++i) {
    auto type = cast<RankedTensorType>(grad.getArgument(i).getType());
    if (failed(dump.write(grad.getLoc(), argumentName(grad, i), (*args)[i],
                          type.getElementType().isInteger(64))))
      return failure();
  }
  // A buffer's next value beside its value before the step.
  for (unsigned i = 0; i < results->size(); ++i)
    if (failed(dump.write(grad.getLoc(),
                          nameOf(i) + (isBuffer(i) ? ".updated" : ""),
                          (*results)[i], isInteger(i))))
      return failure();
  // Every activation under its layer's name, every gradient under the
  // names of the values it is the gradient of.
  for (Operation &op : grad.getBody().front().without_terminator()) {
    if (op.getNumResults() != 1)
      continue;
    const Tensor *value = interp.valueOf(op.getResult(0));
    if (auto gradOf = op.getAttrOfType<ArrayAttr>(mlir::tcnn::kGradOfAttr)) {
      for (Attribute n : gradOf)
        if (failed(dump.write(op.getLoc(), cast<StringAttr>(n).str() + ".grad",
                              *value)))
          return failure();
    } else if (auto name = dyn_cast<NameLoc>(op.getLoc());
               name && isa<mlir::tcnn::GradientOpInterface>(op)) {
      // A forward op (it has a backward rule): the layer's activation.
      if (failed(dump.write(op.getLoc(), name.getName().str(), *value)))
        return failure();
    }
  }
  dump.commit();
  os << "wrote .npy files to " << dumpDir << "\n";
  return success();
}
