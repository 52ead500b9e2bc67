//===- LowerConv.cpp - conv2d and its gradients to linalg -----------------===//
//
// All three convolutions of a training step become linalg.conv_2d_nhwc_hwcf
// on channels-last data (depthwise ones linalg.depthwise_conv_2d_nhwc_hwc,
// other groups one convolution per group), so that the tiled and
// vectorized schedules of those ops (docs/pipeline.md) serve forward,
// input gradient and weight gradient alike; transposes convert from and to
// PyTorch's layouts at the op's boundary.
//
//===----------------------------------------------------------------------===//

#include "compiler/lowering/LinalgHelpers.h"
#include "compiler/lowering/LoweringInterface.h"

#include "dialect/TcnnOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <numeric>

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

/// A convolution's stride, padding, tap spacing and channel groups.
struct Geometry {
  SmallVector<int64_t, 2> stride, pad, dil;
  int64_t groups;

  template <typename OpT>
  static Geometry of(OpT op) {
    return {SmallVector<int64_t, 2>(op.getStride()),
            SmallVector<int64_t, 2>(op.getPadding()),
            SmallVector<int64_t, 2>(op.getDilation()),
            static_cast<int64_t>(op.getGroups())};
  }
  /// One input and one output channel per group (groups = C_in = C_out):
  /// a depthwise convolution, linalg's own op.
  bool isDepthwise(int64_t inChannels, int64_t outChannels) const {
    return groups > 1 && groups == inChannels && groups == outChannels;
  }
  /// A dense 1x1 convolution at stride 1 without padding (weight `w`
  /// [O, C, 1, 1]): every pixel is a row of a matmul over the channels.
  bool isPointwise(ArrayRef<int64_t> w) const {
    return groups == 1 && w[2] == 1 && w[3] == 1 && stride[0] == 1 &&
           stride[1] == 1 && pad[0] == 0 && pad[1] == 0;
  }
};

/// A channels-last linalg convolution of `image` and `filter` into
/// `init`. PyTorch's layouts stay at the op's boundary, channels-last
/// inside: the vectorized convolution reads a row of input channels and a
/// row of output channels contiguously. Every convolution of the step
/// (forward, input gradient, weight gradient) becomes one of two ops, so
/// that one fast path serves all three.
template <typename ConvOp>
Value channelsLastConv(OpBuilder &b, Location loc, Value image, Value filter,
                       Value init, ArrayRef<int64_t> strides,
                       ArrayRef<int64_t> dilations) {
  return b
      .create<ConvOp>(loc, TypeRange{init.getType()},
                      ValueRange{image, filter}, ValueRange{init},
                      i64Pair(b, strides), i64Pair(b, dilations))
      ->getResult(0);
}

/// The dense form, filter [KH, KW, C, F].
Value convNhwc(OpBuilder &b, Location loc, Value image, Value filter,
               Value init, ArrayRef<int64_t> strides,
               ArrayRef<int64_t> dilations) {
  return channelsLastConv<linalg::Conv2DNhwcHwcfOp>(b, loc, image, filter,
                                                    init, strides, dilations);
}

/// The depthwise form, filter [KH, KW, C]: channel c of the image meets
/// channel c of the filter only. Vectorized along the channels, as the
/// dense one is along the output channels.
Value depthwiseNhwc(OpBuilder &b, Location loc, Value image, Value filter,
                    Value init, ArrayRef<int64_t> strides,
                    ArrayRef<int64_t> dilations) {
  return channelsLastConv<linalg::DepthwiseConv2DNhwcHwcOp>(
      b, loc, image, filter, init, strides, dilations);
}

/// x [N, C, H, W] permuted by `perm` so that H and W land in dimensions 1
/// and 2, and zero-padded there: the "image" of a channels-last conv.
Value paddedImage(OpBuilder &b, Location loc, Value x, ArrayRef<int64_t> perm,
                  ArrayRef<int64_t> pad) {
  Value t = transpose(b, loc, x, perm);
  return padDims(b, loc, t, {0, pad[0], pad[1], 0}, {0, pad[0], pad[1], 0},
                 f32(b, loc, 0.0));
}

