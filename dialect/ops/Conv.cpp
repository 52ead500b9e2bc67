//===- Conv.cpp - nn.Conv2d: layer and reverse rule -----------------------===//
//
// How a model file spells each op of the family (LayerOpInterface), and
// each forward op's reverse-mode rule (GradientOpInterface): given the
// gradient of the result, build the backward ops of ops/Conv.td. Backward
// ops take the forward op's location, so every derived op points back at
// the layer (and model-file line) it differentiates.
//
//===----------------------------------------------------------------------===//

#include "dialect/TcnnOps.h"

using namespace mlir;
using namespace mlir::tcnn;
using T = LayerArg::Type;

ArrayRef<LayerArg> Conv2dOp::getLayerArgs() {
  // PyTorch's order: padding_mode comes before dilation there but is not
  // supported here (zeros only), so dilation and groups bind by keyword.
  static const LayerArg args[] = {
      {"in_channels", T::Int, true}, {"out_channels", T::Int, true},
      {"kernel_size", T::Pair, true}, {"stride", T::Pair},
      {"padding", T::Pair, false, "same|valid"},
      {"dilation", T::Pair},          {"groups", T::Int},
      {"bias", T::Bool}};
  return args;
}

namespace {
/// The channel arguments and kernel of a Conv2d or ConvTranspose2d layer.
struct ConvChannels {
  int64_t in, out, groups;
  std::array<int64_t, 2> kernel;
};

/// Reads and checks them: in_channels and out_channels positive, the
/// input's channel count, groups dividing both.
FailureOr<ConvChannels> convChannels(LayerPlan &plan, StringRef layer) {
  ConvChannels c{plan.getInt("in_channels", 0), plan.getInt("out_channels", 0),
                 plan.getInt("groups", 1), plan.getPair("kernel_size", {1, 1})};
  if (c.in <= 0 || c.out <= 0) {
    plan.atCall()(layer + ": in_channels and out_channels must be positive");
    return failure();
  }
  const shapes::Shape &x = plan.inputs[0];
  if (x.size() == 4 && x[1] != c.in) {
    plan.atArgument("in_channels")(
        layer + ": in_channels is " + Twine(c.in) + " but input '" +
        plan.inputNames[0] + "' " + shapes::str(x) + " has " + Twine(x[1]) +
        " channels");
    return failure();
  }
  if (c.groups < 1 || c.in % c.groups != 0 || c.out % c.groups != 0) {
    plan.atArgument("groups")(layer + ": groups " + Twine(c.groups) +
                              " must be positive and divide both "
                              "in_channels (" +
                              Twine(c.in) + ") and out_channels (" +
                              Twine(c.out) + ")");
    return failure();
  }
  return c;
}

/// `groups` as an op attribute, null for 1 (the ODS default, not printed).
IntegerAttr groupsAttr(Builder &b, const LayerPlan &plan) {
  int64_t groups = plan.getInt("groups", 1);
  return groups != 1 ? b.getI64IntegerAttr(groups) : IntegerAttr();
}

/// The weight and optional bias of a Conv2d or ConvTranspose2d layer: the
/// shapes its rule checks, then the parameters it plans.
struct ConvParams {
  LayerPlan &layer;
  shapes::Shape weight, biasShape;
  bool hasBias;
  ConvParams(LayerPlan &plan, shapes::Shape w)
      : layer(plan), weight(std::move(w)),
        biasShape{plan.getInt("out_channels", 0)},
        hasBias(plan.getBool("bias", true)) {}
  std::optional<ArrayRef<int64_t>> bias() const {
    return hasBias ? std::optional(ArrayRef<int64_t>(biasShape)) : std::nullopt;
  }
  /// The result `shape` of the rule, weight and bias initialized from
  /// `fanIn` as PyTorch's default init.
  LogicalResult plan(std::optional<shapes::Shape> shape, int64_t fanIn) {
    if (!shape)
      return failure();
    layer.result = *shape;
    layer.params.push_back({"weight", weight, fanIn});
    if (hasBias)
      layer.params.push_back({"bias", biasShape, fanIn});
    return success();
  }
};

/// A Conv2d layer's padding: `both` on each side, plus `extra` rows and
/// columns at the bottom and right, which only `"same"` with an even
/// total padding d (k - 1) asks for (as PyTorch, which pads the input by
/// the difference first).
struct ConvPadding {
  std::array<int64_t, 2> both{0, 0}, extra{0, 0};
  bool asymmetric() const { return extra[0] != 0 || extra[1] != 0; }
  /// The extra sides as pad2d's (left, right, top, bottom).
  std::array<int64_t, 4> extraSides() const {
    return {0, extra[1], 0, extra[0]};
  }
};

/// The given pair, or the padding `"same"` (output as large as the input,
/// stride 1) or `"valid"` (none) means for this kernel and dilation.
std::optional<ConvPadding> paddingOf(const LayerPlan &plan,
                                     std::array<int64_t, 2> kernel,
                                     std::array<int64_t, 2> dilation) {
  auto it = plan.args.find("padding");
  if (it == plan.args.end() || it->second.type != LayerArg::Type::String)
    return ConvPadding{plan.getPair("padding", {0, 0})};
  if (it->second.s == "valid")
    return ConvPadding{};
  auto stride = plan.getPair("stride", {1, 1});
  if (stride[0] != 1 || stride[1] != 1) {
    plan.atArgument("padding")(
        "Conv2d: padding=\"same\" needs stride 1 (as in PyTorch)");
    return std::nullopt;
  }
  ConvPadding pad;
  for (int d = 0; d < 2; ++d) {
    int64_t total = dilation[d] * (kernel[d] - 1);
    pad.both[d] = total / 2;
    pad.extra[d] = total - 2 * pad.both[d];
  }
  return pad;
}
} // namespace

