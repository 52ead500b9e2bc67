// RUN: tcnn-opt %s -split-input-file -tcnn-autodiff=wrt=x | FileCheck %s

func.func @forward(%x: tensor<2x3xf32> {tcnn.input = "x"}, %t: tensor<2x3xf32> {tcnn.target = "t"}) -> (tensor<f32>, tensor<2x3xf32>) {
  %s = tcnn.sigmoid %x : tensor<2x3xf32>
  %h = tcnn.tanh %s : tensor<2x3xf32>
  %g = tcnn.gelu %h : tensor<2x3xf32>
  %l = tcnn.mse_loss %g, %t : tensor<2x3xf32>, tensor<2x3xf32>
  return %l, %g : tensor<f32>, tensor<2x3xf32>
}
// Each backward op reads the upstream gradient and its forward op's
// *input*, in reverse order of the chain.
// CHECK-LABEL: func.func @forward_grad(
// CHECK-SAME: %[[X:[a-z0-9]+]]: tensor<2x3xf32>
// CHECK: %[[S:.*]] = tcnn.sigmoid %[[X]]
// CHECK: %[[H:.*]] = tcnn.tanh %[[S]]
// CHECK: %[[DG:.*]] = tcnn.mse_loss_grad
// CHECK: %[[DH:.*]] = tcnn.gelu_grad %[[DG]], %[[H]] : tensor<2x3xf32>
// CHECK: %[[DS:.*]] = tcnn.tanh_grad %[[DH]], %[[S]] : tensor<2x3xf32>
// CHECK: %[[DX:.*]] = tcnn.sigmoid_grad %[[DS]], %[[X]] {tcnn.grad_of = ["x"]} : tensor<2x3xf32>
// CHECK: return %{{.*}}, %{{.*}}, %[[DX]]

// -----

func.func @forward(%x: tensor<2x3xf32> {tcnn.input = "x"}, %t: tensor<2x3xf32> {tcnn.target = "t"}) -> (tensor<f32>, tensor<2x3xf32>) {
  %y = tcnn.elu %x {alpha = 5.000000e-01 : f64} : tensor<2x3xf32>
  %z = tcnn.elu %y : tensor<2x3xf32>
  %l = tcnn.mse_loss %z, %t : tensor<2x3xf32>, tensor<2x3xf32>
  return %l, %z : tensor<f32>, tensor<2x3xf32>
}
// The backward op carries its forward op's alpha; without the attribute
// alpha is PyTorch's default, 1.0.
// CHECK-LABEL: func.func @forward_grad(
// CHECK: tcnn.elu_grad %{{.*}}, %{{.*}} {alpha = 1.000000e+00 : f64}
// CHECK: tcnn.elu_grad %{{.*}}, %{{.*}} {alpha = 5.000000e-01 : f64, tcnn.grad_of = ["x"]}

// -----

func.func @forward(%x: tensor<2x3xf32> {tcnn.input = "x"}, %t: tensor<2x3xf32> {tcnn.target = "t"}) -> (tensor<f32>, tensor<2x3xf32>) {
  %s = tcnn.softmax %x {dim = 1 : i64} : tensor<2x3xf32>
  %l = tcnn.log_softmax %s {dim = 0 : i64} : tensor<2x3xf32>
  %loss = tcnn.mse_loss %l, %t : tensor<2x3xf32>, tensor<2x3xf32>
  return %loss, %l : tensor<f32>, tensor<2x3xf32>
}
// Softmax's backward ops read the forward op's *output* and keep its dim.
// CHECK-LABEL: func.func @forward_grad(
// CHECK-SAME: %[[X:[a-z0-9]+]]: tensor<2x3xf32>
// CHECK: %[[S:.*]] = tcnn.softmax %[[X]] {dim = 1 : i64}
// CHECK: %[[L:.*]] = tcnn.log_softmax %[[S]] {dim = 0 : i64}
// CHECK: %[[DL:.*]] = tcnn.mse_loss_grad
// CHECK: %[[DS:.*]] = tcnn.log_softmax_grad %[[DL]], %[[L]] {dim = 0 : i64} : tensor<2x3xf32>
// CHECK: %[[DX:.*]] = tcnn.softmax_grad %[[DS]], %[[S]] {dim = 1 : i64, tcnn.grad_of = ["x"]} : tensor<2x3xf32>
// CHECK: return %{{.*}}, %{{.*}}, %[[DX]]
