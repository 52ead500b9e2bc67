// RUN: tcnn-opt %s -tcnn-autodiff | FileCheck %s
// A parameter the loss does not depend on gets a zero gradient and no
// backward ops.

func.func @forward(%x: tensor<2x3xf32> {tcnn.input = "x"}, %t: tensor<2x3xf32> {tcnn.target = "t"},
                   %p: tensor<2x3xf32> {tcnn.param = "used"}, %q: tensor<4xf32> {tcnn.param = "unused"}) -> (tensor<f32>, tensor<2x3xf32>) {
  %y = tcnn.add %x, %p : tensor<2x3xf32>
  %l = tcnn.mse_loss %y, %t : tensor<2x3xf32>, tensor<2x3xf32>
  return %l, %y : tensor<f32>, tensor<2x3xf32>
}
// CHECK-LABEL: func.func @forward_grad(
// CHECK-DAG: %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : tensor<4xf32>
// CHECK-DAG: %[[DY:.*]] = tcnn.mse_loss_grad
// CHECK: return %{{.*}}, %{{.*}}, %[[DY]], %[[ZERO]] :
