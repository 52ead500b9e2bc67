# RUN: %python %s %t %S/Inputs/bn_library_driver.c
"""BatchNorm2d in a compiled executable and C library, against torch.nn: training on a
data set of 10 samples in batches of 4 (the last one partial: its batch
statistics are those of its 2 real samples) updates the parameters and the
running statistics as PyTorch's model.train() does; --save writes the
running statistics beside the parameters, --load reads them back, and
--predict and --eval run in inference mode (model.eval(): the running
statistics normalize). The C library's model object does the same: one
training step on 3 samples moves the running statistics (read back with
_get_buffer) as PyTorch's, and _predict uses them. Every number is
compared with PyTorch, rtol 1e-4."""

import os
import re
import subprocess
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from optimizers_torch import check, compile_model, failures, run  # noqa: E402

torch.set_num_threads(1)

MODEL = """model bnnet
input x: [4, 2, 5, 5] = zeros
target labels: [4] = randint(0, 3)
logits = sequential(x) {
  conv = Conv2d(2, 3, 3, padding=1)
  bn = BatchNorm2d(3, momentum=0.2)
  ReLU()
  Flatten()
  fc = Linear(75, 3)
}
loss = CrossEntropyLoss()(logits, labels)
"""

STATE = {"0.weight": "conv.weight", "0.bias": "conv.bias", "1.weight": "bn.weight",
         "1.bias": "bn.bias", "1.running_mean": "bn.running_mean",
         "1.running_var": "bn.running_var", "4.weight": "fc.weight", "4.bias": "fc.bias"}


def torch_net():
    return nn.Sequential(nn.Conv2d(2, 3, 3, padding=1), nn.BatchNorm2d(3, momentum=0.2),
                         nn.ReLU(), nn.Flatten(), nn.Linear(75, 3))


def library(workdir, driver_src, x, y):
    src = os.path.join(workdir, "bnnet.tcnn")
    base = os.path.join(workdir, "bnnet")
    subprocess.run(["tcnnc", "-c", src, "-o", base], check=True)
    driver = os.path.join(workdir, "driver")
    subprocess.run(["cc", "-Wall", "-Wextra", "-Werror", "-I" + workdir, driver_src,
                    base + ".o", "-lm", "-o", driver], check=True)
    x[:3].numpy().astype("<f4").tofile(os.path.join(workdir, "x.bin"))
    y[:3].numpy().astype("<i8").tofile(os.path.join(workdir, "y.bin"))
    out = subprocess.run([driver, workdir, "3"], check=True, capture_output=True,
                         text=True).stdout
    if "refused: -1 -1 -1; bn.running_var is buffer 1" not in out:
        failures.append("buffer indices: " + out)
    net = torch_net()
    init = os.path.join(workdir, "init")
    with torch.no_grad():
        for key, name in STATE.items():
            net.state_dict()[key].copy_(torch.from_numpy(np.load(os.path.join(init, name + ".npy"))))
    opt = torch.optim.SGD(net.parameters(), lr=0.01)
    opt.zero_grad()
    F.cross_entropy(net(x[:3]), y[:3]).backward()
    opt.step()
    for key, name in (("1.running_mean", "bn.running_mean"), ("1.running_var", "bn.running_var")):
        check("library " + name, np.fromfile(os.path.join(workdir, "lib-%s.bin" % name), "<f4"),
              net.state_dict()[key].numpy())
    net.eval()
    with torch.no_grad():
        check("library predict (inference mode)",
              np.fromfile(os.path.join(workdir, "lib-pred.bin"), "<f4").reshape(3, 3),
              net(x[:3]).numpy())


def main():
    workdir = sys.argv[1]
    os.makedirs(workdir, exist_ok=True)
    exe = compile_model(workdir, "bnnet", MODEL)
    gen = torch.Generator().manual_seed(3)
    x = torch.rand(10, 2, 5, 5, generator=gen) * 2 - 1
    y = torch.randint(0, 3, (10,), generator=gen)
    xs, ys = os.path.join(workdir, "x.npy"), os.path.join(workdir, "y.npy")
    np.save(xs, x.numpy())
    np.save(ys, y.numpy())
    init = os.path.join(workdir, "init")
    run(exe, "--dump", init)
    saved = os.path.join(workdir, "saved")
    out = run(exe, "--data", "x=" + xs, "--data", "labels=" + ys, "--no-shuffle",
              "--epochs", "2", "--lr", "0.1", "--save", saved)

    net = torch_net()
    net.train()
    state = STATE
    with torch.no_grad():
        for key, name in state.items():
            net.state_dict()[key].copy_(torch.from_numpy(np.load(os.path.join(init, name + ".npy"))))
    opt = torch.optim.SGD(net.parameters(), lr=0.1)
    losses = []
    for _ in range(2):
        total = 0.0
        for first in range(0, 10, 4):
            xb, yb = x[first:first + 4], y[first:first + 4]
            opt.zero_grad()
            loss = F.cross_entropy(net(xb), yb)
            loss.backward()
            opt.step()
            total += loss.item() * len(xb)
        losses.append(total / 10)
    ours = [float(m.group(1)) for m in re.finditer(r"^epoch \d+/\d+: loss ([-0-9.e+]+)", out, re.M)]
    print("epoch losses: tcnn", ours, "pytorch", losses)
    check("epoch losses", ours, losses)
    for key, name in state.items():
        check("trained " + name, np.load(os.path.join(saved, name + ".npy")),
              net.state_dict()[key].numpy())

    # Inference: --load the saved state, predict and evaluate.
    net.eval()
    with torch.no_grad():
        logits = net(x)
    pred = os.path.join(workdir, "pred.npy")
    run(exe, "--load", saved, "--predict", "x=" + xs, "--output", pred)
    check("--predict output (inference mode)", np.load(pred), logits.numpy())
    out = run(exe, "--load", saved, "--data", "x=" + xs, "--data", "labels=" + ys,
              "--lr", "0", "--epochs", "1", "--no-shuffle", "--eval", "x=" + xs,
              "--eval", "labels=" + ys)
    m = re.search(r"  eval: loss ([-0-9.e+]+)", out)
    if not m:
        failures.append("no eval line in: " + out)
    else:
        # Training with lr 0 moved the running statistics once more.
        net.train()
        with torch.no_grad():
            for first in range(0, 10, 4):
                net(x[first:first + 4])
        net.eval()
        with torch.no_grad():
            check("--eval loss (inference mode)", float(m.group(1)),
                  F.cross_entropy(net(x), y).item())
    # A training step uses the batch's statistics, not the running ones.
    if np.allclose(logits.numpy(), net.train()(x).detach().numpy(), atol=1e-3):
        failures.append("inference and training outputs agree: the test cannot tell them apart")

    library(workdir, sys.argv[2], x, y)
    for f in failures:
        print("FAIL:", f)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
