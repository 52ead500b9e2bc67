// RUN: tcnn-opt %s | tcnn-opt | FileCheck %s
// Every op parses, verifies and prints back in its custom form.

// CHECK-LABEL: func.func @forward_ops
func.func @forward_ops(%x: tensor<2x3x9x7xf32>, %w: tensor<4x3x3x2xf32>, %b: tensor<4xf32>,
                       %gw: tensor<6x1x3x2xf32>, %tw: tensor<3x2x3x2xf32>,
                       %lw: tensor<5x12xf32>, %lb: tensor<5xf32>, %t: tensor<2x5xf32>,
                       %labels: tensor<2xi64>) -> (tensor<f32>, tensor<f32>) {
  // CHECK: tcnn.conv2d %{{.*}}, %{{.*}}, %{{.*}} stride [2, 1] padding [1, 0] : (tensor<2x3x9x7xf32>, tensor<4x3x3x2xf32>, tensor<4xf32>) -> tensor<2x4x5x6xf32>
  %c = tcnn.conv2d %x, %w, %b stride [2, 1] padding [1, 0] : (tensor<2x3x9x7xf32>, tensor<4x3x3x2xf32>, tensor<4xf32>) -> tensor<2x4x5x6xf32>
  // CHECK: tcnn.conv2d %{{.*}}, %{{.*}} stride [1, 1] padding [0, 0] : (tensor<2x3x9x7xf32>, tensor<4x3x3x2xf32>) -> tensor<2x4x7x6xf32>
  %nb = tcnn.conv2d %x, %w stride [1, 1] padding [0, 0] : (tensor<2x3x9x7xf32>, tensor<4x3x3x2xf32>) -> tensor<2x4x7x6xf32>
  // (9 - 1) * 2 - 2 + 2 + 1 + 1 = 18 rows.
  // CHECK: tcnn.conv_transpose2d %{{.*}}, %{{.*}} stride [2, 1] padding [1, 0] {output_padding = array<i64: 1, 0>} : (tensor<2x3x9x7xf32>, tensor<3x2x3x2xf32>) -> tensor<2x2x18x8xf32>
  %ct = tcnn.conv_transpose2d %x, %tw stride [2, 1] padding [1, 0] {output_padding = array<i64: 1, 0>} : (tensor<2x3x9x7xf32>, tensor<3x2x3x2xf32>) -> tensor<2x2x18x8xf32>
  // Dilation widens the window to d (k - 1) + 1 = 5 rows; 3 groups of one
  // input channel each (depthwise, two outputs per channel).
  // CHECK: tcnn.conv2d %{{.*}}, %{{.*}} stride [1, 1] padding [0, 0] {dilation = array<i64: 2, 1>, groups = 3 : i64} : (tensor<2x3x9x7xf32>, tensor<6x1x3x2xf32>) -> tensor<2x6x5x6xf32>
  %dw = tcnn.conv2d %x, %gw stride [1, 1] padding [0, 0] {dilation = array<i64: 2, 1>, groups = 3 : i64} : (tensor<2x3x9x7xf32>, tensor<6x1x3x2xf32>) -> tensor<2x6x5x6xf32>
  // CHECK: tcnn.relu %{{.*}} : tensor<2x4x5x6xf32>
  %r = tcnn.relu %c : tensor<2x4x5x6xf32>
  // CHECK: tcnn.leaky_relu %{{.*}} {negative_slope = 2.000000e-01 : f64} : tensor<2x4x5x6xf32>
  %lr = tcnn.leaky_relu %c {negative_slope = 0.2 : f64} : tensor<2x4x5x6xf32>
  // CHECK: tcnn.sigmoid %{{.*}} : tensor<2x4x5x6xf32>
  %sg = tcnn.sigmoid %c : tensor<2x4x5x6xf32>
  // CHECK: tcnn.tanh %{{.*}} : tensor<2x4x5x6xf32>
  %th = tcnn.tanh %c : tensor<2x4x5x6xf32>
  // CHECK: tcnn.elu %{{.*}} {alpha = 5.000000e-01 : f64} : tensor<2x4x5x6xf32>
  %el = tcnn.elu %c {alpha = 0.5 : f64} : tensor<2x4x5x6xf32>
  // CHECK: tcnn.gelu %{{.*}} : tensor<2x4x5x6xf32>
  %gl = tcnn.gelu %c : tensor<2x4x5x6xf32>
  // CHECK: tcnn.gelu %{{.*}} {approximate = "tanh"} : tensor<2x4x5x6xf32>
  %gt = tcnn.gelu %c {approximate = "tanh"} : tensor<2x4x5x6xf32>
  // CHECK: tcnn.softmax %{{.*}} {dim = 1 : i64} : tensor<2x4x5x6xf32>
  %sm = tcnn.softmax %c {dim = 1 : i64} : tensor<2x4x5x6xf32>
  // CHECK: tcnn.log_softmax %{{.*}} {dim = 3 : i64} : tensor<2x4x5x6xf32>
  %lsm = tcnn.log_softmax %c {dim = 3 : i64} : tensor<2x4x5x6xf32>
  // CHECK: tcnn.max_pool2d %{{.*}} kernel [3, 3] stride [1, 2] padding [1, 1] : tensor<2x4x5x6xf32> -> tensor<2x4x5x3xf32>
  %m = tcnn.max_pool2d %r kernel [3, 3] stride [1, 2] padding [1, 1] : tensor<2x4x5x6xf32> -> tensor<2x4x5x3xf32>
  // CHECK: tcnn.avg_pool2d %{{.*}} kernel [2, 2] stride [2, 2] padding [1, 0] : tensor<2x4x5x3xf32> -> tensor<2x4x3x1xf32>
  %a = tcnn.avg_pool2d %m kernel [2, 2] stride [2, 2] padding [1, 0] : tensor<2x4x5x3xf32> -> tensor<2x4x3x1xf32>
  // CHECK: tcnn.cat %{{.*}}, %{{.*}}, %{{.*}} {dim = -1 : i64} : tensor<2x4x5x6xf32>, tensor<2x4x5x6xf32>, tensor<2x4x5x6xf32> -> tensor<2x4x5x18xf32>
  %cc = tcnn.cat %r, %r, %r {dim = -1 : i64} : tensor<2x4x5x6xf32>, tensor<2x4x5x6xf32>, tensor<2x4x5x6xf32> -> tensor<2x4x5x18xf32>
  // CHECK: tcnn.adaptive_avg_pool2d %{{.*}} to [2, 4] : tensor<2x4x5x6xf32> -> tensor<2x4x2x4xf32>
  %aa = tcnn.adaptive_avg_pool2d %r to [2, 4] : tensor<2x4x5x6xf32> -> tensor<2x4x2x4xf32>
  // CHECK: tcnn.adaptive_max_pool2d %{{.*}} to [1, 1] : tensor<2x4x5x6xf32> -> tensor<2x4x1x1xf32>
  %am = tcnn.adaptive_max_pool2d %r to [1, 1] : tensor<2x4x5x6xf32> -> tensor<2x4x1x1xf32>
  // ceil_mode rounds 2.5 rows up to 3 windows; dilation 2 spans 5 columns.
  // CHECK: tcnn.max_pool2d %{{.*}} kernel [2, 3] stride [2, 1] padding [0, 0] {ceil_mode = true, dilation = array<i64: 1, 2>} : tensor<2x4x5x6xf32> -> tensor<2x4x3x2xf32>
  %md = tcnn.max_pool2d %r kernel [2, 3] stride [2, 1] padding [0, 0] {ceil_mode = true, dilation = array<i64: 1, 2>} : tensor<2x4x5x6xf32> -> tensor<2x4x3x2xf32>
  // CHECK: tcnn.avg_pool2d %{{.*}} kernel [3, 3] stride [2, 2] padding [1, 1] {ceil_mode = true, count_include_pad = false, divisor_override = 5 : i64} : tensor<2x4x5x6xf32> -> tensor<2x4x3x4xf32>
  %ad = tcnn.avg_pool2d %r kernel [3, 3] stride [2, 2] padding [1, 1] {ceil_mode = true, count_include_pad = false, divisor_override = 5 : i64} : tensor<2x4x5x6xf32> -> tensor<2x4x3x4xf32>
  // CHECK: tcnn.add %{{.*}}, %{{.*}} : tensor<2x4x3x1xf32>
  %s = tcnn.add %a, %a : tensor<2x4x3x1xf32>
  // CHECK: tcnn.mul %{{.*}}, %{{.*}} : tensor<2x4x3x1xf32>
  %mu = tcnn.mul %a, %s : tensor<2x4x3x1xf32>
  // CHECK: tcnn.flatten %{{.*}} : tensor<2x4x3x1xf32> -> tensor<2x12xf32>
  %f = tcnn.flatten %s : tensor<2x4x3x1xf32> -> tensor<2x12xf32>
  // CHECK: tcnn.reshape %{{.*}} : tensor<2x12xf32> -> tensor<2x4x3x1xf32>
  %back = tcnn.reshape %f : tensor<2x12xf32> -> tensor<2x4x3x1xf32>
  // CHECK: tcnn.linear %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x12xf32>, tensor<5x12xf32>, tensor<5xf32>) -> tensor<2x5xf32>
  %l = tcnn.linear %f, %lw, %lb : (tensor<2x12xf32>, tensor<5x12xf32>, tensor<5xf32>) -> tensor<2x5xf32>
  // CHECK: tcnn.mse_loss %{{.*}}, %{{.*}} : tensor<2x5xf32>, tensor<2x5xf32>
  %mse = tcnn.mse_loss %l, %t : tensor<2x5xf32>, tensor<2x5xf32>
  // CHECK: tcnn.l1_loss %{{.*}}, %{{.*}} : tensor<2x5xf32>, tensor<2x5xf32>
  %l1 = tcnn.l1_loss %l, %t : tensor<2x5xf32>, tensor<2x5xf32>
  // CHECK: tcnn.smooth_l1_loss %{{.*}}, %{{.*}} {beta = 5.000000e-01 : f64} : tensor<2x5xf32>, tensor<2x5xf32>
  %sl1 = tcnn.smooth_l1_loss %l, %t {beta = 0.5 : f64} : tensor<2x5xf32>, tensor<2x5xf32>
  // CHECK: tcnn.cross_entropy_loss %{{.*}}, %{{.*}} : tensor<2x5xf32>, tensor<2xi64>
  %ce = tcnn.cross_entropy_loss %l, %labels : tensor<2x5xf32>, tensor<2xi64>
  // CHECK: tcnn.cross_entropy_loss %{{.*}}, %{{.*}} {label_smoothing = 1.000000e-01 : f64, reduction = "sum"} : tensor<2x5xf32>, tensor<2xi64>
  %ces = tcnn.cross_entropy_loss %l, %labels {label_smoothing = 0.1 : f64, reduction = "sum"} : tensor<2x5xf32>, tensor<2xi64>
  // CHECK: tcnn.nll_loss %{{.*}}, %{{.*}} : tensor<2x5xf32>, tensor<2xi64>
  %nll = tcnn.nll_loss %l, %labels : tensor<2x5xf32>, tensor<2xi64>
  // The default reduction, "mean", is not printed.
  // CHECK: tcnn.bce_with_logits_loss %{{.*}}, %{{.*}} : tensor<2x5xf32>, tensor<2x5xf32>
  %bce = tcnn.bce_with_logits_loss %l, %t {reduction = "mean"} : tensor<2x5xf32>, tensor<2x5xf32>
  return %mse, %ce : tensor<f32>, tensor<f32>
}