LogicalResult Conv2dOp::planLayer(LayerPlan &plan) {
  auto ch = convChannels(plan, "Conv2d");
  if (failed(ch))
    return failure();
  auto [in, out, groups, kernel] = *ch;
  auto dilation = plan.getPair("dilation", {1, 1});
  if (dilation[0] < 1 || dilation[1] < 1) {
    plan.atArgument("dilation")("Conv2d: dilation must be positive, got (" +
                                Twine(dilation[0]) + ", " + Twine(dilation[1]) +
                                ")");
    return failure();
  }
  auto padding = paddingOf(plan, kernel, dilation);
  if (!padding)
    return failure();
  std::optional<shapes::Shape> input = plan.inputs[0];
  if (padding->asymmetric())
    input = shapes::pad2d(*input, padding->extraSides(), plan.atCall());
  if (!input)
    return failure();
  ConvParams p(plan, {out, in / groups, kernel[0], kernel[1]});
  // PyTorch's fan-in: the inputs one output reads.
  return p.plan(shapes::conv2d(*input, p.weight, p.bias(),
                               plan.getPair("stride", {1, 1}), padding->both,
                               dilation, groups, plan.atCall()),
                (in / groups) * kernel[0] * kernel[1]);
}

Value Conv2dOp::buildLayer(OpBuilder &b, Location loc, const LayerPlan &plan,
                           ValueRange inputs, ValueRange params) {
  // Planning succeeded, so the padding is one.
  auto padding = *paddingOf(plan, plan.getPair("kernel_size", {1, 1}),
                            plan.getPair("dilation", {1, 1}));
  Value input = inputs[0];
  if (padding.asymmetric())
    input = b.create<Pad2dOp>(layerPartLoc(loc, ".pad"), input,
                              b.getDenseI64ArrayAttr(padding.extraSides()));
  return b.create<Conv2dOp>(
      loc, input, params[0], params.size() > 1 ? params[1] : Value(),
      pairAttr(b, plan.getPair("stride", {1, 1})), pairAttr(b, padding.both),
      plan.givenPairAttr(b, "dilation"), groupsAttr(b, plan));
}

ArrayRef<LayerArg> ConvTranspose2dOp::getLayerArgs() {
  // PyTorch's positional order.
  static const LayerArg args[] = {
      {"in_channels", T::Int, true}, {"out_channels", T::Int, true},
      {"kernel_size", T::Pair, true}, {"stride", T::Pair},
      {"padding", T::Pair},           {"output_padding", T::Pair},
      {"groups", T::Int},             {"bias", T::Bool},
      {"dilation", T::Pair}};
  return args;
}

