// RUN: tcnn-opt %s -split-input-file -verify-diagnostics

func.func @sgd_shapes(%p: tensor<2x3xf32>, %g: tensor<3x2xf32>, %b: tensor<2x3xf32>, %m: f32, %wd: f32) -> tensor<2x3xf32> {
  // expected-error @+1 {{all of {param, grad, buffer, result} have same type}}
  %b1 = "tcnn.sgd_buffer"(%p, %g, %b, %m, %wd) : (tensor<2x3xf32>, tensor<3x2xf32>, tensor<2x3xf32>, f32, f32) -> tensor<2x3xf32>
  return %b1 : tensor<2x3xf32>
}

// -----

func.func @adam_step_type(%p: tensor<5xf32>, %s: f32) -> tensor<5xf32> {
  // expected-error @+1 {{operand #7 must be 64-bit signless integer}}
  %p1 = "tcnn.adam_update"(%p, %p, %p, %s, %s, %s, %s, %s) : (tensor<5xf32>, tensor<5xf32>, tensor<5xf32>, f32, f32, f32, f32, f32) -> tensor<5xf32>
  return %p1 : tensor<5xf32>
}

// -----

func.func @valid_type(%p: tensor<4x2xf32>, %n: i32) -> tensor<f32> {
  // expected-error @+1 {{operand #2 must be 64-bit signless integer}}
  %l = "tcnn.mse_loss"(%p, %p, %n) : (tensor<4x2xf32>, tensor<4x2xf32>, i32) -> tensor<f32>
  return %l : tensor<f32>
}
