# RUN: %python %s %t
"""BatchNorm2d in a compiled executable, against torch.nn: training on a
data set of 10 samples in batches of 4 (the last one partial: its batch
statistics are those of its 2 real samples) updates the parameters and the
running statistics as PyTorch's model.train() does; --save writes the
running statistics beside the parameters, --load reads them back, and
--predict and --eval run in inference mode (model.eval(): the running
statistics normalize). Every number is compared with PyTorch, rtol 1e-4."""

import os
import re
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

PARAMS = ["conv.weight", "conv.bias", "bn.weight", "bn.bias", "fc.weight", "fc.bias"]
BUFFERS = ["bn.running_mean", "bn.running_var"]


def torch_net():
    return nn.Sequential(nn.Conv2d(2, 3, 3, padding=1), nn.BatchNorm2d(3, momentum=0.2),
                         nn.ReLU(), nn.Flatten(), nn.Linear(75, 3))


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
    state = {"0.weight": "conv.weight", "0.bias": "conv.bias", "1.weight": "bn.weight",
             "1.bias": "bn.bias", "1.running_mean": "bn.running_mean",
             "1.running_var": "bn.running_var", "4.weight": "fc.weight", "4.bias": "fc.bias"}
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

    for f in failures:
        print("FAIL:", f)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
