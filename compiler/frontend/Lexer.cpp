//===- Lexer.cpp - tokens of a .tcnn model file ---------------------------===//

#include "compiler/frontend/Lexer.h"

#include <cctype>
#include <cerrno>
#include <cstdlib>

using namespace tcnnc;

char Lexer::advance() {
  char c = buf[pos++];
  if (c == '\n') {
    ++line;
    col = 1;
  } else {
    ++col;
  }
  return c;
}

Token Lexer::lexNumber(SourceLoc loc) {
  size_t start = pos;
  bool isFloat = false;
  while (std::isdigit(static_cast<unsigned char>(peek())))
    advance();
  if (peek() == '.' && std::isdigit(static_cast<unsigned char>(peek(1)))) {
    isFloat = true;
    advance();
    while (std::isdigit(static_cast<unsigned char>(peek())))
      advance();
  }
  if (peek() == 'e' || peek() == 'E') {
    size_t save = 1;
    if (peek(1) == '+' || peek(1) == '-')
      save = 2;
    if (std::isdigit(static_cast<unsigned char>(peek(save)))) {
      isFloat = true;
      for (size_t i = 0; i < save; ++i)
        advance();
      while (std::isdigit(static_cast<unsigned char>(peek())))
        advance();
    }
  }
  Token tok;
  tok.loc = loc;
  std::string text = buf.substr(start, pos - start).str();
  tok.text = text;
  if (std::isalpha(static_cast<unsigned char>(peek())) || peek() == '_') {
    tok.kind = Token::Kind::Error;
    tok.text = "malformed number '" + text + peek() + "...'";
    return tok;
  }
  errno = 0;
  if (isFloat) {
    tok.kind = Token::Kind::Float;
    tok.number = std::strtod(text.c_str(), nullptr);
  } else {
    tok.kind = Token::Kind::Int;
    tok.integer = std::strtoll(text.c_str(), nullptr, 10);
    tok.number = static_cast<double>(tok.integer);
  }
  if (errno == ERANGE) {
    tok.kind = Token::Kind::Error;
    tok.text = "number '" + text + "' is out of range";
  }
  return tok;
}

Token Lexer::next() {
  // Skip white space and comments.
  while (true) {
    char c = peek();
    if (c == '#') {
      while (peek() != '\n' && peek() != '\0')
        advance();
    } else if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      advance();
    } else {
      break;
    }
  }
  Token tok;
  tok.loc = {line, col};
  if (pos >= buf.size())
    return tok;
  char c = peek();
  if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
    size_t start = pos;
    while (std::isalnum(static_cast<unsigned char>(peek())) || peek() == '_')
      advance();
    tok.kind = Token::Kind::Ident;
    tok.text = buf.substr(start, pos - start).str();
    return tok;
  }
  if (std::isdigit(static_cast<unsigned char>(c)) ||
      (c == '.' && std::isdigit(static_cast<unsigned char>(peek(1)))))
    return lexNumber(tok.loc);
  // "text" or 'text', as Python spells strings.
  if (c == '"' || c == '\'') {
    char quote = advance();
    std::string s;
    while (peek() != quote) {
      if (peek() == '\0' || peek() == '\n') {
        tok.kind = Token::Kind::Error;
        tok.text = "unterminated string";
        return tok;
      }
      s += advance();
    }
    advance();
    tok.kind = Token::Kind::String;
    tok.text = s;
    return tok;
  }
  if (llvm::StringRef("=:,()[]{}.-").contains(c)) {
    tok.kind = Token::Kind::Punct;
    tok.text = std::string(1, advance());
    return tok;
  }
  tok.kind = Token::Kind::Error;
  tok.text = std::string("unexpected character '") + c + "'";
  advance();
  return tok;
}

std::string tcnnc::describe(const Token &tok) {
  switch (tok.kind) {
  case Token::Kind::Eof:
    return "end of file";
  case Token::Kind::Ident:
    return "'" + tok.text + "'";
  case Token::Kind::Int:
  case Token::Kind::Float:
    return "number " + tok.text;
  case Token::Kind::String:
    return "string \"" + tok.text + "\"";
  case Token::Kind::Punct:
    return "'" + tok.text + "'";
  case Token::Kind::Error:
    return tok.text;
  }
  return "token";
}
