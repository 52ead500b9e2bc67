// RUN: tcnn-opt %s -tcnn-autodiff | FileCheck %s
// RUN: tcnn-opt %s -tcnn-autodiff=wrt=x | FileCheck %s --check-prefix=WRT
// conv2d's rule: weight and bias gradients always, the input gradient only
// when the input is differentiated (wrt=x); the forward values are reused.

func.func @forward(%x: tensor<1x2x5x5xf32> {tcnn.input = "x"},
                   %t: tensor<1x3x2x2xf32> {tcnn.target = "t"},
                   %w: tensor<3x2x3x3xf32> {tcnn.param = "conv.weight"},
                   %b: tensor<3xf32> {tcnn.param = "conv.bias"}) -> (tensor<f32>, tensor<1x3x2x2xf32>) {
  %y = tcnn.conv2d %x, %w, %b stride [2, 2] padding [0, 0] : (tensor<1x2x5x5xf32>, tensor<3x2x3x3xf32>, tensor<3xf32>) -> tensor<1x3x2x2xf32>
  %l = tcnn.mse_loss %y, %t : tensor<1x3x2x2xf32>, tensor<1x3x2x2xf32>
  return %l, %y : tensor<f32>, tensor<1x3x2x2xf32>
}

// The forward function is kept as it was.
// CHECK-LABEL: func.func @forward(
// CHECK-NOT: grad
// CHECK: return

// CHECK-LABEL: func.func @forward_grad(
// CHECK-SAME: %[[X:[a-z0-9]+]]: tensor<1x2x5x5xf32> {tcnn.input = "x"}
// CHECK-SAME: %[[T:[a-z0-9]+]]: tensor<1x3x2x2xf32> {tcnn.target = "t"}
// CHECK-SAME: %[[W:[a-z0-9]+]]: tensor<3x2x3x3xf32> {tcnn.param = "conv.weight"}
// CHECK-SAME: %[[B:[a-z0-9]+]]: tensor<3xf32> {tcnn.param = "conv.bias"}
// CHECK-SAME: -> (tensor<f32>, tensor<1x3x2x2xf32>, tensor<3x2x3x3xf32>, tensor<3xf32>)
// CHECK-SAME: tcnn.result_names = ["result0", "result1", "conv.weight.grad", "conv.bias.grad"]
// CHECK: %[[ONE:.*]] = arith.constant dense<1.000000e+00> : tensor<f32>
// CHECK: %[[Y:.*]] = tcnn.conv2d %[[X]], %[[W]], %[[B]] stride [2, 2] padding [0, 0]
// CHECK: %[[L:.*]] = tcnn.mse_loss %[[Y]], %[[T]]
// CHECK: %[[DY:.*]] = tcnn.mse_loss_grad %[[ONE]], %[[Y]], %[[T]]
// CHECK-NOT: conv2d_input_grad
// CHECK: %[[DW:.*]] = tcnn.conv2d_weight_grad %[[DY]], %[[X]] stride [2, 2] padding [0, 0] {tcnn.grad_of = ["conv.weight"]} : (tensor<1x3x2x2xf32>, tensor<1x2x5x5xf32>) -> tensor<3x2x3x3xf32>
// CHECK: %[[DB:.*]] = tcnn.bias_grad %[[DY]] {tcnn.grad_of = ["conv.bias"]} : tensor<1x3x2x2xf32> -> tensor<3xf32>
// CHECK: return %[[L]], %[[Y]], %[[DW]], %[[DB]]

// WRT-LABEL: func.func @forward_grad(
// WRT-SAME: tcnn.result_names = ["result0", "result1", "conv.weight.grad", "conv.bias.grad", "x.grad"]
// WRT: %[[DY:.*]] = tcnn.mse_loss_grad
// WRT: %[[DX:.*]] = tcnn.conv2d_input_grad %[[DY]], %{{.*}} stride [2, 2] padding [0, 0] {tcnn.grad_of = ["x"]} : (tensor<1x3x2x2xf32>, tensor<3x2x3x3xf32>) -> tensor<1x2x5x5xf32>
// WRT: return {{.*}}, %[[DX]] :
