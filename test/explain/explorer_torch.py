# RUN: %python %s %t %examples "%chromium"
"""The "Explore" panel of the HTML report, clicked in headless Chromium and
checked against PyTorch. For every layer the panel offers (Conv2d with
stride, padding, dilation and groups, ConvTranspose2d, MaxPool2d,
AvgPool2d, the adaptive poolings, Linear, BatchNorm2d in training mode,
ReLU, Sigmoid, Tanh, ELU, GELU, Softmax, LogSoftmax, Add, Mul, Cat,
Dropout with its mask, Flatten, ZeroPad2d, and the loss) two output cells
are clicked (the page is opened with
#explore=LAYER,index..., which selects the layer and dispatches a click on
that cell); the numbers the page then shows are compared with PyTorch's:

- the calculated and the actual value with the layer's output;
- the upstream gradient with the gradient of the loss at that output;
- every contribution to dL/dx and dL/dw with PyTorch's gradient of that
  one output (autograd) times the upstream gradient, and their number
  with the number of input positions and weights that output reads;
- the full bias-gradient sum with PyTorch's bias gradient (BatchNorm:
  gamma's and beta's);
- the full input gradient at that position, where the panel computes it
  (activations, Softmax's Jacobian-vector form, BatchNorm's three terms),
  with PyTorch's gradient of the layer's input;
- for the loss, its value and every dL/d(prediction) with PyTorch's.

No "MISMATCH" may appear."""

import json
import os
import re
import shlex
import subprocess
import sys

import numpy as np
import torch
import torch.nn.functional as F

from tcnn_torch import POINTWISE_LOSSES, TorchModel, finish, model_source, run_tcnn
from test_models import config, example

torch.set_num_threads(1)

MODELS = [(example("tinycnn"), "tinycnn.tcnn"),
          (example("residual"), "residual.tcnn"),
          (config("conv_stride_and_dilation"), None),
          (config("conv_groups"), None),
          (config("batch_norm"), None),
          (config("softmax_dims"), None),
          (config("activations_smooth"), None),
          (config("adaptive_pools_uneven"), None),
          (config("conv_transpose_upsample"), None),
          (config("mul_gate_and_square"), None),
          (config("cat_channels"), None),
          (config("dropout"), None),
          (config("zero_pad"), None),
          # The other losses and their options, on small models.
          (config("l1_loss_sum"), None),
          (config("smooth_l1_loss_beta"), None),
          (config("bce_with_logits_sum"), None),
          (config("nll_loss_sum"), None),
          (config("cross_entropy_sum_full_smoothing"), None)]
NUM = r"(-?\d+\.\d+)"


def close(a, b):
    # Printed with 6 decimals: half a unit of the last digit, plus float32.
    return abs(a - b) <= 1e-6 + 1e-4 * abs(b) + 5e-7


def rows(dom, table):
    m = re.search(r'<table id="%s">(.*?)</table>' % table, dom, re.S)
    if not m:
        return None
    return [(tuple(int(i) for i in idx.split(",")), float(v))
            for idx, v in re.findall(r"<tr><td>\(([\d, ]+)\)</td><td>[^<]*</td><td>" + NUM +
                                     r"</td></tr>", m.group(1))]


def number(dom, ident):
    m = re.search(r'id="%s">%s<' % (ident, NUM), dom)
    return float(m.group(1)) if m else None


