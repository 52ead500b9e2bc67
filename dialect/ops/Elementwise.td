//===- Elementwise.td - relu, flatten, add, mul ------------*- tablegen -*-===//
//
// The elementwise and shape family: relu, flatten, add, mul and cat, and
// the backward ops relu_grad, reshape and cat_grad. Their layer descriptions and reverse rules are in
// Elementwise.cpp beside this file.
//
//===----------------------------------------------------------------------===//

#ifndef TCNN_OPS_ELEMENTWISE_TD
#define TCNN_OPS_ELEMENTWISE_TD

include "dialect/TcnnOpBase.td"

def Tcnn_ReluOp : Tcnn_LayerOp<"relu", "ReLU"> {
  let summary = "Rectified linear unit (nn.ReLU)";
  let description = [{
    `y = max(x, 0)` elementwise; any shape.

    Example:
    ```mlir
    %y = tcnn.relu %x : tensor<1x2x8x8xf32>
    ```
  }];
  let arguments = (ins Tcnn_Tensor:$input);
  let results = (outs Tcnn_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def Tcnn_ReluGradOp : Tcnn_ElementwiseGradOp<"relu_grad"> {
  let summary = "Gradient of relu: pass where the input was positive";
  let description = [{
    `dx = x > 0 ? dy : 0` elementwise (0 at x == 0, as PyTorch).

    Example:
    ```mlir
    %dx = tcnn.relu_grad %dy, %x : tensor<1x2x8x8xf32>
    ```
  }];
}

def Tcnn_LeakyReluOp : Tcnn_ElementwiseLayerOp<"leaky_relu", "LeakyReLU"> {
  let summary = "Leaky rectified linear unit (nn.LeakyReLU)";
  let description = [{
    `y = x > 0 ? x : negative_slope * x` elementwise; any shape.
    `negative_slope` defaults to 0.01, as in PyTorch.

    Example:
    ```mlir
    %y = tcnn.leaky_relu %x {negative_slope = 2.000000e-01 : f64} : tensor<1x2x8x8xf32>
    ```
  }];
  let arguments = (ins Tcnn_Tensor:$input,
                   DefaultValuedAttr<F64Attr, "0.01">:$negative_slope);
}

def Tcnn_LeakyReluGradOp
    : Tcnn_ElementwiseGradOp<"leaky_relu_grad", (ins F64Attr:$negative_slope)> {
  let summary = "Gradient of leaky_relu";
  let description = [{
    `dx = x > 0 ? dy : negative_slope * dy` elementwise (the slope at
    x == 0, as PyTorch).

    Example:
    ```mlir
    %dx = tcnn.leaky_relu_grad %dy, %x {negative_slope = 2.000000e-01 : f64} : tensor<1x2x8x8xf32>
    ```
  }];
}

def Tcnn_FlattenOp : Tcnn_LayerOp<"flatten", "Flatten"> {
  let summary = "Merge a range of dimensions into one (nn.Flatten)";
  let description = [{
    Merges dimensions `start_dim` to `end_dim` (inclusive; negative values
    count from the end, as in PyTorch) into one, their product, reading
    the elements in row-major (C) order. The defaults, `start_dim = 1` and
    `end_dim = -1`, make [N, d1, ..., dk] into [N, d1 * ... * dk].

    Example:
    ```mlir
    %y = tcnn.flatten %x {end_dim = 2 : i64} : tensor<8x16x5x5xf32> -> tensor<8x80x5xf32>
    ```
  }];
  let arguments = (ins Tcnn_Tensor:$input,
                   DefaultValuedAttr<I64Attr, "1">:$start_dim,
                   DefaultValuedAttr<I64Attr, "-1">:$end_dim);
  let results = (outs Tcnn_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
}

def Tcnn_ReshapeOp : Tcnn_Op<"reshape", [Pure,
    DeclareOpInterfaceMethods<Tcnn_GradientOpInterface>], "_dinput"> {
  let summary = "Row-major reshape to the result type";
  let description = [{
    Reinterprets the elements in row-major order with the result's shape;
    the element count must match. The backward rule of `flatten` (a
    reshape back to the input shape); its own backward rule is the reverse
    reshape.

    Example:
    ```mlir
    %dx = tcnn.reshape %dy : tensor<8x400xf32> -> tensor<8x16x5x5xf32>
    ```
  }];
  let arguments = (ins Tcnn_Tensor:$input);
  let results = (outs Tcnn_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
}

/// SameOperandsAndResultType both checks and infers the result type.
def Tcnn_AddOp : Tcnn_Op<"add", [Pure, Commutative, SameOperandsAndResultType,
    DeclareOpInterfaceMethods<Tcnn_GradientOpInterface>, Tcnn_LayerOpInterface]> {
  let extraClassDeclaration =
      Tcnn_LayerDeclarations<"Add", 2, 0, ["add"]>.decls;
  let summary = "Elementwise sum of two same-shaped tensors (residual add)";
  let description = [{
    `y = a + b` elementwise; both operands must have the same shape. Also
    used by the autodiff pass to sum the gradients of a value used twice.

    Example:
    ```mlir
    %y = tcnn.add %a, %b : tensor<2x4x6x6xf32>
    ```
  }];
  let arguments = (ins Tcnn_Tensor:$lhs, Tcnn_Tensor:$rhs);
  let results = (outs Tcnn_Tensor:$output);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` type($output)";
}

def Tcnn_MulOp : Tcnn_Op<"mul", [Pure, Commutative, SameOperandsAndResultType,
    DeclareOpInterfaceMethods<Tcnn_GradientOpInterface>, Tcnn_LayerOpInterface]> {
  let extraClassDeclaration =
      Tcnn_LayerDeclarations<"Mul", 2, 0, ["mul"]>.decls;
  let summary = "Elementwise product of two same-shaped tensors (gating)";
  let description = [{
    `y = a * b` elementwise; both operands must have the same shape. Its
    reverse rule multiplies the upstream gradient by the other operand,
    with this op again.

    Example:
    ```mlir
    %y = tcnn.mul %a, %b : tensor<2x4x6x6xf32>
    ```
  }];
  let arguments = (ins Tcnn_Tensor:$lhs, Tcnn_Tensor:$rhs);
  let results = (outs Tcnn_Tensor:$output);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` type($output)";
}

def Tcnn_CatOp : Tcnn_Op<"cat", [Pure, InferTypeOpAdaptor,
    DeclareOpInterfaceMethods<Tcnn_GradientOpInterface>, Tcnn_LayerOpInterface]> {
  let extraClassDeclaration =
      Tcnn_LayerDeclarations<"Cat", 0, 0, ["cat"]>.decls # [{
    /// `dim` counted from the front (the attribute may count from the end).
    int64_t getConcatDim();
  }];
  let summary = "Concatenation of two or more tensors along a dimension (torch.cat)";
  let description = [{
    The inputs side by side along `dim` (negative counts from the end, as
    in PyTorch): they have one rank and agree in every other dimension;
    input k occupies indices `offset_k .. offset_k + size_k - 1` of `dim`,
    where `offset_k` is the sum of the sizes before it.

    Example:
    ```mlir
    %y = tcnn.cat %a, %b {dim = 1 : i64} : tensor<2x3x4x4xf32>, tensor<2x5x4x4xf32> -> tensor<2x8x4x4xf32>
    ```
  }];
  let arguments = (ins Variadic<Tcnn_Tensor>:$inputs,
                   DefaultValuedAttr<I64Attr, "0">:$dim);
  let results = (outs Tcnn_Tensor:$output);
  let assemblyFormat = [{
    $inputs attr-dict `:` type($inputs) `->` type($output)
  }];
}

def Tcnn_CatGradOp : Tcnn_BackwardOp<"cat_grad", "_dinput"> {
  let summary = "Gradient of cat for one input: its slice of the upstream gradient";
  let description = [{
    `dx = dy[..., offset : offset + size, ...]` along `dim` (non-negative
    here), where `size` is the result's extent there: the part of the
    concatenation that input occupied.

    Example:
    ```mlir
    %db = tcnn.cat_grad %dy {dim = 1 : i64, offset = 3 : i64} : tensor<2x8x4x4xf32> -> tensor<2x5x4x4xf32>
    ```
  }];
  let arguments = (ins Tcnn_Tensor:$output_grad, I64Attr:$dim, I64Attr:$offset);
  let results = (outs Tcnn_Tensor:$input_grad);
  let assemblyFormat = [{
    $output_grad attr-dict `:` type($output_grad) `->` type($input_grad)
  }];
}

#endif // TCNN_OPS_ELEMENTWISE_TD
