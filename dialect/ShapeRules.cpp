//===- ShapeRules.cpp - PyTorch shape rules for tcnn layers ---------------===//

#include "dialect/ShapeRules.h"

#include "llvm/ADT/StringExtras.h"

using namespace mlir::tcnn;
using llvm::ArrayRef;
using llvm::Twine;

std::string shapes::str(ArrayRef<int64_t> shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i)
      s += ", ";
    s += std::to_string(shape[i]);
  }
  return s + "]";
}

std::optional<int64_t> shapes::checkedNumElements(ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape) {
    if (d < 0 || (d != 0 && n > kMaxElements / d))
      return std::nullopt;
    n *= d;
  }
  return n;
}

int64_t shapes::numElements(ArrayRef<int64_t> shape) {
  std::optional<int64_t> n = checkedNumElements(shape);
  assert(n && "numElements of an unchecked shape");
  return *n;
}

int64_t shapes::windowOutputSize(int64_t size, int64_t kernel, int64_t stride,
                                 int64_t pad) {
  return (size + 2 * pad - kernel) / stride + 1;
}

/// `result`, unless it has more elements than tcnn addresses.
static std::optional<shapes::Shape>
addressableResult(llvm::StringRef layer, shapes::Shape result,
                  shapes::ErrorFn error) {
  if (shapes::isAddressable(result))
    return result;
  error(layer + ": the result " + shapes::str(result) +
        " would have more than 2^40 elements");
  return std::nullopt;
}

static std::string pair(ArrayRef<int64_t> p) {
  return "(" + std::to_string(p[0]) + ", " + std::to_string(p[1]) + ")";
}

/// Checks that every dimension is positive (an empty tensor is never a
/// meaningful layer operand) and the tensor is addressable.
static bool checkPositive(llvm::StringRef layer, llvm::StringRef what,
                          ArrayRef<int64_t> shape, shapes::ErrorFn error) {
  for (int64_t d : shape) {
    if (d <= 0) {
      error(layer + ": " + what + " has a non-positive dimension: " +
            shapes::str(shape));
      return false;
    }
  }
  if (!shapes::isAddressable(shape)) {
    error(layer + ": " + what + " " + shapes::str(shape) +
          " has more than 2^40 elements");
    return false;
  }
  return true;
}

/// Checks stride >= 1 and padding >= 0 and that the kernel fits the padded
/// input, the conditions shared by conv2d and the pools.
static bool checkWindow(llvm::StringRef layer, ArrayRef<int64_t> input,
                        ArrayRef<int64_t> kernel, ArrayRef<int64_t> stride,
                        ArrayRef<int64_t> padding, shapes::ErrorFn error) {
  if (kernel.size() != 2 || stride.size() != 2 || padding.size() != 2) {
    error(layer + ": kernel_size, stride and padding must be (h, w) pairs");
    return false;
  }
  if (kernel[0] < 1 || kernel[1] < 1) {
    error(layer + ": kernel_size must be positive, got " + pair(kernel));
    return false;
  }
  if (stride[0] < 1 || stride[1] < 1) {
    error(layer + ": stride must be positive, got " + pair(stride));
    return false;
  }
  if (padding[0] < 0 || padding[1] < 0) {
    error(layer + ": padding must be non-negative, got " + pair(padding));
    return false;
  }
  for (auto [what, p] : {std::pair{"kernel_size", kernel},
                         std::pair{"stride", stride},
                         std::pair{"padding", padding}}) {
    if (p[0] > shapes::kMaxWindow || p[1] > shapes::kMaxWindow) {
      error(layer + ": " + what + " " + pair(p) + " is larger than " +
            Twine(shapes::kMaxWindow));
      return false;
    }
  }
  int64_t ph = input[2] + 2 * padding[0], pw = input[3] + 2 * padding[1];
  if (kernel[0] > ph || kernel[1] > pw) {
    error(layer + ": kernel " + Twine(kernel[0]) + "x" + Twine(kernel[1]) +
          " is larger than the padded input " + Twine(ph) + "x" + Twine(pw) +
          " (input " + Twine(input[2]) + "x" + Twine(input[3]) +
          ", padding " + pair(padding) + ")");
    return false;
  }
  return true;
}

