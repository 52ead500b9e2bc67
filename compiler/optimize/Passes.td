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
