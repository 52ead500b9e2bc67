// RUN: tcnn-opt %s -split-input-file -tcnn-tile -canonicalize | FileCheck %s --check-prefix=TILED
// RUN: tcnn-opt %s -split-input-file -tcnn-tile -tcnn-vectorize -canonicalize | FileCheck %s --check-prefix=VECTOR
// An SGD-like update of lenet5's conv1 weight, 6x1x5x5: flattened to one
// loop of 150 elements, split after 144 = 9 x 16, the main part in vectors
// of 48 (a multiple of 16 dividing 144), the last 6 elements one vector.

#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @update(%p: tensor<6x1x5x5xf32>, %g: tensor<6x1x5x5xf32>, %lr: f32) -> tensor<6x1x5x5xf32> {
  %e = tensor.empty() : tensor<6x1x5x5xf32>
  %r = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%p, %g : tensor<6x1x5x5xf32>, tensor<6x1x5x5xf32>) outs(%e : tensor<6x1x5x5xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %m = arith.mulf %lr, %b : f32
    %s = arith.subf %a, %m : f32
    linalg.yield %s : f32
  } -> tensor<6x1x5x5xf32>
  return %r : tensor<6x1x5x5xf32>
}
// TILED-LABEL: func.func @update(
// TILED: tensor.collapse_shape %{{.*}} {{\[\[}}0, 1, 2, 3]] : tensor<6x1x5x5xf32> into tensor<150xf32>
// TILED: scf.for %{{.*}} = %c0 to %c144 step %c48
// TILED: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<48xf32>, tensor<48xf32>) outs(%{{.*}} : tensor<48xf32>) attrs = {tcnn.vectorize}
// TILED-NOT: scf.for
// TILED: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<6xf32>, tensor<6xf32>) outs(%{{.*}} : tensor<6xf32>) attrs = {tcnn.vectorize}
// TILED: tensor.expand_shape %{{.*}} {{\[\[}}0, 1, 2, 3]] output_shape [6, 1, 5, 5] : tensor<150xf32> into tensor<6x1x5x5xf32>

// VECTOR-LABEL: func.func @update(
// VECTOR-NOT: linalg.generic
// VECTOR: arith.subf %{{.*}}, %{{.*}} : vector<48xf32>
// VECTOR: arith.subf %{{.*}}, %{{.*}} : vector<6xf32>

// -----

// A ReLU on a 32x32x16x16 activation (2^18 elements): vectors of 64,
// 16 threads' runs of 256 vectors.
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @relu(%x: tensor<32x32x16x16xf32>) -> tensor<32x32x16x16xf32> {
  %e = tensor.empty() : tensor<32x32x16x16xf32>
  %zero = arith.constant 0.0 : f32
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%x : tensor<32x32x16x16xf32>) outs(%e : tensor<32x32x16x16xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.maximumf %a, %zero : f32
    linalg.yield %m : f32
  } -> tensor<32x32x16x16xf32>
  return %r : tensor<32x32x16x16xf32>
}
// TILED-LABEL: func.func @relu(
// TILED: tensor<262144xf32>
// TILED: scf.forall (%{{.*}}) in (16)
// TILED: scf.for %{{.*}} = %c0 to %c16384 step %c64
// TILED: tensor<64xf32>) attrs = {tcnn.vectorize}

// -----

// Fewer than 16 elements: one vector, no loop, no split.
#id = affine_map<(d0) -> (d0)>
func.func @short(%x: tensor<10xf32>) -> tensor<10xf32> {
  %e = tensor.empty() : tensor<10xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<10xf32>) outs(%e : tensor<10xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.mulf %a, %a : f32
    linalg.yield %m : f32
  } -> tensor<10xf32>
  return %r : tensor<10xf32>
}
// TILED-LABEL: func.func @short(
// TILED-NOT: scf.for
// TILED: linalg.generic {{.*}} ins(%{{.*}} : tensor<10xf32>) outs(%{{.*}} : tensor<10xf32>) attrs = {tcnn.vectorize}
