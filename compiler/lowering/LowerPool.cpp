//===- LowerPool.cpp - max/avg pooling and their gradients to linalg ------===//
//
// Forward: tensor.pad (-inf for max, 0 for avg; after the input as far as
// ceil_mode's last window reaches) + linalg.pooling_nchw_max /
// pooling_nchw_sum (then / each window's divisor). Backward: the
// window's first arg-max is found by a linalg.generic reduction in
// row-major window order (strictly greater wins, as PyTorch); then a
// linalg.generic writes through the receptive-field map `i * s + p` into
// the padded input gradient, routing dy to the arg-max (max) or spreading
// dy / (kh kw) (avg), and the padding is sliced off.
//
//===----------------------------------------------------------------------===//

#include "compiler/lowering/LinalgHelpers.h"
#include "compiler/lowering/LoweringInterface.h"

#include "dialect/TcnnOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <limits>

using namespace mlir;
using namespace mlir::tcnn;
using namespace tcnnc::lowering;
using utils::IteratorType;

namespace {

constexpr IteratorType par = IteratorType::parallel;
constexpr IteratorType red = IteratorType::reduction;

/// Maps of the 6-D window iteration space (n, c, i, j, p, q) over the
/// padded input: output, window, input (taps d apart) and the output's
/// divisor [OH, OW].
struct WindowMaps {
  AffineMap out, window, input, divisor;
  WindowMaps(MLIRContext *ctx, const shapes::PoolWindows &w) {
    AffineExpr n, c, i, j, p, q;
    bindDims(ctx, n, c, i, j, p, q);
    out = AffineMap::get(6, 0, {n, c, i, j}, ctx);
    window = AffineMap::get(6, 0, {p, q}, ctx);
    input = AffineMap::get(6, 0,
                           {n, c, i * w.stride[0] + p * w.dilation[0],
                            j * w.stride[1] + q * w.dilation[1]},
                           ctx);
    divisor = AffineMap::get(6, 0, {i, j}, ctx);
  }
};

/// The padding before and after the input along each spatial dimension:
/// the layer's padding, and after the input enough for the last window
/// (ceil_mode may hang it over the padded input).
struct Padding {
  SmallVector<int64_t, 4> low, high;
  Padding(const shapes::PoolWindows &w, ArrayRef<int64_t> in,
          ArrayRef<int64_t> out) {
    low = {0, 0, w.padding[0], w.padding[1]};
    high = {0, 0, 0, 0};
    for (int d = 0; d < 2; ++d) {
      int64_t reach = (out[2 + d] - 1) * w.stride[d] +
                      w.dilation[d] * (w.kernel[d] - 1) + 1;
      high[2 + d] = std::max(w.padding[d], reach - in[2 + d] - w.padding[d]);
    }
  }
};

/// Average pooling's divisors: the one divisor of every window, or the
/// [OH, OW] constant of each window's when they differ (ceil_mode,
/// count_include_pad = false).
struct Divisors {
  double uniform = 0;
  Value perWindow;
  Divisors(OpBuilder &b, Location loc, const shapes::PoolWindows &w,
           ArrayRef<int64_t> in, ArrayRef<int64_t> out) {
    SmallVector<float> all;
    for (int64_t i = 0; i < out[2]; ++i)
      for (int64_t j = 0; j < out[3]; ++j)
        all.push_back(static_cast<float>(w.divisor(i, j, in[2], in[3])));
    if (llvm::all_equal(all)) {
      uniform = all.front();
      return;
    }
    auto type = RankedTensorType::get({out[2], out[3]}, b.getF32Type());
    perWindow = b.create<arith::ConstantOp>(
        loc, DenseElementsAttr::get(type, ArrayRef<float>(all)));
  }
};

Value windowShape(OpBuilder &b, Location loc, ArrayRef<int64_t> kernel) {
  return b.create<tensor::EmptyOp>(loc, kernel, b.getF32Type());
}

Value negInf(OpBuilder &b, Location loc) {
  return f32(b, loc, -std::numeric_limits<float>::infinity());
}

/// The initial (maximum, index) of a first-arg-max reduction: -inf, -1.
std::pair<Value, Value> argmaxInits(OpBuilder &b, Location loc,
                                    ArrayRef<int64_t> shape) {
  return {filled(b, loc, shape, b.getF32Type(), negInf(b, loc)),
          filled(b, loc, shape, b.getI32Type(),
                 b.create<arith::ConstantIntOp>(loc, -1, 32).getResult())};
}

/// Row-major position p * kw + q of the window element, as i32.
Value windowIndex(OpBuilder &b, Location loc, int64_t kw) {
  Value p = b.create<linalg::IndexOp>(loc, 4);
  Value q = b.create<linalg::IndexOp>(loc, 5);
  Value kwv = b.create<arith::ConstantIndexOp>(loc, kw);
  Value k =
      b.create<arith::AddIOp>(loc, b.create<arith::MulIOp>(loc, p, kwv), q);
  return b.create<arith::IndexCastOp>(loc, b.getI32Type(), k);
}

/// Windows that tile the input exactly (stride = kernel, no padding) as
/// two more dimensions of a channels-last view: x [N, C, H, W] as
/// [N, H, W, C], cropped to [N, OH*kh, OW*kw, C] and viewed as
/// [N, OH, kh, OW, kw, C]. Every map over that view is a projection and
/// the channels are innermost, so each window element is a whole vector
/// of channels: reducing over the window or mapping it back to the input
/// is vertical vector arithmetic, with no shuffles inside a vector (the
/// windowed named ops and the receptive-field map `i * s + p` would
/// not vectorize at all). The transposes at both ends are NCHW's, the
/// interface's; -tcnn-sink-transposes cancels them against those of the
/// neighbouring convolutions, which compute channels-last too.
struct TiledWindows {
  /// The NCHW output and window sizes.
  SmallVector<int64_t> out, kernel;
  /// The 6-D loops (n, i, p, j, q, c) and their maps to the view and to
  /// the channels-last output [N, OH, OW, C].
  AffineMap view, outMap;
  SmallVector<IteratorType> overWindow = {par, par, red, par, red, par};
  SmallVector<IteratorType> overView = SmallVector<IteratorType>(6, par);

