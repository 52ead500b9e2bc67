// RUN: tcnn-opt %s -tcnn-to-linalg | FileCheck %s
// cat writes each input into its slice of one tensor; cat_grad reads a
// slice back.

func.func @cat(%a: tensor<2x3x4xf32>, %b: tensor<2x5x4xf32>, %dy: tensor<2x8x4xf32>) -> (tensor<2x8x4xf32>, tensor<2x5x4xf32>) {
  %y = tcnn.cat %a, %b {dim = 1 : i64} : tensor<2x3x4xf32>, tensor<2x5x4xf32> -> tensor<2x8x4xf32>
  %db = tcnn.cat_grad %dy {dim = 1 : i64, offset = 3 : i64} : tensor<2x8x4xf32> -> tensor<2x5x4xf32>
  return %y, %db : tensor<2x8x4xf32>, tensor<2x5x4xf32>
}
// CHECK-LABEL: func.func @cat(
// CHECK: %[[E:.*]] = tensor.empty() : tensor<2x8x4xf32>
// CHECK: %[[A:.*]] = tensor.insert_slice %{{.*}} into %[[E]][0, 0, 0] [2, 3, 4] [1, 1, 1]
// CHECK: tensor.insert_slice %{{.*}} into %[[A]][0, 3, 0] [2, 5, 4] [1, 1, 1]
// CHECK: tensor.extract_slice %{{.*}}[0, 3, 0] [2, 5, 4] [1, 1, 1] : tensor<2x8x4xf32> to tensor<2x5x4xf32>
