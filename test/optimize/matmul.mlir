// RUN: tcnn-opt %s -split-input-file -tcnn-tile -canonicalize | FileCheck %s --check-prefix=TILED
// RUN: tcnn-opt %s -split-input-file -tcnn-tile -tcnn-vectorize -canonicalize | FileCheck %s --check-prefix=VECTOR
// lenet5's fc1: 64 x 400 times 400 x 120. Tiles divide the extents: 8 rows
// (the threads' share), 24 columns (the vector lanes: the largest multiple
// of 8 up to 32 that divides 120, rather than 30 = 16 + 8 + 4 + 2 lanes), k
// in slices of 16.

func.func @matmul(%a: tensor<64x400xf32>, %b: tensor<400x120xf32>, %c: tensor<64x120xf32>) -> tensor<64x120xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<64x400xf32>, tensor<400x120xf32>) outs(%c : tensor<64x120xf32>) -> tensor<64x120xf32>
  return %r : tensor<64x120xf32>
}
// TILED-LABEL: func.func @matmul(
// TILED: scf.forall (%{{.*}}) in (8)
// TILED: scf.for %{{.*}} = %c0 to %c120 step %c24
// TILED: scf.for %{{.*}} = %c0 to %c400 step %c16
// TILED: linalg.matmul {tcnn.vectorize} ins(%{{.*}}, %{{.*}} : tensor<8x16xf32>, tensor<16x24xf32>) outs(%{{.*}} : tensor<8x24xf32>)

// Vectorized and folded into one contraction per tile.
// VECTOR-LABEL: func.func @matmul(
// VECTOR-NOT: linalg.matmul
// VECTOR: vector.contract {{.*}} : vector<8x16xf32>, vector<16x24xf32> into vector<8x24xf32>
// VECTOR-NOT: vector.multi_reduction

// -----

// Its input gradient: 64 x 120 times 120 x 400; 400 columns make tiles of 16
// lanes (one register), not 25.
func.func @matmul_input_grad(%a: tensor<64x120xf32>, %b: tensor<120x400xf32>, %c: tensor<64x400xf32>) -> tensor<64x400xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<64x120xf32>, tensor<120x400xf32>) outs(%c : tensor<64x400xf32>) -> tensor<64x400xf32>
  return %r : tensor<64x400xf32>
}
// TILED-LABEL: func.func @matmul_input_grad(
// TILED: linalg.matmul {tcnn.vectorize} ins(%{{.*}}, %{{.*}} : tensor<8x15xf32>, tensor<15x16xf32>) outs(%{{.*}} : tensor<8x16xf32>)