std::optional<shapes::Shape>
shapes::conv2d(ArrayRef<int64_t> input, ArrayRef<int64_t> weight,
               std::optional<ArrayRef<int64_t>> bias, ArrayRef<int64_t> stride,
               ArrayRef<int64_t> padding, ArrayRef<int64_t> dilation,
               int64_t groups, ErrorFn error) {
  if (input.size() != 4) {
    error("conv2d: input must be 4-D [N, C, H, W], got " + str(input));
    return std::nullopt;
  }
  if (weight.size() != 4) {
    error("conv2d: weight must be 4-D [out_channels, in_channels / groups, "
          "kH, kW], got " + str(weight));
    return std::nullopt;
  }
  if (!checkPositive("conv2d", "input", input, error) ||
      !checkPositive("conv2d", "weight", weight, error))
    return std::nullopt;
  if (groups < 1 || groups > input[1] || input[1] % groups != 0 ||
      weight[0] % groups != 0) {
    error("conv2d: groups " + Twine(groups) + " must divide both the " +
          Twine(input[1]) + " input channels and the " + Twine(weight[0]) +
          " output channels");
    return std::nullopt;
  }
  if (input[1] != weight[1] * groups) {
    error("conv2d: input has " + Twine(input[1]) +
          " channels but weight expects " + Twine(weight[1] * groups) +
          (groups > 1 ? " (" + Twine(weight[1]) + " per group times " +
                            Twine(groups) + " groups)"
                      : Twine("")));
    return std::nullopt;
  }
  if (bias && (bias->size() != 1 || (*bias)[0] != weight[0])) {
    error("conv2d: bias has shape " + str(*bias) + " but weight has " +
          Twine(weight[0]) + " output channels (expected [" +
          Twine(weight[0]) + "])");
    return std::nullopt;
  }
  if (dilation.size() != 2 || dilation[0] < 1 || dilation[1] < 1 ||
      dilation[0] > kMaxWindow || dilation[1] > kMaxWindow) {
    error("conv2d: dilation must be a pair of integers from 1 to " +
          Twine(kMaxWindow) + ", got " +
          (dilation.size() == 2 ? pair(dilation) : str(dilation)));
    return std::nullopt;
  }
  // The window a dilated kernel spans.
  int64_t span[2] = {dilation[0] * (weight[2] - 1) + 1,
                     dilation[1] * (weight[3] - 1) + 1};
  if ((dilation[0] > 1 || dilation[1] > 1) && padding.size() == 2 &&
      (span[0] > input[2] + 2 * padding[0] ||
       span[1] > input[3] + 2 * padding[1])) {
    error("conv2d: the kernel " + Twine(weight[2]) + "x" + Twine(weight[3]) +
          " with dilation " + pair(dilation) + " spans " + Twine(span[0]) +
          "x" + Twine(span[1]) + ", more than the padded input " +
          Twine(input[2] + 2 * padding[0]) + "x" +
          Twine(input[3] + 2 * padding[1]));
    return std::nullopt;
  }
  if (!checkWindow("conv2d", input, span, stride, padding, error))
    return std::nullopt;
  return addressableResult(
      "conv2d",
      Shape{input[0], weight[0],
            windowOutputSize(input[2], span[0], stride[0], padding[0]),
            windowOutputSize(input[3], span[1], stride[1], padding[1])},
      error);
}

int64_t shapes::PoolWindows::outputSize(int d, int64_t in) const {
  int64_t span = dilation[d] * (kernel[d] - 1) + 1;
  int64_t room = in + 2 * padding[d] - span;
  int64_t out = (ceilMode ? (room + stride[d] - 1) / stride[d]
                          : room / stride[d]) +
                1;
  // The last window must start inside the input or its left padding.
  if (ceilMode && (out - 1) * stride[d] >= in + padding[d])
    --out;
  return out;
}

int64_t shapes::PoolWindows::divisor(int64_t i, int64_t j, int64_t h,
                                     int64_t w) const {
  if (divisorOverride > 0)
    return divisorOverride;
  int64_t size[2];
  int64_t at[2] = {i, j}, in[2] = {h, w};
  for (int d = 0; d < 2; ++d) {
    int64_t first = start(d, at[d]);
    int64_t end = std::min(first + kernel[d], in[d] + padding[d]);
    size[d] = countIncludePad
                  ? end - first
                  : std::min(end, in[d]) - std::max<int64_t>(first, 0);
  }
  return size[0] * size[1];
}

bool shapes::PoolWindows::uniformDivisor(int64_t h, int64_t w) const {
  int64_t oh = outputSize(0, h), ow = outputSize(1, w);
  for (int64_t i = 0; i < oh; ++i)
    for (int64_t j = 0; j < ow; ++j)
      if (divisor(i, j, h, w) != kernel[0] * kernel[1])
        return false;
  return true;
}

