//===- TcnnGradOps.td - tcnn backward ops ------------------*- tablegen -*-===//
//
// One explicit op per backward rule. They carry their result type (the
// shape of the forward operand they are the gradient of); their verifiers
// check it against the forward shape rule.
//
//===----------------------------------------------------------------------===//

#ifndef TCNN_GRAD_OPS_TD
#define TCNN_GRAD_OPS_TD

include "TcnnDialect.td"
include "GradientInterface.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

class Tcnn_BackwardOp<string mnemonic, string suffix,
                      list<Trait> traits = []>
    : Tcnn_Op<mnemonic, !listconcat(traits, [Pure]), suffix> {
  let hasVerifier = 1;
}

def Tcnn_Conv2dInputGradOp : Tcnn_BackwardOp<"conv2d_input_grad", "_dinput"> {
  let summary = "Gradient of conv2d with respect to its input";
  let description = [{
    `dx[n, c, h, w] = sum_{o, i, j, p, q : i*s_h + p - p_h = h, j*s_w + q - p_w = w} dy[n, o, i, j] * w[o, c, p, q]`

    Each upstream gradient `dy[n, o, i, j]` scales a copy of the kernel
    `w[o, :, :, :]`, which is placed back on the input where the forward
    window was (top-left corner at `(i*s_h - p_h, j*s_w - p_w)`);
    overlapping copies are summed and parts falling on padding dropped.
    Equivalently: dilate `dy` with `s - 1` zeros, pad it with `K - 1 - p`,
    and cross-correlate with the kernel flipped in both spatial dims.
  }];
  let arguments = (ins Tcnn_Tensor:$output_grad, Tcnn_Tensor:$weight,
                   Tcnn_Pair:$stride, Tcnn_Pair:$padding);
  let results = (outs Tcnn_Tensor:$input_grad);
  let assemblyFormat = [{
    $output_grad `,` $weight `stride` $stride `padding` $padding attr-dict
    `:` functional-type(operands, results)
  }];
}

def Tcnn_Conv2dWeightGradOp : Tcnn_BackwardOp<"conv2d_weight_grad", "_dweight"> {
  let summary = "Gradient of conv2d with respect to its weight";
  let description = [{
    `dw[o, c, p, q] = sum_{n, i, j} dy[n, o, i, j] * x_pad[n, c, i*s_h + p, j*s_w + q]`

    The sum over every output position of the upstream gradient times that
    position's receptive field.
  }];
  let arguments = (ins Tcnn_Tensor:$output_grad, Tcnn_Tensor:$input,
                   Tcnn_Pair:$stride, Tcnn_Pair:$padding);
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
  }];
  let arguments = (ins Tcnn_Tensor:$output_grad);
  let results = (outs Tcnn_Tensor:$bias_grad);
  let assemblyFormat = [{
    $output_grad attr-dict `:` type($output_grad) `->` type($bias_grad)
  }];
}

def Tcnn_MaxPool2dGradOp : Tcnn_BackwardOp<"max_pool2d_grad", "_dinput"> {
  let summary = "Gradient of max_pool2d: route to each window's arg-max";
  let description = [{
    For each output position, the upstream gradient goes to the position
    of the window's maximum; ties go to the first maximum in row-major
    window order (as PyTorch), padded positions never win, and windows that
    overlap accumulate into the same input position.
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
  }];
  let arguments = (ins Tcnn_Tensor:$output_grad, Tcnn_Pair:$kernel_size,
                   Tcnn_Pair:$stride, Tcnn_Pair:$padding);
  let results = (outs Tcnn_Tensor:$input_grad);
  let assemblyFormat = [{
    $output_grad `kernel` $kernel_size `stride` $stride `padding` $padding
    attr-dict `:` type($output_grad) `->` type($input_grad)
  }];
}

