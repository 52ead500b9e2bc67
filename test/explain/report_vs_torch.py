# RUN: %python %s %t %examples
"""The numbers in `tcnnc explain` reports, checked against PyTorch (not
against tcnn): for several models, every forward section's value at its
position, every backward section's upstream gradient, and every full
weight, bias and input gradient printed in the tables."""

import os
import re
import subprocess
import sys

import numpy as np
import torch
import torch.nn.functional as F

from tcnn_torch import TorchModel, finish, model_source, run_tcnn
from test_models import config, example

torch.set_num_threads(1)

# Three examples and strided, padded, dilated, grouped and batch-normalized
# configurations
# (test_models.py).
MODELS = [(example("tinycnn"), "tinycnn.tcnn"),
          (example("residual"), "residual.tcnn"),
          (example("lenet5"), "lenet5.tcnn"),
          (config("strided_padded"), None),
          (config("conv_stride_and_dilation"), None),
          (config("conv_groups"), None),
          (config("conv_depthwise"), None),
          (config("batch_norm"), None)]

NUM = r"(-?\d+\.\d+)"


def close(a, b):
    # Printed with 6 decimals: half a unit of the last digit, plus float32.
    return abs(a - b) <= 1e-6 + 1e-4 * abs(b) + 5e-7


def check(model, source, workdir, failures):
    dump = run_tcnn(source, workdir, None)
    path = os.path.join(workdir, "model.tcnn")
    report = subprocess.run(["tcnnc", "explain", path], check=True, capture_output=True,
                            text=True).stdout
    load = lambda n: torch.from_numpy(np.load(os.path.join(dump, n + ".npy")))
    net = TorchModel(model)
    with torch.no_grad():
        for name, p in net.named_parameters():
            p.copy_(load(name.split(".", 1)[1]))
    # The report explains the input gradient too (its default).
    out, values = net.forward(load(model.x_name).requires_grad_())
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

    # The value each layer reads (its first input).
    inputs, prev = {}, model.x_name
    for l in model.layers:
        inputs[l.name] = (l.inputs or [prev])[0]
        prev = l.name
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
        # Each row of an input-gradient table ends with the full dL/dx at
        # that input position (the gradient of the layer's input value).
        source = inputs.get(layer)
        if (what.endswith("input gradient") or (what == "backward" and "Pool" in kind)) \
                and source in values and values[source].grad is not None:
            for row in re.findall(r"^\| \(([\d, ]+)\) \| [^|]* \| " + NUM + r" \| " + NUM + r" \|$",
                                  section, re.M):
                index = tuple(int(i) for i in row[0].split(","))
                want = values[source].grad[index].item()
                checked += 1
                if not close(float(row[2]), want):
                    failures.append("%s %s input gradient %s: report %s, PyTorch %.6f"
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
        source = model_source(model, example, examples)
        n = check(model, source, os.path.join(workdir, model.name), failures)
        print("%-16s %4d numbers checked against PyTorch" % (model.name, n))
        if n < 10:
            failures.append("%s: only %d numbers found in the report" % (model.name, n))
        total += n
    finish(failures, "%d numbers, %d failures" % (total, len(failures)))


if __name__ == "__main__":
    main()
