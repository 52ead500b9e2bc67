// RUN: tcnn-opt %s -tcnn-autodiff=wrt=x | FileCheck %s
// A dilated depthwise convolution's backward ops carry its dilation and
// groups: the input gradient spreads each output's gradient over the same
// spaced-out taps of the same channel, and the weight gradient reads them.

func.func @forward(%x: tensor<1x4x7x7xf32> {tcnn.input = "x"},
                   %t: tensor<1x4x3x3xf32> {tcnn.target = "t"},
                   %w: tensor<4x1x3x3xf32> {tcnn.param = "dw.weight"}) -> (tensor<f32>, tensor<1x4x3x3xf32>) {
  %y = tcnn.conv2d %x, %w stride [1, 1] padding [0, 0] {dilation = array<i64: 2, 2>, groups = 4 : i64} : (tensor<1x4x7x7xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x3x3xf32>
  %l = tcnn.mse_loss %y, %t : tensor<1x4x3x3xf32>, tensor<1x4x3x3xf32>
  return %l, %y : tensor<f32>, tensor<1x4x3x3xf32>
}

// CHECK-LABEL: func.func @forward_grad(
// CHECK-SAME: %[[X:[a-z0-9]+]]: tensor<1x4x7x7xf32> {tcnn.input = "x"}
// CHECK-SAME: %[[W:[a-z0-9]+]]: tensor<4x1x3x3xf32> {tcnn.param = "dw.weight"}
// CHECK: %[[DY:.*]] = tcnn.mse_loss_grad
// CHECK-DAG: tcnn.conv2d_input_grad %[[DY]], %[[W]] stride [1, 1] padding [0, 0] {dilation = array<i64: 2, 2>, groups = 4 : i64, tcnn.grad_of = ["x"]} : (tensor<1x4x3x3xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x7x7xf32>
// CHECK-DAG: tcnn.conv2d_weight_grad %[[DY]], %[[X]] stride [1, 1] padding [0, 0] {dilation = array<i64: 2, 2>, groups = 4 : i64, tcnn.grad_of = ["dw.weight"]} : (tensor<1x4x3x3xf32>, tensor<1x4x7x7xf32>) -> tensor<4x1x3x3xf32>
