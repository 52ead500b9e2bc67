# RUN: %python %s %t %S/Inputs/c_library_driver.c
"""The model object of `tcnnc -c` trains like torch.optim and predicts
like the trained PyTorch twin. A C driver sets the parameters by name,
trains epochs of 21 samples in steps of at most 8 (the last one partial)
with SGD (momentum, weight decay, Nesterov) and with Adam (weight decay),
reads the parameters back, and predicts and evaluates 13 other samples.
Epoch losses, parameters, predictions, evaluation loss and accuracy agree
with PyTorch to rtol 1e-4; out-of-range arguments are refused."""

import os
import re
import subprocess
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from optimizers_torch import CNN, PARAM_NAMES, check, failures, torch_net, torch_train  # noqa: E402

torch.set_num_threads(1)


def main():
    workdir, driver_src = sys.argv[1], sys.argv[2]
    os.makedirs(workdir, exist_ok=True)
    src = os.path.join(workdir, "cnn.tcnn")
    with open(src, "w") as f:
        f.write(CNN)
    base = os.path.join(workdir, "cnn")
    subprocess.run(["tcnnc", "-c", src, "-o", base], check=True)
    driver = os.path.join(workdir, "driver")
    subprocess.run(["cc", "-Wall", "-Wextra", "-Werror", "-I" + workdir, driver_src,
                    base + ".o", "-lm", "-o", driver], check=True)

    gen = torch.Generator().manual_seed(11)
    x = torch.rand(21, 1, 8, 8, generator=gen)
    y = torch.randint(0, 10, (21,), generator=gen)
    xe = torch.rand(13, 1, 8, 8, generator=gen)
    ye = torch.randint(0, 10, (13,), generator=gen)

    runs = [
        ("sgd", ["0.05", "0.9", "0.001", "1"], 2,
         lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, weight_decay=0.001, nesterov=True)),
        # eps 1e-4 keeps Adam's step well conditioned (see optimizers_torch.py).
        ("adam", ["0.01", "0.8", "0.99", "1e-4", "0.01"], 3,
         lambda p: torch.optim.Adam(p, lr=0.01, betas=(0.8, 0.99), eps=1e-4, weight_decay=0.01)),
    ]
    for kind, args, epochs, make_opt in runs:
        d = os.path.join(workdir, kind)
        for sub in ("init", "out"):
            os.makedirs(os.path.join(d, sub), exist_ok=True)
        net = torch_net("cnn")
        for p, name in zip(net.parameters(), PARAM_NAMES["cnn"]):
            p.detach().numpy().astype("<f4").tofile(os.path.join(d, "init", name + ".bin"))
        for name, t in (("x", x), ("y", y), ("xe", xe), ("ye", ye)):
            t.numpy().astype("<i8" if t.dtype == torch.int64 else "<f4").tofile(
                os.path.join(d, name + ".bin"))
        out = subprocess.run([driver, d, str(epochs), kind, *args], check=True,
                             capture_output=True, text=True).stdout
        print(out)
        opt = make_opt(net.parameters())
        theirs = torch_train(net, "cnn", opt, x, y, 8, epochs)
        ours = [float(v) for v in re.findall(r"^epoch \d+: loss (\S+)", out, re.M)]
        check(kind + " epoch losses", ours, theirs)
        for p, name in zip(net.parameters(), PARAM_NAMES["cnn"]):
            got = np.fromfile(os.path.join(d, "out", name + ".bin"), "<f4").reshape(p.shape)
            check("%s %s" % (kind, name), got, p.detach().numpy())
        with torch.no_grad():
            logits = net(xe)
        pred = np.fromfile(os.path.join(d, "pred.bin"), "<f4").reshape(13, 10)
        check(kind + " predict", pred, logits.numpy())
        m = re.search(r"^eval: loss (\S+), accuracy (\S+)", out, re.M)
        if not m:
            failures.append("no eval line in " + out)
            continue
        check(kind + " evaluate loss", float(m.group(1)), F.cross_entropy(logits, ye).item())
        acc = (logits.argmax(1) == ye).float().mean().item()
        if abs(float(m.group(2)) - acc) > 1e-6:
            failures.append("%s evaluate accuracy %s, PyTorch %s" % (kind, m.group(2), acc))
        if "refused: -1 -1 -1 -1 -1 -1" not in out:
            failures.append("out-of-range arguments accepted: " + out)

    for f in failures:
        print("FAIL:", f)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
