//===- Interpreter.h - run tcnn functions op by op --------------*- C++ -*-===//
//
// A straightforward executor of the tcnn dialect (forward and backward
// ops), independent of the native-code path: the reference that native
// code and explanations are checked against.
//
//===----------------------------------------------------------------------===//

#ifndef TCNN_INTERPRETER_INTERPRETER_H
#define TCNN_INTERPRETER_INTERPRETER_H

#include "compiler/interpreter/Tensor.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include "llvm/ADT/DenseMap.h"

#include <map>
#include <string>

namespace tcnnc {

class Interpreter {
public:
  /// With `roundToFloat`, every op's result is rounded to float32 (the
  /// semantics of the model); without, everything stays in double (for
  /// finite differences).
  explicit Interpreter(bool roundToFloat = true) : roundToFloat(roundToFloat) {}

  /// The value of every argument of `func`: the ml_program.global its
  /// tcnn.input/target/param name refers to, unless `overrides` has that
  /// name. Reports an error and fails if a value is missing or mis-shaped.
  mlir::FailureOr<std::vector<Tensor>>
  loadArguments(mlir::func::FuncOp func,
                const std::map<std::string, Tensor> &overrides = {});

  /// Runs `func` on `args` and returns its results. Every intermediate
  /// value stays available through `valueOf` until the next run.
  mlir::FailureOr<std::vector<Tensor>> run(mlir::func::FuncOp func,
                                           llvm::ArrayRef<Tensor> args);

  const Tensor *valueOf(mlir::Value v) const {
    auto it = values.find(v);
    return it == values.end() ? nullptr : &it->second;
  }

private:
  mlir::LogicalResult execute(mlir::Operation *op);

  bool roundToFloat;
  llvm::DenseMap<mlir::Value, Tensor> values;
};

} // namespace tcnnc

#endif // TCNN_INTERPRETER_INTERPRETER_H