// CHECK-LABEL: func.func @backward_ops
func.func @backward_ops(%dy: tensor<2x4x5x6xf32>, %x: tensor<2x3x9x7xf32>, %w: tensor<4x3x3x2xf32>,
                        %pdy: tensor<2x4x5x3xf32>, %px: tensor<2x4x5x6xf32>,
                        %ldy: tensor<2x5xf32>, %lw: tensor<5x12xf32>, %lx: tensor<2x12xf32>,
                        %dl: tensor<f32>, %t: tensor<2x5xf32>, %labels: tensor<2xi64>) {
  // CHECK: tcnn.conv2d_input_grad %{{.*}}, %{{.*}} stride [2, 1] padding [1, 0] : (tensor<2x4x5x6xf32>, tensor<4x3x3x2xf32>) -> tensor<2x3x9x7xf32>
  %0 = tcnn.conv2d_input_grad %dy, %w stride [2, 1] padding [1, 0] : (tensor<2x4x5x6xf32>, tensor<4x3x3x2xf32>) -> tensor<2x3x9x7xf32>
  // CHECK: tcnn.conv2d_weight_grad %{{.*}}, %{{.*}} stride [2, 1] padding [1, 0] : (tensor<2x4x5x6xf32>, tensor<2x3x9x7xf32>) -> tensor<4x3x3x2xf32>
  %1 = tcnn.conv2d_weight_grad %dy, %x stride [2, 1] padding [1, 0] : (tensor<2x4x5x6xf32>, tensor<2x3x9x7xf32>) -> tensor<4x3x3x2xf32>
  // CHECK: tcnn.bias_grad %{{.*}} : tensor<2x4x5x6xf32> -> tensor<4xf32>
  %2 = tcnn.bias_grad %dy : tensor<2x4x5x6xf32> -> tensor<4xf32>
  // CHECK: tcnn.max_pool2d_grad %{{.*}}, %{{.*}} kernel [3, 3] stride [1, 2] padding [1, 1] : (tensor<2x4x5x3xf32>, tensor<2x4x5x6xf32>) -> tensor<2x4x5x6xf32>
  %3 = tcnn.max_pool2d_grad %pdy, %px kernel [3, 3] stride [1, 2] padding [1, 1] : (tensor<2x4x5x3xf32>, tensor<2x4x5x6xf32>) -> tensor<2x4x5x6xf32>
  // CHECK: tcnn.avg_pool2d_grad %{{.*}} kernel [3, 3] stride [1, 2] padding [1, 1] : tensor<2x4x5x3xf32> -> tensor<2x4x5x6xf32>
  %4 = tcnn.avg_pool2d_grad %pdy kernel [3, 3] stride [1, 2] padding [1, 1] : tensor<2x4x5x3xf32> -> tensor<2x4x5x6xf32>
  // CHECK: tcnn.cat_grad %{{.*}} {dim = 3 : i64, offset = 1 : i64} : tensor<2x4x5x3xf32> -> tensor<2x4x5x2xf32>
  %cg = tcnn.cat_grad %pdy {dim = 3 : i64, offset = 1 : i64} : tensor<2x4x5x3xf32> -> tensor<2x4x5x2xf32>
  // CHECK: tcnn.adaptive_avg_pool2d_grad %{{.*}} : tensor<2x4x5x3xf32> -> tensor<2x4x5x6xf32>
  %ag = tcnn.adaptive_avg_pool2d_grad %pdy : tensor<2x4x5x3xf32> -> tensor<2x4x5x6xf32>
  // CHECK: tcnn.adaptive_max_pool2d_grad %{{.*}}, %{{.*}} : tensor<2x4x5x3xf32>, tensor<2x4x5x6xf32>
  %mg = tcnn.adaptive_max_pool2d_grad %pdy, %px : tensor<2x4x5x3xf32>, tensor<2x4x5x6xf32>
  // CHECK: tcnn.relu_grad %{{.*}}, %{{.*}} : tensor<2x4x5x6xf32>
  %5 = tcnn.relu_grad %dy, %px : tensor<2x4x5x6xf32>
  // CHECK: tcnn.leaky_relu_grad %{{.*}}, %{{.*}} {negative_slope = 1.000000e-02 : f64} : tensor<2x4x5x6xf32>
  %lrg = tcnn.leaky_relu_grad %dy, %px {negative_slope = 0.01 : f64} : tensor<2x4x5x6xf32>
  // CHECK: tcnn.sigmoid_grad %{{.*}}, %{{.*}} : tensor<2x4x5x6xf32>
  %sgg = tcnn.sigmoid_grad %dy, %px : tensor<2x4x5x6xf32>
  // CHECK: tcnn.tanh_grad %{{.*}}, %{{.*}} : tensor<2x4x5x6xf32>
  %thg = tcnn.tanh_grad %dy, %px : tensor<2x4x5x6xf32>
  // CHECK: tcnn.elu_grad %{{.*}}, %{{.*}} {alpha = 1.000000e+00 : f64} : tensor<2x4x5x6xf32>
  %elg = tcnn.elu_grad %dy, %px {alpha = 1.0 : f64} : tensor<2x4x5x6xf32>
  // CHECK: tcnn.gelu_grad %{{.*}}, %{{.*}} : tensor<2x4x5x6xf32>
  %glg = tcnn.gelu_grad %dy, %px : tensor<2x4x5x6xf32>
  // CHECK: tcnn.softmax_grad %{{.*}}, %{{.*}} {dim = 0 : i64} : tensor<2x4x5x6xf32>
  %smg = tcnn.softmax_grad %dy, %px {dim = 0 : i64} : tensor<2x4x5x6xf32>
  // CHECK: tcnn.log_softmax_grad %{{.*}}, %{{.*}} {dim = 2 : i64} : tensor<2x4x5x6xf32>
  %lsmg = tcnn.log_softmax_grad %dy, %px {dim = 2 : i64} : tensor<2x4x5x6xf32>
  // CHECK: tcnn.linear_input_grad %{{.*}}, %{{.*}} : (tensor<2x5xf32>, tensor<5x12xf32>) -> tensor<2x12xf32>
  %6 = tcnn.linear_input_grad %ldy, %lw : (tensor<2x5xf32>, tensor<5x12xf32>) -> tensor<2x12xf32>
  // CHECK: tcnn.linear_weight_grad %{{.*}}, %{{.*}} : (tensor<2x5xf32>, tensor<2x12xf32>) -> tensor<5x12xf32>
  %7 = tcnn.linear_weight_grad %ldy, %lx : (tensor<2x5xf32>, tensor<2x12xf32>) -> tensor<5x12xf32>
  // CHECK: tcnn.bias_grad %{{.*}} : tensor<2x5xf32> -> tensor<5xf32>
  %8 = tcnn.bias_grad %ldy : tensor<2x5xf32> -> tensor<5xf32>
  // CHECK: tcnn.mse_loss_grad %{{.*}}, %{{.*}}, %{{.*}} : tensor<f32>, tensor<2x5xf32>, tensor<2x5xf32>
  %9 = tcnn.mse_loss_grad %dl, %ldy, %t : tensor<f32>, tensor<2x5xf32>, tensor<2x5xf32>
  // CHECK: tcnn.cross_entropy_loss_grad %{{.*}}, %{{.*}}, %{{.*}} : tensor<f32>, tensor<2x5xf32>, tensor<2xi64>
  %10 = tcnn.cross_entropy_loss_grad %dl, %ldy, %labels : tensor<f32>, tensor<2x5xf32>, tensor<2xi64>
  // CHECK: tcnn.nll_loss_grad %{{.*}}, %{{.*}}, %{{.*}} {reduction = "sum"} : tensor<f32>, tensor<2x5xf32>, tensor<2xi64>
  %11 = tcnn.nll_loss_grad %dl, %ldy, %labels {reduction = "sum"} : tensor<f32>, tensor<2x5xf32>, tensor<2xi64>
  // CHECK: tcnn.bce_with_logits_loss_grad %{{.*}}, %{{.*}}, %{{.*}} : tensor<f32>, tensor<2x5xf32>, tensor<2x5xf32>
  %12 = tcnn.bce_with_logits_loss_grad %dl, %ldy, %t : tensor<f32>, tensor<2x5xf32>, tensor<2x5xf32>
  return
}
