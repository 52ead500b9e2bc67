//===- Pad.td - zero padding and its gradient --------------*- tablegen -*-===//
//
// nn.ZeroPad2d: zeros added around (or, with negative padding, rows and
// columns cut from) the last two dimensions, and its gradient, which cuts
// the upstream gradient back to the input. Conv2d's padding="same" with an
// even kernel pads one side more than the other through it. The layer
// description and reverse rule are in Pad.cpp beside this file.
//
//===----------------------------------------------------------------------===//

#ifndef TCNN_OPS_PAD_TD
#define TCNN_OPS_PAD_TD

include "dialect/TcnnOpBase.td"

/// Padding of each side of the last two dimensions, in ZeroPad2d's order:
/// (left, right, top, bottom). Negative values remove that many.
def Tcnn_Sides : ConfinedAttr<DenseI64ArrayAttr, [DenseArrayCount<4>]>;

def Tcnn_Pad2dOp : Tcnn_LayerOp<"pad2d", "ZeroPad2d"> {
  let summary = "Zeros around the last two dimensions (nn.ZeroPad2d)";
  let description = [{
    For input `x` of shape [..., H, W] and `padding` (left, right, top,
    bottom), ZeroPad2d's order:

    ```
    y[..., i, j] = x[..., i - top, j - left]   (0 where that is outside x)
    ```

    The output is [..., top + H + bottom, left + W + right]. A negative
    side removes that many rows or columns, as in PyTorch; every output
    size must stay positive.

    Example:
    ```mlir
    %y = tcnn.pad2d %x padding [0, 1, 0, 1] : tensor<1x3x8x8xf32> -> tensor<1x3x9x9xf32>
    ```
  }];
  let arguments = (ins Tcnn_Tensor:$input, Tcnn_Sides:$padding);
  let results = (outs Tcnn_Tensor:$output);
  let assemblyFormat = [{
    $input `padding` $padding attr-dict `:` type($input) `->` type($output)
  }];
}

def Tcnn_Pad2dGradOp : Tcnn_BackwardOp<"pad2d_grad", "_dinput"> {
  let summary = "Gradient of pad2d: the upstream gradient cut to the input";
  let description = [{
    `dx[..., h, w] = dy[..., h + top, w + left]` with the forward op's
    `padding` (left, right, top, bottom): the padded positions received
    constants, so their gradient goes nowhere. Where the forward op cut
    rows or columns (negative padding), those positions of `dx` are 0.

    Example:
    ```mlir
    %dx = tcnn.pad2d_grad %dy padding [0, 1, 0, 1] : tensor<1x3x9x9xf32> -> tensor<1x3x8x8xf32>
    ```
  }];
  let arguments = (ins Tcnn_Tensor:$output_grad, Tcnn_Sides:$padding);
  let results = (outs Tcnn_Tensor:$input_grad);
  let assemblyFormat = [{
    $output_grad `padding` $padding attr-dict `:` type($output_grad) `->`
    type($input_grad)
  }];
}

#endif // TCNN_OPS_PAD_TD
