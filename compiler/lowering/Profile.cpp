//===- Profile.cpp - the -tcnn-profile pass -------------------------------===//
//
// The calls are ordinary side-effecting calls, so nothing later moves the
// work of one op across them; CSE may still reuse a value computed under an
// earlier op (a transposed weight, say), which then counts there.
//
//===----------------------------------------------------------------------===//

#include "compiler/lowering/LoweringInterface.h"
#include "compiler/lowering/Passes.h"

#include "dialect/TcnnDialect.h"
#include "dialect/TcnnOps.h"

namespace tcnnc::lowering {
#define GEN_PASS_DEF_TCNNPROFILE
#include "compiler/lowering/Passes.h.inc"
} // namespace tcnnc::lowering

using namespace mlir;
using tcnnc::lowering::LoweringOpInterface;

namespace {

constexpr llvm::StringLiteral kBegin = "tcnn_profile_begin";
constexpr llvm::StringLiteral kEnd = "tcnn_profile_end";

/// A private declaration `func.func private @name(i32)`.
void declare(ModuleOp module, StringRef name) {
  if (module.lookupSymbol(name))
    return;
  OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
  auto type = b.getFunctionType({b.getI32Type()}, {});
  b.create<func::FuncOp>(module.getLoc(), name, type).setPrivate();
}

struct TcnnProfilePass
    : public tcnnc::lowering::impl::TcnnProfileBase<TcnnProfilePass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *ctx = &getContext();
    SmallVector<Attribute> table;
    for (auto func : module.getOps<func::FuncOp>()) {
      // The training step, or the forward pass of a model without a loss.
      if (!func->hasAttr(mlir::tcnn::kGradientOfAttr) &&
          !mlir::tcnn::isInferenceOnly(func))
        continue;
      func.walk([&](LoweringOpInterface op) {
        int32_t id = static_cast<int32_t>(table.size());
        StringRef layer = mlir::tcnn::layerNameOf(op).value_or("?");
        // An inference-only function has no backward pass at all.
        bool forward = isa<mlir::tcnn::LayerOpInterface>(op.getOperation()) ||
                       mlir::tcnn::isInferenceOnly(func);
        Builder attrs(ctx);
        table.push_back(DictionaryAttr::get(
            ctx, {attrs.getNamedAttr("layer", attrs.getStringAttr(layer)),
                  attrs.getNamedAttr(
                      "op", attrs.getStringAttr(
                                op->getName().stripDialect())),
                  attrs.getNamedAttr("pass", attrs.getStringAttr(
                                                 forward ? "forward"
                                                         : "backward")),
                  attrs.getNamedAttr("flops",
                                     attrs.getI64IntegerAttr(op.flops()))}));
        OpBuilder b(op);
        Value idValue = b.create<arith::ConstantIntOp>(op->getLoc(), id, 32);
        b.create<func::CallOp>(op->getLoc(), kBegin, TypeRange{},
                               ValueRange{idValue});
        b.setInsertionPointAfter(op);
        b.create<func::CallOp>(op->getLoc(), kEnd, TypeRange{},
                               ValueRange{idValue});
      });
    }
    if (table.empty())
      return;
    declare(module, kBegin);
    declare(module, kEnd);
    module->setAttr("tcnn.profile", ArrayAttr::get(ctx, table));
  }
};

} // namespace
