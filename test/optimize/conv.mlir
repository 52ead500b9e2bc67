// RUN: tcnn-opt %s -tcnn-tile -canonicalize | FileCheck %s --check-prefix=TILED
// RUN: tcnn-opt %s -tcnn-tile -tcnn-vectorize -canonicalize | FileCheck %s --check-prefix=VECTOR
// A channels-last convolution (cifar_small's conv2: 32 images of 16x16,
// 32 -> 64 channels, 3x3, padding already applied).

func.func @conv(%x: tensor<32x18x18x32xf32>, %w: tensor<3x3x32x64xf32>, %init: tensor<32x16x16x64xf32>) -> tensor<32x16x16x64xf32> {
  %y = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<32x18x18x32xf32>, tensor<3x3x32x64xf32>) outs(%init : tensor<32x16x16x64xf32>) -> tensor<32x16x16x64xf32>
  return %y : tensor<32x16x16x64xf32>
}
// Threads share images and blocks of 16 output channels; inside, one
// output row, one kernel row and column, and 8 input channels per step: a
// 1-D convolution of 16 output columns x 16 output channels.
// TILED-LABEL: func.func @conv(
// TILED: scf.forall (%{{.*}}, %{{.*}}) in (32, 4) shared_outs
// TILED: scf.for %{{.*}} = %c0 to %c16 step %c1
// TILED: scf.for %{{.*}} = %c0 to %c3 step %c1
// TILED: scf.for %{{.*}} = %c0 to %c3 step %c1
// TILED: scf.for %{{.*}} = %c0 to %c32 step %c8
// TILED-NOT: scf.for
// TILED: linalg.conv_1d_nwc_wcf {dilations = dense<1> : vector<1xi64>, strides = dense<1> : vector<1xi64>, tcnn.vectorize}
// TILED-SAME: ins(%{{.*}}, %{{.*}} : tensor<1x16x8xf32>, tensor<1x8x16xf32>) outs(%{{.*}} : tensor<1x16x16xf32>)
// TILED: tensor.parallel_insert_slice

// Vectorized: the tile is one contraction of a 16x8 input row block with an
// 8x16 kernel slice into the 16x16 accumulator block.
// VECTOR-LABEL: func.func @conv(
// VECTOR-NOT: linalg.conv
// VECTOR: vector.transfer_read {{.*}} : tensor<1x16x8xf32>, vector<16x8xf32>
// VECTOR: vector.transfer_read {{.*}} : tensor<1x8x16xf32>, vector<8x16xf32>
// VECTOR: vector.transfer_read {{.*}} : tensor<1x16x16xf32>, vector<16x16xf32>
// VECTOR: vector.contract {{.*}} : vector<16x8xf32>, vector<8x16xf32> into vector<16x16xf32>
// VECTOR: vector.transfer_write {{.*}} : vector<16x16xf32>, tensor<1x16x16xf32>
