// RUN: tcnn-opt %s -tcnn-to-linalg | FileCheck %s
// Adaptive pooling: windows that overlap (5 rows to 2 outputs: rows 0..2
// and 2..4) start at floor(i H / O), an affine floordiv, and taps past a
// window's length are masked; sizes that divide the input are the tiled
// windows of a plain pooling.

func.func @adaptive(%x: tensor<1x2x5x7xf32>, %y: tensor<1x2x6x6xf32>) -> (tensor<1x2x2x3xf32>, tensor<1x2x3x2xf32>) {
  %a = tcnn.adaptive_avg_pool2d %x to [2, 3] : tensor<1x2x5x7xf32> -> tensor<1x2x2x3xf32>
  %m = tcnn.adaptive_max_pool2d %y to [3, 2] : tensor<1x2x6x6xf32> -> tensor<1x2x3x2xf32>
  return %a, %m : tensor<1x2x2x3xf32>, tensor<1x2x3x2xf32>
}
// CHECK-DAG: #[[WIN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, (d2 * 5) floordiv 2 + d4, (d3 * 7) floordiv 3 + d5)>
// CHECK-LABEL: func.func @adaptive(
// The longest window is 3x3: the input is padded by 2 after each side.
// CHECK: tensor.pad %{{.*}} low[0, 0, 0, 0] high[0, 0, 2, 2]
// CHECK: linalg.generic {indexing_maps = [#[[WIN]], {{.*}} iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]}
// CHECK: arith.cmpi slt
// CHECK: arith.select
// Every window here has 9 positions.
// CHECK: arith.constant dense<9.000000e+00> : tensor<2x3xf32>
// CHECK: arith.divf
// 6 rows to 3 and 6 columns to 2: windows of 2x3 that tile the input,
// viewed channels-last as [n, i, p, j, q, c].
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0], [1, 2], [3, 4], [5]] output_shape [1, 3, 2, 2, 3, 2]
// CHECK: arith.maximumf
// CHECK-NOT: tcnn.
