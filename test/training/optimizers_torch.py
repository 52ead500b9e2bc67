# RUN: %python %s %t
"""Training on a data set matches torch.optim: SGD with momentum, weight
decay and Nesterov, and Adam with weight decay, over epochs whose last
batch is partial (21 samples in batches of 8; 10 in batches of 4), in file
order (--no-shuffle), as a DataLoader with drop_last=False gives them.
Losses with reduction="sum" (MSE, NLL) and BCE with logits train the same way.
The epoch losses, the parameters and the optimizer state written by
--save agree with PyTorch to rtol 1e-4; so do --eval and --predict, and a
run resumed with --load continues exactly where the saved one stopped."""

import os
import re
import subprocess
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
RTOL, ATOL = 1e-4, 1e-6
failures = []

CNN = """model cnn
input x: [8, 1, 8, 8] = zeros
target labels: [8] = randint(0, 10)
logits = sequential(x) {
  conv1 = Conv2d(1, 4, 3, padding=1)
  ReLU()
  MaxPool2d(2)
  Flatten()
  fc = Linear(64, 10)
}
loss = CrossEntropyLoss()(logits, labels)
"""

LINEAR = """model lin
input x: [4, 3] = zeros
target y: [4, 2] = zeros
out = Linear(3, 2)(x)
loss = MSELoss()(out, y)
"""

# reduction="sum": a partial batch sums its own rows; the epoch loss is the
# sum over the data set divided by its size.
LINEAR_SUM = LINEAR.replace("model lin", "model linsum").replace(
    "MSELoss()", 'MSELoss(reduction="sum")')

NLL_SUM = """model nll
input x: [4, 5] = zeros
target labels: [4] = randint(0, 3)
z = Linear(5, 3)(x)
logp = LogSoftmax(dim=1)(z)
loss = NLLLoss(reduction="sum")(logp, labels)
"""

BCE = """model bce
input x: [4, 3] = zeros
target y: [4, 2] = zeros
out = Linear(3, 2)(x)
loss = BCEWithLogitsLoss()(out, y)
"""

# Each model's PyTorch twin, loss, reduction and parameter names.
KINDS = {
    "cnn": (lambda: nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(),
                                  nn.MaxPool2d(2), nn.Flatten(), nn.Linear(64, 10)),
            F.cross_entropy, "mean", ["conv1.weight", "conv1.bias", "fc.weight", "fc.bias"]),
    "lin": (lambda: nn.Sequential(nn.Linear(3, 2)), F.mse_loss, "mean",
            ["out.weight", "out.bias"]),
    "linsum": (lambda: nn.Sequential(nn.Linear(3, 2)), F.mse_loss, "sum",
               ["out.weight", "out.bias"]),
    "nll": (lambda: nn.Sequential(nn.Linear(5, 3), nn.LogSoftmax(dim=1)), F.nll_loss, "sum",
            ["z.weight", "z.bias"]),
    "bce": (lambda: nn.Sequential(nn.Linear(3, 2)), F.binary_cross_entropy_with_logits,
            "mean", ["out.weight", "out.bias"]),
}


def check(what, ours, theirs):
    ours, theirs = np.asarray(ours, np.float64), np.asarray(theirs, np.float64)
    if ours.shape != theirs.shape or not np.allclose(ours, theirs, rtol=RTOL, atol=ATOL):
        diff = np.abs(ours - theirs).max() if ours.shape == theirs.shape else "shape"
        failures.append("%s differs from PyTorch (max abs diff %s)" % (what, diff))


def compile_model(workdir, name, text):
    src = os.path.join(workdir, name + ".tcnn")
    with open(src, "w") as f:
        f.write(text)
    exe = os.path.join(workdir, name)
    subprocess.run(["tcnnc", src, "-o", exe], check=True)
    return exe


def run(exe, *args):
    return subprocess.run([exe, *args], check=True, capture_output=True, text=True).stdout


def epoch_losses(out):
    return [float(m.group(1)) for m in re.finditer(r"^epoch \d+/\d+: loss ([-0-9.e+]+)", out, re.M)]


def torch_net(kind):
    return KINDS[kind][0]()


PARAM_NAMES = {kind: k[3] for kind, k in KINDS.items()}


def load_params(net, kind, d):
    with torch.no_grad():
        for p, name in zip(net.parameters(), PARAM_NAMES[kind]):
            p.copy_(torch.from_numpy(np.load(os.path.join(d, name + ".npy"))))


def torch_train(net, kind, opt, x, y, batch, epochs):
    _, loss_fn, reduction, _ = KINDS[kind]
    losses = []
    for _ in range(epochs):
        total = 0.0
        for first in range(0, len(x), batch):
            xb, yb = x[first:first + batch], y[first:first + batch]
            opt.zero_grad()
            loss = loss_fn(net(xb), yb, reduction=reduction)
            loss.backward()
            opt.step()
            total += loss.item() * (1 if reduction == "sum" else len(xb))
        losses.append(total / len(x))
    return losses


