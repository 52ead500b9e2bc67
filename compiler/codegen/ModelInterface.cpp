//===- ModelInterface.cpp - a compiled model as C sees it -----------------===//

#include "compiler/codegen/ModelInterface.h"

#include "compiler/lowering/Passes.h"
#include "dialect/ShapeRules.h"
#include "dialect/TcnnOps.h"
#include "dialect/transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using tcnnc::codegen::ModelInterface;
using tcnnc::codegen::TensorInterface;

FailureOr<ModelInterface> tcnnc::codegen::describeModel(ModuleOp module) {
  func::FuncOp forward, grad;
  if (failed(mlir::tcnn::findModelFunction(module, forward, grad)))
    return failure();
  ModelInterface model;
  model.hasLoss = forward != grad;
  auto nameAttr = module->getAttrOfType<StringAttr>("tcnn.model");
  model.name = nameAttr ? nameAttr.str() : "model";
  model.prefix = tcnnc::lowering::modelPrefix(module);
  FunctionType type = grad.getFunctionType();
  unsigned numParams = 0, numBuffers = 0;
  for (unsigned i = 0; i < type.getNumInputs(); ++i) {
    if (grad.getArgAttr(i, mlir::tcnn::kValidAttr))
      continue; // the count of real samples, not a tensor
    TensorInterface t;
    auto role = mlir::tcnn::argumentRole(grad, i);
    if (!role)
      return grad.emitError() << "argument " << i << " has no tcnn name";
    t.name = role->second.str();
    t.role = static_cast<int>(role->first);
    numParams += t.role == 2;
    numBuffers += t.role == 3;
    auto tt = cast<RankedTensorType>(type.getInput(i));
    t.isInt64 = tt.getElementType().isInteger(64);
    t.shape.assign(tt.getShape().begin(), tt.getShape().end());
    t.count = tt.getNumElements();
    t.cname = tcnnc::lowering::cIdentifier(t.name);
    model.args.push_back(std::move(t));
  }
  if (model.hasLoss && type.getNumResults() != 2 + numBuffers + numParams)
    return grad.emitError("the gradient function must return loss, output, "
                          "the buffers' next values and the parameter "
                          "gradients only (no --wrt)");
  if (!model.hasLoss && type.getNumResults() != 1)
    return grad.emitError("an inference-only forward function must return "
                          "the output only");
  unsigned output = mlir::tcnn::outputResultIndex(grad);
  auto names = grad->getAttrOfType<ArrayAttr>(mlir::tcnn::kResultNamesAttr);
  model.lossName = names && model.hasLoss ? cast<StringAttr>(names[0]).str()
                                          : "loss";
  model.outputName =
      names ? cast<StringAttr>(names[output]).str() : "output";
  // The output may be an input itself (`MSELoss()(x, y)`): its C name must
  // not repeat the argument's.
  llvm::StringSet<> used;
  for (const TensorInterface &t : model.args) {
    used.insert(t.cname);
    used.insert(t.cname + "_grad");
  }
  auto unique = [&](std::string id) {
    while (!used.insert(id).second)
      id += "_out";
    return id;
  };
  model.lossC = unique(tcnnc::lowering::cIdentifier(model.lossName));
  model.outputC = unique(tcnnc::lowering::cIdentifier(model.outputName));
  auto out = cast<RankedTensorType>(type.getResult(output));
  model.outputShape.assign(out.getShape().begin(), out.getShape().end());
  model.outputCount = out.getNumElements();
  if (auto batch = module->getAttrOfType<IntegerAttr>(mlir::tcnn::kBatchAttr))
    model.batch = batch.getInt();
  // Every loss op carries PyTorch's `reduction` ("mean" when absent).
  Value loss = grad.getBody().front().getTerminator()->getOperand(0);
  if (Operation *lossOp = model.hasLoss ? loss.getDefiningOp() : nullptr)
    if (auto reduction = lossOp->getAttrOfType<StringAttr>("reduction"))
      model.lossIsSum = reduction.getValue() == "sum";
  if (auto opt = module->getAttrOfType<DictionaryAttr>("tcnn.optimizer")) {
    auto num = [&](StringRef key, double &out) {
      if (auto v = opt.getAs<FloatAttr>(key))
        out = v.getValueAsDouble();
    };
    if (auto kind = opt.getAs<StringAttr>("kind"))
      model.optimizerKind = kind.str();
    num("lr", model.lr);
    num("momentum", model.momentum);
    num("weight_decay", model.weightDecay);
    num("beta1", model.beta1);
    num("beta2", model.beta2);
    num("eps", model.eps);
    if (auto v = opt.getAs<BoolAttr>("nesterov"))
      model.nesterov = v.getValue();
  }
  return model;
}

