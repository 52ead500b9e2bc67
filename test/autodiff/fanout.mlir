// RUN: tcnn-opt %s -tcnn-autodiff | FileCheck %s
// A value used twice: the gradients along both uses are summed with
// tcnn.add before the producer's rule runs, and the producer's backward
// ops are built once.

func.func @forward(%x: tensor<1x1x4x4xf32> {tcnn.input = "x"},
                   %t: tensor<1x1x4x4xf32> {tcnn.target = "t"},
                   %w: tensor<1x1x3x3xf32> {tcnn.param = "conv.weight"}) -> (tensor<f32>, tensor<1x1x4x4xf32>) {
  %h = tcnn.conv2d %x, %w stride [1, 1] padding [1, 1] : (tensor<1x1x4x4xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x4x4xf32>
  %r = tcnn.relu %h : tensor<1x1x4x4xf32>
  %s = tcnn.add %r, %h : tensor<1x1x4x4xf32>
  %l = tcnn.mse_loss %s, %t : tensor<1x1x4x4xf32>, tensor<1x1x4x4xf32>
  return %l, %s : tensor<f32>, tensor<1x1x4x4xf32>
}

// CHECK-LABEL: func.func @forward_grad(
// CHECK: %[[H:.*]] = tcnn.conv2d
// CHECK: %[[DS:.*]] = tcnn.mse_loss_grad
// CHECK: %[[DR:.*]] = tcnn.relu_grad %[[DS]], %[[H]]
// CHECK: %[[DH:.*]] = tcnn.add %[[DS]], %[[DR]] : tensor<1x1x4x4xf32>
// CHECK: %[[DW:.*]] = tcnn.conv2d_weight_grad %[[DH]]
// CHECK-NOT: tcnn.conv2d_weight_grad
// CHECK: return %{{.*}}, %{{.*}}, %[[DW]]
