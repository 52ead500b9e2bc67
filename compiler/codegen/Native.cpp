//===- Native.cpp - LLVM IR, machine code and executables -----------------===//

#include "compiler/codegen/Native.h"

#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Target/LLVMIR/Export.h"

#include "llvm/IR/LegacyPassManager.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Analysis/LoopInfo.h"
#include "llvm/IR/Dominators.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
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

namespace {
/// Where executables get the runtime from: installed beside tcnnc
/// (`<prefix>/bin/tcnnc`, `<prefix>/include/tcnn/tcnn_runtime.h`,
/// `<prefix>/lib/tcnn/libtcnn_runtime.a`), which `cmake --install`
/// writes; else the source and build trees tcnnc was built in.
struct RuntimePaths {
  std::string includeDir = TCNN_RUNTIME_INCLUDE_DIR;
  std::string library = TCNN_RUNTIME_LIBRARY;
  RuntimePaths() {
    std::string exe = llvm::sys::fs::getMainExecutable(nullptr, nullptr);
    if (exe.empty())
      return;
    llvm::SmallString<256> prefix(llvm::sys::path::parent_path(
        llvm::sys::path::parent_path(exe)));
    llvm::SmallString<256> include(prefix), lib(prefix);
    llvm::sys::path::append(include, "include", "tcnn");
    llvm::sys::path::append(lib, "lib", "tcnn", "libtcnn_runtime.a");
    llvm::SmallString<256> header(include);
    llvm::sys::path::append(header, "tcnn_runtime.h");
    if (llvm::sys::fs::exists(header) && llvm::sys::fs::exists(lib)) {
      includeDir = std::string(include);
      library = std::string(lib);
    }
  }
};

const RuntimePaths &runtimePaths() {
  static const RuntimePaths paths;
  return paths;
}
} // namespace

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
  // LLVM's vectorizers turn the strided copies that remain scalar loops
  // (a strided insert, a narrow transpose) into AVX-512 gathers and
  // scatters, which are microcoded and slower than the scalar loops they
  // replace (measured: cifar_small's step spent about 8% in them).
  if (llvm::StringRef(triple).starts_with("x86_64")) {
    features.AddFeature("prefer-no-gather");
    features.AddFeature("prefer-no-scatter");
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
tcnnc::codegen::translateToLLVMIR(mlir::ModuleOp module,
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
  return llvmModule;
}

/// Whether `loop` does vector FMAs: the register-blocked kernels of the
/// convolutions and matmuls.
static bool hasVectorFma(llvm::Loop &loop) {
  for (llvm::BasicBlock *block : loop.blocks())
    for (llvm::Instruction &inst : *block)
      if (auto *call = llvm::dyn_cast<llvm::IntrinsicInst>(&inst))
        if ((call->getIntrinsicID() == llvm::Intrinsic::fma ||
             call->getIntrinsicID() == llvm::Intrinsic::fmuladd) &&
            call->getType()->isVectorTy())
          return true;
  return false;
}

/// Marks every loop without vector FMAs as not to be unrolled. LLVM's
/// unrolling took about 40% of O2's time, most of it on the copies,
/// transposes and scalar loops around the kernels, where it buys nothing
/// measurable; in the kernels it buys a few percent of their run time
/// (measured on the benchmark models: unrolling nothing at all made the
/// convolution gradients up to 7% slower).
static void unrollOnlyKernels(llvm::Module &module) {
  for (llvm::Function &f : module) {
    if (f.isDeclaration())
      continue;
    llvm::DominatorTree dom(f);
    llvm::LoopInfo loops(dom);
    for (llvm::Loop *loop : loops.getLoopsInPreorder())
      if (!hasVectorFma(*loop))
        loop->setLoopAlreadyUnrolled();
  }
}

void tcnnc::codegen::optimizeLLVMIR(llvm::Module &module,
                                   llvm::TargetMachine &tm) {
  unrollOnlyKernels(module);
  llvm::PipelineTuningOptions tuning;
  tuning.LoopUnrolling = true;
  tuning.LoopInterleaving = true;
  tuning.LoopVectorization = true;
  tuning.SLPVectorization = true;
  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  llvm::PassBuilder pb(&tm, tuning);
  pb.registerModuleAnalyses(mam);
  pb.registerCGSCCAnalyses(cgam);
  pb.registerFunctionAnalyses(fam);
  pb.registerLoopAnalyses(lam);
  pb.crossRegisterProxies(lam, fam, cgam, mam);
  pb.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O2)
      .run(module, mam);
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

static bool writeFile(const std::string &path, llvm::StringRef bytes,
                      std::string &error) {
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec);
  if (ec) {
    error = "cannot write '" + path + "': " + ec.message();
    return false;
  }
  os << bytes;
  return true;
}

namespace {
/// A temporary directory for the C compiler's inputs, removed with all it
/// holds when done.
class ScratchDir {
public:
  bool create(std::string &error) {
    if (std::error_code ec =
            llvm::sys::fs::createUniqueDirectory("tcnnc-link", dir)) {
      error = "cannot create a temporary directory: " + ec.message();
      return false;
    }
    return true;
  }
  ~ScratchDir() {
    if (!dir.empty())
      llvm::sys::fs::remove_directories(dir);
  }
  std::string path(llvm::StringRef name) const {
    return (dir + "/" + name).str();
  }

private:
  llvm::SmallString<128> dir;
};
} // namespace

