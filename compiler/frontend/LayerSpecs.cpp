//===- LayerSpecs.cpp - the layers a model file can use -------------------===//

#include "compiler/frontend/LayerSpecs.h"

#include "llvm/Support/FormatVariadic.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

using namespace tcnnc;
using mlir::tcnn::LayerArg;
using mlir::tcnn::LayerArgValue;
using T = LayerArg::Type;

/// The layer description of a registered op, if it is a layer.
static const LayerKind *layerOf(mlir::RegisteredOperationName op) {
  return op.getInterface<mlir::tcnn::LayerOpInterface>();
}

const LayerKind *tcnnc::lookupLayer(mlir::MLIRContext &context,
                                    const std::string &name) {
  for (mlir::RegisteredOperationName op : context.getRegisteredOperations())
    if (const LayerKind *layer = layerOf(op))
      if (layer->getLayerName() == name ||
          llvm::is_contained(layer->getLayerAliases(), name))
        return layer;
  return nullptr;
}

std::string tcnnc::knownLayerNames(mlir::MLIRContext &context) {
  std::vector<std::string> names;
  for (mlir::RegisteredOperationName op : context.getRegisteredOperations())
    if (const LayerKind *layer = layerOf(op))
      names.push_back(layer->getLayerName().str());
  llvm::sort(names);
  return llvm::join(names, ", ");
}

/// `"mean" or "sum"` of the choices "mean|sum".
static std::string choiceList(const char *choices) {
  llvm::SmallVector<llvm::StringRef> names;
  llvm::StringRef(choices).split(names, '|');
  std::string out;
  for (size_t i = 0; i < names.size(); ++i)
    out += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") +
           ("\"" + names[i] + "\"").str();
  return out;
}

static std::string typeDescription(const LayerArg &arg) {
  switch (arg.type) {
  case T::String:
    return choiceList(arg.choices);
  case T::Int:
    return "an integer";
  case T::Pair:
    return arg.choices ? "an integer, an (h, w) pair of integers, " +
                             choiceList(arg.choices)
                       : "an integer or an (h, w) pair of integers";
  case T::Sides:
    return "an integer or four integers (left, right, top, bottom)";
  case T::Bool:
    return "true or false";
  case T::Float:
    return "a number";
  }
  return "";
}

static std::string describeValue(const ArgValue &v) {
  switch (v.kind) {
  case ArgValue::Kind::Int:
    return std::to_string(v.i);
  case ArgValue::Kind::Float: {
    std::string s = std::to_string(v.f);
    while (s.size() > 1 && s.back() == '0' && s[s.size() - 2] != '.')
      s.pop_back();
    return s;
  }
  case ArgValue::Kind::Bool:
    return v.b ? "true" : "false";
  case ArgValue::Kind::Pair:
    return "(" + std::to_string(v.pair[0]) + ", " + std::to_string(v.pair[1]) +
           ")";
  case ArgValue::Kind::FloatPair:
    return "(" + llvm::formatv("{0}", v.fpair[0]).str() + ", " +
           llvm::formatv("{0}", v.fpair[1]).str() + ")";
  case ArgValue::Kind::Quad:
    return "(" + std::to_string(v.quad[0]) + ", " + std::to_string(v.quad[1]) +
           ", " + std::to_string(v.quad[2]) + ", " +
           std::to_string(v.quad[3]) + ")";
  case ArgValue::Kind::String:
    return "\"" + v.s + "\"";
  case ArgValue::Kind::None:
    return "None";
  }
  return "";
}

/// A string among the argument's choices ("mean|sum").
static bool isChoice(const LayerArg &arg, const ArgValue &v) {
  if (v.kind != ArgValue::Kind::String || !arg.choices)
    return false;
  llvm::SmallVector<llvm::StringRef> names;
  llvm::StringRef(arg.choices).split(names, '|');
  return llvm::is_contained(names, v.s);
}

