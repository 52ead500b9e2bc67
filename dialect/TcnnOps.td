//===- TcnnOps.td - tcnn forward ops -----------------------*- tablegen -*-===//
//
// One op per layer kind and loss. Result types are inferred with PyTorch's
// shape rules (ShapeRules.cpp), which also produce the verifier messages.
//
//===----------------------------------------------------------------------===//

#ifndef TCNN_OPS_TD
#define TCNN_OPS_TD

include "TcnnDialect.td"
include "GradientInterface.td"
include "LayerInterface.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

/// A forward op: pure, result type inferred, has a backward rule.
class Tcnn_ForwardOp<string mnemonic, list<Trait> traits = []>
    : Tcnn_Op<mnemonic, !listconcat(traits, [Pure, InferTypeOpAdaptor,
        DeclareOpInterfaceMethods<Tcnn_GradientOpInterface>])>;

/// The static methods of LayerOpInterface: name, input count and loss-ness
/// are spelled in ODS; each op family defines getLayerArgs, planLayer and
/// buildLayer in dialect/layers/ (a missing one does not compile).
class Tcnn_LayerDeclarations<string layerName, int numInputs, bit isLoss,
                             list<string> aliases> {
  code decls = [{
    static ::llvm::StringRef getLayerName() { return "}] # layerName # [{"; }
    static unsigned getNumLayerInputs() { return }] # numInputs # [{; }
    static bool isLossLayer() { return }] # !if(isLoss, "true", "false") # [{; }
    /// Other spellings a model file may use.
    static ::llvm::ArrayRef<::llvm::StringLiteral> getLayerAliases() {
      }] # !if(!empty(aliases), "return {};",
               "static constexpr ::llvm::StringLiteral a[] = {\"" #
               !interleave(aliases, "\", \"") # "\"}; return a;") # [{
    }
    static ::llvm::ArrayRef<::mlir::tcnn::LayerArg> getLayerArgs();
    static ::llvm::LogicalResult planLayer(::mlir::tcnn::LayerPlan &plan);
    static ::mlir::Value buildLayer(::mlir::OpBuilder &b, ::mlir::Location loc,
                                    const ::mlir::tcnn::LayerPlan &plan,
                                    ::mlir::ValueRange inputs,
                                    ::mlir::ValueRange params);
  }];
}

/// A forward op that is also a PyTorch layer of the model language.
class Tcnn_LayerOp<string mnemonic, string layerName, list<Trait> traits = [],
                   int numInputs = 1, bit isLoss = 0>
    : Tcnn_ForwardOp<mnemonic, !listconcat(traits, [Tcnn_LayerOpInterface])> {
  let extraClassDeclaration =
      Tcnn_LayerDeclarations<layerName, numInputs, isLoss, []>.decls;
}

def Tcnn_Conv2dOp : Tcnn_LayerOp<"conv2d", "Conv2d"> {
  let summary = "2-D cross-correlation with stride and zero padding (nn.Conv2d)";
  let description = [{
    Computes, for input `x` of shape [N, C_in, H, W], weight `w` of shape
    [C_out, C_in, K_h, K_w] and optional bias `b` of shape [C_out]:

    ```
    y[n, o, i, j] = b[o] + sum_{c, p, q} x_pad[n, c, i*s_h + p, j*s_w + q] * w[o, c, p, q]
    ```

    where `x_pad` is `x` with `padding` zeros on each side, i.e.
    `x_pad[n, c, h, w] = x[n, c, h - p_h, w - p_w]` (zero outside `x`).
    The output is [N, C_out, H_out, W_out] with
    `H_out = floor((H + 2 p_h - K_h) / s_h) + 1`, as in PyTorch.

    Example:
    ```mlir
    %y = tcnn.conv2d %x, %w, %b stride [1, 1] padding [1, 1]
        : (tensor<1x1x8x8xf32>, tensor<2x1x3x3xf32>, tensor<2xf32>) -> tensor<1x2x8x8xf32>
    ```
  }];
  let arguments = (ins Tcnn_Tensor:$input, Tcnn_Tensor:$weight,
                   Optional<Tcnn_Tensor>:$bias,
                   Tcnn_Pair:$stride, Tcnn_Pair:$padding);
  let results = (outs Tcnn_Tensor:$output);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? `stride` $stride `padding` $padding
    attr-dict `:` functional-type(operands, results)
  }];
}

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
  }];
}