RankedTensorType f32Tensor(OpBuilder &b, ArrayRef<int64_t> shape) {
  return RankedTensorType::get(shape, b.getF32Type());
}

/// `count` entries of dimension `dim` of `t` from `offset` on.
Value sliceDim(OpBuilder &b, Location loc, Value t, unsigned dim,
               int64_t offset, int64_t count) {
  auto type = cast<RankedTensorType>(t.getType());
  SmallVector<int64_t> offsets(type.getRank(), 0), sizes(type.getShape()),
      strides(type.getRank(), 1);
  offsets[dim] = offset;
  sizes[dim] = count;
  return b.create<tensor::ExtractSliceOp>(
      loc, f32Tensor(b, sizes), t, indexAttrs(b, offsets), indexAttrs(b, sizes),
      indexAttrs(b, strides));
}

/// `part` written into `whole` from `offset` on along dimension `dim`.
Value insertDim(OpBuilder &b, Location loc, Value part, Value whole,
                unsigned dim, int64_t offset) {
  auto type = cast<RankedTensorType>(part.getType());
  SmallVector<int64_t> offsets(type.getRank(), 0), strides(type.getRank(), 1);
  offsets[dim] = offset;
  return b.create<tensor::InsertSliceOp>(loc, part, whole,
                                         indexAttrs(b, offsets),
                                         indexAttrs(b, type.getShape()),
                                         indexAttrs(b, strides));
}

/// A depthwise weight [C, 1, KH, KW] as linalg's filter [KH, KW, C].
Value depthwiseFilter(OpBuilder &b, Location loc, Value w) {
  ArrayRef<int64_t> s = cast<RankedTensorType>(w.getType()).getShape();
  Value flat = b.create<tensor::CollapseShapeOp>(
      loc, f32Tensor(b, {s[0], s[2], s[3]}), w,
      ArrayRef<ReassociationIndices>{{0, 1}, {2}, {3}});
  return transpose(b, loc, flat, {1, 2, 0});
}

/// x [N, C, H, W] as the matrix of its pixels, [N H W, C] (channels-last,
/// so the transpose cancels against a channels-last producer's).
Value pixelRows(OpBuilder &b, Location loc, Value x) {
  ArrayRef<int64_t> s = cast<RankedTensorType>(x.getType()).getShape();
  return b.create<tensor::CollapseShapeOp>(
      loc, f32Tensor(b, {s[0] * s[2] * s[3], s[1]}),
      transpose(b, loc, x, {0, 2, 3, 1}),
      ArrayRef<ReassociationIndices>{{0, 1, 2}, {3}});
}

/// The matrix of pixel rows `rows` [N H W, C] back as [N, C, H, W] of
/// `type`.
Value fromPixelRows(OpBuilder &b, Location loc, Value rows,
                    RankedTensorType type) {
  ArrayRef<int64_t> s = type.getShape();
  Value nhwc = b.create<tensor::ExpandShapeOp>(
      loc, f32Tensor(b, {s[0], s[2], s[3], s[1]}), rows,
      ArrayRef<ReassociationIndices>{{0, 1, 2}, {3}});
  return transpose(b, loc, nhwc, {0, 3, 1, 2});
}

/// A 1x1 weight [O, C, 1, 1] as the matrix [O, C].
Value weightMatrix(OpBuilder &b, Location loc, Value w) {
  ArrayRef<int64_t> s = cast<RankedTensorType>(w.getType()).getShape();
  return b.create<tensor::CollapseShapeOp>(
      loc, f32Tensor(b, {s[0], s[1]}), w,
      ArrayRef<ReassociationIndices>{{0}, {1, 2, 3}});
}

