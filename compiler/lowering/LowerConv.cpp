//===- LowerConv.cpp - conv2d and its gradients to linalg -----------------===//
//
// All three convolutions of a training step become linalg.conv_2d_nhwc_hwcf
// on channels-last data, so that the one tiled and vectorized schedule of
// that op (docs/pipeline.md) serves forward, input gradient and weight
// gradient alike; transposes convert from and to PyTorch's layouts at the
// op's boundary.
//
//===----------------------------------------------------------------------===//

#include "compiler/lowering/LinalgHelpers.h"
#include "compiler/lowering/LoweringInterface.h"

#include "dialect/TcnnOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::tcnn;
using namespace tcnnc::lowering;
using mlir::tcnn::BiasGradOp;
using mlir::tcnn::Conv2dInputGradOp;
using mlir::tcnn::Conv2dOp;
using mlir::tcnn::Conv2dWeightGradOp;
using utils::IteratorType;

namespace {

constexpr IteratorType par = IteratorType::parallel;
constexpr IteratorType red = IteratorType::reduction;

/// PyTorch's layouts at the op's boundary, channels-last inside: the
/// vectorized convolution reads a row of input channels and a row of
/// output channels contiguously. Every convolution of the step (forward,
/// input gradient, weight gradient) becomes this one op so that one fast
/// path serves all three.
Value convNhwc(OpBuilder &b, Location loc, Value image, Value filter,
               Value init, ArrayRef<int64_t> strides,
               ArrayRef<int64_t> dilations) {
  return b
      .create<linalg::Conv2DNhwcHwcfOp>(
          loc, TypeRange{init.getType()}, ValueRange{image, filter},
          ValueRange{init}, i64Pair(b, strides), i64Pair(b, dilations))
      ->getResult(0);
}

/// x [N, C, H, W] permuted by `perm` so that H and W land in dimensions 1
/// and 2, and zero-padded there: the "image" of a channels-last conv.
Value paddedImage(OpBuilder &b, Location loc, Value x, ArrayRef<int64_t> perm,
                  ArrayRef<int64_t> pad) {
  Value t = transpose(b, loc, x, perm);
  return padDims(b, loc, t, {0, pad[0], pad[1], 0}, {0, pad[0], pad[1], 0},
                 f32(b, loc, 0.0));
}

/// y = conv(x, w) + b: x [N,C,H,W] -> padded NHWC, w [F,C,KH,KW] -> HWCF,
/// the bias broadcast as the accumulator's initial value, the NHWF result
/// transposed back to NCHW.
Value lowerConv2d(Conv2dOp op, OpBuilder &b) {
  Location loc = op.getLoc();
  auto type = op.getType();
  Value x = paddedImage(b, loc, op.getInput(), {0, 2, 3, 1}, op.getPadding());
  Value w = transpose(b, loc, op.getWeight(), {2, 3, 1, 0});
  ArrayRef<int64_t> s = type.getShape();
  auto nhwf = RankedTensorType::get({s[0], s[2], s[3], s[1]}, b.getF32Type());
  Value init = biasInit(b, loc, op.getBias(), nhwf, /*channelDim=*/3);
  Value y = convNhwc(b, loc, x, w, init, op.getStride(), {1, 1});
  return transpose(b, loc, y, {0, 3, 1, 2});
}

/// One output phase of a strided input gradient along one spatial axis:
/// the input positions y = u * s + r - p (u0 <= u < u0 + count), which
/// only kernel taps a = r + t * s (t < taps) reach, from dy rows
/// u - t; `base` = u0 - (taps - 1) is the first dy row the phase reads.
struct Phase {
  int64_t r, taps, u0, count, base;
};

/// The phase of remainder `r` for stride `s`, kernel `k`, padding `p` and
/// `in` input positions; none when no tap or no position falls in it.
std::optional<Phase> phaseOf(int64_t r, int64_t s, int64_t k, int64_t p,
                             int64_t in) {
  Phase ph;
  ph.r = r;
  ph.taps = r < k ? (k - r + s - 1) / s : 0;
  // The first u with u * s + r - p >= 0 (r < s, so it is never negative)
  // and the last with u * s + r - p < in.
  ph.u0 = p - r > 0 ? (p - r + s - 1) / s : 0;
  int64_t last = in - 1 + p - r;
  if (ph.taps == 0 || last < 0)
    return std::nullopt;
  ph.count = last / s - ph.u0 + 1;
  ph.base = ph.u0 - (ph.taps - 1);
  if (ph.count <= 0)
    return std::nullopt;
  return ph;
}

/// dx of a convolution, by phases (sub-pixel): dx[y] = sum over t of
/// dy[u - t] * w[r + t s] for y + p = u s + r, so each of the s_h x s_w
/// phases (r_h, r_w) of dx is a stride-1 convolution of a zero-padded
/// window of dy (NHWC) with a sub-kernel of ceil((k - r) / s) taps per
/// axis, flipped, and its channels swapped. Dilating dy by the stride and
/// convolving with the whole kernel would compute the same sums with
/// (s^2 - 1) / s^2 of the products on inserted zeros. Each phase lands in
/// dx through a strided insert; at stride 1 the one phase is all of dx: dy
/// padded by k - 1 - p, convolved with the flipped kernel.
Value lowerConv2dInputGrad(Conv2dInputGradOp op, OpBuilder &b) {
  Location loc = op.getLoc();
  auto type = op.getType();
  ArrayRef<int64_t> s = op.getStride(), pad = op.getPadding();
  auto wType = cast<RankedTensorType>(op.getWeight().getType());
  auto dyType = cast<RankedTensorType>(op.getOutputGrad().getType());
  int64_t n = type.getDimSize(0), c = type.getDimSize(1);
  int64_t o = wType.getDimSize(0);
  int64_t k[2] = {wType.getDimSize(2), wType.getDimSize(3)};
  int64_t in[2] = {type.getDimSize(2), type.getDimSize(3)};
  int64_t out[2] = {dyType.getDimSize(2), dyType.getDimSize(3)};
  MLIRContext *ctx = b.getContext();

  Value dy = transpose(b, loc, op.getOutputGrad(), {0, 2, 3, 1});
  // dx's zeros, made when a phase first needs them.
  Value dx;
  auto dxOrZeros = [&] {
    return dx ? dx : zeros(b, loc, {n, in[0], in[1], c});
  };
  for (int64_t rh = 0; rh < s[0]; ++rh) {
    std::optional<Phase> ph = phaseOf(rh, s[0], k[0], pad[0], in[0]);
    if (!ph)
      continue;
    for (int64_t rw = 0; rw < s[1]; ++rw) {
      std::optional<Phase> pw = phaseOf(rw, s[1], k[1], pad[1], in[1]);
      if (!pw)
        continue;
      Phase phase[2] = {*ph, *pw};
      // D: the dy window of the phase, zero where it leaves dy.
      SmallVector<int64_t> lo(2), hi(2), dSize(2);
      bool empty = false;
      for (int d = 0; d < 2; ++d) {
        dSize[d] = phase[d].count + phase[d].taps - 1;
        lo[d] = std::max<int64_t>(0, -phase[d].base);
        hi[d] = std::min(dSize[d], out[d] - phase[d].base);
        empty |= hi[d] <= lo[d];
      }
      if (empty)
        continue;
      auto windowType = RankedTensorType::get(
          {n, hi[0] - lo[0], hi[1] - lo[1], o}, b.getF32Type());
      Value window = b.create<tensor::ExtractSliceOp>(
          loc, windowType, dy,
          indexAttrs(b, {0, lo[0] + phase[0].base, lo[1] + phase[1].base, 0}),
          indexAttrs(b, {n, hi[0] - lo[0], hi[1] - lo[1], o}),
          indexAttrs(b, {1, 1, 1, 1}));
      Value d = padDims(b, loc, window, {0, lo[0], lo[1], 0},
                        {0, dSize[0] - hi[0], dSize[1] - hi[1], 0},
                        f32(b, loc, 0.0));
      // g[t, u, o, c] = w[o, c, rh + (taps_h - 1 - t) s_h, ...]: the
      // phase's taps, flipped.
      AffineExpr et, eu, eo, ec;
      bindDims(ctx, et, eu, eo, ec);
      auto gType = RankedTensorType::get(
          {phase[0].taps, phase[1].taps, o, c}, b.getF32Type());
      Value g = generic(
          b, loc, gType, {op.getWeight()}, nullptr,
          {AffineMap::get(4, 0,
                          {eo, ec,
                           rh + (phase[0].taps - 1) * s[0] - et * s[0],
                           rw + (phase[1].taps - 1) * s[1] - eu * s[1]},
                          ctx),
           AffineMap::getMultiDimIdentityMap(4, ctx)},
          {par, par, par, par},
          [](OpBuilder &, Location, ValueRange a) { return a[0]; });
      Value z = convNhwc(
          b, loc, d, g, zeros(b, loc, {n, phase[0].count, phase[1].count, c}),
          {1, 1}, {1, 1});
      if (phase[0].count == in[0] && phase[1].count == in[1])
        return transpose(b, loc, z, {0, 3, 1, 2});
      dx = b.create<tensor::InsertSliceOp>(
          loc, z, dxOrZeros(),
          indexAttrs(b, {0, phase[0].u0 * s[0] + rh - pad[0],
                         phase[1].u0 * s[1] + rw - pad[1], 0}),
          indexAttrs(b, {n, phase[0].count, phase[1].count, c}),
          indexAttrs(b, {1, s[0], s[1], 1}));
    }
  }
  return transpose(b, loc, dxOrZeros(), {0, 3, 1, 2});
}

/// dw[o, c, p, q] = sum over n, i, j of dy[n, o, i, j] * x_pad[n, c, i*sh+p,
/// j*sw+q]: the same convolution with the roles swapped. The "image" is
/// x_pad laid out [c, h, w, n], the "filter" dy laid out [i, j, n, o], the
/// stride becomes a dilation, and the [c, kh, kw, o] result is transposed
/// to [o, c, kh, kw].
Value lowerConv2dWeightGrad(Conv2dWeightGradOp op, OpBuilder &b) {
  Location loc = op.getLoc();
  auto type = op.getType();
  Value x = paddedImage(b, loc, op.getInput(), {1, 2, 3, 0}, op.getPadding());
  Value dy = transpose(b, loc, op.getOutputGrad(), {2, 3, 0, 1});
  ArrayRef<int64_t> w = type.getShape();
  Value dw = convNhwc(b, loc, x, dy, zeros(b, loc, {w[1], w[2], w[3], w[0]}),
                      {1, 1}, op.getStride());
  return transpose(b, loc, dw, {3, 0, 1, 2});
}

/// db[o] = sum of dy over every dimension but 1. With spatial dimensions
/// whose size a vector width divides, dy [N, O, S...] is viewed as
/// [N, O, S/l, l] and summed in two steps: first into l lanes per channel
/// ([O, l]: the lane is a parallel loop, so the sum is one vector
/// accumulator per channel and plain vector adds, where a sum along the
/// row would be a horizontal reduction per row), then over the lanes.
Value lowerBiasGrad(BiasGradOp op, OpBuilder &b) {
  Location loc = op.getLoc();
  auto dyType = cast<RankedTensorType>(op.getOutputGrad().getType());
  unsigned rank = dyType.getRank();
  int64_t spatial = 1;
  for (unsigned d = 2; d < rank; ++d)
    spatial *= dyType.getDimSize(d);
  int64_t lanes = 0;
  if (rank > 2)
    for (int64_t l : {16, 8, 4})
      if (spatial % l == 0) {
        lanes = l;
        break;
      }
  auto add = [](OpBuilder &nb, Location l, ValueRange a) {
    return nb.create<arith::AddFOp>(l, a[1], a[0]).getResult();
  };
  if (lanes == 0) {
    SmallVector<IteratorType> iterators(rank, red);
    iterators[1] = par;
    AffineMap out = AffineMap::get(rank, 0, b.getAffineDimExpr(1));
    return generic(b, loc, op.getType(), {op.getOutputGrad()},
                   zeros(b, loc, op.getType().getShape()),
                   {b.getMultiDimIdentityMap(rank), out}, iterators, add);
  }
  int64_t n = dyType.getDimSize(0), o = dyType.getDimSize(1);
  ReassociationIndices rest;
  for (unsigned d = 2; d < rank; ++d)
    rest.push_back(d);
  Value flat = b.create<tensor::CollapseShapeOp>(
      loc, RankedTensorType::get({n, o, spatial}, b.getF32Type()),
      op.getOutputGrad(), ArrayRef<ReassociationIndices>{{0}, {1}, rest});
  Value split = b.create<tensor::ExpandShapeOp>(
      loc, RankedTensorType::get({n, o, spatial / lanes, lanes}, b.getF32Type()),
      flat, ArrayRef<ReassociationIndices>{{0}, {1}, {2, 3}});
  // Loops (channel, image, row, lane): the channel outermost keeps one
  // accumulator in a register across every image and row.
  MLIRContext *ctx = b.getContext();
  AffineExpr c, m, r, v;
  bindDims(ctx, c, m, r, v);
  Value partial = generic(
      b, loc, RankedTensorType::get({o, lanes}, b.getF32Type()), {split},
      zeros(b, loc, {o, lanes}),
      {AffineMap::get(4, 0, {m, c, r, v}, ctx), AffineMap::get(4, 0, {c, v}, ctx)},
      {par, red, red, par}, add);
  return generic(b, loc, op.getType(), {partial},
                 zeros(b, loc, op.getType().getShape()),
                 {b.getMultiDimIdentityMap(2), AffineMap::get(2, 0, {c}, ctx)},
                 {par, red}, add);
}

/// 2 x (elements of the forward output) x (c_in kh kw), for all three.
int64_t convFlops(Value output, Value weight) {
  auto y = cast<ShapedType>(output.getType());
  ArrayRef<int64_t> w = cast<ShapedType>(weight.getType()).getShape();
  return 2 * y.getNumElements() * w[1] * w[2] * w[3];
}
int64_t conv2dFlops(Conv2dOp op) {
  return convFlops(op.getResult(), op.getWeight());
}
int64_t conv2dInputGradFlops(Conv2dInputGradOp op) {
  return convFlops(op.getOutputGrad(), op.getWeight());
}
int64_t conv2dWeightGradFlops(Conv2dWeightGradOp op) {
  return convFlops(op.getOutputGrad(), op.getResult());
}

/// One addition per element of dy.
int64_t biasGradFlops(BiasGradOp op) {
  return cast<ShapedType>(op.getOutputGrad().getType()).getNumElements();
}

} // namespace

void tcnnc::lowering::registerConvLowerings(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *ctx, TcnnDialect *) {
    Conv2dOp::attachInterface<
        FnLowering<Conv2dOp, lowerConv2d, conv2dFlops>>(*ctx);
    Conv2dInputGradOp::attachInterface<FnLowering<
        Conv2dInputGradOp, lowerConv2dInputGrad, conv2dInputGradFlops>>(*ctx);
    Conv2dWeightGradOp::attachInterface<
        FnLowering<Conv2dWeightGradOp, lowerConv2dWeightGrad,
                   conv2dWeightGradFlops>>(*ctx);
    BiasGradOp::attachInterface<
        FnLowering<BiasGradOp, lowerBiasGrad, biasGradFlops>>(*ctx);
  });
}