LogicalResult ConvTranspose2dOp::planLayer(LayerPlan &plan) {
  auto ch = convChannels(plan, "ConvTranspose2d");
  if (failed(ch))
    return failure();
  auto [in, out, groups, kernel] = *ch;
  ConvParams p(plan, {in, out / groups, kernel[0], kernel[1]});
  // PyTorch initializes from weight.size(1) * kh * kw.
  return p.plan(shapes::convTranspose2d(
                    plan.inputs[0], p.weight, p.bias(), plan.getPair("stride", {1, 1}),
                    plan.getPair("padding", {0, 0}),
                    plan.getPair("output_padding", {0, 0}),
                    plan.getPair("dilation", {1, 1}), groups, plan.atCall()),
                (out / groups) * kernel[0] * kernel[1]);
}

Value ConvTranspose2dOp::buildLayer(OpBuilder &b, Location loc,
                                    const LayerPlan &plan, ValueRange inputs,
                                    ValueRange params) {
  return b.create<ConvTranspose2dOp>(
      loc, inputs[0], params[0], params.size() > 1 ? params[1] : Value(),
      pairAttr(b, plan.getPair("stride", {1, 1})),
      pairAttr(b, plan.getPair("padding", {0, 0})),
      plan.givenPairAttr(b, "output_padding"),
      plan.givenPairAttr(b, "dilation"), groupsAttr(b, plan));
}

//===----------------------------------------------------------------------===//
// Reverse-mode rules
//===----------------------------------------------------------------------===//

LogicalResult Conv2dOp::buildGradients(OpBuilder &b, Value dy,
                                       ArrayRef<bool> needed,
                                       MutableArrayRef<Value> grads) {
  Location loc = getLoc();
  if (needed[0])
    grads[0] = b.create<Conv2dInputGradOp>(
        loc, getInput().getType(), dy, getWeight(), getStrideAttr(),
        getPaddingAttr(), getDilationAttr(), getGroupsAttr());
  if (needed[1])
    grads[1] = b.create<Conv2dWeightGradOp>(
        loc, getWeight().getType(), dy, getInput(), getStrideAttr(),
        getPaddingAttr(), getDilationAttr(), getGroupsAttr());
  if (getBias() && needed[2])
    grads[2] = b.create<BiasGradOp>(loc, getBias().getType(), dy);
  return success();
}

LogicalResult ConvTranspose2dOp::buildGradients(OpBuilder &b, Value dy,
                                                ArrayRef<bool> needed,
                                                MutableArrayRef<Value> grads) {
  // The adjoint of the adjoint: dx is conv2d of dy with the same weight,
  // and the weight gradient is conv2d's with the roles of x and dy
  // swapped (x plays the upstream gradient).
  Location loc = getLoc();
  if (getBias() && needed[2])
    grads[2] = b.create<BiasGradOp>(loc, getBias().getType(), dy);
  // An output_padding of a stride or more (PyTorch allows it below the
  // dilation) adds whole rows no window reaches; conv2d would see an
  // extra window there, so those rows of dy are cut first (they only
  // reach the bias).
  auto outPad = pairOr(getOutputPaddingAttr(), {0, 0});
  auto stride = getStride();
  // The rows and columns to cut, as the padding (left, right, top,
  // bottom) that pad2d_grad removes.
  int64_t rows = outPad[0] >= stride[0] ? outPad[0] : 0,
          cols = outPad[1] >= stride[1] ? outPad[1] : 0;
  if (rows != 0 || cols != 0) {
    auto dyType = cast<RankedTensorType>(dy.getType());
    SmallVector<int64_t> shape(dyType.getShape());
    shape[2] -= rows;
    shape[3] -= cols;
    dy = b.create<Pad2dGradOp>(
        loc, RankedTensorType::get(shape, dyType.getElementType()), dy,
        b.getDenseI64ArrayAttr({0, cols, 0, rows}));
  }
  if (needed[0])
    grads[0] = b.create<Conv2dOp>(loc, getInput().getType(), dy, getWeight(),
                                  Value(), getStrideAttr(), getPaddingAttr(),
                                  getDilationAttr(), getGroupsAttr());
  if (needed[1])
    grads[1] = b.create<Conv2dWeightGradOp>(
        loc, getWeight().getType(), getInput(), dy, getStrideAttr(),
        getPaddingAttr(), getDilationAttr(), getGroupsAttr());
  return success();
}