Value matmul(OpBuilder &b, Location loc, Value lhs, Value rhs, Value init) {
  return b
      .create<linalg::MatmulOp>(loc, TypeRange{init.getType()},
                                ValueRange{lhs, rhs}, ValueRange{init})
      .getResult(0);
}

/// A pointwise convolution as a matmul of pixel rows (Geometry::isPointwise):
/// y [N H W, O] = x [N H W, C] w^T [C, O] + b. Matmuls take the fast path
/// of Linear (an 8 x 32 register block, K whole); the convolution path
/// would see a 1-tap kernel and few input channels per tile.
Value pointwiseConv(OpBuilder &b, Location loc, Value x, Value w, Value bias,
                    RankedTensorType type) {
  ArrayRef<int64_t> s = type.getShape();
  auto rowsType = f32Tensor(b, {s[0] * s[2] * s[3], s[1]});
  Value init = biasInit(b, loc, bias, rowsType);
  Value wT = transpose(b, loc, weightMatrix(b, loc, w), {1, 0});
  return fromPixelRows(b, loc, matmul(b, loc, pixelRows(b, loc, x), wT, init),
                       type);
}

/// y = conv(x, w) + b: x [N,C,H,W] -> padded NHWC, w [F,C/G,KH,KW] -> HWCF,
/// the bias broadcast as the accumulator's initial value, the NHWF result
/// transposed back to NCHW. Depthwise convolutions are linalg's depthwise
/// op; other groups are one dense convolution per group, each on its
/// slice of the channels.
Value lowerConv2d(Conv2dOp op, OpBuilder &b) {
  Location loc = op.getLoc();
  auto type = op.getType();
  Geometry g = Geometry::of(op);
  if (g.isPointwise(op.getWeight().getType().getShape()))
    return pointwiseConv(b, loc, op.getInput(), op.getWeight(), op.getBias(),
                         type);
  Value x = paddedImage(b, loc, op.getInput(), {0, 2, 3, 1}, g.pad);
  Value dense = g.groups == 1
                    ? transpose(b, loc, op.getWeight(), {2, 3, 1, 0})
                    : Value();
  ArrayRef<int64_t> s = type.getShape();
  auto nhwf = f32Tensor(b, {s[0], s[2], s[3], s[1]});
  Value init = biasInit(b, loc, op.getBias(), nhwf, /*channelDim=*/3);
  int64_t inChannels = op.getInput().getType().getDimSize(1);
  Value y;
  if (dense) {
    y = convNhwc(b, loc, x, dense, init, g.stride, g.dil);
  } else if (g.isDepthwise(inChannels, s[1])) {
    y = depthwiseNhwc(b, loc, x, depthwiseFilter(b, loc, op.getWeight()),
                      init, g.stride, g.dil);
  } else {
    int64_t cg = inChannels / g.groups, og = s[1] / g.groups;
    y = init;
    for (int64_t k = 0; k < g.groups; ++k) {
      Value w = transpose(
          b, loc, sliceDim(b, loc, op.getWeight(), 0, k * og, og),
          {2, 3, 1, 0});
      Value part =
          convNhwc(b, loc, sliceDim(b, loc, x, 3, k * cg, cg), w,
                   sliceDim(b, loc, init, 3, k * og, og), g.stride, g.dil);
      y = insertDim(b, loc, part, y, 3, k * og);
    }
  }
  return transpose(b, loc, y, {0, 3, 1, 2});
}

/// One output phase of a strided input gradient along one spatial axis.
/// Input position y (padded: y + p) is reached by tap a from dy row i when
/// y + p = i s + a d. Writing y + p = u s + r (0 <= r < s), the taps of
/// phase r are those with a d = r (mod s): a = a0 + t * step for t < taps,
/// step = s / gcd(s, d); tap a0 + t step reads dy row u - m0 - t * dil with
/// dil = d / gcd(s, d). So each phase is a stride-1 convolution of dy
/// with dilation `dil` and the phase's taps, flipped. It covers
/// u0 <= u < u0 + count; `base` is the first dy row it reads.
struct Phase {
  int64_t r, a0, step, taps, m0, dil, u0, count, base;
};

