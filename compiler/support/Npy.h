//===- Npy.h - read and write NumPy .npy files ------------------*- C++ -*-===//
//
// The subset tcnn needs: little-endian float32/float64/int32/int64 arrays in
// C order, format versions 1.0 to 3.0. Every way a file can be wrong
// (missing, not .npy, unsupported dtype, Fortran order, truncated, trailing
// bytes) gives a message that names the file.
//
//===----------------------------------------------------------------------===//

#ifndef TCNN_SUPPORT_NPY_H
#define TCNN_SUPPORT_NPY_H

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tcnn {

struct NpyArray {
  std::vector<int64_t> shape;
  /// NumPy dtype string, e.g. "<f4".
  std::string dtype;
  /// The values, widened to double (exact for every supported dtype but
  /// int64 beyond 2^53).
  std::vector<double> data;
};

/// Reads `path`; on failure returns nothing and sets `error`.
std::optional<NpyArray> readNpy(const std::string &path, std::string &error);

/// Writes a float32 array in C order; on failure returns false and sets
/// `error`. Writes to a temporary file first so a failed write never
/// leaves a partial file under `path`.
bool writeNpy(const std::string &path, const std::vector<int64_t> &shape,
              const float *data, std::string &error);

} // namespace tcnn

#endif // TCNN_SUPPORT_NPY_H
