//===- LayerInterface.td - a forward op as a PyTorch layer -*- tablegen -*-===//
//
// Every forward op says how a model file spells it: the frontend finds
// layers through this interface, so adding a layer kind adds no row to any
// table outside the op (see Layer.h and docs/adding-an-op.md).
//
//===----------------------------------------------------------------------===//

#ifndef TCNN_LAYER_INTERFACE_TD
#define TCNN_LAYER_INTERFACE_TD

include "mlir/IR/OpBase.td"

def Tcnn_LayerOpInterface : OpInterface<"LayerOpInterface"> {
  let cppNamespace = "::mlir::tcnn";
  let description = [{
    The PyTorch layer an op implements: name, keyword arguments with their
    types, the rule from arguments and input shapes to parameters and result
    shape (with the model-file error messages), and how to build the op.
  }];
  let methods = [
    StaticInterfaceMethod<"The PyTorch name, e.g. \"Conv2d\".",
      "::llvm::StringRef", "getLayerName">,
    StaticInterfaceMethod<"Other spellings a model file may use (\"add\").",
      "::llvm::ArrayRef<::llvm::StringLiteral>", "getLayerAliases">,
    StaticInterfaceMethod<"The keyword arguments, in positional order.",
      "::llvm::ArrayRef<::mlir::tcnn::LayerArg>", "getLayerArgs">,
    StaticInterfaceMethod<[{
        How many input values the layer takes; 0 means two or more (Cat).
      }], "unsigned", "getNumLayerInputs">,
    StaticInterfaceMethod<[{
        Whether the layer is a loss: its second input is a target and its
        result is the model's loss.
      }], "bool", "isLossLayer">,
    StaticInterfaceMethod<[{
        Checks the arguments against the input shapes and fills in the
        parameters and the result shape; reports through `plan.error`.
      }], "::llvm::LogicalResult", "planLayer",
      (ins "::mlir::tcnn::LayerPlan &":$plan)>,
    StaticInterfaceMethod<[{
        Builds the op for a planned layer from its input values and its
        parameters (in the order planLayer listed them).
      }], "::mlir::Value", "buildLayer",
      (ins "::mlir::OpBuilder &":$b, "::mlir::Location":$loc,
           "const ::mlir::tcnn::LayerPlan &":$plan,
           "::mlir::ValueRange":$inputs, "::mlir::ValueRange":$params)>,
  ];
}

#endif // TCNN_LAYER_INTERFACE_TD
