//===- Loss.td - losses and their gradients ----------------*- tablegen -*-===//
//
// The loss family: losses of a prediction and a same-shaped target
// (nn.MSELoss, nn.L1Loss, nn.SmoothL1Loss, nn.BCEWithLogitsLoss) and of
// scores and class indices (nn.CrossEntropyLoss, nn.NLLLoss), with their
// gradients. Every loss takes PyTorch's `reduction`. Their layer
// descriptions and reverse rules are in Loss.cpp beside this file.
//
//===----------------------------------------------------------------------===//

#ifndef TCNN_OPS_LOSS_TD
#define TCNN_OPS_LOSS_TD

include "dialect/TcnnOpBase.td"
include "dialect/BatchInterface.td"

def Tcnn_IsReduction : AttrConstraint<
    CPred<"::llvm::is_contained({::llvm::StringRef(\"mean\"), "
          "::llvm::StringRef(\"sum\")}, "
          "::llvm::cast<::mlir::StringAttr>($_self).getValue())">,
    "\"mean\" or \"sum\"">;

/// PyTorch's `reduction` of a loss: "mean" (the default) divides the sum
/// of the terms by their count, "sum" does not.
def Tcnn_ReductionAttr
    : DefaultValuedStrAttr<ConfinedAttr<StrAttr, [Tcnn_IsReduction]>, "mean">;

def Tcnn_IsProbability : AttrConstraint<
    CPred<"::llvm::cast<::mlir::FloatAttr>($_self).getValueAsDouble() >= 0.0 "
          "&& ::llvm::cast<::mlir::FloatAttr>($_self).getValueAsDouble() <= 1.0">,
    "between 0 and 1">;

/// A loss of a prediction and a same-shaped target that reduces one term
/// per element, with the attributes `attrs`.
class Tcnn_PointwiseLossOp<string mnemonic, string layerName, dag attrs = (ins)>
    : Tcnn_LayerOp<mnemonic, layerName, [Tcnn_BatchMeanOpInterface], 2, 1> {
  let arguments = !con((ins Tcnn_Tensor:$input, Tcnn_Tensor:$target,
                            Optional<I64>:$valid), attrs,
                       (ins Tcnn_ReductionAttr:$reduction));
  let results = (outs Tcnn_Scalar:$loss);
  let assemblyFormat = [{
    $input `,` $target (`valid` $valid^)? attr-dict `:` type($input) `,`
    type($target)
  }];
}

/// Its gradient with respect to the prediction: the upstream gradient of
/// the loss times the term's derivative (divided by the element count for
/// "mean").
class Tcnn_PointwiseLossGradOp<string mnemonic, dag attrs = (ins)>
    : Tcnn_BackwardOp<mnemonic, "_dinput",
        [AllTypesMatch<["input", "input_grad"]>, Tcnn_BatchMeanOpInterface]> {
  let arguments = !con((ins Tcnn_Scalar:$loss_grad, Tcnn_Tensor:$input,
                            Tcnn_Tensor:$target, Optional<I64>:$valid), attrs,
                       (ins Tcnn_ReductionAttr:$reduction));
  let results = (outs Tcnn_Tensor:$input_grad);
  let assemblyFormat = [{
    $loss_grad `,` $input `,` $target (`valid` $valid^)? attr-dict `:`
    type($loss_grad) `,` type($input) `,` type($target)
  }];
}

/// A loss of scores [N, C] and one class index per row [N], reducing one
/// term per row.
class Tcnn_ClassLossOp<string mnemonic, string layerName, dag attrs = (ins)>
    : Tcnn_LayerOp<mnemonic, layerName, [Tcnn_BatchMeanOpInterface], 2, 1> {
  let arguments = !con((ins Tcnn_Tensor:$input, Tcnn_IndexTensor:$target,
                            Optional<I64>:$valid), attrs,
                       (ins Tcnn_ReductionAttr:$reduction));
  let results = (outs Tcnn_Scalar:$loss);
  let assemblyFormat = [{
    $input `,` $target (`valid` $valid^)? attr-dict `:` type($input) `,`
    type($target)
  }];
}

