// RUN: tcnn-opt %s -split-input-file -tcnn-autodiff=wrt=x | FileCheck %s

func.func @forward(%x: tensor<1x2x4x4xf32> {tcnn.input = "x"}, %t: tensor<1x2x5x3xf32> {tcnn.target = "t"}) -> (tensor<f32>, tensor<1x2x5x3xf32>) {
  %y = tcnn.pad2d %x padding [-1, 0, 0, 1] : tensor<1x2x4x4xf32> -> tensor<1x2x5x3xf32>
  %l = tcnn.mse_loss %y, %t : tensor<1x2x5x3xf32>, tensor<1x2x5x3xf32>
  return %l, %y : tensor<f32>, tensor<1x2x5x3xf32>
}
// The gradient of padding cuts the upstream gradient back to the input,
// with the forward op's sides.
// CHECK-LABEL: func.func @forward_grad(
// CHECK: %[[DY:.*]] = tcnn.mse_loss_grad
// CHECK: tcnn.pad2d_grad %[[DY]] padding [-1, 0, 0, 1] {tcnn.grad_of = ["x"]} : tensor<1x2x5x3xf32> -> tensor<1x2x4x4xf32>

// -----

func.func @forward(%x: tensor<1x2x3x3xf32> {tcnn.input = "x"}, %w: tensor<2x1x3x3xf32> {tcnn.param = "u.weight"}, %b: tensor<1xf32> {tcnn.param = "u.bias"}, %t: tensor<1x1x8x8xf32> {tcnn.target = "t"}) -> (tensor<f32>, tensor<1x1x8x8xf32>) {
  %y = tcnn.conv_transpose2d %x, %w, %b stride [1, 1] padding [0, 0] {dilation = array<i64: 2, 2>, output_padding = array<i64: 1, 1>} : (tensor<1x2x3x3xf32>, tensor<2x1x3x3xf32>, tensor<1xf32>) -> tensor<1x1x8x8xf32>
  %l = tcnn.mse_loss %y, %t : tensor<1x1x8x8xf32>, tensor<1x1x8x8xf32>
  return %l, %y : tensor<f32>, tensor<1x1x8x8xf32>
}
// output_padding 1 is not less than the stride 1 (PyTorch allows it below
// the dilation): the last row and column of dy reach only the bias, so
// the input and weight gradients read dy with them cut off.
// CHECK-LABEL: func.func @forward_grad(
// CHECK: %[[DY:.*]] = tcnn.mse_loss_grad
// CHECK: tcnn.bias_grad %[[DY]]
// CHECK: %[[CUT:.*]] = tcnn.pad2d_grad %[[DY]] padding [0, 1, 0, 1] : tensor<1x1x8x8xf32> -> tensor<1x1x7x7xf32>
// CHECK: tcnn.conv2d %[[CUT]], %{{.*}} stride [1, 1] padding [0, 0] {dilation = array<i64: 2, 2>{{.*}}} : (tensor<1x1x7x7xf32>, tensor<2x1x3x3xf32>) -> tensor<1x2x3x3xf32>
// CHECK: tcnn.conv2d_weight_grad %{{.*}}, %[[CUT]]
