//===- TcnnOps.cpp - tcnn type inference and verifiers --------------------===//
//
// Forward ops infer their result type through ShapeRules, which also
// produce their error messages; backward ops verify that their explicit
// result type is the shape the forward rule maps to their upstream
// gradient.
//
//===----------------------------------------------------------------------===//

#include "dialect/TcnnOps.h"
#include "dialect/ShapeRules.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/OpImplementation.h"

using namespace mlir;
using namespace mlir::tcnn;

#include "dialect/BatchInterface.cpp.inc"
#include "dialect/GradientInterface.cpp.inc"
#include "dialect/StateInterface.cpp.inc"

namespace {
/// Collects a shape rule's error and emits it at `loc` (if any), so type
/// inference can fail quietly when called speculatively.
struct RuleDiagnostic {
  std::optional<Location> loc;
  void operator()(const llvm::Twine &message) const {
    if (loc)
      emitError(*loc) << message.str();
  }
};
} // namespace

std::optional<StringRef> mlir::tcnn::layerNameOf(Operation *op) {
  Location loc = op->getLoc();
  if (auto fused = dyn_cast<FusedLoc>(loc))
    if (!fused.getLocations().empty())
      loc = fused.getLocations().front();
  if (auto name = dyn_cast<NameLoc>(loc))
    return name.getName().strref();
  return std::nullopt;
}

void mlir::tcnn::nameResultAfterLayer(
    Operation *op, StringRef suffix,
    function_ref<void(Value, StringRef)> set) {
  if (std::optional<StringRef> layer = layerNameOf(op))
    set(op->getResult(0), (*layer + suffix).str());
}

std::optional<std::pair<ArgRole, StringRef>>
mlir::tcnn::argumentRole(FunctionOpInterface func, unsigned i) {
  static const std::pair<ArgRole, StringLiteral> roles[] = {
      {ArgRole::Input, kInputAttr},
      {ArgRole::Target, kTargetAttr},
      {ArgRole::Param, kParamAttr},
      {ArgRole::Buffer, kBufferAttr}};
  for (auto [role, attr] : roles)
    if (auto name = func.getArgAttrOfType<StringAttr>(i, attr))
      return std::make_pair(role, name.getValue());
  return std::nullopt;
}

SmallVector<StringRef> mlir::tcnn::argumentNames(FunctionOpInterface func,
                                                 ArgRole role) {
  SmallVector<StringRef> names;
  for (unsigned i = 0; i < func.getNumArguments(); ++i)
    if (auto r = argumentRole(func, i); r && r->first == role)
      names.push_back(r->second);
  return names;
}

Location mlir::tcnn::layerPartLoc(Location loc, StringRef suffix) {
  auto name = dyn_cast<NameLoc>(loc);
  if (!name)
    return loc;
  return NameLoc::get(
      StringAttr::get(loc.getContext(), name.getName().str() + suffix.str()),
      name.getChildLoc());
}

std::string mlir::tcnn::argumentName(FunctionOpInterface func, unsigned i) {
  if (auto role = argumentRole(func, i))
    return role->second.str();
  return "arg" + std::to_string(i);
}

void mlir::tcnn::setTrainingMode(Operation *func, bool training) {
  func->walk([&](ModeOpInterface op) { op.setTrainingMode(training); });
}

static ArrayRef<int64_t> shapeOf(Value v) {
  return cast<RankedTensorType>(v.getType()).getShape();
}

/// Wraps an inferred shape as an f32 tensor result type.
static LogicalResult setResult(MLIRContext *ctx,
                               const std::optional<shapes::Shape> &shape,
                               SmallVectorImpl<Type> &types) {
  if (!shape)
    return failure();
  types.push_back(RankedTensorType::get(*shape, Float32Type::get(ctx)));
  return success();
}

/// True if every operand is a ranked tensor and every attribute is set;
/// otherwise the op's own invariants report the problem.
static bool wellFormed(ValueRange operands, ArrayRef<Attribute> attrs) {
  for (Value v : operands)
    if (!v || !isa<RankedTensorType>(v.getType()))
      return false;
  return llvm::all_of(attrs, [](Attribute a) { return bool(a); });
}

