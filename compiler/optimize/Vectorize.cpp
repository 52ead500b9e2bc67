//===- Vectorize.cpp - the -tcnn-vectorize pass ---------------------------===//

#include "compiler/optimize/Passes.h"

namespace tcnnc::optimize {
#define GEN_PASS_DEF_TCNNVECTORIZE
#include "compiler/optimize/Passes.h.inc"
} // namespace tcnnc::optimize

using namespace mlir;

namespace {

/// Every marked tile at once; the static tile shapes give the vector
/// shapes, so no vector sizes are needed. A vectorized matmul is a
/// broadcast, a multiply and a multi-reduction until reduction_to_contract
/// folds them into the vector.contract that lowers to FMAs. The tiles'
/// unit dimensions (one output row, one image) are cast away: the vector
/// lowering would otherwise turn slices of an n-D vector with a leading 1
/// (the taps of a depthwise row, vector<1x10x32> -> <1x8x32>) into
/// element-by-element extracts and inserts, 5x the code of separable's
/// step for the same loads and FMAs.
constexpr llvm::StringLiteral kScript = R"mlir(
module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %tiles = transform.structured.match attributes {tcnn.vectorize} in %root
        : (!transform.any_op) -> !transform.any_op
    transform.structured.vectorize %tiles : !transform.any_op
    %funcs = transform.structured.match ops{["func.func"]} in %root
        : (!transform.any_op) -> !transform.any_op
    transform.apply_patterns to %funcs {
      transform.apply_patterns.vector.reduction_to_contract
      transform.apply_patterns.vector.transfer_permutation_patterns
      transform.apply_patterns.canonicalization
    } : !transform.any_op
    transform.apply_patterns to %funcs {
      transform.apply_patterns.vector.cast_away_vector_leading_one_dim
      transform.apply_patterns.canonicalization
    } : !transform.any_op
    transform.yield
  }
}
)mlir";

struct TcnnVectorizePass
    : public tcnnc::optimize::impl::TcnnVectorizeBase<TcnnVectorizePass> {
  void runOnOperation() override {
    bool any = false;
    getOperation().walk([&](Operation *op) {
      any |= op->hasAttr("tcnn.vectorize");
    });
    if (any &&
        failed(tcnnc::optimize::applyTransformScript(getOperation(), kScript)))
      signalPassFailure();
  }
};

} // namespace
