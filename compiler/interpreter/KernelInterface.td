//===- KernelInterface.td - an op's reference kernel -------*- tablegen -*-===//
//
// How the interpreter computes an op. Each op family attaches its kernels
// as external models (ConvKernels.cpp, PoolKernels.cpp, ...), the way
// upstream dialects attach bufferization: the op's definition does not
// depend on the interpreter, and the interpreter has no switch over ops.
//
//===----------------------------------------------------------------------===//

#ifndef TCNN_KERNEL_INTERFACE_TD
#define TCNN_KERNEL_INTERFACE_TD

include "mlir/IR/OpBase.td"

def Tcnn_KernelOpInterface : OpInterface<"KernelOpInterface"> {
  let cppNamespace = "::tcnnc";
  let description = [{
    The reference implementation of an op: plain loops, accumulating in
    double, written to be read beside the op's formula. `valueOf` gives the
    value of any operand; the result's shape must be the op's result type.
  }];
  let methods = [
    InterfaceMethod<[{
        Computes the op's results (one tensor per result) from its
        operands; fails only for an op whose attributes the interpreter
        cannot read.
      }],
      "::mlir::FailureOr<::std::vector<::tcnnc::Tensor>>", "evaluate",
      (ins "::tcnnc::ValueLookup":$valueOf)>,
  ];
}

#endif // TCNN_KERNEL_INTERFACE_TD
