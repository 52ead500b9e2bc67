//===- TcnnToLinalg.cpp - the -tcnn-to-linalg pass ------------------------===//
//
// One pattern for every tcnn op: the op builds its own replacement through
// its LoweringOpInterface model (LowerConv.cpp, LowerPool.cpp, ...). An op
// without one stays illegal, and the conversion names it.
//
//===----------------------------------------------------------------------===//

#include "compiler/lowering/LoweringInterface.h"
#include "compiler/lowering/Passes.h"

#include "dialect/TcnnDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MLProgram/IR/MLProgram.h"
#include "mlir/Transforms/DialectConversion.h"

namespace tcnnc::lowering {
#define GEN_PASS_DEF_TCNNTOLINALG
#include "compiler/lowering/Passes.h.inc"
} // namespace tcnnc::lowering

using namespace mlir;
using tcnnc::lowering::LoweringOpInterface;

#include "compiler/lowering/LoweringInterface.cpp.inc"

namespace {
/// Replaces any op that knows its lowering with what it builds.
struct LowerThroughInterface
    : OpInterfaceRewritePattern<LoweringOpInterface> {
  using OpInterfaceRewritePattern::OpInterfaceRewritePattern;
  LogicalResult matchAndRewrite(LoweringOpInterface op,
                                PatternRewriter &b) const override {
    SmallVector<Value> results = op.lower(b);
    if (results.size() != op->getNumResults())
      return failure();
    b.replaceOp(op, results);
    return success();
  }
};

struct TcnnToLinalgPass
    : public tcnnc::lowering::impl::TcnnToLinalgBase<TcnnToLinalgPass> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    RewritePatternSet patterns(ctx);
    patterns.add<LowerThroughInterface>(ctx);
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

int64_t tcnnc::lowering::resultElements(Operation *op) {
  int64_t n = 0;
  for (Type t : op->getResultTypes())
    if (auto shaped = dyn_cast<ShapedType>(t))
      n += shaped.getNumElements();
  return n;
}

void tcnnc::lowering::registerLowerings(DialectRegistry &registry) {
  registerConvLowerings(registry);
  registerPoolLowerings(registry);
  registerElementwiseLowerings(registry);
  registerActivationLowerings(registry);
  registerLinearLowerings(registry);
  registerLossLowerings(registry);
  registerNormLowerings(registry);
  registerDropoutLowerings(registry);
  registerPadLowerings(registry);
  registerOptimizerLowerings(registry);
}
