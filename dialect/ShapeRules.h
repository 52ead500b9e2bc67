//===- ShapeRules.h - PyTorch shape rules for tcnn layers -------*- C++ -*-===//
//
// The output-shape rule of every layer kind, with the error message for
// every way its operands can disagree. The frontend calls these to report
// `file:line:col` errors before it builds an op; the ops' type inference
// calls them so a hand-written module gets the same messages.
//
//===----------------------------------------------------------------------===//

#ifndef TCNN_DIALECT_SHAPERULES_H
#define TCNN_DIALECT_SHAPERULES_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/Twine.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>

namespace mlir::tcnn::shapes {

using Shape = llvm::SmallVector<int64_t, 4>;
/// Receives one error message; a rule calls it at most once.
using ErrorFn = llvm::function_ref<void(const llvm::Twine &)>;

/// Formats a shape as "[1, 2, 8, 8]".
std::string str(llvm::ArrayRef<int64_t> shape);

/// The largest tensor tcnn accepts, in elements (2^40, 4 TiB of f32), and
/// the largest kernel size, stride or padding (2^31 - 1). Every shape and
/// window attribute is checked against these before any arithmetic, so no
/// size computed from them can overflow 64 bits.
constexpr int64_t kMaxElements = int64_t(1) << 40;
constexpr int64_t kMaxWindow = (int64_t(1) << 31) - 1;

/// Number of elements of a shape, or nothing if a dimension is negative
/// (dynamic) or the product exceeds kMaxElements (checked as it multiplies,
/// so it never wraps).
std::optional<int64_t> checkedNumElements(llvm::ArrayRef<int64_t> shape);

/// True if `shape` is static and has at most kMaxElements elements.
inline bool isAddressable(llvm::ArrayRef<int64_t> shape) {
  return checkedNumElements(shape).has_value();
}

/// Number of elements of an addressable shape (see isAddressable).
int64_t numElements(llvm::ArrayRef<int64_t> shape);

/// PyTorch's window rule: floor((size + 2 pad - kernel) / stride) + 1.
int64_t windowOutputSize(int64_t size, int64_t kernel, int64_t stride,
                         int64_t pad);

/// nn.Conv2d: input [N, C, H, W], weight [O, C / groups, Kh, Kw], bias [O]
/// or none; kernel taps `dilation` apart, so that a kernel of k taps spans
/// dilation * (k - 1) + 1 input positions.
std::optional<Shape> conv2d(llvm::ArrayRef<int64_t> input,
                            llvm::ArrayRef<int64_t> weight,
                            std::optional<llvm::ArrayRef<int64_t>> bias,
                            llvm::ArrayRef<int64_t> stride,
                            llvm::ArrayRef<int64_t> padding,
                            llvm::ArrayRef<int64_t> dilation, int64_t groups,
                            ErrorFn error);

/// The windows of nn.MaxPool2d / nn.AvgPool2d, as PyTorch places them:
/// output row i's window starts at i * stride - padding, its taps
/// `dilation` apart; with ceil_mode the last window may hang over the
/// padded input (but starts inside the input or its left padding).
struct PoolWindows {
  std::array<int64_t, 2> kernel{1, 1}, stride{1, 1}, padding{0, 0},
      dilation{1, 1};
  bool ceilMode = false;
  /// Average pooling's divisor: the window size clipped to the padded
  /// input (count_include_pad=True), the real positions only (False), or
  /// divisor_override when that is set.
  bool countIncludePad = true;
  int64_t divisorOverride = 0;

