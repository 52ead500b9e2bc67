//===- LayerSpecs.cpp - the layers a model file can use -------------------===//

#include "compiler/frontend/LayerSpecs.h"

using namespace tcnnc;
using T = ArgSpec::Type;

static const std::vector<LayerSpec> &layerTable() {
  static const std::vector<LayerSpec> table = {
      {"Conv2d",
       LayerKind::Conv2d,
       1,
       {{"in_channels", T::Int, true},
        {"out_channels", T::Int, true},
        {"kernel_size", T::Pair, true},
        {"stride", T::Pair, false},
        {"padding", T::Pair, false},
        {"bias", T::Bool, false}}},
      {"MaxPool2d",
       LayerKind::MaxPool2d,
       1,
       {{"kernel_size", T::Pair, true},
        {"stride", T::Pair, false},
        {"padding", T::Pair, false}}},
      {"AvgPool2d",
       LayerKind::AvgPool2d,
       1,
       {{"kernel_size", T::Pair, true},
        {"stride", T::Pair, false},
        {"padding", T::Pair, false},
        {"count_include_pad", T::Bool, false}}},
      {"ReLU", LayerKind::ReLU, 1, {}},
      {"Flatten", LayerKind::Flatten, 1, {}},
      {"Linear",
       LayerKind::Linear,
       1,
       {{"in_features", T::Int, true},
        {"out_features", T::Int, true},
        {"bias", T::Bool, false}}},
      {"Add", LayerKind::Add, 2, {}},
      {"MSELoss", LayerKind::MSELoss, 2, {}},
      {"CrossEntropyLoss", LayerKind::CrossEntropyLoss, 2, {}},
  };
  return table;
}

const LayerSpec *tcnnc::lookupLayer(const std::string &name) {
  for (const LayerSpec &spec : layerTable())
    if (name == spec.name)
      return &spec;
  // `add` reads naturally for the residual connection.
  if (name == "add")
    return lookupLayer("Add");
  return nullptr;
}

std::string tcnnc::knownLayerNames() {
  std::string names;
  for (const LayerSpec &spec : layerTable())
    names += (names.empty() ? "" : ", ") + std::string(spec.name);
  return names;
}

int64_t BoundArgs::getInt(const std::string &name, int64_t dflt) const {
  auto it = values.find(name);
  return it == values.end() ? dflt : it->second.i;
}

bool BoundArgs::getBool(const std::string &name, bool dflt) const {
  auto it = values.find(name);
  return it == values.end() ? dflt : it->second.b;
}

std::array<int64_t, 2> BoundArgs::getPair(const std::string &name,
                                          std::array<int64_t, 2> dflt) const {
  auto it = values.find(name);
  if (it == values.end())
    return dflt;
  if (it->second.kind == ArgValue::Kind::Int)
    return {it->second.i, it->second.i};
  return {it->second.pair[0], it->second.pair[1]};
}

SourceLoc BoundArgs::locOf(const std::string &name, SourceLoc dflt) const {
  auto it = values.find(name);
  return it == values.end() ? dflt : it->second.loc;
}

static const char *typeDescription(T type) {
  switch (type) {
  case T::Int:
    return "an integer";
  case T::Pair:
    return "an integer or an (h, w) pair of integers";
  case T::Bool:
    return "true or false";
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
  }
  return "";
}

static bool typeMatches(T type, const ArgValue &v) {
  switch (type) {
  case T::Int:
    return v.kind == ArgValue::Kind::Int;
  case T::Pair:
    return v.kind == ArgValue::Kind::Int || v.kind == ArgValue::Kind::Pair;
  case T::Bool:
    return v.kind == ArgValue::Kind::Bool;
  }
  return false;
}

std::optional<BoundArgs> tcnnc::bindArgs(const LayerSpec &spec,
                                        const LayerCall &call,
                                        Diagnostics &diags) {
  BoundArgs bound;
  size_t positional = 0;
  bool sawKeyword = false;
  for (const Arg &arg : call.args) {
    const ArgSpec *target = nullptr;
    if (arg.keyword.empty()) {
      if (sawKeyword) {
        diags.error(arg.loc, std::string(spec.name) +
                                 ": positional argument after a keyword "
                                 "argument");
        return std::nullopt;
      }
      if (positional >= spec.args.size()) {
        diags.error(arg.loc,
                    std::string(spec.name) + " takes at most " +
                        std::to_string(spec.args.size()) +
                        " positional argument" +
                        (spec.args.size() == 1 ? "" : "s") + ", got " +
                        std::to_string(call.args.size()));
        return std::nullopt;
      }
      target = &spec.args[positional++];
    } else {
      sawKeyword = true;
      for (const ArgSpec &a : spec.args)
        if (arg.keyword == a.name)
          target = &a;
      if (!target) {
        std::string expected;
        for (const ArgSpec &a : spec.args)
          expected += (expected.empty() ? "" : ", ") + std::string(a.name);
        diags.error(arg.loc, std::string(spec.name) + ": unknown argument '" +
                                 arg.keyword + "'" +
                                 (expected.empty()
                                      ? " (it takes no arguments)"
                                      : " (expected one of: " + expected +
                                            ")"));
        return std::nullopt;
      }
    }
    if (bound.values.count(target->name)) {
      diags.error(arg.loc, std::string(spec.name) + ": argument '" +
                               target->name + "' given twice");
      return std::nullopt;
    }
    if (!typeMatches(target->type, arg.value)) {
      diags.error(arg.value.loc,
                  std::string(spec.name) + ": " + target->name + " must be " +
                      typeDescription(target->type) + ", got " +
                      describeValue(arg.value));
      return std::nullopt;
    }
    bound.values[target->name] = arg.value;
  }
  for (const ArgSpec &a : spec.args) {
    if (a.required && !bound.values.count(a.name)) {
      diags.error(call.loc, std::string(spec.name) + ": missing argument '" +
                                a.name + "'");
      return std::nullopt;
    }
  }
  return bound;
}
