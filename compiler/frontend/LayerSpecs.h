//===- LayerSpecs.h - the layers a model file can use -----------*- C++ -*-===//
//
// One table row per layer kind: its PyTorch name, its arguments with their
// types and defaults, and how many input values it takes. Binding a call's
// arguments against its row gives every argument error message.
//
//===----------------------------------------------------------------------===//

#ifndef TCNN_FRONTEND_LAYERSPECS_H
#define TCNN_FRONTEND_LAYERSPECS_H

#include "compiler/frontend/AST.h"
#include "compiler/frontend/Diagnostics.h"

#include <array>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tcnnc {

enum class LayerKind {
  Conv2d,
  MaxPool2d,
  AvgPool2d,
  ReLU,
  Flatten,
  Linear,
  Add,
  MSELoss,
  CrossEntropyLoss,
};

struct ArgSpec {
  enum class Type { Int, Pair, Bool };
  const char *name;
  Type type;
  bool required;
};

struct LayerSpec {
  const char *name;
  LayerKind kind;
  int numOperands;
  std::vector<ArgSpec> args;
  bool isLoss() const {
    return kind == LayerKind::MSELoss || kind == LayerKind::CrossEntropyLoss;
  }
};

/// The row for `name` (e.g. "Conv2d"), or null.
const LayerSpec *lookupLayer(const std::string &name);
/// "Conv2d, MaxPool2d, ..." for error messages.
std::string knownLayerNames();

/// A call's arguments by name, after binding.
class BoundArgs {
public:
  bool has(const std::string &name) const { return values.count(name); }
  int64_t getInt(const std::string &name, int64_t dflt) const;
  bool getBool(const std::string &name, bool dflt) const;
  /// An int `k` becomes (k, k), as in PyTorch.
  std::array<int64_t, 2> getPair(const std::string &name,
                                 std::array<int64_t, 2> dflt) const;
  SourceLoc locOf(const std::string &name, SourceLoc dflt) const;

  std::map<std::string, ArgValue> values;
};

/// Binds positional and keyword arguments of `call` against `spec`,
/// checking names, count, duplicates, required arguments and types.
std::optional<BoundArgs> bindArgs(const LayerSpec &spec, const LayerCall &call,
                                  Diagnostics &diags);

} // namespace tcnnc

#endif // TCNN_FRONTEND_LAYERSPECS_H