static std::optional<ArrayRef<int64_t>> optionalShape(Value v) {
  if (!v)
    return std::nullopt;
  return shapeOf(v);
}

//===----------------------------------------------------------------------===//
// Forward ops: inferReturnTypes
//===----------------------------------------------------------------------===//

LogicalResult Conv2dOp::inferReturnTypes(MLIRContext *ctx,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  if (!wellFormed({adaptor.getInput(), adaptor.getWeight()},
                  {adaptor.getStrideAttr(), adaptor.getPaddingAttr()}))
    return failure();
  return setResult(
      ctx,
      shapes::conv2d(shapeOf(adaptor.getInput()), shapeOf(adaptor.getWeight()),
                     optionalShape(adaptor.getBias()), adaptor.getStride(),
                     adaptor.getPadding(),
                     pairOr(adaptor.getDilationAttr(), {1, 1}),
                     intOr(adaptor.getGroupsAttr(), 1), RuleDiagnostic{loc}),
      types);
}

LogicalResult ConvTranspose2dOp::inferReturnTypes(
    MLIRContext *ctx, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  if (!wellFormed({adaptor.getInput(), adaptor.getWeight()},
                  {adaptor.getStrideAttr(), adaptor.getPaddingAttr()}))
    return failure();
  return setResult(
      ctx,
      shapes::convTranspose2d(shapeOf(adaptor.getInput()),
                              shapeOf(adaptor.getWeight()),
                              optionalShape(adaptor.getBias()),
                              adaptor.getStride(), adaptor.getPadding(),
                              pairOr(adaptor.getOutputPaddingAttr(), {0, 0}),
                              pairOr(adaptor.getDilationAttr(), {1, 1}),
                              intOr(adaptor.getGroupsAttr(), 1),
                              RuleDiagnostic{loc}),
      types);
}

/// The result type of a pooling op whose windows are `windows`.
template <typename OpT>
static LogicalResult inferPool(MLIRContext *ctx, std::optional<Location> loc,
                               typename OpT::Adaptor adaptor,
                               const shapes::PoolWindows &windows,
                               SmallVectorImpl<Type> &types) {
  if (!wellFormed({adaptor.getInput()},
                  {adaptor.getKernelSizeAttr(), adaptor.getStrideAttr(),
                   adaptor.getPaddingAttr()}))
    return failure();
  return setResult(ctx,
                   shapes::pool2d(OpT::getOperationName().drop_front(5),
                                  shapeOf(adaptor.getInput()), windows,
                                  RuleDiagnostic{loc}),
                   types);
}

LogicalResult MaxPool2dOp::inferReturnTypes(MLIRContext *ctx,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  return inferPool<MaxPool2dOp>(ctx, loc, adaptor, maxPoolWindows(adaptor),
                                types);
}

LogicalResult AvgPool2dOp::inferReturnTypes(MLIRContext *ctx,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  return inferPool<AvgPool2dOp>(ctx, loc, adaptor, avgPoolWindows(adaptor),
                                types);
}

template <typename OpT>
static LogicalResult inferAdaptivePool(MLIRContext *ctx,
                                       std::optional<Location> loc,
                                       typename OpT::Adaptor adaptor,
                                       SmallVectorImpl<Type> &types) {
  if (!wellFormed({adaptor.getInput()}, {adaptor.getOutputSizeAttr()}))
    return failure();
  return setResult(
      ctx,
      shapes::adaptivePool2d(OpT::getOperationName().drop_front(5),
                             shapeOf(adaptor.getInput()),
                             adaptor.getOutputSize(), RuleDiagnostic{loc}),
      types);
}

/// Ops whose result type one shared rule template infers.
#define TCNN_INFER_WITH(Op, rule)                                              \
  LogicalResult Op::inferReturnTypes(MLIRContext *ctx,                         \
                                     std::optional<Location> loc,              \
                                     Adaptor adaptor,                          \
                                     SmallVectorImpl<Type> &types) {           \
    return rule<Op>(ctx, loc, adaptor, types);                                 \
  }
TCNN_INFER_WITH(AdaptiveAvgPool2dOp, inferAdaptivePool)
TCNN_INFER_WITH(AdaptiveMaxPool2dOp, inferAdaptivePool)

