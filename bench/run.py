#!/usr/bin/python3
"""Times one training step of tcnn's compiled executables and of PyTorch.

    /usr/bin/python3 bench/run.py [--quick] [--rounds N] [--model NAME ...]
    (after scripts/build.sh; --model times only the models named)

First it measures this core's fp32 FMA peak with the executables' own
measurement (runtime/peak.c: machines differ, so no peak is assumed). Then, for N
rounds (default 3), each round timing every model once in turn, so that
a noisy neighbour hits every contender alike: the compiled executable with
1 and with 2 threads (`--threads`, `--repeat`), PyTorch with 1 thread and
with 2 threads; one training step = forward + loss + backward of every
parameter gradient (no input gradient), and with the SGD update (lr 0.01).
It prints the medians over the rounds, the ratios, the executable's
GFLOP/s and its share of the measured peak, the compile time of
`tcnnc -o`, each model's per-op `--profile` (1 thread), and the compile
time of a 1000-layer chain, and last a real training run: the digits
example's epochs against the same loop in PyTorch. Figures only: nothing
here passes or fails.
"""

import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "test", "lib"))

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from tcnn_torch import Layer as L, Model, TorchModel  # noqa: E402

TCNNC = os.path.join(ROOT, "build", "bin", "tcnnc")

MODELS = [
    (Model("tinycnn", [1, 1, 8, 8],
           [L("conv1", "Conv2d", 1, 2, 3, padding=1), L("r1", "ReLU"), L("pool1", "MaxPool2d", 2),
            L("conv2", "Conv2d", 2, 4, 3, padding=1), L("r2", "ReLU"), L("pool2", "AvgPool2d", 2),
            L("conv3", "Conv2d", 4, 2, 1), L("r3", "ReLU"), L("conv_out", "Conv2d", 2, 2, 2),
            L("flat", "Flatten")], wrt_x=False), 20000),
    (Model("lenet5", [64, 1, 28, 28],
           [L("conv1", "Conv2d", 1, 6, 5, padding=2), L("r1", "ReLU"), L("pool1", "MaxPool2d", 2),
            L("conv2", "Conv2d", 6, 16, 5), L("r2", "ReLU"), L("pool2", "MaxPool2d", 2),
            L("flat", "Flatten"), L("fc1", "Linear", 400, 120), L("r3", "ReLU"),
            L("fc2", "Linear", 120, 84), L("r4", "ReLU"), L("fc3", "Linear", 84, 10)],
           loss="CrossEntropyLoss", wrt_x=False), 100),
    (Model("cifar_small", [32, 3, 32, 32],
           [L("conv1", "Conv2d", 3, 32, 3, padding=1), L("r1", "ReLU"), L("pool1", "MaxPool2d", 2),
            L("conv2", "Conv2d", 32, 64, 3, padding=1), L("r2", "ReLU"), L("pool2", "MaxPool2d", 2),
            L("conv3", "Conv2d", 64, 64, 3, stride=2, padding=1), L("r3", "ReLU"),
            L("pool3", "AvgPool2d", 2), L("flat", "Flatten"), L("fc", "Linear", 256, 10)],
           loss="CrossEntropyLoss", wrt_x=False), 20),
    (Model("strided", [8, 16, 64, 64],
           [L("conv1", "Conv2d", 16, 32, 3, stride=2, padding=1), L("r1", "ReLU"),
            L("conv2", "Conv2d", 32, 32, 3, padding=1), L("r2", "ReLU"),
            L("pool", "AvgPool2d", 2), L("flat", "Flatten"), L("fc", "Linear", 8192, 10)],
           wrt_x=False), 40),
    # Depthwise-separable blocks (MobileNet's pattern): pointwise 1x1
    # convolutions around depthwise 3x3 ones, global average pooling.
    (Model("separable", [16, 16, 32, 32],
           [L("pw1", "Conv2d", 16, 32, 1), L("r1", "ReLU"),
            L("dw1", "Conv2d", 32, 32, 3, padding=1, groups=32), L("r2", "ReLU"),
            L("pw2", "Conv2d", 32, 64, 1), L("r3", "ReLU"),
            L("dw2", "Conv2d", 64, 64, 3, stride=2, padding=1, groups=64), L("r4", "ReLU"),
            L("gap", "AdaptiveAvgPool2d", 1), L("flat", "Flatten"), L("fc", "Linear", 64, 10)],
           loss="CrossEntropyLoss", wrt_x=False), 40),
    # The same blocks with BatchNorm after every convolution (MobileNet's
    # conv-BN-ReLU), training mode.
    (Model("separable_bn", [16, 16, 32, 32],
           [L("pw1", "Conv2d", 16, 32, 1, bias=False), L("bn1", "BatchNorm2d", 32), L("r1", "ReLU"),
            L("dw1", "Conv2d", 32, 32, 3, padding=1, groups=32, bias=False),
            L("bn2", "BatchNorm2d", 32), L("r2", "ReLU"),
            L("pw2", "Conv2d", 32, 64, 1, bias=False), L("bn3", "BatchNorm2d", 64), L("r3", "ReLU"),
            L("dw2", "Conv2d", 64, 64, 3, stride=2, padding=1, groups=64, bias=False),
            L("bn4", "BatchNorm2d", 64), L("r4", "ReLU"),
            L("gap", "AdaptiveAvgPool2d", 1), L("flat", "Flatten"), L("fc", "Linear", 64, 10)],
           loss="CrossEntropyLoss", wrt_x=False), 40),
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
            groups = layer.kwargs.get("groups", 1)
            oh = (shape[2] + 2 * p - k) // s + 1
            ow = (shape[3] + 2 * p - k) // s + 1
            fwd = 2 * shape[0] * cout * oh * ow * (cin // groups) * k * k
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
        elif layer.kind == "AdaptiveAvgPool2d":
            o = layer.args[0]
            shape = [shape[0], shape[1], o, o]
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


def measure_peak(tmp):
    """This core's fp32 FMA peak in GFLOP/s, by the executables' own
    measurement (runtime/peak.c, the best of three FMA loops), so that the
    table and every --profile divide by the same kind of number."""
    main = os.path.join(tmp, "peak_main.c")
    with open(main, "w") as f:
        f.write('#include <stdio.h>\n#include "tcnn_runtime.h"\n'
                'int main(void) { printf("%f\\n", tcnn_measure_peak()); return 0; }\n')
    exe = os.path.join(tmp, "peak")
    runtime = os.path.join(ROOT, "runtime")
    subprocess.run(["cc", "-O2", "-I" + runtime, main, os.path.join(runtime, "peak.c"),
                    "-o", exe], check=True)
    out = subprocess.run([exe], check=True, capture_output=True, text=True).stdout
    return float(out)


def time_exe(exe, steps, threads):
    out = subprocess.run([exe, "--threads", str(threads), "--repeat", str(steps)], check=True,
                         capture_output=True, text=True).stdout
    m = re.search(r"forward\+backward: ([0-9.]+) ms/step; with SGD update: ([0-9.]+)", out)
    return float(m.group(1)), float(m.group(2))


def compile_chain(tmp, n=1000):
    src = os.path.join(tmp, "chain.tcnn")
    with open(src, "w") as f:
        f.write("model chain\ninput x: [1, 4]\ntarget y: [1, 4]\nnet = sequential(x) {\n"
                + "  ReLU()\n" * n + "}\nloss = MSELoss()(net, y)\n")
    t0 = time.perf_counter()
    subprocess.run([TCNNC, src, "-o", os.path.join(tmp, "chain")], check=True)
    return time.perf_counter() - t0


DIGITS = Model("digits", [32, 1, 8, 8],
               [L("conv1", "Conv2d", 1, 8, 3, padding=1), L("r1", "ReLU"),
                L("pool1", "MaxPool2d", 2), L("conv2", "Conv2d", 8, 16, 3, padding=1),
                L("r2", "ReLU"), L("pool2", "MaxPool2d", 2), L("flat", "Flatten"),
                L("fc", "Linear", 64, 10)], loss="CrossEntropyLoss", wrt_x=False)


def bench_digits(tmp, rounds, epochs):
    """Real training: examples/digits.tcnn on the digits data set (1437
    samples, batches of 32, SGD lr 0.05 momentum 0.9, shuffled), the
    executable against the same loop in PyTorch (1 thread), seconds per
    epoch and the final test accuracy."""
    data = os.path.join(tmp, "digits-data")
    subprocess.run([sys.executable, os.path.join(ROOT, "examples", "digits", "make_data.py"),
                    data], check=True, capture_output=True)
    exe = os.path.join(tmp, "digits")
    subprocess.run([TCNNC, os.path.join(ROOT, "examples", "digits.tcnn"), "-o", exe],
                   check=True)
    x, y = torch.from_numpy(np.load(os.path.join(data, "train_x.npy"))), \
        torch.from_numpy(np.load(os.path.join(data, "train_y.npy")))
    xt, yt = torch.from_numpy(np.load(os.path.join(data, "test_x.npy"))), \
        torch.from_numpy(np.load(os.path.join(data, "test_y.npy")))
    ours, theirs, acc_ours, acc_theirs = [], [], [], []
    torch.set_num_threads(1)
    for r in range(rounds):
        out = subprocess.run(
            [exe, "--data", "images=" + os.path.join(data, "train_x.npy"),
             "--data", "labels=" + os.path.join(data, "train_y.npy"),
             "--eval", "images=" + os.path.join(data, "test_x.npy"),
             "--eval", "labels=" + os.path.join(data, "test_y.npy"),
             "--epochs", str(epochs), "--seed", str(r)],
            check=True, capture_output=True, text=True).stdout
        ours.append(statistics.median(
            float(v) for v in re.findall(r"^epoch \d+/\d+: .*, ([0-9.]+) s,", out, re.M)))
        acc_ours.append(float(re.findall(r"  eval: .*accuracy ([0-9.]+)%", out)[-1]))
        torch.manual_seed(r)
        net = TorchModel(DIGITS)
        opt = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9)
        per_epoch = []
        for _ in range(epochs):
            t0 = time.perf_counter()
            for idx in torch.randperm(len(x)).split(32):
                opt.zero_grad()
                F.cross_entropy(net.forward(x[idx])[0], y[idx]).backward()
                opt.step()
            per_epoch.append(time.perf_counter() - t0)
        theirs.append(statistics.median(per_epoch))
        with torch.no_grad():
            pred = net.forward(xt)[0].argmax(1)
        acc_theirs.append(100.0 * (pred == yt).float().mean().item())
    m = statistics.median
    print("\ndigits, real training (%d samples, batch 32, SGD momentum 0.9, %d epochs, 1 thread;"
          " medians of %d rounds):" % (len(x), epochs, rounds))
    print("  tcnn %.4f s/epoch, PyTorch %.4f s/epoch: tcnn %.1fx faster;"
          " test accuracy tcnn %.1f%%, PyTorch %.1f%%"
          % (m(ours), m(theirs), m(theirs) / m(ours), m(acc_ours), m(acc_theirs)))


def main():
    quick = "--quick" in sys.argv
    rounds = 3
    # --model NAME (repeatable): only these models, without the compile-time
    # chain and the digits data set.
    only = [sys.argv[i + 1] for i, a in enumerate(sys.argv[:-1]) if a == "--model"]
    if only:
        unknown = set(only) - {m.name for m, _ in MODELS}
        if unknown:
            sys.exit("bench/run.py: unknown model(s) %s" % ", ".join(sorted(unknown)))
        MODELS[:] = [(m, s) for m, s in MODELS if m.name in only]
    if "--rounds" in sys.argv:
        rounds = max(1, int(sys.argv[sys.argv.index("--rounds") + 1]))
    median = statistics.median
    with tempfile.TemporaryDirectory() as tmp:
        peak = measure_peak(tmp)
        print("tcnn vs PyTorch %s, one training step, fp32; medians of %d interleaved rounds"
              % (torch.__version__, rounds))
        print("this core's measured fp32 peak: %.1f GFLOP/s (runtime/peak.c: FMA loop on"
              " the widest vectors)\n" % peak)
        exes, compile_s, steps_of = {}, {}, {}
        for model, steps in MODELS:
            steps_of[model.name] = max(1, steps // 10) if quick else steps
            src = os.path.join(tmp, model.name + ".tcnn")
            with open(src, "w") as f:
                f.write(model.tcnn_source())
            exes[model.name] = os.path.join(tmp, model.name)
            t0 = time.perf_counter()
            subprocess.run([TCNNC, src, "-o", exes[model.name]], check=True)
            compile_s[model.name] = time.perf_counter() - t0
        times = {m.name: {k: [] for k in ("tcnn", "tcnn_sgd", "tcnn2", "t1", "t1_sgd", "t2",
                                          "t2_sgd")}
                 for m, _ in MODELS}
        for _ in range(rounds):
            for model, _ in MODELS:
                t, steps = times[model.name], steps_of[model.name]
                ours, ours_sgd = time_exe(exes[model.name], steps, 1)
                t["tcnn"].append(ours)
                t["tcnn_sgd"].append(ours_sgd)
                t["tcnn2"].append(time_exe(exes[model.name], steps, 2)[0])
                for threads in (1, 2):
                    torch.set_num_threads(threads)
                    t["t%d" % threads].append(1e3 * time_torch(model, steps, False))
                    t["t%d_sgd" % threads].append(1e3 * time_torch(model, steps, True))
        torch.set_num_threads(1)
        header = ("%-12s %9s %9s %9s %9s %9s %8s %8s %8s %10s %11s %8s %8s %7s"
                  % ("model", "compile s", "tcnn1 ms", "torch1 ms", "tcnn2 ms", "torch2 ms",
                     "t1/tcnn1", "t2/tcnn2", "tcnn 2/1", "tcnn1+SGD", "torch1+SGD",
                     "t1/tcnn1", "GFLOP/s", "%peak"))
        print(header)
        print("-" * len(header))
        for model, _ in MODELS:
            t = {k: median(v) for k, v in times[model.name].items()}
            gflops = training_flops(model) / (t["tcnn"] * 1e-3) / 1e9
            print("%-12s %9.2f %9.3f %9.3f %9.3f %9.3f %8.2f %8.2f %8.2f %10.3f %11.3f %8.2f %8.1f %6.1f%%"
                  % (model.name, compile_s[model.name], t["tcnn"], t["t1"], t["tcnn2"], t["t2"],
                     t["t1"] / t["tcnn"], t["t2"] / t["tcnn2"], t["tcnn"] / t["tcnn2"],
                     t["tcnn_sgd"], t["t1_sgd"], t["t1_sgd"] / t["tcnn_sgd"], gflops,
                     100 * gflops / peak))
        print("\ntcnn1/tcnn2, torch1/torch2 = 1 or 2 threads; t1/tcnn1 = how many times faster"
              " tcnn is than PyTorch\n(above 1: tcnn is faster); tcnn 2/1 = tcnn's speed-up"
              " from 1 to 2 threads. GFLOP/s and %peak: tcnn, 1 thread.")
        for model, _ in MODELS:
            out = subprocess.run([exes[model.name], "--threads", "1", "--repeat",
                                  str(steps_of[model.name]), "--profile", "--peak", "%.1f" % peak],
                                 check=True, capture_output=True, text=True).stdout
            lines = out.splitlines()
            start = next(i for i, l in enumerate(lines) if l.startswith("profile:"))
            end = next(i for i, l in enumerate(lines) if l.startswith("sum of the ops"))
            print("\n%s, 1 thread: --profile" % model.name)
            print("\n".join(lines[start:end + 1]))
        if not only:
            print("compile time of a chain of 1000 ReLUs (tcnnc -o): %.2f s" % compile_chain(tmp))
            bench_digits(tmp, rounds, 3 if quick else 10)


if __name__ == "__main__":
    main()
