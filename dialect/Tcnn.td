//===- Tcnn.td - everything the tcnn dialect defines -------*- tablegen -*-===//
//
// The single tablegen entry point for ops: one file per op family, each
// holding a family's forward and backward ops.
//
//===----------------------------------------------------------------------===//

include "dialect/ops/Conv.td"
include "dialect/ops/Pool.td"
include "dialect/ops/Elementwise.td"
include "dialect/ops/Activation.td"
include "dialect/ops/Linear.td"
include "dialect/ops/Loss.td"
include "dialect/ops/Norm.td"
include "dialect/ops/Dropout.td"
include "dialect/ops/Pad.td"
include "dialect/ops/Optimizer.td"
