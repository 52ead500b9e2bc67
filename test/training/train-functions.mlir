// RUN: tcnn-opt %s -split-input-file -tcnn-train-functions | FileCheck %s

// A model whose samples flow alone: the count of real samples reaches
// both losses, and the optimizer steps take every parameter, gradient and
// state, then the hyperparameters.
module attributes {tcnn.model = "lin"} {
  func.func @forward(%x: tensor<4x3xf32> {tcnn.input = "x"}, %y: tensor<4x2xf32> {tcnn.target = "y"}, %w: tensor<2x3xf32> {tcnn.param = "out.weight"}, %b: tensor<2xf32> {tcnn.param = "out.bias"}) -> (tensor<f32>, tensor<4x2xf32>) {
    %out = tcnn.linear %x, %w, %b : (tensor<4x3xf32>, tensor<2x3xf32>, tensor<2xf32>) -> tensor<4x2xf32>
    %loss = tcnn.mse_loss %out, %y : tensor<4x2xf32>, tensor<4x2xf32>
    return %loss, %out : tensor<f32>, tensor<4x2xf32>
  }
  func.func @forward_grad(%x: tensor<4x3xf32> {tcnn.input = "x"}, %y: tensor<4x2xf32> {tcnn.target = "y"}, %w: tensor<2x3xf32> {tcnn.param = "out.weight"}, %b: tensor<2xf32> {tcnn.param = "out.bias"}) -> (tensor<f32>, tensor<4x2xf32>, tensor<2x3xf32>, tensor<2xf32>) attributes {tcnn.gradient_of = @forward} {
    %one = arith.constant dense<1.000000e+00> : tensor<f32>
    %out = tcnn.linear %x, %w, %b : (tensor<4x3xf32>, tensor<2x3xf32>, tensor<2xf32>) -> tensor<4x2xf32>
    %loss = tcnn.mse_loss %out, %y : tensor<4x2xf32>, tensor<4x2xf32>
    %dout = tcnn.mse_loss_grad %one, %out, %y : tensor<f32>, tensor<4x2xf32>, tensor<4x2xf32>
    %dw = tcnn.linear_weight_grad %dout, %x : (tensor<4x2xf32>, tensor<4x3xf32>) -> tensor<2x3xf32>
    %db = tcnn.bias_grad %dout : tensor<4x2xf32> -> tensor<2xf32>
    return %loss, %out, %dw, %db : tensor<f32>, tensor<4x2xf32>, tensor<2x3xf32>, tensor<2xf32>
  }
}
// CHECK: module attributes {tcnn.batch = 4 : i64
// CHECK-LABEL: func.func @forward(
// CHECK-SAME: %[[V:arg[0-9]+]]: i64 {tcnn.valid})
// CHECK: tcnn.mse_loss %{{.*}}, %{{.*}} valid %[[V]] :
// CHECK-LABEL: func.func @forward_grad(
// CHECK-SAME: %[[G:arg[0-9]+]]: i64 {tcnn.valid})
// CHECK: tcnn.mse_loss %{{.*}}, %{{.*}} valid %[[G]] :
// CHECK: tcnn.mse_loss_grad %{{.*}}, %{{.*}}, %{{.*}} valid %[[G]] :
// CHECK-LABEL: func.func @sgd_step(
// CHECK-SAME: %[[P:arg[0-9]+]]: tensor<2x3xf32> {tcnn.param = "out.weight"}
// CHECK-SAME: {tcnn.grad = "out.weight.grad"}
// CHECK-SAME: {tcnn.state = "out.weight.momentum_buffer"}
// CHECK-SAME: %[[LR:arg[0-9]+]]: f32 {tcnn.hyperparameter = "lr"}
// CHECK-SAME: %[[NES:arg[0-9]+]]: i32 {tcnn.hyperparameter = "nesterov"}
// CHECK-SAME: attributes {tcnn.optimizer_step = "sgd"}
// CHECK: %[[BUF:[0-9]+]] = tcnn.sgd_buffer %[[P]],
// CHECK: tcnn.sgd_update %[[P]], %{{.*}}, %[[BUF]], %[[LR]], %{{.*}}, %{{.*}}, %[[NES]] : tensor<2x3xf32>
// CHECK-LABEL: func.func @adam_step(
// CHECK-SAME: {tcnn.state = "out.bias.exp_avg_sq"}
// CHECK-SAME: %{{.*}}: i64 {tcnn.hyperparameter = "step"}
// CHECK: %[[M:[0-9]+]] = tcnn.adam_moment
// CHECK: %[[SQ:[0-9]+]] = tcnn.adam_moment {{.*}} {squared}
// CHECK: tcnn.adam_update %{{.*}}, %[[M]], %[[SQ]],

// -----

// A reshape that moves samples across rows: no partial batches.
module attributes {tcnn.model = "mixed"} {
  func.func @forward(%x: tensor<4x2xf32> {tcnn.input = "x"}, %y: tensor<2x4xf32> {tcnn.target = "y"}) -> (tensor<f32>) {
    %r = tcnn.reshape %x : tensor<4x2xf32> -> tensor<2x4xf32>
    %loss = tcnn.mse_loss %r, %y : tensor<2x4xf32>, tensor<2x4xf32>
    return %loss : tensor<f32>
  }
  func.func @forward_grad(%x: tensor<4x2xf32> {tcnn.input = "x"}, %y: tensor<2x4xf32> {tcnn.target = "y"}) -> (tensor<f32>) attributes {tcnn.gradient_of = @forward} {
    %r = tcnn.reshape %x : tensor<4x2xf32> -> tensor<2x4xf32>
    %loss = tcnn.mse_loss %r, %y : tensor<2x4xf32>, tensor<2x4xf32>
    return %loss : tensor<f32>
  }
}
// CHECK: module attributes {tcnn.batch = 0 : i64
// CHECK-LABEL: func.func @forward(
// CHECK-SAME: i64 {tcnn.valid})
// CHECK: tcnn.mse_loss %{{.*}}, %{{.*}} :
// CHECK-NOT: valid
// CHECK-LABEL: func.func @forward_grad(