LogicalResult CatOp::inferReturnTypes(MLIRContext *ctx,
                                      std::optional<Location> loc,
                                      Adaptor adaptor,
                                      SmallVectorImpl<Type> &types) {
  SmallVector<Value> inputs(adaptor.getInputs());
  if (inputs.empty() || !wellFormed(inputs, {}))
    return failure();
  SmallVector<shapes::Shape> shapesIn;
  for (Value v : inputs)
    shapesIn.emplace_back(shapeOf(v));
  auto dim = shapes::dimension("cat", shapesIn[0],
                               intOr(adaptor.getDimAttr(), 0),
                               RuleDiagnostic{loc});
  if (!dim)
    return failure();
  return setResult(ctx, shapes::cat(shapesIn, *dim, RuleDiagnostic{loc}),
                   types);
}

LogicalResult Pad2dOp::inferReturnTypes(MLIRContext *ctx,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &types) {
  if (!wellFormed({adaptor.getInput()}, {adaptor.getPaddingAttr()}))
    return failure();
  return setResult(ctx,
                   shapes::pad2d(shapeOf(adaptor.getInput()),
                                 adaptor.getPadding(), RuleDiagnostic{loc}),
                   types);
}

LogicalResult ReluOp::inferReturnTypes(MLIRContext *ctx,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &types) {
  if (!wellFormed({adaptor.getInput()}, {}))
    return failure();
  types.push_back(adaptor.getInput().getType());
  return success();
}

LogicalResult FlattenOp::inferReturnTypes(MLIRContext *ctx,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  if (!wellFormed({adaptor.getInput()}, {}))
    return failure();
  return setResult(ctx,
                   shapes::flatten(shapeOf(adaptor.getInput()),
                                   intOr(adaptor.getStartDimAttr(), 1),
                                   intOr(adaptor.getEndDimAttr(), -1),
                                   RuleDiagnostic{loc}),
                   types);
}

LogicalResult LinearOp::inferReturnTypes(MLIRContext *ctx,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  if (!wellFormed({adaptor.getInput(), adaptor.getWeight()}, {}))
    return failure();
  return setResult(
      ctx,
      shapes::linear(shapeOf(adaptor.getInput()), shapeOf(adaptor.getWeight()),
                     optionalShape(adaptor.getBias()), RuleDiagnostic{loc}),
      types);
}

/// The result type of a loss of prediction and same-shaped target.
template <typename OpT>
static LogicalResult inferPointwiseLoss(MLIRContext *ctx,
                                        std::optional<Location> loc,
                                        typename OpT::Adaptor adaptor,
                                        SmallVectorImpl<Type> &types) {
  if (!wellFormed({adaptor.getInput(), adaptor.getTarget()}, {}))
    return failure();
  return setResult(ctx,
                   shapes::pointwiseLoss(OpT::getOperationName().drop_front(5),
                                         shapeOf(adaptor.getInput()),
                                         shapeOf(adaptor.getTarget()),
                                         RuleDiagnostic{loc}),
                   types);
}

/// The result type of a loss of scores and class indices.
template <typename OpT>
static LogicalResult inferClassLoss(MLIRContext *ctx,
                                    std::optional<Location> loc,
                                    typename OpT::Adaptor adaptor,
                                    SmallVectorImpl<Type> &types) {
  if (!wellFormed({adaptor.getInput(), adaptor.getTarget()}, {}))
    return failure();
  return setResult(ctx,
                   shapes::classLoss(OpT::getOperationName().drop_front(5),
                                     shapeOf(adaptor.getInput()),
                                     shapeOf(adaptor.getTarget()),
                                     RuleDiagnostic{loc}),
                   types);
}

TCNN_INFER_WITH(MseLossOp, inferPointwiseLoss)
TCNN_INFER_WITH(L1LossOp, inferPointwiseLoss)
TCNN_INFER_WITH(SmoothL1LossOp, inferPointwiseLoss)
TCNN_INFER_WITH(BceWithLogitsLossOp, inferPointwiseLoss)
TCNN_INFER_WITH(CrossEntropyLossOp, inferClassLoss)
TCNN_INFER_WITH(NllLossOp, inferClassLoss)
#undef TCNN_INFER_WITH

