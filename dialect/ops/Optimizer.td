//===- Optimizer.td - parameter updates of torch.optim -----*- tablegen -*-===//
//
// The optimizer family: one step of torch.optim.SGD and torch.optim.Adam
// for one parameter, elementwise. -tcnn-train-functions builds the
// @sgd_step and @adam_step functions of a model from them, so the update
// is compiled (tiled, vectorized) like the rest of a training step. The
// hyperparameters are operands, not attributes: the command line of an
// executable changes them without recompiling. AllTypesMatch is their
// whole verifier.
//
//===----------------------------------------------------------------------===//

#ifndef TCNN_OPS_OPTIMIZER_TD
#define TCNN_OPS_OPTIMIZER_TD

include "dialect/TcnnOpBase.td"

/// Marks the ops of this family: they appear only in the optimizer step
/// functions, which run in compiled code alone, so they have a lowering
/// but no interpreter kernel, reverse rule or explanation.
def Tcnn_OptimizerStep : NativeOpTrait<"OptimizerStep"> {
  let cppNamespace = "::mlir::tcnn";
}

/// An elementwise update: every tensor operand and the result have one
/// type (the parameter's).
class Tcnn_OptimizerOp<string mnemonic, list<string> tensors>
    : Tcnn_Op<mnemonic, [Pure, AllTypesMatch<tensors>, Tcnn_OptimizerStep]> {
  let results = (outs Tcnn_Tensor:$result);
}

def Tcnn_SgdBufferOp : Tcnn_OptimizerOp<"sgd_buffer",
    ["param", "grad", "buffer", "result"]> {
  let summary = "SGD's momentum buffer after one step (torch.optim.SGD)";
  let description = [{
    `d = grad + weight_decay * param`, `result = momentum * buffer + d`.
    With a zero-initialized buffer the first step gives `d`, as PyTorch's
    buffer initialization with dampening 0; with momentum 0 the result is
    `d`, the plain gradient step.

    Example:
    ```mlir
    %b1 = tcnn.sgd_buffer %p, %g, %b, %momentum, %wd : tensor<6x1x5x5xf32>
    ```
  }];
  let arguments = (ins Tcnn_Tensor:$param, Tcnn_Tensor:$grad,
                   Tcnn_Tensor:$buffer, F32:$momentum, F32:$weight_decay);
  let assemblyFormat = [{
    $param `,` $grad `,` $buffer `,` $momentum `,` $weight_decay attr-dict
    `:` type($param)
  }];
}

def Tcnn_SgdUpdateOp : Tcnn_OptimizerOp<"sgd_update",
    ["param", "grad", "buffer", "result"]> {
  let summary = "A parameter after one SGD step (torch.optim.SGD)";
  let description = [{
    `d = grad + weight_decay * param`; the step is `buffer` (the new
    momentum buffer from `tcnn.sgd_buffer`), or `d + momentum * buffer`
    when `nesterov` is non-zero; `result = param - lr * step`.

    Example:
    ```mlir
    %p1 = tcnn.sgd_update %p, %g, %b1, %lr, %momentum, %wd, %nesterov
            : tensor<6x1x5x5xf32>
    ```
  }];
  let arguments = (ins Tcnn_Tensor:$param, Tcnn_Tensor:$grad,
                   Tcnn_Tensor:$buffer, F32:$lr, F32:$momentum,
                   F32:$weight_decay, I32:$nesterov);
  let assemblyFormat = [{
    $param `,` $grad `,` $buffer `,` $lr `,` $momentum `,` $weight_decay `,`
    $nesterov attr-dict `:` type($param)
  }];
}

def Tcnn_AdamMomentOp : Tcnn_OptimizerOp<"adam_moment",
    ["param", "grad", "moment", "result"]> {
  let summary = "One of Adam's running moments after one step (torch.optim.Adam)";
  let description = [{
    `d = grad + weight_decay * param`; `result = beta * moment + (1 - beta)
    * d`, or `* d * d` with `squared` (the second moment).

    Example:
    ```mlir
    %v1 = tcnn.adam_moment %p, %g, %v, %beta2, %wd {squared} : tensor<120x400xf32>
    ```
  }];
  let arguments = (ins Tcnn_Tensor:$param, Tcnn_Tensor:$grad,
                   Tcnn_Tensor:$moment, F32:$beta, F32:$weight_decay,
                   UnitAttr:$squared);
  let assemblyFormat = [{
    $param `,` $grad `,` $moment `,` $beta `,` $weight_decay attr-dict `:`
    type($param)
  }];
}

def Tcnn_AdamUpdateOp : Tcnn_OptimizerOp<"adam_update",
    ["param", "first_moment", "second_moment", "result"]> {
  let summary = "A parameter after one Adam step (torch.optim.Adam)";
  let description = [{
    With the step's bias corrections `c1 = 1 - beta1^step` and
    `c2 = 1 - beta2^step` (in double precision, as PyTorch's Python
    scalars), `result = param - (lr / c1) * m / (sqrt(v) / sqrt(c2) + eps)`
    for the new moments `m` and `v`. `step` counts from 1.

    Example:
    ```mlir
    %p1 = tcnn.adam_update %p, %m1, %v1, %lr, %beta1, %beta2, %eps, %step
            : tensor<120x400xf32>
    ```
  }];
  let arguments = (ins Tcnn_Tensor:$param, Tcnn_Tensor:$first_moment,
                   Tcnn_Tensor:$second_moment, F32:$lr, F32:$beta1,
                   F32:$beta2, F32:$eps, I64:$step);
  let assemblyFormat = [{
    $param `,` $first_moment `,` $second_moment `,` $lr `,` $beta1 `,`
    $beta2 `,` $eps `,` $step attr-dict `:` type($param)
  }];
}

#endif // TCNN_OPS_OPTIMIZER_TD
