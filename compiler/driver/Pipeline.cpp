//===- Pipeline.cpp - tcnn's one compilation pipeline ---------------------===//

#include "compiler/driver/Pipeline.h"
#include "compiler/driver/OnnxInput.h"

#include "compiler/driver/Registration.h"
#include "compiler/driver/Run.h"
#include "compiler/interpreter/GradientCheck.h"
#include "compiler/frontend/MLIRGen.h"
#include "compiler/frontend/Parser.h"
#include "compiler/codegen/Native.h"
#include "compiler/support/MemoryBudget.h"
#include "dialect/ShapeRules.h"
#include "dialect/TcnnOps.h"
#include "compiler/explain/Explain.h"
#include "dialect/transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Support/Timing.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"

#include "llvm/Support/SourceMgr.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

using namespace tcnnc;

/// Reads a model file. Only regular files: a directory, a device such as
/// /dev/zero or a FIFO would fail late, never end, or block.
static std::unique_ptr<llvm::MemoryBuffer>
readModelFile(const std::string &filename) {
  llvm::sys::fs::file_status status;
  std::error_code ec = llvm::sys::fs::status(filename, status);
  if (!ec && status.type() != llvm::sys::fs::file_type::regular_file)
    ec = status.type() == llvm::sys::fs::file_type::directory_file
             ? std::make_error_code(std::errc::is_a_directory)
             : std::make_error_code(std::errc::invalid_argument);
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer = ec;
  if (!ec)
    buffer = llvm::MemoryBuffer::getFile(filename, /*IsText=*/true);
  if ((ec = buffer.getError())) {
    llvm::errs() << "tcnnc: error: cannot open '" << filename << "': "
                 << (ec == std::errc::invalid_argument ? "not a regular file"
                                                       : ec.message())
                 << "\n";
    return nullptr;
  }
  return std::move(*buffer);
}

static std::optional<ModelAST> parseFile(const std::string &filename,
                                         Diagnostics &diags) {
  auto buffer = readModelFile(filename);
  if (!buffer)
    return std::nullopt;
  return parseModel(buffer->getBuffer(), diags);
}

static std::string baseDirOf(const std::string &filename) {
  std::string dir = llvm::sys::path::parent_path(filename).str();
  return dir.empty() ? "." : dir;
}

/// The memory check of a module given as IR: each function's arguments and
/// every tensor its ops produce (the frontend checks its own models before
/// it materializes them).
static mlir::LogicalResult checkMemory(mlir::ModuleOp module,
                                       uint64_t maxMemory) {
  using Kind = MemoryBudget::Kind;
  for (auto func : module.getOps<mlir::func::FuncOp>()) {
    MemoryBudget budget;
    std::vector<mlir::Location> locs;
    auto add = [&](mlir::Value v, const std::string &name, Kind kind) {
      auto type = llvm::dyn_cast<mlir::RankedTensorType>(v.getType());
      if (!type)
        return;
      auto count = mlir::tcnn::shapes::checkedNumElements(type.getShape());
      if (!count)
        return; // the verifier has reported it
      budget.add(name, {type.getShape().begin(), type.getShape().end()},
                 *count, type.getElementTypeBitWidth() / 8, kind,
                 static_cast<int>(locs.size()));
      locs.push_back(v.getLoc());
    };
    for (unsigned i = 0; i < func.getNumArguments(); ++i) {
      auto role = mlir::tcnn::argumentRole(func, i);
      add(func.getArgument(i), mlir::tcnn::argumentName(func, i),
          role && role->first == mlir::tcnn::ArgRole::Param ? Kind::Param
                                                            : Kind::Data);
    }
    func.walk([&](mlir::Operation *op) {
      for (mlir::Value r : op->getResults()) {
        std::string name = op->getName().getStringRef().str();
        if (auto loc = llvm::dyn_cast<mlir::NameLoc>(op->getLoc()))
          name = loc.getName().str();
        add(r, name, Kind::Activation);
      }
    });
    if (auto message = budget.exceeds(maxMemory))
      return mlir::emitError(locs[budget.largestTag()]) << *message;
  }
  return mlir::success();
}

mlir::OwningOpRef<mlir::ModuleOp> tcnnc::loadModel(mlir::MLIRContext &context,
                                                  llvm::SourceMgr &sourceMgr,
                                                  const std::string &filename,
                                                  uint64_t maxMemory) {
  // A module already in MLIR form (e.g. hand-edited --emit=mlir output).
  if (llvm::StringRef(filename).ends_with(".mlir")) {
    auto file = readModelFile(filename);
    if (!file)
      return nullptr;
    sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
    auto module = mlir::parseSourceFile<mlir::ModuleOp>(sourceMgr, &context);
    if (!module || mlir::failed(checkMemory(*module, maxMemory)))
      return nullptr;
    return module;
  }
  Diagnostics diags(filename);
  auto ast = parseFile(filename, diags);
  if (!ast)
    return nullptr;
  return mlirGen(context, *ast, diags, baseDirOf(filename), maxMemory);
}

