//===- Tcnn.td - everything the tcnn dialect defines -------*- tablegen -*-===//
//
// The single tablegen entry point: forward ops, backward ops and the
// gradient interface they implement.
//
//===----------------------------------------------------------------------===//

include "TcnnOps.td"
include "TcnnGradOps.td"