std::optional<shapes::Shape> shapes::pool2d(llvm::StringRef layer,
                                            ArrayRef<int64_t> input,
                                            const PoolWindows &win,
                                            ErrorFn error) {
  if (input.size() != 4) {
    error(layer + ": input must be 4-D [N, C, H, W], got " + str(input));
    return std::nullopt;
  }
  ArrayRef<int64_t> dilation = win.dilation;
  if (dilation[0] < 1 || dilation[1] < 1 || dilation[0] > kMaxWindow ||
      dilation[1] > kMaxWindow) {
    error(layer + ": dilation must be a pair of integers from 1 to " +
          Twine(kMaxWindow) + ", got " + pair(dilation));
    return std::nullopt;
  }
  int64_t span[2] = {dilation[0] * (win.kernel[0] - 1) + 1,
                     dilation[1] * (win.kernel[1] - 1) + 1};
  if (!checkPositive(layer, "input", input, error) ||
      !checkWindow(layer, input, win.kernel, win.stride, win.padding, error))
    return std::nullopt;
  // PyTorch: at most half of the kernel (dilated or not).
  if (2 * win.padding[0] > win.kernel[0] || 2 * win.padding[1] > win.kernel[1]) {
    error(layer + ": padding " + pair(win.padding) +
          " must be at most half of kernel_size " + pair(win.kernel));
    return std::nullopt;
  }
  if (span[0] > input[2] + 2 * win.padding[0] ||
      span[1] > input[3] + 2 * win.padding[1]) {
    error(layer + ": the kernel " + Twine(win.kernel[0]) + "x" +
          Twine(win.kernel[1]) + " with dilation " + pair(dilation) +
          " spans " + Twine(span[0]) + "x" + Twine(span[1]) +
          ", more than the padded input");
    return std::nullopt;
  }
  if (win.divisorOverride < 0) {
    error(layer + ": divisor_override must be positive, got " +
          Twine(win.divisorOverride));
    return std::nullopt;
  }
  // Padding can make the output one row and column larger than the input.
  return addressableResult(layer,
                           Shape{input[0], input[1],
                                 win.outputSize(0, input[2]),
                                 win.outputSize(1, input[3])},
                           error);
}

std::optional<shapes::Shape> shapes::convTranspose2d(
    ArrayRef<int64_t> input, ArrayRef<int64_t> weight,
    std::optional<ArrayRef<int64_t>> bias, ArrayRef<int64_t> stride,
    ArrayRef<int64_t> padding, ArrayRef<int64_t> outputPadding,
    ArrayRef<int64_t> dilation, int64_t groups, ErrorFn error) {
  const char *op = "conv_transpose2d";
  if (input.size() != 4 || weight.size() != 4) {
    error(Twine(op) + ": input [N, C, H, W] and weight [in_channels, "
                      "out_channels / groups, kH, kW] must be 4-D, got " +
          str(input) + " and " + str(weight));
    return std::nullopt;
  }
  if (!checkPositive(op, "input", input, error) ||
      !checkPositive(op, "weight", weight, error))
    return std::nullopt;
  if (input[1] != weight[0]) {
    error(Twine(op) + ": input has " + Twine(input[1]) +
          " channels but weight expects " + Twine(weight[0]));
    return std::nullopt;
  }
  if (groups < 1 || input[1] % groups != 0) {
    error(Twine(op) + ": groups " + Twine(groups) + " must divide the " +
          Twine(input[1]) + " input channels");
    return std::nullopt;
  }
  int64_t out = weight[1] * groups;
  if (bias && (bias->size() != 1 || (*bias)[0] != out)) {
    error(Twine(op) + ": bias has shape " + str(*bias) + " but there are " +
          Twine(out) + " output channels");
    return std::nullopt;
  }
  if (stride.size() != 2 || padding.size() != 2 || outputPadding.size() != 2 ||
      dilation.size() != 2) {
    error(Twine(op) + ": stride, padding, output_padding and dilation must "
                      "be (h, w) pairs");
    return std::nullopt;
  }
  Shape result{input[0], out, 0, 0};
  for (int d = 0; d < 2; ++d) {
    if (stride[d] < 1 || dilation[d] < 1 || padding[d] < 0 ||
        stride[d] > kMaxWindow || dilation[d] > kMaxWindow ||
        padding[d] > kMaxWindow) {
      error(Twine(op) + ": stride " + pair(stride) + " and dilation " +
            pair(dilation) + " must be positive and padding " +
            pair(padding) + " non-negative");
      return std::nullopt;
    }
    // PyTorch's rule: less than either the stride or the dilation.
    if (outputPadding[d] < 0 ||
        outputPadding[d] >= std::max(stride[d], dilation[d])) {
      error(Twine(op) + ": output_padding " + pair(outputPadding) +
            " must be non-negative and less than either the stride " +
            pair(stride) + " or the dilation " + pair(dilation));
      return std::nullopt;
    }
    result[2 + d] = (input[2 + d] - 1) * stride[d] - 2 * padding[d] +
                    dilation[d] * (weight[2 + d] - 1) + outputPadding[d] + 1;
    if (result[2 + d] < 1) {
      error(Twine(op) + ": the padding " + pair(padding) +
            " leaves no output (" + Twine(result[2 + d]) + " positions)");
      return std::nullopt;
    }
  }
  return addressableResult(op, result, error);
}

