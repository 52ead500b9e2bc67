//===- LowerVectors.cpp - the -tcnn-lower-vectors pass --------------------===//
//
// Runs after bufferization, -fold-memref-alias-ops and -canonicalize:
// hoisting only sees transfers on the buffers themselves, not on subviews,
// and only once the self-copies bufferization leaves are folded away.
//
//===----------------------------------------------------------------------===//

#include "compiler/optimize/Passes.h"

#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace tcnnc::optimize {
#define GEN_PASS_DEF_TCNNLOWERVECTORS
#include "compiler/optimize/Passes.h.inc"
} // namespace tcnnc::optimize

using namespace mlir;

namespace {

constexpr llvm::StringLiteral kScript = R"mlir(
module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %funcs = transform.structured.match ops{["func.func"]} in %root
        : (!transform.any_op) -> !transform.any_op
    %hoisted = transform.structured.hoist_redundant_vector_transfers %funcs
        : (!transform.any_op) -> !transform.any_op
    transform.apply_patterns to %hoisted {
      transform.apply_patterns.vector.lower_contraction lowering_strategy = "outerproduct"
      transform.apply_patterns.vector.transfer_permutation_patterns
      transform.apply_patterns.vector.lower_multi_reduction lowering_strategy = "innerparallel"
      transform.apply_patterns.vector.split_transfer_full_partial split_transfer_strategy = "linalg-copy"
      transform.apply_patterns.vector.transfer_to_scf max_transfer_rank = 1 full_unroll = true
      transform.apply_patterns.vector.lower_transfer max_transfer_rank = 1
      transform.apply_patterns.vector.lower_shape_cast
      transform.apply_patterns.vector.lower_transpose lowering_strategy = "shuffle_16x16"
    } : !transform.any_op
    transform.yield
  }
}
)mlir";

struct TcnnLowerVectorsPass
    : public tcnnc::optimize::impl::TcnnLowerVectorsBase<TcnnLowerVectorsPass> {
  void runOnOperation() override {
    // Transfers whose innermost vector dimension is narrow (the [16 x 2]
    // window rows of pooling over 2 x 2 windows) read or write contiguous
    // memory: as one flat vector they become one load or store and a
    // shuffle, where rank-1 lowering would make 16 loads of 2 elements.
    // The register blocks of convolutions and matmuls (8 or 16 wide) are
    // left as they are.
    RewritePatternSet flatten(&getContext());
    vector::populateFlattenVectorTransferPatterns(
        flatten, /*targetVectorBitwidth=*/128);
    if (failed(applyPatternsAndFoldGreedily(getOperation(), std::move(flatten))))
      return signalPassFailure();
    // exp, expm1, log, tanh, erf on vectors become polynomial
    // approximations in vector arithmetic (a few ulp of f32): LLVM would
    // call libm once per lane, and has no tanh or erf to lower them to.
    RewritePatternSet math(&getContext());
    populateMathPolynomialApproximationPatterns(math);
    if (failed(applyPatternsAndFoldGreedily(getOperation(), std::move(math))))
      return signalPassFailure();
    if (failed(tcnnc::optimize::applyTransformScript(getOperation(), kScript)))
      signalPassFailure();
  }
};

} // namespace