def Tcnn_AvgPool2dOp : Tcnn_PoolOp<"avg_pool2d", "AvgPool2d"> {
  let summary = "2-D average pooling (nn.AvgPool2d, count_include_pad=True)";
  let description = [{
    `y[n, c, i, j] = (1 / (K_h K_w)) sum_{p, q} x_pad[n, c, i*s_h + p, j*s_w + q]`
    where padded positions hold 0 and still count in the divisor, as
    PyTorch's default `count_include_pad=True`.
  }];
}

def Tcnn_ReluOp : Tcnn_LayerOp<"relu", "ReLU"> {
  let summary = "Rectified linear unit (nn.ReLU)";
  let description = [{ `y = max(x, 0)` elementwise; any shape. }];
  let arguments = (ins Tcnn_Tensor:$input);
  let results = (outs Tcnn_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def Tcnn_FlattenOp : Tcnn_LayerOp<"flatten", "Flatten"> {
  let summary = "Flatten all but the batch dimension (nn.Flatten)";
  let description = [{
    Reshapes [N, d1, ..., dk] to [N, d1 * ... * dk] in row-major (C) order,
    as `nn.Flatten()` with its default `start_dim=1`.
  }];
  let arguments = (ins Tcnn_Tensor:$input);
  let results = (outs Tcnn_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
}

def Tcnn_LinearOp : Tcnn_LayerOp<"linear", "Linear"> {
  let summary = "Fully connected layer (nn.Linear)";
  let description = [{
    `y[n, o] = b[o] + sum_f x[n, f] * w[o, f]` for input [N, F], weight
    [O, F] (PyTorch layout) and optional bias [O].
  }];
  let arguments = (ins Tcnn_Tensor:$input, Tcnn_Tensor:$weight,
                   Optional<Tcnn_Tensor>:$bias);
  let results = (outs Tcnn_Tensor:$output);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
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
  }];
  let arguments = (ins Tcnn_Tensor:$lhs, Tcnn_Tensor:$rhs);
  let results = (outs Tcnn_Tensor:$output);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` type($output)";
}

def Tcnn_MseLossOp : Tcnn_LayerOp<"mse_loss", "MSELoss", [], 2, 1> {
  let summary = "Mean squared error (nn.MSELoss, reduction='mean')";
  let description = [{
    `L = (1 / numel) sum_i (p_i - t_i)^2` for prediction `p` and target `t`
    of the same shape; the result is a 0-d tensor.
  }];
  let arguments = (ins Tcnn_Tensor:$input, Tcnn_Tensor:$target);
  let results = (outs Tcnn_Scalar:$loss);
  let assemblyFormat = [{
    $input `,` $target attr-dict `:` type($input) `,` type($target)
  }];
}

def Tcnn_CrossEntropyLossOp
    : Tcnn_LayerOp<"cross_entropy_loss", "CrossEntropyLoss", [], 2, 1> {
  let summary = "Softmax + negative log-likelihood (nn.CrossEntropyLoss, mean)";
  let description = [{
    For logits `z` [N, C] and class indices `t` [N] (int64, in [0, C)):
    `L = (1 / N) sum_n (logsumexp_c z[n, c] - z[n, t[n]])`; 0-d result.
  }];
  let arguments = (ins Tcnn_Tensor:$input, Tcnn_IndexTensor:$target);
  let results = (outs Tcnn_Scalar:$loss);
  let assemblyFormat = [{
    $input `,` $target attr-dict `:` type($input) `,` type($target)
  }];
}

#endif // TCNN_OPS_TD
