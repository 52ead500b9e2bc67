// RUN: tcnn-opt %s -split-input-file -tcnn-autodiff=wrt=x | FileCheck %s

func.func @forward(%x: tensor<2x3xf32> {tcnn.input = "x"}, %t: tensor<2x3xf32> {tcnn.target = "t"}) -> (tensor<f32>, tensor<2x3xf32>) {
  %y = tcnn.relu %x : tensor<2x3xf32>
  %l = tcnn.mse_loss %y, %t : tensor<2x3xf32>, tensor<2x3xf32>
  return %l, %y : tensor<f32>, tensor<2x3xf32>
}
// ReLU masks the upstream gradient with its forward input.
// CHECK-LABEL: func.func @forward_grad(
// CHECK-SAME: %[[X:[a-z0-9]+]]: tensor<2x3xf32>
// CHECK: %[[DY:.*]] = tcnn.mse_loss_grad
// CHECK: %[[DX:.*]] = tcnn.relu_grad %[[DY]], %[[X]] {tcnn.grad_of = ["x"]} : tensor<2x3xf32>
// CHECK: return %{{.*}}, %{{.*}}, %[[DX]]

// -----

func.func @forward(%x: tensor<2x3x2x2xf32> {tcnn.input = "x"}, %t: tensor<2x12xf32> {tcnn.target = "t"}) -> (tensor<f32>, tensor<2x12xf32>) {
  %y = tcnn.flatten %x : tensor<2x3x2x2xf32> -> tensor<2x12xf32>
  %l = tcnn.mse_loss %y, %t : tensor<2x12xf32>, tensor<2x12xf32>
  return %l, %y : tensor<f32>, tensor<2x12xf32>
}
// Flatten's gradient is a reshape back to the input shape.
// CHECK-LABEL: func.func @forward_grad(
// CHECK: %[[DY:.*]] = tcnn.mse_loss_grad
// CHECK: %[[DX:.*]] = tcnn.reshape %[[DY]] {tcnn.grad_of = ["x"]} : tensor<2x12xf32> -> tensor<2x3x2x2xf32>
// CHECK: return %{{.*}}, %{{.*}}, %[[DX]]

// -----

func.func @forward(%x: tensor<2x3xf32> {tcnn.input = "x"}, %t: tensor<2x3xf32> {tcnn.target = "t"}, %p: tensor<2x3xf32> {tcnn.param = "p"}) -> (tensor<f32>, tensor<2x3xf32>) {
  %y = tcnn.add %x, %p : tensor<2x3xf32>
  %l = tcnn.mse_loss %y, %t : tensor<2x3xf32>, tensor<2x3xf32>
  return %l, %y : tensor<f32>, tensor<2x3xf32>
}
// Add passes the upstream gradient to both operands unchanged.
// CHECK-LABEL: func.func @forward_grad(
// CHECK: %[[DY:.*]] = tcnn.mse_loss_grad {{.*}} {tcnn.grad_of = ["p", "x"]}
// CHECK-NOT: tcnn.add {{.*}}tcnn.grad_of
// CHECK: return %{{.*}}, %{{.*}}, %[[DY]], %[[DY]]

