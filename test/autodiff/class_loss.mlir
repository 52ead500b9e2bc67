// RUN: tcnn-opt %s -split-input-file -tcnn-autodiff=wrt=z | FileCheck %s

func.func @forward(%z: tensor<2x4xf32> {tcnn.input = "z"}, %t: tensor<2xi64> {tcnn.target = "t"}) -> (tensor<f32>, tensor<2x4xf32>) {
  %l = tcnn.nll_loss %z, %t : tensor<2x4xf32>, tensor<2xi64>
  return %l, %z : tensor<f32>, tensor<2x4xf32>
}
// The class indices are never differentiated; the backward op reads the
// seed, the scores and the labels.
// CHECK-LABEL: func.func @forward_grad(
// CHECK-SAME: %[[Z:[a-z0-9]+]]: tensor<2x4xf32> {tcnn.input = "z"}, %[[T:[a-z0-9]+]]: tensor<2xi64>
// CHECK: %[[SEED:.*]] = arith.constant {{.*}}dense<1.000000e+00> : tensor<f32>
// CHECK: %[[DZ:.*]] = tcnn.nll_loss_grad %[[SEED]], %[[Z]], %[[T]] {tcnn.grad_of = ["z"]}
// CHECK: return %{{.*}}, %{{.*}}, %[[DZ]]

// -----

func.func @forward(%z: tensor<2x4xf32> {tcnn.input = "z"}, %t: tensor<2xi64> {tcnn.target = "t"}) -> (tensor<f32>, tensor<2x4xf32>) {
  %l = tcnn.cross_entropy_loss %z, %t {label_smoothing = 1.000000e-01 : f64, reduction = "sum"} : tensor<2x4xf32>, tensor<2xi64>
  return %l, %z : tensor<f32>, tensor<2x4xf32>
}
// Label smoothing and the reduction carry over to the backward op.
// CHECK-LABEL: func.func @forward_grad(
// CHECK: tcnn.cross_entropy_loss_grad %{{.*}}, %{{.*}}, %{{.*}} {label_smoothing = 1.000000e-01 : f64, reduction = "sum", tcnn.grad_of = ["z"]}
