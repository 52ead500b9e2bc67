// RUN: tcnn-opt %s -split-input-file -tcnn-to-linalg -tcnn-sink-transposes -cse -tcnn-fuse-elementwise -canonicalize -cse | FileCheck %s
// Elementwise ops are fused into the generics that read them: their
// results never go through memory.

// ReLU into max pooling: the window reduction reads the convolution's
// output and takes max(acc, max(x, 0)); in the backward pass, ReLU's
// gradient is fused into the max-pool gradient's routing, one generic
// over the window view that writes dL/dx of the pre-activation. %cl
// stands for a convolution's channels-last output.
func.func @relu_pool(%cl: tensor<2x8x8x16xf32>, %dy: tensor<2x16x4x4xf32>) -> (tensor<2x16x4x4xf32>, tensor<2x16x8x8xf32>) {
  %e = tensor.empty() : tensor<2x16x8x8xf32>
  %c = linalg.transpose ins(%cl : tensor<2x8x8x16xf32>) outs(%e : tensor<2x16x8x8xf32>) permutation = [0, 3, 1, 2]
  %r = tcnn.relu %c : tensor<2x16x8x8xf32>
  %p = tcnn.max_pool2d %r kernel [2, 2] stride [2, 2] padding [0, 0] : tensor<2x16x8x8xf32> -> tensor<2x16x4x4xf32>
  %dr = tcnn.max_pool2d_grad %dy, %r kernel [2, 2] stride [2, 2] padding [0, 0] : (tensor<2x16x4x4xf32>, tensor<2x16x8x8xf32>) -> tensor<2x16x8x8xf32>
  %dc = tcnn.relu_grad %dr, %c : tensor<2x16x8x8xf32>
  return %p, %dc : tensor<2x16x4x4xf32>, tensor<2x16x8x8xf32>
}
// CHECK-LABEL: func.func @relu_pool(
// CHECK-SAME: %[[CL:[^:]*]]: tensor<2x8x8x16xf32>
// CHECK: %[[V:.*]] = tensor.expand_shape %[[CL]] {{\[\[}}0], [1, 2], [3, 4], [5]] output_shape [2, 4, 2, 4, 2, 16]
// The forward pool: one reduction, the ReLU inside.
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction", "parallel", "reduction", "parallel"]} ins(%[[V]] : tensor<2x4x2x4x2x16xf32>) outs(%{{.*}} : tensor<2x4x4x16xf32>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %[[ACC:.*]]: f32):
// CHECK-NEXT: %[[RELU:.*]] = arith.maximumf %[[IN]], %{{.*}} : f32
// CHECK-NEXT: arith.maximumf %[[ACC]], %[[RELU]] : f32
// The key reduction of the gradient also reads the convolution's output.
// CHECK: linalg.generic {{.*}} ins(%[[V]], %{{.*}} : tensor<2x4x2x4x2x16xf32>, tensor<2x2xi64>)
// CHECK: arith.maxsi
// Routing and ReLU's gradient in one generic over the view.
// CHECK: %[[DX:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel"]} ins({{.*}}, %[[V]] : {{.*}}, tensor<2x4x2x4x2x16xf32>) outs(%{{.*}} : tensor<2x4x2x4x2x16xf32>)
// CHECK: arith.cmpi eq
// CHECK: arith.select
// CHECK: arith.cmpf ogt
// CHECK: arith.select
// CHECK: linalg.yield
// CHECK-NOT: linalg.generic
// CHECK: tensor.collapse_shape %[[DX]]

// -----

