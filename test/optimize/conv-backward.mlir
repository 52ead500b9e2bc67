// RUN: tcnn-opt %s -tcnn-to-linalg -canonicalize -tcnn-tile -canonicalize | FileCheck %s --check-prefix=TILED
// RUN: tcnn-opt %s -tcnn-to-linalg -canonicalize -tcnn-tile -tcnn-vectorize -canonicalize | FileCheck %s --check-prefix=VECTOR
// The input gradient of strided's conv2 (8 images of 32x32, 32 -> 32
// channels, 3x3, padding 1) and the weight gradient of its conv1 (16 -> 32
// channels, stride 2) take the forward convolution's fast path.

func.func @input_grad(%dy: tensor<8x32x32x32xf32>, %w: tensor<32x32x3x3xf32>) -> tensor<8x32x32x32xf32> {
  %dx = tcnn.conv2d_input_grad %dy, %w stride [1, 1] padding [1, 1] : (tensor<8x32x32x32xf32>, tensor<32x32x3x3xf32>) -> tensor<8x32x32x32xf32>
  return %dx : tensor<8x32x32x32xf32>
}
// TILED-LABEL: func.func @input_grad(
// TILED: scf.forall (%{{.*}}, %{{.*}}) in (8, 2)
// TILED: linalg.conv_1d_nwc_wcf {{.*}}tcnn.vectorize{{.*}} ins(%{{.*}}, %{{.*}} : tensor<1x16x8xf32>, tensor<1x8x16xf32>) outs(%{{.*}} : tensor<1x16x16xf32>)
// VECTOR-LABEL: func.func @input_grad(
// VECTOR: vector.contract {{.*}} : vector<16x8xf32>, vector<8x16xf32> into vector<16x16xf32>

func.func @weight_grad(%dy: tensor<8x32x32x32xf32>, %x: tensor<8x16x64x64xf32>) -> tensor<32x16x3x3xf32> {
  %dw = tcnn.conv2d_weight_grad %dy, %x stride [2, 2] padding [1, 1] : (tensor<8x32x32x32xf32>, tensor<8x16x64x64xf32>) -> tensor<32x16x3x3xf32>
  return %dw : tensor<32x16x3x3xf32>
}
// The "images" are the 16 input channels, the "filter" dy [i, j, n, o]
// with the stride as its dilation. Output rows are only 3 kernel columns
// wide, so a tile takes whole rows of 4 channels (12 rows of accumulators)
// times 16 output channels, reducing over slices of 8 images; threads share
// 4 x 2 such blocks.
// TILED-LABEL: func.func @weight_grad(
// TILED: scf.forall (%{{.*}}, %{{.*}}) in (4, 2)
// TILED: linalg.conv_1d_nwc_wcf {dilations = dense<2> : vector<1xi64>, strides = dense<1> : vector<1xi64>, tcnn.vectorize} ins(%{{.*}}, %{{.*}} : tensor<4x3x8xf32>, tensor<1x8x16xf32>) outs(%{{.*}} : tensor<4x3x16xf32>)
// VECTOR-LABEL: func.func @weight_grad(
// VECTOR: vector.contract {{.*}} : vector<4x3x8xf32>, vector<8x16xf32> into vector<4x3x16xf32>
