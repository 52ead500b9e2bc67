// RUN: tcnn-opt %s -tcnn-autodiff=wrt=a,b | FileCheck %s

func.func @forward(%a: tensor<2x3xf32> {tcnn.input = "a"}, %b: tensor<2x3xf32> {tcnn.input = "b"}, %t: tensor<2x3xf32> {tcnn.target = "t"}) -> (tensor<f32>, tensor<2x3xf32>) {
  %y = tcnn.mul %a, %b : tensor<2x3xf32>
  %l = tcnn.mse_loss %y, %t : tensor<2x3xf32>, tensor<2x3xf32>
  return %l, %y : tensor<f32>, tensor<2x3xf32>
}
// Each operand's gradient is the upstream gradient times the other operand.
// CHECK-LABEL: func.func @forward_grad(
// CHECK-SAME: %[[A:[a-z0-9]+]]: tensor<2x3xf32> {tcnn.input = "a"}, %[[B:[a-z0-9]+]]: tensor<2x3xf32> {tcnn.input = "b"}
// CHECK: %[[DY:.*]] = tcnn.mse_loss_grad
// CHECK-DAG: %[[DA:.*]] = tcnn.mul %[[DY]], %[[B]] {tcnn.grad_of = ["a"]}
// CHECK-DAG: %[[DB:.*]] = tcnn.mul %[[DY]], %[[A]] {tcnn.grad_of = ["b"]}
// CHECK: return %{{.*}}, %{{.*}}, %[[DA]], %[[DB]]
