//===- Norm.td - batch normalization and its gradients -----*- tablegen -*-===//
//
// The nn.BatchNorm2d family: the forward op, the update of the running
// statistics, and the input and weight gradients (the bias gradient is
// conv's bias_grad). Their layer description and reverse rule are in
// Norm.cpp beside this file.
//
//===----------------------------------------------------------------------===//

#ifndef TCNN_OPS_NORM_TD
#define TCNN_OPS_NORM_TD

include "dialect/TcnnOpBase.td"
include "dialect/BatchInterface.td"
include "dialect/StateInterface.td"

/// PyTorch's `eps` of BatchNorm2d.
def Tcnn_NormEpsAttr : DefaultValuedAttr<F64Attr, "1.0e-5">;

def Tcnn_BatchNorm2dOp : Tcnn_LayerOp<"batch_norm2d", "BatchNorm2d",
    [AttrSizedOperandSegments, Tcnn_BatchMeanOpInterface,
     Tcnn_ModeOpInterface]> {
  let summary = "Batch normalization over N, H, W per channel (nn.BatchNorm2d)";
  let description = [{
    For input [N, C, H, W]:
    `y[n, c, h, w] = weight[c] * (x[n, c, h, w] - mean[c]) / sqrt(var[c] + eps) + bias[c]`.

    In training mode (`training = true`, the default), `mean` and `var` are
    the batch statistics of channel c over N, H and W, `var` the biased
    variance (divided by N·H·W). In inference mode (`training = false`)
    they are the running statistics `running_mean` and `running_var`. A
    layer without running statistics (`track_running_stats=False`) uses the
    batch statistics in both modes; one without `weight` and `bias`
    (`affine=False`) has scale 1 and shift 0. With `valid n` the batch
    statistics are those of the first n rows.

    Example:
    ```mlir
    %bn1 = tcnn.batch_norm2d %x weight %w, %b running %rm, %rv
        : (tensor<8x4x6x6xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<8x4x6x6xf32>
    ```
  }];
  let arguments = (ins Tcnn_Tensor:$input, Optional<Tcnn_Tensor>:$weight,
                   Optional<Tcnn_Tensor>:$bias,
                   Optional<Tcnn_Tensor>:$running_mean,
                   Optional<Tcnn_Tensor>:$running_var, Optional<I64>:$valid,
                   Tcnn_NormEpsAttr:$eps, Tcnn_TrainingAttr:$training);
  let results = (outs Tcnn_Tensor:$output);
  let hasVerifier = 1;
  let assemblyFormat = [{
    $input (`weight` $weight^ `,` $bias)?
    (`running` $running_mean^ `,` $running_var)? (`valid` $valid^)?
    attr-dict `:` functional-type(operands, results)
  }];
}

def Tcnn_BatchNorm2dUpdateOp : Tcnn_Op<"batch_norm2d_update",
    [Pure, Tcnn_BatchMeanOpInterface,
     Tcnn_ModeOpInterface,
     DeclareOpInterfaceMethods<Tcnn_StateUpdateOpInterface>,
     AllTypesMatch<["running_mean", "running_var", "new_mean", "new_var"]>],
    "_running"> {
  let summary = "The next running statistics of a BatchNorm2d layer";
  let description = [{
    In training mode, PyTorch's update after a forward pass:
    `new_mean[c] = (1 - momentum) * running_mean[c] + momentum * mean[c]`
    and the same for the variance with the *unbiased* batch variance
    (divided by N·H·W - 1), from the batch statistics of the input [N, C,
    H, W] (of its first n rows with `valid n`). In inference mode the
    statistics stay as they are. The results are the next values of the
    layer's `tcnn.buffer` arguments.

    Example:
    ```mlir
    %bn1_running:2 = tcnn.batch_norm2d_update %x, %rm, %rv {momentum = 1.000000e-01 : f64} : tensor<8x4x6x6xf32>, tensor<4xf32>
    ```
  }];
  let arguments = (ins Tcnn_Tensor:$input, Tcnn_Tensor:$running_mean,
                   Tcnn_Tensor:$running_var, Optional<I64>:$valid,
                   DefaultValuedAttr<F64Attr, "0.1">:$momentum,
                   Tcnn_TrainingAttr:$training);
  let results = (outs Tcnn_Tensor:$new_mean, Tcnn_Tensor:$new_var);
  let hasVerifier = 1;
  let assemblyFormat = [{
    $input `,` $running_mean `,` $running_var (`valid` $valid^)? attr-dict
    `:` type($input) `,` type($running_mean)
  }];
}

