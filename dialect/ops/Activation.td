//===- Activation.td - sigmoid, tanh, elu, gelu, softmax ---*- tablegen -*-===//
//
// The smooth activations and their backward ops. Each elementwise backward
// op takes the upstream gradient and the forward *input* and multiplies by
// the derivative there; softmax's take the forward output. Layer descriptions and reverse rules are in
// Activation.cpp beside this file.
//
//===----------------------------------------------------------------------===//

#ifndef TCNN_OPS_ACTIVATION_TD
#define TCNN_OPS_ACTIVATION_TD

include "dialect/TcnnOpBase.td"

def Tcnn_SigmoidOp : Tcnn_ElementwiseLayerOp<"sigmoid", "Sigmoid"> {
  let summary = "Logistic sigmoid (nn.Sigmoid)";
  let description = [{
    `y = 1 / (1 + exp(-x))` elementwise; any shape.

    Example:
    ```mlir
    %y = tcnn.sigmoid %x : tensor<1x2x8x8xf32>
    ```
  }];
  let arguments = (ins Tcnn_Tensor:$input);
}

def Tcnn_SigmoidGradOp : Tcnn_ElementwiseGradOp<"sigmoid_grad"> {
  let summary = "Gradient of sigmoid";
  let description = [{
    `dx = dy * s * (1 - s)` with `s = sigmoid(x)`, elementwise.

    Example:
    ```mlir
    %dx = tcnn.sigmoid_grad %dy, %x : tensor<1x2x8x8xf32>
    ```
  }];
}

def Tcnn_TanhOp : Tcnn_ElementwiseLayerOp<"tanh", "Tanh"> {
  let summary = "Hyperbolic tangent (nn.Tanh)";
  let description = [{
    `y = tanh(x)` elementwise; any shape.

    Example:
    ```mlir
    %y = tcnn.tanh %x : tensor<1x2x8x8xf32>
    ```
  }];
  let arguments = (ins Tcnn_Tensor:$input);
}

def Tcnn_TanhGradOp : Tcnn_ElementwiseGradOp<"tanh_grad"> {
  let summary = "Gradient of tanh";
  let description = [{
    `dx = dy * (1 - tanh(x)^2)` elementwise.

    Example:
    ```mlir
    %dx = tcnn.tanh_grad %dy, %x : tensor<1x2x8x8xf32>
    ```
  }];
}

def Tcnn_EluOp : Tcnn_ElementwiseLayerOp<"elu", "ELU"> {
  let summary = "Exponential linear unit (nn.ELU)";
  let description = [{
    `y = x > 0 ? x : alpha * (exp(x) - 1)` elementwise; any shape. `alpha`
    defaults to 1.0, as in PyTorch.

    Example:
    ```mlir
    %y = tcnn.elu %x {alpha = 5.000000e-01 : f64} : tensor<1x2x8x8xf32>
    ```
  }];
  let arguments = (ins Tcnn_Tensor:$input,
                   DefaultValuedAttr<F64Attr, "1.0">:$alpha);
}

def Tcnn_EluGradOp : Tcnn_ElementwiseGradOp<"elu_grad", (ins F64Attr:$alpha)> {
  let summary = "Gradient of elu";
  let description = [{
    `dx = x > 0 ? dy : dy * alpha * exp(x)` elementwise (`alpha * dy` at
    x == 0, as PyTorch).

    Example:
    ```mlir
    %dx = tcnn.elu_grad %dy, %x {alpha = 5.000000e-01 : f64} : tensor<1x2x8x8xf32>
    ```
  }];
}

def Tcnn_IsGeluApproximation : AttrConstraint<
    CPred<"::llvm::is_contained({::llvm::StringRef(\"none\"), "
          "::llvm::StringRef(\"tanh\")}, "
          "::llvm::cast<::mlir::StringAttr>($_self).getValue())">,
    "\"none\" or \"tanh\"">;

/// nn.GELU's `approximate`: "none" (the exact erf form, the default) or
/// "tanh".
def Tcnn_GeluApproximation : DefaultValuedStrAttr<
    ConfinedAttr<StrAttr, [Tcnn_IsGeluApproximation]>, "none">;

