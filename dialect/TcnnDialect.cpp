//===- TcnnDialect.cpp - tcnn dialect registration ------------------------===//

#include "dialect/TcnnDialect.h"
#include "dialect/TcnnOps.h"

using namespace mlir;
using namespace mlir::tcnn;

#include "dialect/TcnnDialect.cpp.inc"

void TcnnDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "dialect/TcnnOps.cpp.inc"
      >();
}
