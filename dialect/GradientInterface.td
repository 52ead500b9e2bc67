//===- GradientInterface.td - reverse-mode rule interface --*- tablegen -*-===//
//
// Every forward op builds its own backward ops through this interface, so
// the autodiff pass knows no op by name: adding a layer kind means adding
// one op that implements `buildGradients`.
//
//===----------------------------------------------------------------------===//

#ifndef TCNN_GRADIENT_INTERFACE_TD
#define TCNN_GRADIENT_INTERFACE_TD

include "mlir/IR/OpBase.td"

def Tcnn_GradientOpInterface : OpInterface<"GradientOpInterface"> {
  let cppNamespace = "::mlir::tcnn";
  let description = [{
    The reverse-mode (vector-Jacobian product) rule of a single-result op.
    Given the gradient of the loss with respect to the op's result, the op
    emits the ops that compute the gradient with respect to each of its
    operands. The rule may read the op's forward operands and result (they
    are reused, never recomputed).
  }];
  let methods = [
    InterfaceMethod<[{
        Builds, at the builder's insertion point, the gradient of the loss
        with respect to every operand `i` for which `needed[i]` is true, and
        stores it in `operandGrads[i]` (which has one slot per operand and
        starts out null). Slots of operands that are not needed, or that
        have no gradient (a loss target), stay null. Fails with a
        diagnostic if the rule cannot be applied.
      }],
      "::llvm::LogicalResult", "buildGradients",
      (ins "::mlir::OpBuilder &":$builder, "::mlir::Value":$resultGrad,
           "::llvm::ArrayRef<bool>":$needed,
           "::llvm::MutableArrayRef<::mlir::Value>":$operandGrads)>
  ];
}

#endif // TCNN_GRADIENT_INTERFACE_TD
