//===- ActivationKernels.cpp - sigmoid, tanh, elu, gelu, softmax ----------===//
//
// Each activation and its derivative as a function of one double; the
// forward kernel maps the first, the backward kernel multiplies the
// upstream gradient by the second at the forward input.
//
//===----------------------------------------------------------------------===//

#include "compiler/interpreter/KernelInterface.h"
#include "dialect/TcnnOps.h"

#include <cmath>

using namespace tcnnc;

namespace {
using namespace mlir::tcnn;

/// sigmoid(x) = 1 / (1 + e^-x).
double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }
double sigmoidDerivative(double x) {
  double s = sigmoid(x);
  return s * (1.0 - s);
}
double tanhDerivative(double x) {
  double t = std::tanh(x);
  return 1.0 - t * t;
}
/// Phi(x), the standard normal distribution function.
double normalCdf(double x) { return 0.5 * (1.0 + std::erf(x / std::sqrt(2.0))); }
double normalPdf(double x) {
  return std::exp(-0.5 * x * x) / std::sqrt(2.0 * M_PI);
}
double gelu(double x) { return x * normalCdf(x); }
double geluDerivative(double x) { return normalCdf(x) + x * normalPdf(x); }
/// PyTorch's approximate='tanh': x / 2 (1 + tanh(u)),
/// u = sqrt(2 / pi) (x + 0.044715 x^3).
constexpr double kGeluCubic = 0.044715;
double geluTanh(double x) {
  double u = std::sqrt(2.0 / M_PI) * (x + kGeluCubic * x * x * x);
  return 0.5 * x * (1.0 + std::tanh(u));
}
double geluTanhDerivative(double x) {
  double k = std::sqrt(2.0 / M_PI);
  double t = std::tanh(k * (x + kGeluCubic * x * x * x));
  return 0.5 * (1.0 + t) +
         0.5 * x * (1.0 - t * t) * k * (1.0 + 3.0 * kGeluCubic * x * x);
}

/// y = f(x) elementwise.
template <typename OpT>
Tensor mapInput(OpT op, ValueLookup in, llvm::function_ref<double(double)> f) {
  Tensor y = in(op.getInput());
  for (double &v : y.data)
    v = f(v);
  return y;
}

/// dx = dy * f'(x) elementwise.
template <typename OpT>
Tensor scaleGrad(OpT op, ValueLookup in,
                 llvm::function_ref<double(double)> derivative) {
  const Tensor &x = in(op.getInput());
  Tensor dx = in(op.getOutputGrad());
  for (int64_t i = 0; i < dx.size(); ++i)
    dx.data[i] *= derivative(x.data[i]);
  return dx;
}

Tensor evalSigmoid(SigmoidOp o, ValueLookup in) {
  return mapInput(o, in, sigmoid);
}
Tensor evalSigmoidGrad(SigmoidGradOp o, ValueLookup in) {
  return scaleGrad(o, in, sigmoidDerivative);
}
Tensor evalTanh(TanhOp o, ValueLookup in) {
  return mapInput(o, in, [](double x) { return std::tanh(x); });
}
Tensor evalTanhGrad(TanhGradOp o, ValueLookup in) {
  return scaleGrad(o, in, tanhDerivative);
}
Tensor evalGelu(GeluOp o, ValueLookup in) {
  return mapInput(o, in, o.getApproximate() == "tanh" ? geluTanh : gelu);
}
Tensor evalGeluGrad(GeluGradOp o, ValueLookup in) {
  return scaleGrad(o, in,
                   o.getApproximate() == "tanh" ? geluTanhDerivative
                                                : geluDerivative);
}
/// y = x > 0 ? x : alpha (e^x - 1).
Tensor evalElu(EluOp o, ValueLookup in) {
  double alpha = o.getAlpha().convertToDouble();
  return mapInput(o, in, [alpha](double x) {
    return x > 0 ? x : alpha * std::expm1(x);
  });
}
/// dx = dy * (x > 0 ? 1 : alpha e^x).
Tensor evalEluGrad(EluGradOp o, ValueLookup in) {
  double alpha = o.getAlpha().convertToDouble();
  return scaleGrad(o, in, [alpha](double x) {
    return x > 0 ? 1.0 : alpha * std::exp(x);
  });
}