  TiledWindows(OpBuilder &b, ArrayRef<int64_t> outShape, ArrayRef<int64_t> k)
      : out(outShape), kernel(k) {
    MLIRContext *ctx = b.getContext();
    AffineExpr n, i, p, j, q, c;
    bindDims(ctx, n, i, p, j, q, c);
    view = AffineMap::getMultiDimIdentityMap(6, ctx);
    outMap = AffineMap::get(6, 0, {n, i, j, c}, ctx);
  }
  /// NCHW <-> NHWC.
  static constexpr std::array<int64_t, 4> toLast = {0, 2, 3, 1};
  static constexpr std::array<int64_t, 4> toFirst = {0, 3, 1, 2};
  SmallVector<int64_t> cropped() const {
    return {out[0], out[2] * kernel[0], out[3] * kernel[1], out[1]};
  }
  RankedTensorType viewType(Type elem) const {
    return RankedTensorType::get(
        {out[0], out[2], kernel[0], out[3], kernel[1], out[1]}, elem);
  }
  /// The channels-last output [N, OH, OW, C].
  RankedTensorType outType(Type elem) const {
    return RankedTensorType::get({out[0], out[2], out[3], out[1]}, elem);
  }
  static SmallVector<ReassociationIndices> reassociation() {
    return {{0}, {1, 2}, {3, 4}, {5}};
  }
  /// An NCHW `x` as the 6-D view.
  Value split(OpBuilder &b, Location loc, Value x) const {
    x = transpose(b, loc, x, toLast);
    SmallVector<int64_t> crop = cropped();
    if (cast<RankedTensorType>(x.getType()).getShape() != ArrayRef(crop))
      x = b.create<tensor::ExtractSliceOp>(
          loc, RankedTensorType::get(crop, b.getF32Type()), x,
          indexAttrs(b, {0, 0, 0, 0}), indexAttrs(b, crop),
          indexAttrs(b, {1, 1, 1, 1}));
    return b.create<tensor::ExpandShapeOp>(loc, viewType(b.getF32Type()), x,
                                           reassociation());
  }
  /// A 6-D view of an input gradient back as `inputType` [N, C, H, W]: the
  /// rows and columns the windows never reached (cropped off) are zero.
  Value merge(OpBuilder &b, Location loc, Value v,
              RankedTensorType inputType) const {
    SmallVector<int64_t> crop = cropped();
    Value dx = b.create<tensor::CollapseShapeOp>(
        loc, RankedTensorType::get(crop, b.getF32Type()), v, reassociation());
    ArrayRef<int64_t> full = inputType.getShape();
    if (full[2] != crop[1] || full[3] != crop[2])
      dx = padDims(b, loc, dx, {0, 0, 0, 0},
                   {0, full[2] - crop[1], full[3] - crop[2], 0},
                   f32(b, loc, 0.0));
    return transpose(b, loc, dx, toFirst);
  }
  /// 255 - (p * kw + q) for every window position (p, q), as a constant
  /// [kh, kw] i64 tensor read through `earlyMap`: the larger, the earlier
  /// the element in the window's row-major order. (linalg.index would
  /// vectorize into index vectors transposed on every tile.)
  Value earliness(OpBuilder &b, Location loc) const {
    SmallVector<int64_t> values;
    for (int64_t k = 0; k < kernel[0] * kernel[1]; ++k)
      values.push_back(255 - k);
    auto type = RankedTensorType::get({kernel[0], kernel[1]}, b.getI64Type());
    return b.create<arith::ConstantOp>(
        loc, DenseElementsAttr::get(type, ArrayRef<int64_t>(values)));
  }
  AffineMap earlyMap() const {
    MLIRContext *ctx = view.getContext();
    return AffineMap::get(6, 0,
                          {getAffineDimExpr(2, ctx), getAffineDimExpr(4, ctx)},
                          ctx);
  }
};

/// x's windows reduced by `combine` from `initial` into `type` [N, C, OH,
/// OW] (see TiledWindows).
Value reduceTiledWindows(OpBuilder &b, Location loc, Value x,
                         ArrayRef<int64_t> k, RankedTensorType type,
                         Value initial,
                         function_ref<Value(OpBuilder &, Location, Value,
                                            Value)>
                             combine) {
  TiledWindows w(b, type.getShape(), k);
  RankedTensorType last = w.outType(b.getF32Type());
  Value init = filled(b, loc, last.getShape(), b.getF32Type(), initial);
  Value r = generic(b, loc, last, {w.split(b, loc, x)}, init,
                    {w.view, w.outMap}, w.overWindow,
                    [&](OpBuilder &nb, Location l, ValueRange a) {
                      return combine(nb, l, a[1], a[0]);
                    });
  return transpose(b, loc, r, TiledWindows::toFirst);
}

/// The max-pool gradient when the windows tile the input, as two
/// vectorizable steps instead of a scatter: each window's first maximum,
/// then dx = dy at its position and 0 elsewhere.
///
/// The first maximum is one integer max over a key per element: the
/// value's bits made order-preserving (negative floats have their
/// magnitude bits flipped; -0 is first made +0, which PyTorch treats as
/// equal to it) in the high half, and 255 - (p * kw + q) in the low byte,
/// so that the larger value wins and, among equal values, the earlier
/// position (PyTorch's first maximum in row-major window order). Windows
/// of more than 255 elements take the general path.
Value maxPoolGradTiled(OpBuilder &b, Location loc, Value dyValue, Value input,
                       ArrayRef<int64_t> k, RankedTensorType resultType) {
  auto dyType = cast<RankedTensorType>(dyValue.getType());
  TiledWindows w(b, dyType.getShape(), k);
  Value x = w.split(b, loc, input);
  Value dy = transpose(b, loc, dyValue, TiledWindows::toLast);
  RankedTensorType i64Type = w.outType(b.getI64Type());
  Value lowest = b.create<arith::ConstantIntOp>(
      loc, std::numeric_limits<int64_t>::min(), 64);
  Value early = w.earliness(b, loc);
  Value key = generic(
      b, loc, i64Type, {x, early},
      filled(b, loc, i64Type.getShape(), b.getI64Type(), lowest),
      {w.view, w.earlyMap(), w.outMap}, w.overWindow,
      [&](OpBuilder &nb, Location l, ValueRange a) {
        Value v = nb.create<arith::AddFOp>(l, a[0], f32(nb, l, 0.0));
        Value bits = nb.create<arith::BitcastOp>(l, nb.getI32Type(), v);
        Value zero = nb.create<arith::ConstantIntOp>(l, 0, 32);
        Value negative = nb.create<arith::CmpIOp>(
            l, arith::CmpIPredicate::slt, bits, zero);
        Value flipped = nb.create<arith::XOrIOp>(
            l, bits, nb.create<arith::ConstantIntOp>(l, 0x7fffffff, 32));
        Value ordered =
            nb.create<arith::SelectOp>(l, negative, flipped, bits);
        Value high = nb.create<arith::ShLIOp>(
            l, nb.create<arith::ExtSIOp>(l, nb.getI64Type(), ordered),
            nb.create<arith::ConstantIntOp>(l, 8, 64));
        Value keyed = nb.create<arith::OrIOp>(l, high, a[1]);
        return nb.create<arith::MaxSIOp>(l, a[2], keyed).getResult();
      });
  Value dx = generic(
      b, loc, w.viewType(b.getF32Type()), {dy, key, early}, nullptr,
      {w.outMap, w.outMap, w.earlyMap(), w.view}, w.overView,
      [&](OpBuilder &nb, Location l, ValueRange a) {
        Value low = nb.create<arith::AndIOp>(
            l, a[1], nb.create<arith::ConstantIntOp>(l, 255, 64));
        Value hit =
            nb.create<arith::CmpIOp>(l, arith::CmpIPredicate::eq, low, a[2]);
        return nb.create<arith::SelectOp>(l, hit, a[0], f32(nb, l, 0.0))
            .getResult();
      });
  return w.merge(b, loc, dx, resultType);
}

/// The avg-pool gradient when the windows tile the input: dx = dy / (kh kw)
/// over each window, a map over the windows' view.
Value avgPoolGradTiled(OpBuilder &b, Location loc, Value dyValue,
                       ArrayRef<int64_t> k, RankedTensorType resultType,
                       double divisor) {
  auto dyType = cast<RankedTensorType>(dyValue.getType());
  TiledWindows w(b, dyType.getShape(), k);
  Value dy = transpose(b, loc, dyValue, TiledWindows::toLast);
  double inv = 1.0 / divisor;
  Value dx = generic(
      b, loc, w.viewType(b.getF32Type()), {dy}, nullptr,
      {w.outMap, w.view}, w.overView,
      [&](OpBuilder &nb, Location l, ValueRange a) {
        return nb.create<arith::MulFOp>(l, a[0], f32(nb, l, inv)).getResult();
      });
  return w.merge(b, loc, dx, resultType);
}

/// Whether the windows tile the input (stride = kernel, no padding or
/// dilation, no window hanging over the input): reduceTiledWindows
/// applies.
bool windowsTileInput(const shapes::PoolWindows &w, ArrayRef<int64_t> in) {
  return w.stride == w.kernel && w.padding == std::array<int64_t, 2>{0, 0} &&
         w.dilation == std::array<int64_t, 2>{1, 1} &&
         w.outputSize(0, in[2]) * w.kernel[0] <= in[2] &&
         w.outputSize(1, in[3]) * w.kernel[1] <= in[3];
}

ArrayRef<int64_t> shapeOf(Value v) {
  return cast<RankedTensorType>(v.getType()).getShape();
}

Value lowerMaxPool2d(MaxPool2dOp op, OpBuilder &b) {
  Location loc = op.getLoc();
  auto type = op.getType();
  shapes::PoolWindows w = maxPoolWindows(op);
  ArrayRef<int64_t> in = shapeOf(op.getInput());
  if (windowsTileInput(w, in))
    return reduceTiledWindows(
        b, loc, op.getInput(), op.getKernelSize(), type, negInf(b, loc),
        [](OpBuilder &nb, Location l, Value acc, Value v) -> Value {
          return nb.create<arith::MaximumFOp>(l, acc, v);
        });
  Padding pad(w, in, type.getShape());
  Value x = padDims(b, loc, op.getInput(), pad.low, pad.high, negInf(b, loc));
  Value init = filled(b, loc, type.getShape(), b.getF32Type(), negInf(b, loc));
  return b
      .create<linalg::PoolingNchwMaxOp>(
          op.getLoc(), TypeRange{type},
          ValueRange{x, windowShape(b, loc, op.getKernelSize())},
          ValueRange{init}, i64Pair(b, op.getStride()),
          i64Pair(b, op.getDilation()))
      ->getResult(0);
}

/// The sum over each window divided by its divisor: multiplied by the
/// inverse of the one divisor, or divided by each window's.
Value lowerAvgPool2d(AvgPool2dOp op, OpBuilder &b) {
  Location loc = op.getLoc();
  auto type = op.getType();
  shapes::PoolWindows w = avgPoolWindows(op);
  ArrayRef<int64_t> in = shapeOf(op.getInput());
  Divisors divisors(b, loc, w, in, type.getShape());
  Value sum;
  if (windowsTileInput(w, in)) {
    sum = reduceTiledWindows(
        b, loc, op.getInput(), op.getKernelSize(), type, f32(b, loc, 0.0),
        [](OpBuilder &nb, Location l, Value acc, Value v) -> Value {
          return nb.create<arith::AddFOp>(l, acc, v);
        });
  } else {
    Padding pad(w, in, type.getShape());
    Value x =
        padDims(b, loc, op.getInput(), pad.low, pad.high, f32(b, loc, 0.0));
    sum = b.create<linalg::PoolingNchwSumOp>(
               loc, TypeRange{type},
               ValueRange{x, windowShape(b, loc, op.getKernelSize())},
               ValueRange{zeros(b, loc, type.getShape())},
               i64Pair(b, op.getStride()), i64Pair(b, {1, 1}))
              .getResult(0);
  }
  if (!divisors.perWindow) {
    double inv = 1.0 / divisors.uniform;
    return elementwise(
        b, loc, type, {sum}, [&](OpBuilder &nb, Location l, ValueRange a) {
          return nb.create<arith::MulFOp>(l, a[0], f32(nb, l, inv)).getResult();
        });
  }
  MLIRContext *ctx = b.getContext();
  AffineExpr n, c, i, j;
  bindDims(ctx, n, c, i, j);
  return generic(b, loc, type, {sum, divisors.perWindow}, nullptr,
                 {b.getMultiDimIdentityMap(4), AffineMap::get(4, 0, {i, j}, ctx),
                  b.getMultiDimIdentityMap(4)},
                 {par, par, par, par},
                 [](OpBuilder &nb, Location l, ValueRange a) {
                   return nb.create<arith::DivFOp>(l, a[0], a[1]).getResult();
                 });
}

Value lowerMaxPool2dGrad(MaxPool2dGradOp op, OpBuilder &b) {
  shapes::PoolWindows w = maxPoolWindows(op);
  ArrayRef<int64_t> in = shapeOf(op.getInput());
  ArrayRef<int64_t> kernel = op.getKernelSize();
  if (windowsTileInput(w, in) && kernel[0] * kernel[1] <= 255)
    return maxPoolGradTiled(b, op.getLoc(), op.getOutputGrad(), op.getInput(),
                            kernel, op.getType());
  Location loc = op.getLoc();
  auto type = op.getType();
  ArrayRef<int64_t> k = op.getKernelSize();
  auto dyType = cast<RankedTensorType>(op.getOutputGrad().getType());
  WindowMaps maps(b.getContext(), w);
  Padding pad(w, in, dyType.getShape());
  Value x = padDims(b, loc, op.getInput(), pad.low, pad.high, negInf(b, loc));
  Value window = windowShape(b, loc, k);

  // 1. The first arg-max of each window: (max, index) reduction.
  auto i32Type = RankedTensorType::get(dyType.getShape(), b.getI32Type());
  auto [maxInit, idxInit] = argmaxInits(b, loc, dyType.getShape());
  auto argmax = b.create<linalg::GenericOp>(
      loc, TypeRange{dyType, i32Type}, ValueRange{x, window},
      ValueRange{maxInit, idxInit},
      ArrayRef<AffineMap>{maps.input, maps.window, maps.out, maps.out},
      ArrayRef<IteratorType>{par, par, par, par, red, red},
      [&](OpBuilder &nb, Location l, ValueRange a) {
        Value greater =
            nb.create<arith::CmpFOp>(l, arith::CmpFPredicate::OGT, a[0], a[2]);
        Value max = nb.create<arith::SelectOp>(l, greater, a[0], a[2]);
        Value idx = nb.create<arith::SelectOp>(l, greater,
                                               windowIndex(nb, l, k[1]), a[3]);
        nb.create<linalg::YieldOp>(l, ValueRange{max, idx});
      });

  // 2. Route dy to the arg-max position of its window.
  return scatterToInput(
      b, loc, type, pad.low, pad.high, {op.getOutputGrad(), argmax.getResult(1), window},
      {maps.out, maps.out, maps.window, maps.input},
      {par, par, red, red, red, red},
      [&](OpBuilder &nb, Location l, ValueRange a) {
        Value hit = nb.create<arith::CmpIOp>(l, arith::CmpIPredicate::eq, a[1],
                                             windowIndex(nb, l, k[1]));
        Value g = nb.create<arith::SelectOp>(l, hit, a[0], f32(nb, l, 0.0));
        return nb.create<arith::AddFOp>(l, a[3], g).getResult();
      });
}

/// dy / divisor spread over each window (positions on the padding are
/// cropped off).
Value lowerAvgPool2dGrad(AvgPool2dGradOp op, OpBuilder &b) {
  Location loc = op.getLoc();
  auto type = op.getType();
  shapes::PoolWindows w = avgPoolWindows(op);
  ArrayRef<int64_t> in = type.getShape();
  auto dyType = cast<RankedTensorType>(op.getOutputGrad().getType());
  Divisors divisors(b, loc, w, in, dyType.getShape());
  if (windowsTileInput(w, in) && !divisors.perWindow)
    return avgPoolGradTiled(b, loc, op.getOutputGrad(), op.getKernelSize(),
                            type, divisors.uniform);
  ArrayRef<int64_t> k = op.getKernelSize();
  WindowMaps maps(b.getContext(), w);
  Padding pad(w, in, dyType.getShape());
  if (!divisors.perWindow) {
    double inv = 1.0 / divisors.uniform;
    return scatterToInput(
        b, loc, type, pad.low, pad.high, {op.getOutputGrad(), windowShape(b, loc, k)},
        {maps.out, maps.window, maps.input}, {par, par, red, red, red, red},
        [&](OpBuilder &nb, Location l, ValueRange a) {
          Value g = nb.create<arith::MulFOp>(l, a[0], f32(nb, l, inv));
          return nb.create<arith::AddFOp>(l, a[2], g).getResult();
        });
  }
  return scatterToInput(
      b, loc, type, pad.low, pad.high,
      {op.getOutputGrad(), divisors.perWindow, windowShape(b, loc, k)},
      {maps.out, maps.divisor, maps.window, maps.input},
      {par, par, red, red, red, red},
      [&](OpBuilder &nb, Location l, ValueRange a) {
        Value g = nb.create<arith::DivFOp>(l, a[0], a[1]);
        return nb.create<arith::AddFOp>(l, a[3], g).getResult();
      });
}

//===----------------------------------------------------------------------===//
// Adaptive pooling
//===----------------------------------------------------------------------===//

/// The windows of adaptive pooling from an `in` [N, C, H, W] to `out`
/// [N, C, OH, OW]: over the 6-D loops (n, c, i, j, p, q), window (i, j)
/// starts at (floor(i H / OH), floor(j W / OW)) (an affine floordiv) and
/// has len_h(i) x len_w(j) positions, at most kh x kw; taps p >= len_h(i)
/// are masked, and the input is padded after by kh - 1, kw - 1 so that
/// every tap reads inside it.
struct AdaptiveWindows {
  int64_t kernel[2];
  SmallVector<int64_t> lenH, lenW;
  AffineMap out, input, rowLen, colLen, window;
  SmallVector<int64_t, 4> padHigh;
  /// Whether every window has the same size and they tile the input: the
  /// pooling of kernel = stride = H / OH.
  bool regular;

