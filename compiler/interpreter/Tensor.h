//===- Tensor.h - the interpreter's dense tensor ----------------*- C++ -*-===//

#ifndef TCNN_INTERPRETER_TENSOR_H
#define TCNN_INTERPRETER_TENSOR_H

#include <cstddef>
#include <cstdint>
#include <vector>

namespace tcnnc {

/// A dense row-major tensor. Values are held in double so the same
/// kernels serve float32 semantics (results rounded to float after every
/// op, as PyTorch stores them) and double-precision finite differences.
struct Tensor {
  std::vector<int64_t> shape;
  std::vector<double> data;

  Tensor() = default;
  explicit Tensor(std::vector<int64_t> s, double fill = 0.0)
      : shape(std::move(s)), data(count(shape), fill) {}

  static int64_t count(const std::vector<int64_t> &shape) {
    int64_t n = 1;
    for (int64_t d : shape)
      n *= d;
    return n;
  }
  int64_t size() const { return static_cast<int64_t>(data.size()); }
  int64_t dim(size_t i) const { return shape[i]; }

  /// Element [a, b, c, d] of a 4-D tensor.
  double &at(int64_t a, int64_t b, int64_t c, int64_t d) {
    return data[((a * shape[1] + b) * shape[2] + c) * shape[3] + d];
  }
  double at(int64_t a, int64_t b, int64_t c, int64_t d) const {
    return data[((a * shape[1] + b) * shape[2] + c) * shape[3] + d];
  }
  /// Element [a, b] of a 2-D tensor.
  double &at(int64_t a, int64_t b) { return data[a * shape[1] + b]; }
  double at(int64_t a, int64_t b) const { return data[a * shape[1] + b]; }

  /// Rounds every element to the nearest float32.
  void roundToFloat() {
    for (double &v : data)
      v = static_cast<float>(v);
  }
};

} // namespace tcnnc

#endif // TCNN_INTERPRETER_TENSOR_H
