"""The models every PyTorch comparison uses, described once: the
configurations of test/pytorch/compare_torch.py, and the examples' PyTorch
twins (also used by test/explain/report_vs_torch.py and
test/pytorch/train_sgd.py). Add a model here and every comparison that
iterates over the lists covers it."""

from tcnn_torch import Layer as L, Model

TIES = "[[1, 1, 2, 2, 0], [1, 1, 2, 2, 0], [3, 3, 0, 0, 5], [3, 3, 0, 0, 5], [1, 1, 1, 1, 1]]"
# Ties of zeros, of negatives and of positives in 2x2 windows (PyTorch routes
# the gradient to the first maximum); the last row and column are cropped by
# pooling. (The -0 of the input does not survive the convolution in front,
# whose sums start at +0.)
SIGNED_TIES = ("[[0, -0.0, 2, 2, 0], [-0.0, 0, 2, -1, 0], [-1, -1, -0.0, 0, 5],"
               " [-1, -1, 0, -0.0, 5], [1, 1, 1, 1, 1]]")

CONFIGS = [
    Model("stride1_pad0", [1, 1, 6, 6], [L("c", "Conv2d", 1, 2, 3)]),
    Model("stride2_pad1_multichannel", [2, 3, 7, 7],
          [L("c", "Conv2d", 3, 4, 3, stride=2, padding=1), L("r", "ReLU")]),
    Model("stride3_pad2_nonsquare", [1, 2, 9, 8],
          [L("c", "Conv2d", 2, 3, (3, 2), stride=3, padding=(2, 1))]),
    Model("stride_2x1_nonsquare_input", [1, 2, 5, 9],
          [L("c", "Conv2d", 2, 2, (2, 3), stride=(2, 1), padding=(0, 2), bias=False)]),
    Model("batch4_conv_pool_linear", [4, 1, 8, 8],
          [L("c1", "Conv2d", 1, 3, 3, padding=1), L("r1", "ReLU"), L("p1", "MaxPool2d", 2),
           L("f", "Flatten"), L("fc", "Linear", 48, 5)]),
    Model("maxpool_overlapping", [2, 2, 7, 7],
          [L("c", "Conv2d", 2, 2, 1), L("p", "MaxPool2d", 3, stride=2, padding=1)]),
    Model("maxpool_ties", [1, 1, 5, 5],
          [L("p", "MaxPool2d", 2, stride=1)], x_init=TIES),
    # Windows that tile the input (the vectorized first-maximum path), after a
    # 1x1 convolution without bias: every channel keeps the ties, signs flip
    # with the weight, and the weight gradient goes through the routing.
    Model("maxpool_tiling_signed_ties", [1, 1, 5, 5],
          [L("c", "Conv2d", 1, 3, 1, bias=False), L("p", "MaxPool2d", 2)],
          x_init=SIGNED_TIES),
    # 1x1 convolutions are matmuls of pixel rows: 3 * 7 * 9 = 189 rows (no
    # multiple of the 8-row block), 17 -> 5 and 5 -> 17 channels (the weight
    # gradient transposes whichever side has fewer), ReLU and a pool between.
    Model("pointwise_odd_sizes", [3, 17, 7, 9],
          [L("c1", "Conv2d", 17, 5, 1), L("r", "ReLU"),
           L("c2", "Conv2d", 5, 17, 1, bias=False), L("p", "MaxPool2d", 2)]),
    Model("maxpool_ties_padding", [1, 1, 5, 5],
          [L("p", "MaxPool2d", 3, stride=2, padding=1)], x_init=TIES),
    Model("avgpool_padding", [2, 3, 6, 5],
          [L("c", "Conv2d", 3, 2, 3, padding=1), L("p", "AvgPool2d", 3, stride=2, padding=1)]),
    Model("linear_cross_entropy", [4, 2, 4, 4],
          [L("f", "Flatten"), L("fc1", "Linear", 32, 16), L("r", "ReLU"),
           L("fc2", "Linear", 16, 6)], loss="CrossEntropyLoss"),
    Model("residual_graph", [2, 3, 5, 5],
          [L("stem", "Conv2d", 3, 3, 3, padding=1), L("a", "ReLU"),
           L("b", "Conv2d", 3, 3, 3, padding=1), L("s", "Add", inputs=["b", "stem"]),
           L("o", "ReLU")]),
    Model("leaky_relu_default_and_slope", [2, 3, 6, 6],
          [L("c", "Conv2d", 3, 4, 3, padding=1), L("a", "LeakyReLU"),
           L("c2", "Conv2d", 4, 2, 3), L("b", "LeakyReLU", 0.2),
           L("p", "MaxPool2d", 2), L("d", "LeakyReLU", negative_slope=1.5)]),
    Model("activations_smooth", [2, 3, 6, 6],
          [L("c1", "Conv2d", 3, 4, 3, padding=1), L("s", "Sigmoid"),
           L("c2", "Conv2d", 4, 4, 3, padding=1), L("t", "Tanh"),
           L("c3", "Conv2d", 4, 4, 1), L("e", "ELU"),
           L("c4", "Conv2d", 4, 4, 1), L("e2", "ELU", alpha=0.5),
           L("c5", "Conv2d", 4, 3, 3), L("g", "GELU"), L("p", "MaxPool2d", 2)]),
    # Inputs far into the flat tails (|x| up to about 10 after a 1x1
    # convolution: sigmoid and tanh saturate, GELU's derivative overshoots 1
    # then vanishes); 210 elements are 13 vectors of 16 and a rest of 2 in
    # the compiled code. The convolution's weight gradient carries every
    # activation's derivative into the executable's comparison too.
    Model("activations_saturating", [2, 3, 5, 7],
          [L("c", "Conv2d", 3, 3, 1), L("s", "Sigmoid"),
           L("t", "Tanh", inputs=["c"]), L("g", "GELU", inputs=["c"]),
           L("e", "ELU", 2.0, inputs=["c"]),
           L("a1", "Add", inputs=["s", "t"]), L("a2", "Add", inputs=["g", "e"]),
           L("a", "Add", inputs=["a1", "a2"])], x_init="uniform(-16, 16)"),
    Model("softmax_dims", [4, 3, 5, 5],
          [L("c", "Conv2d", 3, 2, 3), L("s", "Softmax", dim=1),
           L("s2", "LogSoftmax", -1), L("f", "Flatten"), L("fc", "Linear", 18, 10),
           L("ls", "LogSoftmax", dim=1)], loss="CrossEntropyLoss"),
    # Large logits (a 1x1 convolution of inputs up to 300 in size makes some
    # above 100): exp would overflow without the maximum subtracted first.
    Model("softmax_large_logits", [2, 3, 4, 6],
          [L("c", "Conv2d", 3, 4, 1), L("s", "Softmax", 1)], x_init="uniform(-300, 300)"),
    Model("log_softmax_large_logits", [3, 2, 2, 3],
          [L("c", "Conv2d", 2, 4, 1), L("f", "Flatten"), L("l", "LogSoftmax", dim=-1)],
          x_init="uniform(-300, 300)", loss="CrossEntropyLoss"),
    # A gate: one branch through a sigmoid multiplies the other; a value
    # multiplied by itself (both operands' gradients summed).
    Model("mul_gate_and_square", [2, 3, 5, 5],
          [L("c", "Conv2d", 3, 4, 3, padding=1), L("g", "Sigmoid"),
           L("v", "Conv2d", 3, 4, 1, inputs=["x"]), L("m", "Mul", inputs=["g", "v"]),
           L("sq", "Mul", inputs=["m", "m"])]),
    # Linear on the last dimension of 4-D, 2-D and 1-D inputs, Flatten over
    # ranges of dimensions (the last two, 1..2, everything).
    Model("linear_any_rank_flatten_ranges", [2, 3, 4, 5],
          [L("a", "Linear", 5, 6), L("r", "Tanh"), L("f", "Flatten", start_dim=2),
           L("g", "Flatten", 1, 2), L("u", "Linear", 72, 8),
           L("v", "Flatten", 0, -1), L("w", "Linear", 16, 24, bias=False)]),
    Model("l1_loss", [2, 3, 5, 5],
          [L("c", "Conv2d", 3, 2, 3, padding=1), L("r", "ReLU")], loss="L1Loss"),
    # Differences on both sides of beta (targets in [-1, 1), predictions
    # spread wider), the default beta and beta = 0 (the L1 loss).
    Model("smooth_l1_loss_beta", [2, 3, 5, 5],
          [L("c", "Conv2d", 3, 2, 3, padding=1)], loss="SmoothL1Loss",
          loss_args={"beta": 0.5}, x_init="uniform(-3, 3)"),
    Model("smooth_l1_loss_default", [2, 3, 4, 4],
          [L("c", "Conv2d", 3, 2, 3)], loss="SmoothL1Loss", x_init="uniform(-4, 4)"),
    Model("smooth_l1_loss_beta_zero", [1, 2, 4, 4],
          [L("c", "Conv2d", 2, 3, 1)], loss="SmoothL1Loss", loss_args={"beta": 0.0}),
    # Dilated kernels: alone, with stride (the phases of the input gradient
    # then take every gcd(s, d)-th tap), non-square, and padding="same".
    Model("conv_dilation", [2, 3, 9, 9],
          [L("c", "Conv2d", 3, 4, 3, dilation=2, padding=2), L("r", "ReLU")]),
    Model("conv_stride_and_dilation", [2, 2, 11, 12],
          [L("c", "Conv2d", 2, 3, 3, stride=2, dilation=2, padding=1),
           L("d", "Conv2d", 3, 2, (2, 3), stride=(3, 2), dilation=(3, 2), padding=(2, 1))]),
    Model("conv_dilation_same_valid", [1, 2, 7, 8],
          [L("c", "Conv2d", 2, 3, (3, 5), dilation=(2, 3), padding="same"),
           L("v", "Conv2d", 3, 2, 2, padding="valid")]),
    # Groups: two groups, depthwise (groups = channels) with stride and
    # dilation, a depthwise convolution with two outputs per channel.
    Model("conv_groups", [2, 4, 6, 6],
          [L("c", "Conv2d", 4, 6, 3, groups=2, padding=1), L("r", "ReLU"),
           L("d", "Conv2d", 6, 3, 1, groups=3, bias=False)]),
    Model("conv_depthwise", [2, 5, 9, 8],
          [L("c", "Conv2d", 5, 5, 3, groups=5, padding=1), L("r", "ReLU"),
           L("s", "Conv2d", 5, 5, 3, stride=2, dilation=2, groups=5, padding=2)]),
    Model("conv_depthwise_multiplier", [1, 3, 7, 7],
          [L("c", "Conv2d", 3, 6, 3, groups=3, stride=2)]),
    # ceil_mode with padding (the last window hangs over the padded input:
    # max ignores it, avg counts only the part inside), dilated max
    # pooling, count_include_pad=False, divisor_override.
    Model("pool_ceil_mode_padding", [2, 3, 7, 8],
          [L("c", "Conv2d", 3, 4, 1), L("m", "MaxPool2d", 3, stride=2, padding=1, ceil_mode=True),
           L("a", "AvgPool2d", 2, stride=2, padding=1, ceil_mode=True)]),
    Model("pool_ceil_mode_no_padding", [1, 2, 7, 7],
          [L("c", "Conv2d", 2, 3, 1), L("m", "MaxPool2d", 2, ceil_mode=True),
           L("a", "AvgPool2d", 3, stride=2, ceil_mode=True)]),
    Model("maxpool_dilation", [2, 2, 9, 10],
          [L("c", "Conv2d", 2, 3, 1), L("m", "MaxPool2d", 3, stride=2, padding=1, dilation=2),
           L("n", "MaxPool2d", (2, 3), stride=1, dilation=(2, 1), ceil_mode=True)]),
    Model("avgpool_exclude_pad_divisor", [2, 3, 6, 5],
          [L("c", "Conv2d", 3, 3, 1), L("a", "AvgPool2d", 3, stride=2, padding=1,
                                         count_include_pad=False),
           L("d", "AvgPool2d", 2, stride=1, divisor_override=3),
           L("e", "AvgPool2d", 3, stride=None, padding=1, count_include_pad=False,
             ceil_mode=True)]),
    # Adaptive pooling to sizes that do not divide the input (windows of
    # different sizes that overlap by one), to sizes that do (the tiled
    # path), and global average pooling.
    Model("adaptive_pools_uneven", [2, 3, 7, 9],
          [L("c", "Conv2d", 3, 4, 1), L("m", "AdaptiveMaxPool2d", (3, 4)),
           L("a", "AdaptiveAvgPool2d", (2, 3))]),
    Model("adaptive_pools_global", [2, 3, 6, 6],
          [L("c", "Conv2d", 3, 4, 3, padding=1), L("m", "AdaptiveMaxPool2d", 3),
           L("a", "AdaptiveAvgPool2d", 1), L("f", "Flatten"), L("fc", "Linear", 4, 5)],
          loss="CrossEntropyLoss"),
    # Cat: three branches along the channels (a value used twice among
    # them), then a convolution over all; two along the last dimension.
    Model("cat_channels", [2, 3, 5, 5],
          [L("a", "Conv2d", 3, 2, 3, padding=1), L("b", "Conv2d", 3, 4, 1, inputs=["x"]),
           L("r", "ReLU"), L("c", "Cat", dim=1, inputs=["a", "r", "a"]),
           L("d", "Conv2d", 8, 3, 3)]),
    Model("cat_last_dim", [2, 3, 4, 4],
          [L("a", "Conv2d", 3, 2, 1), L("b", "Conv2d", 3, 2, (1, 2), inputs=["x"]),
           L("c", "Cat", dim=-1, inputs=["a", "b"]), L("t", "Tanh")]),
    # Transposed convolutions: upsampling by 2 with output_padding (rows
    # only the bias reaches), then grouped and dilated without bias, and a
    # depthwise one.
    Model("conv_transpose_upsample", [2, 3, 4, 5],
          [L("u", "ConvTranspose2d", 3, 4, 3, stride=2, padding=1, output_padding=1),
           L("r", "ReLU"),
           L("g", "ConvTranspose2d", 4, 6, (2, 3), groups=2, dilation=(2, 1), bias=False)]),
    Model("conv_transpose_depthwise_stride3", [1, 4, 3, 3],
          [L("d", "ConvTranspose2d", 4, 4, 2, stride=3, groups=4),
           L("c", "ConvTranspose2d", 4, 2, 1, stride=(1, 2), output_padding=(0, 1))]),
    # output_padding at least the stride, which PyTorch allows below the
    # dilation: the upstream gradient's last rows reach only the bias.
    Model("conv_transpose_output_padding_dilation", [2, 3, 4, 3],
          [L("u", "ConvTranspose2d", 3, 2, 3, dilation=2, output_padding=1),
           L("r", "ReLU"),
           L("v", "ConvTranspose2d", 2, 3, (2, 3), stride=(2, 1), dilation=3,
             output_padding=(2, 1), bias=False)]),
    # Zero padding: uneven sides, cutting (negative sides), all four at
    # once; and padding="same" with even kernels, which pads the bottom and
    # right one more than the top and left.
    Model("zero_pad", [2, 3, 5, 4],
          [L("p", "ZeroPad2d", (1, 2, 0, 3)), L("c", "Conv2d", 3, 4, 3),
           L("q", "ZeroPad2d", (-1, 0, 1, -2)), L("t", "Tanh"),
           L("z", "ZeroPad2d", 1)]),
    Model("conv_same_even_kernel", [2, 3, 6, 5],
          [L("c", "Conv2d", 3, 4, 2, padding="same"), L("r", "ReLU"),
           L("d", "Conv2d", 4, 2, (4, 2), dilation=(1, 3), padding="same")]),
    # GELU's tanh approximation, on both sides of 0 and far out.
    # BatchNorm2d in training mode (batch statistics, running update),
    # without affine parameters, without running statistics, with batch 1
    # and spatial > 1; and in inference mode with running statistics away
    # from their start.
    Model("batch_norm", [3, 3, 5, 5],
          [L("c", "Conv2d", 3, 4, 3, padding=1), L("bn", "BatchNorm2d", 4),
           L("r", "ReLU"), L("f", "Flatten"), L("fc", "Linear", 100, 3)],
          loss="CrossEntropyLoss",
          assign={"bn.weight": "uniform(0.5, 1.5)", "bn.bias": "uniform(-0.5, 0.5)"}),
    Model("batch_norm_options", [2, 3, 4, 4],
          [L("c", "Conv2d", 3, 4, 3, padding=1),
           L("bn", "BatchNorm2d", 4, eps=1e-3, momentum=0.3, affine=False),
           L("bn2", "BatchNorm2d", 4, track_running_stats=False)]),
    Model("batch_norm_batch1", [1, 2, 3, 4],
          [L("bn", "BatchNorm2d", 2), L("c", "Conv2d", 2, 3, 3, padding=1)]),
    Model("batch_norm_eval", [3, 3, 5, 5],
          [L("c", "Conv2d", 3, 4, 3, padding=1), L("bn", "BatchNorm2d", 4),
           L("d", "Dropout", 0.4), L("f", "Flatten"), L("fc", "Linear", 100, 3)],
          loss="CrossEntropyLoss", eval_mode=True,
          assign={"bn.weight": "uniform(0.5, 1.5)", "bn.bias": "uniform(-0.5, 0.5)",
                  "bn.running_mean": "uniform(-0.5, 0.5)",
                  "bn.running_var": "uniform(0.5, 2)"}),
    # Dropout in training mode: tcnn's mask (dumped) applied in PyTorch.
    Model("dropout", [4, 3, 6, 6],
          [L("c", "Conv2d", 3, 4, 3), L("d", "Dropout", p=0.3), L("r", "ReLU"),
           L("f", "Flatten"), L("d2", "Dropout"), L("fc", "Linear", 64, 5)],
          loss="CrossEntropyLoss"),
    Model("gelu_tanh", [2, 3, 5, 5],
          [L("c", "Conv2d", 3, 4, 3, padding=1), L("g", "GELU", approximate="tanh")],
          x_init="uniform(-6, 6)"),
    # reduction="sum" on the pointwise losses (no division by the count).
    Model("mse_loss_sum", [2, 3, 4, 4],
          [L("c", "Conv2d", 3, 2, 3, padding=1)], loss="MSELoss",
          loss_args={"reduction": "sum"}),
    Model("smooth_l1_loss_sum", [2, 3, 5, 5],
          [L("c", "Conv2d", 3, 2, 3)], loss="SmoothL1Loss",
          loss_args={"reduction": "sum", "beta": 0.25}, x_init="uniform(-3, 3)"),
    Model("l1_loss_sum", [1, 2, 4, 4], [L("c", "Conv2d", 2, 3, 1)], loss="L1Loss",
          loss_args={"reduction": "sum"}),
    # Logits far on both sides of 0 (exp(-|x|) keeps log1p finite where
    # the naive log(1 + exp(x)) would overflow), targets in [0, 1].
    Model("bce_with_logits", [2, 3, 5, 5],
          [L("c", "Conv2d", 3, 2, 3, padding=1)], loss="BCEWithLogitsLoss",
          x_init="uniform(-40, 40)"),
    Model("bce_with_logits_sum", [3, 8],
          [L("fc", "Linear", 8, 4)], loss="BCEWithLogitsLoss",
          loss_args={"reduction": "sum"}),
    # NLLLoss of a LogSoftmax is cross entropy; each alone here.
    Model("nll_loss_log_softmax", [5, 2, 3, 3],
          [L("c", "Conv2d", 2, 3, 2), L("f", "Flatten"), L("fc", "Linear", 12, 7),
           L("l", "LogSoftmax", dim=1)], loss="NLLLoss"),
    Model("nll_loss_sum", [4, 6], [L("fc", "Linear", 6, 5)], loss="NLLLoss",
          loss_args={"reduction": "sum"}),
    Model("cross_entropy_label_smoothing", [4, 2, 4, 4],
          [L("c", "Conv2d", 2, 3, 3), L("f", "Flatten"), L("fc", "Linear", 12, 6)],
          loss="CrossEntropyLoss", loss_args={"label_smoothing": 0.2}),
    Model("cross_entropy_sum_full_smoothing", [3, 9], [L("fc", "Linear", 9, 4)],
          loss="CrossEntropyLoss",
          loss_args={"reduction": "sum", "label_smoothing": 1.0},
          x_init="uniform(-30, 30)"),
    Model("strided_padded", [2, 3, 9, 8],
           [L("c1", "Conv2d", 3, 4, 3, stride=2, padding=1), L("r1", "ReLU"),
            L("p1", "MaxPool2d", 3, stride=1, padding=1), L("c2", "Conv2d", 4, 2, (2, 3), stride=(1, 2)),
            L("a1", "AvgPool2d", 2, padding=1)]),
    # Tile edge cases of the vectorized convolutions and matmuls: extents
    # that are not multiples of 16 (primes 5, 17; 35 = 5 x 7), odd batches,
    # 1x1 outputs, stride larger than the kernel, batch 1, one channel.
    Model("tiles_odd_extents", [3, 5, 19, 35],
          [L("c1", "Conv2d", 5, 17, 3, padding=1), L("r1", "ReLU"),
           L("c2", "Conv2d", 17, 3, 2, stride=3), L("r2", "LeakyReLU"),
           L("f", "Flatten"), L("fc", "Linear", 216, 17)], loss="CrossEntropyLoss"),
    Model("tiles_one_by_one_output", [1, 1, 5, 5],
          [L("c", "Conv2d", 1, 17, 5), L("f", "Flatten"), L("fc", "Linear", 17, 5)]),
    Model("tiles_short_rows_big_batch", [17, 3, 4, 4],
          [L("c1", "Conv2d", 3, 17, 3, padding=1), L("r", "ReLU"),
           L("c2", "Conv2d", 17, 16, 3, stride=2, padding=1), L("p", "AvgPool2d", 2)]),
    Model("tiles_wide_rows", [5, 3, 33, 37],
          [L("c1", "Conv2d", 3, 33, 3, padding=1), L("r", "ReLU"),
           L("c2", "Conv2d", 33, 20, 3, stride=2), L("p", "MaxPool2d", 2),
           L("f", "Flatten"), L("fc", "Linear", 1440, 3)]),
    # Pooling windows that tile the input except for a last row/column,
    # which PyTorch drops (7x9 -> 3x4 -> 1x2).
    Model("pool_windows_crop_odd_edges", [2, 3, 7, 9],
          [L("c", "Conv2d", 3, 4, 1), L("m", "MaxPool2d", 2), L("a", "AvgPool2d", 2)]),
    Model("value_used_three_times", [1, 2, 4, 4],
          [L("c", "Conv2d", 2, 2, 3, padding=1), L("d", "Add", inputs=["c", "c"]),
           L("e", "Add", inputs=["d", "c"])]),
    # Models without a loss only predict, in inference mode: BatchNorm with
    # its running statistics, Dropout as the identity; a branching graph.
    Model("no_loss_batch_norm_dropout", [3, 3, 6, 6],
          [L("c", "Conv2d", 3, 4, 3, padding=1), L("bn", "BatchNorm2d", 4),
           L("r", "ReLU"), L("d", "Dropout", 0.5), L("p", "MaxPool2d", 2),
           L("f", "Flatten"), L("fc", "Linear", 36, 5), L("s", "Softmax", 1)],
          loss=None,
          assign={"bn.weight": "uniform(0.5, 1.5)", "bn.bias": "uniform(-0.5, 0.5)",
                  "bn.running_mean": "uniform(-0.5, 0.5)",
                  "bn.running_var": "uniform(0.5, 2)"}),
    Model("no_loss_residual", [2, 3, 5, 5],
          [L("stem", "Conv2d", 3, 3, 3, padding=1), L("a", "ReLU"),
           L("b", "Conv2d", 3, 3, 3, padding=1), L("s", "Add", inputs=["b", "stem"]),
           L("o", "AdaptiveAvgPool2d", 1)], loss=None),
]

