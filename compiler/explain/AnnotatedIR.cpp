//===- AnnotatedIR.cpp - IR with the values each op computed --------------===//

#include "compiler/explain/AnnotatedIR.h"

#include "compiler/support/Format.h"
#include "dialect/TcnnOps.h"

#include "mlir/IR/AsmState.h"

#include "llvm/Support/raw_ostream.h"

#include <algorithm>

using namespace mlir;

std::string tcnnc::explain::annotatedIR(func::FuncOp grad,
                                          const Interpreter &interp,
                                          const ReportOptions &options) {
  std::string out;
  llvm::raw_string_ostream os(out);
  AsmState state(grad);
  std::string header;
  {
    llvm::raw_string_ostream hs(header);
    grad.print(hs, state);
  }
  os << "// tcnnc explain: the "
     << (mlir::tcnn::isInferenceOnly(grad)
             ? "forward function (the model has no loss)"
             : "gradient function")
     << ", each op followed by what the interpreter computed\n// (shape; value at the explained "
        "position; min / max).\n";
  os << header.substr(0, header.find('{') + 1) << "\n";
  std::array<int64_t, 4> at = options.at.value_or(std::array<int64_t, 4>{0, 0, 1, 1});
  for (Operation &op : grad.getBody().front()) {
    os << "  ";
    op.print(os, state);
    os << "\n";
    if (op.getNumResults() != 1)
      continue;
    const Tensor *t = interp.valueOf(op.getResult(0));
    if (!t)
      continue;
    Index index;
    if (t->shape.size() == 4)
      index.assign(at.begin(), at.end());
    else
      index.assign(at.begin(), at.begin() + std::min<size_t>(2, t->shape.size()));
    bool fits = true;
    for (size_t d = 0; d < t->shape.size(); ++d)
      fits = fits && index[d] >= 0 && index[d] < t->shape[d];
    if (!fits)
      index.assign(t->shape.size(), 0);
    auto [lo, hi] = std::minmax_element(t->data.begin(), t->data.end());
    os << "  //   " << shapeStr(t->shape) << "; at " << indexStr(index)
       << ": " << formatFixed(t->data[flat(t->shape, index)]) << "; min "
       << formatFixed(*lo) << " / max " << formatFixed(*hi) << "\n";
  }
  os << "}\n";
  return out;
}
