// RUN: tcnn-opt %s -split-input-file -verify-diagnostics
// Every verifier error of the dialect, with the numbers it names.

func.func @conv_channels(%x: tensor<1x3x8x8xf32>, %w: tensor<2x2x3x3xf32>) {
  // expected-error @+2 {{conv2d: input has 3 channels but weight expects 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tcnn.conv2d %x, %w stride [1, 1] padding [1, 1] : (tensor<1x3x8x8xf32>, tensor<2x2x3x3xf32>) -> tensor<1x2x8x8xf32>
  return
}

// -----

func.func @conv_bias(%x: tensor<1x2x8x8xf32>, %w: tensor<4x2x3x3xf32>, %b: tensor<3xf32>) {
  // expected-error @+2 {{conv2d: bias has shape [3] but weight has 4 output channels (expected [4])}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tcnn.conv2d %x, %w, %b stride [1, 1] padding [1, 1] : (tensor<1x2x8x8xf32>, tensor<4x2x3x3xf32>, tensor<3xf32>) -> tensor<1x4x8x8xf32>
  return
}

// -----

func.func @conv_kernel_too_large(%x: tensor<1x1x2x2xf32>, %w: tensor<1x1x5x5xf32>) {
  // expected-error @+2 {{conv2d: kernel 5x5 is larger than the padded input 4x4 (input 2x2, padding (1, 1))}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tcnn.conv2d %x, %w stride [1, 1] padding [1, 1] : (tensor<1x1x2x2xf32>, tensor<1x1x5x5xf32>) -> tensor<1x1x1x1xf32>
  return
}

// -----

func.func @conv_wrong_result(%x: tensor<1x1x4x4xf32>, %w: tensor<1x1x2x2xf32>) {
  // expected-error @+2 {{'tcnn.conv2d' op inferred type(s) 'tensor<1x1x2x2xf32>' are incompatible with return type(s) of operation 'tensor<1x1x3x3xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tcnn.conv2d %x, %w stride [2, 2] padding [0, 0] : (tensor<1x1x4x4xf32>, tensor<1x1x2x2xf32>) -> tensor<1x1x3x3xf32>
  return
}

// -----

func.func @conv_stride_zero(%x: tensor<1x1x4x4xf32>, %w: tensor<1x1x2x2xf32>) {
  // expected-error @+2 {{conv2d: stride must be positive, got (0, 1)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tcnn.conv2d %x, %w stride [0, 1] padding [0, 0] : (tensor<1x1x4x4xf32>, tensor<1x1x2x2xf32>) -> tensor<1x1x3x3xf32>
  return
}

// -----

func.func @conv_stride_arity(%x: tensor<1x1x4x4xf32>, %w: tensor<1x1x2x2xf32>) {
  // expected-error @+1 {{'tcnn.conv2d' op attribute 'stride' failed to satisfy constraint: i64 dense array attribute with exactly 2 elements}}
  %0 = tcnn.conv2d %x, %w stride [1, 1, 1] padding [0, 0] : (tensor<1x1x4x4xf32>, tensor<1x1x2x2xf32>) -> tensor<1x1x3x3xf32>
  return
}

// -----

func.func @pool_padding(%x: tensor<1x1x4x4xf32>) {
  // expected-error @+2 {{max_pool2d: padding (2, 2) must be at most half of kernel_size (2, 2)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tcnn.max_pool2d %x kernel [2, 2] stride [2, 2] padding [2, 2] : tensor<1x1x4x4xf32> -> tensor<1x1x4x4xf32>
  return
}

// -----

func.func @pool_rank(%x: tensor<4x4xf32>) {
  // expected-error @+2 {{avg_pool2d: input must be 4-D [N, C, H, W], got [4, 4]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tcnn.avg_pool2d %x kernel [2, 2] stride [2, 2] padding [0, 0] : tensor<4x4xf32> -> tensor<2x2xf32>
  return
}

// -----

func.func @linear_features(%x: tensor<2x10xf32>, %w: tensor<3x12xf32>) {
  // expected-error @+2 {{linear: input has 10 features (its last dimension) but weight expects 12}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tcnn.linear %x, %w : (tensor<2x10xf32>, tensor<3x12xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @flatten_rank(%x: tensor<10xf32>) {
  // expected-error @+2 {{flatten: start_dim 1 is out of range for the 1-d input [10] (expected -1 to 0)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tcnn.flatten %x : tensor<10xf32> -> tensor<10xf32>
  return
}