# The examples of examples/, rebuilt from their own model files, with
# their file names.
EXAMPLES = [
    (Model("tinycnn", [1, 1, 8, 8],
           [L("conv1", "Conv2d", 1, 2, 3, padding=1), L("relu1", "ReLU"), L("pool1", "MaxPool2d", 2),
            L("conv2", "Conv2d", 2, 4, 3, padding=1), L("relu2", "ReLU"), L("pool2", "AvgPool2d", 2),
            L("conv3", "Conv2d", 4, 2, 1), L("relu3", "ReLU"), L("conv_out", "Conv2d", 2, 2, 2),
            L("logits", "Flatten")], wrt_x=False), "tinycnn.tcnn"),
    (Model("lenet5", [8, 1, 28, 28],
           [L("conv1", "Conv2d", 1, 6, 5, padding=2), L("relu1", "ReLU"), L("pool1", "MaxPool2d", 2),
            L("conv2", "Conv2d", 6, 16, 5), L("relu2", "ReLU"), L("pool2", "MaxPool2d", 2),
            L("flatten1", "Flatten"), L("fc1", "Linear", 400, 120), L("relu3", "ReLU"),
            L("fc2", "Linear", 120, 84), L("relu4", "ReLU"), L("fc3", "Linear", 84, 10)],
           loss="CrossEntropyLoss", x_name="images", y_name="labels"), "lenet5.tcnn"),
    (Model("conv_stride1", [1, 1, 4, 4], [L("conv", "Conv2d", 1, 1, 2, bias=False)]), "conv_stride1.tcnn"),
    (Model("conv_stride2", [1, 1, 4, 4], [L("conv", "Conv2d", 1, 1, 2, stride=2, bias=False)]), "conv_stride2.tcnn"),
    (Model("residual", [2, 4, 6, 6],
           [L("stem", "Conv2d", 4, 4, 3, padding=1), L("branch", "ReLU"),
            L("conv", "Conv2d", 4, 4, 3, padding=1), L("sum", "Add", inputs=["conv", "stem"]),
            L("act", "ReLU"), L("pool", "AvgPool2d", 2), L("flat", "Flatten"),
            L("out", "Linear", 36, 3)]), "residual.tcnn"),
]


def example(name):
    """The twin of examples/NAME.tcnn."""
    return next(m for m, f in EXAMPLES if m.name == name)


def config(name):
    return next(m for m in CONFIGS if m.name == name)
