//===- TensorValues.cpp - turn a tensor initializer into numbers ----------===//

#include "compiler/frontend/TensorValues.h"

#include "compiler/support/Npy.h"
#include "compiler/support/Random.h"
#include "dialect/ShapeRules.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/Path.h"

#include <cmath>

using namespace tcnnc;

std::vector<double> tcnnc::uniformValues(int64_t count, double lo, double hi,
                                        uint64_t seed,
                                        const std::string &name) {
  SplitMix64 rng(streamSeed(seed, name));
  std::vector<double> v(count);
  for (double &x : v)
    x = rng.uniform(static_cast<float>(lo), static_cast<float>(hi));
  return v;
}

/// A list literal may leave out leading 1-dimensions: a 4x4 list fills a
/// [1, 1, 4, 4] input.
static bool literalFits(const std::vector<int64_t> &literal,
                        const std::vector<int64_t> &shape) {
  if (literal.size() > shape.size())
    return false;
  size_t extra = shape.size() - literal.size();
  for (size_t i = 0; i < extra; ++i)
    if (shape[i] != 1)
      return false;
  for (size_t i = 0; i < literal.size(); ++i)
    if (literal[i] != shape[extra + i])
      return false;
  return true;
}

std::optional<std::vector<double>>
tcnnc::materialize(const TensorInit &init, const std::vector<int64_t> &shape,
                  const std::string &name, bool integral,
                  const InitContext &ctx) {
  using mlir::tcnn::shapes::numElements;
  using mlir::tcnn::shapes::str;
  int64_t count = numElements(shape);
  std::vector<double> values;
  switch (init.kind) {
  case TensorInit::Kind::Zeros:
    values.assign(count, 0.0);
    break;
  case TensorInit::Kind::Ones:
    values.assign(count, 1.0);
    break;
  case TensorInit::Kind::Full:
    values.assign(count, init.a);
    break;
  case TensorInit::Kind::Uniform:
    values = uniformValues(count, init.a, init.b,
                           init.seed.value_or(ctx.modelSeed), name);
    break;
  case TensorInit::Kind::Randint: {
    SplitMix64 rng(streamSeed(init.seed.value_or(ctx.modelSeed), name));
    values.resize(count);
    for (double &x : values)
      x = static_cast<double>(rng.randint(static_cast<int64_t>(init.a),
                                          static_cast<int64_t>(init.b)));
    break;
  }
  case TensorInit::Kind::Literal:
    if (!literalFits(init.literalShape, shape)) {
      ctx.diags.error(init.loc, "list has shape " + str(init.literalShape) +
                                    " but '" + name + "' has shape " +
                                    str(shape));
      return std::nullopt;
    }
    values = init.values;
    break;
  case TensorInit::Kind::Npy: {
    std::string path = init.path;
    if (!llvm::sys::path::is_absolute(path)) {
      llvm::SmallString<256> full(ctx.baseDir);
      llvm::sys::path::append(full, path);
      path = std::string(full);
    }
    std::string error;
    auto array = readNpy(path, integral, error);
    if (!array) {
      ctx.diags.error(init.loc, error);
      return std::nullopt;
    }
    if (array->shape != shape) {
      ctx.diags.error(init.loc, "'" + init.path + "' has shape " +
                                    str(array->shape) + " but '" + name +
                                    "' has shape " + str(shape));
      return std::nullopt;
    }
    values = std::move(array->data);
    break;
  }
  }
  if (integral) {
    for (double v : values) {
      if (v != std::floor(v)) {
        ctx.diags.error(init.loc, "'" + name +
                                      "' holds class indices, which must "
                                      "be whole numbers; found " +
                                      std::to_string(v));
        return std::nullopt;
      }
    }
  }
  for (double v : values) {
    if (!std::isfinite(v)) {
      ctx.diags.error(init.loc, "'" + name + "' contains a non-finite value");
      return std::nullopt;
    }
  }
  return values;
}
