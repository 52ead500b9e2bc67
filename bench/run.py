#!/usr/bin/python3
"""Times one training step of tcnn's compiled executables and of PyTorch.

    /usr/bin/python3 bench/run.py [--quick]     (after scripts/build.sh)

For each benchmark model (fp32, NCHW): the compile time of `tcnnc -o`, the
time per step of forward + loss + backward of every parameter gradient (no
input gradient), then the same with the SGD update (lr 0.01), for the
compiled executable (`--repeat`) and for PyTorch with one thread, their
ratio, and the executable's GFLOP/s and share of this machine's one-core
fp32 peak (158 GFLOP/s: AVX-512, two FMA units). Figures only: nothing
here passes or fails.
"""

import os
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "test", "lib"))

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from tcnn_torch import Layer as L, Model, TorchModel  # noqa: E402

PEAK_GFLOPS = 158.0
TCNNC = os.path.join(ROOT, "build", "bin", "tcnnc")

MODELS = [
    (Model("tinycnn", [1, 1, 8, 8],
           [L("conv1", "Conv2d", 1, 2, 3, padding=1), L("r1", "ReLU"), L("pool1", "MaxPool2d", 2),
            L("conv2", "Conv2d", 2, 4, 3, padding=1), L("r2", "ReLU"), L("pool2", "AvgPool2d", 2),
            L("conv3", "Conv2d", 4, 2, 1), L("r3", "ReLU"), L("conv_out", "Conv2d", 2, 2, 2),
            L("flat", "Flatten")], wrt_x=False), 2000),
    (Model("lenet5", [64, 1, 28, 28],
           [L("conv1", "Conv2d", 1, 6, 5, padding=2), L("r1", "ReLU"), L("pool1", "MaxPool2d", 2),
            L("conv2", "Conv2d", 6, 16, 5), L("r2", "ReLU"), L("pool2", "MaxPool2d", 2),
            L("flat", "Flatten"), L("fc1", "Linear", 400, 120), L("r3", "ReLU"),
            L("fc2", "Linear", 120, 84), L("r4", "ReLU"), L("fc3", "Linear", 84, 10)],
           loss="CrossEntropyLoss", wrt_x=False), 20),
    (Model("cifar_small", [32, 3, 32, 32],
           [L("conv1", "Conv2d", 3, 32, 3, padding=1), L("r1", "ReLU"), L("pool1", "MaxPool2d", 2),
            L("conv2", "Conv2d", 32, 64, 3, padding=1), L("r2", "ReLU"), L("pool2", "MaxPool2d", 2),
            L("conv3", "Conv2d", 64, 64, 3, stride=2, padding=1), L("r3", "ReLU"),
            L("pool3", "AvgPool2d", 2), L("flat", "Flatten"), L("fc", "Linear", 256, 10)],
           loss="CrossEntropyLoss", wrt_x=False), 3),
    (Model("strided", [8, 16, 64, 64],
           [L("conv1", "Conv2d", 16, 32, 3, stride=2, padding=1), L("r1", "ReLU"),
            L("conv2", "Conv2d", 32, 32, 3, padding=1), L("r2", "ReLU"),
            L("pool", "AvgPool2d", 2), L("flat", "Flatten"), L("fc", "Linear", 8192, 10)],
           wrt_x=False), 3),
]


def training_flops(model):
    """Multiply-adds x 2 of forward, weight gradients and input gradients
    (none for the first layer, whose input needs no gradient)."""
    shape = list(model.input_shape)
    flops, first = 0, True
    for layer in model.layers:
        if layer.kind == "Conv2d":
            cin, cout, k = layer.args[0], layer.args[1], layer.args[2]
            s = layer.kwargs.get("stride", 1)
            p = layer.kwargs.get("padding", 0)
            oh = (shape[2] + 2 * p - k) // s + 1
            ow = (shape[3] + 2 * p - k) // s + 1
            fwd = 2 * shape[0] * cout * oh * ow * cin * k * k
            flops += fwd * (2 if first else 3)
            shape = [shape[0], cout, oh, ow]
            first = False
        elif layer.kind == "Linear":
            fwd = 2 * shape[0] * layer.args[0] * layer.args[1]
            flops += fwd * (2 if first else 3)
            shape = [shape[0], layer.args[1]]
            first = False
        elif layer.kind in ("MaxPool2d", "AvgPool2d"):
            k = layer.args[0]
            s = layer.kwargs.get("stride", k)
            p = layer.kwargs.get("padding", 0)
            shape = [shape[0], shape[1], (shape[2] + 2 * p - k) // s + 1,
                     (shape[3] + 2 * p - k) // s + 1]
        elif layer.kind == "Flatten":
            n = 1
            for d in shape[1:]:
                n *= d
            shape = [shape[0], n]
    return flops


def time_torch(model, steps, sgd):
    net = TorchModel(model)
    x = torch.rand(model.input_shape)
    out, _ = net.forward(x)
    if model.loss == "MSELoss":
        target = torch.rand(out.shape)
        loss_fn = F.mse_loss
    else:
        target = torch.randint(0, out.shape[1], (out.shape[0],))
        loss_fn = F.cross_entropy
    opt = torch.optim.SGD(net.parameters(), lr=0.01)

    def step():
        opt.zero_grad(set_to_none=False)
        loss = loss_fn(net.forward(x)[0], target)
        loss.backward()
        if sgd:
            opt.step()

    step()  # warm-up
    t0 = time.perf_counter()
    for _ in range(steps):
        step()
    return (time.perf_counter() - t0) / steps


def main():
    quick = "--quick" in sys.argv
    torch.set_num_threads(1)
    print("tcnn vs PyTorch %s (1 thread), one training step, fp32\n" % torch.__version__)
    header = ("%-12s %10s %12s %12s %7s %12s %12s %7s %9s %7s"
              % ("model", "compile s", "tcnn ms", "torch ms", "ratio",
                 "tcnn+SGD ms", "torch+SGD", "ratio", "GFLOP/s", "%peak"))
    print(header)
    print("-" * len(header))
    with tempfile.TemporaryDirectory() as tmp:
        for model, steps in MODELS:
            if quick:
                steps = max(1, steps // 10)
            src = os.path.join(tmp, model.name + ".tcnn")
            with open(src, "w") as f:
                f.write(model.tcnn_source())
            exe = os.path.join(tmp, model.name)
            t0 = time.perf_counter()
            subprocess.run([TCNNC, src, "-o", exe], check=True)
            compile_s = time.perf_counter() - t0
            out = subprocess.run([exe, "--repeat", str(steps)], check=True,
                                 capture_output=True, text=True).stdout
            m = re.search(r"forward\+backward: ([0-9.]+) ms/step; with SGD update: ([0-9.]+)", out)
            ours, ours_sgd = float(m.group(1)), float(m.group(2))
            theirs = 1e3 * time_torch(model, steps, False)
            theirs_sgd = 1e3 * time_torch(model, steps, True)
            gflops = training_flops(model) / (ours * 1e-3) / 1e9
            print("%-12s %10.2f %12.3f %12.3f %7.2f %12.3f %12.3f %7.2f %9.2f %6.1f%%"
                  % (model.name, compile_s, ours, theirs, ours / theirs, ours_sgd,
                     theirs_sgd, ours_sgd / theirs_sgd, gflops,
                     100 * gflops / PEAK_GFLOPS))
    print("\nratio = tcnn time / PyTorch time (above 1: tcnn is slower).")


if __name__ == "__main__":
    main()
