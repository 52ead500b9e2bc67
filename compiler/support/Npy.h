//===- Npy.h - read and write NumPy .npy files ------------------*- C++ -*-===//
//
// A C++ face on the runtime's reader (runtime/npy.c), so tcnnc and compiled
// executables accept exactly the same files (the rules: docs/npy.md).
//
//===----------------------------------------------------------------------===//

#ifndef TCNN_SUPPORT_NPY_H
#define TCNN_SUPPORT_NPY_H

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tcnnc {

struct NpyArray {
  std::vector<int64_t> shape;
  /// The values, widened to double (exact: float32, or class indices that
  /// the caller checks against the number of classes).
  std::vector<double> data;
};

/// Reads `path`: float32 values, or class indices (int64 or int32) when
/// `classIndices`. On failure returns nothing and sets `error`, a message
/// that names the file.
std::optional<NpyArray> readNpy(const std::string &path, bool classIndices,
                                std::string &error);

/// Writes a float32 array (or, with `classIndices`, the values as int64) in
/// C order. On failure returns false and sets `error` with the OS reason;
/// a failed write never leaves a partial file under `path`.
bool writeNpy(const std::string &path, const std::vector<int64_t> &shape,
              const std::vector<double> &values, bool classIndices,
              std::string &error);

} // namespace tcnnc

#endif // TCNN_SUPPORT_NPY_H
