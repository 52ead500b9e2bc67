// RUN: tcnn-opt %s -tcnn-to-linalg | FileCheck %s

// Every update is one elementwise linalg.generic; the hyperparameters are
// scalars its body captures. Adam's bias corrections are computed once,
// in double precision, outside the loop.
// CHECK-LABEL: func.func @sgd(
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel"]
// CHECK: arith.mulf %arg4, %{{.*}} : f32
// CHECK: linalg.generic
// CHECK: arith.select
func.func @sgd(%p: tensor<2x3xf32>, %g: tensor<2x3xf32>, %b: tensor<2x3xf32>, %lr: f32, %m: f32, %wd: f32, %n: i32) -> (tensor<2x3xf32>, tensor<2x3xf32>) {
  %b1 = tcnn.sgd_buffer %p, %g, %b, %m, %wd : tensor<2x3xf32>
  %p1 = tcnn.sgd_update %p, %g, %b1, %lr, %m, %wd, %n : tensor<2x3xf32>
  return %p1, %b1 : tensor<2x3xf32>, tensor<2x3xf32>
}

// CHECK-LABEL: func.func @adam(
// CHECK: math.powf %{{.*}} : f64
// CHECK: math.powf %{{.*}} : f64
// CHECK: math.sqrt %{{.*}} : f64
// CHECK: linalg.generic
// CHECK: math.sqrt %{{.*}} : f32
// CHECK: arith.divf
func.func @adam(%p: tensor<5xf32>, %m: tensor<5xf32>, %v: tensor<5xf32>, %lr: f32, %b1: f32, %b2: f32, %eps: f32, %step: i64) -> tensor<5xf32> {
  %p1 = tcnn.adam_update %p, %m, %v, %lr, %b1, %b2, %eps, %step : tensor<5xf32>
  return %p1 : tensor<5xf32>
}