std::string tcnnc::codegen::macroStem(const ModelInterface &m,
                                      const TensorInterface &t) {
  return llvm::StringRef(m.prefix).upper() + "_" +
         llvm::StringRef(t.cname).upper();
}

static std::string shapeComment(const std::vector<int64_t> &shape) {
  return mlir::tcnn::shapes::str(shape);
}

std::string tcnnc::codegen::generateHeader(const ModelInterface &m,
                                             const std::string &sourceFile) {
  std::string s;
  llvm::raw_string_ostream os(s);
  std::string P = m.prefix, U = llvm::StringRef(P).upper();
  const std::string &outC = m.outputC;
  os << "/* " << P << ".h: C API of the model '" << m.name
     << "', generated by tcnnc from " << sourceFile << ".\n"
     << " *\n"
     << " * Every tensor is a contiguous row-major array; shapes are fixed and\n"
     << " * given below. Link with " << P << ".o (and -lm).\n"
     << " *\n";
  if (m.hasLoss)
    os << " *   " << P
       << "_forward(inputs..., params..., valid, &loss, output)\n"
       << " *   " << P << "_grad(inputs..., params..., buffers..., valid, "
          "&loss, output,\n *       new_buffers..., grads...)\n"
       << " *   " << P
       << "_sgd(params..., grads..., buffers..., lr, momentum,\n"
       << " *       weight_decay, nesterov, new_params..., new_buffers...)\n"
       << " *   " << P
       << "_adam(params..., grads..., exp_avgs..., exp_avg_sqs...,\n"
       << " *       lr, beta1, beta2, eps, weight_decay, step, "
          "new_params...,\n"
       << " *       new_exp_avgs..., new_exp_avg_sqs...)\n"
       << " *\n"
       << " * and, on top of them, a model object that trains on data sets\n"
       << " * and predicts: " << P << "_create, " << P << "_train_step, "
       << P << "_predict,\n * " << P << "_evaluate, " << P
       << "_get_param, ... (at the end).\n *\n"
       << " * `valid` is the number of real samples in the batch (at most "
          "the\n"
       << " * batch size " << m.batch
       << "): fill the rest with zeros, and the loss,\n"
       << " * its gradients and the parameter gradients are those of the "
          "real\n"
       << " * samples alone, as for a smaller batch. The optimizer steps "
          "are\n"
       << " * torch.optim's SGD and Adam; their results must not alias "
          "their\n"
       << " * inputs.\n"
       << " *\n"
       << " * Buffers are model state that is not trained by gradients\n"
       << " * (BatchNorm's running statistics, Dropout's generator): _grad\n"
       << " * trains (training mode) and writes their next values to\n"
       << " * new_buffers, which the caller keeps for the next step; "
          "_forward\n"
       << " * is inference (running statistics, no dropout) and leaves "
          "them.\n";
  else
    os << " *   " << P << "_forward(inputs..., params..., valid, output)\n"
       << " *\n"
       << " * and, on top of it, a model object that predicts: " << P
       << "_create,\n * " << P << "_predict, " << P
       << "_get_param, ... (at the end). The model has no\n"
       << " * loss: it cannot train or evaluate, and it runs in inference "
          "mode\n"
       << " * (BatchNorm's running statistics, no dropout).\n *\n"
       << " * `valid` is the number of real samples in the batch (at most "
          "the\n"
       << " * batch size " << m.batch
       << "): fill the rest with zeros.\n";
  os << " */\n"
     << "#ifndef TCNN_MODEL_" << U << "_H\n#define TCNN_MODEL_" << U
     << "_H\n\n#include <stdint.h>\n\n#ifdef __cplusplus\nextern \"C\" {\n"
     << "#endif\n\n/* Element counts. */\n";
  static const char *roles[] = {"input", "target", "parameter", "buffer"};
  for (const TensorInterface &t : m.args) {
    os << "#define " << macroStem(m, t) << "_COUNT " << t.count << " /* " << roles[t.role] << " " << t.name
       << " " << shapeComment(t.shape) << (t.isInt64 ? " int64 class indices" : "")
       << " */\n";
  }
  os << "/* Samples per batch; 0 when the model mixes the samples of a batch\n"
     << " * (then `valid` must be the full batch). */\n"
     << "#define " << U << "_BATCH " << m.batch << "\n";
  os << "#define " << U << "_OUTPUT_COUNT " << m.outputCount << " /* "
     << m.outputName << " " << shapeComment(m.outputShape) << " */\n\n"
     << "/* The values embedded in the model file. */\n";
  for (const TensorInterface &t : m.args)
    os << "extern const " << t.ctype() << " " << P << "_data_" << t.cname << "["
       << t.count << "];\n";

  auto argList = [&] {
    std::string a;
    for (const TensorInterface &t : m.args)
      a += std::string("const ") + t.ctype() + " *" + t.cname + ", ";
    return a;
  };
  if (!m.hasLoss) {
    os << "\n/* The output for the given inputs and parameters. */\n"
       << "void " << P << "_forward(" << argList() << "int64_t valid, "
       << "float *" << outC << ");\n\n"
       << generateLibraryDeclarations(m)
       << "#ifdef __cplusplus\n}\n#endif\n\n#endif\n";
    return s;
  }
  os << "\n/* Loss and output for the given inputs and parameters. */\n"
     << "void " << P << "_forward(" << argList() << "int64_t valid, "
     << "float *" << m.lossC << ", float *" << outC << ");\n\n"
     << "/* Forward and backward in training mode: also the buffers' next\n"
     << " * values and dL/dp for every parameter p. */\n"
     << "void " << P << "_grad(" << argList() << "int64_t valid, float *"
     << m.lossC << ", float *" << outC;
  for (const TensorInterface &t : m.args)
    if (t.role == 3)
      os << ", " << t.ctype() << " *new_" << t.cname;
  for (const TensorInterface &t : m.args)
    if (t.role == 2)
      os << ", float *" << t.cname << "_grad";
  os << ");\n\n";
  // The optimizer steps: `groups` of one float pointer per parameter.
  auto perParam = [&](std::initializer_list<std::pair<const char *, bool>>
                          groups) {
    for (auto [suffix, isConst] : groups)
      for (const TensorInterface &t : m.args)
        if (t.role == 2)
          os << "\n    " << (isConst ? "const float *" : "float *") << t.cname
             << suffix << ",";
  };
  os << "/* One step of torch.optim.SGD (dampening 0). */\nvoid " << P
     << "_sgd(";
  perParam({{"", true}, {"_grad", true}, {"_momentum_buffer", true}});
  os << "\n    float lr, float momentum, float weight_decay, int32_t "
        "nesterov";
  for (const TensorInterface &t : m.args)
    if (t.role == 2)
      os << ",\n    float *new_" << t.cname;
  for (const TensorInterface &t : m.args)
    if (t.role == 2)
      os << ",\n    float *new_" << t.cname << "_momentum_buffer";
  os << ");\n\n/* One step of torch.optim.Adam; `step` counts from 1. */\n"
     << "void " << P << "_adam(";
  perParam({{"", true}, {"_grad", true}, {"_exp_avg", true},
            {"_exp_avg_sq", true}});
  os << "\n    float lr, float beta1, float beta2, float eps, float "
        "weight_decay,\n    int64_t step";
  for (const char *suffix : {"", "_exp_avg", "_exp_avg_sq"})
    for (const TensorInterface &t : m.args)
      if (t.role == 2)
        os << ",\n    float *new_" << t.cname << suffix;
  os << ");\n\n" << generateLibraryDeclarations(m);
  os << "#ifdef __cplusplus\n}\n#endif\n\n#endif\n";
  return s;
}