// -----

func.func @mul_shapes(%a: tensor<2x3xf32>, %b: tensor<2x4xf32>) {
  // expected-error @+1 {{'tcnn.mul' op requires the same type for all operands and results}}
  %0 = "tcnn.mul"(%a, %b) : (tensor<2x3xf32>, tensor<2x4xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @l1_loss_shapes(%p: tensor<2x3xf32>, %t: tensor<3x2xf32>) {
  // expected-error @+1 {{l1_loss: prediction has shape [2, 3] but target has shape [3, 2]}}
  %0 = tcnn.l1_loss %p, %t : tensor<2x3xf32>, tensor<3x2xf32>
  return
}

// -----

func.func @smooth_l1_loss_grad_no_beta(%dl: tensor<f32>, %p: tensor<2x3xf32>, %t: tensor<2x3xf32>) {
  // expected-error @+1 {{'tcnn.smooth_l1_loss_grad' op requires attribute 'beta'}}
  %0 = "tcnn.smooth_l1_loss_grad"(%dl, %p, %t) : (tensor<f32>, tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @l1_loss_grad_target(%dl: tensor<f32>, %p: tensor<2x3xf32>, %t: tensor<2x4xf32>) {
  // expected-error @+1 {{l1_loss: prediction has shape [2, 3] but target has shape [2, 4]}}
  %0 = tcnn.l1_loss_grad %dl, %p, %t : tensor<f32>, tensor<2x3xf32>, tensor<2x4xf32>
  return
}

// -----

func.func @add_shapes(%a: tensor<2x3xf32>, %b: tensor<3x2xf32>) {
  // expected-error @+1 {{'tcnn.add' op requires the same type for all operands and results}}
  %0 = "tcnn.add"(%a, %b) : (tensor<2x3xf32>, tensor<3x2xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @mse_shapes(%p: tensor<2x3xf32>, %t: tensor<2x4xf32>) {
  // expected-error @+1 {{mse_loss: prediction has shape [2, 3] but target has shape [2, 4]}}
  %0 = tcnn.mse_loss %p, %t : tensor<2x3xf32>, tensor<2x4xf32>
  return
}

// -----

func.func @ce_target(%z: tensor<2x5xf32>, %t: tensor<3xi64>) {
  // expected-error @+1 {{cross_entropy_loss: target must be [2] (one class index per batch element), got [3]}}
  %0 = tcnn.cross_entropy_loss %z, %t : tensor<2x5xf32>, tensor<3xi64>
  return
}

// -----

func.func @ce_target_type(%z: tensor<2x5xf32>, %t: tensor<2xf32>) {
  // expected-error @+1 {{'tcnn.cross_entropy_loss' op operand #1 must be statically shaped tensor of 64-bit signless integer values with at most 2^40 elements}}
  %0 = tcnn.cross_entropy_loss %z, %t : tensor<2x5xf32>, tensor<2xf32>
  return
}

// -----

func.func @f64_input(%x: tensor<2x2xf64>) {
  // expected-error @+1 {{'tcnn.relu' op operand #0 must be statically shaped tensor of 32-bit float values with at most 2^40 elements}}
  %0 = tcnn.relu %x : tensor<2x2xf64>
  return
}

// -----

func.func @input_grad_shape(%dy: tensor<1x2x3x3xf32>, %w: tensor<2x1x2x2xf32>) {
  // expected-error @+1 {{'tcnn.conv2d_input_grad' op output_grad has shape [1, 2, 3, 3] but conv2d of the result shape with this weight gives [1, 2, 2, 2]}}
  %0 = tcnn.conv2d_input_grad %dy, %w stride [2, 2] padding [0, 0] : (tensor<1x2x3x3xf32>, tensor<2x1x2x2xf32>) -> tensor<1x1x4x4xf32>
  return
}

// -----

func.func @weight_grad_shape(%dy: tensor<1x2x3x3xf32>, %x: tensor<1x1x4x4xf32>) {
  // expected-error @+1 {{'tcnn.conv2d_weight_grad' op output_grad has shape [1, 2, 3, 3] but conv2d of this input with a weight of the result shape gives [1, 2, 2, 2]}}
  %0 = tcnn.conv2d_weight_grad %dy, %x stride [1, 1] padding [0, 0] : (tensor<1x2x3x3xf32>, tensor<1x1x4x4xf32>) -> tensor<2x1x3x3xf32>
  return
}

// -----

func.func @bias_grad_shape(%dy: tensor<1x2x3x3xf32>) {
  // expected-error @+1 {{'tcnn.bias_grad' op result has shape [3] but summing all but dimension 1 gives [2]}}
  %0 = tcnn.bias_grad %dy : tensor<1x2x3x3xf32> -> tensor<3xf32>
  return
}

// -----

func.func @max_pool_grad_input(%dy: tensor<1x1x2x2xf32>, %x: tensor<1x1x4x4xf32>) {
  // expected-error @+1 {{'tcnn.max_pool2d_grad' op input has shape [1, 1, 4, 4] but the result has shape [1, 1, 5, 5]}}
  %0 = tcnn.max_pool2d_grad %dy, %x kernel [2, 2] stride [2, 2] padding [0, 0] : (tensor<1x1x2x2xf32>, tensor<1x1x4x4xf32>) -> tensor<1x1x5x5xf32>
  return
}

// -----

func.func @avg_pool_grad_shape(%dy: tensor<1x1x3x3xf32>) {
  // expected-error @+1 {{'tcnn.avg_pool2d_grad' op output_grad has shape [1, 1, 3, 3] but avg_pool2d of the result shape gives [1, 1, 2, 2]}}
  %0 = tcnn.avg_pool2d_grad %dy kernel [2, 2] stride [2, 2] padding [0, 0] : tensor<1x1x3x3xf32> -> tensor<1x1x4x4xf32>
  return
}

// -----

func.func @reshape_count(%x: tensor<2x6xf32>) {
  // expected-error @+1 {{'tcnn.reshape' op cannot reshape [2, 6] (12 elements) to [2, 5] (10 elements)}}
  %0 = tcnn.reshape %x : tensor<2x6xf32> -> tensor<2x5xf32>
  return
}

// -----

func.func @linear_input_grad_shape(%dy: tensor<2x4xf32>, %w: tensor<3x5xf32>) {
  // expected-error @+1 {{'tcnn.linear_input_grad' op output_grad has shape [2, 4] but linear of the result shape with this weight gives [2, 3]}}
  %0 = tcnn.linear_input_grad %dy, %w : (tensor<2x4xf32>, tensor<3x5xf32>) -> tensor<2x5xf32>
  return
}

// -----

func.func @linear_weight_grad_shape(%dy: tensor<2x4xf32>, %x: tensor<2x5xf32>) {
  // expected-error @+1 {{'tcnn.linear_weight_grad' op output_grad has shape [2, 4] but linear of this input with a weight of the result shape gives [2, 3]}}
  %0 = tcnn.linear_weight_grad %dy, %x : (tensor<2x4xf32>, tensor<2x5xf32>) -> tensor<3x5xf32>
  return
}

// -----

func.func @mse_grad_shapes(%dl: tensor<f32>, %p: tensor<2x3xf32>, %t: tensor<2x4xf32>) {
  // expected-error @+1 {{mse_loss: prediction has shape [2, 3] but target has shape [2, 4]}}
  %0 = tcnn.mse_loss_grad %dl, %p, %t : tensor<f32>, tensor<2x3xf32>, tensor<2x4xf32>
  return
}

// -----

func.func @ce_grad_target(%dl: tensor<f32>, %z: tensor<2x5xf32>, %t: tensor<4xi64>) {
  // expected-error @+1 {{cross_entropy_loss: target must be [2] (one class index per batch element), got [4]}}
  %0 = tcnn.cross_entropy_loss_grad %dl, %z, %t : tensor<f32>, tensor<2x5xf32>, tensor<4xi64>
  return
}

// -----

func.func @conv_groups_divide(%x: tensor<1x4x5x5xf32>, %w: tensor<6x2x3x3xf32>) {
  // expected-error @+2 {{conv2d: groups 3 must divide both the 4 input channels and the 6 output channels}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tcnn.conv2d %x, %w stride [1, 1] padding [0, 0] {groups = 3 : i64} : (tensor<1x4x5x5xf32>, tensor<6x2x3x3xf32>) -> tensor<1x6x3x3xf32>
  return
}

// -----

func.func @conv_group_channels(%x: tensor<1x4x5x5xf32>, %w: tensor<6x4x3x3xf32>) {
  // expected-error @+2 {{conv2d: input has 4 channels but weight expects 8 (4 per group times 2 groups)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tcnn.conv2d %x, %w stride [1, 1] padding [0, 0] {groups = 2 : i64} : (tensor<1x4x5x5xf32>, tensor<6x4x3x3xf32>) -> tensor<1x6x3x3xf32>
  return
}

// -----

func.func @conv_dilation_window(%x: tensor<1x1x5x5xf32>, %w: tensor<1x1x3x3xf32>) {
  // expected-error @+2 {{conv2d: the kernel 3x3 with dilation (3, 3) spans 7x7, more than the padded input 5x5}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tcnn.conv2d %x, %w stride [1, 1] padding [0, 0] {dilation = array<i64: 3, 3>} : (tensor<1x1x5x5xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x1x1xf32>
  return
}

// -----

func.func @conv_dilation_zero(%x: tensor<1x1x5x5xf32>, %w: tensor<1x1x3x3xf32>) {
  // expected-error @+2 {{conv2d: dilation must be a pair of integers from 1 to 2147483647, got (0, 1)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tcnn.conv2d %x, %w stride [1, 1] padding [0, 0] {dilation = array<i64: 0, 1>} : (tensor<1x1x5x5xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x3x3xf32>
  return
}

// -----

func.func @conv_grad_groups(%dy: tensor<1x4x3x3xf32>, %w: tensor<4x1x3x3xf32>) {
  // expected-error @+1 {{'tcnn.conv2d_input_grad' op attribute 'groups' failed to satisfy constraint: 64-bit signless integer attribute whose value is positive}}
  %0 = tcnn.conv2d_input_grad %dy, %w stride [1, 1] padding [0, 0] {groups = 0 : i64} : (tensor<1x4x3x3xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x5x5xf32>
  return
}

// -----

func.func @avg_pool_divisor(%x: tensor<1x1x4x4xf32>) {
  // expected-error @+1 {{'tcnn.avg_pool2d' op attribute 'divisor_override' failed to satisfy constraint: 64-bit signless integer attribute whose value is positive}}
  %0 = tcnn.avg_pool2d %x kernel [2, 2] stride [2, 2] padding [0, 0] {divisor_override = 0 : i64} : tensor<1x1x4x4xf32> -> tensor<1x1x2x2xf32>
  return
}

// -----

func.func @max_pool_ceil_shape(%x: tensor<1x1x5x5xf32>) {
  // ceil_mode makes 3 windows of 5 positions, not 2.
  // expected-error @+2 {{'tcnn.max_pool2d' op inferred type(s) 'tensor<1x1x3x3xf32>' are incompatible with return type(s) of operation 'tensor<1x1x2x2xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tcnn.max_pool2d %x kernel [2, 2] stride [2, 2] padding [0, 0] {ceil_mode = true} : tensor<1x1x5x5xf32> -> tensor<1x1x2x2xf32>
  return
}

// -----

func.func @adaptive_output_size(%x: tensor<1x1x4x4xf32>) {
  // expected-error @+2 {{adaptive_avg_pool2d: output_size must be a pair of positive integers, got (0, 2)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tcnn.adaptive_avg_pool2d %x to [0, 2] : tensor<1x1x4x4xf32> -> tensor<1x1x0x2xf32>
  return
}

// -----

func.func @adaptive_grad_channels(%dy: tensor<1x2x2x2xf32>) {
  // expected-error @+1 {{'tcnn.adaptive_avg_pool2d_grad' op output_grad [1, 2, 2, 2] and result [1, 3, 4, 4] must be [N, C, O_h, O_w] and [N, C, H, W]}}
  %0 = tcnn.adaptive_avg_pool2d_grad %dy : tensor<1x2x2x2xf32> -> tensor<1x3x4x4xf32>
  return
}

// -----

func.func @cat_shapes(%a: tensor<2x3x4xf32>, %b: tensor<2x5x5xf32>) {
  // expected-error @+2 {{cat: input 1 has shape [2, 5, 5] but input 0 has shape [2, 3, 4]; they must agree in every dimension but 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tcnn.cat %a, %b {dim = 1 : i64} : tensor<2x3x4xf32>, tensor<2x5x5xf32> -> tensor<2x8x4xf32>
  return
}

// -----

func.func @cat_one_input(%a: tensor<2x3xf32>) {
  // expected-error @+2 {{cat: needs two or more inputs, got 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tcnn.cat %a : tensor<2x3xf32> -> tensor<2x3xf32>
  return
}

// -----

func.func @cat_grad_slice(%dy: tensor<2x8xf32>) {
  // expected-error @+1 {{'tcnn.cat_grad' op result [2, 5] is not a slice of output_grad [2, 8] along dim 1 from offset 4}}
  %0 = tcnn.cat_grad %dy {dim = 1 : i64, offset = 4 : i64} : tensor<2x8xf32> -> tensor<2x5xf32>
  return
}

// -----

func.func @conv_transpose_output_padding(%x: tensor<1x2x3x3xf32>, %w: tensor<2x1x3x3xf32>) {
  // expected-error @+2 {{conv_transpose2d: output_padding (2, 0) must be non-negative and less than either the stride (2, 2) or the dilation (1, 1)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tcnn.conv_transpose2d %x, %w stride [2, 2] padding [0, 0] {output_padding = array<i64: 2, 0>} : (tensor<1x2x3x3xf32>, tensor<2x1x3x3xf32>) -> tensor<1x1x9x7xf32>
  return
}

// -----

func.func @conv_transpose_channels(%x: tensor<1x2x3x3xf32>, %w: tensor<3x1x3x3xf32>) {
  // expected-error @+2 {{conv_transpose2d: input has 2 channels but weight expects 3}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tcnn.conv_transpose2d %x, %w stride [1, 1] padding [0, 0] : (tensor<1x2x3x3xf32>, tensor<3x1x3x3xf32>) -> tensor<1x1x5x5xf32>
  return
}

// -----

func.func @gelu_approximation(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'tcnn.gelu' op attribute 'approximate' failed to satisfy constraint: string attribute "none" or "tanh"}}
  %0 = tcnn.gelu %x {approximate = "sigmoid"} : tensor<2x3xf32>
  return
}

// -----

func.func @reduction_unknown(%p: tensor<2x3xf32>, %t: tensor<2x3xf32>) {
  // expected-error @+1 {{'tcnn.mse_loss' op attribute 'reduction' failed to satisfy constraint: string attribute "mean" or "sum"}}
  %0 = tcnn.mse_loss %p, %t {reduction = "none"} : tensor<2x3xf32>, tensor<2x3xf32>
  return
}

// -----

func.func @label_smoothing_range(%dl: tensor<f32>, %z: tensor<2x5xf32>, %t: tensor<2xi64>) {
  // expected-error @+1 {{'tcnn.cross_entropy_loss_grad' op attribute 'label_smoothing' failed to satisfy constraint: 64-bit float attribute between 0 and 1}}
  %0 = tcnn.cross_entropy_loss_grad %dl, %z, %t {label_smoothing = 1.5 : f64} : tensor<f32>, tensor<2x5xf32>, tensor<2xi64>
  return
}

// -----

func.func @nll_scores_rank(%z: tensor<2x5x1xf32>, %t: tensor<2xi64>) {
  // expected-error @+1 {{nll_loss: input must be 2-D [N, classes], got [2, 5, 1]}}
  %0 = tcnn.nll_loss %z, %t : tensor<2x5x1xf32>, tensor<2xi64>
  return
}

// -----

func.func @nll_grad_target(%dl: tensor<f32>, %z: tensor<2x5xf32>, %t: tensor<3xi64>) {
  // expected-error @+1 {{nll_loss: target must be [2] (one class index per batch element), got [3]}}
  %0 = tcnn.nll_loss_grad %dl, %z, %t : tensor<f32>, tensor<2x5xf32>, tensor<3xi64>
  return
}

// -----

func.func @bce_grad_shapes(%dl: tensor<f32>, %p: tensor<2x3xf32>, %t: tensor<3x2xf32>) {
  // expected-error @+1 {{bce_with_logits_loss: prediction has shape [2, 3] but target has shape [3, 2]}}
  %0 = tcnn.bce_with_logits_loss_grad %dl, %p, %t : tensor<f32>, tensor<2x3xf32>, tensor<3x2xf32>
  return
}

// -----

func.func @relu_grad_types(%dy: tensor<2x3xf32>, %x: tensor<3x2xf32>) {
  // expected-error @+1 {{'tcnn.relu_grad' op failed to verify that all of {output_grad, input, input_grad} have same type}}
  %0 = "tcnn.relu_grad"(%dy, %x) : (tensor<2x3xf32>, tensor<3x2xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @leaky_relu_grad_types(%dy: tensor<2x3xf32>, %x: tensor<3x2xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'tcnn.leaky_relu_grad' op failed to verify that all of {output_grad, input, input_grad} have same type}}
  %0 = "tcnn.leaky_relu_grad"(%dy, %x) {negative_slope = 1.000000e-02 : f64} : (tensor<2x3xf32>, tensor<3x2xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @sigmoid_result_type(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
  // expected-error @+1 {{'tcnn.sigmoid' op requires the same type for all operands and results}}
  %0 = "tcnn.sigmoid"(%x) : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

func.func @tanh_grad_types(%dy: tensor<2x3xf32>, %x: tensor<2x4xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'tcnn.tanh_grad' op failed to verify that all of {output_grad, input, input_grad} have same type}}
  %0 = "tcnn.tanh_grad"(%dy, %x) : (tensor<2x3xf32>, tensor<2x4xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @elu_alpha_type(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'tcnn.elu' op attribute 'alpha' failed to satisfy constraint: 64-bit float attribute}}
  %0 = "tcnn.elu"(%x) {alpha = 1 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @elu_grad_no_alpha(%dy: tensor<2x3xf32>, %x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'tcnn.elu_grad' op requires attribute 'alpha'}}
  %0 = "tcnn.elu_grad"(%dy, %x) : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @gelu_grad_types(%dy: tensor<2x3xf32>, %x: tensor<2x3xf32>) -> tensor<3x3xf32> {
  // expected-error @+1 {{'tcnn.gelu_grad' op failed to verify that all of {output_grad, input, input_grad} have same type}}
  %0 = "tcnn.gelu_grad"(%dy, %x) : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<3x3xf32>
  return %0 : tensor<3x3xf32>
}

// -----

func.func @softmax_dim_range(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'tcnn.softmax' op dim 2 is out of range for rank 2 (expected 0 to 1)}}
  %0 = tcnn.softmax %x {dim = 2 : i64} : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @log_softmax_negative_dim(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'tcnn.log_softmax' op dim -1 is out of range for rank 2 (expected 0 to 1)}}
  %0 = tcnn.log_softmax %x {dim = -1 : i64} : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @softmax_no_dim(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'tcnn.softmax' op requires attribute 'dim'}}
  %0 = "tcnn.softmax"(%x) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @softmax_grad_dim_range(%dy: tensor<2x3xf32>, %y: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'tcnn.softmax_grad' op dim 5 is out of range for rank 2 (expected 0 to 1)}}
  %0 = tcnn.softmax_grad %dy, %y {dim = 5 : i64} : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @log_softmax_grad_types(%dy: tensor<2x3xf32>, %y: tensor<3x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'tcnn.log_softmax_grad' op failed to verify that all of {output_grad, output, input_grad} have same type}}
  %0 = "tcnn.log_softmax_grad"(%dy, %y) {dim = 1 : i64} : (tensor<2x3xf32>, tensor<3x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @leaky_relu_grad_no_slope(%dy: tensor<2x3xf32>, %x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'tcnn.leaky_relu_grad' op requires attribute 'negative_slope'}}
  %0 = "tcnn.leaky_relu_grad"(%dy, %x) : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @leaky_relu_type(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
  // expected-error @+1 {{'tcnn.leaky_relu' op requires the same type for all operands and results}}
  %0 = "tcnn.leaky_relu"(%x) : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

func.func @batch_norm_half_affine(%x: tensor<2x3x4x4xf32>, %w: tensor<3xf32>) -> tensor<2x3x4x4xf32> {
  // expected-error @+1 {{'tcnn.batch_norm2d' op takes weight and bias together or not at all}}
  %0 = "tcnn.batch_norm2d"(%x, %w) {operandSegmentSizes = array<i32: 1, 1, 0, 0, 0, 0>} : (tensor<2x3x4x4xf32>, tensor<3xf32>) -> tensor<2x3x4x4xf32>
  return %0 : tensor<2x3x4x4xf32>
}

// -----

func.func @batch_norm_channels(%x: tensor<2x3x4x4xf32>, %w: tensor<4xf32>) -> tensor<2x3x4x4xf32> {
  // expected-error @+1 {{'tcnn.batch_norm2d' op expects per-channel operands of shape [3] for input channels 3, got [4]}}
  %0 = tcnn.batch_norm2d %x weight %w, %w : (tensor<2x3x4x4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x3x4x4xf32>
  return %0 : tensor<2x3x4x4xf32>
}

// -----

func.func @batch_norm_rank(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'tcnn.batch_norm2d' op expects an input [N, C, H, W], got rank 2}}
  %0 = tcnn.batch_norm2d %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @batch_norm_eps(%x: tensor<2x3x4x4xf32>) -> tensor<2x3x4x4xf32> {
  // expected-error @+1 {{'tcnn.batch_norm2d' op expects a positive eps}}
  %0 = tcnn.batch_norm2d %x {eps = 0.0 : f64} : (tensor<2x3x4x4xf32>) -> tensor<2x3x4x4xf32>
  return %0 : tensor<2x3x4x4xf32>
}

// -----

func.func @batch_norm_momentum(%x: tensor<2x3x4x4xf32>, %r: tensor<3xf32>) {
  // expected-error @+1 {{'tcnn.batch_norm2d_update' op expects a momentum between 0 and 1, got 1.5}}
  %0:2 = tcnn.batch_norm2d_update %x, %r, %r {momentum = 1.5 : f64} : tensor<2x3x4x4xf32>, tensor<3xf32>
  return
}

// -----

func.func @batch_norm_grad_eval(%x: tensor<2x3x4x4xf32>) -> tensor<2x3x4x4xf32> {
  // expected-error @+1 {{'tcnn.batch_norm2d_grad' op in inference mode needs the running statistics}}
  %0 = tcnn.batch_norm2d_grad %x, %x {training = false} : (tensor<2x3x4x4xf32>, tensor<2x3x4x4xf32>) -> tensor<2x3x4x4xf32>
  return %0 : tensor<2x3x4x4xf32>
}

// -----

func.func @batch_norm_weight_grad_shape(%x: tensor<2x3x4x4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'tcnn.batch_norm2d_weight_grad' op expects a result of shape [3], got [4]}}
  %0 = tcnn.batch_norm2d_weight_grad %x, %x : (tensor<2x3x4x4xf32>, tensor<2x3x4x4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @dropout_mask_type(%x: tensor<2x5xf32>, %m: tensor<5x2xf32>) -> tensor<2x5xf32> {
  // expected-error @+1 {{'tcnn.dropout' op failed to verify that all of {input, mask} have same type}}
  %0 = "tcnn.dropout"(%x, %m) : (tensor<2x5xf32>, tensor<5x2xf32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

func.func @dropout_p(%s: tensor<i64>) -> tensor<2x5xf32> {
  // expected-error @+1 {{'tcnn.dropout_mask' op attribute 'p' failed to satisfy constraint: 64-bit float attribute between 0 and 1}}
  %0 = tcnn.dropout_mask %s {p = 1.5 : f64} : tensor<i64> -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

func.func @pad2d_nothing_left(%x: tensor<1x2x3x3xf32>) {
  // expected-error @+2 {{pad2d: padding (0, 0, -2, -1) leaves no output: input [1, 2, 3, 3] would become [1, 2, 0, 3]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tcnn.pad2d %x padding [0, 0, -2, -1] : tensor<1x2x3x3xf32> -> tensor<1x2x0x3xf32>
  return
}

// -----

func.func @pad2d_rank(%x: tensor<5xf32>) {
  // expected-error @+2 {{pad2d: input must have at least 2 dimensions, got [5]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tcnn.pad2d %x padding [1, 1, 1, 1] : tensor<5xf32> -> tensor<7xf32>
  return
}

// -----

func.func @pad2d_sides(%x: tensor<1x2x3x3xf32>) {
  // expected-error @+1 {{'tcnn.pad2d' op attribute 'padding' failed to satisfy constraint: i64 dense array attribute with exactly 4 elements}}
  %0 = tcnn.pad2d %x padding [1, 1] : tensor<1x2x3x3xf32> -> tensor<1x2x5x5xf32>
  return
}

// -----

func.func @pad2d_grad_shape(%dy: tensor<1x2x4x4xf32>) {
  // expected-error @+1 {{'tcnn.pad2d_grad' op output_grad has shape [1, 2, 4, 4] but pad2d of the result shape gives [1, 2, 5, 5]}}
  %0 = tcnn.pad2d_grad %dy padding [1, 1, 1, 1] : tensor<1x2x4x4xf32> -> tensor<1x2x3x3xf32>
  return
}
