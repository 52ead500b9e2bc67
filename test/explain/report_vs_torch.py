# RUN: %python %s %t %examples
"""The numbers in `tcnnc explain` reports, checked against PyTorch (not
against tcnn): for several models, every forward section's value at its
position, every backward section's upstream gradient, and every full
weight and bias gradient printed in the tables."""

import os
import re
import subprocess
import sys

import numpy as np
import torch
import torch.nn.functional as F

from tcnn_torch import Layer as L, Model, TorchModel

torch.set_num_threads(1)

MODELS = [
    (Model("tinycnn", [1, 1, 8, 8],
           [L("conv1", "Conv2d", 1, 2, 3, padding=1), L("relu1", "ReLU"), L("pool1", "MaxPool2d", 2),
            L("conv2", "Conv2d", 2, 4, 3, padding=1), L("relu2", "ReLU"), L("pool2", "AvgPool2d", 2),
            L("conv3", "Conv2d", 4, 2, 1), L("relu3", "ReLU"), L("conv_out", "Conv2d", 2, 2, 2),
            L("logits", "Flatten")], wrt_x=False), "tinycnn.tcnn"),
    (Model("residual", [2, 4, 6, 6],
           [L("stem", "Conv2d", 4, 4, 3, padding=1), L("branch", "ReLU"),
            L("conv", "Conv2d", 4, 4, 3, padding=1), L("sum", "Add", inputs=["conv", "stem"]),
            L("act", "ReLU"), L("pool", "AvgPool2d", 2), L("flat", "Flatten"),
            L("out", "Linear", 36, 3)], wrt_x=False), "residual.tcnn"),
    (Model("lenet5", [8, 1, 28, 28],
           [L("conv1", "Conv2d", 1, 6, 5, padding=2), L("relu1", "ReLU"), L("pool1", "MaxPool2d", 2),
            L("conv2", "Conv2d", 6, 16, 5), L("relu2", "ReLU"), L("pool2", "MaxPool2d", 2),
            L("flatten1", "Flatten"), L("fc1", "Linear", 400, 120), L("relu3", "ReLU"),
            L("fc2", "Linear", 120, 84), L("relu4", "ReLU"), L("fc3", "Linear", 84, 10)],
           loss="CrossEntropyLoss", x_name="images", y_name="labels", wrt_x=False), "lenet5.tcnn"),
    (Model("strided_padded", [2, 3, 9, 8],
           [L("c1", "Conv2d", 3, 4, 3, stride=2, padding=1), L("r1", "ReLU"),
            L("p1", "MaxPool2d", 3, stride=1, padding=1), L("c2", "Conv2d", 4, 2, (2, 3), stride=(1, 2)),
            L("a1", "AvgPool2d", 2, padding=1)], wrt_x=False), None),
]

NUM = r"(-?\d+\.\d+)"


def close(a, b):
    # Printed with 6 decimals: half a unit of the last digit, plus float32.
    return abs(a - b) <= 1e-6 + 1e-4 * abs(b) + 5e-7


def check(model, source, workdir, failures):
    os.makedirs(workdir, exist_ok=True)
    path = os.path.join(workdir, "model.tcnn")
    with open(path, "w") as f:
        f.write(source)
    dump = os.path.join(workdir, "dump")
    subprocess.run(["tcnnc", path, "--dump", dump], check=True, stdout=subprocess.DEVNULL)
    report = subprocess.run(["tcnnc", "explain", path], check=True, capture_output=True,
                            text=True).stdout
    load = lambda n: torch.from_numpy(np.load(os.path.join(dump, n + ".npy")))
    net = TorchModel(model)
    with torch.no_grad():
        for name, p in net.named_parameters():
            p.copy_(load(name.split(".", 1)[1]))
    out, values = net.forward(load(model.x_name))
    for v in values.values():
        if v.requires_grad:
            v.retain_grad()
    if model.loss == "MSELoss":
        loss = F.mse_loss(out, load(model.y_name))
    else:
        loss = F.cross_entropy(out, load(model.y_name).long())
    values["loss"] = loss
    loss.backward()
    params = dict((n.split(".", 1)[1], p) for n, p in net.named_parameters())

    checked = 0
    sections = re.split(r"^### ", report, flags=re.M)[1:]
    for section in sections:
        head = section.splitlines()[0]
        m = re.match(r"`([^`]+)` \(([A-Za-z0-9]+)\): (.*)", head)
        if not m:
            continue
        layer, kind, what = m.groups()
        if what == "forward":
            for idx, calc, actual in re.findall(
                    r"^- (?:output|value) at \(([\d, ]*)\): calculated " + NUM + ", actual " + NUM,
                    section, re.M):
                index = tuple(int(i) for i in idx.split(",")) if idx else ()
                want = values[layer].detach()[index].item()
                for label, got in (("calculated", calc), ("actual", actual)):
                    checked += 1
                    if not close(float(got), want):
                        failures.append("%s %s forward %s at %s: report %s, PyTorch %.6f"
                                        % (model.name, layer, label, idx, got, want))
            for calc, actual in re.findall(r"^- loss[^:]*: calculated " + NUM + ", actual " + NUM,
                                           section, re.M):
                checked += 1
                if not close(float(actual), loss.item()):
                    failures.append("%s loss: report %s, PyTorch %.6f" % (model.name, actual, loss.item()))
            continue
        # Backward: the upstream gradient is dL/d(this layer's output).
        m = re.search(r"\*\*Upstream gradient\*\*[^\n]*? at \(([\d, ]*)\): \**" + NUM, section)
        if m and layer in values and values[layer].grad is not None:
            index = tuple(int(i) for i in m.group(1).split(","))
            want = values[layer].grad[index].item()
            checked += 1
            if not close(float(m.group(2)), want):
                failures.append("%s %s upstream gradient at %s: report %s, PyTorch %.6f"
                                % (model.name, layer, index, m.group(2), want))
        if what.endswith("weight gradient"):
            for row in re.findall(r"^\| \(([\d, ]+)\) \| [^|]* \| " + NUM + r" \| " + NUM + r" \|$",
                                  section, re.M):
                index = tuple(int(i) for i in row[0].split(","))
                want = params[layer + ".weight"].grad[index].item()
                checked += 1
                if not close(float(row[2]), want):
                    failures.append("%s %s.weight grad %s: report %s, PyTorch %.6f"
                                    % (model.name, layer, index, row[2], want))
        if what.endswith("bias gradient"):
            for c, full in re.findall(r"^\| (\d+) \| [^|]* \| " + NUM + r" \|$", section, re.M):
                want = params[layer + ".bias"].grad[int(c)].item()
                checked += 1
                if not close(float(full), want):
                    failures.append("%s %s.bias grad %s: report %s, PyTorch %.6f"
                                    % (model.name, layer, c, full, want))
    return checked


def main():
    workdir, examples = sys.argv[1], sys.argv[2]
    failures, total = [], 0
    for model, example in MODELS:
        if example:
            source = open(os.path.join(examples, example)).read()
            source = source.replace('npy("', 'npy("%s/' % os.path.abspath(examples))
        else:
            source = model.tcnn_source()
        n = check(model, source, os.path.join(workdir, model.name), failures)
        print("%-16s %4d numbers checked against PyTorch" % (model.name, n))
        if n < 10:
            failures.append("%s: only %d numbers found in the report" % (model.name, n))
        total += n
    for f in failures:
        print("FAIL:", f)
    print("%d numbers, %d failures" % (total, len(failures)))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