/// The phase of remainder `r` for stride `s`, dilation `d`, kernel `k`,
/// padding `p` and `in` input positions; none when no tap or no position
/// falls in it.
std::optional<Phase> phaseOf(int64_t r, int64_t s, int64_t d, int64_t k,
                             int64_t p, int64_t in) {
  Phase ph;
  ph.r = r;
  int64_t g = std::gcd(s, d);
  ph.step = s / g;
  ph.dil = d / g;
  // The first tap a with a d = r (mod s), if any below the step.
  ph.a0 = -1;
  for (int64_t a = 0; a < std::min(k, ph.step); ++a)
    if ((a * d) % s == r) {
      ph.a0 = a;
      break;
    }
  if (ph.a0 < 0)
    return std::nullopt;
  ph.taps = (k - ph.a0 + ph.step - 1) / ph.step;
  ph.m0 = (ph.a0 * d - r) / s;
  // The first u with u * s + r - p >= 0 and the last with u s + r - p < in.
  ph.u0 = p - r > 0 ? (p - r + s - 1) / s : 0;
  int64_t last = in - 1 + p - r;
  if (last < 0)
    return std::nullopt;
  ph.count = last / s - ph.u0 + 1;
  ph.base = ph.u0 - ph.m0 - (ph.taps - 1) * ph.dil;
  if (ph.count <= 0)
    return std::nullopt;
  return ph;
}