  AdaptiveWindows(MLIRContext *ctx, ArrayRef<int64_t> in,
                  ArrayRef<int64_t> outShape) {
    for (int d = 0; d < 2; ++d) {
      SmallVector<int64_t> &len = d == 0 ? lenH : lenW;
      int64_t h = in[2 + d], o = outShape[2 + d];
      for (int64_t i = 0; i < o; ++i)
        len.push_back(shapes::adaptiveEnd(i, h, o) -
                      shapes::adaptiveStart(i, h, o));
      kernel[d] = *llvm::max_element(len);
    }
    regular = in[2] % outShape[2] == 0 && in[3] % outShape[3] == 0;
    padHigh = {0, 0, kernel[0] - 1, kernel[1] - 1};
    AffineExpr n, c, i, j, p, q;
    bindDims(ctx, n, c, i, j, p, q);
    out = AffineMap::get(6, 0, {n, c, i, j}, ctx);
    input = AffineMap::get(6, 0,
                           {n, c, (i * in[2]).floorDiv(outShape[2]) + p,
                            (j * in[3]).floorDiv(outShape[3]) + q},
                           ctx);
    rowLen = AffineMap::get(6, 0, {i}, ctx);
    colLen = AffineMap::get(6, 0, {j}, ctx);
    window = AffineMap::get(6, 0, {p, q}, ctx);
  }
  /// The window lengths as i64 constants, read through rowLen / colLen.
  Value lengths(OpBuilder &b, Location loc, ArrayRef<int64_t> len) const {
    auto type = RankedTensorType::get({int64_t(len.size())}, b.getI64Type());
    return b.create<arith::ConstantOp>(
        loc, DenseElementsAttr::get(type, ArrayRef<int64_t>(len)));
  }
  /// Inside a generic over the 6-D loops: whether tap (p, q) lies in the
  /// window, given its lengths `lh`, `lw`.
  Value inside(OpBuilder &b, Location loc, Value lh, Value lw) const {
    auto tapIn = [&](unsigned dim, Value len) {
      Value t = b.create<arith::IndexCastOp>(
          loc, b.getI64Type(), b.create<linalg::IndexOp>(loc, dim));
      return b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::slt, t, len);
    };
    return b.create<arith::AndIOp>(loc, tapIn(4, lh), tapIn(5, lw));
  }
  /// The [OH, OW] window sizes as f32 constants.
  Value sizes(OpBuilder &b, Location loc) const {
    SmallVector<float> all;
    for (int64_t lh : lenH)
      for (int64_t lw : lenW)
        all.push_back(static_cast<float>(lh * lw));
    auto type = RankedTensorType::get({int64_t(lenH.size()), int64_t(lenW.size())},
                                      b.getF32Type());
    return b.create<arith::ConstantOp>(
        loc, DenseElementsAttr::get(type, ArrayRef<float>(all)));
  }
};

