"""Build the PyTorch twin of a tcnn model and compare tcnn's --dump with it.

A model is described once, as a list of layers; `tcnn_source` writes it as
a .tcnn file and `TorchModel` builds it in PyTorch. The numbers (input,
target, parameters) come from tcnn's --dump, so both sides compute on the
same data; everything PyTorch then computes (loss, output, activations,
gradients) is compared with what tcnn computed.
"""

import os
import subprocess
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

RTOL, ATOL = 1e-4, 1e-6


def _arg(v):
    if isinstance(v, tuple):
        return "(%s)" % ", ".join("%d" % k for k in v)
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return '"%s"' % v
    if v is None:
        return "None"
    return str(v)


class Layer:
    """One layer: `name = Kind(*args, **kwargs)(inputs...)`."""

    def __init__(self, name, kind, *args, inputs=None, **kwargs):
        self.name, self.kind, self.args, self.kwargs = name, kind, args, kwargs
        self.inputs = inputs  # None: the previous layer (or the input)

    def call(self):
        parts = [_arg(a) for a in self.args]
        parts += ["%s=%s" % (k, _arg(v)) for k, v in self.kwargs.items()]
        return "%s(%s)" % (self.kind, ", ".join(parts))

    def module(self):
        """The torch.nn module of the same name and arguments (tcnn spells
        layers as PyTorch does); Add, Mul and Cat are applied in forward()."""
        if self.kind in ("Add", "Mul", "Cat"):
            return None
        return getattr(nn, self.kind)(*self.args, **self.kwargs)


# Losses of a prediction and a same-shaped target (the others take class
# indices), and the targets the model file draws for them (BCE's are
# probabilities).
POINTWISE_LOSSES = ("MSELoss", "L1Loss", "SmoothL1Loss", "BCEWithLogitsLoss")
TARGET_INIT = {"BCEWithLogitsLoss": "uniform(0, 1)"}


class Model:
    def __init__(self, name, input_shape, layers, loss="MSELoss",
                 x_init="uniform(-1, 1)", seed=1, wrt_x=True, x_name="x",
                 y_name="y", loss_args=None, eval_mode=False, assign=None):
        self.name, self.input_shape, self.layers = name, input_shape, layers
        self.x_name, self.y_name = x_name, y_name
        self.loss, self.x_init, self.seed, self.wrt_x = loss, x_init, seed, wrt_x
        self.loss_args = loss_args or {}
        # Run in inference mode (tcnnc --eval-mode, PyTorch's model.eval()).
        # A model without a loss (loss=None) only predicts: always so.
        self.eval_mode = eval_mode or loss is None
        # Model-file assignments, e.g. {"bn.running_var": "uniform(0.5, 2)"}.
        self.assign = assign or {}

    def output_shape(self):
        with torch.no_grad():
            out, _ = TorchModel(self).eval().forward(torch.zeros(self.input_shape))
        return list(out.shape)

    def tcnn_source(self):
        out_shape = self.output_shape()
        lines = ["model %s" % self.name, "seed %d" % self.seed,
                 "input x: %s = %s" % (list(self.input_shape), self.x_init)]
        if self.loss is None:
            pass
        elif self.loss in POINTWISE_LOSSES:
            lines.append("target y: %s = %s" % (
                out_shape, TARGET_INIT.get(self.loss, "uniform(-1, 1)")))
        else:
            lines.append("target y: [%d] = randint(0, %d)" % (out_shape[0], out_shape[1]))
        prev = "x"
        for layer in self.layers:
            ins = layer.inputs or [prev]
            lines.append("%s = %s(%s)" % (layer.name, layer.call(), ", ".join(ins)))
            prev = layer.name
        args = ", ".join("%s=%s" % (k, _arg(v)) for k, v in self.loss_args.items())
        if self.loss is not None:
            lines.append("loss = %s(%s)(%s, y)" % (self.loss, args, prev))
        lines += ["%s = %s" % kv for kv in self.assign.items()]
        return "\n".join(lines) + "\n"


