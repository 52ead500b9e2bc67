// RUN: tcnn-opt %s -split-input-file -tcnn-to-linalg | FileCheck %s
// Forward ops become linalg named ops: convolution (channels-last, between
// layout transposes) and pooling with their strides, matmuls for linear,
// tensor.pad for padding.

func.func @conv(%x: tensor<1x2x7x7xf32>, %w: tensor<3x2x3x3xf32>, %b: tensor<3xf32>) -> tensor<1x3x4x4xf32> {
  %y = tcnn.conv2d %x, %w, %b stride [2, 2] padding [1, 1] : (tensor<1x2x7x7xf32>, tensor<3x2x3x3xf32>, tensor<3xf32>) -> tensor<1x3x4x4xf32>
  return %y : tensor<1x3x4x4xf32>
}
// CHECK-LABEL: func.func @conv(
// CHECK-SAME: %[[X:.*]]: tensor<1x2x7x7xf32>, %[[W:.*]]: tensor<3x2x3x3xf32>, %[[B:.*]]: tensor<3xf32>
// CHECK: %[[XT:.*]] = linalg.transpose ins(%[[X]] : tensor<1x2x7x7xf32>) outs(%{{.*}} : tensor<1x7x7x2xf32>) permutation = [0, 2, 3, 1]
// CHECK: %[[XP:.*]] = tensor.pad %[[XT]] low[0, 1, 1, 0] high[0, 1, 1, 0]
// CHECK: tensor<1x7x7x2xf32> to tensor<1x9x9x2xf32>
// CHECK: %[[WT:.*]] = linalg.transpose ins(%[[W]] : tensor<3x2x3x3xf32>) outs(%{{.*}} : tensor<3x3x2x3xf32>) permutation = [2, 3, 1, 0]
// CHECK: %[[INIT:.*]] = linalg.broadcast ins(%[[B]] : tensor<3xf32>) outs(%{{.*}} : tensor<1x4x4x3xf32>) dimensions = [0, 1, 2]
// CHECK: %[[Y:.*]] = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%[[XP]], %[[WT]] : tensor<1x9x9x2xf32>, tensor<3x3x2x3xf32>) outs(%[[INIT]] : tensor<1x4x4x3xf32>)
// CHECK: linalg.transpose ins(%[[Y]] : tensor<1x4x4x3xf32>) outs(%{{.*}} : tensor<1x3x4x4xf32>) permutation = [0, 3, 1, 2]
// CHECK-NOT: tcnn.

// -----

func.func @pools(%x: tensor<1x1x6x6xf32>) -> (tensor<1x1x3x3xf32>, tensor<1x1x4x4xf32>) {
  %m = tcnn.max_pool2d %x kernel [2, 2] stride [2, 2] padding [0, 0] : tensor<1x1x6x6xf32> -> tensor<1x1x3x3xf32>
  %a = tcnn.avg_pool2d %x kernel [3, 3] stride [2, 2] padding [1, 1] : tensor<1x1x6x6xf32> -> tensor<1x1x3x3xf32>
  %a2 = tcnn.avg_pool2d %x kernel [2, 2] stride [2, 2] padding [1, 1] : tensor<1x1x6x6xf32> -> tensor<1x1x4x4xf32>
  return %m, %a2 : tensor<1x1x3x3xf32>, tensor<1x1x4x4xf32>
}
// Max pooling starts from -inf. Windows that tile the input (stride =
// kernel, no padding) become two more dimensions of a channels-last view
// [N, OH, kh, OW, kw, C], reduced with max by a linalg.generic whose maps
// are projections and whose innermost loop is the channels (so each
// window tap is one vector); transposes from and to NCHW at both ends.
// CHECK-DAG: #[[ID6:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3, d4, d5)>
// CHECK-DAG: #[[OUT6:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d3, d5)>
// CHECK-LABEL: func.func @pools(
// CHECK-SAME: %[[X:[^:]*]]: tensor<1x1x6x6xf32>
// CHECK: arith.constant 0xFF800000 : f32
// CHECK: %[[FILL:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<1x3x3x1xf32>)
// CHECK: %[[LAST:.*]] = linalg.transpose ins(%[[X]] : tensor<1x1x6x6xf32>) outs(%{{.*}} : tensor<1x6x6x1xf32>) permutation = [0, 2, 3, 1]
// CHECK: %[[WIN:.*]] = tensor.expand_shape %[[LAST]] {{\[\[}}0], [1, 2], [3, 4], [5]] output_shape [1, 3, 2, 3, 2, 1] : tensor<1x6x6x1xf32> into tensor<1x3x2x3x2x1xf32>
// CHECK: %[[MAX:.*]] = linalg.generic {indexing_maps = [#[[ID6]], #[[OUT6]]], iterator_types = ["parallel", "parallel", "reduction", "parallel", "reduction", "parallel"]} ins(%[[WIN]] : tensor<1x3x2x3x2x1xf32>) outs(%[[FILL]] : tensor<1x3x3x1xf32>)
// CHECK: arith.maximumf
// CHECK: linalg.transpose ins(%[[MAX]] : tensor<1x3x3x1xf32>) outs(%{{.*}} : tensor<1x1x3x3xf32>) permutation = [0, 3, 1, 2]
// Average pooling: zero padding, a sum, then division by kh * kw.
// CHECK: tensor.pad
// CHECK: linalg.pooling_nchw_sum {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%{{.*}}, %{{.*}} : tensor<1x1x8x8xf32>, tensor<2x2xf32>)
// CHECK: linalg.generic
// CHECK: arith.constant 2.500000e-01 : f32
// CHECK: arith.mulf