/// The elements of `shape` as lines along `dim`: `outer` lines before it,
/// `inner` after it; element k of line (o, i) is at (o * n + k) * inner + i.
struct Lines {
  int64_t outer = 1, n, inner = 1;
  Lines(const std::vector<int64_t> &shape, int64_t dim) : n(shape[dim]) {
    for (int64_t d = 0; d < dim; ++d)
      outer *= shape[d];
    for (size_t d = dim + 1; d < shape.size(); ++d)
      inner *= shape[d];
  }
  /// Calls f(offset of element 0, stride) once per line.
  template <typename F> void each(F f) const {
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t i = 0; i < inner; ++i)
        f(o * n * inner + i, inner);
  }
};

/// y = exp(x - max) / sum exp(x - max) along dim (log: x - max - log sum).
Tensor softmax(const Tensor &x, int64_t dim, bool log) {
  Tensor y(x.shape);
  Lines lines(x.shape, dim);
  lines.each([&](int64_t at, int64_t stride) {
    double max = -INFINITY, sum = 0;
    for (int64_t k = 0; k < lines.n; ++k)
      max = std::max(max, x.data[at + k * stride]);
    for (int64_t k = 0; k < lines.n; ++k)
      sum += std::exp(x.data[at + k * stride] - max);
    for (int64_t k = 0; k < lines.n; ++k) {
      double v = x.data[at + k * stride] - max;
      y.data[at + k * stride] = log ? v - std::log(sum) : std::exp(v) / sum;
    }
  });
  return y;
}

Tensor evalSoftmax(SoftmaxOp o, ValueLookup in) {
  return softmax(in(o.getInput()), o.getDim(), /*log=*/false);
}
Tensor evalLogSoftmax(LogSoftmaxOp o, ValueLookup in) {
  return softmax(in(o.getInput()), o.getDim(), /*log=*/true);
}
/// dx = y (dy - sum dy y) along dim.
Tensor evalSoftmaxGrad(SoftmaxGradOp o, ValueLookup in) {
  const Tensor &y = in(o.getOutput());
  Tensor dx = in(o.getOutputGrad());
  Lines lines(y.shape, o.getDim());
  lines.each([&](int64_t at, int64_t stride) {
    double dot = 0;
    for (int64_t k = 0; k < lines.n; ++k)
      dot += dx.data[at + k * stride] * y.data[at + k * stride];
    for (int64_t k = 0; k < lines.n; ++k) {
      double &d = dx.data[at + k * stride];
      d = y.data[at + k * stride] * (d - dot);
    }
  });
  return dx;
}
/// dx = dy - exp(y) sum dy along dim.
Tensor evalLogSoftmaxGrad(LogSoftmaxGradOp o, ValueLookup in) {
  const Tensor &y = in(o.getOutput());
  Tensor dx = in(o.getOutputGrad());
  Lines lines(y.shape, o.getDim());
  lines.each([&](int64_t at, int64_t stride) {
    double sum = 0;
    for (int64_t k = 0; k < lines.n; ++k)
      sum += dx.data[at + k * stride];
    for (int64_t k = 0; k < lines.n; ++k)
      dx.data[at + k * stride] -= std::exp(y.data[at + k * stride]) * sum;
  });
  return dx;
}
} // namespace

void tcnnc::registerActivationKernels(mlir::DialectRegistry &registry) {
  registry.addExtension(+[](mlir::MLIRContext *ctx, TcnnDialect *) {
    SigmoidOp::attachInterface<FnKernel<SigmoidOp, evalSigmoid>>(*ctx);
    SigmoidGradOp::attachInterface<FnKernel<SigmoidGradOp, evalSigmoidGrad>>(
        *ctx);
    TanhOp::attachInterface<FnKernel<TanhOp, evalTanh>>(*ctx);
    TanhGradOp::attachInterface<FnKernel<TanhGradOp, evalTanhGrad>>(*ctx);
    EluOp::attachInterface<FnKernel<EluOp, evalElu>>(*ctx);
    EluGradOp::attachInterface<FnKernel<EluGradOp, evalEluGrad>>(*ctx);
    GeluOp::attachInterface<FnKernel<GeluOp, evalGelu>>(*ctx);
    GeluGradOp::attachInterface<FnKernel<GeluGradOp, evalGeluGrad>>(*ctx);
    SoftmaxOp::attachInterface<FnKernel<SoftmaxOp, evalSoftmax>>(*ctx);
    SoftmaxGradOp::attachInterface<FnKernel<SoftmaxGradOp, evalSoftmaxGrad>>(
        *ctx);
    LogSoftmaxOp::attachInterface<FnKernel<LogSoftmaxOp, evalLogSoftmax>>(
        *ctx);
    LogSoftmaxGradOp::attachInterface<
        FnKernel<LogSoftmaxGradOp, evalLogSoftmaxGrad>>(*ctx);
  });
}
