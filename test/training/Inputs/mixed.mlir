// A model whose reshape moves samples across rows ([4, 2] -> [2, 4]).
module attributes {tcnn.model = "mixed"} {
  ml_program.global private @x(dense<1.0> : tensor<4x2xf32>) : tensor<4x2xf32>
  ml_program.global private @y(dense<0.0> : tensor<2x4xf32>) : tensor<2x4xf32>
  func.func @forward(%x: tensor<4x2xf32> {tcnn.input = "x"}, %y: tensor<2x4xf32> {tcnn.target = "y"}) -> (tensor<f32>, tensor<2x4xf32>) attributes {tcnn.result_names = ["loss", "r"]} {
    %r = tcnn.reshape %x : tensor<4x2xf32> -> tensor<2x4xf32>
    %loss = tcnn.mse_loss %r, %y : tensor<2x4xf32>, tensor<2x4xf32>
    return %loss, %r : tensor<f32>, tensor<2x4xf32>
  }
}
