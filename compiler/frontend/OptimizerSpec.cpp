//===- OptimizerSpec.cpp - `optimizer SGD(...)` in a model file -----------===//

#include "compiler/frontend/OptimizerSpec.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

#include <cmath>
#include <cstdio>

using namespace tcnnc;

namespace {

enum class Type { Number, Bool, NumberPair };

struct Setting {
  const char *name;
  Type type;
};

const Setting kSgd[] = {{"lr", Type::Number},
                        {"momentum", Type::Number},
                        {"dampening", Type::Number},
                        {"weight_decay", Type::Number},
                        {"nesterov", Type::Bool}};
const Setting kAdam[] = {{"lr", Type::Number},
                         {"betas", Type::NumberPair},
                         {"eps", Type::Number},
                         {"weight_decay", Type::Number},
                         {"amsgrad", Type::Bool}};

bool matches(Type type, const ArgValue &v) {
  switch (type) {
  case Type::Number:
    return v.kind == ArgValue::Kind::Int || v.kind == ArgValue::Kind::Float;
  case Type::Bool:
    return v.kind == ArgValue::Kind::Bool;
  case Type::NumberPair:
    return v.kind == ArgValue::Kind::Pair ||
           v.kind == ArgValue::Kind::FloatPair;
  }
  return false;
}

double number(const ArgValue &v) {
  return v.kind == ArgValue::Kind::Int ? static_cast<double>(v.i) : v.f;
}

double pairElement(const ArgValue &v, int k) {
  return v.kind == ArgValue::Kind::Pair ? static_cast<double>(v.pair[k])
                                        : v.fpair[k];
}

const char *typeName(Type type) {
  switch (type) {
  case Type::Number:
    return "a number";
  case Type::Bool:
    return "True or False";
  case Type::NumberPair:
    return "a pair of numbers such as (0.9, 0.999)";
  }
  return "";
}

} // namespace

std::optional<OptimizerConfig> tcnnc::bindOptimizer(const LayerCall &call,
                                                    Diagnostics &diags) {
  OptimizerConfig config;
  llvm::ArrayRef<Setting> settings;
  if (call.kind == "SGD") {
    settings = kSgd;
  } else if (call.kind == "Adam") {
    config.kind = "adam";
    config.lr = 0.001;
    settings = kAdam;
  } else {
    diags.error(call.loc, "unknown optimizer '" + call.kind +
                              "' (tcnn has SGD and Adam)");
    return std::nullopt;
  }
  std::vector<bool> seen(settings.size(), false);
  size_t positional = 0;
  bool sawKeyword = false;
  for (const Arg &arg : call.args) {
    size_t index = settings.size();
    if (arg.keyword.empty()) {
      if (sawKeyword) {
        diags.error(arg.loc, call.kind + ": a positional argument after a "
                                         "keyword argument");
        return std::nullopt;
      }
      if (positional >= settings.size()) {
        diags.error(arg.loc, call.kind + " takes at most " +
                                 llvm::Twine(settings.size()) +
                                 " arguments");
        return std::nullopt;
      }
      index = positional++;
    } else {
      sawKeyword = true;
      for (size_t k = 0; k < settings.size(); ++k)
        if (arg.keyword == settings[k].name)
          index = k;
      if (index == settings.size()) {
        std::vector<std::string> names;
        for (const Setting &s : settings)
          names.push_back(s.name);
        diags.error(arg.loc, call.kind + " has no argument '" + arg.keyword +
                                 "' (it takes " + llvm::join(names, ", ") +
                                 ")");
        return std::nullopt;
      }
    }
    const Setting &setting = settings[index];
    if (seen[index]) {
      diags.error(arg.loc, call.kind + ": argument '" + setting.name +
                               "' given twice");
      return std::nullopt;
    }
    seen[index] = true;
    const ArgValue &v = arg.value;
    if (!matches(setting.type, v)) {
      diags.error(v.loc, call.kind + ": '" + setting.name + "' expects " +
                             typeName(setting.type));
      return std::nullopt;
    }
    auto fail = [&](const llvm::Twine &why) {
      diags.error(v.loc, call.kind + ": " + why);
      return std::nullopt;
    };
    llvm::StringRef name = setting.name;
    if (setting.type == Type::Number) {
      double x = number(v);
      if (!std::isfinite(x) || x < 0)
        return fail("'" + name + "' must be a non-negative number");
      if (name == "lr")
        config.lr = x;
      else if (name == "momentum")
        config.momentum = x;
      else if (name == "weight_decay")
        config.weightDecay = x;
      else if (name == "eps")
        config.eps = x;
      else if (name == "dampening" && x != 0)
        return fail("dampening other than 0 is not supported");
    } else if (setting.type == Type::Bool) {
      if (name == "nesterov")
        config.nesterov = v.b;
      else if (name == "amsgrad" && v.b)
        return fail("amsgrad=True is not supported");
    } else {
      for (int k = 0; k < 2; ++k) {
        double beta = pairElement(v, k);
        if (!(beta >= 0 && beta < 1)) {
          char text[32];
          snprintf(text, sizeof text, "%g", beta);
          return fail(llvm::Twine("betas must lie in [0, 1), got ") + text);
        }
      }
      config.beta1 = pairElement(v, 0);
      config.beta2 = pairElement(v, 1);
    }
  }
  if (config.nesterov && config.momentum <= 0) {
    diags.error(call.loc, "SGD: nesterov=True needs a momentum above 0 (as "
                          "PyTorch requires)");
    return std::nullopt;
  }
  return config;
}

mlir::DictionaryAttr tcnnc::optimizerAttr(mlir::Builder &b,
                                          const OptimizerConfig &c) {
  return b.getDictionaryAttr({
      b.getNamedAttr("kind", b.getStringAttr(c.kind)),
      b.getNamedAttr("lr", b.getF64FloatAttr(c.lr)),
      b.getNamedAttr("momentum", b.getF64FloatAttr(c.momentum)),
      b.getNamedAttr("weight_decay", b.getF64FloatAttr(c.weightDecay)),
      b.getNamedAttr("nesterov", b.getBoolAttr(c.nesterov)),
      b.getNamedAttr("beta1", b.getF64FloatAttr(c.beta1)),
      b.getNamedAttr("beta2", b.getF64FloatAttr(c.beta2)),
      b.getNamedAttr("eps", b.getF64FloatAttr(c.eps)),
  });
}
