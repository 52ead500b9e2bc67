//===- Linear.td - linear and its gradients ----------------*- tablegen -*-===//
//
// The nn.Linear family: the forward op and its input and weight
// gradients (the bias gradient is conv's bias_grad). Their layer descriptions and reverse rules are in
// Linear.cpp beside this file.
//
//===----------------------------------------------------------------------===//

#ifndef TCNN_OPS_LINEAR_TD
#define TCNN_OPS_LINEAR_TD

include "dialect/TcnnOpBase.td"

def Tcnn_LinearOp : Tcnn_LayerOp<"linear", "Linear"> {
  let summary = "Fully connected layer (nn.Linear)";
  let description = [{
    `y[n, o] = b[o] + sum_f x[n, f] * w[o, f]` for input [N, F], weight
    [O, F] (PyTorch layout) and optional bias [O].

    Example:
    ```mlir
    %y = tcnn.linear %x, %w, %b
            : (tensor<8x400xf32>, tensor<120x400xf32>, tensor<120xf32>) -> tensor<8x120xf32>
    ```
  }];
  let arguments = (ins Tcnn_Tensor:$input, Tcnn_Tensor:$weight,
                   Optional<Tcnn_Tensor>:$bias);
  let results = (outs Tcnn_Tensor:$output);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
}

def Tcnn_LinearInputGradOp : Tcnn_BackwardOp<"linear_input_grad", "_dinput"> {
  let summary = "Gradient of linear with respect to its input";
  let description = [{
    `dx[n, f] = sum_o dy[n, o] * w[o, f]` (dy times W).

    Example:
    ```mlir
    %dx = tcnn.linear_input_grad %dy, %w
            : (tensor<8x120xf32>, tensor<120x400xf32>) -> tensor<8x400xf32>
    ```
  }];
  let arguments = (ins Tcnn_Tensor:$output_grad, Tcnn_Tensor:$weight);
  let results = (outs Tcnn_Tensor:$input_grad);
  let assemblyFormat = [{
    $output_grad `,` $weight attr-dict `:` functional-type(operands, results)
  }];
}

def Tcnn_LinearWeightGradOp : Tcnn_BackwardOp<"linear_weight_grad", "_dweight"> {
  let summary = "Gradient of linear with respect to its weight";
  let description = [{
    `dw[o, f] = sum_n dy[n, o] * x[n, f]` (dy^T times x).

    Example:
    ```mlir
    %dw = tcnn.linear_weight_grad %dy, %x
            : (tensor<8x120xf32>, tensor<8x400xf32>) -> tensor<120x400xf32>
    ```
  }];
  let arguments = (ins Tcnn_Tensor:$output_grad, Tcnn_Tensor:$input);
  let results = (outs Tcnn_Tensor:$weight_grad);
  let assemblyFormat = [{
    $output_grad `,` $input attr-dict `:` functional-type(operands, results)
  }];
}

#endif // TCNN_OPS_LINEAR_TD
