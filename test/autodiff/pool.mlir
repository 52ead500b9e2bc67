// RUN: tcnn-opt %s -split-input-file -tcnn-autodiff=wrt=x | FileCheck %s
// Pools have no parameters; with wrt=x their input gradient is built.

func.func @forward(%x: tensor<1x1x5x5xf32> {tcnn.input = "x"}, %t: tensor<1x1x2x2xf32> {tcnn.target = "t"}) -> (tensor<f32>, tensor<1x1x2x2xf32>) {
  %y = tcnn.max_pool2d %x kernel [3, 3] stride [2, 2] padding [0, 0] : tensor<1x1x5x5xf32> -> tensor<1x1x2x2xf32>
  %l = tcnn.mse_loss %y, %t : tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>
  return %l, %y : tensor<f32>, tensor<1x1x2x2xf32>
}
// Max pooling routes the gradient by the forward input's arg-max.
// CHECK-LABEL: func.func @forward_grad(
// CHECK-SAME: %[[X:[a-z0-9]+]]: tensor<1x1x5x5xf32>
// CHECK: %[[DY:.*]] = tcnn.mse_loss_grad
// CHECK: %[[DX:.*]] = tcnn.max_pool2d_grad %[[DY]], %[[X]] kernel [3, 3] stride [2, 2] padding [0, 0] {tcnn.grad_of = ["x"]} : (tensor<1x1x2x2xf32>, tensor<1x1x5x5xf32>) -> tensor<1x1x5x5xf32>
// CHECK: return %{{.*}}, %{{.*}}, %[[DX]]

// -----

func.func @forward(%x: tensor<1x1x4x4xf32> {tcnn.input = "x"}, %t: tensor<1x1x3x3xf32> {tcnn.target = "t"}) -> (tensor<f32>, tensor<1x1x3x3xf32>) {
  %y = tcnn.avg_pool2d %x kernel [2, 2] stride [2, 2] padding [1, 1] : tensor<1x1x4x4xf32> -> tensor<1x1x3x3xf32>
  %l = tcnn.mse_loss %y, %t : tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>
  return %l, %y : tensor<f32>, tensor<1x1x3x3xf32>
}
// Average pooling needs no forward value, only the upstream gradient.
// CHECK-LABEL: func.func @forward_grad(
// CHECK: %[[DY:.*]] = tcnn.mse_loss_grad
// CHECK: %[[DX:.*]] = tcnn.avg_pool2d_grad %[[DY]] kernel [2, 2] stride [2, 2] padding [1, 1] {tcnn.grad_of = ["x"]} : tensor<1x1x3x3xf32> -> tensor<1x1x4x4xf32>
// CHECK: return %{{.*}}, %{{.*}}, %[[DX]]
