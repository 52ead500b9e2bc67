//===- TcnnOpBase.td - the shapes of tcnn ops --------------*- tablegen -*-===//
//
// Base classes shared by every op family in ops/: forward ops (pure, result
// type inferred, with a reverse rule), forward ops that are PyTorch layers
// of the model language, and backward ops.
//
//===----------------------------------------------------------------------===//

#ifndef TCNN_OP_BASE_TD
#define TCNN_OP_BASE_TD

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
/// buildLayer in dialect/ops/<Family>.cpp (a missing one does not compile).
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

class Tcnn_BackwardOp<string mnemonic, string suffix,
                      list<Trait> traits = []>
    : Tcnn_Op<mnemonic, !listconcat(traits, [Pure]), suffix> {
  let hasVerifier = 1;
}

/// An elementwise activation layer: one input, result of the same type
/// (SameOperandsAndResultType checks and infers it), attributes from the
/// layer's keyword arguments.
class Tcnn_ElementwiseLayerOp<string mnemonic, string layerName>
    : Tcnn_Op<mnemonic, [Pure, SameOperandsAndResultType,
        DeclareOpInterfaceMethods<Tcnn_GradientOpInterface>,
        Tcnn_LayerOpInterface]> {
  let extraClassDeclaration =
      Tcnn_LayerDeclarations<layerName, 1, 0, []>.decls;
  let results = (outs Tcnn_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

/// The backward op of an elementwise activation: it reads the upstream
/// gradient and the forward input, plus the forward op's attributes
/// (`attrs`); all tensors have one type.
class Tcnn_ElementwiseGradOp<string mnemonic, dag attrs = (ins)>
    : Tcnn_BackwardOp<mnemonic, "_dinput",
        [AllTypesMatch<["output_grad", "input", "input_grad"]>]> {
  // AllTypesMatch is the whole check.
  let hasVerifier = 0;
  let arguments = !con((ins Tcnn_Tensor:$output_grad, Tcnn_Tensor:$input),
                       attrs);
  let results = (outs Tcnn_Tensor:$input_grad);
  let assemblyFormat = "$output_grad `,` $input attr-dict `:` type($input)";
}

#endif // TCNN_OP_BASE_TD
