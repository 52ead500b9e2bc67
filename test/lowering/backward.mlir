// RUN: tcnn-opt %s -split-input-file -tcnn-to-linalg | FileCheck %s
// Backward convolutions become convolutions; the other backward ops
// become linalg.generic, where the receptive field is the affine map
// i * stride + p on the padded input.

func.func @conv_grads(%dy: tensor<1x3x4x4xf32>, %w: tensor<3x2x3x3xf32>, %x: tensor<1x2x7x7xf32>) -> (tensor<1x2x7x7xf32>, tensor<3x2x3x3xf32>, tensor<3xf32>) {
  %dx = tcnn.conv2d_input_grad %dy, %w stride [2, 2] padding [1, 1] : (tensor<1x3x4x4xf32>, tensor<3x2x3x3xf32>) -> tensor<1x2x7x7xf32>
  %dw = tcnn.conv2d_weight_grad %dy, %x stride [2, 2] padding [1, 1] : (tensor<1x3x4x4xf32>, tensor<1x2x7x7xf32>) -> tensor<3x2x3x3xf32>
  %db = tcnn.bias_grad %dy : tensor<1x3x4x4xf32> -> tensor<3xf32>
  return %dx, %dw, %db : tensor<1x2x7x7xf32>, tensor<3x2x3x3xf32>, tensor<3xf32>
}
// The input gradient of a stride-2 convolution, by phases: each of the
// 2 x 2 phases of dx (rows and columns at even or odd positions) is a
// stride-1 convolution of dy with the kernel taps that reach it, flipped
// (phase (0, 0) of a 3x3 kernel with padding 1: taps 2 and 0 per axis),
// written into dx at stride 2.
// CHECK-DAG: #[[TAPS00:.*]] = affine_map<(d0, d1, d2, d3) -> (d2, d3, d0 * -2 + 2, d1 * -2 + 2)>
// CHECK-DAG: #[[TAPS01:.*]] = affine_map<(d0, d1, d2, d3) -> (d2, d3, d0 * -2 + 2, d1 * -2 + 1)>
// CHECK-DAG: #[[TAPS10:.*]] = affine_map<(d0, d1, d2, d3) -> (d2, d3, d0 * -2 + 1, d1 * -2 + 2)>
// CHECK-DAG: #[[TAPS11:.*]] = affine_map<(d0, d1, d2, d3) -> (d2, d3, d0 * -2 + 1, d1 * -2 + 1)>
// CHECK-LABEL: func.func @conv_grads(
// CHECK-SAME: %[[DY:[^:]*]]: tensor<1x3x4x4xf32>, %[[W:[^:]*]]: tensor<3x2x3x3xf32>, %[[X:[^:]*]]: tensor<1x2x7x7xf32>
// CHECK: %[[DYT:.*]] = linalg.transpose ins(%[[DY]] : tensor<1x3x4x4xf32>) outs(%{{.*}} : tensor<1x4x4x3xf32>) permutation = [0, 2, 3, 1]
// CHECK: %[[G00:.*]] = linalg.generic {indexing_maps = [#[[TAPS00]], #{{.*}}], {{.*}} ins(%[[W]] : tensor<3x2x3x3xf32>) outs(%{{.*}} : tensor<2x2x3x2xf32>)
// CHECK: %[[Z00:.*]] = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%{{.*}}, %[[G00]] : tensor<1x4x4x3xf32>, tensor<2x2x3x2xf32>) outs(%{{.*}} : tensor<1x3x3x2xf32>)
// CHECK: %[[DX00:.*]] = tensor.insert_slice %[[Z00]] into %{{.*}}[0, 1, 1, 0] [1, 3, 3, 2] [1, 2, 2, 1] : tensor<1x3x3x2xf32> into tensor<1x7x7x2xf32>
// CHECK: linalg.generic {indexing_maps = [#[[TAPS01]], #{{.*}}], {{.*}} outs(%{{.*}} : tensor<2x1x3x2xf32>)
// CHECK: %[[DX01:.*]] = tensor.insert_slice %{{.*}} into %[[DX00]][0, 1, 0, 0] [1, 3, 4, 2] [1, 2, 2, 1]
// CHECK: linalg.generic {indexing_maps = [#[[TAPS10]], #{{.*}}], {{.*}} outs(%{{.*}} : tensor<1x2x3x2xf32>)
// CHECK: %[[DX10:.*]] = tensor.insert_slice %{{.*}} into %[[DX01]][0, 0, 1, 0] [1, 4, 3, 2] [1, 2, 2, 1]
// CHECK: linalg.generic {indexing_maps = [#[[TAPS11]], #{{.*}}], {{.*}} outs(%{{.*}} : tensor<1x1x3x2xf32>)
// CHECK: %[[DX11:.*]] = tensor.insert_slice %{{.*}} into %[[DX10]][0, 0, 0, 0] [1, 4, 4, 2] [1, 2, 2, 1]
// CHECK: linalg.transpose ins(%[[DX11]] : tensor<1x7x7x2xf32>) outs(%{{.*}} : tensor<1x2x7x7xf32>) permutation = [0, 3, 1, 2]
// The weight gradient is the same convolution with roles swapped: x as
// [c, h, w, n] padded, dy as [i, j, n, o], the stride as a dilation.
// CHECK: %[[XT:.*]] = linalg.transpose ins(%[[X]] : tensor<1x2x7x7xf32>) outs(%{{.*}} : tensor<2x7x7x1xf32>) permutation = [1, 2, 3, 0]
// CHECK: %[[XP:.*]] = tensor.pad %[[XT]] low[0, 1, 1, 0] high[0, 1, 1, 0]
// CHECK: %[[DYW:.*]] = linalg.transpose ins(%[[DY]] : tensor<1x3x4x4xf32>) outs(%{{.*}} : tensor<4x4x1x3xf32>) permutation = [2, 3, 0, 1]
// CHECK: %[[DW:.*]] = linalg.conv_2d_nhwc_hwcf {dilations = dense<2> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%[[XP]], %[[DYW]] : tensor<2x9x9x1xf32>, tensor<4x4x1x3xf32>) outs(%{{.*}} : tensor<2x3x3x3xf32>)
// CHECK: linalg.transpose ins(%[[DW]] : tensor<2x3x3x3xf32>) outs(%{{.*}} : tensor<3x2x3x3xf32>) permutation = [3, 0, 1, 2]
// Bias gradient: dy summed channels-last, as [n h w, o] rows (the channel
// a parallel loop: one vector add per row).
// CHECK: %[[DYL:.*]] = linalg.transpose ins(%[[DY]] : tensor<1x3x4x4xf32>) outs(%{{.*}} : tensor<1x4x4x3xf32>) permutation = [0, 2, 3, 1]
// CHECK: %[[ROWS:.*]] = tensor.collapse_shape %[[DYL]] {{\[}}[0, 1, 2], [3]] : tensor<1x4x4x3xf32> into tensor<16x3xf32>
// CHECK: linalg.generic {{.*}} iterator_types = ["reduction", "parallel"]} ins(%[[ROWS]] : tensor<16x3xf32>) outs(%{{.*}} : tensor<3xf32>)
// CHECK: arith.addf

