//===- Loss.td - losses and their gradients ----------------*- tablegen -*-===//
//
// The loss family: nn.MSELoss and nn.CrossEntropyLoss and their
// gradients. Their layer descriptions and reverse rules are in
// Loss.cpp beside this file.
//
//===----------------------------------------------------------------------===//

#ifndef TCNN_OPS_LOSS_TD
#define TCNN_OPS_LOSS_TD

include "dialect/TcnnOpBase.td"
include "dialect/BatchInterface.td"

def Tcnn_MseLossOp : Tcnn_LayerOp<"mse_loss", "MSELoss",
    [Tcnn_BatchMeanOpInterface], 2, 1> {
  let summary = "Mean squared error (nn.MSELoss, reduction='mean')";
  let description = [{
    `L = (1 / numel) sum_i (p_i - t_i)^2` for prediction `p` and target `t`
    of the same shape; the result is a 0-d tensor. With `valid n` (a
    partial last batch, see BatchMeanOpInterface) only the first n rows
    count and numel is that of n rows.

    Example:
    ```mlir
    %loss = tcnn.mse_loss %p, %t : tensor<1x2xf32>, tensor<1x2xf32>
    ```
  }];
  let arguments = (ins Tcnn_Tensor:$input, Tcnn_Tensor:$target,
                   Optional<I64>:$valid);
  let results = (outs Tcnn_Scalar:$loss);
  let assemblyFormat = [{
    $input `,` $target (`valid` $valid^)? attr-dict `:` type($input) `,`
    type($target)
  }];
}

def Tcnn_MseLossGradOp : Tcnn_BackwardOp<"mse_loss_grad", "_dinput",
    [AllTypesMatch<["input", "input_grad"]>,
     Tcnn_BatchMeanOpInterface]> {
  let summary = "Gradient of mse_loss with respect to its prediction";
  let description = [{
    `dp = dL * 2 (p - t) / numel`, where `dL` is the upstream gradient of
    the loss (1 when the loss is the function's result). With `valid n`,
    numel is that of n rows and the rows from n on are 0.

    Example:
    ```mlir
    %dp = tcnn.mse_loss_grad %dloss, %p, %t : tensor<f32>, tensor<1x2xf32>, tensor<1x2xf32>
    ```
  }];
  let arguments = (ins Tcnn_Scalar:$loss_grad, Tcnn_Tensor:$input,
                   Tcnn_Tensor:$target, Optional<I64>:$valid);
  let results = (outs Tcnn_Tensor:$input_grad);
  let assemblyFormat = [{
    $loss_grad `,` $input `,` $target (`valid` $valid^)? attr-dict `:`
    type($loss_grad) `,` type($input) `,` type($target)
  }];
}

def Tcnn_CrossEntropyLossOp
    : Tcnn_LayerOp<"cross_entropy_loss", "CrossEntropyLoss",
        [Tcnn_BatchMeanOpInterface], 2, 1> {
  let summary = "Softmax + negative log-likelihood (nn.CrossEntropyLoss, mean)";
  let description = [{
    For logits `z` [N, C] and class indices `t` [N] (int64, in [0, C)):
    `L = (1 / N) sum_n (logsumexp_c z[n, c] - z[n, t[n]])`; 0-d result.
    With `valid n`, the sum runs over the first n rows and N is n.

    Example:
    ```mlir
    %loss = tcnn.cross_entropy_loss %z, %t : tensor<8x10xf32>, tensor<8xi64>
    ```
  }];
  let arguments = (ins Tcnn_Tensor:$input, Tcnn_IndexTensor:$target,
                   Optional<I64>:$valid);
  let results = (outs Tcnn_Scalar:$loss);
  let assemblyFormat = [{
    $input `,` $target (`valid` $valid^)? attr-dict `:` type($input) `,`
    type($target)
  }];
}

def Tcnn_CrossEntropyLossGradOp : Tcnn_BackwardOp<"cross_entropy_loss_grad", "_dinput",
    [AllTypesMatch<["input", "input_grad"]>,
     Tcnn_BatchMeanOpInterface]> {
  let summary = "Gradient of cross_entropy_loss with respect to its logits";
  let description = [{
    `dz[n, c] = dL * (softmax(z[n])[c] - (c == t[n] ? 1 : 0)) / N`. With
    `valid v`, N is v and the rows from v on are 0.

    Example:
    ```mlir
    %dz = tcnn.cross_entropy_loss_grad %dloss, %z, %t
            : tensor<f32>, tensor<8x10xf32>, tensor<8xi64>
    ```
  }];
  let arguments = (ins Tcnn_Scalar:$loss_grad, Tcnn_Tensor:$input,
                   Tcnn_IndexTensor:$target, Optional<I64>:$valid);
  let results = (outs Tcnn_Tensor:$input_grad);
  let assemblyFormat = [{
    $loss_grad `,` $input `,` $target (`valid` $valid^)? attr-dict `:`
    type($loss_grad) `,` type($input) `,` type($target)
  }];
}

#endif // TCNN_OPS_LOSS_TD
