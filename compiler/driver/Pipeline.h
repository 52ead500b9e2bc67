//===- Pipeline.h - tcnn's one compilation pipeline -------------*- C++ -*-===//
//
// Model file -> AST -> tcnn dialect -> (autodiff) -> ... Each stage is
// named after what it prints; the driver runs the pipeline up to the
// stage asked for and prints it.
//
//===----------------------------------------------------------------------===//

#ifndef TCNN_COMPILER_DRIVER_PIPELINE_H
#define TCNN_COMPILER_DRIVER_PIPELINE_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

#include "llvm/Support/SourceMgr.h"

#include <string>
#include <vector>

namespace tcnnc {

enum class Stage {
  Ast,      ///< the parsed model file
  Mlir,     ///< the forward function, tcnn dialect
  MlirGrad, ///< after -tcnn-autodiff
  Linalg,   ///< after -tcnn-to-linalg: linalg on tensors
  Tiled,    ///< convolutions and matmuls tiled into register blocks
  Vector,   ///< the tiles vectorized (vector dialect, still on tensors)
  Loops,    ///< bufferized, out-params, deallocated, loops on memrefs
  LlvmMlir, ///< the LLVM dialect
  LlvmIr,   ///< LLVM IR, optimized at O2 for the host CPU
  Asm,      ///< host assembly
  Obj,      ///< host object file
  Exe,      ///< an executable linked with tcnn's runtime
  Lib,      ///< an object file and its C header (tcnnc -c)
};

/// The textual pass pipeline leading from `from` to `to` (both after
/// MlirGrad), as tcnn-opt accepts it.
std::string passPipeline(Stage to);

struct PipelineOptions {
  std::string inputFilename;
  std::string outputFilename = "-";
  Stage stage = Stage::Mlir;
  /// Inputs to differentiate besides the parameters.
  std::vector<std::string> wrt;
  /// Interpret the gradient function and print loss, output, gradients.
  bool run = false;
  /// With run: write every tensor as .npy into this directory.
  std::string dumpDir;
  /// Compare every gradient with central finite differences.
  bool checkGradients = false;
  /// Every op with a mode in inference mode (model.eval()).
  bool evalMode = false;
  /// `tcnnc explain`: write an explanation instead of a stage.
  bool explain = false;
  bool explainSymbolic = false;
  bool explainHtml = false;
  std::string explainLayer, explainAt;
  int explainPrecision = 6;
  /// "host", or an LLVM CPU name for code generation.
  std::string targetCpu = "host";
  /// Refuse models whose training step needs more bytes than this.
  uint64_t maxMemory = uint64_t(4) << 30;
  /// An .onnx input: the loss layer to append to the imported model.
  std::string importLoss;
};

/// Runs the pipeline and writes the chosen stage; returns the process exit
/// code. On any error nothing is written to the output file.
int runPipeline(const PipelineOptions &options);

/// Parses and lowers a model file to the tcnn dialect (the `mlir` stage);
/// null after reporting an error.
/// A .mlir file is parsed as it is (into `sourceMgr`). Either way a model
/// that needs more than `maxMemory` bytes is refused.
mlir::OwningOpRef<mlir::ModuleOp> loadModel(mlir::MLIRContext &context,
                                            llvm::SourceMgr &sourceMgr,
                                            const std::string &filename,
                                            uint64_t maxMemory);

} // namespace tcnnc

#endif // TCNN_COMPILER_DRIVER_PIPELINE_H
