# RUN: %python %s %t
"""tcnn against PyTorch on a set of configurations. The interpreter's
--dump is compared with PyTorch (loss, output, every activation, the
gradient of every activation and parameter, the input gradient; rtol 1e-4,
atol 1e-6), and the compiled executable's --dump with the interpreter's
(inputs, parameters, loss, output, parameter gradients; rtol 1e-5)."""

import sys

import numpy as np
import torch

from tcnn_torch import Layer as L, Model, compare

torch.set_num_threads(1)
TIES = "[[1, 1, 2, 2, 0], [1, 1, 2, 2, 0], [3, 3, 0, 0, 5], [3, 3, 0, 0, 5], [1, 1, 1, 1, 1]]"

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
    Model("value_used_three_times", [1, 2, 4, 4],
          [L("c", "Conv2d", 2, 2, 3, padding=1), L("d", "Add", inputs=["c", "c"]),
           L("e", "Add", inputs=["d", "c"])]),
]

# The examples, rebuilt from their own model files.
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


def main():
    import os
    workdir = sys.argv[1]
    examples = os.path.join(os.path.dirname(__file__), "..", "..", "examples")
    failures, n = [], 0
    for model in CONFIGS:
        f, count, loss, _ = compare(model, os.path.join(workdir, model.name))
        failures += f
        n += 1
        print("%-28s loss %.6f  %3d tensors  %s" % (model.name, loss, count, "FAIL" if f else "ok"))
    for model, filename in EXAMPLES:
        source = open(os.path.join(examples, filename)).read()
        # The example's .npy paths are relative to examples/.
        source = source.replace('npy("', 'npy("%s/' % os.path.abspath(examples))
        f, count, loss, out = compare(model, os.path.join(workdir, model.name), source)
        failures += f
        n += 1
        print("%-28s loss %.6f  %3d tensors  %s" % (model.name, loss, count, "FAIL" if f else "ok"))
        if model.name == "tinycnn":
            # The seed report's numbers (PyTorch's, see shared reference).
            ref = {"loss": (loss, 0.305365), "logit0": (out[0, 0].item(), -0.413463),
                   "logit1": (out[0, 1].item(), -0.090280)}
            for k, (got, want) in ref.items():
                if abs(got - want) > 1e-6:
                    failures.append("tinycnn: %s is %.6f, the report says %.6f" % (k, got, want))
    for f in failures:
        print("FAIL:", f)
    print("%d configurations, %d failures" % (n, len(failures)))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