// -----

func.func @conv_input_grad_stride1(%dy: tensor<1x3x5x5xf32>, %w: tensor<3x2x3x3xf32>) -> tensor<1x2x5x5xf32> {
  %dx = tcnn.conv2d_input_grad %dy, %w stride [1, 1] padding [1, 1] : (tensor<1x3x5x5xf32>, tensor<3x2x3x3xf32>) -> tensor<1x2x5x5xf32>
  return %dx : tensor<1x2x5x5xf32>
}
// At stride 1, the one phase is all of dx: dy zero-padded by k - 1 - p = 1,
// convolved with the kernel flipped in both spatial axes and its channels
// swapped.
// CHECK-DAG: #[[FLIP:.*]] = affine_map<(d0, d1, d2, d3) -> (d2, d3, -d0 + 2, -d1 + 2)>
// CHECK-LABEL: func.func @conv_input_grad_stride1(
// CHECK: %[[P:.*]] = tensor.pad %{{.*}} low[0, 1, 1, 0] high[0, 1, 1, 0]
// CHECK: %[[WF:.*]] = linalg.generic {indexing_maps = [#[[FLIP]], #{{.*}}], {{.*}} outs(%{{.*}} : tensor<3x3x3x2xf32>)
// CHECK: %[[DX:.*]] = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%[[P]], %[[WF]] : tensor<1x7x7x3xf32>, tensor<3x3x3x2xf32>) outs(%{{.*}} : tensor<1x5x5x2xf32>)
// CHECK-NOT: tensor.insert_slice
// CHECK: linalg.transpose ins(%[[DX]] : tensor<1x5x5x2xf32>) outs(%{{.*}} : tensor<1x2x5x5xf32>) permutation = [0, 3, 1, 2]