/// Each lowering stage's passes, in order; a stage runs those of every
/// stage before it too.
/// tensor.empty ops are pure, so CSE would merge every same-shaped one into
/// a single value that hundreds of ops then write into; one-shot
/// bufferization analyses every pair of writes to aliases of one value, and
/// became cubic in the chain length. An alloc_tensor per op states that each
/// op writes its own buffer and is never merged.
static const char *const kLinalgPasses =
    "tcnn-to-linalg,tcnn-sink-transposes,cse,tcnn-fuse-elementwise,"
    "func.func(empty-tensor-to-alloc-tensor),"
    "canonicalize,cse";
static const char *const kTiledPasses = "tcnn-tile,canonicalize,cse";
static const char *const kVectorPasses = "tcnn-vectorize,canonicalize,cse";
/// Hoisting the accumulators needs the self-copies of tiled loops folded
/// (cse, canonicalize), the transfers on whole buffers, not subviews
/// (fold-memref-alias-ops), and the index computations that folding writes
/// for the read and for the write of an accumulator merged into one value
/// (cse): hoisting compares indices as values, and without it every
/// accumulator was loaded and stored once per input-channel slice.
static const char *const kLoopsPasses =
    "tcnn-export,"
    "one-shot-bufferize{bufferize-function-boundaries "
    "function-boundary-type-conversion=identity-layout-map},"
    "buffer-results-to-out-params{hoist-static-allocs=true},"
    "cse,canonicalize,fold-memref-alias-ops,canonicalize,cse,"
    "tcnn-lower-vectors,"
    "scf-forall-to-parallel,"
    "buffer-deallocation-pipeline,tcnn-copies-to-linalg,"
    "convert-linalg-to-loops,canonicalize,cse";
/// Executables run the parallel loops on threads; a library (tcnnc -c)
/// keeps them sequential, so that it needs nothing but libc and libm.
static const char *const kThreadPasses = "convert-scf-to-openmp";
/// finalize-memref-to-llvm runs before convert-scf-to-cf: it lowers the
/// memref.alloca_scope that convert-scf-to-openmp wraps around each
/// parallel body, which must still be a single block.
static const char *const kLlvmPasses =
    "expand-strided-metadata,lower-affine,convert-vector-to-scf,"
    "finalize-memref-to-llvm,convert-scf-to-cf,convert-vector-to-llvm,"
    "convert-math-to-llvm,convert-arith-to-llvm,finalize-memref-to-llvm,"
    "convert-func-to-llvm{use-bare-ptr-memref-call-conv=1},"
    "convert-cf-to-llvm,convert-openmp-to-llvm,reconcile-unrealized-casts";

std::string tcnnc::passPipeline(Stage to) {
  std::string passes;
  // Only executables time their ops (--profile); libraries stay plain.
  if (to == Stage::Exe)
    passes += "tcnn-profile,";
  if (to >= Stage::Linalg)
    passes += kLinalgPasses;
  if (to >= Stage::Tiled)
    passes += std::string(",") + kTiledPasses;
  if (to >= Stage::Vector)
    passes += std::string(",") + kVectorPasses;
  if (to >= Stage::Loops)
    passes += std::string(",") + kLoopsPasses;
  if (to >= Stage::Loops && to != Stage::Lib)
    passes += std::string(",") + kThreadPasses;
  if (to >= Stage::LlvmMlir)
    passes += std::string(",") + kLlvmPasses;
  return passes;
}

/// Runs `passes` on `module` with the command line's pass-manager options
/// (--mlir-print-ir-after-all, --mlir-timing, ...).
static mlir::LogicalResult runPasses(mlir::ModuleOp module,
                                     llvm::StringRef passes,
                                     mlir::TimingScope &timing) {
  if (passes.empty())
    return mlir::success();
  mlir::PassManager pm(module.getContext());
  pm.enableTiming(timing);
  if (mlir::failed(mlir::applyPassManagerCLOptions(pm)) ||
      mlir::failed(mlir::parsePassPipeline(passes, pm, llvm::errs())))
    return mlir::failure();
  return pm.run(module);
}

/// Writes `bytes` to `path` ('-' is stdout); nothing is created on error.
static bool writeOutput(const std::string &path, llvm::StringRef bytes) {
  std::string error;
  auto output = mlir::openOutputFile(path, &error);
  if (!output) {
    llvm::errs() << "tcnnc: error: " << error << "\n";
    return false;
  }
  output->os() << bytes;
  output->keep();
  return true;
}