//===----------------------------------------------------------------------===//
// Backward ops: verifiers
//===----------------------------------------------------------------------===//

/// Emits "<what> has shape A but <rule> gives B" unless the shapes agree.
static LogicalResult expectShape(Operation *op, StringRef what,
                                 ArrayRef<int64_t> actual,
                                 const std::optional<shapes::Shape> &expected,
                                 StringRef because) {
  if (!expected)
    return failure();
  if (actual == ArrayRef<int64_t>(*expected))
    return success();
  return op->emitOpError() << what << " has shape " << shapes::str(actual)
                           << " but " << because << " gives "
                           << shapes::str(*expected);
}

LogicalResult Conv2dInputGradOp::verify() {
  RuleDiagnostic diag{getLoc()};
  auto fwd = shapes::conv2d(shapeOf(getInputGrad()), shapeOf(getWeight()),
                            std::nullopt, getStride(), getPadding(),
                            getDilation(), getGroups(), diag);
  return expectShape(*this, "output_grad", shapeOf(getOutputGrad()), fwd,
                     "conv2d of the result shape with this weight");
}

LogicalResult Conv2dWeightGradOp::verify() {
  RuleDiagnostic diag{getLoc()};
  auto fwd = shapes::conv2d(shapeOf(getInput()), shapeOf(getWeightGrad()),
                            std::nullopt, getStride(), getPadding(),
                            getDilation(), getGroups(), diag);
  return expectShape(*this, "output_grad", shapeOf(getOutputGrad()), fwd,
                     "conv2d of this input with a weight of the result shape");
}

LogicalResult Pad2dGradOp::verify() {
  RuleDiagnostic diag{getLoc()};
  auto fwd = shapes::pad2d(shapeOf(getInputGrad()), getPadding(), diag);
  return expectShape(*this, "output_grad", shapeOf(getOutputGrad()), fwd,
                     "pad2d of the result shape");
}

LogicalResult BiasGradOp::verify() {
  ArrayRef<int64_t> dy = shapeOf(getOutputGrad());
  if (dy.size() < 2)
    return emitOpError() << "output_grad must have a channel dimension 1, got "
                         << shapes::str(dy);
  return expectShape(*this, "result", shapeOf(getBiasGrad()),
                     shapes::Shape{dy[1]}, "summing all but dimension 1");
}

template <typename PoolGradOp>
static LogicalResult verifyPoolGrad(PoolGradOp op, StringRef name,
                                    const shapes::PoolWindows &windows) {
  RuleDiagnostic diag{op.getLoc()};
  auto fwd = shapes::pool2d(name, shapeOf(op.getInputGrad()), windows, diag);
  return expectShape(op, "output_grad", shapeOf(op.getOutputGrad()), fwd,
                     (name + " of the result shape").str());
}

LogicalResult MaxPool2dGradOp::verify() {
  if (getInput().getType() != getInputGrad().getType())
    return emitOpError() << "input has shape " << shapes::str(shapeOf(getInput()))
                         << " but the result has shape "
                         << shapes::str(shapeOf(getInputGrad()));
  return verifyPoolGrad(*this, "max_pool2d", maxPoolWindows(*this));
}

LogicalResult AvgPool2dGradOp::verify() {
  return verifyPoolGrad(*this, "avg_pool2d", avgPoolWindows(*this));
}

/// An adaptive pool's gradient: the result is an input whose pooling to
/// dy's spatial size gives dy's shape.
static LogicalResult verifyAdaptivePoolGrad(Operation *op, Value dy,
                                            Value dx) {
  ArrayRef<int64_t> y = shapeOf(dy), x = shapeOf(dx);
  if (y.size() != 4 || x.size() != 4 || y[0] != x[0] || y[1] != x[1])
    return op->emitOpError()
           << "output_grad " << shapes::str(y) << " and result "
           << shapes::str(x) << " must be [N, C, O_h, O_w] and [N, C, H, W]";
  return success();
}

LogicalResult AdaptiveAvgPool2dGradOp::verify() {
  return verifyAdaptivePoolGrad(*this, getOutputGrad(), getInputGrad());
}