// -----

func.func @pool_grads(%dy: tensor<1x1x3x3xf32>, %x: tensor<1x1x6x6xf32>) -> (tensor<1x1x6x6xf32>, tensor<1x1x6x6xf32>) {
  %m = tcnn.max_pool2d_grad %dy, %x kernel [2, 2] stride [2, 2] padding [0, 0] : (tensor<1x1x3x3xf32>, tensor<1x1x6x6xf32>) -> tensor<1x1x6x6xf32>
  %a = tcnn.avg_pool2d_grad %dy kernel [2, 2] stride [2, 2] padding [0, 0] : tensor<1x1x3x3xf32> -> tensor<1x1x6x6xf32>
  return %m, %a : tensor<1x1x6x6xf32>, tensor<1x1x6x6xf32>
}
// CHECK-LABEL: func.func @pool_grads(
// Windows that tile the input: x channels-last, viewed as
// [n, i, p, j, q, c]; each window's first maximum as one integer max over
// keys (the value's order-preserving bits above 255 - (p * kw + q), a
// constant [kh, kw] table: the larger value, then the earlier position
// wins), then dx over the same view where the position is the key's,
// collapsed back and transposed to NCHW.
// CHECK: %[[XL:.*]] = linalg.transpose ins(%{{.*}} : tensor<1x1x6x6xf32>) outs(%{{.*}} : tensor<1x6x6x1xf32>) permutation = [0, 2, 3, 1]
// CHECK: %[[X6:.*]] = tensor.expand_shape %[[XL]] {{\[}}[0], [1, 2], [3, 4], [5]] output_shape [1, 3, 2, 3, 2, 1]
// CHECK: %[[DYL:.*]] = linalg.transpose ins(%{{.*}} : tensor<1x1x3x3xf32>) outs(%{{.*}} : tensor<1x3x3x1xf32>) permutation = [0, 2, 3, 1]
// CHECK: %[[EARLY:.*]] = arith.constant dense<{{\[\[}}255, 254], [253, 252]]> : tensor<2x2xi64>
// CHECK: %[[KEY:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction", "parallel", "reduction", "parallel"]} ins(%[[X6]], %[[EARLY]] : tensor<1x3x2x3x2x1xf32>, tensor<2x2xi64>) outs(%{{.*}} : tensor<1x3x3x1xi64>)
// CHECK: arith.bitcast %{{.*}} : f32 to i32
// CHECK: arith.xori
// CHECK: arith.shli
// CHECK: arith.ori
// CHECK: arith.maxsi
// CHECK: %[[DX6:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%[[DYL]], %[[KEY]], %[[EARLY]] : tensor<1x3x3x1xf32>, tensor<1x3x3x1xi64>, tensor<2x2xi64>) outs(%{{.*}} : tensor<1x3x2x3x2x1xf32>)
// CHECK: arith.andi
// CHECK: arith.cmpi eq
// CHECK: %[[DXL:.*]] = tensor.collapse_shape %[[DX6]] {{\[}}[0], [1, 2], [3, 4], [5]] : tensor<1x3x2x3x2x1xf32> into tensor<1x6x6x1xf32>
// CHECK: linalg.transpose ins(%[[DXL]] : tensor<1x6x6x1xf32>) outs(%{{.*}} : tensor<1x1x6x6xf32>) permutation = [0, 3, 1, 2]
// Average pooling spreads dy / (kh kw) over the same view.
// CHECK: linalg.generic {{.*}} ins(%{{.*}} : tensor<1x3x3x1xf32>) outs(%{{.*}} : tensor<1x3x2x3x2x1xf32>)
// CHECK: arith.mulf %{{.*}}, %[[QUARTER:.*]] : f32

// -----

