// RUN: tcnn-opt %s -split-input-file -tcnn-autodiff -verify-diagnostics

// expected-error @+1 {{tcnn-autodiff: @no_loss has no scalar loss: its first result must be tensor<f32>}}
func.func @no_loss(%x: tensor<2x3xf32> {tcnn.param = "p"}) -> tensor<2x3xf32> {
  %y = tcnn.relu %x : tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

func.func @no_rule(%x: tensor<2x3xf32> {tcnn.param = "p"}, %t: tensor<2x3xf32>) -> tensor<f32> {
  // expected-error @+1 {{'arith.negf' op has no gradient rule (it does not implement tcnn's GradientOpInterface)}}
  %n = arith.negf %x : tensor<2x3xf32>
  %l = tcnn.mse_loss %n, %t : tensor<2x3xf32>, tensor<2x3xf32>
  return %l : tensor<f32>
}

// -----

// expected-error @+1 {{tcnn-autodiff: the module has no function to differentiate}}
module {
}

// -----

// A model without a loss only predicts: its forward function is marked so,
// and differentiating it is an error that says why.
// expected-error @+1 {{tcnn-autodiff: @forward is inference-only (the model has no loss): there is nothing to differentiate}}
func.func @forward(%x: tensor<2x3xf32> {tcnn.input = "x"}) -> tensor<2x3xf32> attributes {tcnn.inference_only} {
  %y = tcnn.relu %x : tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}