static bool typeMatches(const LayerArg &arg, const ArgValue &v) {
  if (isChoice(arg, v))
    return true;
  switch (arg.type) {
  case T::String:
    return false;
  case T::Int:
    return v.kind == ArgValue::Kind::Int;
  case T::Pair:
    return v.kind == ArgValue::Kind::Int || v.kind == ArgValue::Kind::Pair;
  case T::Sides:
    return v.kind == ArgValue::Kind::Int || v.kind == ArgValue::Kind::Quad;
  case T::Bool:
    return v.kind == ArgValue::Kind::Bool;
  case T::Float:
    return v.kind == ArgValue::Kind::Float || v.kind == ArgValue::Kind::Int;
  }
  return false;
}

/// The binding of a model file's value to an argument of type `type`.
static LayerArgValue bindValue(T type, const ArgValue &v) {
  LayerArgValue out;
  out.type = v.kind == ArgValue::Kind::Pair     ? T::Pair
             : v.kind == ArgValue::Kind::Quad   ? T::Sides
             : v.kind == ArgValue::Kind::Bool   ? T::Bool
             : v.kind == ArgValue::Kind::String ? T::String
             : type == T::Float                 ? T::Float
                                                : T::Int;
  out.s = v.s;
  out.i = v.i;
  out.pair = {v.pair[0], v.pair[1]};
  out.sides = v.kind == ArgValue::Kind::Quad
                  ? std::array<int64_t, 4>{v.quad[0], v.quad[1], v.quad[2],
                                           v.quad[3]}
                  : std::array<int64_t, 4>{v.i, v.i, v.i, v.i};
  out.b = v.b;
  out.f = v.kind == ArgValue::Kind::Int ? static_cast<double>(v.i) : v.f;
  return out;
}

std::optional<BoundArgs> tcnnc::bindArgs(const LayerKind &layer,
                                         const LayerCall &call,
                                         Diagnostics &diags) {
  std::string layerName = layer.getLayerName().str();
  llvm::ArrayRef<LayerArg> specs = layer.getLayerArgs();
  BoundArgs bound;
  size_t positional = 0;
  bool sawKeyword = false;
  for (const Arg &arg : call.args) {
    const LayerArg *target = nullptr;
    if (arg.keyword.empty()) {
      if (sawKeyword) {
        diags.error(arg.loc, layerName +
                                 ": positional argument after a keyword "
                                 "argument");
        return std::nullopt;
      }
      if (positional >= specs.size()) {
        diags.error(arg.loc, layerName + " takes at most " +
                                 std::to_string(specs.size()) +
                                 " positional argument" +
                                 (specs.size() == 1 ? "" : "s") + ", got " +
                                 std::to_string(call.args.size()));
        return std::nullopt;
      }
      target = &specs[positional++];
    } else {
      sawKeyword = true;
      for (const LayerArg &a : specs)
        if (arg.keyword == a.name)
          target = &a;
      if (!target) {
        std::string expected;
        for (const LayerArg &a : specs)
          expected += (expected.empty() ? "" : ", ") + std::string(a.name);
        diags.error(arg.loc, layerName + ": unknown argument '" +
                                 arg.keyword + "'" +
                                 (expected.empty()
                                      ? " (it takes no arguments)"
                                      : " (expected one of: " + expected +
                                            ")"));
        return std::nullopt;
      }
    }
    if (bound.locs.count(target->name)) {
      diags.error(arg.loc, layerName + ": argument '" + target->name +
                               "' given twice");
      return std::nullopt;
    }
    // None where PyTorch's default is None: as if not given.
    if (arg.value.kind == ArgValue::Kind::None && target->acceptsNone) {
      bound.locs[target->name] = arg.value.loc;
      continue;
    }
    if (!typeMatches(*target, arg.value)) {
      diags.error(arg.value.loc, layerName + ": " + target->name +
                                     " must be " + typeDescription(*target) +
                                     ", got " + describeValue(arg.value));
      return std::nullopt;
    }
    bound.values[target->name] = bindValue(target->type, arg.value);
    bound.locs[target->name] = arg.value.loc;
  }
  for (const LayerArg &a : specs) {
    if (a.required && !bound.values.count(a.name)) {
      diags.error(call.loc, layerName + ": missing argument '" + a.name + "'");
      return std::nullopt;
    }
  }
  return bound;
}
