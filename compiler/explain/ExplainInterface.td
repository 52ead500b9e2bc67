//===- ExplainInterface.td - an op's sections in a report --*- tablegen -*-===//
//
// How `tcnnc explain` writes an op. Each op family attaches its section
// writers as external models (ConvSections.cpp, PoolSections.cpp, ...); the
// report walks the IR and asks each op to explain itself.
//
//===----------------------------------------------------------------------===//

#ifndef TCNN_EXPLAIN_INTERFACE_TD
#define TCNN_EXPLAIN_INTERFACE_TD

include "mlir/IR/OpBase.td"

def Tcnn_ExplainOpInterface : OpInterface<"ExplainOpInterface"> {
  let cppNamespace = "::tcnnc::explain";
  let description = [{
    Writes the op's section of the report: the formula, the explained
    position with its inputs, the substitution, calculated vs actual, and
    for a backward op where the upstream gradient goes.
  }];
  let methods = [
    InterfaceMethod<"Writes the op's section into `report`.",
      "void", "explain", (ins "::tcnnc::explain::Report &":$report)>,
  ];
}

#endif // TCNN_EXPLAIN_INTERFACE_TD