/// Runs the system C compiler with `args` (after the program name).
static bool runCC(llvm::ArrayRef<std::string> args, const char *what,
                  std::string &error) {
  auto cc = llvm::sys::findProgramByName("cc");
  if (!cc) {
    error = std::string("no C compiler 'cc' on PATH to ") + what;
    return false;
  }
  llvm::SmallVector<llvm::StringRef> argv = {*cc};
  argv.append(args.begin(), args.end());
  std::string message;
  int rc = llvm::sys::ExecuteAndWait(*cc, argv, std::nullopt, {}, 0, 0,
                                     &message);
  if (rc != 0) {
    error = std::string(what) + " with cc failed" +
            (message.empty() ? std::string() : ": " + message);
    return false;
  }
  return true;
}

/// Writes `bytes` to `output` through a temporary file beside it, so that
/// `output` appears whole or not at all.
static bool publish(llvm::StringRef bytes, const std::string &output,
                    bool executable, std::string &error) {
  std::string tmp = output + ".tcnnc-tmp";
  std::error_code ec;
  {
    llvm::raw_fd_ostream os(tmp, ec);
    if (!ec) {
      os << bytes;
      os.close();
      ec = os.error();
    }
  }
  if (!ec && executable)
    ec = llvm::sys::fs::setPermissions(
        tmp, llvm::sys::fs::all_read | llvm::sys::fs::all_exe |
                 llvm::sys::fs::owner_write);
  if (!ec)
    ec = llvm::sys::fs::rename(tmp, output);
  if (ec) {
    llvm::sys::fs::remove(tmp);
    error = "cannot write '" + output + "': " + ec.message();
    return false;
  }
  return true;
}

/// publish() of the file `built` the C compiler left in the scratch
/// directory.
static bool publishFile(const std::string &built, const std::string &output,
                        bool executable, std::string &error) {
  auto bytes = llvm::MemoryBuffer::getFile(built, /*IsText=*/false);
  if (!bytes) {
    error = "cannot read '" + built + "': " + bytes.getError().message();
    return false;
  }
  return publish((*bytes)->getBuffer(), output, executable, error);
}

/// Writes each of `objects` into `dir` as model<i>.o; their paths.
static bool writeObjects(const ScratchDir &dir,
                         llvm::ArrayRef<std::string> objects,
                         std::vector<std::string> &paths, std::string &error) {
  for (size_t i = 0; i < objects.size(); ++i) {
    paths.push_back(dir.path("model" + std::to_string(i) + ".o"));
    if (!writeFile(paths.back(), objects[i], error))
      return false;
  }
  return true;
}

bool tcnnc::codegen::linkExecutable(const ModelInterface &model,
                                   llvm::ArrayRef<std::string> objects,
                                   const std::string &headerText,
                                   const std::string &output,
                                   std::string &error) {
  ScratchDir dir;
  if (!dir.create(error))
    return false;
  std::string header = model.prefix + ".h";
  std::vector<std::string> args = {"-O2", "-w", "-I" + dir.path(""),
                                   "-I" + runtimePaths().includeDir,
                                   dir.path("main.c")};
  if (!writeFile(dir.path(header), headerText, error) ||
      !writeFile(dir.path("main.c"), generateMain(model, header), error) ||
      !writeObjects(dir, objects, args, error))
    return false;
  args.insert(args.end(), {runtimePaths().library, TCNN_OPENMP_LIBRARY, "-lm",
                           "-o", dir.path("a.out")});
  return runCC(args, "linking", error) &&
         publishFile(dir.path("a.out"), output, /*executable=*/true, error);
}

bool tcnnc::codegen::buildLibrary(const ModelInterface &model,
                                 llvm::ArrayRef<std::string> objects,
                                 const std::string &headerText,
                                 const std::string &base, std::string &error) {
  ScratchDir dir;
  std::string header = model.prefix + ".h";
  std::vector<std::string> args = {"-r", "-nostdlib"};
  if (!dir.create(error) ||
      !writeFile(dir.path(header), headerText, error) ||
      !writeFile(dir.path("api.c"), generateLibrarySource(model, header),
                 error) ||
      !writeObjects(dir, objects, args, error))
    return false;
  // The model object's C code joins the compiled model in one relocatable
  // object, so that users link a single file.
  args.insert(args.end(), {dir.path("api.o"), "-o", dir.path("lib.o")});
  if (!runCC({"-O2", "-fPIC", "-w", "-c", dir.path("api.c"), "-o",
              dir.path("api.o")},
             "compiling the model object", error) ||
      !runCC(args, "combining the library object", error))
    return false;
  if (!publishFile(dir.path("lib.o"), base + ".o", false, error))
    return false;
  if (!publish(headerText, base + ".h", false, error)) {
    llvm::sys::fs::remove(base + ".o");
    return false;
  }
  return true;
}
