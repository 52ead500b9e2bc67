//===- Parser.cpp - recursive-descent parser for .tcnn files --------------===//
//
// One function per grammar rule of docs/language.md. Every function
// returns false after reporting the first error; nothing is recovered, so
// no message is a consequence of an earlier one.
//
//===----------------------------------------------------------------------===//

#include "compiler/frontend/Parser.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"

#include <cmath>
#include <cstdio>
#include <limits>
#include <tuple>

using namespace tcnnc;

namespace {

/// Sentinel prefix for "the previous layer of this sequential block",
/// resolved once every layer has its name.
constexpr char kPrevLayer = '\x01';

/// The deepest list literal: tensors have at most 8 dimensions.
constexpr size_t kMaxLiteralDepth = 8;

/// True if `v` is a finite float32 once converted (every value of a model
/// is stored as float32).
bool fitsFloat32(double v) {
  return std::isfinite(v) && std::fabs(v) <= std::numeric_limits<float>::max();
}

std::string formatNumber(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

class Parser {
public:
  Parser(llvm::StringRef buffer, Diagnostics &diags)
      : lexer(buffer), diags(diags) {
    tok = lexer.next();
  }

  std::optional<ModelAST> parseFile();

private:
  // Token handling.
  void consume() { tok = lexer.next(); }
  bool error(SourceLoc loc, const llvm::Twine &msg) {
    diags.error(loc, msg);
    return false;
  }
  bool errorHere(const llvm::Twine &expected) {
    if (tok.kind == Token::Kind::Error)
      return error(tok.loc, tok.text);
    return error(tok.loc, "expected " + expected + ", found " + describe(tok));
  }
  bool expect(llvm::StringRef punct, const llvm::Twine &context) {
    if (!tok.is(punct))
      return errorHere("'" + punct + "' " + context);
    consume();
    return true;
  }
  bool parseIdent(std::string &out, const llvm::Twine &what) {
    if (tok.kind != Token::Kind::Ident)
      return errorHere(what);
    out = tok.text;
    consume();
    return true;
  }

  // Grammar rules.
  bool parseStatement();
  bool parseModelName();
  bool parseSeed();
  bool parseTensorDecl(bool isTarget);
  bool parseOptimizer();
  bool parseNamedStatement();
  bool parseParamAssign(const std::string &layer, SourceLoc loc);
  bool parseSequential(const std::string &name);
  bool parseLayerCall(LayerCall &call);
  bool parseArgList(LayerCall &call);
  bool parseArg(Arg &arg);
  bool parseOperands(LayerStmt &stmt);
  bool parseShape(std::vector<int64_t> &shape, const llvm::Twine &context);
  bool parseIntList(std::vector<int64_t> &out, llvm::StringRef close);
  bool parseNumber(double &value, const llvm::Twine &what,
                   bool *isInteger = nullptr);
  bool parseInit(TensorInit &init);
  bool parseGeneratorArgs(TensorInit &init);
  bool parseLiteral(TensorInit &init);
  bool parseLiteralLevel(TensorInit &init, size_t depth);
  bool finish();

  Lexer lexer;
  Diagnostics &diags;
  Token tok;
  ModelAST model;
  bool sawModel = false, sawSeed = false;
};

std::optional<ModelAST> Parser::parseFile() {
  if (tok.kind == Token::Kind::Eof) {
    error(tok.loc, "empty model file: expected 'model NAME'");
    return std::nullopt;
  }
  while (tok.kind != Token::Kind::Eof)
    if (!parseStatement())
      return std::nullopt;
  if (!finish())
    return std::nullopt;
  return std::move(model);
}

bool Parser::parseStatement() {
  if (tok.isIdent("model"))
    return parseModelName();
  if (tok.isIdent("seed"))
    return parseSeed();
  if (tok.isIdent("optimizer"))
    return parseOptimizer();
  if (tok.isIdent("input"))
    return parseTensorDecl(false);
  if (tok.isIdent("target"))
    return parseTensorDecl(true);
  if (tok.kind == Token::Kind::Ident)
    return parseNamedStatement();
  return errorHere("a statement ('model', 'seed', 'input', 'target', "
                   "'optimizer', "
                   "'NAME = Layer(...)(...)' or 'LAYER.PARAM = ...')");
}

bool Parser::parseModelName() {
  SourceLoc loc = tok.loc;
  consume();
  if (sawModel)
    return error(loc, "duplicate 'model' statement");
  sawModel = true;
  model.nameLoc = tok.loc;
  if (!parseIdent(model.name, "a model name after 'model'"))
    return false;
  return true;
}

bool Parser::parseSeed() {
  SourceLoc loc = tok.loc;
  consume();
  if (sawSeed)
    return error(loc, "duplicate 'seed' statement");
  sawSeed = true;
  if (tok.kind != Token::Kind::Int)
    return errorHere("a non-negative integer after 'seed'");
  model.seed = static_cast<uint64_t>(tok.integer);
  consume();
  return true;
}

bool Parser::parseOptimizer() {
  SourceLoc loc = tok.loc;
  consume();
  if (model.optimizer)
    return error(loc, "duplicate 'optimizer' statement");
  LayerCall call;
  call.loc = tok.loc;
  if (!parseIdent(call.kind, "an optimizer after 'optimizer' (SGD or Adam)") ||
      !parseArgList(call))
    return false;
  model.optimizer = std::move(call);
  return true;
}

bool Parser::parseTensorDecl(bool isTarget) {
  TensorDecl decl;
  decl.isTarget = isTarget;
  decl.loc = tok.loc;
  consume();
  if (!parseIdent(decl.name, isTarget ? "a target name" : "an input name"))
    return false;
  if (!expect(":", "after the name (as in 'input x: [1, 1, 8, 8]')") ||
      !parseShape(decl.shape, "for the shape"))
    return false;
  if (tok.is("=")) {
    consume();
    TensorInit init;
    if (!parseInit(init))
      return false;
    decl.init = init;
  }
  model.tensors.push_back(std::move(decl));
  return true;
}

bool Parser::parseNamedStatement() {
  SourceLoc loc = tok.loc;
  std::string name = tok.text;
  consume();
  if (tok.is("."))
    return parseParamAssign(name, loc);
  if (!expect("=", "after '" + name + "'"))
    return false;
  if (tok.isIdent("sequential"))
    return parseSequential(name);
  LayerStmt stmt;
  stmt.name = name;
  stmt.loc = loc;
  if (!parseLayerCall(stmt.call) || !parseOperands(stmt))
    return false;
  model.layers.push_back(std::move(stmt));
  return true;
}

bool Parser::parseParamAssign(const std::string &layer, SourceLoc loc) {
  consume(); // '.'
  ParamAssign assign;
  assign.layer = layer;
  assign.loc = loc;
  if (!parseIdent(assign.param, "a parameter name ('weight' or 'bias')"))
    return false;
  if (tok.is("[")) {
    consume();
    std::vector<int64_t> index;
    if (!parseIntList(index, "]"))
      return false;
    assign.index = index;
    if (!expect("=", "after the element index"))
      return false;
    return parseNumber(assign.scalar, "a number for the element") &&
           (model.params.push_back(std::move(assign)), true);
  }
  if (!expect("=", "after '" + layer + "." + assign.param + "'") ||
      !parseInit(assign.init))
    return false;
  model.params.push_back(std::move(assign));
  return true;
}

bool Parser::parseSequential(const std::string &name) {
  consume(); // 'sequential'
  std::string source;
  SourceLoc sourceLoc;
  if (!expect("(", "after 'sequential'"))
    return false;
  sourceLoc = tok.loc;
  if (!parseIdent(source, "the name of the block's input value") ||
      !expect(")", "after the block's input") ||
      !expect("{", "to open the sequential block"))
    return false;
  size_t first = model.layers.size();
  while (!tok.is("}")) {
    LayerStmt stmt;
    stmt.loc = tok.loc;
    if (tok.kind != Token::Kind::Ident)
      return errorHere("a layer (as in 'ReLU()' or 'conv1 = Conv2d(...)') or "
                       "'}'");
    // `name = Layer(...)` or just `Layer(...)`.
    Token head = tok;
    consume();
    if (tok.is("=")) {
      consume();
      stmt.name = head.text;
      if (!parseLayerCall(stmt.call))
        return false;
    } else {
      stmt.call.kind = head.text;
      stmt.call.loc = head.loc;
      if (!parseArgList(stmt.call))
        return false;
    }
    if (model.layers.size() == first)
      stmt.operands.push_back({source, sourceLoc});
    else
      stmt.operands.push_back(
          {std::string(1, kPrevLayer) + std::to_string(model.layers.size() - 1),
           stmt.loc});
    model.layers.push_back(std::move(stmt));
  }
  if (model.layers.size() == first)
    return error(tok.loc, "empty sequential block '" + name + "'");
  consume(); // '}'
  LayerStmt &last = model.layers.back();
  if (last.name.empty())
    last.name = name;
  else
    model.aliases[name] = last.name;
  return true;
}

bool Parser::parseLayerCall(LayerCall &call) {
  call.loc = tok.loc;
  return parseIdent(call.kind, "a layer name (as in 'Conv2d' or 'ReLU')") &&
         parseArgList(call);
}

bool Parser::parseArgList(LayerCall &call) {
  if (!expect("(", "after the layer name '" + call.kind + "'"))
    return false;
  if (!tok.is(")")) {
    while (true) {
      Arg arg;
      if (!parseArg(arg))
        return false;
      call.args.push_back(arg);
      if (!tok.is(","))
        break;
      consume();
    }
  }
  return expect(")", "to close the argument list");
}

bool Parser::parseArg(Arg &arg) {
  arg.loc = tok.loc;
  if (tok.kind == Token::Kind::Ident && !tok.isIdent("true") &&
      !tok.isIdent("false") && !tok.isIdent("True") && !tok.isIdent("False") &&
      !tok.isIdent("None")) {
    arg.keyword = tok.text;
    consume();
    if (!expect("=", "after the argument name '" + arg.keyword + "'"))
      return false;
  }
  ArgValue &v = arg.value;
  v.loc = tok.loc;
  if (tok.isIdent("true") || tok.isIdent("True") || tok.isIdent("false") ||
      tok.isIdent("False")) {
    v.kind = ArgValue::Kind::Bool;
    v.b = tok.text == "true" || tok.text == "True";
    consume();
    return true;
  }
  if (tok.isIdent("None")) {
    v.kind = ArgValue::Kind::None;
    consume();
    return true;
  }
  if (tok.kind == Token::Kind::String) {
    v.kind = ArgValue::Kind::String;
    v.s = tok.text;
    consume();
    return true;
  }
  if (tok.is("(")) {
    consume();
    // Integers (a kernel's (h, w)) or numbers (Adam's betas).
    std::vector<int64_t> ints;
    std::vector<double> numbers;
    bool allInts = true;
    while (true) {
      bool negative = false;
      if (tok.is("-")) {
        negative = true;
        consume();
      }
      if (tok.kind != Token::Kind::Int && tok.kind != Token::Kind::Float)
        return errorHere("a number");
      allInts &= tok.kind == Token::Kind::Int;
      ints.push_back(tok.kind == Token::Kind::Int
                         ? (negative ? -tok.integer : tok.integer)
                         : 0);
      numbers.push_back(negative ? -tok.number : tok.number);
      consume();
      if (!tok.is(","))
        break;
      consume();
    }
    if (!expect(")", "to close the list"))
      return false;
    if (ints.size() == 4 && allInts) {
      v.kind = ArgValue::Kind::Quad;
      std::copy(ints.begin(), ints.end(), v.quad);
      return true;
    }
    if (ints.size() != 2)
      return error(v.loc, "expected an (h, w) pair or four integers "
                          "(left, right, top, bottom), got " +
                              llvm::Twine(ints.size()) + " values");
    v.kind = allInts ? ArgValue::Kind::Pair : ArgValue::Kind::FloatPair;
    for (int k = 0; k < 2; ++k) {
      v.pair[k] = ints[k];
      v.fpair[k] = numbers[k];
    }
    return true;
  }
  bool negative = false;
  if (tok.is("-")) {
    negative = true;
    consume();
  }
  if (tok.kind == Token::Kind::Int) {
    v.kind = ArgValue::Kind::Int;
    v.i = negative ? -tok.integer : tok.integer;
    v.f = static_cast<double>(v.i);
  } else if (tok.kind == Token::Kind::Float) {
    v.kind = ArgValue::Kind::Float;
    v.f = negative ? -tok.number : tok.number;
  } else {
    return errorHere("an argument value (an integer, an (h, w) pair, a "
                     "number, true/false, a quoted string or None)");
  }
  consume();
  return true;
}

bool Parser::parseOperands(LayerStmt &stmt) {
  if (!tok.is("("))
    return errorHere("'(' with the layer's input values, as in "
                     "'Conv2d(...)(x)'");
  consume();
  while (true) {
    SourceLoc loc = tok.loc;
    std::string name;
    if (!parseIdent(name, "the name of an input value"))
      return false;
    stmt.operands.push_back({name, loc});
    if (!tok.is(","))
      break;
    consume();
  }
  return expect(")", "to close the input values");
}

bool Parser::parseShape(std::vector<int64_t> &shape,
                        const llvm::Twine &context) {
  if (!tok.is("["))
    return errorHere("'[' " + context);
  SourceLoc loc = tok.loc;
  consume();
  if (!parseIntList(shape, "]"))
    return false;
  for (int64_t d : shape)
    if (d <= 0)
      return error(loc, "shape dimensions must be positive integers");
  return true;
}

bool Parser::parseIntList(std::vector<int64_t> &out, llvm::StringRef close) {
  while (true) {
    bool negative = false;
    if (tok.is("-")) {
      negative = true;
      consume();
    }
    if (tok.kind != Token::Kind::Int)
      return errorHere("an integer");
    out.push_back(negative ? -tok.integer : tok.integer);
    consume();
    if (!tok.is(","))
      break;
    consume();
  }
  return expect(close, "to close the list");
}

bool Parser::parseNumber(double &value, const llvm::Twine &what,
                         bool *isInteger) {
  bool negative = false;
  if (tok.is("-")) {
    negative = true;
    consume();
  }
  if (tok.kind != Token::Kind::Int && tok.kind != Token::Kind::Float)
    return errorHere(what);
  value = negative ? -tok.number : tok.number;
  if (isInteger)
    *isInteger = tok.kind == Token::Kind::Int;
  if (!fitsFloat32(value))
    return error(tok.loc, "number " + tok.text +
                              " is outside the float32 range of tensor values");
  consume();
  return true;
}

bool Parser::parseInit(TensorInit &init) {
  init.loc = tok.loc;
  if (tok.is("["))
    return parseLiteral(init);
  if (tok.kind != Token::Kind::Ident)
    return errorHere("a tensor value: npy(\"file.npy\"), zeros, ones, "
                     "full(v), uniform(lo, hi), randint(lo, hi) or a list");
  std::string kind = tok.text;
  consume();
  if (kind == "zeros" || kind == "ones") {
    init.kind = kind == "zeros" ? TensorInit::Kind::Zeros
                                : TensorInit::Kind::Ones;
    if (tok.is("(")) {
      consume();
      return expect(")", "after '" + kind + "('");
    }
    return true;
  }
  if (kind == "npy") {
    init.kind = TensorInit::Kind::Npy;
    if (!expect("(", "after 'npy'"))
      return false;
    if (tok.kind != Token::Kind::String)
      return errorHere("a quoted file path, as in npy(\"x.npy\")");
    if (tok.text.empty())
      return error(tok.loc, "npy(\"\") needs a file path");
    init.path = tok.text;
    consume();
    return expect(")", "after the file path");
  }
  if (kind == "full") {
    init.kind = TensorInit::Kind::Full;
    return expect("(", "after 'full'") && parseNumber(init.a, "a number") &&
           expect(")", "after the value");
  }
  if (kind == "uniform" || kind == "randint") {
    init.kind = kind == "uniform" ? TensorInit::Kind::Uniform
                                  : TensorInit::Kind::Randint;
    return parseGeneratorArgs(init);
  }
  return error(init.loc, "unknown tensor initializer '" + kind +
                             "' (expected npy, zeros, ones, full, uniform, "
                             "randint or a list)");
}

/// The bounds of randint must be exact in a double (its values end up as
/// float32 or int64 class indices); 2^53 keeps `hi - lo` far from overflow.
constexpr double kMaxRandintBound = 9007199254740992.0; // 2^53

bool Parser::parseGeneratorArgs(TensorInit &init) {
  bool isInt = init.kind == TensorInit::Kind::Randint;
  const char *name = isInt ? "randint" : "uniform";
  if (!expect("(", llvm::Twine("after '") + name + "'"))
    return false;
  SourceLoc loLoc = tok.loc, hiLoc;
  bool loInt, hiInt;
  if (!parseNumber(init.a, "the lower bound", &loInt) ||
      !expect(",", "between the bounds"))
    return false;
  hiLoc = tok.loc;
  if (!parseNumber(init.b, "the upper bound", &hiInt))
    return false;
  if (tok.is(",")) {
    consume();
    if (!tok.isIdent("seed"))
      return errorHere("'seed=N'");
    consume();
    if (!expect("=", "after 'seed'"))
      return false;
    if (tok.kind != Token::Kind::Int)
      return errorHere("a non-negative integer seed");
    init.seed = static_cast<uint64_t>(tok.integer);
    consume();
  }
  if (isInt) {
    for (auto [v, isInteger, loc] : {std::tuple{init.a, loInt, loLoc},
                                     std::tuple{init.b, hiInt, hiLoc}}) {
      if (!isInteger)
        return error(loc, "randint: bounds must be integers, got " +
                              llvm::Twine(formatNumber(v)));
      if (std::fabs(v) > kMaxRandintBound)
        return error(loc, "randint: bounds must be within [-2^53, 2^53]");
    }
  } else {
    for (auto [v, loc] : {std::pair{init.a, loLoc}, std::pair{init.b, hiLoc}})
      if (!fitsFloat32(v))
        return error(loc, "uniform: bound " + llvm::Twine(formatNumber(v)) +
                              " is outside the float32 range");
    if (!fitsFloat32(init.b - init.a))
      return error(init.loc, "uniform: the range " +
                                 llvm::Twine(formatNumber(init.b - init.a)) +
                                 " is outside the float32 range");
  }
  if (!(init.a < init.b))
    return error(init.loc, llvm::Twine(name) +
                               ": the lower bound must be below the upper "
                               "bound");
  return expect(")", "to close the arguments");
}

bool Parser::parseLiteral(TensorInit &init) {
  init.kind = TensorInit::Kind::Literal;
  return parseLiteralLevel(init, 0);
}

/// Parses one bracketed level; the first list seen at each depth fixes that
/// dimension's length, and every other list at that depth must match it.
bool Parser::parseLiteralLevel(TensorInit &init, size_t depth) {
  SourceLoc open = tok.loc;
  // Tensors have at most 8 dimensions; the bound also keeps a hostile
  // file from exhausting the stack with `[[[[...`.
  if (depth == kMaxLiteralDepth)
    return error(open, "list nested deeper than " +
                           llvm::Twine(kMaxLiteralDepth) +
                           " levels (tensors have at most " +
                           llvm::Twine(kMaxLiteralDepth) + " dimensions)");
  consume(); // '['
  int64_t count = 0;
  bool nested = tok.is("[");
  while (true) {
    if (nested) {
      if (!tok.is("["))
        return errorHere("'[' (every element at this level is a list)");
      if (!parseLiteralLevel(init, depth + 1))
        return false;
    } else {
      double v;
      if (!parseNumber(v, "a number"))
        return false;
      init.values.push_back(v);
      if (init.literalShape.size() > depth + 1)
        return error(open, "ragged list: expected nested lists here");
    }
    ++count;
    if (!tok.is(","))
      break;
    consume();
  }
  if (!expect("]", "to close the list"))
    return false;
  if (init.literalShape.size() <= depth) {
    init.literalShape.resize(depth + 1, -1);
  }
  if (init.literalShape[depth] == -1)
    init.literalShape[depth] = count;
  else if (init.literalShape[depth] != count)
    return error(open, "ragged list: " + llvm::Twine(count) +
                           " elements where an earlier list at this depth "
                           "had " + llvm::Twine(init.literalShape[depth]));
  if (!nested && init.literalShape.size() != depth + 1)
    return error(open, "ragged list: nesting depth differs");
  return true;
}

bool Parser::finish() {
  if (!sawModel)
    return error({1, 1}, "missing 'model NAME' statement");
  // Name the unnamed layers of sequential blocks after their kind
  // (relu1, relu2, ...), skipping names the file uses.
  llvm::StringSet<> used;
  for (const LayerStmt &l : model.layers)
    if (!l.name.empty())
      used.insert(l.name);
  for (const TensorDecl &t : model.tensors)
    used.insert(t.name);
  std::map<std::string, int> counters;
  for (LayerStmt &l : model.layers) {
    if (!l.name.empty())
      continue;
    std::string base = llvm::StringRef(l.call.kind).lower();
    std::string name;
    do {
      name = base + std::to_string(++counters[base]);
    } while (used.contains(name));
    used.insert(name);
    l.name = name;
  }
  for (LayerStmt &l : model.layers)
    for (auto &operand : l.operands)
      if (!operand.first.empty() && operand.first[0] == kPrevLayer)
        operand.first =
            model.layers[std::stoul(operand.first.substr(1))].name;
  return true;
}

} // namespace

std::optional<ModelAST> tcnnc::parseModel(llvm::StringRef buffer,
                                         Diagnostics &diags) {
  return Parser(buffer, diags).parseFile();
}
