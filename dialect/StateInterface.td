//===- StateInterface.td - modes and model state -----------*- tablegen -*-===//
//
// Two things set BatchNorm and Dropout apart from every other layer: they
// compute differently in training and in inference, and they carry state
// from one step to the next (running statistics, a generator's counter)
// that is neither a parameter nor an activation. Passes and tools reach
// both through these interfaces, never by op name.
//
//===----------------------------------------------------------------------===//

#ifndef TCNN_STATE_INTERFACE_TD
#define TCNN_STATE_INTERFACE_TD

include "mlir/IR/OpBase.td"

/// The `training` attribute of the ops with a mode: true, PyTorch's
/// default for a module, unless the function was put in inference mode.
def Tcnn_TrainingAttr : DefaultValuedAttr<BoolAttr, "true">;

def Tcnn_ModeOpInterface : OpInterface<"ModeOpInterface"> {
  let cppNamespace = "::mlir::tcnn";
  let description = [{
    An op whose result depends on the mode, PyTorch's `module.train()` and
    `module.eval()`: its `training` attribute (true by default) says
    which. `setTrainingMode` switches every such op of a function; the
    reverse rule and the lowering read the attribute.
  }];
  let methods = [
    InterfaceMethod<"Whether the op computes in training mode.",
      "bool", "isTraining", (ins), [{}], [{ return $_op.getTraining(); }]>,
    InterfaceMethod<"Switches the op to training or inference mode.",
      "void", "setTrainingMode", (ins "bool":$training), [{}],
      [{ $_op.setTraining(training); }]>,
  ];
}

def Tcnn_StateUpdateOpInterface : OpInterface<"StateUpdateOpInterface"> {
  let cppNamespace = "::mlir::tcnn";
  let description = [{
    An op that computes the next value of model state: a function argument
    marked `tcnn.buffer` (BatchNorm's running statistics, Dropout's
    generator counter). Result `i` is the next value of the operand
    `getUpdatedOperand(i)`; the function returns it so that the caller can
    keep it for the next step. The results are per model, not per sample.
  }];
  let methods = [
    InterfaceMethod<"The operand whose next value result `i` is.",
      "::mlir::Value", "getUpdatedOperand", (ins "unsigned":$i)>,
  ];
}

#endif // TCNN_STATE_INTERFACE_TD