void tcnnc::codegen::readProfileTable(ModuleOp module, ModelInterface &model) {
  auto table = module->getAttrOfType<ArrayAttr>("tcnn.profile");
  if (!table)
    return;
  for (auto entry : table.getAsRange<DictionaryAttr>()) {
    ProfiledOp op;
    op.layer = entry.getAs<StringAttr>("layer").str();
    op.op = entry.getAs<StringAttr>("op").str();
    op.pass = entry.getAs<StringAttr>("pass").str();
    op.flops = entry.getAs<IntegerAttr>("flops").getInt();
    model.profile.push_back(op);
  }
}

/// `text` as a C string literal.
static std::string cString(llvm::StringRef text) {
  std::string s = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\')
      s += '\\';
    s += c;
  }
  return s + "\"";
}

static void writeModelTable(llvm::raw_ostream &os, const ModelInterface &m,
                            llvm::StringRef training);

std::string tcnnc::codegen::generateMain(const ModelInterface &m,
                                           const std::string &headerName) {
  std::string s;
  llvm::raw_string_ostream os(s);
  std::string P = m.prefix;
  os << "/* main() of the executable of model '" << m.name
     << "', generated by tcnnc. */\n#include \"" << headerName
     << "\"\n#include \"tcnn_runtime.h\"\n\nstatic const tcnn_tensor_info "
        "args[] = {\n";
  for (const TensorInterface &t : m.args) {
    os << "  {" << cString(t.name) << ", " << t.role << ", " << t.isInt64 << ", "
       << t.shape.size() << ", {";
    for (size_t d = 0; d < t.shape.size(); ++d)
      os << (d ? ", " : "") << t.shape[d];
    os << "}, " << t.count << ", " << P << "_data_" << t.cname << "},\n";
  }
  os << "};\n\nstatic const tcnn_profile_op profile_ops[] = {\n";
  for (const ProfiledOp &op : m.profile)
    os << "  {" << cString(op.layer) << ", " << cString(op.op) << ", "
       << (op.pass == "forward" ? 0 : 1) << ", " << op.flops << "},\n";
  if (m.profile.empty())
    os << "  {0, 0, 0, 0},\n";
  os << "};\n\n";
  std::vector<const TensorInterface *> params;
  for (const TensorInterface &t : m.args)
    if (t.role == 2)
      params.push_back(&t);
  auto dataArgs = [&] {
    for (size_t i = 0; i < m.args.size(); ++i)
      os << "a[" << i << "], ";
  };
  // `groups` pointer arrays of one entry per parameter: p[0], p[1], ...
  auto perParam = [&](std::initializer_list<const char *> groups) {
    std::string sep;
    for (const char *g : groups)
      for (size_t k = 0; k < params.size(); ++k) {
        os << sep << g << "[" << k << "]";
        sep = ", ";
      }
    return sep;
  };
  os << "static void forward(void **a, int64_t valid, float *loss, float "
        "*out) {\n  "
     << P << "_forward(";
  dataArgs();
  if (!m.hasLoss) {
    // No loss, no training: the runtime only predicts.
    os << "valid, out);\n  (void)loss;\n}\n\n";
    writeModelTable(os, m, "0, 0, 0");
    return s;
  }
  os << "valid, loss, out);\n}\n\n"
     << "static void grad(void **a, int64_t valid, float *loss, float *out, "
        "void **nb,\n                 float **g) {\n  "
     << P << "_grad(";
  dataArgs();
  os << "valid, loss, out";
  int buffers = 0;
  for (const TensorInterface &t : m.args)
    if (t.role == 3)
      os << ", nb[" << buffers++ << "]";
  for (size_t k = 0; k < params.size(); ++k)
    os << ", g[" << k << "]";
  os << ");\n}\n\n"
     << "static void sgd(float **p, float **g, float **b, float lr, float "
        "momentum,\n                float wd, int32_t nesterov, float **np, "
        "float **nb) {\n  "
     << P << "_sgd(";
  std::string sep = perParam({"p", "g", "b"});
  os << sep << "lr, momentum, wd, nesterov";
  os << (params.empty() ? "" : ", ");
  perParam({"np", "nb"});
  os << ");\n}\n\n"
     << "static void adam(float **p, float **g, float **m, float **v, float "
        "lr,\n                 float b1, float b2, float eps, float wd, "
        "int64_t step,\n                 float **np, float **nm, float "
        "**nv) {\n  "
     << P << "_adam(";
  sep = perParam({"p", "g", "m", "v"});
  os << sep << "lr, b1, b2, eps, wd, step";
  os << (params.empty() ? "" : ", ");
  perParam({"np", "nm", "nv"});
  os << ");\n}\n\n";
  writeModelTable(os, m, "grad, sgd, adam");
  return s;
}

