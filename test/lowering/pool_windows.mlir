// RUN: tcnn-opt %s -tcnn-to-linalg | FileCheck %s
// Pooling windows that do not all have K_h K_w positions to count or read.

func.func @pools(%x: tensor<1x1x5x5xf32>, %dy: tensor<1x1x3x3xf32>) -> (tensor<1x1x3x3xf32>, tensor<1x1x5x5xf32>) {
  %a = tcnn.avg_pool2d %x kernel [3, 3] stride [2, 2] padding [1, 1] {ceil_mode = true, count_include_pad = false} : tensor<1x1x5x5xf32> -> tensor<1x1x3x3xf32>
  %dx = tcnn.max_pool2d_grad %dy, %x kernel [2, 2] stride [2, 2] padding [0, 0] {ceil_mode = true} : (tensor<1x1x3x3xf32>, tensor<1x1x5x5xf32>) -> tensor<1x1x5x5xf32>
  return %a, %dx : tensor<1x1x3x3xf32>, tensor<1x1x5x5xf32>
}
// CHECK-LABEL: func.func @pools(
// count_include_pad = false: each window's divisor is its count of input
// positions (4 at the corners, 6 on the edges, 9 inside), a constant the
// window sums are divided by.
// CHECK: %[[D:.*]] = arith.constant dense<{{\[\[}}4.000000e+00, 6.000000e+00, 4.000000e+00], [6.000000e+00, 9.000000e+00, 6.000000e+00], [4.000000e+00, 6.000000e+00, 4.000000e+00]]> : tensor<3x3xf32>
// CHECK: %[[S:.*]] = linalg.pooling_nchw_sum
// CHECK: linalg.generic {{.*}} ins(%[[S]], %[[D]] : tensor<1x1x3x3xf32>, tensor<3x3xf32>)
// CHECK: arith.divf
// ceil_mode: the third window starts at row 4 and hangs one row over the
// input, which is padded with -inf there (high, not low), and the
// gradient's padded rows are cropped off.
// CHECK: tensor.pad %{{.*}} low[0, 0, 0, 0] high[0, 0, 1, 1]
// CHECK: arith.constant 0xFF800000 : f32
// CHECK: tensor.extract_slice %{{.*}}[0, 0, 0, 0] [1, 1, 5, 5] [1, 1, 1, 1] : tensor<1x1x6x6xf32> to tensor<1x1x5x5xf32>