/// The windows' sums (avg) or maxima (max) of x into `type`.
Value adaptiveReduce(OpBuilder &b, Location loc, Value input,
                     RankedTensorType type, bool isMax) {
  ArrayRef<int64_t> in = shapeOf(input);
  AdaptiveWindows w(b.getContext(), in, type.getShape());
  Value fill = isMax ? negInf(b, loc) : f32(b, loc, 0.0);
  auto combine = [isMax](OpBuilder &nb, Location l, Value acc,
                         Value v) -> Value {
    return isMax ? nb.create<arith::MaximumFOp>(l, acc, v).getResult()
                 : nb.create<arith::AddFOp>(l, acc, v).getResult();
  };
  if (w.regular)
    return reduceTiledWindows(b, loc, input, w.kernel, type, fill, combine);
  Value x = padDims(b, loc, input, {0, 0, 0, 0}, w.padHigh, fill);
  Value init = filled(b, loc, type.getShape(), b.getF32Type(), fill);
  // The window operand only gives the loops p and q their extents.
  return generic(
      b, loc, type,
      {x, w.lengths(b, loc, w.lenH), w.lengths(b, loc, w.lenW),
       windowShape(b, loc, w.kernel)},
      init, {w.input, w.rowLen, w.colLen, w.window, w.out},
      {par, par, par, par, red, red},
      [&](OpBuilder &nb, Location l, ValueRange a) {
        Value v = nb.create<arith::SelectOp>(l, w.inside(nb, l, a[1], a[2]),
                                             a[0], fill);
        return combine(nb, l, a[4], v);
      });
}

