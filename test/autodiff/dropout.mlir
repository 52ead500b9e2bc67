// RUN: tcnn-opt %s -split-input-file -tcnn-autodiff=wrt=x | FileCheck %s

func.func @forward(%x: tensor<2x5xf32> {tcnn.input = "x"}, %t: tensor<2x5xf32> {tcnn.target = "t"}, %s: tensor<i64> {tcnn.buffer = "d.generator"}) -> (tensor<f32>, tensor<2x5xf32>, tensor<i64>) {
  %m = tcnn.dropout_mask %s {p = 0.5 : f64} : tensor<i64> -> tensor<2x5xf32>
  %y = tcnn.dropout %x, %m : tensor<2x5xf32>
  %n = tcnn.advance_generator %s : tensor<i64>
  %l = tcnn.mse_loss %y, %t : tensor<2x5xf32>, tensor<2x5xf32>
  return %l, %y, %n : tensor<f32>, tensor<2x5xf32>, tensor<i64>
}
// Training mode: the mask is a constant, so dx = dy * mask; the
// generator's next state is returned and differentiated by nobody.
// CHECK-LABEL: func.func @forward_grad(
// CHECK: %[[M:.*]] = tcnn.dropout_mask
// CHECK: %[[N:.*]] = tcnn.advance_generator
// CHECK: %[[DY:.*]] = tcnn.mse_loss_grad
// CHECK: %[[DX:.*]] = tcnn.mul %[[DY]], %[[M]] {tcnn.grad_of = ["x"]}
// CHECK: return %{{.*}}, %{{.*}}, %[[N]], %[[DX]]

// -----

func.func @forward(%x: tensor<2x5xf32> {tcnn.input = "x"}, %t: tensor<2x5xf32> {tcnn.target = "t"}, %s: tensor<i64> {tcnn.buffer = "d.generator"}) -> (tensor<f32>, tensor<2x5xf32>) {
  %m = tcnn.dropout_mask %s {p = 0.5 : f64} : tensor<i64> -> tensor<2x5xf32>
  %y = tcnn.dropout %x, %m {training = false} : tensor<2x5xf32>
  %l = tcnn.mse_loss %y, %t : tensor<2x5xf32>, tensor<2x5xf32>
  return %l, %y : tensor<f32>, tensor<2x5xf32>
}
// Inference mode: dropout is the identity, so is its gradient.
// CHECK-LABEL: func.func @forward_grad(
// CHECK: %[[DY:.*]] = tcnn.mse_loss_grad %{{.*}} {tcnn.grad_of = ["x"]}
// CHECK-NOT: tcnn.mul
// CHECK: return %{{.*}}, %{{.*}}, %[[DY]]