std::optional<shapes::Shape> shapes::pad2d(ArrayRef<int64_t> input,
                                           ArrayRef<int64_t> padding,
                                           ErrorFn error) {
  if (input.size() < 2) {
    error("pad2d: input must have at least 2 dimensions, got " + str(input));
    return std::nullopt;
  }
  if (!checkPositive("pad2d", "input", input, error))
    return std::nullopt;
  if (padding.size() != 4) {
    error("pad2d: padding must be (left, right, top, bottom), got " +
          Twine(padding.size()) + " values");
    return std::nullopt;
  }
  for (int64_t p : padding)
    if (p > kMaxWindow || p < -kMaxWindow) {
      error("pad2d: padding " + Twine(p) + " is larger than " +
            Twine(kMaxWindow));
      return std::nullopt;
    }
  Shape result(input.begin(), input.end());
  size_t h = input.size() - 2, w = input.size() - 1;
  result[h] += padding[2] + padding[3];
  result[w] += padding[0] + padding[1];
  if (result[h] < 1 || result[w] < 1) {
    error("pad2d: padding (" + Twine(padding[0]) + ", " + Twine(padding[1]) +
          ", " + Twine(padding[2]) + ", " + Twine(padding[3]) +
          ") leaves no output: input " + str(input) + " would become " +
          str(result));
    return std::nullopt;
  }
  return addressableResult("pad2d", result, error);
}

std::optional<shapes::Shape> shapes::cat(ArrayRef<Shape> inputs, int64_t dim,
                                         ErrorFn error) {
  if (inputs.size() < 2) {
    error("cat: needs two or more inputs, got " + Twine(inputs.size()));
    return std::nullopt;
  }
  Shape result = inputs[0];
  for (size_t k = 1; k < inputs.size(); ++k) {
    const Shape &in = inputs[k];
    bool agree = in.size() == result.size();
    for (size_t d = 0; agree && d < in.size(); ++d)
      agree = int64_t(d) == dim || in[d] == result[d];
    if (!agree) {
      error("cat: input " + Twine(k) + " has shape " + str(in) +
            " but input 0 has shape " + str(inputs[0]) +
            "; they must agree in every dimension but " + Twine(dim));
      return std::nullopt;
    }
    result[dim] += in[dim];
  }
  return addressableResult("cat", result, error);
}

std::optional<shapes::Shape>
shapes::adaptivePool2d(llvm::StringRef layer, ArrayRef<int64_t> input,
                       ArrayRef<int64_t> outputSize, ErrorFn error) {
  if (input.size() != 4) {
    error(layer + ": input must be 4-D [N, C, H, W], got " + str(input));
    return std::nullopt;
  }
  if (!checkPositive(layer, "input", input, error))
    return std::nullopt;
  if (outputSize.size() != 2 || outputSize[0] < 1 || outputSize[1] < 1 ||
      outputSize[0] > kMaxWindow || outputSize[1] > kMaxWindow) {
    error(layer + ": output_size must be a pair of positive integers, got " +
          (outputSize.size() == 2 ? pair(outputSize) : str(outputSize)));
    return std::nullopt;
  }
  return addressableResult(
      layer, Shape{input[0], input[1], outputSize[0], outputSize[1]}, error);
}

