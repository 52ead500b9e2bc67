//===- Registration.cpp - dialects and passes tcnn's tools load -----------===//
//
// Only what tcnn's pipeline uses: the tcnn dialect, the upstream dialects a
// module passes through on its way to LLVM, and the passes of each stage,
// so tcnn-opt can run any of them alone.
//
//===----------------------------------------------------------------------===//

#include "compiler/driver/Registration.h"

#include "compiler/explain/ExplainInterface.h"
#include "compiler/interpreter/KernelInterface.h"
#include "compiler/lowering/LoweringInterface.h"
#include "compiler/lowering/Passes.h"
#include "compiler/optimize/Passes.h"
#include "dialect/TcnnDialect.h"
#include "dialect/transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/FuncBufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/Linalg/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/MLProgram/IR/MLProgram.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/Passes.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/OpenMP/OpenMPToLLVMIRTranslation.h"
#include "mlir/Dialect/OpenMP/OpenMPDialect.h"
#include "mlir/Transforms/Passes.h"

void tcnnc::registerDialects(mlir::DialectRegistry &registry) {
  registry.insert<mlir::tcnn::TcnnDialect, mlir::func::FuncDialect,
                  mlir::arith::ArithDialect, mlir::math::MathDialect,
                  mlir::tensor::TensorDialect,
                  mlir::ml_program::MLProgramDialect,
                  mlir::linalg::LinalgDialect,
                  mlir::bufferization::BufferizationDialect,
                  mlir::memref::MemRefDialect, mlir::scf::SCFDialect,
                  mlir::affine::AffineDialect, mlir::cf::ControlFlowDialect,
                  mlir::LLVM::LLVMDialect, mlir::omp::OpenMPDialect>();
  // How each dialect's tensor ops become memref ops.
  mlir::arith::registerBufferizableOpInterfaceExternalModels(registry);
  mlir::linalg::registerBufferizableOpInterfaceExternalModels(registry);
  mlir::tensor::registerBufferizableOpInterfaceExternalModels(registry);
  mlir::bufferization::func_ext::registerBufferizableOpInterfaceExternalModels(
      registry);
  // Tiling, vectorization and the bufferization of their loops.
  tcnnc::optimize::registerOptimizeInterfaces(registry);
  // What each tcnn op attaches for each stage: its interpreter kernel, its
  // lowering to linalg and its sections in an explanation.
  tcnnc::registerKernels(registry);
  tcnnc::lowering::registerLowerings(registry);
  tcnnc::explain::registerSections(registry);
  // LLVM dialect -> LLVM IR.
  mlir::registerBuiltinDialectTranslation(registry);
  mlir::registerLLVMDialectTranslation(registry);
  mlir::registerOpenMPDialectTranslation(registry);
}

void tcnnc::registerPasses() {
  mlir::tcnn::registerTcnnPasses();
  tcnnc::lowering::registerTcnnLoweringPasses();
  tcnnc::optimize::registerTcnnOptimizePasses();
  mlir::memref::registerFoldMemRefAliasOps();
  mlir::registerSCFForallToParallelLoop();
  mlir::registerConvertSCFToOpenMPPass();
  mlir::registerConvertOpenMPToLLVMPass();
  mlir::registerConvertVectorToSCF();
  mlir::registerConvertVectorToLLVMPass();
  mlir::registerCanonicalizerPass();
  mlir::registerCSEPass();
  mlir::registerSymbolDCEPass();
  // Bufferization and deallocation.
  mlir::bufferization::registerOneShotBufferize();
  mlir::bufferization::registerEmptyTensorToAllocTensor();
  mlir::bufferization::registerBufferResultsToOutParams();
  mlir::bufferization::registerOwnershipBasedBufferDeallocation();
  mlir::bufferization::registerBufferDeallocationSimplification();
  mlir::bufferization::registerLowerDeallocations();
  mlir::bufferization::registerBufferizationPipelines();
  // Loops and the LLVM dialect.
  mlir::registerConvertLinalgToLoopsPass();
  mlir::memref::registerExpandStridedMetadata();
  mlir::registerConvertAffineToStandard();
  mlir::registerSCFToControlFlow();
  mlir::registerConvertMathToLLVMPass();
  mlir::registerArithToLLVMConversionPass();
  mlir::registerFinalizeMemRefToLLVMConversionPass();
  mlir::registerConvertFuncToLLVMPass();
  mlir::registerConvertControlFlowToLLVMPass();
  mlir::registerReconcileUnrealizedCasts();
}
