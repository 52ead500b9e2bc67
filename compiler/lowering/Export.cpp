//===- Export.cpp - the -tcnn-export pass ---------------------------------===//

#include "compiler/lowering/Passes.h"

#include "dialect/TcnnOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/MLProgram/IR/MLProgram.h"
#include "mlir/IR/SymbolTable.h"

#include "llvm/ADT/StringSet.h"

namespace tcnnc::lowering {
#define GEN_PASS_DEF_TCNNEXPORT
#include "compiler/lowering/Passes.h.inc"
} // namespace tcnnc::lowering

using namespace mlir;

std::string tcnnc::lowering::cIdentifier(llvm::StringRef name) {
  std::string id = name.str();
  for (char &c : id)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_')
      c = '_';
  if (id.empty() || std::isdigit(static_cast<unsigned char>(id[0])))
    id = "_" + id;
  // A tensor may be called `int` or `lr`; C needs other names for those.
  static const llvm::StringSet<> reserved = {
      "auto", "break", "case", "char", "const", "continue", "default", "do",
      "double", "else", "enum", "extern", "float", "for", "goto", "if",
      "inline", "int", "long", "register", "restrict", "return", "short",
      "signed", "sizeof", "static", "struct", "switch", "typedef", "union",
      "unsigned", "void", "volatile", "while", "int64_t", "lr", "workspace",
      "i"};
  if (reserved.contains(id))
    id += "_";
  return id;
}

std::string tcnnc::lowering::modelPrefix(ModuleOp module) {
  auto name = module->getAttrOfType<StringAttr>("tcnn.model");
  return cIdentifier(name ? name.getValue() : "model");
}

namespace {
/// Every result of an exported function becomes an out-parameter the caller
/// owns. A returned function argument (a model whose input flows straight
/// into its output, e.g. `MSELoss()(x, y)`) or a value returned twice would
/// alias another buffer, which buffer-results-to-out-params cannot express:
/// give each such result its own copy.
void copyAliasedResults(func::FuncOp func) {
  func.walk([](func::ReturnOp ret) {
    OpBuilder b(ret);
    llvm::SmallPtrSet<Value, 8> seen;
    for (OpOperand &operand : ret->getOpOperands()) {
      Value v = operand.get();
      auto type = dyn_cast<RankedTensorType>(v.getType());
      if (!type || (!isa<BlockArgument>(v) && seen.insert(v).second))
        continue;
      Value empty = b.create<tensor::EmptyOp>(ret.getLoc(), type.getShape(),
                                              type.getElementType());
      operand.set(
          b.create<linalg::CopyOp>(ret.getLoc(), v, empty).getResult(0));
    }
  });
}

struct ExportPass : public tcnnc::lowering::impl::TcnnExportBase<ExportPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    std::string prefix = tcnnc::lowering::modelPrefix(module);
    OpBuilder b(module.getBodyRegion());
    for (auto global :
         llvm::make_early_inc_range(module.getOps<ml_program::GlobalOp>())) {
      auto type = cast<RankedTensorType>(global.getType());
      auto memrefType = MemRefType::get(type.getShape(), type.getElementType());
      b.setInsertionPoint(global);
      std::string name =
          prefix + "_data_" + tcnnc::lowering::cIdentifier(global.getSymName());
      b.create<memref::GlobalOp>(global.getLoc(), name,
                                 b.getStringAttr("public"), memrefType,
                                 global.getValueAttr(), /*constant=*/true,
                                 b.getI64IntegerAttr(64));
      global.erase();
    }
    for (auto func : module.getOps<func::FuncOp>()) {
      if (func.isDeclaration()) // the runtime's, such as tcnn_profile_begin
        continue;
      copyAliasedResults(func);
      StringRef suffix =
          func->hasAttr(mlir::tcnn::kGradientOfAttr) ? "grad" : "forward";
      if (auto kind =
              func->getAttrOfType<StringAttr>(mlir::tcnn::kOptimizerStepAttr))
        suffix = kind.getValue();
      if (failed(SymbolTable::replaceAllSymbolUses(
              func, b.getStringAttr(prefix + "_" + suffix.str()), module)))
        return signalPassFailure();
      func.setSymName(prefix + "_" + suffix.str());
    }
  }
};
} // namespace
