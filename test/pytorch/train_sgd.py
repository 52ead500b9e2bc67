# RUN: %python %s %t %examples/lenet5.tcnn
"""The compiled LeNet-5 trains like PyTorch: its first 5 SGD steps give the
same losses and the same parameters as torch.optim.SGD from the same start
(rtol 1e-4), and over 20 steps its loss falls at every step."""

import os
import re
import subprocess
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from tcnn_torch import TorchModel
from test_models import example

torch.set_num_threads(1)
LR = 0.05


def losses_of(output):
    return [float(m.group(1)) for m in re.finditer(r"^step \d+/\d+: loss (\S+)$", output, re.M)]


def main():
    workdir, source = sys.argv[1], sys.argv[2]
    os.makedirs(workdir, exist_ok=True)
    exe = os.path.join(workdir, "lenet5")
    subprocess.run(["tcnnc", source, "-o", exe], check=True)
    init = os.path.join(workdir, "init")
    subprocess.run([exe, "--dump", init], check=True, stdout=subprocess.DEVNULL)
    trained = os.path.join(workdir, "trained")
    out = subprocess.run([exe, "--train", "5", "--lr", str(LR), "--save", trained],
                         check=True, capture_output=True, text=True).stdout
    tcnn_losses = losses_of(out)

    model = example("lenet5")
    net = TorchModel(model)
    load = lambda d, n: torch.from_numpy(np.load(os.path.join(d, n + ".npy")))
    with torch.no_grad():
        for name, p in net.named_parameters():
            p.copy_(load(init, name.split(".", 1)[1]))
    x, y = load(init, "images"), load(init, "labels").long()
    opt = torch.optim.SGD(net.parameters(), lr=LR)
    torch_losses = []
    for _ in range(5):
        opt.zero_grad()
        loss = F.cross_entropy(net(x)[0], y)
        torch_losses.append(loss.item())
        loss.backward()
        opt.step()

    failures = []
    if len(tcnn_losses) != 5:
        failures.append("expected 5 progress lines, got %d" % len(tcnn_losses))
    for step, (a, b) in enumerate(zip(tcnn_losses, torch_losses)):
        print("step %d: tcnn %.6f  pytorch %.6f" % (step + 1, a, b))
        if not np.isclose(a, b, rtol=1e-4, atol=1e-6):
            failures.append("step %d: loss %.6f, PyTorch %.6f" % (step + 1, a, b))
    for name, p in net.named_parameters():
        pname = name.split(".", 1)[1]
        ours = np.load(os.path.join(trained, pname + ".npy"))
        if not np.allclose(ours, p.detach().numpy(), rtol=1e-4, atol=1e-6):
            failures.append("%s after 5 steps differs (max abs diff %.3g)"
                            % (pname, np.abs(ours - p.detach().numpy()).max()))

    out = subprocess.run([exe, "--train", "20", "--lr", str(LR)], check=True,
                         capture_output=True, text=True).stdout
    long_run = losses_of(out)
    if len(long_run) != 20 or any(b >= a for a, b in zip(long_run, long_run[1:])):
        failures.append("the loss does not fall at every step: %s" % long_run)
    print("20 steps: %.6f -> %.6f" % (long_run[0], long_run[-1]))
    for f in failures:
        print("FAIL:", f)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
