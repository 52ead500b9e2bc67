//===- Tile.cpp - the -tcnn-tile pass -------------------------------------===//
//
// Writes one transform sequence per scheduled op (matched by a temporary
// tcnn.schedule_id attribute) and runs upstream's interpreter on it.
//
//===----------------------------------------------------------------------===//

#include "compiler/optimize/Passes.h"
#include "compiler/optimize/Schedule.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/raw_ostream.h"

namespace tcnnc::optimize {
#define GEN_PASS_DEF_TCNNTILE
#include "compiler/optimize/Passes.h.inc"
} // namespace tcnnc::optimize

using namespace mlir;
using namespace tcnnc::optimize;

namespace {

constexpr llvm::StringLiteral kScheduleId = "tcnn.schedule_id";

/// `n` results of type !transform.any_op, as a parenthesized list.
std::string anyOps(size_t n) {
  SmallVector<std::string> types(n, "!transform.any_op");
  return "(" + llvm::join(types, ", ") + ")";
}

std::string sizes(ArrayRef<int64_t> s) {
  return "[" + llvm::join(llvm::map_range(s, [](int64_t v) {
           return std::to_string(v);
         }), ", ") + "]";
}

/// The transform ops that tile the op tagged `id` with `s`.
void writeSequence(llvm::raw_ostream &os, int id, const Schedule &s) {
  std::string op = "%op" + std::to_string(id);
  os << "    " << op << " = transform.structured.match attributes {"
     << kScheduleId << " = " << id
     << "} in %root : (!transform.any_op) -> !transform.any_op\n";
  std::string current = op;
  if (s.flatten) {
    os << "    " << op << "_1d = transform.structured.flatten_elementwise "
       << current << " : (!transform.any_op) -> !transform.any_op\n";
    current = op + "_1d";
  }
  if (s.splitAt != 0) {
    os << "    " << op << "_main, " << op
       << "_rest = transform.structured.split " << current << " after "
       << s.splitAt << " {dimension = 0} : !transform.any_op\n"
       << "    transform.annotate " << op << "_rest \"tcnn.vectorize\" : "
          "!transform.any_op\n";
    current = op + "_main";
  }
  if (!s.forall.empty()) {
    os << "    " << op << "_f, " << op
       << "_forall = transform.structured.tile_using_forall " << current
       << " tile_sizes " << sizes(s.forall)
       << " : (!transform.any_op) -> (!transform.any_op, !transform.any_op)\n";
    current = op + "_f";
  }
  size_t loops = llvm::count_if(s.loops, [](int64_t v) { return v != 0; });
  if (loops > 0) {
    os << "    " << op << "_t, " << op << "_loops"
       << (loops > 1 ? ":" + std::to_string(loops) : "")
       << " = transform.structured.tile_using_for " << current
       << " tile_sizes " << sizes(s.loops) << " : (!transform.any_op) -> "
       << anyOps(loops + 1) << "\n";
    current = op + "_t";
  }
  if (s.decompose) {
    os << "    " << op << "_d = transform.structured.decompose " << current
       << " : (!transform.any_op) -> !transform.any_op\n";
    current = op + "_d";
  }
  if (s.vectorize)
    os << "    transform.annotate " << current
       << " \"tcnn.vectorize\" : !transform.any_op\n";
}

struct TcnnTilePass
    : public tcnnc::optimize::impl::TcnnTileBase<TcnnTilePass> {
  using TcnnTileBase::TcnnTileBase;
  void runOnOperation() override {
    ModuleOp module = getOperation();
    std::string script;
    llvm::raw_string_ostream os(script);
    os << "module attributes {transform.with_named_sequence} {\n"
          "  transform.named_sequence @__transform_main("
          "%root: !transform.any_op {transform.readonly}) {\n";
    int count = 0;
    module.walk([&](linalg::LinalgOp op) {
      std::optional<Schedule> s = scheduleFor(op);
      if (!s)
        return;
      op->setAttr(kScheduleId,
                  IntegerAttr::get(IntegerType::get(&getContext(), 64), count));
      writeSequence(os, count++, *s);
    });
    os << "    transform.yield\n  }\n}\n";
    if (printSchedule)
      llvm::errs() << script;
    if (count > 0 && failed(applyTransformScript(module, script)))
      return signalPassFailure();
    module.walk([](Operation *op) { op->removeAttr(kScheduleId); });
  }
};

} // namespace
