// RUN: tcnn-opt %s -tcnn-autodiff=wrt=x | FileCheck %s
// cat's rule: each input's gradient is its slice of dy, from the sum of
// the sizes before it; a value concatenated twice sums its two slices.

func.func @forward(%x: tensor<1x2x3x3xf32> {tcnn.input = "x"},
                   %w: tensor<3x2x1x1xf32> {tcnn.param = "c.weight"},
                   %t: tensor<1x7x3x3xf32> {tcnn.target = "t"}) -> (tensor<f32>, tensor<1x7x3x3xf32>) {
  %c = tcnn.conv2d %x, %w stride [1, 1] padding [0, 0] : (tensor<1x2x3x3xf32>, tensor<3x2x1x1xf32>) -> tensor<1x3x3x3xf32>
  %y = tcnn.cat %x, %c, %x {dim = -3 : i64} : tensor<1x2x3x3xf32>, tensor<1x3x3x3xf32>, tensor<1x2x3x3xf32> -> tensor<1x7x3x3xf32>
  %l = tcnn.mse_loss %y, %t : tensor<1x7x3x3xf32>, tensor<1x7x3x3xf32>
  return %l, %y : tensor<f32>, tensor<1x7x3x3xf32>
}
// CHECK-LABEL: func.func @forward_grad(
// CHECK: %[[DY:.*]] = tcnn.mse_loss_grad
// CHECK-DAG: %[[G0:.*]] = tcnn.cat_grad %[[DY]] {dim = 1 : i64, offset = 0 : i64} : tensor<1x7x3x3xf32> -> tensor<1x2x3x3xf32>
// CHECK-DAG: %[[GC:.*]] = tcnn.cat_grad %[[DY]] {dim = 1 : i64, offset = 2 : i64} : tensor<1x7x3x3xf32> -> tensor<1x3x3x3xf32>
// CHECK-DAG: %[[G2:.*]] = tcnn.cat_grad %[[DY]] {dim = 1 : i64, offset = 5 : i64} : tensor<1x7x3x3xf32> -> tensor<1x2x3x3xf32>
// CHECK-DAG: tcnn.conv2d_input_grad %[[GC]]
// CHECK-DAG: tcnn.add