func.func @pool_grads_padded(%dy: tensor<1x1x4x4xf32>, %x: tensor<1x1x6x6xf32>) -> (tensor<1x1x6x6xf32>, tensor<1x1x6x6xf32>) {
  %m = tcnn.max_pool2d_grad %dy, %x kernel [2, 2] stride [2, 2] padding [1, 1] : (tensor<1x1x4x4xf32>, tensor<1x1x6x6xf32>) -> tensor<1x1x6x6xf32>
  %a = tcnn.avg_pool2d_grad %dy kernel [2, 2] stride [2, 2] padding [1, 1] : tensor<1x1x4x4xf32> -> tensor<1x1x6x6xf32>
  return %m, %a : tensor<1x1x6x6xf32>, tensor<1x1x6x6xf32>
}
// CHECK-LABEL: func.func @pool_grads_padded(
// Other windows: the first arg-max of each window, (max, index) in
// row-major window order, on the padded input.
// CHECK: %[[ARG:.*]]:2 = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]
// CHECK-SAME: outs(%{{.*}}, %{{.*}} : tensor<1x1x4x4xf32>, tensor<1x1x4x4xi32>)
// CHECK: arith.cmpf ogt
// CHECK: linalg.index 4
// CHECK: linalg.index 5
// Then dy is routed to that position through the receptive-field map.
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[ARG]]#1, %{{.*}} : tensor<1x1x4x4xf32>, tensor<1x1x4x4xi32>, tensor<2x2xf32>)
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

// -----

func.func @class_loss_grads(%dl: tensor<f32>, %z: tensor<4x3xf32>, %t: tensor<4xi64>, %y: tensor<4x3xf32>) -> (tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>) {
  %g1 = tcnn.nll_loss_grad %dl, %z, %t {reduction = "sum"} : tensor<f32>, tensor<4x3xf32>, tensor<4xi64>
  %g2 = tcnn.cross_entropy_loss_grad %dl, %z, %t {label_smoothing = 0.3 : f64} : tensor<f32>, tensor<4x3xf32>, tensor<4xi64>
  %g3 = tcnn.bce_with_logits_loss_grad %dl, %z, %y : tensor<f32>, tensor<4x3xf32>, tensor<4x3xf32>
  return %g1, %g2, %g3 : tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>
}
// CHECK-LABEL: func.func @class_loss_grads(
// NLL with reduction "sum": -dL at each row's label, no division.
// CHECK: %[[NEG:.*]] = arith.constant -1.000000e+00 : f32
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel"]
// CHECK: %[[G:.*]] = arith.mulf %{{.*}}, %[[NEG]] : f32
// CHECK: arith.cmpi eq
// CHECK: arith.select %{{.*}}, %[[G]], %{{.*}} : f32
// Cross entropy with e = 0.3 over 3 classes: q is 0.8 at the label and 0.1
// elsewhere; the mean over 4 rows divides by 4.
// CHECK: %[[QUARTER:.*]] = arith.constant 2.500000e-01 : f32
// CHECK: math.exp
// CHECK-DAG: arith.constant 1.000000e-01 : f32
// CHECK-DAG: arith.constant 8.000000e-01 : f32
// CHECK: arith.mulf %{{.*}}, %[[QUARTER]] : f32
// BCE: (sigmoid(x) - y) / 12.
// CHECK: arith.constant 0.0833333358 : f32
// CHECK: arith.negf
// CHECK: math.exp
// CHECK: arith.divf
// CHECK: arith.subf
// CHECK-NOT: tcnn.

// -----

