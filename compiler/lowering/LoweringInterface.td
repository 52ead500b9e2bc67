//===- LoweringInterface.td - an op's lowering to linalg ---*- tablegen -*-===//
//
// How -tcnn-to-linalg rewrites an op. Each op family attaches its lowerings
// as external models (LowerConv.cpp, LowerPool.cpp, ...); the pass has one
// pattern, for every op that has this interface, and no list of ops.
//
//===----------------------------------------------------------------------===//

#ifndef TCNN_LOWERING_INTERFACE_TD
#define TCNN_LOWERING_INTERFACE_TD

include "mlir/IR/OpBase.td"

def Tcnn_LoweringOpInterface : OpInterface<"LoweringOpInterface"> {
  let cppNamespace = "::tcnnc::lowering";
  let description = [{
    Builds, at the op, the linalg/tensor/arith computation of its one result
    on tensors, and returns that value; the pass replaces the op with it.
  }];
  let methods = [
    InterfaceMethod<[{
        Builds the op's results (one value per result) from upstream
        dialects; an empty list when it cannot.
      }], "::llvm::SmallVector<::mlir::Value>", "lower",
      (ins "::mlir::OpBuilder &":$b)>,
    InterfaceMethod<[{
        The floating-point operations of the op's mathematical definition
        (a multiply-add counts 2), whatever its lowering executes: the
        executable's --profile divides them by the op's time.
      }], "int64_t", "flops", (ins)>,
  ];
}

#endif // TCNN_LOWERING_INTERFACE_TD
