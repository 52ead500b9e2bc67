//===- ModelInterface.h - a compiled model as C sees it ---------*- C++ -*-===//
//
// The arguments and results of a model's two entry points, read from its
// tcnn-level module (after -tcnn-autodiff), and the C code generated from
// them: the header of `tcnnc -c` and the main() of executables.
//
//===----------------------------------------------------------------------===//

#ifndef TCNN_CODEGEN_MODELINTERFACE_H
#define TCNN_CODEGEN_MODELINTERFACE_H

#include "mlir/IR/BuiltinOps.h"

#include <string>
#include <vector>

namespace tcnnc::codegen {

struct TensorInterface {
  std::string name;  ///< "conv1.weight"
  std::string cname; ///< "conv1_weight"
  int role = 0;      ///< 0 input, 1 target, 2 param, 3 buffer (tcnn_runtime.h)
  bool isInt64 = false;
  std::vector<int64_t> shape;
  int64_t count = 1;

  /// Its C element type.
  const char *ctype() const { return isInt64 ? "int64_t" : "float"; }
};

/// One op timed by the executable's --profile (-tcnn-profile).
struct ProfiledOp {
  std::string layer, op, pass;
  int64_t flops = 0;
};

struct ModelInterface {
  std::string name;   ///< model name
  std::string prefix; ///< C prefix of every symbol
  std::vector<TensorInterface> args; ///< in call order
  /// False for a model without a loss: it only predicts (no _grad, no
  /// optimizer steps, no training or evaluation).
  bool hasLoss = true;
  std::string lossName, outputName;
  /// Their C parameter names: distinct from every argument's.
  std::string lossC, outputC;
  std::vector<int64_t> outputShape;
  int64_t outputCount = 1;
  std::vector<ProfiledOp> profile; ///< indexed by profile id
  /// Samples per step; 0 when the model mixes samples (tcnn.batch).
  int64_t batch = 0;
  /// The loss sums over the samples (reduction = "sum").
  bool lossIsSum = false;
  /// The model file's `optimizer` (tcnn.optimizer), else SGD's defaults.
  std::string optimizerKind = "sgd";
  double lr = 0.01, momentum = 0, weightDecay = 0;
  bool nesterov = false;
  double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
};

/// The header's macro stem of `t`: "TINYCNN_CONV1_WEIGHT" (then _COUNT,
/// _SAMPLE_COUNT).
std::string macroStem(const ModelInterface &model, const TensorInterface &t);

/// Reads the table -tcnn-profile leaves in the module attribute
/// `tcnn.profile` into `model.profile`.
void readProfileTable(mlir::ModuleOp module, ModelInterface &model);

/// Reads the interface of a module holding @forward and @forward_grad
/// (with parameter gradients only) after -tcnn-train-functions. Fails with
/// an error on the module.
mlir::FailureOr<ModelInterface> describeModel(mlir::ModuleOp module);

/// The C header of `tcnnc -c`: sizes, embedded data, the entry points and
/// the model object's API (generateLibraryDeclarations).
std::string generateHeader(const ModelInterface &model,
                           const std::string &sourceFile);

/// The declarations of the model object of `tcnnc -c` (Library.cpp):
/// create/destroy, optimizer, parameters by name, train_step, predict,
/// evaluate.
std::string generateLibraryDeclarations(const ModelInterface &model);

/// Their C definitions, compiled into the library's object; `header` is
/// the name to include.
std::string generateLibrarySource(const ModelInterface &model,
                                  const std::string &header);

/// The main() of an executable: the tcnn_model table and call adapters.
std::string generateMain(const ModelInterface &model,
                         const std::string &headerName);

} // namespace tcnnc::codegen

#endif // TCNN_CODEGEN_MODELINTERFACE_H