  /// The output extent along dimension `d` (0: rows, 1: columns) of an
  /// input of `in` positions.
  int64_t outputSize(int d, int64_t in) const;
  /// The first padded-input position of window `i` along `d`, and the
  /// end of the input positions the window reads (clipped to `in`).
  int64_t start(int d, int64_t i) const { return i * stride[d] - padding[d]; }
  /// Average pooling's divisor for output (i, j) of an `h` x `w` input.
  int64_t divisor(int64_t i, int64_t j, int64_t h, int64_t w) const;
  /// Whether every output has the divisor kernel_h * kernel_w.
  bool uniformDivisor(int64_t h, int64_t w) const;
};

/// torch.cat of `inputs` along `dim` (already non-negative).
/// nn.ZeroPad2d: input [..., H, W] (2-D or more), padding (left, right,
/// top, bottom), negative sides cutting; every output size positive.
std::optional<Shape> pad2d(llvm::ArrayRef<int64_t> input,
                           llvm::ArrayRef<int64_t> padding, ErrorFn error);

std::optional<Shape> cat(llvm::ArrayRef<Shape> inputs, int64_t dim,
                         ErrorFn error);

/// Adaptive pooling's window along one dimension: output i of `out` over
/// `in` positions covers [floor(i in / out), ceil((i + 1) in / out)).
inline int64_t adaptiveStart(int64_t i, int64_t in, int64_t out) {
  return i * in / out;
}
inline int64_t adaptiveEnd(int64_t i, int64_t in, int64_t out) {
  return ((i + 1) * in + out - 1) / out;
}

/// nn.AdaptiveAvgPool2d / nn.AdaptiveMaxPool2d: input [N, C, H, W] to
/// [N, C, O_h, O_w].
std::optional<Shape> adaptivePool2d(llvm::StringRef layer,
                                    llvm::ArrayRef<int64_t> input,
                                    llvm::ArrayRef<int64_t> outputSize,
                                    ErrorFn error);

/// nn.ConvTranspose2d: input [N, C, H, W], weight [C, O / groups, Kh, Kw],
/// bias [O] or none; output_padding (each less than the stride or the dilation) extends
/// the output after its end.
std::optional<Shape> convTranspose2d(
    llvm::ArrayRef<int64_t> input, llvm::ArrayRef<int64_t> weight,
    std::optional<llvm::ArrayRef<int64_t>> bias,
    llvm::ArrayRef<int64_t> stride, llvm::ArrayRef<int64_t> padding,
    llvm::ArrayRef<int64_t> outputPadding, llvm::ArrayRef<int64_t> dilation,
    int64_t groups, ErrorFn error);

/// nn.MaxPool2d / nn.AvgPool2d; `layer` names the op in messages.
std::optional<Shape> pool2d(llvm::StringRef layer,
                            llvm::ArrayRef<int64_t> input,
                            const PoolWindows &windows, ErrorFn error);

/// nn.Flatten(start_dim, end_dim): dimensions start_dim..end_dim (negative
/// ones counted from the end) become one, their product.
std::optional<Shape> flatten(llvm::ArrayRef<int64_t> input, int64_t startDim,
                             int64_t endDim, ErrorFn error);

/// nn.Linear: input [..., F] of any rank, weight [O, F], bias [O] or none;
/// result [..., O].
std::optional<Shape> linear(llvm::ArrayRef<int64_t> input,
                            llvm::ArrayRef<int64_t> weight,
                            std::optional<llvm::ArrayRef<int64_t>> bias,
                            ErrorFn error);

/// Elementwise ops of two operands (`op`: add, mul): both shapes equal.
std::optional<Shape> sameShape(llvm::StringRef op, llvm::ArrayRef<int64_t> lhs,
                               llvm::ArrayRef<int64_t> rhs, ErrorFn error);

/// A dimension argument of `layer` (Softmax's `dim`): in [-rank, rank),
/// counted from the end when negative as in PyTorch; returns it counted
/// from the front.
std::optional<int64_t> dimension(llvm::StringRef layer,
                                 llvm::ArrayRef<int64_t> input, int64_t dim,
                                 ErrorFn error);

/// nn.MSELoss, nn.L1Loss, nn.SmoothL1Loss (`op` names it in messages):
/// prediction and target of the same shape; result is [].
std::optional<Shape> pointwiseLoss(llvm::StringRef op,
                                   llvm::ArrayRef<int64_t> input,
                                   llvm::ArrayRef<int64_t> target,
                                   ErrorFn error);

/// nn.CrossEntropyLoss, nn.NLLLoss (`op`): scores [N, C], class indices
/// [N]; result is [].
std::optional<Shape> classLoss(llvm::StringRef op,
                               llvm::ArrayRef<int64_t> input,
                               llvm::ArrayRef<int64_t> target, ErrorFn error);

} // namespace mlir::tcnn::shapes

#endif // TCNN_DIALECT_SHAPERULES_H
