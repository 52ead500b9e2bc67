// RUN: tcnn-opt %s -tcnn-to-linalg | FileCheck %s
// A transposed convolution is lowered as conv2d's input gradient (by
// phases: stride 2 makes four stride-1 convolutions, each written into
// every other row and column of the output), then the bias is added.

func.func @upsample(%x: tensor<1x4x3x3xf32>, %w: tensor<4x2x3x3xf32>, %b: tensor<2xf32>) -> tensor<1x2x6x6xf32> {
  %y = tcnn.conv_transpose2d %x, %w, %b stride [2, 2] padding [1, 1] {output_padding = array<i64: 1, 1>} : (tensor<1x4x3x3xf32>, tensor<4x2x3x3xf32>, tensor<2xf32>) -> tensor<1x2x6x6xf32>
  return %y : tensor<1x2x6x6xf32>
}
// CHECK-LABEL: func.func @upsample(
// CHECK-COUNT-4: linalg.conv_2d_nhwc_hwcf
// CHECK: tensor.insert_slice %{{.*}} [1, 2, 2, 1]
// CHECK: linalg.broadcast
// CHECK: arith.addf
// CHECK-NOT: tcnn.