def torch_side(model, dump):
    """The twin with tcnn's parameters, after loss.backward(): each layer's
    output and input (kept in the graph) and its parameters."""
    load = lambda n: torch.from_numpy(np.load(os.path.join(dump, n + ".npy")))
    net = TorchModel(model)
    with torch.no_grad():
        for name, p in net.named_parameters():
            p.copy_(load(name.split(".", 1)[1]))
    for l in model.layers:
        if l.kind == "Dropout" and not model.eval_mode:
            net.masks[l.name] = load(l.name + ".mask")
    x = load(model.x_name).requires_grad_()
    out, values = net.forward(x)
    for v in values.values():
        v.retain_grad()
    out.retain_grad()
    target = load(model.y_name)
    if model.loss not in POINTWISE_LOSSES:
        target = target.long()
    loss = getattr(torch.nn, model.loss)(**model.loss_args)(out, target)
    loss.backward(retain_graph=True)
    # Copies: torch 1.13's retain_grad hooks also fire in the
    # autograd.grad calls below and would add to .grad.
    grads = {k: v.grad.clone() for k, v in values.items()}
    grads[model.x_name] = x.grad.clone()
    net.loss, net.out_grad = loss.item(), out.grad.clone()
    bias_grads = {k: m.bias.grad.clone() for k, m in net.mods.items()
                  if getattr(m, "bias", None) is not None}
    inputs, prev = {}, model.x_name
    for l in model.layers:
        inputs[l.name] = l.inputs or [prev]
        prev = l.name
    return net, values, grads, bias_grads, inputs


def click(chromium, html, layer, at, workdir):
    profile = os.path.join(workdir, "profile")
    subprocess.run(["rm", "-rf", profile], check=True)
    url = "file://%s#explore=%s,%s" % (html, layer, ",".join(map(str, at)))
    return subprocess.run(chromium + ["--user-data-dir=" + profile, "--dump-dom", url],
                          check=True, capture_output=True, text=True, timeout=120).stdout


