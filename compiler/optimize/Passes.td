//===- Passes.td - tcnn's optimizing passes ----------------*- tablegen -*-===//
//
// Each pass writes a transform-dialect script for the module in front of
// it and runs upstream's transform interpreter on it: the tiling,
// decomposition, vectorization and vector lowering are all upstream's;
// what is ours is the choice of which op gets which schedule and sizes.
//
//===----------------------------------------------------------------------===//

#ifndef TCNN_OPTIMIZE_PASSES_TD
#define TCNN_OPTIMIZE_PASSES_TD

include "mlir/Pass/PassBase.td"

def TcnnSinkTransposes : Pass<"tcnn-sink-transposes", "mlir::ModuleOp"> {
  let summary = "Move layout transposes past elementwise ops so they cancel";
  let description = [{
    Each lowering keeps PyTorch's NCHW at its boundary and transposes to
    the layout its fast path reads (convolutions and pooling compute
    channels-last). Between two such ops the pair of transposes is pure
    traffic; when an elementwise op (ReLU, its gradient, a bias-free
    scale) sits between them, they do not meet. This pass rewrites an
    elementwise `linalg.generic` whose every full-rank operand is the
    result of a `linalg.transpose` with one permutation into the same
    generic on the transposes' sources followed by one transpose of its
    result; upstream canonicalization then folds a transpose of a
    transpose into one (or none).

    Example:

    ```mlir
    %t = linalg.transpose ins(%c : tensor<8x4x4x16xf32>)
           outs(%e : tensor<8x16x4x4xf32>) permutation = [0, 3, 1, 2]
    %r = linalg.generic {...} ins(%t : tensor<8x16x4x4xf32>) ... // ReLU
    ```

    becomes the ReLU on `%c` (`tensor<8x4x4x16xf32>`) and a transpose
    of its result.
  }];
  let dependentDialects = [
    "mlir::linalg::LinalgDialect", "mlir::tensor::TensorDialect",
  ];
}

def TcnnFuseElementwise : Pass<"tcnn-fuse-elementwise", "mlir::ModuleOp"> {
  let summary = "Fuse elementwise ops into the generics that consume them";
  let description = [{
    Upstream's elementwise fusion and reshape-by-expansion patterns, with
    tcnn's choice of what to fuse: an elementwise `linalg.generic` (ReLU,
    the max-pool gradient's routing) is folded into each `linalg.generic`
    that reads it whole (pooling's window reduction, ReLU's gradient) when
    it is cheap to recompute (a few scalar ops) or has that one reader;
    its result then never goes through memory. Reshapes between them (the
    window view of pooling) are folded by expanding the elementwise op to
    the view's loops. Named ops (convolutions, matmuls) are never fused.

    Constant paddings (a convolution's zeros) become a `linalg.fill` of
    the padded tensor and a `linalg.copy` into its interior, which are
    tiled and vectorized like the rest (bufferization would leave a
    scalar fill and copy).

    Example: `max(relu(conv))` over 2 x 2 windows becomes one window
    reduction of `max(acc, max(x, 0))` reading the convolution's output.
  }];
  let dependentDialects = [
    "mlir::linalg::LinalgDialect", "mlir::tensor::TensorDialect",
    "mlir::affine::AffineDialect",
  ];
}

def TcnnTile : Pass<"tcnn-tile", "mlir::ModuleOp"> {
  let summary = "Tile convolutions and matmuls into register blocks";
  let description = [{
    Every `linalg.conv_2d_nhwc_hwcf` is tiled with `scf.forall` over its
    batch and output-channel blocks (the threads' share) and `scf.for` over
    output rows, column blocks, kernel rows, kernel columns and input
    channel blocks, so that the innermost op is one output row block times
    one output-channel block; `transform.structured.decompose` then turns
    it into a `linalg.conv_1d_nwc_wcf`. Matmuls are tiled into M x N
    register blocks and K slices. Tile sizes divide the op's dimensions, so
    every tile is static and vectorizes without masks. The ops to vectorize
    are marked `tcnn.vectorize`. Print the script with
    `tcnn-opt --tcnn-tile=print-schedule`.
  }];
  let options = [
    Option<"printSchedule", "print-schedule", "bool", "false",
           "Print the transform script to stderr before applying it">,
  ];
  let dependentDialects = [
    "mlir::transform::TransformDialect", "mlir::linalg::LinalgDialect",
    "mlir::scf::SCFDialect", "mlir::tensor::TensorDialect",
    "mlir::affine::AffineDialect", "mlir::arith::ArithDialect",
  ];
}

def TcnnVectorize : Pass<"tcnn-vectorize", "mlir::ModuleOp"> {
  let summary = "Vectorize the ops tcnn-tile marked";
  let description = [{
    `transform.structured.vectorize` on every op marked `tcnn.vectorize`:
    a tiled convolution becomes `vector.contract`s over an output row block
    and an output-channel block, a matmul tile one `vector.contract`.
  }];
  let dependentDialects = [
    "mlir::transform::TransformDialect", "mlir::vector::VectorDialect",
    "mlir::linalg::LinalgDialect",
  ];
}

def TcnnLowerVectors : Pass<"tcnn-lower-vectors", "mlir::ModuleOp"> {
  let summary = "Keep accumulators in registers and lower vector ops to FMAs";
  let description = [{
    After bufferization: `hoist_redundant_vector_transfers` lifts the
    accumulator tile out of the reduction loops, then contractions are
    lowered as outer products (broadcast + FMA), transfers to loads and
    stores, and transposes and shape casts to shuffles. exp, expm1, log,
    tanh and erf become polynomial approximations.
  }];
  let dependentDialects = [
    "mlir::transform::TransformDialect", "mlir::vector::VectorDialect",
    "mlir::scf::SCFDialect", "mlir::memref::MemRefDialect",
    "mlir::math::MathDialect", "mlir::arith::ArithDialect",
  ];
}

#endif // TCNN_OPTIMIZE_PASSES_TD
