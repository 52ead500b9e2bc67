// RUN: tcnn-opt %s -split-input-file -tcnn-autodiff=wrt=x | FileCheck %s

func.func @forward(%x: tensor<2x3x4x4xf32> {tcnn.input = "x"}, %t: tensor<2x3x4x4xf32> {tcnn.target = "t"}, %w: tensor<3xf32> {tcnn.param = "bn.weight"}, %b: tensor<3xf32> {tcnn.param = "bn.bias"}, %rm: tensor<3xf32> {tcnn.buffer = "bn.running_mean"}, %rv: tensor<3xf32> {tcnn.buffer = "bn.running_var"}) -> (tensor<f32>, tensor<2x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>) {
  %y = tcnn.batch_norm2d %x weight %w, %b running %rm, %rv : (tensor<2x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x3x4x4xf32>
  %m:2 = tcnn.batch_norm2d_update %x, %rm, %rv : tensor<2x3x4x4xf32>, tensor<3xf32>
  %l = tcnn.mse_loss %y, %t : tensor<2x3x4x4xf32>, tensor<2x3x4x4xf32>
  return %l, %y, %m#0, %m#1 : tensor<f32>, tensor<2x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>
}
// Training mode: the input gradient is the three-term rule over the batch
// statistics (no running statistics read), the weight gradient sums
// dy * xhat, the bias gradient is bias_grad; the running statistics are
// returned after the forward results and get no gradient.
// CHECK-LABEL: func.func @forward_grad(
// CHECK-SAME: %[[X:[a-z0-9]+]]: tensor<2x3x4x4xf32> {tcnn.input = "x"}
// CHECK-SAME: %[[W:[a-z0-9]+]]: tensor<3xf32> {tcnn.param = "bn.weight"}
// CHECK: %[[M:.*]]:2 = tcnn.batch_norm2d_update
// CHECK: %[[DY:.*]] = tcnn.mse_loss_grad
// CHECK-DAG: %[[DX:.*]] = tcnn.batch_norm2d_grad %[[DY]], %[[X]] weight %[[W]] {tcnn.grad_of = ["x"]} :
// CHECK-DAG: %[[DW:.*]] = tcnn.batch_norm2d_weight_grad %[[DY]], %[[X]] {tcnn.grad_of = ["bn.weight"]} :
// CHECK-DAG: %[[DB:.*]] = tcnn.bias_grad %[[DY]] {tcnn.grad_of = ["bn.bias"]}
// CHECK: return %{{.*}}, %{{.*}}, %[[M]]#0, %[[M]]#1, %[[DW]], %[[DB]], %[[DX]]

// -----

func.func @forward(%x: tensor<2x3x4x4xf32> {tcnn.input = "x"}, %t: tensor<2x3x4x4xf32> {tcnn.target = "t"}, %rm: tensor<3xf32> {tcnn.buffer = "bn.running_mean"}, %rv: tensor<3xf32> {tcnn.buffer = "bn.running_var"}) -> (tensor<f32>, tensor<2x3x4x4xf32>) {
  %y = tcnn.batch_norm2d %x running %rm, %rv {training = false} : (tensor<2x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x3x4x4xf32>
  %l = tcnn.mse_loss %y, %t : tensor<2x3x4x4xf32>, tensor<2x3x4x4xf32>
  return %l, %y : tensor<f32>, tensor<2x3x4x4xf32>
}
// Inference mode without affine parameters: the input gradient reads the
// running statistics (constants), and there is no weight gradient.
// CHECK-LABEL: func.func @forward_grad(
// CHECK-SAME: %[[X:[a-z0-9]+]]: tensor<2x3x4x4xf32> {tcnn.input = "x"}
// CHECK-SAME: %[[RM:[a-z0-9]+]]: tensor<3xf32> {tcnn.buffer = "bn.running_mean"}
// CHECK-SAME: %[[RV:[a-z0-9]+]]: tensor<3xf32> {tcnn.buffer = "bn.running_var"}
// CHECK: tcnn.batch_norm2d_grad %{{.*}}, %[[X]] running %[[RM]], %[[RV]] {tcnn.grad_of = ["x"], training = false}
// CHECK-NOT: batch_norm2d_weight_grad