/// A gradient of batch_norm2d: reads the upstream gradient, the forward
/// input, and what the forward op read to normalize it.
class Tcnn_BatchNorm2dGradOp<string mnemonic, string suffix, dag extra>
    : Tcnn_BackwardOp<mnemonic, suffix,
        [AttrSizedOperandSegments, Tcnn_BatchMeanOpInterface]> {
  let arguments = !con((ins Tcnn_Tensor:$output_grad, Tcnn_Tensor:$input),
                       extra,
                       (ins Optional<Tcnn_Tensor>:$running_mean,
                            Optional<Tcnn_Tensor>:$running_var,
                            Optional<I64>:$valid, Tcnn_NormEpsAttr:$eps,
                            Tcnn_TrainingAttr:$training));
}

def Tcnn_BatchNorm2dGradOp : Tcnn_BatchNorm2dGradOp<"batch_norm2d_grad",
    "_dinput", (ins Optional<Tcnn_Tensor>:$weight)> {
  let summary = "Gradient of batch_norm2d with respect to its input";
  let description = [{
    With `s[c] = weight[c] / sqrt(var[c] + eps)` (weight 1 without one) and
    `xhat` the normalized input, in training mode (the statistics depend
    on every input of the channel) the three-term rule
    `dx = s[c] * (dy - mean(dy) - xhat * mean(dy * xhat))`,
    the means over N, H, W of channel c; in inference mode (running
    statistics, constants) `dx = s[c] * dy`. With `valid n` the means are
    over the first n rows and the rows from n on are 0.

    Example:
    ```mlir
    %dx = tcnn.batch_norm2d_grad %dy, %x weight %w
        : (tensor<8x4x6x6xf32>, tensor<8x4x6x6xf32>, tensor<4xf32>) -> tensor<8x4x6x6xf32>
    ```
  }];
  let results = (outs Tcnn_Tensor:$input_grad);
  let assemblyFormat = [{
    $output_grad `,` $input (`weight` $weight^)?
    (`running` $running_mean^ `,` $running_var)? (`valid` $valid^)?
    attr-dict `:` functional-type(operands, results)
  }];
}

def Tcnn_BatchNorm2dWeightGradOp : Tcnn_BatchNorm2dGradOp<
    "batch_norm2d_weight_grad", "_dweight", (ins)> {
  let summary = "Gradient of batch_norm2d with respect to its weight";
  let description = [{
    `dweight[c] = sum_{n, h, w} dy[n, c, h, w] * xhat[n, c, h, w]`, with
    `xhat` normalized by the batch statistics in training mode and by the
    running ones in inference mode; with `valid n` over the first n rows.

    Example:
    ```mlir
    %dw = tcnn.batch_norm2d_weight_grad %dy, %x
        : (tensor<8x4x6x6xf32>, tensor<8x4x6x6xf32>) -> tensor<4xf32>
    ```
  }];
  let results = (outs Tcnn_Tensor:$weight_grad);
  let assemblyFormat = [{
    $output_grad `,` $input (`running` $running_mean^ `,` $running_var)?
    (`valid` $valid^)? attr-dict `:` functional-type(operands, results)
  }];
}

#endif // TCNN_OPS_NORM_TD