Value lowerAdaptiveMaxPool2d(AdaptiveMaxPool2dOp op, OpBuilder &b) {
  return adaptiveReduce(b, op.getLoc(), op.getInput(), op.getType(), true);
}

/// The windows' sums divided by their sizes.
Value lowerAdaptiveAvgPool2d(AdaptiveAvgPool2dOp op, OpBuilder &b) {
  Location loc = op.getLoc();
  auto type = op.getType();
  Value sum = adaptiveReduce(b, loc, op.getInput(), type, false);
  AdaptiveWindows w(b.getContext(), shapeOf(op.getInput()), type.getShape());
  MLIRContext *ctx = b.getContext();
  AffineExpr n, c, i, j;
  bindDims(ctx, n, c, i, j);
  return generic(b, loc, type, {sum, w.sizes(b, loc)}, nullptr,
                 {b.getMultiDimIdentityMap(4), AffineMap::get(4, 0, {i, j}, ctx),
                  b.getMultiDimIdentityMap(4)},
                 {par, par, par, par},
                 [](OpBuilder &nb, Location l, ValueRange a) {
                   return nb.create<arith::DivFOp>(l, a[0], a[1]).getResult();
                 });
}

/// Writes through the window map into the gradient padded after, like
/// the forward input, then crops.
Value adaptiveScatter(OpBuilder &b, Location loc, const AdaptiveWindows &w,
                      RankedTensorType inputType, ValueRange inputs,
                      ArrayRef<AffineMap> maps, BodyFn body) {
  return scatterToInput(b, loc, inputType, {0, 0, 0, 0}, w.padHigh, inputs,
                        maps, {par, par, red, red, red, red}, body);
}

