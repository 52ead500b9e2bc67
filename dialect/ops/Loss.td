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

/// A loss of a prediction and a same-shaped target that averages one term
/// per element (as mse_loss), with the attributes `attrs`.
class Tcnn_PointwiseLossOp<string mnemonic, string layerName, dag attrs = (ins)>
    : Tcnn_LayerOp<mnemonic, layerName, [Tcnn_BatchMeanOpInterface], 2, 1> {
  let arguments = !con((ins Tcnn_Tensor:$input, Tcnn_Tensor:$target,
                            Optional<I64>:$valid), attrs);
  let results = (outs Tcnn_Scalar:$loss);
  let assemblyFormat = [{
    $input `,` $target (`valid` $valid^)? attr-dict `:` type($input) `,`
    type($target)
  }];
}

/// Its gradient with respect to the prediction: the upstream gradient of
/// the loss times the term's derivative, divided by the element count.
class Tcnn_PointwiseLossGradOp<string mnemonic, dag attrs = (ins)>
    : Tcnn_BackwardOp<mnemonic, "_dinput",
        [AllTypesMatch<["input", "input_grad"]>, Tcnn_BatchMeanOpInterface]> {
  let arguments = !con((ins Tcnn_Scalar:$loss_grad, Tcnn_Tensor:$input,
                            Tcnn_Tensor:$target, Optional<I64>:$valid), attrs);
  let results = (outs Tcnn_Tensor:$input_grad);
  let assemblyFormat = [{
    $loss_grad `,` $input `,` $target (`valid` $valid^)? attr-dict `:`
    type($loss_grad) `,` type($input) `,` type($target)
  }];
}

def Tcnn_L1LossOp : Tcnn_PointwiseLossOp<"l1_loss", "L1Loss"> {
  let summary = "Mean absolute error (nn.L1Loss, reduction='mean')";
  let description = [{
    `L = (1 / numel) sum_i |p_i - t_i|` for prediction `p` and target `t`
    of the same shape; 0-d result. `valid` as for mse_loss.

    Example:
    ```mlir
    %loss = tcnn.l1_loss %p, %t : tensor<1x2xf32>, tensor<1x2xf32>
    ```
  }];
}

def Tcnn_L1LossGradOp : Tcnn_PointwiseLossGradOp<"l1_loss_grad"> {
  let summary = "Gradient of l1_loss with respect to its prediction";
  let description = [{
    `dp = dL * sign(p - t) / numel` (0 where p == t, as PyTorch).

    Example:
    ```mlir
    %dp = tcnn.l1_loss_grad %dloss, %p, %t : tensor<f32>, tensor<1x2xf32>, tensor<1x2xf32>
    ```
  }];
}

def Tcnn_SmoothL1LossOp : Tcnn_PointwiseLossOp<"smooth_l1_loss", "SmoothL1Loss",
    (ins DefaultValuedAttr<F64Attr, "1.0">:$beta)> {
  let summary = "Huber-like smooth L1 loss (nn.SmoothL1Loss, reduction='mean')";
  let description = [{
    With `d = p - t`: each term is `0.5 d^2 / beta` where `|d| < beta`, else
    `|d| - 0.5 beta`; `L` is their mean. `beta` defaults to 1.0; `beta = 0`
    is the L1 loss.

    Example:
    ```mlir
    %loss = tcnn.smooth_l1_loss %p, %t {beta = 5.000000e-01 : f64} : tensor<1x2xf32>, tensor<1x2xf32>
    ```
  }];
}

def Tcnn_SmoothL1LossGradOp : Tcnn_PointwiseLossGradOp<"smooth_l1_loss_grad",
    (ins F64Attr:$beta)> {
  let summary = "Gradient of smooth_l1_loss with respect to its prediction";
  let description = [{
    `dp = dL * (|d| < beta ? d / beta : sign(d)) / numel`, `d = p - t`.

    Example:
    ```mlir
    %dp = tcnn.smooth_l1_loss_grad %dloss, %p, %t {beta = 1.000000e+00 : f64} : tensor<f32>, tensor<1x2xf32>, tensor<1x2xf32>
    ```
  }];
}

#endif // TCNN_OPS_LOSS_TD
