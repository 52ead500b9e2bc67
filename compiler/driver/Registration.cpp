//===- Registration.cpp - dialects and passes tcnn's tools load -----------===//

#include "compiler/driver/Registration.h"

#include "dialect/TcnnDialect.h"
#include "dialect/transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MLProgram/IR/MLProgram.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Transforms/Passes.h"

void tcnn::registerDialects(mlir::DialectRegistry &registry) {
  registry.insert<mlir::tcnn::TcnnDialect, mlir::func::FuncDialect,
                  mlir::arith::ArithDialect, mlir::math::MathDialect,
                  mlir::tensor::TensorDialect,
                  mlir::ml_program::MLProgramDialect>();
}

void tcnn::registerPasses() {
  mlir::tcnn::registerTcnnPasses();
  mlir::registerCanonicalizerPass();
  mlir::registerCSEPass();
  mlir::registerSymbolDCEPass();
}