/// dy / (window size) to every position of each window.
Value lowerAdaptiveAvgPool2dGrad(AdaptiveAvgPool2dGradOp op, OpBuilder &b) {
  Location loc = op.getLoc();
  auto type = op.getType();
  Value dy = op.getOutputGrad();
  AdaptiveWindows w(b.getContext(), type.getShape(), shapeOf(dy));
  if (w.regular)
    return avgPoolGradTiled(b, loc, dy, w.kernel, type,
                            static_cast<double>(w.kernel[0] * w.kernel[1]));
  return adaptiveScatter(
      b, loc, w, type,
      {dy, w.sizes(b, loc), w.lengths(b, loc, w.lenH),
       w.lengths(b, loc, w.lenW), windowShape(b, loc, w.kernel)},
      {w.out, AffineMap::get(6, 0,
                             {b.getAffineDimExpr(2), b.getAffineDimExpr(3)},
                             b.getContext()),
       w.rowLen, w.colLen, w.window, w.input},
      [&](OpBuilder &nb, Location l, ValueRange a) {
        Value g = nb.create<arith::DivFOp>(l, a[0], a[1]);
        Value v = nb.create<arith::SelectOp>(l, w.inside(nb, l, a[2], a[3]), g,
                                             f32(nb, l, 0.0));
        return nb.create<arith::AddFOp>(l, a[5], v).getResult();
      });
}

