//===- BatchInterface.td - ops that average over the batch -*- tablegen -*-===//
//
// Training on a data set feeds the compiled step a last batch with fewer
// samples than the model's declared batch: the runtime pads it, and every
// op whose result mixes samples (a loss's batch mean) must ignore the
// padding rows. Those ops take an optional `valid` operand; -tcnn-entry-points
// sets it through this interface without knowing the ops by name.
//
//===----------------------------------------------------------------------===//

#ifndef TCNN_BATCH_INTERFACE_TD
#define TCNN_BATCH_INTERFACE_TD

include "mlir/IR/OpBase.td"

def Tcnn_BatchMeanOpInterface : OpInterface<"BatchMeanOpInterface"> {
  let cppNamespace = "::mlir::tcnn";
  let description = [{
    An op that reduces over the batch (dimension 0 of its operands). With
    its optional `valid` operand (an i64 count n) set, only rows
    `0 .. n-1` are real samples: the op computes what it would on a batch
    of n, and the rows from n on contribute nothing (their gradients are
    zero). Without it, every row counts.
  }];
  let methods = [
    InterfaceMethod<"The optional count of real rows.",
      "::mlir::MutableOperandRange", "getValidRowsMutable", (ins), [{}],
      [{ return $_op.getValidMutable(); }]>,
  ];
}

#endif // TCNN_BATCH_INTERFACE_TD
