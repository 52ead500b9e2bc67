//===- Pipeline.cpp - tcnn's one compilation pipeline ---------------------===//

#include "compiler/driver/Pipeline.h"

#include "compiler/driver/Registration.h"
#include "compiler/driver/Run.h"
#include "compiler/interpreter/GradientCheck.h"
#include "compiler/frontend/MLIRGen.h"
#include "compiler/frontend/Parser.h"
#include "dialect/transforms/Passes.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"

#include "llvm/Support/SourceMgr.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

using namespace tcnn;

static std::optional<ModelAST> parseFile(const std::string &filename,
                                         Diagnostics &diags) {
  auto buffer = llvm::MemoryBuffer::getFile(filename, /*IsText=*/true);
  if (std::error_code ec = buffer.getError()) {
    llvm::errs() << "tcnnc: error: cannot open '" << filename
                 << "': " << ec.message() << "\n";
    return std::nullopt;
  }
  return parseModel((*buffer)->getBuffer(), diags);
}

static std::string baseDirOf(const std::string &filename) {
  std::string dir = llvm::sys::path::parent_path(filename).str();
  return dir.empty() ? "." : dir;
}

mlir::OwningOpRef<mlir::ModuleOp> tcnn::loadModel(mlir::MLIRContext &context,
                                                  llvm::SourceMgr &sourceMgr,
                                                  const std::string &filename) {
  // A module already in MLIR form (e.g. hand-edited --emit=mlir output).
  if (llvm::StringRef(filename).ends_with(".mlir")) {
    std::string error;
    auto file = mlir::openInputFile(filename, &error);
    if (!file) {
      llvm::errs() << "tcnnc: error: " << error << "\n";
      return nullptr;
    }
    sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
    return mlir::parseSourceFile<mlir::ModuleOp>(sourceMgr, &context);
  }
  Diagnostics diags(filename);
  auto ast = parseFile(filename, diags);
  if (!ast)
    return nullptr;
  return mlirGen(context, *ast, diags, baseDirOf(filename));
}

/// Adds the passes that lead from the tcnn dialect to `options.stage`.
static mlir::LogicalResult buildPipeline(mlir::PassManager &pm,
                                         const PipelineOptions &options) {
  if (options.run || options.checkGradients) {
    PipelineOptions grad = options;
    grad.stage = Stage::MlirGrad;
    grad.run = grad.checkGradients = false;
    return buildPipeline(pm, grad);
  }
  switch (options.stage) {
  case Stage::Ast:
  case Stage::Mlir:
    return mlir::success();
  case Stage::MlirGrad: {
    mlir::tcnn::TcnnAutodiffOptions autodiff;
    autodiff.wrt = options.wrt;
    pm.addPass(mlir::tcnn::createTcnnAutodiff(autodiff));
    return mlir::success();
  }
  }
  return mlir::failure();
}

int tcnn::runPipeline(const PipelineOptions &options) {
  std::string error;
  // Everything is printed into a string first: the output file is only
  // created once the whole pipeline has succeeded.
  std::string text;
  llvm::raw_string_ostream os(text);

  if (options.stage == Stage::Ast &&
      llvm::StringRef(options.inputFilename).ends_with(".mlir")) {
    llvm::errs() << "tcnnc: error: --emit=ast needs a .tcnn model file\n";
    return 1;
  }
  if (options.stage == Stage::Ast) {
    Diagnostics diags(options.inputFilename);
    auto ast = parseFile(options.inputFilename, diags);
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
    auto module = loadModel(context, sourceMgr, options.inputFilename);
    if (!module)
      return 1;
    mlir::PassManager pm(&context);
    if (mlir::failed(mlir::applyPassManagerCLOptions(pm)))
      return 1;
    if (failed(buildPipeline(pm, options)))
      return 1;
    if (mlir::failed(pm.run(*module)))
      return 1;
    if (options.checkGradients) {
      mlir::func::FuncOp forward, grad;
      if (mlir::failed(findFunctions(*module, forward, grad)) ||
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

  auto output = mlir::openOutputFile(options.outputFilename, &error);
  if (!output) {
    llvm::errs() << "tcnnc: error: " << error << "\n";
    return 1;
  }
  output->os() << text;
  output->keep();
  return 0;
}