/// dy to the first maximum of each window: the arg-max (row-major window
/// order, masked taps never win), then the routing.
Value lowerAdaptiveMaxPool2dGrad(AdaptiveMaxPool2dGradOp op, OpBuilder &b) {
  Location loc = op.getLoc();
  auto type = op.getType();
  Value dy = op.getOutputGrad();
  auto dyType = cast<RankedTensorType>(dy.getType());
  AdaptiveWindows w(b.getContext(), type.getShape(), dyType.getShape());
  if (w.regular && w.kernel[0] * w.kernel[1] <= 255)
    return maxPoolGradTiled(b, loc, dy, op.getInput(), w.kernel, type);
  Value x = padDims(b, loc, op.getInput(), {0, 0, 0, 0}, w.padHigh,
                    negInf(b, loc));
  Value lh = w.lengths(b, loc, w.lenH), lw = w.lengths(b, loc, w.lenW);
  auto i32Type = RankedTensorType::get(dyType.getShape(), b.getI32Type());
  auto [maxInit, idxInit] = argmaxInits(b, loc, dyType.getShape());
  Value window = windowShape(b, loc, w.kernel);
  auto argmax = b.create<linalg::GenericOp>(
      loc, TypeRange{dyType, i32Type}, ValueRange{x, lh, lw, window},
      ValueRange{maxInit, idxInit},
      ArrayRef<AffineMap>{w.input, w.rowLen, w.colLen, w.window, w.out, w.out},
      ArrayRef<IteratorType>{par, par, par, par, red, red},
      [&](OpBuilder &nb, Location l, ValueRange a) {
        Value greater =
            nb.create<arith::CmpFOp>(l, arith::CmpFPredicate::OGT, a[0], a[4]);
        Value take = nb.create<arith::AndIOp>(
            l, greater, w.inside(nb, l, a[1], a[2]));
        Value max = nb.create<arith::SelectOp>(l, take, a[0], a[4]);
        Value idx = nb.create<arith::SelectOp>(
            l, take, windowIndex(nb, l, w.kernel[1]), a[5]);
        nb.create<linalg::YieldOp>(l, ValueRange{max, idx});
      });
  return adaptiveScatter(
      b, loc, w, type, {dy, argmax.getResult(1), window},
      {w.out, w.out, w.window, w.input},
      [&](OpBuilder &nb, Location l, ValueRange a) {
        Value hit = nb.create<arith::CmpIOp>(l, arith::CmpIPredicate::eq, a[1],
                                             windowIndex(nb, l, w.kernel[1]));
        Value g = nb.create<arith::SelectOp>(l, hit, a[0], f32(nb, l, 0.0));
        return nb.create<arith::AddFOp>(l, a[3], g).getResult();
      });
}

} // namespace

