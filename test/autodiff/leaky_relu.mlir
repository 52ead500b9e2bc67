// RUN: tcnn-opt %s -split-input-file -tcnn-autodiff=wrt=x | FileCheck %s

func.func @forward(%x: tensor<2x3xf32> {tcnn.input = "x"}, %t: tensor<2x3xf32> {tcnn.target = "t"}) -> (tensor<f32>, tensor<2x3xf32>) {
  %y = tcnn.leaky_relu %x {negative_slope = 2.000000e-01 : f64} : tensor<2x3xf32>
  %l = tcnn.mse_loss %y, %t : tensor<2x3xf32>, tensor<2x3xf32>
  return %l, %y : tensor<f32>, tensor<2x3xf32>
}
// LeakyReLU scales the upstream gradient where its forward input was not
// positive; the backward op carries the forward op's slope.
// CHECK-LABEL: func.func @forward_grad(
// CHECK-SAME: %[[X:[a-z0-9]+]]: tensor<2x3xf32>
// CHECK: %[[DY:.*]] = tcnn.mse_loss_grad
// CHECK: %[[DX:.*]] = tcnn.leaky_relu_grad %[[DY]], %[[X]] {negative_slope = 2.000000e-01 : f64, tcnn.grad_of = ["x"]} : tensor<2x3xf32>
// CHECK: return %{{.*}}, %{{.*}}, %[[DX]]

// -----

func.func @forward(%x: tensor<2x3xf32> {tcnn.input = "x"}, %t: tensor<2x3xf32> {tcnn.target = "t"}) -> (tensor<f32>, tensor<2x3xf32>) {
  %y = tcnn.leaky_relu %x : tensor<2x3xf32>
  %l = tcnn.mse_loss %y, %t : tensor<2x3xf32>, tensor<2x3xf32>
  return %l, %y : tensor<f32>, tensor<2x3xf32>
}
// Without the attribute the slope is PyTorch's default, 0.01.
// CHECK-LABEL: func.func @forward_grad(
// CHECK: tcnn.leaky_relu_grad %{{.*}}, %{{.*}} {negative_slope = 1.000000e-02 : f64, tcnn.grad_of = ["x"]}
