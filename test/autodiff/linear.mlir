// RUN: tcnn-opt %s -tcnn-autodiff | FileCheck %s
// Linear + cross-entropy: the input gradient of fc2 feeds fc1 (through the
// ReLU); fc1's own input gradient is never built.

func.func @forward(%x: tensor<4x6xf32> {tcnn.input = "x"},
                   %labels: tensor<4xi64> {tcnn.target = "labels"},
                   %w1: tensor<5x6xf32> {tcnn.param = "fc1.weight"},
                   %b1: tensor<5xf32> {tcnn.param = "fc1.bias"},
                   %w2: tensor<3x5xf32> {tcnn.param = "fc2.weight"}) -> (tensor<f32>, tensor<4x3xf32>) {
  %h = tcnn.linear %x, %w1, %b1 : (tensor<4x6xf32>, tensor<5x6xf32>, tensor<5xf32>) -> tensor<4x5xf32>
  %a = tcnn.relu %h : tensor<4x5xf32>
  %z = tcnn.linear %a, %w2 : (tensor<4x5xf32>, tensor<3x5xf32>) -> tensor<4x3xf32>
  %l = tcnn.cross_entropy_loss %z, %labels : tensor<4x3xf32>, tensor<4xi64>
  return %l, %z : tensor<f32>, tensor<4x3xf32>
}

// CHECK-LABEL: func.func @forward_grad(
// CHECK-SAME: %[[X:[a-z0-9]+]]: tensor<4x6xf32>
// CHECK-SAME: %[[LABELS:[a-z0-9]+]]: tensor<4xi64>
// CHECK-SAME: %[[W1:[a-z0-9]+]]: tensor<5x6xf32>
// CHECK-SAME: %[[B1:[a-z0-9]+]]: tensor<5xf32>
// CHECK-SAME: %[[W2:[a-z0-9]+]]: tensor<3x5xf32>
// CHECK: %[[ONE:.*]] = arith.constant dense<1.000000e+00>
// CHECK: %[[H:.*]] = tcnn.linear %[[X]], %[[W1]], %[[B1]]
// CHECK: %[[A:.*]] = tcnn.relu %[[H]]
// CHECK: %[[Z:.*]] = tcnn.linear %[[A]], %[[W2]]
// CHECK: %[[L:.*]] = tcnn.cross_entropy_loss %[[Z]], %[[LABELS]]
// CHECK: %[[DZ:.*]] = tcnn.cross_entropy_loss_grad %[[ONE]], %[[Z]], %[[LABELS]] : tensor<f32>, tensor<4x3xf32>, tensor<4xi64>
// CHECK: %[[DA:.*]] = tcnn.linear_input_grad %[[DZ]], %[[W2]] : (tensor<4x3xf32>, tensor<3x5xf32>) -> tensor<4x5xf32>
// CHECK: %[[DW2:.*]] = tcnn.linear_weight_grad %[[DZ]], %[[A]] {tcnn.grad_of = ["fc2.weight"]} : (tensor<4x3xf32>, tensor<4x5xf32>) -> tensor<3x5xf32>
// CHECK: %[[DH:.*]] = tcnn.relu_grad %[[DA]], %[[H]]
// CHECK-NOT: tcnn.linear_input_grad
// CHECK: %[[DW1:.*]] = tcnn.linear_weight_grad %[[DH]], %[[X]]
// CHECK: %[[DB1:.*]] = tcnn.bias_grad %[[DH]] {tcnn.grad_of = ["fc1.bias"]} : tensor<4x5xf32> -> tensor<5xf32>
// CHECK: return %[[L]], %[[Z]], %[[DW1]], %[[DB1]], %[[DW2]]
