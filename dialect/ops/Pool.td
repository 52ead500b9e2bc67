//===- Pool.td - max and average pooling -------------------*- tablegen -*-===//
//
// The nn.MaxPool2d, nn.AvgPool2d and adaptive pooling family: the forward
// ops and their input gradients. Their layer descriptions and reverse rules are in
// Pool.cpp beside this file.
//
//===----------------------------------------------------------------------===//

#ifndef TCNN_OPS_POOL_TD
#define TCNN_OPS_POOL_TD

include "dialect/TcnnOpBase.td"

/// ceil_mode: the output rounds up, the last window may hang over the
/// padded input (PyTorch's rule; see shapes::PoolWindows).
def Tcnn_CeilMode : DefaultValuedAttr<BoolAttr, "false">;
/// Max pooling's window taps spacing, as conv2d's dilation.
def Tcnn_PoolDilation : DefaultValuedAttr<Tcnn_Pair, "{1, 1}">;
/// Average pooling: whether padded positions count in the divisor, and a
/// divisor that replaces the window size.
def Tcnn_CountIncludePad : DefaultValuedAttr<BoolAttr, "true">;
def Tcnn_DivisorOverride : OptionalAttr<ConfinedAttr<I64Attr, [IntPositive]>>;

/// The window arguments of max pooling and average pooling.
defvar Tcnn_MaxPoolWindow = (ins Tcnn_Pair:$kernel_size, Tcnn_Pair:$stride,
    Tcnn_Pair:$padding, Tcnn_PoolDilation:$dilation, Tcnn_CeilMode:$ceil_mode);
defvar Tcnn_AvgPoolWindow = (ins Tcnn_Pair:$kernel_size, Tcnn_Pair:$stride,
    Tcnn_Pair:$padding, Tcnn_CeilMode:$ceil_mode,
    Tcnn_CountIncludePad:$count_include_pad,
    Tcnn_DivisorOverride:$divisor_override);

/// Shared definition of the two pooling ops.
class Tcnn_PoolOp<string mnemonic, string layerName, dag window>
    : Tcnn_LayerOp<mnemonic, layerName> {
  let arguments = !con((ins Tcnn_Tensor:$input), window);
  let results = (outs Tcnn_Tensor:$output);
  let assemblyFormat = [{
    $input `kernel` $kernel_size `stride` $stride `padding` $padding
    attr-dict `:` type($input) `->` type($output)
  }];
}

def Tcnn_MaxPool2dOp : Tcnn_PoolOp<"max_pool2d", "MaxPool2d",
    Tcnn_MaxPoolWindow> {
  let summary = "2-D max pooling (nn.MaxPool2d)";
  let description = [{
    `y[n, c, i, j] = max_{p, q} x_pad[n, c, i*s_h + p*d_h, j*s_w + q*d_w]`
    over the `K_h x K_w` window, taps `dilation` d apart, where padded
    positions hold -infinity (they never win). Output size as conv2d
    (rounded up with `ceil_mode`, the last window then hanging over the
    padded input but starting inside it); padding must be at most half the
    (dilated) kernel, as PyTorch requires.

    Example:
    ```mlir
    %y = tcnn.max_pool2d %x kernel [2, 2] stride [2, 2] padding [0, 0]
            : tensor<8x6x28x28xf32> -> tensor<8x6x14x14xf32>
    ```
  }];
}

