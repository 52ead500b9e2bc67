//===- TcnnDialect.h - the tcnn dialect -------------------------*- C++ -*-===//

#ifndef TCNN_DIALECT_TCNNDIALECT_H
#define TCNN_DIALECT_TCNNDIALECT_H

#include "mlir/IR/Dialect.h"

#include "dialect/TcnnDialect.h.inc"

#endif // TCNN_DIALECT_TCNNDIALECT_H