def Tcnn_ReluGradOp : Tcnn_BackwardOp<"relu_grad", "_dinput",
    [AllTypesMatch<["output_grad", "input", "input_grad"]>]> {
  // AllTypesMatch is the whole check.
  let hasVerifier = 0;
  let summary = "Gradient of relu: pass where the input was positive";
  let description = [{
    `dx = x > 0 ? dy : 0` elementwise (0 at x == 0, as PyTorch).
  }];
  let arguments = (ins Tcnn_Tensor:$output_grad, Tcnn_Tensor:$input);
  let results = (outs Tcnn_Tensor:$input_grad);
  let assemblyFormat = "$output_grad `,` $input attr-dict `:` type($input)";
}

def Tcnn_ReshapeOp : Tcnn_Op<"reshape", [Pure,
    DeclareOpInterfaceMethods<Tcnn_GradientOpInterface>], "_dinput"> {
  let summary = "Row-major reshape to the result type";
  let description = [{
    Reinterprets the elements in row-major order with the result's shape;
    the element count must match. The backward rule of `flatten` (a
    reshape back to the input shape); its own backward rule is the reverse
    reshape.
  }];
  let arguments = (ins Tcnn_Tensor:$input);
  let results = (outs Tcnn_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
}

def Tcnn_LinearInputGradOp : Tcnn_BackwardOp<"linear_input_grad", "_dinput"> {
  let summary = "Gradient of linear with respect to its input";
  let description = [{ `dx[n, f] = sum_o dy[n, o] * w[o, f]` (dy times W). }];
  let arguments = (ins Tcnn_Tensor:$output_grad, Tcnn_Tensor:$weight);
  let results = (outs Tcnn_Tensor:$input_grad);
  let assemblyFormat = [{
    $output_grad `,` $weight attr-dict `:` functional-type(operands, results)
  }];
}

def Tcnn_LinearWeightGradOp : Tcnn_BackwardOp<"linear_weight_grad", "_dweight"> {
  let summary = "Gradient of linear with respect to its weight";
  let description = [{ `dw[o, f] = sum_n dy[n, o] * x[n, f]` (dy^T times x). }];
  let arguments = (ins Tcnn_Tensor:$output_grad, Tcnn_Tensor:$input);
  let results = (outs Tcnn_Tensor:$weight_grad);
  let assemblyFormat = [{
    $output_grad `,` $input attr-dict `:` functional-type(operands, results)
  }];
}

def Tcnn_MseLossGradOp : Tcnn_BackwardOp<"mse_loss_grad", "_dinput",
    [AllTypesMatch<["input", "input_grad"]>]> {
  let summary = "Gradient of mse_loss with respect to its prediction";
  let description = [{
    `dp = dL * 2 (p - t) / numel`, where `dL` is the upstream gradient of
    the loss (1 when the loss is the function's result).
  }];
  let arguments = (ins Tcnn_Scalar:$loss_grad, Tcnn_Tensor:$input,
                   Tcnn_Tensor:$target);
  let results = (outs Tcnn_Tensor:$input_grad);
  let assemblyFormat = [{
    $loss_grad `,` $input `,` $target attr-dict `:` type($loss_grad) `,`
    type($input) `,` type($target)
  }];
}

def Tcnn_CrossEntropyLossGradOp : Tcnn_BackwardOp<"cross_entropy_loss_grad", "_dinput",
    [AllTypesMatch<["input", "input_grad"]>]> {
  let summary = "Gradient of cross_entropy_loss with respect to its logits";
  let description = [{
    `dz[n, c] = dL * (softmax(z[n])[c] - (c == t[n] ? 1 : 0)) / N`.
  }];
  let arguments = (ins Tcnn_Scalar:$loss_grad, Tcnn_Tensor:$input,
                   Tcnn_IndexTensor:$target);
  let results = (outs Tcnn_Tensor:$input_grad);
  let assemblyFormat = [{
    $loss_grad `,` $input `,` $target attr-dict `:` type($loss_grad) `,`
    type($input) `,` type($target)
  }];
}

#endif // TCNN_GRAD_OPS_TD
