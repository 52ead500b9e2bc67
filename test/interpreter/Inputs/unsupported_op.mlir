module {
  ml_program.global private @x(dense<1.0> : tensor<2x3xf32>) : tensor<2x3xf32>
  ml_program.global private @t(dense<0.0> : tensor<2x3xf32>) : tensor<2x3xf32>
  func.func @forward(%x: tensor<2x3xf32> {tcnn.input = "x"}, %t: tensor<2x3xf32> {tcnn.target = "t"}) -> tensor<f32> {
    %e = math.exp %x : tensor<2x3xf32>
    %l = tcnn.mse_loss %e, %t : tensor<2x3xf32>, tensor<2x3xf32>
    return %l : tensor<f32>
  }
}
