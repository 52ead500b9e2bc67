//===- Conv.td - conv2d and its gradients ------------------*- tablegen -*-===//
//
// The nn.Conv2d family (with dilation and groups, depthwise included): the
// forward op, its input, weight and bias gradients, and nn.ConvTranspose2d,
// whose forward is conv2d's input gradient and whose gradients are conv2d
// and its weight gradient. Their layer descriptions and reverse rules are in
// Conv.cpp beside this file.
//
//===----------------------------------------------------------------------===//

#ifndef TCNN_OPS_CONV_TD
#define TCNN_OPS_CONV_TD

include "dialect/TcnnOpBase.td"

/// The kernel taps' spacing (nn.Conv2d's dilation), 1 by default.
def Tcnn_Dilation : DefaultValuedAttr<Tcnn_Pair, "{1, 1}">;
/// How many groups the channels form (nn.Conv2d's groups), 1 by default.
def Tcnn_Groups : DefaultValuedAttr<ConfinedAttr<I64Attr, [IntPositive]>, "1">;

def Tcnn_Conv2dOp : Tcnn_LayerOp<"conv2d", "Conv2d"> {
  let summary = "2-D cross-correlation with stride, zero padding, dilation "
                "and groups (nn.Conv2d)";
  let description = [{
    Computes, for input `x` of shape [N, C_in, H, W], weight `w` of shape
    [C_out, C_in / G, K_h, K_w] and optional bias `b` of shape [C_out]:

    ```
    y[n, o, i, j] = b[o] + sum_{c, p, q} x_pad[n, g(o) + c, i*s_h + p*d_h, j*s_w + q*d_w] * w[o, c, p, q]
    ```

    where `x_pad` is `x` with `padding` zeros on each side, i.e.
    `x_pad[n, c, h, w] = x[n, c, h - p_h, w - p_w]` (zero outside `x`),
    `d` is the `dilation` (the taps' spacing, default 1) and, with `groups`
    G (default 1), output channel o reads only the C_in / G input channels
    of its group, from `g(o) = (o / (C_out / G)) * (C_in / G)` on;
    G = C_in = C_out is a depthwise convolution. The output is
    [N, C_out, H_out, W_out] with
    `H_out = floor((H + 2 p_h - d_h (K_h - 1) - 1) / s_h) + 1`, as in
    PyTorch.

    Example:
    ```mlir
    %y = tcnn.conv2d %x, %w, %b stride [1, 1] padding [2, 2] {dilation = array<i64: 2, 2>, groups = 2 : i64}
        : (tensor<1x4x8x8xf32>, tensor<6x2x3x3xf32>, tensor<6xf32>) -> tensor<1x6x8x8xf32>
    ```
  }];
  let arguments = (ins Tcnn_Tensor:$input, Tcnn_Tensor:$weight,
                   Optional<Tcnn_Tensor>:$bias,
                   Tcnn_Pair:$stride, Tcnn_Pair:$padding,
                   Tcnn_Dilation:$dilation, Tcnn_Groups:$groups);
  let results = (outs Tcnn_Tensor:$output);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? `stride` $stride `padding` $padding
    attr-dict `:` functional-type(operands, results)
  }];
}

def Tcnn_ConvTranspose2dOp : Tcnn_LayerOp<"conv_transpose2d", "ConvTranspose2d"> {
  let summary = "2-D transposed convolution (nn.ConvTranspose2d)";
  let description = [{
    The adjoint of conv2d: for input `x` [N, C_in, H, W], weight `w`
    [C_in, C_out / G, K_h, K_w] and optional bias `b` [C_out], every input
    position `x[n, i, a, c]` scales kernel `w[i]` and adds it to the
    output where a conv2d window at (a, c) would read:

    ```
    y[n, g(i) + o, a*s_h + p*d_h - p_h, c*s_w + q*d_w - p_w] += x[n, i, a, c] * w[i, o, p, q]
    ```

    plus `b`; positions that fall outside the output (the padding) are
    dropped. The output is [N, C_out, H_out, W_out] with
    `H_out = (H - 1) s_h - 2 p_h + d_h (K_h - 1) + output_padding_h + 1`,
    as in PyTorch; `output_padding` (less than the stride or the dilation) adds rows and
    columns at the end that only the bias reaches. It computes what
    conv2d_input_grad computes, plus the bias.

    Example:
    ```mlir
    %y = tcnn.conv_transpose2d %x, %w, %b stride [2, 2] padding [1, 1] {output_padding = array<i64: 1, 1>}
        : (tensor<1x4x3x3xf32>, tensor<4x2x3x3xf32>, tensor<2xf32>) -> tensor<1x2x6x6xf32>
    ```
  }];
  let arguments = (ins Tcnn_Tensor:$input, Tcnn_Tensor:$weight,
                   Optional<Tcnn_Tensor>:$bias,
                   Tcnn_Pair:$stride, Tcnn_Pair:$padding,
                   DefaultValuedAttr<Tcnn_Pair, "{0, 0}">:$output_padding,
                   Tcnn_Dilation:$dilation, Tcnn_Groups:$groups);
  let results = (outs Tcnn_Tensor:$output);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? `stride` $stride `padding` $padding
    attr-dict `:` functional-type(operands, results)
  }];
}

