//===- TensorValues.h - turn a tensor initializer into numbers --*- C++ -*-===//

#ifndef TCNN_FRONTEND_TENSORVALUES_H
#define TCNN_FRONTEND_TENSORVALUES_H

#include "compiler/frontend/AST.h"
#include "compiler/frontend/Diagnostics.h"

#include <optional>
#include <string>
#include <vector>

namespace tcnnc {

/// Everything an initializer needs besides itself.
struct InitContext {
  /// Directory `npy("...")` paths are relative to (the model file's).
  std::string baseDir;
  /// The model's `seed`, used by generators without their own seed.
  uint64_t modelSeed = 0;
  Diagnostics &diags;
};

/// The values of tensor `name` of `shape` (row-major). `integral` asks for
/// class indices: an .npy may then also be int32/int64, and every value
/// must be a whole number. Reports errors at `init.loc`.
std::optional<std::vector<double>>
materialize(const TensorInit &init, const std::vector<int64_t> &shape,
            const std::string &name, bool integral, const InitContext &ctx);

/// Uniform values in [lo, hi) from the stream of `name` (docs/language.md).
std::vector<double> uniformValues(int64_t count, double lo, double hi,
                                  uint64_t seed, const std::string &name);

} // namespace tcnnc

#endif // TCNN_FRONTEND_TENSORVALUES_H
