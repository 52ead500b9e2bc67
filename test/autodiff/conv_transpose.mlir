// RUN: tcnn-opt %s -tcnn-autodiff=wrt=x | FileCheck %s
// conv_transpose2d's rule: dx is conv2d of dy with the same weight and
// geometry, dw is conv2d's weight gradient with x in the role of the
// upstream gradient and dy in that of the input, db sums dy.

func.func @forward(%x: tensor<1x4x3x3xf32> {tcnn.input = "x"},
                   %w: tensor<4x3x3x3xf32> {tcnn.param = "u.weight"},
                   %b: tensor<6xf32> {tcnn.param = "u.bias"},
                   %t: tensor<1x6x6x6xf32> {tcnn.target = "t"}) -> (tensor<f32>, tensor<1x6x6x6xf32>) {
  %y = tcnn.conv_transpose2d %x, %w, %b stride [2, 2] padding [1, 1] {groups = 2 : i64, output_padding = array<i64: 1, 1>} : (tensor<1x4x3x3xf32>, tensor<4x3x3x3xf32>, tensor<6xf32>) -> tensor<1x6x6x6xf32>
  %l = tcnn.mse_loss %y, %t : tensor<1x6x6x6xf32>, tensor<1x6x6x6xf32>
  return %l, %y : tensor<f32>, tensor<1x6x6x6xf32>
}
// CHECK-LABEL: func.func @forward_grad(
// CHECK-SAME: %[[X:[a-z0-9]+]]: tensor<1x4x3x3xf32> {tcnn.input = "x"}
// CHECK-SAME: %[[W:[a-z0-9]+]]: tensor<4x3x3x3xf32> {tcnn.param = "u.weight"}
// CHECK: %[[DY:.*]] = tcnn.mse_loss_grad
// CHECK-DAG: tcnn.conv2d %[[DY]], %[[W]] stride [2, 2] padding [1, 1] {groups = 2 : i64, tcnn.grad_of = ["x"]} : (tensor<1x6x6x6xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x3x3xf32>
// CHECK-DAG: tcnn.conv2d_weight_grad %[[X]], %[[DY]] stride [2, 2] padding [1, 1] {groups = 2 : i64, tcnn.grad_of = ["u.weight"]} : (tensor<1x4x3x3xf32>, tensor<1x6x6x6xf32>) -> tensor<4x3x3x3xf32>
// CHECK-DAG: tcnn.bias_grad %[[DY]] {tcnn.grad_of = ["u.bias"]} : tensor<1x6x6x6xf32> -> tensor<6xf32>
