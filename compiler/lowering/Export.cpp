//===- Export.cpp - the -tcnn-export pass ---------------------------------===//

#include "compiler/lowering/Passes.h"

#include "dialect/TcnnOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MLProgram/IR/MLProgram.h"
#include "mlir/IR/SymbolTable.h"

namespace tcnn::lowering {
#define GEN_PASS_DEF_TCNNEXPORT
#include "compiler/lowering/Passes.h.inc"
} // namespace tcnn::lowering

using namespace mlir;

std::string(::tcnn::lowering::cIdentifier)(llvm::StringRef name) {
  std::string id = name.str();
  for (char &c : id)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_')
      c = '_';
  if (id.empty() || std::isdigit(static_cast<unsigned char>(id[0])))
    id = "_" + id;
  return id;
}

std::string(::tcnn::lowering::modelPrefix)(ModuleOp module) {
  auto name = module->getAttrOfType<StringAttr>("tcnn.model");
  return cIdentifier(name ? name.getValue() : "model");
}

namespace {
struct ExportPass : public ::tcnn::lowering::impl::TcnnExportBase<ExportPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    std::string prefix = ::tcnn::lowering::modelPrefix(module);
    OpBuilder b(module.getBodyRegion());
    for (auto global :
         llvm::make_early_inc_range(module.getOps<ml_program::GlobalOp>())) {
      auto type = cast<RankedTensorType>(global.getType());
      auto memrefType = MemRefType::get(type.getShape(), type.getElementType());
      b.setInsertionPoint(global);
      std::string name =
          prefix + "_data_" + ::tcnn::lowering::cIdentifier(global.getSymName());
      b.create<memref::GlobalOp>(global.getLoc(), name,
                                 b.getStringAttr("public"), memrefType,
                                 global.getValueAttr(), /*constant=*/true,
                                 b.getI64IntegerAttr(64));
      global.erase();
    }
    for (auto func : module.getOps<func::FuncOp>()) {
      StringRef suffix =
          func->hasAttr(mlir::tcnn::kGradientOfAttr) ? "grad" : "forward";
      if (failed(SymbolTable::replaceAllSymbolUses(
              func, b.getStringAttr(prefix + "_" + suffix.str()), module)))
        return signalPassFailure();
      func.setSymName(prefix + "_" + suffix.str());
    }
  }
};
} // namespace
