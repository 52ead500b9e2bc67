//===- Symbolic.h - convolution derivations with symbols --------*- C++ -*-===//

#ifndef TCNN_EXPLAIN_SYMBOLIC_H
#define TCNN_EXPLAIN_SYMBOLIC_H

#include "compiler/explain/Markdown.h"
#include "compiler/interpreter/Interpreter.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace tcnnc::explain {

/// For every conv2d of `grad` (or only `layer`), the derivation of the
/// teaching notes with symbols: receptive fields ⊙ [w1..wK], dout =
/// [d1..dM], dL/dW as a sum of receptive fields times d_i, dL/dX as kernel
/// copies d_i·W mapped back with overlaps summed (the final matrix of
/// symbolic sums), the dilate-and-flip view, and the four shapes. The
/// image values are the model's (batch 0, the first input and output
/// channel). Fails with an error if `layer` names no conv2d or a conv is
/// too large to write out.
mlir::LogicalResult writeSymbolic(mlir::func::FuncOp grad,
                                  const Interpreter &interp,
                                  const std::string &layer, Markdown &md);

} // namespace tcnnc::explain

#endif // TCNN_EXPLAIN_SYMBOLIC_H
