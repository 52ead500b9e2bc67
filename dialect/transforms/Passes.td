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

def TcnnTrainFunctions : Pass<"tcnn-train-functions", "mlir::ModuleOp"> {
  let summary = "Add what training on a data set needs: partial batches, optimizer steps";
  let description = [{
    Runs after -tcnn-autodiff, for executables and libraries.

    A data set's last batch may hold fewer samples than the model's batch
    N. The forward and gradient functions gain a last argument
    `%valid: i64` (marked `tcnn.valid`), the count of real samples: the
    caller pads the rest, and every BatchMeanOpInterface op (the losses
    and their gradients) takes it as its `valid` operand, so padding rows
    count for nothing. That is only sound when each of N samples flows
    through the model on its own: every input and target, and every
    tensor the forward function computes, must have dimension 0 equal to
    N. The module attribute `tcnn.batch` records N, or 0 when the model
    mixes rows (the argument is then added but ignored).

    The forward function is what evaluation and prediction run: it is put
    in inference mode (every ModeOpInterface op: BatchNorm uses its running
    statistics, Dropout passes its input through) and returns the loss and
    the output only. The gradient function trains: it stays in training
    mode and also returns the next value of every `tcnn.buffer` argument.
    Model state does not count as a per-sample tensor for N.

    It also builds `@sgd_step` and `@adam_step` from the optimizer ops:
    arguments every parameter, every gradient, the optimizer's state per
    parameter, then the hyperparameters as scalars; results the new
    parameters and the new state, in that order.

    The forward function of a model without a loss
    (`tcnn.inference_only`, no gradient function) only gains `%valid`: it
    already is in inference mode, and there is nothing to train.
  }];
  let dependentDialects = ["mlir::func::FuncDialect"];
}

#endif // TCNN_PASSES_TD
