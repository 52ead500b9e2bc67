module {
  func.func @forward(%x: tensor<2x3xf32> {tcnn.input = "x"}, %t: tensor<2x3xf32> {tcnn.target = "t"}) -> tensor<f32> {
    %l = tcnn.mse_loss %x, %t : tensor<2x3xf32>, tensor<2x3xf32>
    return %l : tensor<f32>
  }
}
