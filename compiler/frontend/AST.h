//===- AST.h - syntax tree of a .tcnn model file ----------------*- C++ -*-===//
//
// What the parser produces and `tcnnc --emit=ast` prints: declarations of
// inputs and targets, layer applications (a `sequential` block is expanded
// into a chain of them), and parameter assignments, each with the place in
// the file it came from.
//
//===----------------------------------------------------------------------===//

#ifndef TCNN_FRONTEND_AST_H
#define TCNN_FRONTEND_AST_H

#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tcnnc {

/// A 1-based line and column in the model file.
struct SourceLoc {
  int line = 0;
  int col = 0;
};

/// A layer argument value: an int, a float, a bool, an (h, w) pair of
/// integers, a pair of numbers (Adam's betas), four integers (ZeroPad2d's
/// (left, right, top, bottom)), a string ("sum") or None.
struct ArgValue {
  enum class Kind { Int, Float, Bool, Pair, FloatPair, Quad, String, None };
  Kind kind = Kind::Int;
  int64_t i = 0;
  double f = 0;
  bool b = false;
  int64_t pair[2] = {0, 0};
  double fpair[2] = {0, 0};
  int64_t quad[4] = {0, 0, 0, 0};
  std::string s;
  SourceLoc loc;
};

/// `name=value`, or a positional value when `keyword` is empty.
struct Arg {
  std::string keyword;
  ArgValue value;
  SourceLoc loc;
};

/// `Conv2d(1, 2, 3, padding=1)`.
struct LayerCall {
  std::string kind;
  std::vector<Arg> args;
  SourceLoc loc;
};

/// Where a tensor's values come from.
struct TensorInit {
  enum class Kind { Npy, Zeros, Ones, Full, Uniform, Randint, Literal };
  Kind kind = Kind::Zeros;
  std::string path;                 // Npy
  double a = 0, b = 0;              // Full (a), Uniform/Randint [a, b)
  std::optional<uint64_t> seed;     // Uniform/Randint
  std::vector<double> values;       // Literal, row-major
  std::vector<int64_t> literalShape; // Literal
  SourceLoc loc;
};

/// `input x: [1, 1, 8, 8] = ...` or `target y: [1, 2] = ...`.
struct TensorDecl {
  bool isTarget = false;
  std::string name;
  std::vector<int64_t> shape;
  std::optional<TensorInit> init;
  SourceLoc loc;
};

/// `name = Layer(args)(operand, ...)`; also one entry of a sequential.
struct LayerStmt {
  std::string name;
  LayerCall call;
  std::vector<std::pair<std::string, SourceLoc>> operands;
  SourceLoc loc;
};

/// `conv1.weight = ...` or `conv1.weight[0, 0, 1, 1] = 0.5`.
struct ParamAssign {
  std::string layer;
  std::string param;
  SourceLoc loc;
  std::optional<std::vector<int64_t>> index;
  double scalar = 0;       // with index
  TensorInit init;         // without index
};

/// A whole model file.
struct ModelAST {
  std::string name;
  SourceLoc nameLoc;
  uint64_t seed = 0;
  std::vector<TensorDecl> tensors;
  std::vector<LayerStmt> layers;
  std::vector<ParamAssign> params;
  /// `optimizer SGD(lr=0.05, momentum=0.9)`: the executable's default.
  std::optional<LayerCall> optimizer;
  /// Names given to sequential blocks, mapped to their last layer.
  std::map<std::string, std::string> aliases;
};

/// Prints the tree in a readable indented form (`tcnnc --emit=ast`).
void printAST(const ModelAST &model, llvm::raw_ostream &os);

} // namespace tcnnc

#endif // TCNN_FRONTEND_AST_H
