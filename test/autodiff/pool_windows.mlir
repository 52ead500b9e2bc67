// RUN: tcnn-opt %s -tcnn-autodiff=wrt=x | FileCheck %s
// The pools' backward ops carry every window attribute of the forward op:
// where the windows are (ceil_mode, dilation) and what average pooling
// divides by (count_include_pad, divisor_override).

func.func @forward(%x: tensor<1x1x5x5xf32> {tcnn.input = "x"},
                   %t: tensor<1x1x2x2xf32> {tcnn.target = "t"}) -> (tensor<f32>, tensor<1x1x2x2xf32>) {
  %m = tcnn.max_pool2d %x kernel [2, 2] stride [1, 1] padding [1, 1] {ceil_mode = true, dilation = array<i64: 2, 2>} : tensor<1x1x5x5xf32> -> tensor<1x1x5x5xf32>
  %a = tcnn.avg_pool2d %m kernel [3, 3] stride [2, 2] padding [1, 1] {count_include_pad = false, divisor_override = 7 : i64} : tensor<1x1x5x5xf32> -> tensor<1x1x3x3xf32>
  %b = tcnn.avg_pool2d %a kernel [2, 2] stride [2, 2] padding [0, 0] {ceil_mode = true} : tensor<1x1x3x3xf32> -> tensor<1x1x2x2xf32>
  %l = tcnn.mse_loss %b, %t : tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>
  return %l, %b : tensor<f32>, tensor<1x1x2x2xf32>
}
// CHECK-LABEL: func.func @forward_grad(
// CHECK: tcnn.avg_pool2d_grad %{{.*}} kernel [2, 2] stride [2, 2] padding [0, 0] {ceil_mode = true} :
// CHECK: tcnn.avg_pool2d_grad %{{.*}} kernel [3, 3] stride [2, 2] padding [1, 1] {count_include_pad = false, divisor_override = 7 : i64} :
// CHECK: tcnn.max_pool2d_grad %{{.*}}, %{{.*}} kernel [2, 2] stride [1, 1] padding [1, 1] {ceil_mode = true, dilation = array<i64: 2, 2>, tcnn.grad_of = ["x"]}
