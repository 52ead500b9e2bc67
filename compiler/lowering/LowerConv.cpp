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

/// dx = dy dilated by the stride, zero-padded by `k - 1 - p`, convolved
/// (stride 1) with the kernel flipped in both spatial axes and its
/// channels swapped: dx[n, y, x, c] = sum P[n, y + a, x + b, o] *
/// wf[a, b, o, c], where wf[a, b, o, c] = w[o, c, kh-1-a, kw-1-b] and P
/// holds dy[n, i, j, o] at (k-1-p + i*s, k-1-p + j*s). Rows of dy that land
/// outside P only ever reached the padding.
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

  // The flipped kernel, [kh, kw, o, c]; the flip is on the output map.
  MLIRContext *ctx = b.getContext();
  AffineExpr eo, ec, ep, eq;
  bindDims(ctx, eo, ec, ep, eq);
  auto flippedType =
      RankedTensorType::get({k[0], k[1], o, c}, b.getF32Type());
  Value wf = generic(
      b, loc, flippedType, {op.getWeight()}, nullptr,
      {AffineMap::getMultiDimIdentityMap(4, ctx),
       AffineMap::get(4, 0, {k[0] - 1 - ep, k[1] - 1 - eq, eo, ec}, ctx)},
      {par, par, par, par},
      [](OpBuilder &, Location, ValueRange a) { return a[0]; });

  // P: the dilated, padded upstream gradient, NHWC.
  SmallVector<int64_t> pShape = {n, in[0] + k[0] - 1, in[1] + k[1] - 1, o};
  Value p = zeros(b, loc, pShape);
  SmallVector<int64_t> first(2), count(2), at(2);
  for (int d = 0; d < 2; ++d) {
    int64_t low = k[d] - 1 - pad[d];
    int64_t i0 = low >= 0 ? 0 : (-low + s[d] - 1) / s[d];
    int64_t i1 = std::min(out[d] - 1, (pShape[d + 1] - 1 - low) / s[d]);
    first[d] = i0;
    count[d] = i1 - i0 + 1;
    at[d] = low + i0 * s[d];
  }
  if (count[0] > 0 && count[1] > 0) {
    Value dy = transpose(b, loc, op.getOutputGrad(), {0, 2, 3, 1});
    auto idx = [&](ArrayRef<int64_t> v) {
      return llvm::to_vector(llvm::map_range(
          v, [&](int64_t x) -> OpFoldResult { return b.getIndexAttr(x); }));
    };
    auto sliceType =
        RankedTensorType::get({n, count[0], count[1], o}, b.getF32Type());
    Value slice = b.create<tensor::ExtractSliceOp>(
        loc, sliceType, dy, idx({0, first[0], first[1], 0}),
        idx({n, count[0], count[1], o}), idx({1, 1, 1, 1}));
    p = b.create<tensor::InsertSliceOp>(
        loc, slice, p, idx({0, at[0], at[1], 0}),
        idx({n, count[0], count[1], o}), idx({1, s[0], s[1], 1}));
  }
  Value dx = convNhwc(b, loc, p, wf, zeros(b, loc, {n, in[0], in[1], c}),
                      {1, 1}, {1, 1});
  return transpose(b, loc, dx, {0, 3, 1, 2});
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
  for (int64_t l : {16, 8, 4})
    if (rank > 2 && spatial % l == 0) {
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