def Tcnn_GeluOp : Tcnn_ElementwiseLayerOp<"gelu", "GELU"> {
  let summary = "Gaussian error linear unit (nn.GELU)";
  let description = [{
    `y = x * Phi(x) = x / 2 * (1 + erf(x / sqrt(2)))` elementwise; any
    shape. This is `nn.GELU()` with its default `approximate = "none"`;
    with `approximate = "tanh"`,
    `y = x / 2 * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 x^3)))`.

    Example:
    ```mlir
    %y = tcnn.gelu %x {approximate = "tanh"} : tensor<1x2x8x8xf32>
    ```
  }];
  let arguments = (ins Tcnn_Tensor:$input,
                   Tcnn_GeluApproximation:$approximate);
}

def Tcnn_GeluGradOp : Tcnn_ElementwiseGradOp<"gelu_grad",
    (ins Tcnn_GeluApproximation:$approximate)> {
  let summary = "Gradient of gelu";
  let description = [{
    `dx = dy * (Phi(x) + x * phi(x))` elementwise, with `Phi` the standard
    normal distribution function and `phi = exp(-x^2 / 2) / sqrt(2 pi)` its
    density; with `approximate = "tanh"`, the derivative of the tanh form:
    `(1 + t) / 2 + x / 2 (1 - t^2) sqrt(2 / pi) (1 + 3 * 0.044715 x^2)`,
    `t = tanh(sqrt(2 / pi) (x + 0.044715 x^3))`.

    Example:
    ```mlir
    %dx = tcnn.gelu_grad %dy, %x : tensor<1x2x8x8xf32>
    ```
  }];
}

def Tcnn_SoftmaxOp : Tcnn_ElementwiseLayerOp<"softmax", "Softmax"> {
  let summary = "Softmax along one dimension (nn.Softmax)";
  let description = [{
    `y = exp(x - m) / sum_k exp(x_k - m)` along dimension `dim` (0-based,
    non-negative in the IR; the model file may count from the end), with
    `m` the maximum along it so that large logits do not overflow.

    Example:
    ```mlir
    %y = tcnn.softmax %x {dim = 1 : i64} : tensor<8x10xf32>
    ```
  }];
  let arguments = (ins Tcnn_Tensor:$input, I64Attr:$dim);
  let hasVerifier = 1;
}

def Tcnn_LogSoftmaxOp : Tcnn_ElementwiseLayerOp<"log_softmax", "LogSoftmax"> {
  let summary = "Logarithm of softmax along one dimension (nn.LogSoftmax)";
  let description = [{
    `y = x - m - log(sum_k exp(x_k - m))` along dimension `dim`, `m` the
    maximum along it.

    Example:
    ```mlir
    %y = tcnn.log_softmax %x {dim = 1 : i64} : tensor<8x10xf32>
    ```
  }];
  let arguments = (ins Tcnn_Tensor:$input, I64Attr:$dim);
  let hasVerifier = 1;
}

/// The backward op of softmax or log_softmax: it reads the upstream
/// gradient and the forward op's *output*, as PyTorch's backward does.
class Tcnn_SoftmaxGradOpBase<string mnemonic>
    : Tcnn_BackwardOp<mnemonic, "_dinput",
        [AllTypesMatch<["output_grad", "output", "input_grad"]>]> {
  let arguments = (ins Tcnn_Tensor:$output_grad, Tcnn_Tensor:$output,
                   I64Attr:$dim);
  let results = (outs Tcnn_Tensor:$input_grad);
  let assemblyFormat = "$output_grad `,` $output attr-dict `:` type($output)";
}

def Tcnn_SoftmaxGradOp : Tcnn_SoftmaxGradOpBase<"softmax_grad"> {
  let summary = "Gradient of softmax (Jacobian-vector product)";
  let description = [{
    `dx = y * (dy - sum_k dy_k y_k)` along `dim`, from the forward output
    `y`: the Jacobian `diag(y) - y y^T` applied to `dy` without forming it.

    Example:
    ```mlir
    %dx = tcnn.softmax_grad %dy, %y {dim = 1 : i64} : tensor<8x10xf32>
    ```
  }];
}

def Tcnn_LogSoftmaxGradOp : Tcnn_SoftmaxGradOpBase<"log_softmax_grad"> {
  let summary = "Gradient of log_softmax (Jacobian-vector product)";
  let description = [{
    `dx = dy - exp(y) * sum_k dy_k` along `dim`, from the forward output
    `y` (so `exp(y)` is the softmax).

    Example:
    ```mlir
    %dx = tcnn.log_softmax_grad %dy, %y {dim = 1 : i64} : tensor<8x10xf32>
    ```
  }];
}

#endif // TCNN_OPS_ACTIVATION_TD