def Tcnn_Conv2dInputGradOp : Tcnn_BackwardOp<"conv2d_input_grad", "_dinput"> {
  let summary = "Gradient of conv2d with respect to its input";
  let description = [{
    `dx[n, c, h, w] = sum_{o, i, j, p, q : i*s_h + p*d_h - p_h = h, j*s_w + q*d_w - p_w = w} dy[n, o, i, j] * w[o, c, p, q]`
    (o over the output channels of c's group).

    Each upstream gradient `dy[n, o, i, j]` scales a copy of the kernel
    `w[o, :, :, :]`, which is placed back on the input where the forward
    window was (top-left corner at `(i*s_h - p_h, j*s_w - p_w)`, taps `d`
    apart); overlapping copies are summed and parts falling on padding
    dropped. Equivalently: dilate `dy` with `s - 1` zeros, pad it with
    `d (K - 1) - p`, and cross-correlate with the kernel flipped in both
    spatial dims, dilated by `d`. `dilation` and `groups` are the forward
    op's.

    Example:
    ```mlir
    %dx = tcnn.conv2d_input_grad %dy, %w stride [1, 1] padding [0, 0]
            : (tensor<8x16x10x10xf32>, tensor<16x6x5x5xf32>) -> tensor<8x6x14x14xf32>
    ```
  }];
  let arguments = (ins Tcnn_Tensor:$output_grad, Tcnn_Tensor:$weight,
                   Tcnn_Pair:$stride, Tcnn_Pair:$padding,
                   Tcnn_Dilation:$dilation, Tcnn_Groups:$groups);
  let results = (outs Tcnn_Tensor:$input_grad);
  let assemblyFormat = [{
    $output_grad `,` $weight `stride` $stride `padding` $padding attr-dict
    `:` functional-type(operands, results)
  }];
}

def Tcnn_Conv2dWeightGradOp : Tcnn_BackwardOp<"conv2d_weight_grad", "_dweight"> {
  let summary = "Gradient of conv2d with respect to its weight";
  let description = [{
    `dw[o, c, p, q] = sum_{n, i, j} dy[n, o, i, j] * x_pad[n, g(o) + c, i*s_h + p*d_h, j*s_w + q*d_w]`

    The sum over every output position of the upstream gradient times that
    position's receptive field (within o's group of input channels, from
    `g(o)` on, as for conv2d). `dilation` and `groups` are the forward op's.

    Example:
    ```mlir
    %dw = tcnn.conv2d_weight_grad %dy, %x stride [1, 1] padding [2, 2]
            : (tensor<8x6x28x28xf32>, tensor<8x1x28x28xf32>) -> tensor<6x1x5x5xf32>
    ```
  }];
  let arguments = (ins Tcnn_Tensor:$output_grad, Tcnn_Tensor:$input,
                   Tcnn_Pair:$stride, Tcnn_Pair:$padding,
                   Tcnn_Dilation:$dilation, Tcnn_Groups:$groups);
  let results = (outs Tcnn_Tensor:$weight_grad);
  let assemblyFormat = [{
    $output_grad `,` $input `stride` $stride `padding` $padding attr-dict
    `:` functional-type(operands, results)
  }];
}

def Tcnn_BiasGradOp : Tcnn_BackwardOp<"bias_grad", "_dbias"> {
  let summary = "Gradient of a conv2d or linear bias: sum over all but dim 1";
  let description = [{
    `db[o] = sum_{n, ...} dy[n, o, ...]`: the upstream gradient summed over
    the batch and every spatial position, for conv2d ([N, O, H, W]) and
    linear ([N, O]) alike.

    Example:
    ```mlir
    %db = tcnn.bias_grad %dy : tensor<8x6x28x28xf32> -> tensor<6xf32>
    ```
  }];
  let arguments = (ins Tcnn_Tensor:$output_grad);
  let results = (outs Tcnn_Tensor:$bias_grad);
  let assemblyFormat = [{
    $output_grad attr-dict `:` type($output_grad) `->` type($bias_grad)
  }];
}

#endif // TCNN_OPS_CONV_TD