LogicalResult AdaptiveMaxPool2dGradOp::verify() {
  return verifyAdaptivePoolGrad(*this, getOutputGrad(), getInputGrad());
}

LogicalResult CatGradOp::verify() {
  ArrayRef<int64_t> dy = shapeOf(getOutputGrad()), dx = shapeOf(getInputGrad());
  int64_t dim = getDim(), offset = getOffset();
  bool ok = dy.size() == dx.size() && dim >= 0 && dim < int64_t(dy.size()) &&
            offset >= 0 && offset + (dim < int64_t(dx.size()) ? dx[dim] : 0) <=
                               dy[dim];
  for (size_t d = 0; ok && d < dy.size(); ++d)
    ok = int64_t(d) == dim || dy[d] == dx[d];
  if (!ok)
    return emitOpError() << "result " << shapes::str(dx)
                         << " is not a slice of output_grad "
                         << shapes::str(dy) << " along dim " << dim
                         << " from offset " << offset;
  return success();
}

LogicalResult ReshapeOp::verify() {
  int64_t in = shapes::numElements(shapeOf(getInput()));
  int64_t out = shapes::numElements(shapeOf(getOutput()));
  if (in != out)
    return emitOpError() << "cannot reshape " << shapes::str(shapeOf(getInput()))
                         << " (" << in << " elements) to "
                         << shapes::str(shapeOf(getOutput())) << " (" << out
                         << " elements)";
  return success();
}

LogicalResult LinearInputGradOp::verify() {
  RuleDiagnostic diag{getLoc()};
  auto fwd = shapes::linear(shapeOf(getInputGrad()), shapeOf(getWeight()),
                            std::nullopt, diag);
  return expectShape(*this, "output_grad", shapeOf(getOutputGrad()), fwd,
                     "linear of the result shape with this weight");
}

LogicalResult LinearWeightGradOp::verify() {
  RuleDiagnostic diag{getLoc()};
  auto fwd = shapes::linear(shapeOf(getInput()), shapeOf(getWeightGrad()),
                            std::nullopt, diag);
  return expectShape(*this, "output_grad", shapeOf(getOutputGrad()), fwd,
                     "linear of this input with a weight of the result shape");
}

/// A pointwise loss's gradient: target like the prediction, result too.
template <typename GradOp>
static LogicalResult verifyPointwiseLossGrad(GradOp op, StringRef loss) {
  RuleDiagnostic diag{op.getLoc()};
  if (!shapes::pointwiseLoss(loss, shapeOf(op.getInput()),
                             shapeOf(op.getTarget()), diag))
    return failure();
  return expectShape(op, "result", shapeOf(op.getInputGrad()),
                     shapes::Shape(shapeOf(op.getInput())), "the prediction");
}

/// A class loss's gradient: scores [N, C] and indices [N]; result like the
/// scores.
template <typename GradOp>
static LogicalResult verifyClassLossGrad(GradOp op, StringRef loss) {
  RuleDiagnostic diag{op.getLoc()};
  if (!shapes::classLoss(loss, shapeOf(op.getInput()), shapeOf(op.getTarget()),
                         diag))
    return failure();
  return expectShape(op, "result", shapeOf(op.getInputGrad()),
                     shapes::Shape(shapeOf(op.getInput())), "the scores");
}

LogicalResult MseLossGradOp::verify() {
  return verifyPointwiseLossGrad(*this, "mse_loss");
}
LogicalResult L1LossGradOp::verify() {
  return verifyPointwiseLossGrad(*this, "l1_loss");
}
LogicalResult SmoothL1LossGradOp::verify() {
  return verifyPointwiseLossGrad(*this, "smooth_l1_loss");
}
LogicalResult BceWithLogitsLossGradOp::verify() {
  return verifyPointwiseLossGrad(*this, "bce_with_logits_loss");
}
LogicalResult CrossEntropyLossGradOp::verify() {
  return verifyClassLossGrad(*this, "cross_entropy_loss");
}
LogicalResult NllLossGradOp::verify() {
  return verifyClassLossGrad(*this, "nll_loss");
}

#define GET_OP_CLASSES
#include "dialect/TcnnOps.cpp.inc"
