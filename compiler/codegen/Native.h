//===- Native.h - LLVM IR, machine code and executables ---------*- C++ -*-===//

#ifndef TCNN_CODEGEN_NATIVE_H
#define TCNN_CODEGEN_NATIVE_H

#include "compiler/codegen/ModelInterface.h"

#include "mlir/IR/BuiltinOps.h"

#include "llvm/IR/Module.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"

#include <memory>
#include <string>
#include <vector>

namespace tcnnc::codegen {

/// A TargetMachine for this machine's architecture, position independent,
/// optimizing aggressively, for `cpu`: "host" (this CPU and all its
/// features) or an LLVM CPU name such as "x86-64".
std::unique_ptr<llvm::TargetMachine> hostTargetMachine(const std::string &cpu,
                                                       std::string &error);

/// Translates a module in the LLVM dialect to LLVM IR for `tm`. Null
/// after reporting an error.
std::unique_ptr<llvm::Module> translateToLLVMIR(mlir::ModuleOp module,
                                                llvm::LLVMContext &context,
                                                llvm::TargetMachine &tm);

/// Runs LLVM's O2 pipeline on `module`, unrolling only the loops of the
/// compute kernels.
void optimizeLLVMIR(llvm::Module &module, llvm::TargetMachine &tm);

/// Writes `module` as an object file or assembly.
bool emitMachineCode(llvm::Module &module, llvm::TargetMachine &tm,
                     llvm::raw_pwrite_stream &os, bool assembly,
                     std::string &error);

/// How many parts compileInParts splits a module into: one per core, at
/// most 4.
unsigned codegenThreads();

/// Runs O2 and emits object code for `module` as up to `parts` objects,
/// compiled in parallel (ParallelCodegen.cpp). Local symbols become hidden
/// globals named `prefix`.<name>. Consumes `module`.
bool compileInParts(std::unique_ptr<llvm::Module> module,
                    const std::string &cpu, const std::string &prefix,
                    unsigned parts, std::vector<std::string> &objects,
                    std::string &error);

/// Links the model's `objects` with a generated main() and tcnn's runtime
/// into the executable `output` with the system C compiler. `output` only
/// appears once the link has succeeded.
bool linkExecutable(const ModelInterface &model,
                    llvm::ArrayRef<std::string> objects,
                    const std::string &headerText, const std::string &output,
                    std::string &error);

/// `tcnnc -c`: `base`.o, the model's `objects` together with its model
/// object (generateLibrarySource) compiled by the system C compiler, and
/// `base`.h. Neither appears unless both can be written.
bool buildLibrary(const ModelInterface &model,
                  llvm::ArrayRef<std::string> objects,
                  const std::string &headerText, const std::string &base,
                  std::string &error);

} // namespace tcnnc::codegen

#endif // TCNN_CODEGEN_NATIVE_H
