//===- Layer.h - a forward op as a PyTorch layer ----------------*- C++ -*-===//
//
// What a model file needs to know about a layer kind, declared by the op
// itself (LayerInterface.td): its PyTorch name, its arguments with types
// and defaults, how its arguments and input shapes give its parameters and
// result shape (planLayer), and how to build the op (buildLayer). The
// frontend has no table of layers: it asks every registered tcnn op that
// implements LayerOpInterface.
//
//===----------------------------------------------------------------------===//

#ifndef TCNN_DIALECT_LAYER_H
#define TCNN_DIALECT_LAYER_H

#include "dialect/ShapeRules.h"

#include "mlir/IR/Builders.h"
#include "mlir/Support/LogicalResult.h"

#include "llvm/ADT/StringRef.h"

#include <array>
#include <optional>
#include <map>
#include <string>

namespace mlir::tcnn {

/// One keyword argument of a layer, as PyTorch spells it. Arguments bind
/// positionally in this order, as in PyTorch.
struct LayerArg {
  enum class Type { Int, Pair, Sides, Bool, Float, String };
  const char *name;
  Type type;
  bool required = false;
  /// Type::String: the values allowed, separated by '|' ("mean|sum").
  const char *choices = nullptr;
  /// PyTorch's default is None (divisor_override=None): `None` may be
  /// written, and means the argument was not given.
  bool acceptsNone = false;
};

/// An argument's value in a model file. An Int given where a Pair is
/// expected means (k, k), and where Sides are expected (k, k, k, k), as in
/// PyTorch.
struct LayerArgValue {
  LayerArg::Type type = LayerArg::Type::Int;
  int64_t i = 0;
  std::array<int64_t, 2> pair{};
  /// Type::Sides: (left, right, top, bottom), ZeroPad2d's order.
  std::array<int64_t, 4> sides{};
  bool b = false;
  double f = 0;
  std::string s;
};

/// Where a planning error is reported in the model file.
struct LayerErrorAt {
  enum class Kind { Call, Argument, Operand } kind = Kind::Call;
  std::string argument; ///< Kind::Argument: its name (if it was given)
  unsigned operand = 0; ///< Kind::Operand: which input value
};

/// A layer call being checked: what the frontend knows, and what the op's
/// planLayer works out from it.
struct LayerPlan {
  // Given.
  std::map<std::string, LayerArgValue> args; ///< the arguments given
  llvm::SmallVector<shapes::Shape, 2> inputs; ///< input value shapes
  /// The names of the input values, for messages.
  llvm::SmallVector<std::string, 2> inputNames;
  llvm::function_ref<void(const LayerErrorAt &, const llvm::Twine &)> error;

  // Worked out by planLayer.
  struct Param {
    /// How the tensor starts out, as in PyTorch: U(-1/sqrt(fanIn), ..) for
    /// weights and biases, constants for BatchNorm's, a seed for a
    /// generator (an int64 scalar).
    enum class Init { Uniform, Zeros, Ones, Seed };
    std::string name;   ///< "weight", "bias", "running_mean"
    shapes::Shape shape;
    int64_t fanIn = 0;  ///< Init::Uniform
    Init init = Init::Uniform;
    /// Model state the layer updates itself rather than a trained
    /// parameter (a `tcnn.buffer` argument): running statistics.
    bool buffer = false;
  };
  llvm::SmallVector<Param, 2> params;
  shapes::Shape result;
  /// Set by losses whose target holds class indices: which input it is and
  /// how many classes there are.
  std::optional<unsigned> classIndexInput;
  int64_t numClasses = 0;

  // Helpers for planLayer.
  bool has(llvm::StringRef name) const { return args.count(name.str()); }
  int64_t getInt(llvm::StringRef name, int64_t dflt) const;
  bool getBool(llvm::StringRef name, bool dflt) const;
  double getFloat(llvm::StringRef name, double dflt) const;
  llvm::StringRef getString(llvm::StringRef name, llvm::StringRef dflt) const;
  std::array<int64_t, 2> getPair(llvm::StringRef name,
                                 std::array<int64_t, 2> dflt) const;
  std::array<int64_t, 4> getSides(llvm::StringRef name,
                                  std::array<int64_t, 4> dflt) const;
  /// The pair argument `name` as an op attribute, or null when it was not
  /// given, so that the op keeps its ODS default (which is not printed).
  DenseI64ArrayAttr givenPairAttr(Builder &b, llvm::StringRef name) const;
  /// Error reporters (to pass as a ShapeRules ErrorFn, which they outlive
  /// for the call): at the call, at an argument, at an input value.
  auto atCall() const {
    return [this](const llvm::Twine &m) { error(LayerErrorAt{}, m); };
  }
  auto atArgument(llvm::StringRef name) const {
    return [this, name = name.str()](const llvm::Twine &m) {
      error(LayerErrorAt{LayerErrorAt::Kind::Argument, name, 0}, m);
    };
  }
  auto atOperand(unsigned i) const {
    return [this, i](const llvm::Twine &m) {
      error(LayerErrorAt{LayerErrorAt::Kind::Operand, "", i}, m);
    };
  }
};

/// An (h, w) pair as an op attribute (stride, padding, kernel_size).
DenseI64ArrayAttr pairAttr(Builder &b, std::array<int64_t, 2> p);

} // namespace mlir::tcnn

#endif // TCNN_DIALECT_LAYER_H