def check(model, source, workdir, chromium, failures):
    dump = run_tcnn(source, workdir, None)
    path = os.path.join(workdir, "model.tcnn")
    html = os.path.join(workdir, "report.html")
    subprocess.run(["tcnnc", "explain", path, "--format", "html", "-o", html], check=True)
    page = open(html).read()
    layers = json.loads(re.search(r'id="tcnn-explorer-data">(.*?)</script>', page,
                                  re.S).group(1))["layers"]
    net, values, grads, bias_grads, inputs = torch_side(model, dump)
    checked = 0

    def expect(what, got, want):
        nonlocal checked
        checked += 1
        if got is None or not close(got, want):
            failures.append("%s %s: page %s, PyTorch %.6f" % (model.name, what, got, want))

    for layer in layers:
        name, shape = layer["name"], layer["output"]["shape"]
        if layer["kind"].endswith("_loss"):
            dom = click(chromium, html, name, [], workdir)
            where = "%s (the loss)" % name
            start = dom.find('id="ex-result"')
            result = dom[start:dom.find("<script", start)]  # the panel alone
            if 'class="bad"' in result or 'id="ex-calc"' not in result:
                failures.append("%s: the panel shows a MISMATCH or nothing" % where)
            expect(where + " calculated", number(dom, "ex-calc"), net.loss)
            expect(where + " actual", number(dom, "ex-actual"), net.loss)
            got = rows(dom, "ex-dx") or []
            if len(got) != net.out_grad.numel():
                failures.append("%s: %d gradients listed, the prediction has %d"
                                % (where, len(got), net.out_grad.numel()))
            for idx, v in got:
                expect("%s dL/dp%s" % (where, idx), v, net.out_grad[idx].item())
            continue
        y = values[name]
        for at in ([s // 2 for s in shape], [s - 1 for s in shape]):
            dom = click(chromium, html, name, at, workdir)
            where = "%s at %s" % (name, tuple(at))
            start = dom.find('id="ex-result"')
            result = dom[start:dom.find("<script", start)]  # the panel alone
            if 'class="bad"' in result or 'id="ex-calc"' not in result:
                failures.append("%s: the panel shows a MISMATCH or nothing" % where)
            want = y[tuple(at)].item()
            expect(where + " calculated", number(dom, "ex-calc"), want)
            expect(where + " actual", number(dom, "ex-actual"), want)
            dy = grads[name][tuple(at)].item()
            expect(where + " upstream gradient", number(dom, "ex-dy"), dy)
            # This one output's share of each gradient: d y[at] / d(.) * dy.
            mod = net.mods[name] if name in net.mods else None
            src = values.get(inputs[name][0])
            targets = [("ex-dx", src)]
            if layer["kind"] in ("conv2d", "conv_transpose2d", "linear"):
                targets.append(("ex-dw", mod.weight))
            if layer["kind"] in ("add", "mul"):
                if inputs[name][0] == inputs[name][1]:
                    # x·x or x + x: both shares land on one tensor; their
                    # sum is PyTorch's.
                    a, b = rows(dom, "ex-dx"), rows(dom, "ex-drhs")
                    share = torch.autograd.grad(y[tuple(at)], src, retain_graph=True)[0] * dy
                    if not a or not b:
                        failures.append("%s: no ex-dx / ex-drhs table" % where)
                    else:
                        expect(where + " both shares", a[0][1] + b[0][1], share[a[0][0]].item())
                    targets = []
                else:
                    # The op's own partials (autograd's total derivative
                    # would add paths around the op, as in a residual
                    # block): dy, or dy times the other operand.
                    lhs, rhs = values[inputs[name][0]], values[inputs[name][1]]
                    mul = layer["kind"] == "mul"
                    for table, other in (("ex-dx", rhs), ("ex-drhs", lhs)):
                        got = rows(dom, table)
                        if not got:
                            failures.append("%s: no %s table" % (where, table))
                            continue
                        want = dy * (other[tuple(at)].item() if mul else 1.0)
                        expect("%s %s%s" % (where, table, got[0][0]), got[0][1], want)
                    targets = []
            if layer["kind"] == "cat":
                # Only the input the clicked position comes from has a table.
                targets = [(t, values[n]) for t, n in
                           [("ex-dx", inputs[name][0])] +
                           [("ex-dcat%d" % k, n) for k, n in enumerate(inputs[name]) if k]
                           if 'id="%s"' % t in dom]
            for table, tensor in targets:
                share = torch.autograd.grad(y[tuple(at)], tensor, retain_graph=True)[0] * dy
                got = rows(dom, table)
                if got is None:
                    failures.append("%s: no %s table" % (where, table))
                    continue
                reached = int((torch.autograd.grad(y[tuple(at)], tensor, retain_graph=True,
                                                   allow_unused=True)[0] != 0).sum())
                if table == "ex-dx" and layer["kind"] in ("conv2d", "linear"):
                    # Every input position read (a weight of 0 still reads it).
                    if len(got) < reached:
                        failures.append("%s: %s lists %d positions, PyTorch reaches %d"
                                        % (where, table, len(got), reached))
                for idx, v in got:
                    expect("%s %s%s" % (where, table, idx), v, share[idx].item())
            if layer["kind"] in ("conv2d",) and mod.bias is not None:
                expect(where + " full bias gradient", number(dom, "ex-db-calc"),
                       bias_grads[name][at[1]].item())
            if layer["kind"] == "batch_norm2d":
                expect(where + " full gamma gradient", number(dom, "ex-dgamma-calc"),
                       mod.weight.grad[at[1]].item())
                expect(where + " full beta gradient", number(dom, "ex-dbeta-calc"),
                       mod.bias.grad[at[1]].item())
            if 'id="ex-dxfull-calc"' in result:
                expect(where + " full input gradient", number(dom, "ex-dxfull-calc"),
                       grads[inputs[name][0]][tuple(at)].item())
            elif layer["kind"] in ("batch_norm2d", "softmax", "log_softmax", "sigmoid",
                                   "tanh", "elu", "gelu"):
                failures.append("%s: no full input gradient" % where)
    return checked, len(layers)


def main():
    workdir, examples, chromium = sys.argv[1], sys.argv[2], shlex.split(sys.argv[3])
    failures, total = [], 0
    for model, ex in MODELS:
        source = model_source(model, ex, examples)
        n, count = check(model, source, os.path.join(workdir, model.name), chromium, failures)
        print("%-26s %2d layers explored, %4d numbers checked against PyTorch"
              % (model.name, count, n))
        if count < 2 or n < 20:
            failures.append("%s: only %d layers / %d numbers found" % (model.name, count, n))
        total += n
    finish(failures, "%d numbers, %d failures" % (total, len(failures)))


if __name__ == "__main__":
    main()