/// dx (NHWC, [n, in_h, in_w, c]) of a convolution from dy (NHWC) and the
/// weight w [O, C/G, KH, KW], by phases (sub-pixel): each of the s_h x s_w
/// phases (r_h, r_w) of dx is a stride-1 convolution of a zero-padded
/// window of dy with the phase's taps, flipped, and its channels swapped
/// (or kept, for a depthwise convolution). Dilating dy by the stride and
/// convolving with the whole kernel would compute the same sums with
/// (s^2 - 1) / s^2 of the products on inserted zeros. Each phase lands in
/// dx through a strided insert; at stride 1 the one phase is all of dx:
/// dy padded by d (k - 1) - p, convolved with the flipped kernel.
Value inputGradNhwc(OpBuilder &b, Location loc, Value dy, Value weight,
                    ArrayRef<int64_t> dxShape, const Geometry &geom,
                    bool depthwise) {
  ArrayRef<int64_t> s = geom.stride, pad = geom.pad, dil = geom.dil;
  auto wType = cast<RankedTensorType>(weight.getType());
  auto dyType = cast<RankedTensorType>(dy.getType());
  int64_t n = dxShape[0], c = dxShape[3];
  int64_t o = wType.getDimSize(0);
  int64_t k[2] = {wType.getDimSize(2), wType.getDimSize(3)};
  int64_t in[2] = {dxShape[1], dxShape[2]};
  int64_t out[2] = {dyType.getDimSize(1), dyType.getDimSize(2)};
  MLIRContext *ctx = b.getContext();

  // dx's zeros, made when a phase first needs them.
  Value dx;
  auto dxOrZeros = [&] {
    return dx ? dx : zeros(b, loc, {n, in[0], in[1], c});
  };
  for (int64_t rh = 0; rh < s[0]; ++rh) {
    std::optional<Phase> ph = phaseOf(rh, s[0], dil[0], k[0], pad[0], in[0]);
    if (!ph)
      continue;
    for (int64_t rw = 0; rw < s[1]; ++rw) {
      std::optional<Phase> pw = phaseOf(rw, s[1], dil[1], k[1], pad[1], in[1]);
      if (!pw)
        continue;
      Phase phase[2] = {*ph, *pw};
      // D: the dy window of the phase, zero where it leaves dy.
      SmallVector<int64_t> lo(2), hi(2), dSize(2);
      bool empty = false;
      for (int d = 0; d < 2; ++d) {
        dSize[d] = phase[d].count + (phase[d].taps - 1) * phase[d].dil;
        lo[d] = std::max<int64_t>(0, -phase[d].base);
        hi[d] = std::min(dSize[d], out[d] - phase[d].base);
        empty |= hi[d] <= lo[d];
      }
      if (empty)
        continue;
      Value window = b.create<tensor::ExtractSliceOp>(
          loc, f32Tensor(b, {n, hi[0] - lo[0], hi[1] - lo[1], o}), dy,
          indexAttrs(b, {0, lo[0] + phase[0].base, lo[1] + phase[1].base, 0}),
          indexAttrs(b, {n, hi[0] - lo[0], hi[1] - lo[1], o}),
          indexAttrs(b, {1, 1, 1, 1}));
      Value d = padDims(b, loc, window, {0, lo[0], lo[1], 0},
                        {0, dSize[0] - hi[0], dSize[1] - hi[1], 0},
                        f32(b, loc, 0.0));
      // The phase's taps, flipped: tap t of the sub-kernel is
      // a0 + (taps - 1 - t) step of the kernel.
      AffineExpr et, eu, eo, ec;
      bindDims(ctx, et, eu, eo, ec);
      AffineExpr tapH =
          phase[0].a0 + (phase[0].taps - 1) * phase[0].step - et * phase[0].step;
      AffineExpr tapW =
          phase[1].a0 + (phase[1].taps - 1) * phase[1].step - eu * phase[1].step;
      Value init = zeros(b, loc, {n, phase[0].count, phase[1].count, c});
      int64_t phaseDil[2] = {phase[0].dil, phase[1].dil};
      Value z;
      if (depthwise) {
        // g[t, u, c] = w[c, 0, tap_h(t), tap_w(u)].
        Value g = generic(
            b, loc, f32Tensor(b, {phase[0].taps, phase[1].taps, c}), {weight},
            nullptr,
            {AffineMap::get(3, 0, {eo, b.getAffineConstantExpr(0), tapH, tapW},
                            ctx),
             AffineMap::getMultiDimIdentityMap(3, ctx)},
            {par, par, par},
            [](OpBuilder &, Location, ValueRange a) { return a[0]; });
        // eo is dimension 2 here: the channel.
        z = depthwiseNhwc(b, loc, d, g, init, {1, 1}, phaseDil);
      } else {
        // g[t, u, o, c] = w[o, c, tap_h(t), tap_w(u)].
        Value g = generic(
            b, loc, f32Tensor(b, {phase[0].taps, phase[1].taps, o, c}),
            {weight}, nullptr,
            {AffineMap::get(4, 0, {eo, ec, tapH, tapW}, ctx),
             AffineMap::getMultiDimIdentityMap(4, ctx)},
            {par, par, par, par},
            [](OpBuilder &, Location, ValueRange a) { return a[0]; });
        z = convNhwc(b, loc, d, g, init, {1, 1}, phaseDil);
      }
      if (phase[0].count == in[0] && phase[1].count == in[1])
        return z;
      dx = b.create<tensor::InsertSliceOp>(
          loc, z, dxOrZeros(),
          indexAttrs(b, {0, phase[0].u0 * s[0] + rh - pad[0],
                         phase[1].u0 * s[1] + rw - pad[1], 0}),
          indexAttrs(b, {n, phase[0].count, phase[1].count, c}),
          indexAttrs(b, {1, s[0], s[1], 1}));
    }
  }
  return dxOrZeros();
}

