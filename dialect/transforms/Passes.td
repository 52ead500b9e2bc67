//===- Passes.td - tcnn dialect passes ---------------------*- tablegen -*-===//

#ifndef TCNN_PASSES_TD
#define TCNN_PASSES_TD

include "mlir/Pass/PassBase.td"

def TcnnAutodiff : Pass<"tcnn-autodiff", "mlir::ModuleOp"> {
  let summary = "Derive the backward pass: @f -> @f_grad returning every gradient";
  let description = [{
    For every function whose first result is a 0-d f32 tensor (the loss),
    builds `@<name>_grad`: the same arguments, the forward computation
    (reused, never recomputed), then the backward ops each forward op
    builds through `GradientOpInterface`, in reverse order. It returns the
    loss, the other forward results, then dL/dp for every argument marked
    `tcnn.param` (in argument order), then dL/dx for every input named in
    `wrt`. Gradients of a value used twice are summed with `tcnn.add`;
    gradients nobody needs are never built (PyTorch's requires_grad). The
    new function is canonicalized and CSE'd.
  }];
  let options = [
    ListOption<"wrt", "wrt", "std::string",
               "Inputs (tcnn.input names) to differentiate besides the "
               "parameters">,
  ];
  let dependentDialects = ["mlir::arith::ArithDialect"];
}

#endif // TCNN_PASSES_TD