std::optional<shapes::Shape> shapes::flatten(ArrayRef<int64_t> input,
                                             int64_t startDim, int64_t endDim,
                                             ErrorFn error) {
  int64_t rank = input.size();
  if (rank == 0) {
    error("flatten: input must have at least 1 dimension, got " + str(input));
    return std::nullopt;
  }
  auto normalize = [&](const char *name, int64_t d) -> std::optional<int64_t> {
    if (d < -rank || d >= rank) {
      error("flatten: " + Twine(name) + " " + Twine(d) +
            " is out of range for the " + Twine(rank) + "-d input " +
            str(input) + " (expected " + Twine(-rank) + " to " +
            Twine(rank - 1) + ")");
      return std::nullopt;
    }
    return d < 0 ? d + rank : d;
  };
  auto start = normalize("start_dim", startDim);
  if (!start)
    return std::nullopt;
  auto end = normalize("end_dim", endDim);
  if (!end)
    return std::nullopt;
  if (*start > *end) {
    error("flatten: start_dim " + Twine(startDim) + " comes after end_dim " +
          Twine(endDim) + " for the " + Twine(rank) + "-d input " + str(input));
    return std::nullopt;
  }
  if (!checkPositive("flatten", "input", input, error))
    return std::nullopt;
  Shape result(input.begin(), input.begin() + *start);
  result.push_back(numElements(input.slice(*start, *end - *start + 1)));
  result.append(input.begin() + *end + 1, input.end());
  return result;
}

std::optional<shapes::Shape>
shapes::linear(ArrayRef<int64_t> input, ArrayRef<int64_t> weight,
               std::optional<ArrayRef<int64_t>> bias, ErrorFn error) {
  if (input.empty()) {
    error("linear: input must have at least 1 dimension [..., in_features], "
          "got " + str(input));
    return std::nullopt;
  }
  if (weight.size() != 2) {
    error("linear: weight must be 2-D [out_features, in_features], got " +
          str(weight));
    return std::nullopt;
  }
  if (input.back() != weight[1]) {
    error("linear: input has " + Twine(input.back()) +
          " features (its last dimension) but weight expects " +
          Twine(weight[1]));
    return std::nullopt;
  }
  if (bias && (bias->size() != 1 || (*bias)[0] != weight[0])) {
    error("linear: bias has shape " + str(*bias) + " but weight has " +
          Twine(weight[0]) + " output features (expected [" +
          Twine(weight[0]) + "])");
    return std::nullopt;
  }
  Shape result(input.begin(), input.end() - 1);
  result.push_back(weight[0]);
  return addressableResult("linear", result, error);
}

std::optional<shapes::Shape> shapes::sameShape(llvm::StringRef op,
                                               ArrayRef<int64_t> lhs,
                                               ArrayRef<int64_t> rhs,
                                               ErrorFn error) {
  if (lhs != rhs) {
    error(op + ": operand shapes differ: " + str(lhs) + " and " + str(rhs));
    return std::nullopt;
  }
  return Shape(lhs.begin(), lhs.end());
}

std::optional<shapes::Shape> shapes::pointwiseLoss(llvm::StringRef op,
                                                   ArrayRef<int64_t> input,
                                                   ArrayRef<int64_t> target,
                                                   ErrorFn error) {
  if (input != target) {
    error(op + ": prediction has shape " + str(input) +
          " but target has shape " + str(target));
    return std::nullopt;
  }
  return Shape{};
}

std::optional<shapes::Shape> shapes::classLoss(llvm::StringRef op,
                                               ArrayRef<int64_t> input,
                                               ArrayRef<int64_t> target,
                                               ErrorFn error) {
  if (input.size() != 2) {
    error(op + ": input must be 2-D [N, classes], got " + str(input));
    return std::nullopt;
  }
  if (target.size() != 1 || target[0] != input[0]) {
    error(op + ": target must be [" + Twine(input[0]) +
          "] (one class index per batch element), got " + str(target));
    return std::nullopt;
  }
  return Shape{};
}

std::optional<int64_t> shapes::dimension(llvm::StringRef layer,
                                         ArrayRef<int64_t> input, int64_t dim,
                                         ErrorFn error) {
  int64_t rank = input.size();
  if (rank == 0 || dim < -rank || dim >= rank) {
    std::string range =
        rank == 0 ? std::string(" (it has no dimensions)")
                  : " (expected " + std::to_string(-rank) + " to " +
                        std::to_string(rank - 1) + ")";
    error(layer + ": dim " + Twine(dim) + " is out of range for the " +
          Twine(rank) + "-d input " + str(input) + range);
    return std::nullopt;
  }
  return dim < 0 ? dim + rank : dim;
}
