//===- Pool.td - max and average pooling -------------------*- tablegen -*-===//
//
// The nn.MaxPool2d and nn.AvgPool2d family: the forward ops and their
// input gradients. Their layer descriptions and reverse rules are in
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

#endif // TCNN_OPS_POOL_TD
