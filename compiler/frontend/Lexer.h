//===- Lexer.h - tokens of a .tcnn model file -------------------*- C++ -*-===//

#ifndef TCNN_FRONTEND_LEXER_H
#define TCNN_FRONTEND_LEXER_H

#include "compiler/frontend/AST.h"

#include "llvm/ADT/StringRef.h"

#include <string>

namespace tcnnc {

struct Token {
  enum class Kind {
    Eof,
    Ident,
    Int,
    Float,
    String,
    Punct, // one of = : , ( ) [ ] { } . -
    Error, // a character or literal that cannot start a token
  };
  Kind kind = Kind::Eof;
  std::string text; // identifier, punctuation, string contents, or error
  double number = 0;
  int64_t integer = 0;
  SourceLoc loc;

  bool is(llvm::StringRef punct) const {
    return kind == Kind::Punct && text == punct;
  }
  bool isIdent(llvm::StringRef name) const {
    return kind == Kind::Ident && text == name;
  }
};

/// Splits a model file into tokens; `#` starts a comment to end of line.
/// Newlines carry no meaning.
class Lexer {
public:
  explicit Lexer(llvm::StringRef buffer) : buf(buffer) {}
  Token next();

private:
  char peek(size_t ahead = 0) const {
    return pos + ahead < buf.size() ? buf[pos + ahead] : '\0';
  }
  char advance();
  Token lexNumber(SourceLoc loc);

  llvm::StringRef buf;
  size_t pos = 0;
  int line = 1, col = 1;
};

/// Human-readable description of a token for error messages.
std::string describe(const Token &tok);

} // namespace tcnnc

#endif // TCNN_FRONTEND_LEXER_H
