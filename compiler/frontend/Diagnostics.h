//===- Diagnostics.h - file:line:col errors for model files -----*- C++ -*-===//

#ifndef TCNN_FRONTEND_DIAGNOSTICS_H
#define TCNN_FRONTEND_DIAGNOSTICS_H

#include "compiler/frontend/AST.h"

#include "llvm/ADT/Twine.h"
#include "llvm/Support/raw_ostream.h"

#include <string>

namespace tcnnc {

/// Reports errors as `file:line:col: error: message` on stderr, the form
/// compilers and editors understand. The frontend stops at the first error,
/// so a message is never a consequence of an earlier one.
class Diagnostics {
public:
  explicit Diagnostics(std::string file, llvm::raw_ostream &os = llvm::errs())
      : file(std::move(file)), os(os) {}
  void error(SourceLoc loc, const llvm::Twine &message);
  bool hadError() const { return errors > 0; }
  const std::string &filename() const { return file; }

private:
  std::string file;
  llvm::raw_ostream &os;
  int errors = 0;
};

} // namespace tcnnc

#endif // TCNN_FRONTEND_DIAGNOSTICS_H