/// Its gradient with respect to the scores.
class Tcnn_ClassLossGradOp<string mnemonic, dag attrs = (ins)>
    : Tcnn_BackwardOp<mnemonic, "_dinput",
        [AllTypesMatch<["input", "input_grad"]>, Tcnn_BatchMeanOpInterface]> {
  let arguments = !con((ins Tcnn_Scalar:$loss_grad, Tcnn_Tensor:$input,
                            Tcnn_IndexTensor:$target, Optional<I64>:$valid),
                       attrs, (ins Tcnn_ReductionAttr:$reduction));
  let results = (outs Tcnn_Tensor:$input_grad);
  let assemblyFormat = [{
    $loss_grad `,` $input `,` $target (`valid` $valid^)? attr-dict `:`
    type($loss_grad) `,` type($input) `,` type($target)
  }];
}

def Tcnn_MseLossOp : Tcnn_PointwiseLossOp<"mse_loss", "MSELoss"> {
  let summary = "Mean squared error (nn.MSELoss)";
  let description = [{
    `L = (1 / numel) sum_i (p_i - t_i)^2` for prediction `p` and target `t`
    of the same shape; the result is a 0-d tensor. With
    `reduction = "sum"` there is no division. With `valid n` (a partial
    last batch, see BatchMeanOpInterface) only the first n rows count and
    numel is that of n rows.

    Example:
    ```mlir
    %loss = tcnn.mse_loss %p, %t : tensor<1x2xf32>, tensor<1x2xf32>
    ```
  }];
}