def compare_training(workdir, exe, kind, x, y, batch, flags, make_opt, epochs, tag):
    init = os.path.join(workdir, tag + "-init")
    run(exe, "--dump", init)
    out_dir = os.path.join(workdir, tag + "-trained")
    names = ("x", "labels") if kind in ("cnn", "nll") else ("x", "y")
    np.save(os.path.join(workdir, tag + "-x.npy"), x.numpy())
    np.save(os.path.join(workdir, tag + "-y.npy"), y.numpy())
    data = ["--data", "%s=%s" % (names[0], os.path.join(workdir, tag + "-x.npy")),
            "--data", "%s=%s" % (names[1], os.path.join(workdir, tag + "-y.npy"))]
    out = run(exe, *data, "--no-shuffle", "--epochs", str(epochs), *flags, "--save", out_dir)
    net = torch_net(kind)
    load_params(net, kind, init)
    opt = make_opt(net.parameters())
    theirs = torch_train(net, kind, opt, x, y, batch, epochs)
    ours = epoch_losses(out)
    print(tag, "epoch losses: tcnn", ours, "pytorch", theirs)
    check(tag + " epoch losses", ours, theirs)
    for p, name in zip(net.parameters(), PARAM_NAMES[kind]):
        check("%s %s" % (tag, name), np.load(os.path.join(out_dir, name + ".npy")),
              p.detach().numpy())
        for key, value in opt.state[p].items():
            if key == "step":
                continue
            check("%s %s.%s" % (tag, name, key),
                  np.load(os.path.join(out_dir, "%s.%s.npy" % (name, key))), value.numpy())
    return net, data, out_dir


def main():
    workdir = sys.argv[1]
    os.makedirs(workdir, exist_ok=True)
    gen = torch.Generator().manual_seed(7)
    cnn = compile_model(workdir, "cnn", CNN)
    x = torch.rand(21, 1, 8, 8, generator=gen)
    labels = torch.randint(0, 10, (21,), generator=gen)

    sgd_flags = ["--lr", "0.05", "--momentum", "0.9", "--weight-decay", "0.001", "--nesterov"]
    compare_training(workdir, cnn, "cnn", x, labels, 8, sgd_flags,
                     lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, weight_decay=0.001,
                                               nesterov=True), 2, "sgd")

    # eps 1e-4, not smaller: Adam's step lr * m / (sqrt(v) + eps) moves by up to
    # lr / eps per unit of gradient where the gradient is near zero, so a smaller
    # eps turns float32 rounding differences in the gradient into parameter
    # differences above the tolerance.
    adam_flags = ["--optimizer", "adam", "--lr", "0.01", "--betas", "0.8,0.99",
                  "--eps", "1e-4", "--weight-decay", "0.01"]
    net, data, saved = compare_training(
        workdir, cnn, "cnn", x, labels, 8, adam_flags,
        lambda p: torch.optim.Adam(p, lr=0.01, betas=(0.8, 0.99), eps=1e-4, weight_decay=0.01),
        3, "adam")

    # Resuming: 3 epochs = 2 epochs, --save, --load, 1 more epoch.
    half = os.path.join(workdir, "adam-half")
    run(cnn, *data, "--no-shuffle", "--epochs", "2", *adam_flags, "--save", half)
    resumed = os.path.join(workdir, "adam-resumed")
    run(cnn, *data, "--no-shuffle", "--epochs", "1", *adam_flags, "--load", half,
        "--save", resumed)
    for name in PARAM_NAMES["cnn"]:
        check("resumed " + name, np.load(os.path.join(resumed, name + ".npy")),
              np.load(os.path.join(saved, name + ".npy")))

    # Evaluation and prediction with the trained parameters, 13 samples.
    xe = torch.rand(13, 1, 8, 8, generator=gen)
    ye = torch.randint(0, 10, (13,), generator=gen)
    np.save(os.path.join(workdir, "xe.npy"), xe.numpy())
    np.save(os.path.join(workdir, "ye.npy"), ye.numpy())
    out = run(cnn, "--load", saved, "--predict", "x=" + os.path.join(workdir, "xe.npy"),
              "--output", os.path.join(workdir, "pred.npy"))
    with torch.no_grad():
        logits = net(xe)
    check("--predict output", np.load(os.path.join(workdir, "pred.npy")), logits.numpy())
    out = run(cnn, *data, "--no-shuffle", "--lr", "0", "--load", saved,
              "--eval", "x=" + os.path.join(workdir, "xe.npy"),
              "--eval", "labels=" + os.path.join(workdir, "ye.npy"))
    m = re.search(r"  eval: loss ([-0-9.e+]+), accuracy ([0-9.]+)%", out)
    if not m:
        failures.append("no eval line in: " + out)
    else:
        check("--eval loss", float(m.group(1)), F.cross_entropy(logits, ye).item())
        acc = 100.0 * (logits.argmax(1) == ye).float().mean().item()
        if abs(float(m.group(2)) - acc) > 0.01:
            failures.append("--eval accuracy %s%%, PyTorch %.2f%%" % (m.group(2), acc))

    # MSELoss: the mean of a partial batch is over its own elements.
    lin = compile_model(workdir, "lin", LINEAR)
    xl = torch.randn(10, 3, generator=gen)
    yl = torch.randn(10, 2, generator=gen)
    compare_training(workdir, lin, "lin", xl, yl, 4, sgd_flags,
                     lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, weight_decay=0.001,
                                               nesterov=True), 2, "mse")

    sgd = lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, weight_decay=0.001,
                                    nesterov=True)
    linsum = compile_model(workdir, "linsum", LINEAR_SUM)
    compare_training(workdir, linsum, "linsum", xl, yl, 4, sgd_flags, sgd, 2, "mse-sum")
    nll = compile_model(workdir, "nll", NLL_SUM)
    xn = torch.randn(10, 5, generator=gen)
    yn = torch.randint(0, 3, (10,), generator=gen)
    compare_training(workdir, nll, "nll", xn, yn, 4, sgd_flags, sgd, 2, "nll-sum")
    bce = compile_model(workdir, "bce", BCE)
    compare_training(workdir, bce, "bce", xl, torch.rand(10, 2, generator=gen), 4,
                     sgd_flags, sgd, 2, "bce")

    for f in failures:
        print("FAIL:", f)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
