// RUN: tcnn-opt %s -split-input-file -tcnn-autodiff=wrt=x | FileCheck %s

func.func @forward(%x: tensor<2x3xf32> {tcnn.input = "x"}, %t: tensor<2x3xf32> {tcnn.target = "t"}) -> (tensor<f32>, tensor<2x3xf32>) {
  %l = tcnn.l1_loss %x, %t : tensor<2x3xf32>, tensor<2x3xf32>
  return %l, %x : tensor<f32>, tensor<2x3xf32>
}
// The loss's backward op reads the seed dL/dL, the prediction and the
// target; the target is never differentiated.
// CHECK-LABEL: func.func @forward_grad(
// CHECK-SAME: %[[X:[a-z0-9]+]]: tensor<2x3xf32> {tcnn.input = "x"}, %[[T:[a-z0-9]+]]: tensor<2x3xf32>
// CHECK: %[[SEED:.*]] = arith.constant {{.*}}dense<1.000000e+00> : tensor<f32>
// CHECK: %[[DX:.*]] = tcnn.l1_loss_grad %[[SEED]], %[[X]], %[[T]] {tcnn.grad_of = ["x"]}
// CHECK: return %{{.*}}, %{{.*}}, %[[DX]]

// -----

func.func @forward(%x: tensor<2x3xf32> {tcnn.input = "x"}, %t: tensor<2x3xf32> {tcnn.target = "t"}) -> (tensor<f32>, tensor<2x3xf32>) {
  %l = tcnn.smooth_l1_loss %x, %t : tensor<2x3xf32>, tensor<2x3xf32>
  return %l, %x : tensor<f32>, tensor<2x3xf32>
}
// Without the attribute beta is PyTorch's default, 1.0; the backward op
// carries it.
// CHECK-LABEL: func.func @forward_grad(
// CHECK: tcnn.smooth_l1_loss_grad %{{.*}}, %{{.*}}, %{{.*}} {beta = 1.000000e+00 : f64, tcnn.grad_of = ["x"]}

// -----

func.func @forward(%x: tensor<2x3xf32> {tcnn.input = "x"}, %t: tensor<2x3xf32> {tcnn.target = "t"}) -> (tensor<f32>, tensor<2x3xf32>) {
  %l = tcnn.bce_with_logits_loss %x, %t {reduction = "sum"} : tensor<2x3xf32>, tensor<2x3xf32>
  return %l, %x : tensor<f32>, tensor<2x3xf32>
}
// The reduction reaches the backward op: a sum's gradient is not divided.
// CHECK-LABEL: func.func @forward_grad(
// CHECK: tcnn.bce_with_logits_loss_grad %{{.*}}, %{{.*}}, %{{.*}} {reduction = "sum", tcnn.grad_of = ["x"]}
