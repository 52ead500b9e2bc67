//===- Activation.td - sigmoid, tanh, elu, gelu ------------*- tablegen -*-===//
//
// The smooth activations and their backward ops. Each backward op takes
// the upstream gradient and the forward *input* and multiplies by the
// derivative there. Layer descriptions and reverse rules are in
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

def Tcnn_GeluOp : Tcnn_ElementwiseLayerOp<"gelu", "GELU"> {
  let summary = "Gaussian error linear unit, exact form (nn.GELU)";
  let description = [{
    `y = x * Phi(x) = x / 2 * (1 + erf(x / sqrt(2)))` elementwise; any
    shape. This is `nn.GELU()` with its default `approximate='none'`.

    Example:
    ```mlir
    %y = tcnn.gelu %x : tensor<1x2x8x8xf32>
    ```
  }];
  let arguments = (ins Tcnn_Tensor:$input);
}

def Tcnn_GeluGradOp : Tcnn_ElementwiseGradOp<"gelu_grad"> {
  let summary = "Gradient of gelu";
  let description = [{
    `dx = dy * (Phi(x) + x * phi(x))` elementwise, with `Phi` the standard
    normal distribution function and `phi = exp(-x^2 / 2) / sqrt(2 pi)` its
    density.

    Example:
    ```mlir
    %dx = tcnn.gelu_grad %dy, %x : tensor<1x2x8x8xf32>
    ```
  }];
}

#endif // TCNN_OPS_ACTIVATION_TD