// Not fused: a producer that is expensive to recompute (a long body) and
// has two readers stays one op whose result both read.
#id = affine_map<(d0) -> (d0)>
func.func @expensive_shared(%x: tensor<64xf32>) -> (tensor<64xf32>, tensor<64xf32>) {
  %e = tensor.empty() : tensor<64xf32>
  %p = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<64xf32>) outs(%e : tensor<64xf32>) {
  ^bb0(%a: f32, %o: f32):
    %1 = math.exp %a : f32
    %2 = math.log %1 : f32
    %3 = math.exp %2 : f32
    %4 = math.log %3 : f32
    %5 = math.exp %4 : f32
    linalg.yield %5 : f32
  } -> tensor<64xf32>
  %u = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%p : tensor<64xf32>) outs(%e : tensor<64xf32>) {
  ^bb0(%a: f32, %o: f32):
    %1 = arith.addf %a, %a : f32
    linalg.yield %1 : f32
  } -> tensor<64xf32>
  %v = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%p : tensor<64xf32>) outs(%e : tensor<64xf32>) {
  ^bb0(%a: f32, %o: f32):
    %1 = arith.mulf %a, %a : f32
    linalg.yield %1 : f32
  } -> tensor<64xf32>
  return %u, %v : tensor<64xf32>, tensor<64xf32>
}
// CHECK-LABEL: func.func @expensive_shared(
// CHECK: %[[P:.*]] = linalg.generic
// CHECK-COUNT-3: math.exp
// CHECK: linalg.generic {{.*}} ins(%[[P]] : tensor<64xf32>)
// CHECK: arith.addf
// CHECK: linalg.generic {{.*}} ins(%[[P]] : tensor<64xf32>)
// CHECK: arith.mulf

// -----

// Not fused: a reader that broadcasts the producer's result would
// recompute each element many times.
#id1 = affine_map<(d0) -> (d0)>
#row = affine_map<(d0, d1) -> (d1)>
#id2 = affine_map<(d0, d1) -> (d0, d1)>
func.func @broadcast_reader(%x: tensor<64xf32>, %y: tensor<8x64xf32>) -> tensor<8x64xf32> {
  %e = tensor.empty() : tensor<64xf32>
  %p = linalg.generic {indexing_maps = [#id1, #id1], iterator_types = ["parallel"]}
      ins(%x : tensor<64xf32>) outs(%e : tensor<64xf32>) {
  ^bb0(%a: f32, %o: f32):
    %1 = math.exp %a : f32
    linalg.yield %1 : f32
  } -> tensor<64xf32>
  %e2 = tensor.empty() : tensor<8x64xf32>
  %u = linalg.generic {indexing_maps = [#row, #id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%p, %y : tensor<64xf32>, tensor<8x64xf32>) outs(%e2 : tensor<8x64xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %1 = arith.mulf %a, %b : f32
    linalg.yield %1 : f32
  } -> tensor<8x64xf32>
  return %u : tensor<8x64xf32>
}
// CHECK-LABEL: func.func @broadcast_reader(
// CHECK: %[[P:.*]] = linalg.generic
// CHECK: math.exp
// CHECK: linalg.generic {{.*}} ins(%[[P]], %{{.*}} : tensor<64xf32>, tensor<8x64xf32>)

// -----

// Zero padding for a convolution: a fill and a linalg.copy into the
// interior, both of which are then tiled and vectorized, instead of the
// scalar fill and copy bufferization leaves.
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @pads(%x: tensor<4x16xf32>) -> tensor<6x18xf32> {
  %zero = arith.constant 0.0 : f32
  %p = tensor.pad %x low[1, 1] high[1, 1] {
  ^bb0(%i: index, %j: index):
    tensor.yield %zero : f32
  } : tensor<4x16xf32> to tensor<6x18xf32>
  return %p : tensor<6x18xf32>
}
// CHECK-LABEL: func.func @pads(
// CHECK-SAME: %[[X:[^:]*]]: tensor<4x16xf32>
// CHECK-NOT: tensor.pad
// CHECK: %[[F:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<6x18xf32>)
// CHECK: %[[I:.*]] = tensor.extract_slice %[[F]][1, 1] [4, 16] [1, 1]
// CHECK: %[[C:.*]] = linalg.copy ins(%[[X]] : tensor<4x16xf32>) outs(%[[I]] : tensor<4x16xf32>)
// CHECK: tensor.insert_slice %[[C]] into %[[F]][1, 1] [4, 16] [1, 1]