/// The `tcnn_model` table of an executable and its main(); `training` names
/// its grad, sgd and adam adapters (null pointers without a loss).
static void writeModelTable(llvm::raw_ostream &os, const ModelInterface &m,
                            llvm::StringRef training) {
  os << "static const tcnn_model model = {" << cString(m.name) << ", "
     << (m.hasLoss ? cString(m.lossName) : "0") << ", "
     << cString(m.outputName) << ", " << m.outputShape.size() << ", {";
  for (size_t d = 0; d < m.outputShape.size(); ++d)
    os << (d ? ", " : "") << m.outputShape[d];
  os << "}, " << m.outputCount << ", " << m.args.size() << ", args, "
     << m.batch << ", " << m.lossIsSum << ", forward, " << training
     << ",\n  {"
     << (m.optimizerKind == "adam") << ", " << llvm::formatv("{0:e17}", m.lr)
     << ", " << llvm::formatv("{0:e17}", m.momentum) << ", "
     << llvm::formatv("{0:e17}", m.weightDecay) << ", " << m.nesterov << ", "
     << llvm::formatv("{0:e17}", m.beta1) << ", "
     << llvm::formatv("{0:e17}", m.beta2) << ", "
     << llvm::formatv("{0:e17}", m.eps) << "},\n  " << m.profile.size()
     << ", profile_ops};\n\n"
     << "int main(int argc, char **argv) { return tcnn_main(&model, argc, "
        "argv); }\n";
}