/// dx of conv2d, NCHW at the boundary: one phase decomposition for a
/// dense or depthwise convolution, one per group otherwise.
Value inputGradNchw(OpBuilder &b, Location loc, Value dyNchw, Value weight,
                    RankedTensorType type, const Geometry &g) {
  ArrayRef<int64_t> x = type.getShape();
  int64_t o = cast<RankedTensorType>(weight.getType()).getDimSize(0);
  // Pointwise: dx [N H W, C] = dy [N H W, O] w [O, C].
  if (g.isPointwise(cast<RankedTensorType>(weight.getType()).getShape()))
    return fromPixelRows(
        b, loc,
        matmul(b, loc, pixelRows(b, loc, dyNchw), weightMatrix(b, loc, weight),
               zeros(b, loc, {x[0] * x[2] * x[3], x[1]})),
        type);
  Value dy = transpose(b, loc, dyNchw, {0, 2, 3, 1});
  Value dx;
  if (g.groups == 1 || g.isDepthwise(x[1], o)) {
    dx = inputGradNhwc(b, loc, dy, weight, {x[0], x[2], x[3], x[1]}, g,
                       g.groups > 1);
  } else {
    int64_t cg = x[1] / g.groups, og = o / g.groups;
    dx = zeros(b, loc, {x[0], x[2], x[3], x[1]});
    for (int64_t k = 0; k < g.groups; ++k) {
      Value part = inputGradNhwc(
          b, loc, sliceDim(b, loc, dy, 3, k * og, og),
          sliceDim(b, loc, weight, 0, k * og, og), {x[0], x[2], x[3], cg}, g,
          /*depthwise=*/false);
      dx = insertDim(b, loc, part, dx, 3, k * cg);
    }
  }
  return transpose(b, loc, dx, {0, 3, 1, 2});
}

Value lowerConv2dInputGrad(Conv2dInputGradOp op, OpBuilder &b) {
  return inputGradNchw(b, op.getLoc(), op.getOutputGrad(), op.getWeight(),
                       op.getType(), Geometry::of(op));
}

/// The transposed convolution is conv2d's input gradient of x with its
/// weight (the same phases on the fast path), plus the bias.
Value lowerConvTranspose2d(ConvTranspose2dOp op, OpBuilder &b) {
  Location loc = op.getLoc();
  auto type = op.getType();
  Geometry g{SmallVector<int64_t, 2>(op.getStride()),
             SmallVector<int64_t, 2>(op.getPadding()),
             SmallVector<int64_t, 2>(op.getDilation()),
             static_cast<int64_t>(op.getGroups())};
  Value y = inputGradNchw(b, loc, op.getInput(), op.getWeight(), type, g);
  if (!op.getBias())
    return y;
  Value bias = biasInit(b, loc, op.getBias(), type);
  return elementwise(b, loc, type, {y, bias},
                     [](OpBuilder &nb, Location l, ValueRange a) {
                       return nb.create<arith::AddFOp>(l, a[0], a[1])
                           .getResult();
                     });
}

/// dw[o, c, p, q] = sum over n, i, j of dy[n, o, i, j] * x_pad[n, c, i*sh +
/// p*dh, j*sw + q*dw]: the same convolution with the roles swapped. The
/// "image" is x_pad laid out [c, h, w, n], the "filter" dy laid out
/// [i, j, n, o], the stride becomes the dilation and the dilation the
/// stride, and the [c, kh, kw, o] result is transposed to [o, c, kh, kw].
Value weightGradDense(OpBuilder &b, Location loc, Value dyNchw, Value xNchw,
                      ArrayRef<int64_t> wShape, const Geometry &g) {
  Value x = paddedImage(b, loc, xNchw, {1, 2, 3, 0}, g.pad);
  Value dy = transpose(b, loc, dyNchw, {2, 3, 0, 1});
  Value dw = convNhwc(b, loc, x, dy,
                      zeros(b, loc, {wShape[1], wShape[2], wShape[3], wShape[0]}),
                      g.dil, g.stride);
  return transpose(b, loc, dw, {3, 0, 1, 2});
}

