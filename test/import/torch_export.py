# RUN: %python %s %t
"""Models written in PyTorch, exported by torch.onnx.export and imported by
tcnnc: the examples' twins (TinyCNN, LeNet-5), a residual net and a net of
the other layers the importer maps. Each model is imported both ways
(`tcnnc import` to a directory, and the .onnx given to tcnnc directly);
the interpreter (--run --eval-mode) and the compiled executable
(--predict, inference mode) must give PyTorch's eval() output on the same
input, rtol 1e-4. Each model is run as imported (no loss: it only
predicts) and with a loss added by --loss MSELoss (it then also compiles as
a training model)."""

import os
import subprocess
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
torch.set_num_threads(1)


class TinyCNN(nn.Module):
    shape = [1, 1, 8, 8]

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 2, 3, padding=1)
        self.pool1 = nn.MaxPool2d(2)
        self.conv2 = nn.Conv2d(2, 4, 3, padding=1)
        self.pool2 = nn.AvgPool2d(2)
        self.conv3 = nn.Conv2d(4, 2, 1)
        self.conv_out = nn.Conv2d(2, 2, 2)

    def forward(self, x):
        x = self.pool1(F.relu(self.conv1(x)))
        x = self.pool2(F.relu(self.conv2(x)))
        x = F.relu(self.conv3(x))
        return torch.flatten(self.conv_out(x), 1)


class LeNet5(nn.Module):
    shape = [8, 1, 28, 28]

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2))
        self.fc1 = nn.Linear(400, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = torch.flatten(self.features(x), 1)
        return self.fc3(F.relu(self.fc2(F.relu(self.fc1(x)))))


class Residual(nn.Module):
    shape = [2, 3, 8, 8]

    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 3, padding=1)
        self.conv1 = nn.Conv2d(8, 8, 3, padding=1)
        self.conv2 = nn.Conv2d(8, 8, 3, padding=1, bias=False)
        self.head = nn.Linear(8, 5)

    def forward(self, x):
        s = F.relu(self.stem(x))
        y = self.conv2(F.relu(self.conv1(s)))
        y = F.relu(y + s)
        y = F.adaptive_avg_pool2d(y, 1)
        return F.log_softmax(self.head(torch.flatten(y, 1)), dim=1)


class Layers(nn.Module):
    """The other layers: batch norm (after a ReLU, so that the export does
    not fold it into the convolution), leaky ReLU, ELU, sigmoid, tanh,
    grouped and dilated convolutions, asymmetric zero padding, a
    transposed convolution, average pooling that leaves out the padding,
    global max pooling, concatenation, a product and softmax."""
    shape = [3, 4, 10, 10]

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(4, 8, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(8)
        self.grouped = nn.Conv2d(8, 8, 3, padding=2, dilation=2, groups=4)
        self.pad = nn.ZeroPad2d((1, 0, 2, 1))
        self.conv2 = nn.Conv2d(8, 8, (3, 2), stride=(2, 1))
        self.up = nn.ConvTranspose2d(8, 4, 3, stride=2, padding=1, output_padding=1)
        self.pool = nn.AvgPool2d(3, stride=2, padding=1, count_include_pad=False)
        self.fc = nn.Linear(12, 6)
        with torch.no_grad():
            self.bn1.running_mean.uniform_(-0.5, 0.5)
            self.bn1.running_var.uniform_(0.5, 2.0)
            self.bn1.weight.uniform_(0.5, 1.5)
            self.bn1.bias.uniform_(-0.5, 0.5)

    def forward(self, x):
        a = self.bn1(F.relu(self.conv1(x)))
        b = F.leaky_relu(self.grouped(a), 0.2)
        c = torch.sigmoid(a) * torch.tanh(b)
        d = F.elu(self.conv2(self.pad(c)), alpha=0.5)
        e = self.pool(self.up(d))
        g = torch.cat([F.adaptive_max_pool2d(e, 1), F.adaptive_avg_pool2d(e, 1),
                       F.adaptive_avg_pool2d(e * e, 1)], dim=1)
        return F.softmax(self.fc(torch.flatten(g, 1)), dim=1)


MODELS = [(TinyCNN, 13), (LeNet5, 11), (Residual, 13), (Layers, 17)]


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


def close(name, what, got, want):
    ok = got.shape == want.shape and np.allclose(got, want, rtol=1e-4, atol=1e-6)
    err = np.abs(got - want).max() if got.shape == want.shape else float("inf")
    print("%-9s %-28s max |diff| %.2e  %s" % (name, what, err, "ok" if ok else "FAIL"))
    return ok


def main():
    work = sys.argv[1]
    os.makedirs(work, exist_ok=True)
    failed = 0
    for cls, opset in MODELS:
        name = cls.__name__.lower()
        model = cls().eval()
        x = torch.rand(cls.shape) * 2 - 1
        onnx_path = os.path.join(work, name + ".onnx")
        torch.onnx.export(model, x, onnx_path, input_names=["x"], output_names=["y"],
                          opset_version=opset)
        with torch.no_grad():
            want = model(x).numpy()
        xfile = os.path.join(work, name + ".x.npy")
        np.save(xfile, x.numpy())

        # tcnnc import: the written model file, run by the interpreter on x;
        # without a loss (it runs in inference mode) and with one (then in
        # --eval-mode).
        for loss in (None, "MSELoss"):
            out_dir = os.path.join(work, name + ("" if loss is None else "." + loss))
            run(["tcnnc", "import", onnx_path, "-o", out_dir] + (["--loss", loss] if loss else []))
            source = os.path.join(out_dir, name + ".tcnn")
            text = open(source).read()
            text = text.replace("input x: %s" % cls.shape,
                                'input x: %s = npy("%s")' % (cls.shape, xfile))
            assert 'npy("%s")' % xfile in text, text
            open(source, "w").write(text)
            dump = out_dir + ".dump"
            run(["tcnnc", source, "--run", "--dump", dump] + (["--eval-mode"] if loss else []))
            if "sequential(" in text:
                out_name = text.split(" = sequential(")[0].split("\n")[-1]
            elif loss:
                out_name = text.split("loss = MSELoss()(")[1].split(",")[0]
            else:  # the last statement's value
                out_name = [line for line in text.splitlines() if " = " in line
                            and not line.lstrip().startswith(("input", "#"))
                            and "npy(" not in line][-1].split(" = ")[0]
            got = np.load(os.path.join(dump, out_name + ".npy"))
            failed += not close(name, "import + interpreter" + (" + loss" if loss else ""),
                                got, want)

            # The .onnx straight to an executable; --predict runs inference.
            exe = out_dir + ".exe"
            run(["tcnnc", onnx_path, "-o", exe] + (["--loss", loss] if loss else []))
            pred = out_dir + ".pred.npy"
            run([exe, "--predict", "x=" + xfile, "--output", pred])
            failed += not close(name, "onnx -> executable" + (" + loss" if loss else ""),
                                np.load(pred), want)
    print("%d models, %d comparisons failed" % (len(MODELS), failed))
    sys.exit(1 if failed else 0)


main()
