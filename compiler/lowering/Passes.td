//===- Passes.td - tcnn lowering passes --------------------*- tablegen -*-===//

#ifndef TCNN_LOWERING_PASSES_TD
#define TCNN_LOWERING_PASSES_TD

include "mlir/Pass/PassBase.td"

def TcnnToLinalg : Pass<"tcnn-to-linalg", "mlir::ModuleOp"> {
  let summary = "Lower every tcnn op to linalg, tensor, arith and math on tensors";
  let description = [{
    Every convolution of a step (forward, input gradient, weight gradient)
    becomes `linalg.conv_2d_nhwc_hwcf` on channels-last data between
    `linalg.transpose`s; Linear and its gradients `linalg.matmul`; pooling
    a reduction over split window dimensions or `linalg.pooling_nchw_max` /
    `_sum`; `tensor.pad` pads and `linalg.broadcast` gives biases; the other
    backward ops and losses become `linalg.generic`s whose indexing maps
    spell their formulas. No tcnn op survives.
  }];
  let dependentDialects = [
    "mlir::arith::ArithDialect", "mlir::linalg::LinalgDialect",
    "mlir::math::MathDialect", "mlir::tensor::TensorDialect",
  ];
}

def TcnnProfile : Pass<"tcnn-profile", "mlir::ModuleOp"> {
  let summary = "Time every tcnn op of the gradient function";
  let description = [{
    Brackets each tcnn op of the function marked `tcnn.gradient_of` with
    calls to the runtime's `tcnn_profile_begin(i32)` and
    `tcnn_profile_end(i32)`, and records in the module attribute
    `tcnn.profile` one dictionary per op: its layer name, op name, whether
    it belongs to the forward or the backward pass, and its floating-point
    operations (LoweringOpInterface::flops). Run before -tcnn-to-linalg,
    whose lowering of each op lands between its two calls. Executables
    only: their `--profile` option prints the table.
  }];
  let dependentDialects = ["mlir::func::FuncDialect", "mlir::arith::ArithDialect"];
}

def TcnnExport : Pass<"tcnn-export", "mlir::ModuleOp"> {
  let summary = "Give a model's functions and data their C names";
  let description = [{
    Renames `@forward` / `@forward_grad` to `@<model>_forward` /
    `@<model>_grad` (and the optimizer steps of -tcnn-train-functions to
    `@<model>_sgd` / `@<model>_adam`) and turns every `ml_program.global @name` into a public
    constant `memref.global @<model>_data_<name>` (dots become `_`), so the
    object file exports the embedded inputs and parameters under the names
    the generated C header declares.
  }];
  let dependentDialects = ["mlir::memref::MemRefDialect"];
}

def TcnnCopiesToLinalg : Pass<"tcnn-copies-to-linalg", "mlir::ModuleOp"> {
  let summary = "Rewrite memref.copy as linalg.copy so it becomes plain loops";
  let description = [{
    Bufferization copies into strided views (the interior of a padded
    buffer, for instance) as `memref.copy`, which the LLVM lowering turns
    into a call to MLIR's C runner library. As `linalg.copy` it becomes a
    loop nest instead, so compiled code calls nothing but libc and libm (and,
    in executables, libomp for the parallel loops).
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect"];
}

#endif // TCNN_LOWERING_PASSES_TD
