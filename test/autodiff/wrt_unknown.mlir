// RUN: not tcnn-opt %s -tcnn-autodiff=wrt=nope 2>&1 | FileCheck %s
// CHECK: error: tcnn-autodiff: wrt names 'nope', which is not an input (tcnn.input) of @forward

func.func @forward(%x: tensor<2x3xf32> {tcnn.input = "x"}, %t: tensor<2x3xf32> {tcnn.target = "t"}) -> tensor<f32> {
  %l = tcnn.mse_loss %x, %t : tensor<2x3xf32>, tensor<2x3xf32>
  return %l : tensor<f32>
}
