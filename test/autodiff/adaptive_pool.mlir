// RUN: tcnn-opt %s -tcnn-autodiff=wrt=x | FileCheck %s
// Adaptive pools' rules: the average's gradient needs only dy (the window
// sizes follow from the shapes), the maximum's also the forward input.

func.func @forward(%x: tensor<1x1x5x7xf32> {tcnn.input = "x"},
                   %t: tensor<1x1x1x1xf32> {tcnn.target = "t"}) -> (tensor<f32>, tensor<1x1x1x1xf32>) {
  %m = tcnn.adaptive_max_pool2d %x to [2, 3] : tensor<1x1x5x7xf32> -> tensor<1x1x2x3xf32>
  %a = tcnn.adaptive_avg_pool2d %m to [1, 1] : tensor<1x1x2x3xf32> -> tensor<1x1x1x1xf32>
  %l = tcnn.mse_loss %a, %t : tensor<1x1x1x1xf32>, tensor<1x1x1x1xf32>
  return %l, %a : tensor<f32>, tensor<1x1x1x1xf32>
}
// CHECK-LABEL: func.func @forward_grad(
// CHECK-SAME: %[[X:[a-z0-9]+]]: tensor<1x1x5x7xf32> {tcnn.input = "x"}
// CHECK: %[[DA:.*]] = tcnn.mse_loss_grad
// CHECK: %[[DM:.*]] = tcnn.adaptive_avg_pool2d_grad %[[DA]] : tensor<1x1x1x1xf32> -> tensor<1x1x2x3xf32>
// CHECK: tcnn.adaptive_max_pool2d_grad %[[DM]], %[[X]] {tcnn.grad_of = ["x"]} : tensor<1x1x2x3xf32>, tensor<1x1x5x7xf32>
