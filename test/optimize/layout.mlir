// RUN: tcnn-opt %s -split-input-file -tcnn-to-linalg -tcnn-sink-transposes -canonicalize | FileCheck %s
// Convolutions and pooling compute channels-last between NCHW boundaries;
// -tcnn-sink-transposes moves each transpose below the elementwise ops
// after it so that it meets the next op's inverse and both fold away.

// conv -> ReLU -> max pool -> conv: the ReLU runs on the convolution's
// channels-last output, the pool reads it directly, and the second
// convolution pads the pool's channels-last output: no transpose between
// the two convolutions.
func.func @chain(%x: tensor<2x3x8x8xf32>, %w1: tensor<16x3x3x3xf32>, %w2: tensor<16x16x3x3xf32>) -> tensor<2x16x4x4xf32> {
  %c = tcnn.conv2d %x, %w1 stride [1, 1] padding [1, 1] : (tensor<2x3x8x8xf32>, tensor<16x3x3x3xf32>) -> tensor<2x16x8x8xf32>
  %r = tcnn.relu %c : tensor<2x16x8x8xf32>
  %p = tcnn.max_pool2d %r kernel [2, 2] stride [2, 2] padding [0, 0] : tensor<2x16x8x8xf32> -> tensor<2x16x4x4xf32>
  %d = tcnn.conv2d %p, %w2 stride [1, 1] padding [1, 1] : (tensor<2x16x4x4xf32>, tensor<16x16x3x3xf32>) -> tensor<2x16x4x4xf32>
  return %d : tensor<2x16x4x4xf32>
}
// CHECK-LABEL: func.func @chain(
// CHECK: %[[C:.*]] = linalg.conv_2d_nhwc_hwcf {{.*}} -> tensor<2x8x8x16xf32>
// CHECK-NOT: linalg.transpose
// CHECK: %[[R:.*]] = linalg.generic {{.*}} ins(%[[C]] : tensor<2x8x8x16xf32>)
// CHECK: arith.maximumf
// CHECK-NOT: linalg.transpose
// CHECK: %[[V:.*]] = tensor.expand_shape %[[R]] {{\[\[}}0], [1, 2], [3, 4], [5]] output_shape [2, 4, 2, 4, 2, 16]
// CHECK: %[[P:.*]] = linalg.generic {{.*}} ins(%[[V]] : tensor<2x4x2x4x2x16xf32>) outs(%{{.*}} : tensor<2x4x4x16xf32>)
// CHECK-NOT: linalg.transpose
// CHECK: %[[PAD:.*]] = tensor.pad %[[P]] low[0, 1, 1, 0] high[0, 1, 1, 0]
// CHECK-NOT: linalg.transpose ins(%[[P]]
// CHECK: %[[D:.*]] = linalg.conv_2d_nhwc_hwcf {{.*}} ins(%[[PAD]], %{{.*}} : tensor<2x6x6x16xf32>, tensor<3x3x16x16xf32>)
// CHECK: linalg.transpose ins(%[[D]] : tensor<2x4x4x16xf32>) outs(%{{.*}} : tensor<2x16x4x4xf32>) permutation = [0, 3, 1, 2]
// CHECK-NEXT: return

// -----

// A two-input elementwise op whose inputs are transposed alike is sunk
// too (ReLU's gradient of a channels-last upstream gradient and
// pre-activation).
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @both_transposed(%a: tensor<2x4x4x8xf32>, %b: tensor<2x4x4x8xf32>) -> tensor<2x8x4x4xf32> {
  %e = tensor.empty() : tensor<2x8x4x4xf32>
  %ta = linalg.transpose ins(%a : tensor<2x4x4x8xf32>) outs(%e : tensor<2x8x4x4xf32>) permutation = [0, 3, 1, 2]
  %tb = linalg.transpose ins(%b : tensor<2x4x4x8xf32>) outs(%e : tensor<2x8x4x4xf32>) permutation = [0, 3, 1, 2]
  %r = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%ta, %tb : tensor<2x8x4x4xf32>, tensor<2x8x4x4xf32>) outs(%e : tensor<2x8x4x4xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  } -> tensor<2x8x4x4xf32>
  return %r : tensor<2x8x4x4xf32>
}
// CHECK-LABEL: func.func @both_transposed(
// CHECK-SAME: %[[A:[^:]*]]: tensor<2x4x4x8xf32>, %[[B:[^:]*]]: tensor<2x4x4x8xf32>
// CHECK: %[[S:.*]] = linalg.generic {{.*}} ins(%[[A]], %[[B]] : tensor<2x4x4x8xf32>, tensor<2x4x4x8xf32>)
// CHECK: arith.addf
// CHECK: linalg.transpose ins(%[[S]] : tensor<2x4x4x8xf32>) outs(%{{.*}} : tensor<2x8x4x4xf32>) permutation = [0, 3, 1, 2]

// -----

// Not sunk: inputs transposed differently, an input not transposed at
// all (moving the transpose would add one), and a generic that asks for
// its indices (the values depend on the layout).
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @kept(%a: tensor<2x4x4x8xf32>, %b: tensor<2x8x4x4xf32>, %c: tensor<2x4x8x4xf32>) -> (tensor<2x8x4x4xf32>, tensor<2x8x4x4xf32>, tensor<2x8x4x4xf32>) {
  %e = tensor.empty() : tensor<2x8x4x4xf32>
  %ta = linalg.transpose ins(%a : tensor<2x4x4x8xf32>) outs(%e : tensor<2x8x4x4xf32>) permutation = [0, 3, 1, 2]
  %tc = linalg.transpose ins(%c : tensor<2x4x8x4xf32>) outs(%e : tensor<2x8x4x4xf32>) permutation = [0, 2, 1, 3]
  %r1 = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%ta, %tc : tensor<2x8x4x4xf32>, tensor<2x8x4x4xf32>) outs(%e : tensor<2x8x4x4xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  } -> tensor<2x8x4x4xf32>
  %r2 = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%ta, %b : tensor<2x8x4x4xf32>, tensor<2x8x4x4xf32>) outs(%e : tensor<2x8x4x4xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.mulf %x, %y : f32
    linalg.yield %s : f32
  } -> tensor<2x8x4x4xf32>
  %r3 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%ta : tensor<2x8x4x4xf32>) outs(%e : tensor<2x8x4x4xf32>) {
  ^bb0(%x: f32, %o: f32):
    %i = linalg.index 1 : index
    %ii = arith.index_cast %i : index to i32
    %f = arith.sitofp %ii : i32 to f32
    %s = arith.mulf %x, %f : f32
    linalg.yield %s : f32
  } -> tensor<2x8x4x4xf32>
  return %r1, %r2, %r3 : tensor<2x8x4x4xf32>, tensor<2x8x4x4xf32>, tensor<2x8x4x4xf32>
}
// CHECK-LABEL: func.func @kept(
// CHECK: %[[TA:.*]] = linalg.transpose
// CHECK: %[[TC:.*]] = linalg.transpose
// CHECK: linalg.generic {{.*}} ins(%[[TA]], %[[TC]] : tensor<2x8x4x4xf32>, tensor<2x8x4x4xf32>)
// CHECK: linalg.generic {{.*}} ins(%[[TA]], %{{.*}} : tensor<2x8x4x4xf32>, tensor<2x8x4x4xf32>)
// CHECK: linalg.generic {{.*}} ins(%[[TA]] : tensor<2x8x4x4xf32>)
// CHECK: linalg.index 1
