// RUN: tcnn-opt %s -tcnn-tile -canonicalize | FileCheck %s --check-prefix=TILED
// RUN: tcnn-opt %s -tcnn-tile -tcnn-vectorize -canonicalize | FileCheck %s --check-prefix=VECTOR
// lenet5's fc1: 64 x 400 times 400 x 120. Tiles divide the extents: 8 rows,
// 30 columns (120 has no divisor between 30 and 32), k in slices of 16.

func.func @matmul(%a: tensor<64x400xf32>, %b: tensor<400x120xf32>, %c: tensor<64x120xf32>) -> tensor<64x120xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<64x400xf32>, tensor<400x120xf32>) outs(%c : tensor<64x120xf32>) -> tensor<64x120xf32>
  return %r : tensor<64x120xf32>
}
// TILED-LABEL: func.func @matmul(
// TILED: scf.for %{{.*}} = %c0 to %c64 step %c8
// TILED: scf.for %{{.*}} = %c0 to %c120 step %c30
// TILED: scf.for %{{.*}} = %c0 to %c400 step %c16
// TILED: linalg.matmul {tcnn.vectorize} ins(%{{.*}}, %{{.*}} : tensor<8x16xf32>, tensor<16x30xf32>) outs(%{{.*}} : tensor<8x30xf32>)

// Vectorized and folded into one contraction per tile.
// VECTOR-LABEL: func.func @matmul(
// VECTOR-NOT: linalg.matmul
// VECTOR: vector.contract {{.*}} : vector<8x16xf32>, vector<16x30xf32> into vector<8x30xf32>
// VECTOR-NOT: vector.multi_reduction
