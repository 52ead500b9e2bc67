//===- Diagnostics.cpp - file:line:col errors for model files -------------===//

#include "compiler/frontend/Diagnostics.h"

#include "llvm/Support/raw_ostream.h"

void tcnnc::Diagnostics::error(SourceLoc loc, const llvm::Twine &message) {
  ++errors;
  os << file << ":" << loc.line << ":" << loc.col
               << ": error: " << message << "\n";
}