void tcnnc::lowering::registerPoolLowerings(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *ctx, TcnnDialect *) {
    MaxPool2dOp::attachInterface<FnLowering<MaxPool2dOp, lowerMaxPool2d>>(*ctx);
    AvgPool2dOp::attachInterface<FnLowering<AvgPool2dOp, lowerAvgPool2d>>(*ctx);
    MaxPool2dGradOp::attachInterface<
        FnLowering<MaxPool2dGradOp, lowerMaxPool2dGrad>>(*ctx);
    AvgPool2dGradOp::attachInterface<
        FnLowering<AvgPool2dGradOp, lowerAvgPool2dGrad>>(*ctx);
    AdaptiveAvgPool2dOp::attachInterface<
        FnLowering<AdaptiveAvgPool2dOp, lowerAdaptiveAvgPool2d>>(*ctx);
    AdaptiveMaxPool2dOp::attachInterface<
        FnLowering<AdaptiveMaxPool2dOp, lowerAdaptiveMaxPool2d>>(*ctx);
    AdaptiveAvgPool2dGradOp::attachInterface<
        FnLowering<AdaptiveAvgPool2dGradOp, lowerAdaptiveAvgPool2dGrad>>(*ctx);
    AdaptiveMaxPool2dGradOp::attachInterface<
        FnLowering<AdaptiveMaxPool2dGradOp, lowerAdaptiveMaxPool2dGrad>>(*ctx);
  });
}