def Tcnn_AvgPool2dOp : Tcnn_PoolOp<"avg_pool2d", "AvgPool2d",
    Tcnn_AvgPoolWindow> {
  let summary = "2-D average pooling (nn.AvgPool2d)";
  let description = [{
    `y[n, c, i, j] = (1 / D[i, j]) sum_{p, q} x_pad[n, c, i*s_h + p, j*s_w + q]`
    where padded positions hold 0. The divisor D is `K_h K_w` by default;
    with `ceil_mode` a window hanging over the padded input counts only the
    part inside it; `count_include_pad = false` counts only the input's own
    positions; `divisor_override` replaces it (PyTorch's rules).

    Example:
    ```mlir
    %y = tcnn.avg_pool2d %x kernel [2, 2] stride [2, 2] padding [0, 0]
            : tensor<1x4x4x4xf32> -> tensor<1x4x2x2xf32>
    ```
  }];
}

def Tcnn_MaxPool2dGradOp : Tcnn_BackwardOp<"max_pool2d_grad", "_dinput"> {
  let summary = "Gradient of max_pool2d: route to each window's arg-max";
  let description = [{
    For each output position, the upstream gradient goes to the position
    of the window's maximum; ties go to the first maximum in row-major
    window order (as PyTorch), padded positions never win, and windows that
    overlap accumulate into the same input position.

    Example:
    ```mlir
    %dx = tcnn.max_pool2d_grad %dy, %x kernel [2, 2] stride [2, 2] padding [0, 0]
            : (tensor<8x6x14x14xf32>, tensor<8x6x28x28xf32>) -> tensor<8x6x28x28xf32>
    ```
  }];
  let arguments = !con((ins Tcnn_Tensor:$output_grad, Tcnn_Tensor:$input),
                       Tcnn_MaxPoolWindow);
  let results = (outs Tcnn_Tensor:$input_grad);
  let assemblyFormat = [{
    $output_grad `,` $input `kernel` $kernel_size `stride` $stride `padding`
    $padding attr-dict `:` functional-type(operands, results)
  }];
}

def Tcnn_AvgPool2dGradOp : Tcnn_BackwardOp<"avg_pool2d_grad", "_dinput"> {
  let summary = "Gradient of avg_pool2d: spread evenly over each window";
  let description = [{
    `dx[n, c, h, w] = sum_{(i, j) : window (i, j) covers (h, w)} dy[n, c, i, j] / D[i, j]`

    with the forward op's divisor D (its attributes decide it).

    Example:
    ```mlir
    %dx = tcnn.avg_pool2d_grad %dy kernel [2, 2] stride [2, 2] padding [0, 0]
            : tensor<1x4x2x2xf32> -> tensor<1x4x4x4xf32>
    ```
  }];
  let arguments = !con((ins Tcnn_Tensor:$output_grad), Tcnn_AvgPoolWindow);
  let results = (outs Tcnn_Tensor:$input_grad);
  let assemblyFormat = [{
    $output_grad `kernel` $kernel_size `stride` $stride `padding` $padding
    attr-dict `:` type($output_grad) `->` type($input_grad)
  }];
}

/// Adaptive pooling: the output size is given, and output row i pools
/// input rows floor(i H / O) to ceil((i + 1) H / O) - 1 (windows of
/// different sizes when O does not divide H).
class Tcnn_AdaptivePoolOp<string mnemonic, string layerName>
    : Tcnn_LayerOp<mnemonic, layerName> {
  let arguments = (ins Tcnn_Tensor:$input, Tcnn_Pair:$output_size);
  let results = (outs Tcnn_Tensor:$output);
  let assemblyFormat = [{
    $input `to` $output_size attr-dict `:` type($input) `->` type($output)
  }];
}

def Tcnn_AdaptiveAvgPool2dOp
    : Tcnn_AdaptivePoolOp<"adaptive_avg_pool2d", "AdaptiveAvgPool2d"> {
  let summary = "2-D adaptive average pooling (nn.AdaptiveAvgPool2d)";
  let description = [{
    `y[n, c, i, j]` is the mean of `x[n, c, h, w]` over the window
    `floor(i H / O_h) <= h < ceil((i + 1) H / O_h)` and likewise for w:
    every input position is in at least one window, and windows of
    neighbouring outputs may overlap by one. `output_size` [1, 1] is global
    average pooling.

    Example:
    ```mlir
    %y = tcnn.adaptive_avg_pool2d %x to [1, 1] : tensor<8x16x5x5xf32> -> tensor<8x16x1x1xf32>
    ```
  }];
}

def Tcnn_AdaptiveMaxPool2dOp
    : Tcnn_AdaptivePoolOp<"adaptive_max_pool2d", "AdaptiveMaxPool2d"> {
  let summary = "2-D adaptive max pooling (nn.AdaptiveMaxPool2d)";
  let description = [{
    `y[n, c, i, j]` is the maximum of `x[n, c, h, w]` over the windows of
    adaptive_avg_pool2d; ties go to the first maximum in row-major window
    order.

    Example:
    ```mlir
    %y = tcnn.adaptive_max_pool2d %x to [2, 3] : tensor<1x4x5x7xf32> -> tensor<1x4x2x3xf32>
    ```
  }];
}

def Tcnn_AdaptiveAvgPool2dGradOp
    : Tcnn_BackwardOp<"adaptive_avg_pool2d_grad", "_dinput"> {
  let summary = "Gradient of adaptive_avg_pool2d: spread over each window";
  let description = [{
    `dx[n, c, h, w] = sum over windows (i, j) holding (h, w) of
    dy[n, c, i, j] / (size of window (i, j))`.

    Example:
    ```mlir
    %dx = tcnn.adaptive_avg_pool2d_grad %dy : tensor<8x16x1x1xf32> -> tensor<8x16x5x5xf32>
    ```
  }];
  let arguments = (ins Tcnn_Tensor:$output_grad);
  let results = (outs Tcnn_Tensor:$input_grad);
  let assemblyFormat = [{
    $output_grad attr-dict `:` type($output_grad) `->` type($input_grad)
  }];
}

def Tcnn_AdaptiveMaxPool2dGradOp
    : Tcnn_BackwardOp<"adaptive_max_pool2d_grad", "_dinput",
        [AllTypesMatch<["input", "input_grad"]>]> {
  let summary = "Gradient of adaptive_max_pool2d: route to each window's arg-max";
  let description = [{
    Each dy[n, c, i, j] goes to the first maximum of window (i, j) of the
    forward input; overlapping windows accumulate.

    Example:
    ```mlir
    %dx = tcnn.adaptive_max_pool2d_grad %dy, %x : tensor<1x4x2x3xf32>, tensor<1x4x5x7xf32>
    ```
  }];
  let arguments = (ins Tcnn_Tensor:$output_grad, Tcnn_Tensor:$input);
  let results = (outs Tcnn_Tensor:$input_grad);
  let assemblyFormat = [{
    $output_grad `,` $input attr-dict `:` type($output_grad) `,` type($input)
  }];
}

#endif // TCNN_OPS_POOL_TD
