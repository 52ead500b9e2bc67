//===- LowerNorm.cpp - batch normalization to linalg ----------------------===//
//
// Per-channel reductions over N, H, W (linalg.generic with the channel as
// the parallel, innermost dimension: channels-last) and elementwise maps
// that read [C] tensors through the channel dimension. The batch statistics take two passes
// (mean, then the mean squared deviation) as the interpreter does; with
// `valid`, the padding rows count for nothing.
//
//===----------------------------------------------------------------------===//

#include "compiler/lowering/LinalgHelpers.h"
#include "compiler/lowering/LoweringInterface.h"

#include "dialect/TcnnOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;
using namespace mlir::tcnn;
using namespace tcnnc::lowering;
using utils::IteratorType;

namespace {

/// The per-channel work runs channels-last: each [N, C, H, W] operand is
/// transposed to [N, H, W, C] (the transposes cancel against the
/// channels-last convolutions around a BatchNorm), so that the channels
/// are the vector lanes and a [C] operand is one vector per tile.
struct ChannelMaps {
  MLIRContext *ctx;
  AffineMap full() const {
    return AffineMap::getMultiDimIdentityMap(4, ctx);
  }
  AffineMap channel() const {
    return AffineMap::get(4, 0, getAffineDimExpr(3, ctx));
  }
  SmallVector<AffineMap> of(ValueRange full4, ValueRange perChannel,
                            AffineMap out) const {
    SmallVector<AffineMap> maps(full4.size(), full());
    maps.append(perChannel.size(), channel());
    maps.push_back(out);
    return maps;
  }
};

RankedTensorType typeOf(Value v) { return cast<RankedTensorType>(v.getType()); }

/// NCHW -> NHWC and back.
constexpr std::array<int64_t, 4> kToLast = {0, 2, 3, 1};
constexpr std::array<int64_t, 4> kToFirst = {0, 3, 1, 2};

/// The [N, C, H, W] operands channels-last, then the [C] ones.
SmallVector<Value> channelsLast(OpBuilder &b, Location loc, ValueRange full4,
                                ValueRange perChannel) {
  SmallVector<Value> inputs;
  for (Value v : full4)
    inputs.push_back(transpose(b, loc, v, kToLast));
  inputs.append(perChannel.begin(), perChannel.end());
  return inputs;
}

/// sum over n < valid, h, w of f(full4[n, c, h, w]..., perChannel[c]...),
/// in two steps: first per (w, c) over n and h, so that each step adds a
/// row of channel vectors into a row of partial sums (the channels are the
/// lanes: no horizontal reduction), then over w.
Value channelSum(OpBuilder &b, Location loc, ValueRange full4,
                 ValueRange perChannel, Value valid, BodyFn f) {
  auto x = typeOf(full4[0]);
  int64_t c = x.getDimSize(1), w = x.getDimSize(3);
  MLIRContext *ctx = b.getContext();
  ChannelMaps m{ctx};
  SmallVector<Value> inputs = channelsLast(b, loc, full4, perChannel);
  IteratorType red = IteratorType::reduction, par = IteratorType::parallel;
  auto rowsType = RankedTensorType::get({w, c}, b.getF32Type());
  AffineMap rowMap = AffineMap::get(
      4, 0, {getAffineDimExpr(2, ctx), getAffineDimExpr(3, ctx)}, ctx);
  Value rows = generic(
      b, loc, rowsType, inputs, zeros(b, loc, rowsType.getShape()),
      m.of(full4, perChannel, rowMap), {red, red, par, par},
      [&](OpBuilder &nb, Location l, ValueRange a) {
        Value term = onRealRows(nb, l, valid, f(nb, l, a.drop_back()));
        return nb.create<arith::AddFOp>(l, a.back(), term).getResult();
      });
  auto result = RankedTensorType::get({c}, b.getF32Type());
  return generic(b, loc, result, {rows}, zeros(b, loc, result.getShape()),
                 {b.getMultiDimIdentityMap(2),
                  AffineMap::get(2, 0, getAffineDimExpr(1, ctx))},
                 {red, par}, [](OpBuilder &nb, Location l, ValueRange a) {
                   return nb.create<arith::AddFOp>(l, a[1], a[0]).getResult();
                 });
}

/// An [N, C, H, W] map of f(full4[n, c, h, w]..., perChannel[c]...),
/// computed channels-last.
Value channelMap(OpBuilder &b, Location loc, ValueRange full4,
                 ValueRange perChannel, BodyFn f) {
  ArrayRef<int64_t> s = typeOf(full4[0]).getShape();
  ChannelMaps m{b.getContext()};
  auto last = RankedTensorType::get({s[0], s[2], s[3], s[1]}, b.getF32Type());
  Value y = generic(b, loc, last, channelsLast(b, loc, full4, perChannel),
                    Value(), m.of(full4, perChannel, m.full()),
                    SmallVector<IteratorType>(4, IteratorType::parallel),
                    [&](OpBuilder &nb, Location l, ValueRange a) {
                      return f(nb, l, a.drop_back());
                    });
  return transpose(b, loc, y, kToFirst);
}

/// A [C] map of f(perChannel[c]...).
Value perChannel(OpBuilder &b, Location loc, ValueRange values, BodyFn f) {
  return elementwise(b, loc, typeOf(values[0]), values, f);
}

/// The values per channel, N·H·W or valid·H·W, as an f32.
Value countOf(OpBuilder &b, Location loc, RankedTensorType x, Value valid) {
  int64_t hw = x.getDimSize(2) * x.getDimSize(3);
  if (!valid)
    return f32(b, loc, static_cast<double>(x.getDimSize(0) * hw));
  Value n = b.create<arith::SIToFPOp>(loc, b.getF32Type(), valid);
  return b.create<arith::MulFOp>(loc, n, f32(b, loc, hw));
}

/// The batch's mean and biased variance per channel.
std::pair<Value, Value> batchStats(OpBuilder &b, Location loc, Value x,
                                   Value valid) {
  Value count = countOf(b, loc, typeOf(x), valid);
  auto divide = [&](OpBuilder &nb, Location l, ValueRange a) {
    return nb.create<arith::DivFOp>(l, a[0], count).getResult();
  };
  Value sum = channelSum(b, loc, {x}, {}, valid,
                         [](OpBuilder &, Location, ValueRange a) { return a[0]; });
  Value mean = perChannel(b, loc, {sum}, divide);
  Value sq = channelSum(b, loc, {x}, {mean}, valid,
                        [](OpBuilder &nb, Location l, ValueRange a) {
                          Value d = nb.create<arith::SubFOp>(l, a[0], a[1]);
                          return nb.create<arith::MulFOp>(l, d, d).getResult();
                        });
  return {mean, perChannel(b, loc, {sq}, divide)};
}

/// 1 / sqrt(var + eps) per channel.
Value invStd(OpBuilder &b, Location loc, Value var, double eps) {
  return perChannel(b, loc, {var}, [&](OpBuilder &nb, Location l, ValueRange a) {
    Value v = nb.create<arith::AddFOp>(l, a[0], f32(nb, l, eps));
    return nb.create<math::RsqrtOp>(l, v).getResult();
  });
}

/// The mean and 1 / sqrt(var + eps) an op normalizes with: the batch's
/// (its input's) or the running statistics'.
template <typename OpT>
std::pair<Value, Value> normalizer(OpT op, OpBuilder &b, bool batch) {
  Location loc = op.getLoc();
  double eps = op.getEps().convertToDouble();
  if (!batch)
    return {op.getRunningMean(), invStd(b, loc, op.getRunningVar(), eps)};
  auto [mean, var] = batchStats(b, loc, op.getInput(), op.getValid());
  return {mean, invStd(b, loc, var, eps)};
}

/// (x - mean) * invstd.
Value xhat(OpBuilder &b, Location l, Value x, Value mean, Value invstd) {
  return b.create<arith::MulFOp>(l, b.create<arith::SubFOp>(l, x, mean),
                                 invstd);
}

Value lowerBatchNorm(BatchNorm2dOp op, OpBuilder &b) {
  Location loc = op.getLoc();
  auto [mean, invstd] =
      normalizer(op, b, op.getTraining() || !op.getRunningMean());
  SmallVector<Value> channel{mean, invstd};
  if (op.getWeight())
    channel.append({op.getWeight(), op.getBias()});
  return channelMap(b, loc, {op.getInput()}, channel,
                    [&](OpBuilder &nb, Location l, ValueRange a) {
                      Value y = xhat(nb, l, a[0], a[1], a[2]);
                      if (a.size() > 3)
                        y = nb.create<arith::AddFOp>(
                            l, nb.create<arith::MulFOp>(l, y, a[3]), a[4]);
                      return y;
                    });
}

/// (1 - m) * running + m * batch (* count / (count - 1) for the variance,
/// PyTorch's unbiased running variance).
SmallVector<Value> lowerUpdate(BatchNorm2dUpdateOp op, OpBuilder &b) {
  if (!op.getTraining())
    return {op.getRunningMean(), op.getRunningVar()};
  Location loc = op.getLoc();
  auto [mean, var] = batchStats(b, loc, op.getInput(), op.getValid());
  Value count = countOf(b, loc, typeOf(op.getInput()), op.getValid());
  Value unbias = b.create<arith::DivFOp>(
      loc, count,
      b.create<arith::MaximumFOp>(
          loc, b.create<arith::SubFOp>(loc, count, f32(b, loc, 1.0)),
          f32(b, loc, 1.0)));
  double m = op.getMomentum().convertToDouble();
  auto blend = [&](Value running, Value batch, Value factor) {
    return perChannel(b, loc, {running, batch},
                      [&](OpBuilder &nb, Location l, ValueRange a) {
                        Value s = a[1];
                        if (factor)
                          s = nb.create<arith::MulFOp>(l, s, factor);
                        Value old = nb.create<arith::MulFOp>(
                            l, a[0], f32(nb, l, 1.0 - m));
                        return nb
                            .create<arith::AddFOp>(
                                l, old,
                                nb.create<arith::MulFOp>(l, s, f32(nb, l, m)))
                            .getResult();
                      });
  };
  return {blend(op.getRunningMean(), mean, Value()),
          blend(op.getRunningVar(), var, unbias)};
}

/// Training: dx = s (dy - mean(dy) - xhat mean(dy xhat)) on real rows;
/// inference: dx = s dy; s = weight * invstd.
Value lowerInputGrad(BatchNorm2dGradOp op, OpBuilder &b) {
  Location loc = op.getLoc();
  bool batch = op.getTraining();
  auto [mean, invstd] = normalizer(op, b, batch);
  Value scale = invstd;
  if (op.getWeight())
    scale = perChannel(b, loc, {invstd, op.getWeight()},
                       [](OpBuilder &nb, Location l, ValueRange a) {
                         return nb.create<arith::MulFOp>(l, a[0], a[1])
                             .getResult();
                       });
  Value dy = op.getOutputGrad(), x = op.getInput(), valid = op.getValid();
  if (!batch)
    return channelMap(b, loc, {dy}, {scale},
                      [](OpBuilder &nb, Location l, ValueRange a) {
                        return nb.create<arith::MulFOp>(l, a[0], a[1])
                            .getResult();
                      });
  Value count = countOf(b, loc, typeOf(x), valid);
  auto meanOf = [&](Value sum) {
    return perChannel(b, loc, {sum}, [&](OpBuilder &nb, Location l,
                                          ValueRange a) {
      return nb.create<arith::DivFOp>(l, a[0], count).getResult();
    });
  };
  Value meanDy = meanOf(channelSum(
      b, loc, {dy}, {}, valid,
      [](OpBuilder &, Location, ValueRange a) { return a[0]; }));
  Value meanDyXhat = meanOf(channelSum(
      b, loc, {dy, x}, {mean, invstd}, valid,
      [](OpBuilder &nb, Location l, ValueRange a) {
        return nb.create<arith::MulFOp>(l, a[0], xhat(nb, l, a[1], a[2], a[3]))
            .getResult();
      }));
  return channelMap(
      b, loc, {dy, x}, {mean, invstd, scale, meanDy, meanDyXhat},
      [&](OpBuilder &nb, Location l, ValueRange a) {
        Value centered = nb.create<arith::SubFOp>(l, a[0], a[5]);
        Value term = nb.create<arith::MulFOp>(l, xhat(nb, l, a[1], a[2], a[3]),
                                              a[6]);
        Value dx = nb.create<arith::MulFOp>(
            l, a[4], nb.create<arith::SubFOp>(l, centered, term));
        return onRealRows(nb, l, valid, dx);
      });
}

/// dweight[c] = sum dy * xhat.
Value lowerWeightGrad(BatchNorm2dWeightGradOp op, OpBuilder &b) {
  auto [mean, invstd] = normalizer(op, b, op.getTraining());
  return channelSum(b, op.getLoc(), {op.getOutputGrad(), op.getInput()},
                    {mean, invstd}, op.getValid(),
                    [](OpBuilder &nb, Location l, ValueRange a) {
                      return nb
                          .create<arith::MulFOp>(
                              l, a[0], xhat(nb, l, a[1], a[2], a[3]))
                          .getResult();
                    });
}

/// About ten operations per element: statistics, normalization, affine.
template <typename OpT>
int64_t normFlops(OpT op) {
  return 10 * typeOf(op.getInput()).getNumElements();
}

} // namespace

void tcnnc::lowering::registerNormLowerings(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *ctx, TcnnDialect *) {
    BatchNorm2dOp::attachInterface<
        FnLowering<BatchNorm2dOp, lowerBatchNorm, normFlops<BatchNorm2dOp>>>(*ctx);
    BatchNorm2dUpdateOp::attachInterface<
        FnLowerings<BatchNorm2dUpdateOp, lowerUpdate, normFlops<BatchNorm2dUpdateOp>>>(*ctx);
    BatchNorm2dGradOp::attachInterface<
        FnLowering<BatchNorm2dGradOp, lowerInputGrad, normFlops<BatchNorm2dGradOp>>>(*ctx);
    BatchNorm2dWeightGradOp::attachInterface<
        FnLowering<BatchNorm2dWeightGradOp, lowerWeightGrad, normFlops<BatchNorm2dWeightGradOp>>>(
        *ctx);
  });
}
