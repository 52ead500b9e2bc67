// RUN: tcnn-opt %s -split-input-file -tcnn-to-linalg | FileCheck %s
// Backward ops become linalg.generic; the receptive field is the affine
// map i * stride + p on the padded input.

func.func @conv_grads(%dy: tensor<1x3x4x4xf32>, %w: tensor<3x2x3x3xf32>, %x: tensor<1x2x7x7xf32>) -> (tensor<1x2x7x7xf32>, tensor<3x2x3x3xf32>, tensor<3xf32>) {
  %dx = tcnn.conv2d_input_grad %dy, %w stride [2, 2] padding [1, 1] : (tensor<1x3x4x4xf32>, tensor<3x2x3x3xf32>) -> tensor<1x2x7x7xf32>
  %dw = tcnn.conv2d_weight_grad %dy, %x stride [2, 2] padding [1, 1] : (tensor<1x3x4x4xf32>, tensor<1x2x7x7xf32>) -> tensor<3x2x3x3xf32>
  %db = tcnn.bias_grad %dy : tensor<1x3x4x4xf32> -> tensor<3xf32>
  return %dx, %dw, %db : tensor<1x2x7x7xf32>, tensor<3x2x3x3xf32>, tensor<3xf32>
}
// CHECK-DAG: #[[DY7:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d4, d2, d3)>
// CHECK-DAG: #[[W7:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d4, d1, d5, d6)>
// CHECK-DAG: #[[SCATTER:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2 * 2 + d5, d3 * 2 + d6)>
// CHECK-DAG: #[[DYW:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d4, d0, d5, d6)>
// CHECK-DAG: #[[GATHER:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d4, d1, d5 * 2 + d2, d6 * 2 + d3)>
// CHECK-LABEL: func.func @conv_grads(
// Input gradient: kernel copies scaled by dy, added back where the window was.
// CHECK: %[[DXP:.*]] = linalg.generic {indexing_maps = [#[[DY7]], #[[W7]], #[[SCATTER]]], iterator_types = ["parallel", "parallel", "reduction", "reduction", "reduction", "reduction", "reduction"]}
// CHECK-SAME: outs(%{{.*}} : tensor<1x2x9x9xf32>)
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: tensor.extract_slice %[[DXP]][0, 0, 1, 1] [1, 2, 7, 7] [1, 1, 1, 1] : tensor<1x2x9x9xf32> to tensor<1x2x7x7xf32>
// Weight gradient: the sum over positions of dy times the receptive field.
// CHECK: tensor.pad
// CHECK: linalg.generic {indexing_maps = [#[[DYW]], #[[GATHER]], #{{.*}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
// CHECK-SAME: outs(%{{.*}} : tensor<3x2x3x3xf32>)
// Bias gradient: a reduction over all but dimension 1.
// CHECK: linalg.generic {{.*}} iterator_types = ["reduction", "parallel", "reduction", "reduction"]
// CHECK-SAME: outs(%{{.*}} : tensor<3xf32>)

// -----

func.func @pool_grads(%dy: tensor<1x1x3x3xf32>, %x: tensor<1x1x6x6xf32>) -> (tensor<1x1x6x6xf32>, tensor<1x1x6x6xf32>) {
  %m = tcnn.max_pool2d_grad %dy, %x kernel [2, 2] stride [2, 2] padding [0, 0] : (tensor<1x1x3x3xf32>, tensor<1x1x6x6xf32>) -> tensor<1x1x6x6xf32>
  %a = tcnn.avg_pool2d_grad %dy kernel [2, 2] stride [2, 2] padding [0, 0] : tensor<1x1x3x3xf32> -> tensor<1x1x6x6xf32>
  return %m, %a : tensor<1x1x6x6xf32>, tensor<1x1x6x6xf32>
}
// CHECK-LABEL: func.func @pool_grads(
// The first arg-max of each window: (max, index) in row-major window order.
// CHECK: %[[ARG:.*]]:2 = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]
// CHECK-SAME: outs(%{{.*}}, %{{.*}} : tensor<1x1x3x3xf32>, tensor<1x1x3x3xi32>)
// CHECK: arith.cmpf ogt
// CHECK: linalg.index 4
// CHECK: linalg.index 5
// Then dy is routed to that position.
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[ARG]]#1, %{{.*}} : tensor<1x1x3x3xf32>, tensor<1x1x3x3xi32>, tensor<2x2xf32>)
// CHECK: arith.cmpi eq
// Average pooling spreads dy / (kh kw).
// CHECK: linalg.generic
// CHECK: arith.constant 2.500000e-01 : f32

// -----

func.func @loss_grads(%dl: tensor<f32>, %z: tensor<4x3xf32>, %t: tensor<4xi64>, %y: tensor<4x3xf32>) -> (tensor<4x3xf32>, tensor<4x3xf32>, tensor<f32>) {
  %g1 = tcnn.cross_entropy_loss_grad %dl, %z, %t : tensor<f32>, tensor<4x3xf32>, tensor<4xi64>
  %g2 = tcnn.mse_loss_grad %dl, %z, %y : tensor<f32>, tensor<4x3xf32>, tensor<4x3xf32>
  %l = tcnn.cross_entropy_loss %z, %t : tensor<4x3xf32>, tensor<4xi64>
  return %g1, %g2, %l : tensor<4x3xf32>, tensor<4x3xf32>, tensor<f32>
}
// CHECK-LABEL: func.func @loss_grads(
// Softmax by rows: the row maximum, then the sum of exponentials.
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]
// CHECK: arith.maximumf
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]
// CHECK: math.exp
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel"]
// CHECK: arith.index_cast %{{.*}} : i64 to index
// MSE: 2 / numel = 2 / 12.
// CHECK: arith.constant 0.166666672 : f32
// CHECK: math.log
// CHECK-NOT: tcnn.