/// The executable, or object + header, from the model's object code.
static int linkNative(const codegen::ModelInterface &described,
                      const PipelineOptions &options,
                      llvm::ArrayRef<std::string> objects,
                      mlir::TimingScope &timing) {
  mlir::TimingScope linking = timing.nest("Linking (cc)");
  std::string error;
  std::string header = codegen::generateHeader(
      described, llvm::sys::path::filename(options.inputFilename).str());
  bool built;
  if (options.stage == Stage::Lib) {
    std::string base = options.outputFilename;
    if (llvm::StringRef(base).ends_with(".o"))
      base.resize(base.size() - 2);
    built = codegen::buildLibrary(described, objects, header, base, error);
  } else {
    built = codegen::linkExecutable(described, objects, header,
                                    options.outputFilename, error);
  }
  if (!built) {
    llvm::errs() << "tcnnc: error: " << error << "\n";
    return 1;
  }
  return 0;
}

/// The stages after the LLVM dialect: LLVM IR, assembly, object file,
/// executable, or object + header.
static int emitNative(mlir::ModuleOp module, const PipelineOptions &options,
                      const std::optional<codegen::ModelInterface> &model,
                      mlir::TimingScope &timing) {
  std::string error;
  std::optional<codegen::ModelInterface> described = model;
  if (described)
    codegen::readProfileTable(module, *described);
  auto tm = codegen::hostTargetMachine(options.targetCpu, error);
  if (!tm) {
    llvm::errs() << "tcnnc: error: " << error << "\n";
    return 1;
  }
  llvm::LLVMContext llvmContext;
  mlir::TimingScope translating = timing.nest("Translation to LLVM IR");
  auto llvmModule = codegen::translateToLLVMIR(module, llvmContext, *tm);
  translating.stop();
  if (!llvmModule)
    return 1;
  if (options.stage == Stage::Exe || options.stage == Stage::Lib) {
    // Executables and libraries are linked from objects anyway: O2 and
    // machine code run on every core, one part of the module each.
    unsigned parts = codegen::codegenThreads();
    std::vector<std::string> objects;
    mlir::TimingScope compiling = timing.nest(
        "LLVM optimization (O2) + Machine code generation, " +
        std::to_string(parts) + " parts in parallel");
    if (!codegen::compileInParts(std::move(llvmModule), options.targetCpu,
                                 described->prefix, parts, objects, error)) {
      llvm::errs() << "tcnnc: error: " << error << "\n";
      return 1;
    }
    compiling.stop();
    return linkNative(*described, options, objects, timing);
  }
  mlir::TimingScope optimizing = timing.nest("LLVM optimization (O2)");
  codegen::optimizeLLVMIR(*llvmModule, *tm);
  optimizing.stop();
  if (options.stage == Stage::LlvmIr) {
    std::string text;
    llvm::raw_string_ostream os(text);
    llvmModule->print(os, nullptr);
    return writeOutput(options.outputFilename, text) ? 0 : 1;
  }
  llvm::SmallString<0> code;
  llvm::raw_svector_ostream os(code);
  mlir::TimingScope generating = timing.nest("Machine code generation");
  if (!codegen::emitMachineCode(*llvmModule, *tm, os,
                                options.stage == Stage::Asm, error)) {
    llvm::errs() << "tcnnc: error: " << error << "\n";
    return 1;
  }
  generating.stop();
  return writeOutput(options.outputFilename, code) ? 0 : 1;
}

static int runModelFile(const PipelineOptions &options,
                        const std::string &modelFile);

int tcnnc::runPipeline(const PipelineOptions &options) {
  // An ONNX model is imported first; the pipeline then reads the model
  // file the import wrote (removed when done).
  const std::string &input = options.inputFilename;
  if (!isOnnxFile(input)) {
    if (!options.importLoss.empty()) {
      llvm::errs() << "tcnnc: error: --loss is for ONNX models (.onnx)\n";
      return 1;
    }
    return runModelFile(options, input);
  }
  OnnxInput onnx;
  if (!onnx.import(input, options.importLoss))
    return 1;
  int rc = runModelFile(options, onnx.modelFile());
  // The messages above name the temporary model file, which is gone.
  if (rc != 0)
    llvm::errs() << "tcnnc: note: in the model imported from " << input
                 << "; `tcnnc import " << input
                 << " -o DIR` writes it out to read\n";
  return rc;
}

