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

/// Shared definition of the two pooling ops.
class Tcnn_PoolOp<string mnemonic, string layerName>
    : Tcnn_LayerOp<mnemonic, layerName> {
  let arguments = (ins Tcnn_Tensor:$input, Tcnn_Pair:$kernel_size,
                   Tcnn_Pair:$stride, Tcnn_Pair:$padding);
  let results = (outs Tcnn_Tensor:$output);
  let assemblyFormat = [{
    $input `kernel` $kernel_size `stride` $stride `padding` $padding
    attr-dict `:` type($input) `->` type($output)
  }];
}

def Tcnn_MaxPool2dOp : Tcnn_PoolOp<"max_pool2d", "MaxPool2d"> {
  let summary = "2-D max pooling (nn.MaxPool2d)";
  let description = [{
    `y[n, c, i, j] = max_{p, q} x_pad[n, c, i*s_h + p, j*s_w + q]` over the
    `K_h x K_w` window, where padded positions hold -infinity (they never
    win). Output size as conv2d; padding must be at most half the kernel,
    as PyTorch requires.

    Example:
    ```mlir
    %y = tcnn.max_pool2d %x kernel [2, 2] stride [2, 2] padding [0, 0]
            : tensor<8x6x28x28xf32> -> tensor<8x6x14x14xf32>
    ```
  }];
}

def Tcnn_AvgPool2dOp : Tcnn_PoolOp<"avg_pool2d", "AvgPool2d"> {
  let summary = "2-D average pooling (nn.AvgPool2d, count_include_pad=True)";
  let description = [{
    `y[n, c, i, j] = (1 / (K_h K_w)) sum_{p, q} x_pad[n, c, i*s_h + p, j*s_w + q]`
    where padded positions hold 0 and still count in the divisor, as
    PyTorch's default `count_include_pad=True`.

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
  let arguments = (ins Tcnn_Tensor:$output_grad, Tcnn_Tensor:$input,
                   Tcnn_Pair:$kernel_size, Tcnn_Pair:$stride,
                   Tcnn_Pair:$padding);
  let results = (outs Tcnn_Tensor:$input_grad);
  let assemblyFormat = [{
    $output_grad `,` $input `kernel` $kernel_size `stride` $stride `padding`
    $padding attr-dict `:` functional-type(operands, results)
  }];
}

def Tcnn_AvgPool2dGradOp : Tcnn_BackwardOp<"avg_pool2d_grad", "_dinput"> {
  let summary = "Gradient of avg_pool2d: spread evenly over each window";
  let description = [{
    `dx[n, c, h, w] = sum_{(i, j) : window (i, j) covers (h, w)} dy[n, c, i, j] / (K_h K_w)`

    The divisor is always `K_h K_w` (count_include_pad=True), also for
    windows that overlap the padding.

    Example:
    ```mlir
    %dx = tcnn.avg_pool2d_grad %dy kernel [2, 2] stride [2, 2] padding [0, 0]
            : tensor<1x4x2x2xf32> -> tensor<1x4x4x4xf32>
    ```
  }];
  let arguments = (ins Tcnn_Tensor:$output_grad, Tcnn_Pair:$kernel_size,
                   Tcnn_Pair:$stride, Tcnn_Pair:$padding);
  let results = (outs Tcnn_Tensor:$input_grad);
  let assemblyFormat = [{
    $output_grad `kernel` $kernel_size `stride` $stride `padding` $padding
    attr-dict `:` type($output_grad) `->` type($input_grad)
  }];
}

#endif // TCNN_OPS_POOL_TD