// -----

func.func @linear(%x: tensor<4x6xf32>, %w: tensor<5x6xf32>, %b: tensor<5xf32>) -> tensor<4x5xf32> {
  %y = tcnn.linear %x, %w, %b : (tensor<4x6xf32>, tensor<5x6xf32>, tensor<5xf32>) -> tensor<4x5xf32>
  return %y : tensor<4x5xf32>
}
// CHECK-LABEL: func.func @linear(
// CHECK: %[[INIT:.*]] = linalg.broadcast ins(%{{.*}} : tensor<5xf32>) outs(%{{.*}} : tensor<4x5xf32>) dimensions = [0]
// CHECK: %[[WT:.*]] = linalg.transpose ins(%{{.*}} : tensor<5x6xf32>) outs(%{{.*}} : tensor<6x5xf32>) permutation = [1, 0]
// CHECK: linalg.matmul ins(%{{.*}}, %[[WT]] : tensor<4x6xf32>, tensor<6x5xf32>) outs(%[[INIT]] : tensor<4x5xf32>)

// -----

// A batch that is a multiple of 16 with 5 features: the batch becomes the
// vector lanes, y^T = w x^T, transposed back.
func.func @linear_batch_lanes(%x: tensor<16x6xf32>, %w: tensor<5x6xf32>, %b: tensor<5xf32>) -> tensor<16x5xf32> {
  %y = tcnn.linear %x, %w, %b : (tensor<16x6xf32>, tensor<5x6xf32>, tensor<5xf32>) -> tensor<16x5xf32>
  return %y : tensor<16x5xf32>
}
// CHECK-LABEL: func.func @linear_batch_lanes(
// CHECK-SAME: %[[X:[^:]*]]: tensor<16x6xf32>, %[[W:[^:]*]]: tensor<5x6xf32>, %[[B:[^:]*]]: tensor<5xf32>
// CHECK: %[[INIT:.*]] = linalg.broadcast ins(%[[B]] : tensor<5xf32>) outs(%{{.*}} : tensor<5x16xf32>) dimensions = [1]
// CHECK: %[[XT:.*]] = linalg.transpose ins(%[[X]] : tensor<16x6xf32>) outs(%{{.*}} : tensor<6x16xf32>) permutation = [1, 0]
// CHECK: %[[YT:.*]] = linalg.matmul ins(%[[W]], %[[XT]] : tensor<5x6xf32>, tensor<6x16xf32>) outs(%[[INIT]] : tensor<5x16xf32>)
// CHECK: linalg.transpose ins(%[[YT]] : tensor<5x16xf32>) outs(%{{.*}} : tensor<16x5xf32>) permutation = [1, 0]

// -----

func.func @shape_ops(%x: tensor<2x3x2x2xf32>) -> tensor<2x12xf32> {
  %r = tcnn.relu %x : tensor<2x3x2x2xf32>
  %f = tcnn.flatten %r : tensor<2x3x2x2xf32> -> tensor<2x12xf32>
  return %f : tensor<2x12xf32>
}
// CHECK-LABEL: func.func @shape_ops(
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "parallel"]
// CHECK: arith.maximumf
// CHECK: tensor.collapse_shape %{{.*}} {{\[\[}}0, 1, 2, 3]] : tensor<2x3x2x2xf32> into tensor<24xf32>
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0, 1]] output_shape [2, 12] : tensor<24xf32> into tensor<2x12xf32>