class TorchModel(nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model
        # Dropout masks by layer: tcnn's own draws, read from its dump, so
        # that both sides drop the same elements.
        self.masks = {}
        self.mods = nn.ModuleDict()
        for layer in model.layers:
            m = layer.module()
            if m is not None:
                self.mods[layer.name] = m

    def forward(self, x):
        values, prev = {self.model.x_name: x}, self.model.x_name
        for layer in self.model.layers:
            ins = [values[n] for n in (layer.inputs or [prev])]
            if layer.kind == "Add":
                values[layer.name] = ins[0] + ins[1]
            elif layer.kind == "Mul":
                values[layer.name] = ins[0] * ins[1]
            elif layer.kind == "Dropout" and self.training:
                values[layer.name] = ins[0] * self.masks[layer.name]
            elif layer.kind == "Cat":
                values[layer.name] = torch.cat(ins, dim=layer.kwargs.get("dim", 0))
            else:
                values[layer.name] = self.mods[layer.name](ins[0])
            prev = layer.name
        return values[prev], values


def run_tcnn(source, workdir, wrt, eval_mode=False):
    os.makedirs(workdir, exist_ok=True)
    path = os.path.join(workdir, "model.tcnn")
    with open(path, "w") as f:
        f.write(source)
    dump = os.path.join(workdir, "dump")
    cmd = ["tcnnc", path, "--dump", dump] + (["--wrt=" + wrt] if wrt else []) \
        + (["--eval-mode"] if eval_mode else [])
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return dump


def run_native(source_path, workdir):
    """Compiles the model to an executable, runs it with --dump and returns
    the dump directory."""
    exe = os.path.join(workdir, "model.exe")
    subprocess.run(["tcnnc", source_path, "-o", exe], check=True)
    dump = os.path.join(workdir, "native")
    subprocess.run([exe, "--dump", dump], check=True, stdout=subprocess.DEVNULL)
    return dump


def compare_native(model_name, interp_dump, native_dump, rtol=1e-5, atol=1e-6):
    """Every file the executable wrote must match the interpreter's."""
    failures, names = [], sorted(os.listdir(native_dump))
    for name in names:
        a = np.load(os.path.join(native_dump, name))
        b = np.load(os.path.join(interp_dump, name))
        if a.shape != b.shape or not np.allclose(a, b, rtol=rtol, atol=atol):
            failures.append("%s: native %s differs from the interpreter (max abs diff %s)"
                            % (model_name, name, np.abs(a - b).max() if a.shape == b.shape else "shape"))
    return failures, len(names)


def compare_predict(model, workdir, dump, expected):
    """In inference mode: the executable's --predict (which runs the model
    in inference mode) on the dumped input must give PyTorch's output."""
    exe = os.path.join(workdir, "model.exe")
    subprocess.run(["tcnnc", os.path.join(workdir, "model.tcnn"), "-o", exe], check=True)
    pred = os.path.join(workdir, "pred.npy")
    subprocess.run([exe, "--predict", "%s=%s" % (model.x_name, os.path.join(dump, model.x_name + ".npy")),
                    "--output", pred], check=True, stdout=subprocess.DEVNULL)
    got = torch.from_numpy(np.load(pred))
    if got.shape != expected.shape or not torch.allclose(got, expected.detach(), rtol=RTOL, atol=ATOL):
        return ["%s: native --predict differs from PyTorch" % model.name], 1
    return [], 1


def load(dump, name):
    return torch.from_numpy(np.load(os.path.join(dump, name + ".npy")))


def load_torch_state(net, model, dump):
    """Gives the PyTorch twin tcnn's parameters, running statistics and
    dropout masks, from the dump."""
    with torch.no_grad():
        for name, p in net.named_parameters():
            # mods.<layer>.<weight|bias>
            p.copy_(load(dump, name.split(".", 1)[1]))
        # BatchNorm's running statistics, as tcnn starts them.
        for name, b in net.named_buffers():
            if not name.endswith("num_batches_tracked"):
                b.copy_(load(dump, name.split(".", 1)[1]))
    for layer in model.layers:
        if layer.kind == "Dropout" and not model.eval_mode:
            net.masks[layer.name] = load(dump, layer.name + ".mask")


def check_all(model, checks):
    """Failures of (name, PyTorch's value, tcnn's value) triples."""
    failures = []
    for name, expected, actual in checks:
        if expected is None or tuple(expected.shape) != tuple(actual.shape) or \
                not torch.allclose(actual, expected.float(), rtol=RTOL, atol=ATOL):
            diff = "shape" if expected is None or expected.shape != actual.shape \
                else "%.3g" % (actual - expected).abs().max().item()
            failures.append("%s: %s differs (max abs diff %s)" % (model.name, name, diff))
    return failures


def compare_inference(model, workdir, source=None):
    """A model without a loss: the interpreter's --dump (every activation
    and the output) against PyTorch in eval(), then the executable's
    --dump against the interpreter's and its --predict against PyTorch."""
    dump = run_tcnn(source or model.tcnn_source(), workdir, None)
    if os.path.exists(os.path.join(dump, "loss.npy")) or \
            any(n.endswith(".grad.npy") for n in os.listdir(dump)):
        return ["%s: a model without a loss dumped a loss or gradients" % model.name], 1, \
            float("nan"), None
    net = TorchModel(model).eval()
    load_torch_state(net, model, dump)
    with torch.no_grad():
        out, values = net.forward(load(dump, model.x_name))
    checks = [(layer.name, values[layer.name], load(dump, layer.name))
              for layer in model.layers]
    failures = check_all(model, checks)
    native = run_native(os.path.join(workdir, "model.tcnn"), workdir)
    native_failures, native_count = compare_native(model.name, dump, native)
    predict_failures, predict_count = compare_predict(model, workdir, dump, out)
    failures += native_failures + predict_failures
    return failures, len(checks) + native_count + predict_count, float("nan"), out


def compare(model, workdir, source=None):
    """Runs tcnn and PyTorch on `model`; returns a list of failures."""
    if model.loss is None:
        return compare_inference(model, workdir, source)
    dump = run_tcnn(source or model.tcnn_source(), workdir,
                    model.x_name if model.wrt_x else None, model.eval_mode)
    native = None if model.eval_mode else \
        run_native(os.path.join(workdir, "model.tcnn"), workdir)
    net = TorchModel(model)
    if model.eval_mode:
        net.eval()
    load_torch_state(net, model, dump)
    x = load(dump, model.x_name).clone().requires_grad_(model.wrt_x)
    out, values = net.forward(x)
    for v in values.values():
        if v.requires_grad and not v.is_leaf:
            v.retain_grad()
    target = load(dump, model.y_name)
    if model.loss not in POINTWISE_LOSSES:
        target = target.long()
    loss = getattr(nn, model.loss)(**model.loss_args)(out, target)
    loss.backward()

    checks = [("loss", loss.detach(), load(dump, "loss"))]
    for layer in model.layers:
        checks.append((layer.name, values[layer.name].detach(), load(dump, layer.name)))
        checks.append((layer.name + ".grad", values[layer.name].grad,
                       load(dump, layer.name + ".grad")))
    for name, p in net.named_parameters():
        pname = name.split(".", 1)[1]
        checks.append((pname + ".grad", p.grad, load(dump, pname + ".grad")))
    if model.wrt_x:
        checks.append(("x.grad", x.grad, load(dump, model.x_name + ".grad")))
    # The running statistics after the step (unchanged in inference).
    for name, b in net.named_buffers():
        if not name.endswith("num_batches_tracked"):
            bname = name.split(".", 1)[1]
            checks.append((bname + ".updated", b, load(dump, bname + ".updated")))
    failures = check_all(model, checks)
    if native:
        native_failures, native_count = compare_native(model.name, dump, native)
    else:
        native_failures, native_count = compare_predict(model, workdir, dump, out)
    failures += native_failures
    return failures, len(checks) + native_count, loss.item(), out.detach()


def model_source(model, example_file, examples_dir):
    """The model file of `model`: examples/EXAMPLE_FILE with its .npy paths
    (relative to examples/) made absolute, or, without one, written from
    the description."""
    if not example_file:
        return model.tcnn_source()
    source = open(os.path.join(examples_dir, example_file)).read()
    return source.replace('npy("', 'npy("%s/' % os.path.abspath(examples_dir))


def finish(failures, summary):
    """Prints every failure and the summary line; exits 1 if any failed."""
    for f in failures:
        print("FAIL:", f)
    print(summary)
    sys.exit(1 if failures else 0)