static int runModelFile(const PipelineOptions &options,
                        const std::string &modelFile) {
  // Everything is printed into a string first: the output file is only
  // created once the whole pipeline has succeeded.
  std::string text;
  llvm::raw_string_ostream os(text);

  if (options.stage == Stage::Ast &&
      llvm::StringRef(modelFile).ends_with(".mlir")) {
    llvm::errs() << "tcnnc: error: --emit=ast needs a .tcnn model file\n";
    return 1;
  }
  if (options.stage == Stage::Ast) {
    Diagnostics diags(modelFile);
    auto ast = parseFile(modelFile, diags);
    if (!ast)
      return 1;
    printAST(*ast, os);
  } else {
    mlir::DialectRegistry registry;
    registerDialects(registry);
    mlir::MLIRContext context(registry);
    context.loadAllAvailableDialects();
    // Every later diagnostic (verifier, pass, interpreter) is printed as
    // file:line:col with the source line, for .tcnn and .mlir alike.
    llvm::SourceMgr sourceMgr;
    mlir::SourceMgrDiagnosticHandler handler(sourceMgr, &context);
    auto module =
        loadModel(context, sourceMgr, modelFile, options.maxMemory);
    if (!module)
      return 1;
    if (options.evalMode)
      mlir::tcnn::setTrainingMode(*module, false);
    // One timing report (--mlir-timing) for every pass run below.
    mlir::DefaultTimingManager timingManager;
    mlir::applyDefaultTimingManagerCLOptions(timingManager);
    mlir::TimingScope timing = timingManager.getRootScope();
    // Differentiate, then lower as far as the stage asks. A model without
    // a loss has nothing to differentiate: it only predicts.
    auto forward = module->lookupSymbol<mlir::func::FuncOp>("forward");
    bool inferenceOnly = forward && mlir::tcnn::isInferenceOnly(forward);
    if (inferenceOnly && (options.checkGradients || !options.wrt.empty())) {
      mlir::emitError(forward.getLoc())
          << (options.checkGradients ? "--check-gradients" : "--wrt")
          << ": the model has no loss, so it has no gradients (add e.g. "
             "'loss = MSELoss()(out, target)')";
      return 1;
    }
    bool wantGrad = !inferenceOnly &&
                    (options.stage >= Stage::MlirGrad || options.run ||
                     options.checkGradients || options.explain);
    if (wantGrad) {
      std::vector<std::string> wrt = options.wrt;
      // An explanation shows how the gradient reaches every input unless
      // --wrt says otherwise: at a model's size it costs nothing.
      if (options.explain && wrt.empty() && forward)
        for (llvm::StringRef input :
             mlir::tcnn::argumentNames(forward, mlir::tcnn::ArgRole::Input))
          wrt.push_back(input.str());
      std::string autodiff = "tcnn-autodiff";
      if (!wrt.empty())
        autodiff += "{wrt=" + llvm::join(wrt, ",") + "}";
      if (mlir::failed(runPasses(*module, autodiff, timing)))
        return 1;
    }
    std::optional<codegen::ModelInterface> model;
    if (options.stage >= Stage::Exe) {
      // Executables and libraries train on data sets: padded partial
      // batches and the optimizer steps.
      if (mlir::failed(runPasses(*module, "tcnn-train-functions", timing)))
        return 1;
      auto described = codegen::describeModel(*module);
      if (mlir::failed(described))
        return 1;
      model = *described;
    }
    if (options.explain) {
      explain::ExplainOptions eo;
      eo.layer = options.explainLayer;
      eo.precision = options.explainPrecision;
      eo.symbolic = options.explainSymbolic;
      eo.html = options.explainHtml;
      eo.annotatedIR = options.stage == Stage::MlirGrad;
      if (!options.explainAt.empty()) {
        std::array<int64_t, 4> at;
        if (mlir::failed(explain::parsePosition(options.explainAt, at)))
          return 1;
        eo.at = at;
      }
      std::string report;
      if (mlir::failed(explain::explainModel(*module, eo, report)))
        return 1;
      return writeOutput(options.outputFilename, report) ? 0 : 1;
    }
    if (!options.run && !options.checkGradients &&
        mlir::failed(runPasses(*module, passPipeline(options.stage), timing)))
      return 1;
    if (options.stage >= Stage::LlvmIr && !options.run &&
        !options.checkGradients)
      return emitNative(*module, options, model, timing);
    if (options.checkGradients) {
      mlir::func::FuncOp grad;
      if (mlir::failed(mlir::tcnn::findGradientFunction(*module, forward,
                                                        grad)) ||
          !checkGradients(forward, grad, os)) {
        llvm::errs() << text;
        return 1;
      }
    } else if (options.run) {
      if (mlir::failed(runModel(*module, os, options.dumpDir)))
        return 1;
    } else {
      module->print(os);
    }
  }

  return writeOutput(options.outputFilename, text) ? 0 : 1;
}
