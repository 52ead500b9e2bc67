//===- Native.cpp - LLVM IR, machine code and executables -----------------===//

#include "compiler/codegen/Native.h"

#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Target/LLVMIR/Export.h"

#include "llvm/IR/LegacyPassManager.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/SubtargetFeature.h"

#ifndef TCNN_RUNTIME_INCLUDE_DIR
#error "TCNN_RUNTIME_INCLUDE_DIR must name the directory of tcnn_runtime.h"
#endif
#ifndef TCNN_OPENMP_LIBRARY
#error "TCNN_OPENMP_LIBRARY must name LLVM's libomp"
#endif
#ifndef TCNN_RUNTIME_LIBRARY
#error "TCNN_RUNTIME_LIBRARY must name libtcnn_runtime.a"
#endif

using namespace tcnnc::codegen;

std::unique_ptr<llvm::TargetMachine>
tcnnc::codegen::hostTargetMachine(const std::string &cpu, std::string &error) {
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  std::string triple = llvm::sys::getProcessTriple();
  const llvm::Target *target = llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return nullptr;
  llvm::SubtargetFeatures features;
  std::string cpuName = cpu;
  if (cpu == "host") {
    cpuName = llvm::sys::getHostCPUName().str();
    for (const auto &feature : llvm::sys::getHostCPUFeatures())
      features.AddFeature(feature.first(), feature.second);
  }
  std::unique_ptr<llvm::TargetMachine> tm(target->createTargetMachine(
      triple, cpuName, features.getString(), {},
      llvm::Reloc::PIC_, std::nullopt, llvm::CodeGenOptLevel::Aggressive));
  if (!tm) {
    error = "cannot create a target machine for " + triple;
    return nullptr;
  }
  if (!tm->getMCSubtargetInfo()->isCPUStringValid(cpuName)) {
    error = "unknown CPU '" + cpuName + "' for " + triple;
    return nullptr;
  }
  return tm;
}

/// Drops tcnn's naming attributes (tcnn.input, tcnn.grad_of, ...): they
/// served the IR stages and mean nothing to LLVM.
static void dropTcnnAttributes(mlir::ModuleOp module) {
  auto isTcnn = [](mlir::NamedAttribute a) {
    return a.getName().strref().starts_with("tcnn.");
  };
  module.walk([&](mlir::Operation *op) {
    for (mlir::NamedAttribute a : llvm::to_vector(op->getDiscardableAttrs()))
      if (isTcnn(a))
        op->removeDiscardableAttr(a.getName());
    if (auto func = llvm::dyn_cast<mlir::FunctionOpInterface>(op))
      for (unsigned i = 0; i < func.getNumArguments(); ++i)
        for (mlir::NamedAttribute a : llvm::to_vector(func.getArgAttrs(i)))
          if (isTcnn(a))
            func.removeArgAttr(i, a.getName());
  });
}

std::unique_ptr<llvm::Module>
tcnnc::codegen::toOptimizedLLVMIR(mlir::ModuleOp module,
                                 llvm::LLVMContext &context,
                                 llvm::TargetMachine &tm) {
  dropTcnnAttributes(module);
  auto llvmModule = mlir::translateModuleToLLVMIR(module, context);
  if (!llvmModule) {
    module.emitError("translation to LLVM IR failed");
    return nullptr;
  }
  llvmModule->setTargetTriple(tm.getTargetTriple().str());
  llvmModule->setDataLayout(tm.createDataLayout());
  auto optimize = mlir::makeOptimizingTransformer(2, 0, &tm);
  if (llvm::Error err = optimize(llvmModule.get())) {
    module.emitError() << "LLVM optimization failed: "
                       << llvm::toString(std::move(err));
    return nullptr;
  }
  return llvmModule;
}

bool tcnnc::codegen::emitMachineCode(llvm::Module &module,
                                    llvm::TargetMachine &tm,
                                    llvm::raw_pwrite_stream &os, bool assembly,
                                    std::string &error) {
  llvm::legacy::PassManager pm;
  if (tm.addPassesToEmitFile(pm, os, nullptr,
                             assembly ? llvm::CodeGenFileType::AssemblyFile
                                      : llvm::CodeGenFileType::ObjectFile)) {
    error = "the target cannot emit this file type";
    return false;
  }
  pm.run(module);
  return true;
}

static bool writeFile(const std::string &path, const std::string &text,
                      std::string &error) {
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec);
  if (ec) {
    error = "cannot write '" + path + "': " + ec.message();
    return false;
  }
  os << text;
  return true;
}

bool tcnnc::codegen::linkExecutable(const ModelInterface &model,
                                   const std::string &objectFile,
                                   const std::string &headerText,
                                   const std::string &output,
                                   std::string &error) {
  llvm::SmallString<128> dir;
  if (std::error_code ec =
          llvm::sys::fs::createUniqueDirectory("tcnnc-link", dir)) {
    error = "cannot create a temporary directory: " + ec.message();
    return false;
  }
  std::string header = model.prefix + ".h";
  std::string headerPath = (dir + "/" + header).str();
  std::string mainPath = (dir + "/main.c").str();
  std::string tmpOutput = output + ".tcnnc-tmp";
  bool ok = writeFile(headerPath, headerText, error) &&
            writeFile(mainPath, generateMain(model, header), error);
  if (ok) {
    auto cc = llvm::sys::findProgramByName("cc");
    if (!cc) {
      error = "no C compiler 'cc' on PATH to link the executable";
      ok = false;
    } else {
      std::string inc1 = "-I" + dir.str().str();
      std::string inc2 = std::string("-I") + TCNN_RUNTIME_INCLUDE_DIR;
      llvm::SmallVector<llvm::StringRef> args = {
          *cc,        "-O2",        "-w",      inc1, inc2, mainPath,
          objectFile, TCNN_RUNTIME_LIBRARY, TCNN_OPENMP_LIBRARY, "-lm",
          "-o",       tmpOutput};
      std::string message;
      int rc = llvm::sys::ExecuteAndWait(*cc, args, std::nullopt, {}, 0, 0,
                                         &message);
      if (rc != 0) {
        error = "linking with cc failed" +
                (message.empty() ? std::string() : ": " + message);
        ok = false;
      } else if (std::error_code ec = llvm::sys::fs::rename(tmpOutput, output)) {
        error = "cannot write '" + output + "': " + ec.message();
        ok = false;
      }
    }
  }
  llvm::sys::fs::remove(tmpOutput);
  llvm::sys::fs::remove(headerPath);
  llvm::sys::fs::remove(mainPath);
  llvm::sys::fs::remove(dir);
  return ok;
}