func.func @pointwise(%x: tensor<2x3x4x5xf32>, %w: tensor<8x3x1x1xf32>, %b: tensor<8xf32>, %dy: tensor<2x8x4x5xf32>) -> (tensor<2x8x4x5xf32>, tensor<2x3x4x5xf32>, tensor<8x3x1x1xf32>) {
  %y = tcnn.conv2d %x, %w, %b stride [1, 1] padding [0, 0] : (tensor<2x3x4x5xf32>, tensor<8x3x1x1xf32>, tensor<8xf32>) -> tensor<2x8x4x5xf32>
  %dx = tcnn.conv2d_input_grad %dy, %w stride [1, 1] padding [0, 0] : (tensor<2x8x4x5xf32>, tensor<8x3x1x1xf32>) -> tensor<2x3x4x5xf32>
  %dw = tcnn.conv2d_weight_grad %dy, %x stride [1, 1] padding [0, 0] : (tensor<2x8x4x5xf32>, tensor<2x3x4x5xf32>) -> tensor<8x3x1x1xf32>
  return %y, %dx, %dw : tensor<2x8x4x5xf32>, tensor<2x3x4x5xf32>, tensor<8x3x1x1xf32>
}
// A 1x1 convolution at stride 1 without padding is a matmul of pixel
// rows [N H W, C] (channels-last) for all three: y = x w^T + b, dx = dy w,
// and dw^T = x^T dy (x has fewer channels than dy, so x is the operand
// transposed), each on Linear's fast path.
// CHECK-LABEL: func.func @pointwise(
// CHECK-SAME: %[[X:[^:]*]]: tensor<2x3x4x5xf32>, %[[W:[^:]*]]: tensor<8x3x1x1xf32>, %[[B:[^:]*]]: tensor<8xf32>, %[[DY:[^:]*]]: tensor<2x8x4x5xf32>
// CHECK: %[[INIT:.*]] = linalg.broadcast ins(%[[B]] : tensor<8xf32>) outs(%{{.*}} : tensor<40x8xf32>) dimensions = [0]
// CHECK: %[[WM:.*]] = tensor.collapse_shape %[[W]] {{\[}}[0], [1, 2, 3]] : tensor<8x3x1x1xf32> into tensor<8x3xf32>
// CHECK: %[[WT:.*]] = linalg.transpose ins(%[[WM]] : tensor<8x3xf32>) outs(%{{.*}} : tensor<3x8xf32>) permutation = [1, 0]
// CHECK: %[[XL:.*]] = linalg.transpose ins(%[[X]] : tensor<2x3x4x5xf32>) outs(%{{.*}} : tensor<2x4x5x3xf32>) permutation = [0, 2, 3, 1]
// CHECK: %[[XR:.*]] = tensor.collapse_shape %[[XL]] {{\[}}[0, 1, 2], [3]] : tensor<2x4x5x3xf32> into tensor<40x3xf32>
// CHECK: %[[Y:.*]] = linalg.matmul ins(%[[XR]], %[[WT]] : tensor<40x3xf32>, tensor<3x8xf32>) outs(%[[INIT]] : tensor<40x8xf32>)
// CHECK: %[[YL:.*]] = tensor.expand_shape %[[Y]] {{\[}}[0, 1, 2], [3]] output_shape [2, 4, 5, 8]
// CHECK: linalg.transpose ins(%[[YL]] : tensor<2x4x5x8xf32>) outs(%{{.*}} : tensor<2x8x4x5xf32>) permutation = [0, 3, 1, 2]
// CHECK: %[[DYL:.*]] = linalg.transpose ins(%[[DY]] : tensor<2x8x4x5xf32>) outs(%{{.*}} : tensor<2x4x5x8xf32>) permutation = [0, 2, 3, 1]
// CHECK: %[[DYR:.*]] = tensor.collapse_shape %[[DYL]] {{\[}}[0, 1, 2], [3]] : tensor<2x4x5x8xf32> into tensor<40x8xf32>
// CHECK: %[[DX:.*]] = linalg.matmul ins(%[[DYR]], %{{.*}} : tensor<40x8xf32>, tensor<8x3xf32>) outs(%{{.*}} : tensor<40x3xf32>)
// CHECK: tensor.expand_shape %[[DX]] {{\[}}[0, 1, 2], [3]] output_shape [2, 4, 5, 3]
// CHECK: %[[XC:.*]] = linalg.transpose ins(%[[X]] : tensor<2x3x4x5xf32>) outs(%{{.*}} : tensor<3x2x4x5xf32>) permutation = [1, 0, 2, 3]
// CHECK: %[[XCR:.*]] = tensor.collapse_shape %[[XC]] {{\[}}[0], [1, 2, 3]] : tensor<3x2x4x5xf32> into tensor<3x40xf32>
// CHECK: %[[DWT:.*]] = linalg.matmul ins(%[[XCR]], %{{.*}} : tensor<3x40xf32>, tensor<40x8xf32>) outs(%{{.*}} : tensor<3x8xf32>)
// CHECK: %[[DW:.*]] = linalg.transpose ins(%[[DWT]] : tensor<3x8xf32>) outs(%{{.*}} : tensor<8x3xf32>) permutation = [1, 0]
// CHECK: tensor.expand_shape %[[DW]] {{\[}}[0], [1, 2, 3]] output_shape [8, 3, 1, 1]
