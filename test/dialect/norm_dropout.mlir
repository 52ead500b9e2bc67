// RUN: tcnn-opt %s | tcnn-opt | FileCheck %s

// Round trip of the BatchNorm2d and Dropout families: optional affine
// parameters and running statistics, both modes, and the generator.
// CHECK-LABEL: func.func @norm
func.func @norm(%x: tensor<2x3x4x4xf32>, %w: tensor<3xf32>, %b: tensor<3xf32>,
                %rm: tensor<3xf32>, %rv: tensor<3xf32>, %n: i64) {
  // CHECK: tcnn.batch_norm2d %{{.*}} weight %{{.*}}, %{{.*}} running %{{.*}}, %{{.*}} :
  %0 = tcnn.batch_norm2d %x weight %w, %b running %rm, %rv : (tensor<2x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x3x4x4xf32>
  // CHECK: tcnn.batch_norm2d %{{.*}} valid %{{.*}} {eps = 1.000000e-03 : f64} : (tensor<2x3x4x4xf32>, i64) -> tensor<2x3x4x4xf32>
  %1 = tcnn.batch_norm2d %x valid %n {eps = 1.0e-3 : f64} : (tensor<2x3x4x4xf32>, i64) -> tensor<2x3x4x4xf32>
  // CHECK: tcnn.batch_norm2d %{{.*}} running %{{.*}}, %{{.*}} {training = false}
  %2 = tcnn.batch_norm2d %x running %rm, %rv {training = false} : (tensor<2x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x3x4x4xf32>
  // CHECK: tcnn.batch_norm2d_update %{{.*}}, %{{.*}}, %{{.*}} valid %{{.*}} {momentum = 3.000000e-01 : f64} : tensor<2x3x4x4xf32>, tensor<3xf32>
  %3:2 = tcnn.batch_norm2d_update %x, %rm, %rv valid %n {momentum = 0.3 : f64} : tensor<2x3x4x4xf32>, tensor<3xf32>
  // CHECK: tcnn.batch_norm2d_grad %{{.*}}, %{{.*}} weight %{{.*}} :
  %4 = tcnn.batch_norm2d_grad %x, %x weight %w : (tensor<2x3x4x4xf32>, tensor<2x3x4x4xf32>, tensor<3xf32>) -> tensor<2x3x4x4xf32>
  // CHECK: tcnn.batch_norm2d_grad %{{.*}}, %{{.*}} running %{{.*}}, %{{.*}} {training = false}
  %5 = tcnn.batch_norm2d_grad %x, %x running %rm, %rv {training = false} : (tensor<2x3x4x4xf32>, tensor<2x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x3x4x4xf32>
  // CHECK: tcnn.batch_norm2d_weight_grad %{{.*}}, %{{.*}} : (tensor<2x3x4x4xf32>, tensor<2x3x4x4xf32>) -> tensor<3xf32>
  %6 = tcnn.batch_norm2d_weight_grad %x, %x : (tensor<2x3x4x4xf32>, tensor<2x3x4x4xf32>) -> tensor<3xf32>
  return
}

// CHECK-LABEL: func.func @dropout
func.func @dropout(%x: tensor<2x5xf32>, %s: tensor<i64>) {
  // CHECK: tcnn.dropout_mask %{{.*}} {p = 2.500000e-01 : f64} : tensor<i64> -> tensor<2x5xf32>
  %m = tcnn.dropout_mask %s {p = 0.25 : f64} : tensor<i64> -> tensor<2x5xf32>
  // CHECK: tcnn.dropout %{{.*}}, %{{.*}} : tensor<2x5xf32>
  %0 = tcnn.dropout %x, %m : tensor<2x5xf32>
  // CHECK: tcnn.dropout %{{.*}}, %{{.*}} {training = false} : tensor<2x5xf32>
  %1 = tcnn.dropout %x, %m {training = false} : tensor<2x5xf32>
  // CHECK: tcnn.advance_generator %{{.*}} : tensor<i64>
  %2 = tcnn.advance_generator %s : tensor<i64>
  return
}