/// The depthwise weight gradient dw[c, 0, p, q] = sum over n, i, j of
/// dy[n, c, i, j] x_pad[n, c, i s + p d, ...]: a depthwise convolution
/// whose channels are the (n, c) pairs (image x_pad as [1, h, w, n c],
/// filter dy as [i, j, n c], stride d and dilation s), then a sum over n.
Value weightGradDepthwise(OpBuilder &b, Location loc, Value dyNchw,
                          Value xNchw, ArrayRef<int64_t> wShape,
                          const Geometry &g) {
  auto xType = cast<RankedTensorType>(xNchw.getType());
  auto dyType = cast<RankedTensorType>(dyNchw.getType());
  int64_t n = xType.getDimSize(0), c = xType.getDimSize(1);
  int64_t kh = wShape[2], kw = wShape[3];
  Value x = padDims(b, loc, transpose(b, loc, xNchw, {2, 3, 0, 1}),
                    {g.pad[0], g.pad[1], 0, 0}, {g.pad[0], g.pad[1], 0, 0},
                    f32(b, loc, 0.0));
  auto xp = cast<RankedTensorType>(x.getType()).getShape();
  Value image = b.create<tensor::CollapseShapeOp>(
      loc, f32Tensor(b, {xp[0], xp[1], n * c}), x,
      ArrayRef<ReassociationIndices>{{0}, {1}, {2, 3}});
  image = b.create<tensor::ExpandShapeOp>(
      loc, f32Tensor(b, {1, xp[0], xp[1], n * c}), image,
      ArrayRef<ReassociationIndices>{{0, 1}, {2}, {3}});
  int64_t oh = dyType.getDimSize(2), ow = dyType.getDimSize(3);
  Value filter = b.create<tensor::CollapseShapeOp>(
      loc, f32Tensor(b, {oh, ow, n * c}),
      transpose(b, loc, dyNchw, {2, 3, 0, 1}),
      ArrayRef<ReassociationIndices>{{0}, {1}, {2, 3}});
  Value perImage = depthwiseNhwc(b, loc, image, filter,
                                 zeros(b, loc, {1, kh, kw, n * c}), g.dil,
                                 g.stride);
  Value split = b.create<tensor::ExpandShapeOp>(
      loc, f32Tensor(b, {kh, kw, n, c}),
      b.create<tensor::CollapseShapeOp>(
          loc, f32Tensor(b, {kh, kw, n * c}), perImage,
          ArrayRef<ReassociationIndices>{{0, 1}, {2}, {3}}),
      ArrayRef<ReassociationIndices>{{0}, {1}, {2, 3}});
  // dw[c, 0, p, q] = sum over n of split[p, q, n, c]; loops (c, p, q, n).
  MLIRContext *ctx = b.getContext();
  AffineExpr ec, ep, eq, en;
  bindDims(ctx, ec, ep, eq, en);
  return generic(
      b, loc, f32Tensor(b, wShape), {split}, zeros(b, loc, wShape),
      {AffineMap::get(4, 0, {ep, eq, en, ec}, ctx),
       AffineMap::get(4, 0, {ec, b.getAffineConstantExpr(0), ep, eq}, ctx)},
      {par, par, par, red}, [](OpBuilder &nb, Location l, ValueRange a) {
        return nb.create<arith::AddFOp>(l, a[1], a[0]).getResult();
      });
}

