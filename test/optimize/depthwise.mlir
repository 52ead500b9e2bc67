// RUN: tcnn-opt %s -tcnn-tile -canonicalize | FileCheck %s --check-prefix=TILED
// RUN: tcnn-opt %s -tcnn-tile -tcnn-vectorize -canonicalize | FileCheck %s --check-prefix=VECTOR
// A depthwise convolution (8 images of 32x32, 32 channels, 3x3, padding
// already applied): the channels are the vector lanes.

func.func @depthwise(%x: tensor<8x34x34x32xf32>, %w: tensor<3x3x32xf32>, %init: tensor<8x32x32x32xf32>) -> tensor<8x32x32x32xf32> {
  %y = linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<8x34x34x32xf32>, tensor<3x3x32xf32>) outs(%init : tensor<8x32x32x32xf32>) -> tensor<8x32x32x32xf32>
  return %y : tensor<8x32x32x32xf32>
}
// Threads share images; inside, one output row and one kernel row per
// step, 8 output columns by all 32 channels, the kernel row whole: a 1-D
// depthwise convolution.
// TILED-LABEL: func.func @depthwise(
// TILED: scf.forall (%{{.*}}) in (8) shared_outs
// TILED: scf.for %{{.*}} = %c0 to %c32 step %c1
// TILED: scf.for %{{.*}} = %c0 to %c32 step %c8
// TILED: scf.for %{{.*}} = %c0 to %c3 step %c1
// TILED-NOT: scf.for
// TILED: linalg.depthwise_conv_1d_nwc_wc {{.*}}tcnn.vectorize} ins(%{{.*}}, %{{.*}} : tensor<1x10x32xf32>, tensor<3x32xf32>) outs(%{{.*}} : tensor<1x8x32xf32>)

// Vectorized: each of the 3 taps is one FMA of 8 columns x 32 channels.
// VECTOR-LABEL: func.func @depthwise(
// VECTOR-NOT: linalg.
// VECTOR: vector.transfer_read {{.*}} : tensor<1x10x32xf32>, vector<10x32xf32>
// VECTOR: vector.fma {{.*}} : vector<8x32xf32>
// VECTOR: vector.fma {{.*}} : vector<8x32xf32>
// VECTOR: vector.fma {{.*}} : vector<8x32xf32>
// VECTOR-NOT: vector.fma
// VECTOR: vector.transfer_write
