//===- TcnnToLinalg.cpp - the -tcnn-to-linalg pass ------------------------===//

#include "compiler/lowering/Passes.h"
#include "compiler/lowering/Patterns.h"

#include "dialect/TcnnDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MLProgram/IR/MLProgram.h"
#include "mlir/Transforms/DialectConversion.h"

namespace tcnnc::lowering {
#define GEN_PASS_DEF_TCNNTOLINALG
#include "compiler/lowering/Passes.h.inc"
} // namespace tcnnc::lowering

using namespace mlir;

namespace {
struct TcnnToLinalgPass
    : public tcnnc::lowering::impl::TcnnToLinalgBase<TcnnToLinalgPass> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    RewritePatternSet patterns(ctx);
    tcnnc::lowering::populateConvPatterns(patterns);
    tcnnc::lowering::populatePoolPatterns(patterns);
    tcnnc::lowering::populateElementwisePatterns(patterns);
    tcnnc::lowering::populateLinearPatterns(patterns);
    tcnnc::lowering::populateLossPatterns(patterns);
    ConversionTarget target(*ctx);
    target.addIllegalDialect<mlir::tcnn::TcnnDialect>();
    target.addLegalDialect<arith::ArithDialect, linalg::LinalgDialect,
                           math::MathDialect, tensor::TensorDialect,
                           func::FuncDialect, ml_program::MLProgramDialect>();
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
