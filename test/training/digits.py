# RUN: %python %s %t %examples
"""The end-to-end example of README: scikit-learn's digits, written by
examples/digits/make_data.py, train examples/digits.tcnn to at least 95%
test accuracy in 10 epochs. --predict on the test images gives the logits
whose argmax reaches the accuracy --eval printed, and --save / --load carry
the trained parameters over. The PyTorch twin, from the same initial
parameters with the same hyper-parameters (SGD lr 0.05, momentum 0.9,
batches of 32 shuffled by its own seeded permutation), reaches a test
accuracy within 2 points of the executable's."""

import os
import re
import subprocess
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
PARAMS = ["conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "fc.weight", "fc.bias"]


def torch_accuracy(init, data):
    """Test accuracy of the PyTorch twin trained for 10 epochs from `init`."""
    net = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                        nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                        nn.Flatten(), nn.Linear(64, 10))
    with torch.no_grad():
        for p, name in zip(net.parameters(), PARAMS):
            p.copy_(torch.from_numpy(np.load(os.path.join(init, name + ".npy"))))
    load = lambda n: torch.from_numpy(np.load(os.path.join(data, n + ".npy")))
    x, y, xt, yt = load("train_x"), load("train_y"), load("test_x"), load("test_y")
    opt = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9)
    gen = torch.Generator().manual_seed(0)
    for _ in range(10):
        for idx in torch.randperm(len(x), generator=gen).split(32):
            opt.zero_grad()
            F.cross_entropy(net(x[idx]), y[idx]).backward()
            opt.step()
    with torch.no_grad():
        return 100.0 * (net(xt).argmax(1) == yt).float().mean().item()


def main():
    workdir, examples = sys.argv[1], sys.argv[2]
    os.makedirs(workdir, exist_ok=True)
    data = os.path.join(workdir, "data")
    subprocess.run([sys.executable, os.path.join(examples, "digits", "make_data.py"), data],
                   check=True)
    exe = os.path.join(workdir, "digits")
    subprocess.run(["tcnnc", os.path.join(examples, "digits.tcnn"), "-o", exe], check=True)
    d = lambda n: os.path.join(data, n + ".npy")
    trained = os.path.join(workdir, "trained")
    out = subprocess.run([exe, "--data", "images=" + d("train_x"), "--data",
                          "labels=" + d("train_y"), "--epochs", "10", "--eval",
                          "images=" + d("test_x"), "--eval", "labels=" + d("test_y"),
                          "--save", trained], check=True, capture_output=True, text=True).stdout
    print(out)
    failures = []
    evals = [float(a) for a in re.findall(r"^  eval: loss [0-9.]+, accuracy ([0-9.]+)%", out, re.M)]
    if len(evals) != 10:
        failures.append("expected 10 eval lines, got %d" % len(evals))
    elif evals[-1] < 95.0:
        failures.append("test accuracy %.2f%% after 10 epochs, below 95%%" % evals[-1])
    logits_path = os.path.join(workdir, "logits.npy")
    subprocess.run([exe, "--load", trained, "--predict", "images=" + d("test_x"), "--output",
                    logits_path], check=True, stdout=subprocess.DEVNULL)
    logits = np.load(logits_path)
    labels = np.load(d("test_y"))
    if logits.shape != (360, 10):
        failures.append("--predict wrote shape %s, not (360, 10)" % (logits.shape,))
    else:
        accuracy = 100.0 * (logits.argmax(1) == labels).mean()
        print("accuracy of the predicted logits: %.2f%%" % accuracy)
        if evals and abs(accuracy - evals[-1]) > 0.01:
            failures.append("--predict gives %.2f%%, --eval said %.2f%%" % (accuracy, evals[-1]))
    init = os.path.join(workdir, "init")
    subprocess.run([exe, "--dump", init], check=True, stdout=subprocess.DEVNULL)
    theirs = torch_accuracy(init, data)
    print("PyTorch twin: test accuracy %.2f%%" % theirs)
    if evals and abs(theirs - evals[-1]) > 2.0:
        failures.append("test accuracy %.2f%%, PyTorch's %.2f%%: more than 2 points apart"
                        % (evals[-1], theirs))
    for f in failures:
        print("FAIL:", f)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
