// RUN: tcnn-opt %s -split-input-file -tcnn-to-linalg | FileCheck %s
// Dilated and grouped convolutions stay convolutions: depthwise ones
// (groups = channels) become linalg's depthwise op in all three
// directions, other groups one dense convolution per group.

func.func @depthwise(%x: tensor<2x4x7x7xf32>, %w: tensor<4x1x3x3xf32>, %dy: tensor<2x4x3x3xf32>) -> (tensor<2x4x3x3xf32>, tensor<2x4x7x7xf32>, tensor<4x1x3x3xf32>) {
  %y = tcnn.conv2d %x, %w stride [2, 2] padding [1, 1] {dilation = array<i64: 2, 2>, groups = 4 : i64} : (tensor<2x4x7x7xf32>, tensor<4x1x3x3xf32>) -> tensor<2x4x3x3xf32>
  %dx = tcnn.conv2d_input_grad %dy, %w stride [2, 2] padding [1, 1] {dilation = array<i64: 2, 2>, groups = 4 : i64} : (tensor<2x4x3x3xf32>, tensor<4x1x3x3xf32>) -> tensor<2x4x7x7xf32>
  %dw = tcnn.conv2d_weight_grad %dy, %x stride [2, 2] padding [1, 1] {dilation = array<i64: 2, 2>, groups = 4 : i64} : (tensor<2x4x3x3xf32>, tensor<2x4x7x7xf32>) -> tensor<4x1x3x3xf32>
  return %y, %dx, %dw : tensor<2x4x3x3xf32>, tensor<2x4x7x7xf32>, tensor<4x1x3x3xf32>
}
// CHECK-LABEL: func.func @depthwise(
// Forward: the [4, 1, 3, 3] weight is the filter [3, 3, 4].
// CHECK: linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<2> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%{{.*}}, %{{.*}} : tensor<2x9x9x4xf32>, tensor<3x3x4xf32>) outs(%{{.*}} : tensor<2x3x3x4xf32>)
// Input gradient: stride 2 and dilation 2 (gcd 2) leave one phase, the
// even positions of the padded input, read by every tap one dy row apart;
// it lands in dx every other row and column from (1, 1) on.
// CHECK: linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%{{.*}}, %{{.*}} : tensor<2x5x5x4xf32>, tensor<3x3x4xf32>) outs(%{{.*}} : tensor<2x3x3x4xf32>)
// CHECK: tensor.insert_slice %{{.*}} into %{{.*}}[0, 1, 1, 0] [2, 3, 3, 4] [1, 2, 2, 1] : tensor<2x3x3x4xf32> into tensor<2x7x7x4xf32>
// CHECK-NOT: depthwise_conv_2d_nhwc_hwc {{.*}} tensor<2x3x3x4xf32>) outs
// Weight gradient: the (image, channel) pairs are the depthwise channels,
// stride and dilation swap roles, then a sum over the images.
// CHECK: linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<2> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%{{.*}}, %{{.*}} : tensor<1x9x9x8xf32>, tensor<3x3x8xf32>) outs(%{{.*}} : tensor<1x3x3x8xf32>)
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "reduction"]
// CHECK-NOT: tcnn.

// -----

func.func @two_groups(%x: tensor<1x4x5x5xf32>, %w: tensor<6x2x3x3xf32>) -> tensor<1x6x3x3xf32> {
  %y = tcnn.conv2d %x, %w stride [1, 1] padding [0, 0] {groups = 2 : i64} : (tensor<1x4x5x5xf32>, tensor<6x2x3x3xf32>) -> tensor<1x6x3x3xf32>
  return %y : tensor<1x6x3x3xf32>
}
// Each group: its 2 input channels against its 3 output channels' weights.
// CHECK-LABEL: func.func @two_groups(
// CHECK: tensor.extract_slice %{{.*}}[0, 0, 0, 0] [3, 2, 3, 3]
// CHECK: tensor.extract_slice %{{.*}}[0, 0, 0, 0] [1, 5, 5, 2]
// CHECK: %[[A:.*]] = linalg.conv_2d_nhwc_hwcf {{.*}} ins(%{{.*}}, %{{.*}} : tensor<1x5x5x2xf32>, tensor<3x3x2x3xf32>) outs(%{{.*}} : tensor<1x3x3x3xf32>)
// CHECK: tensor.insert_slice %[[A]] into %{{.*}}[0, 0, 0, 0] [1, 3, 3, 3]
// CHECK: tensor.extract_slice %{{.*}}[3, 0, 0, 0] [3, 2, 3, 3]
// CHECK: tensor.extract_slice %{{.*}}[0, 0, 0, 2] [1, 5, 5, 2]
// CHECK: %[[B:.*]] = linalg.conv_2d_nhwc_hwcf
// CHECK: tensor.insert_slice %[[B]] into %{{.*}}[0, 0, 0, 3] [1, 3, 3, 3]
