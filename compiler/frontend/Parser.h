//===- Parser.h - recursive-descent parser for .tcnn files ------*- C++ -*-===//

#ifndef TCNN_FRONTEND_PARSER_H
#define TCNN_FRONTEND_PARSER_H

#include "compiler/frontend/AST.h"
#include "compiler/frontend/Diagnostics.h"
#include "compiler/frontend/Lexer.h"

#include <optional>

namespace tcnnc {

/// Parses a whole model file (grammar: docs/language.md). Reports the first
/// syntax error through `diags` and returns nothing in that case.
std::optional<ModelAST> parseModel(llvm::StringRef buffer, Diagnostics &diags);

} // namespace tcnnc

#endif // TCNN_FRONTEND_PARSER_H