def Tcnn_MseLossGradOp : Tcnn_PointwiseLossGradOp<"mse_loss_grad"> {
  let summary = "Gradient of mse_loss with respect to its prediction";
  let description = [{
    `dp = dL * 2 (p - t) / numel` (no division for `reduction = "sum"`),
    where `dL` is the upstream gradient of the loss (1 when the loss is the
    function's result). With `valid n`, numel is that of n rows and the
    rows from n on are 0.

    Example:
    ```mlir
    %dp = tcnn.mse_loss_grad %dloss, %p, %t : tensor<f32>, tensor<1x2xf32>, tensor<1x2xf32>
    ```
  }];
}

def Tcnn_L1LossOp : Tcnn_PointwiseLossOp<"l1_loss", "L1Loss"> {
  let summary = "Mean absolute error (nn.L1Loss)";
  let description = [{
    `L = (1 / numel) sum_i |p_i - t_i|` for prediction `p` and target `t`
    of the same shape; 0-d result. `reduction` and `valid` as for
    mse_loss.

    Example:
    ```mlir
    %loss = tcnn.l1_loss %p, %t {reduction = "sum"} : tensor<1x2xf32>, tensor<1x2xf32>
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
  let summary = "Huber-like smooth L1 loss (nn.SmoothL1Loss)";
  let description = [{
    With `d = p - t`: each term is `0.5 d^2 / beta` where `|d| < beta`, else
    `|d| - 0.5 beta`; `L` is their mean (or sum). `beta` defaults to 1.0;
    `beta = 0` is the L1 loss.

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

def Tcnn_BceWithLogitsLossOp
    : Tcnn_PointwiseLossOp<"bce_with_logits_loss", "BCEWithLogitsLoss"> {
  let summary = "Binary cross entropy of logits (nn.BCEWithLogitsLoss)";
  let description = [{
    For logits `x` and targets `y` (probabilities in [0, 1]) of one shape,
    each term is `-(y log sigmoid(x) + (1 - y) log(1 - sigmoid(x)))`,
    computed as `max(x, 0) - x y + log(1 + exp(-|x|))` so that no `exp`
    overflows; `L` is their mean (or sum).

    Example:
    ```mlir
    %loss = tcnn.bce_with_logits_loss %x, %y : tensor<4x1xf32>, tensor<4x1xf32>
    ```
  }];
}

def Tcnn_BceWithLogitsLossGradOp
    : Tcnn_PointwiseLossGradOp<"bce_with_logits_loss_grad"> {
  let summary = "Gradient of bce_with_logits_loss with respect to its logits";
  let description = [{
    `dx = dL * (sigmoid(x) - y) / numel`.

    Example:
    ```mlir
    %dx = tcnn.bce_with_logits_loss_grad %dloss, %x, %y : tensor<f32>, tensor<4x1xf32>, tensor<4x1xf32>
    ```
  }];
}

def Tcnn_CrossEntropyLossOp : Tcnn_ClassLossOp<"cross_entropy_loss",
    "CrossEntropyLoss",
    (ins DefaultValuedAttr<ConfinedAttr<F64Attr, [Tcnn_IsProbability]>,
                           "0.0">:$label_smoothing)> {
  let summary = "Softmax + negative log-likelihood (nn.CrossEntropyLoss)";
  let description = [{
    For logits `z` [N, C] and class indices `t` [N] (int64, in [0, C)),
    the term of row n is `lse_n - z[n, t[n]]` with
    `lse_n = log sum_c exp z[n, c]`; `L` is the mean (or the sum) of the
    terms. With `label_smoothing` e the target is the mixture
    `(1 - e) onehot(t) + e / C`, and the term is
    `lse_n - (1 - e) z[n, t[n]] - (e / C) sum_c z[n, c]`.
    With `valid n`, only the first n rows count.

    Example:
    ```mlir
    %loss = tcnn.cross_entropy_loss %z, %t : tensor<8x10xf32>, tensor<8xi64>
    ```
  }];
}

def Tcnn_CrossEntropyLossGradOp : Tcnn_ClassLossGradOp<"cross_entropy_loss_grad",
    (ins DefaultValuedAttr<ConfinedAttr<F64Attr, [Tcnn_IsProbability]>,
                           "0.0">:$label_smoothing)> {
  let summary = "Gradient of cross_entropy_loss with respect to its logits";
  let description = [{
    `dz[n, c] = dL * (softmax(z[n])[c] - q[n, c]) / N` with the target
    distribution `q[n, c] = (1 - e) [c == t[n]] + e / C` (no division by N
    for `reduction = "sum"`). With `valid v`, N is v and the rows from v on
    are 0.

    Example:
    ```mlir
    %dz = tcnn.cross_entropy_loss_grad %dloss, %z, %t
            : tensor<f32>, tensor<8x10xf32>, tensor<8xi64>
    ```
  }];
}

def Tcnn_NllLossOp : Tcnn_ClassLossOp<"nll_loss", "NLLLoss"> {
  let summary = "Negative log-likelihood of log-probabilities (nn.NLLLoss)";
  let description = [{
    For log-probabilities `z` [N, C] (a LogSoftmax's output) and class
    indices `t` [N]: the term of row n is `-z[n, t[n]]`; `L` is their mean
    (or sum).

    Example:
    ```mlir
    %loss = tcnn.nll_loss %z, %t : tensor<8x10xf32>, tensor<8xi64>
    ```
  }];
}

def Tcnn_NllLossGradOp : Tcnn_ClassLossGradOp<"nll_loss_grad"> {
  let summary = "Gradient of nll_loss with respect to its input";
  let description = [{
    `dz[n, c] = -dL [c == t[n]] / N`: only each row's target entry has a
    gradient.

    Example:
    ```mlir
    %dz = tcnn.nll_loss_grad %dloss, %z, %t : tensor<f32>, tensor<8x10xf32>, tensor<8xi64>
    ```
  }];
}

#endif // TCNN_OPS_LOSS_TD