Value lowerConv2dWeightGrad(Conv2dWeightGradOp op, OpBuilder &b) {
  Location loc = op.getLoc();
  ArrayRef<int64_t> w = op.getType().getShape();
  Geometry g = Geometry::of(op);
  int64_t c = op.getInput().getType().getDimSize(1);
  if (g.isPointwise(w)) {
    // dw [O, C] = dy^T [O, N H W] x [N H W, C], or its transpose
    // x^T dy: the left operand is the one transposed, so it is the
    // activation with fewer channels.
    auto channelRows = [&](Value t) {
      ArrayRef<int64_t> s = cast<RankedTensorType>(t.getType()).getShape();
      return b.create<tensor::CollapseShapeOp>(
          loc, f32Tensor(b, {s[1], s[0] * s[2] * s[3]}),
          transpose(b, loc, t, {1, 0, 2, 3}),
          ArrayRef<ReassociationIndices>{{0}, {1, 2, 3}});
    };
    Value dw;
    if (w[0] <= w[1]) {
      dw = matmul(b, loc, channelRows(op.getOutputGrad()),
                  pixelRows(b, loc, op.getInput()),
                  zeros(b, loc, {w[0], w[1]}));
    } else {
      dw = transpose(b, loc,
                     matmul(b, loc, channelRows(op.getInput()),
                            pixelRows(b, loc, op.getOutputGrad()),
                            zeros(b, loc, {w[1], w[0]})),
                     {1, 0});
    }
    return b.create<tensor::ExpandShapeOp>(
        loc, op.getType(), dw, ArrayRef<ReassociationIndices>{{0}, {1, 2, 3}});
  }
  if (g.groups == 1)
    return weightGradDense(b, loc, op.getOutputGrad(), op.getInput(), w, g);
  if (g.isDepthwise(c, w[0]))
    return weightGradDepthwise(b, loc, op.getOutputGrad(), op.getInput(), w,
                               g);
  // One dense gradient per group: its output channels' dy against its
  // input channels.
  int64_t cg = c / g.groups, og = w[0] / g.groups;
  Value dw = zeros(b, loc, w);
  for (int64_t k = 0; k < g.groups; ++k) {
    Value part = weightGradDense(
        b, loc, sliceDim(b, loc, op.getOutputGrad(), 1, k * og, og),
        sliceDim(b, loc, op.getInput(), 1, k * cg, cg), {og, w[1], w[2], w[3]},
        g);
    dw = insertDim(b, loc, part, dw, 0, k * og);
  }
  return dw;
}

/// db[o] = sum of dy over every dimension but 1. dy [N, O, H, W] is
/// summed channels-last, as [N H W, O]: the channels are the vector lanes
/// and each row one vector add, and the transpose to [N, H, W, O] meets
/// (and cancels against) the one that brought the convolution's
/// channels-last gradient to NCHW. Linear's [N, O] sums over the batch.
Value lowerBiasGrad(BiasGradOp op, OpBuilder &b) {
  Location loc = op.getLoc();
  Value dy = op.getOutputGrad();
  auto dyType = cast<RankedTensorType>(dy.getType());
  int64_t o = dyType.getDimSize(1);
  auto add = [](OpBuilder &nb, Location l, ValueRange a) {
    return nb.create<arith::AddFOp>(l, a[1], a[0]).getResult();
  };
  if (dyType.getRank() > 2) {
    SmallVector<int64_t> perm = {0};
    for (int64_t d = 2; d < dyType.getRank(); ++d)
      perm.push_back(d);
    perm.push_back(1);
    dy = transpose(b, loc, dy, perm);
    ReassociationIndices rows;
    for (int64_t d = 0; d + 1 < dyType.getRank(); ++d)
      rows.push_back(d);
    dy = b.create<tensor::CollapseShapeOp>(
        loc, RankedTensorType::get({dyType.getNumElements() / o, o},
                                   b.getF32Type()),
        dy, ArrayRef<ReassociationIndices>{rows, {dyType.getRank() - 1}});
  }
  MLIRContext *ctx = b.getContext();
  AffineExpr r, c;
  bindDims(ctx, r, c);
  return generic(b, loc, op.getType(), {dy},
                 zeros(b, loc, op.getType().getShape()),
                 {b.getMultiDimIdentityMap(2), AffineMap::get(2, 0, {c}, ctx)},
                 {red, par}, add);
}

/// 2 x (elements of the forward output) x (c_in / groups kh kw), for all
/// three (the weight's dimension 1 is already per group).
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
int64_t convTranspose2dFlops(ConvTranspose2dOp op) {
  return convFlops(op.getInput(), op.getWeight());
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
    ConvTranspose2dOp::attachInterface<
        FnLowering<ConvTranspose2dOp, lowerConvTranspose2d,
                   convTranspose2dFlops>>(*ctx);
  });
}
