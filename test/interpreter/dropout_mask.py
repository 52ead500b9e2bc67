# RUN: %python %s %t
"""Dropout's masks: drawn with probability p (262144 draws, the dropped
fraction within 5 standard deviations of p), kept elements scaled by
1 / (1 - p) as float32, a different mask for each layer and each step
(the generator advances by one per training step, in the interpreter
and in the executable alike), p = 0 keeps everything and p = 1 drops
everything. The executable advances the generator as the interpreter
does (that it draws the same masks, the `dropout` model of the PyTorch
comparison checks through its gradients)."""

import os
import subprocess
import sys

import numpy as np

MODEL = """model drop
seed 9
input x: [64, 16, 16, 16] = uniform(-1, 1)
target y: [64, 16, 16, 16] = uniform(-1, 1)
a = Dropout(0.3)(x)
b = Dropout(0.3)(a)
c = Dropout(p=0.0)(b)
loss = MSELoss()(c, y)
"""

ALL = """model all
input x: [2, 3] = uniform(-1, 1)
target y: [2, 3] = uniform(-1, 1)
d = Dropout(1.0)(x)
loss = MSELoss()(d, y)
"""


def main():
    workdir = sys.argv[1]
    os.makedirs(workdir, exist_ok=True)
    failures = []
    src = os.path.join(workdir, "drop.tcnn")
    with open(src, "w") as f:
        f.write(MODEL)
    dump = os.path.join(workdir, "dump")
    subprocess.run(["tcnnc", src, "--dump", dump], check=True, stdout=subprocess.DEVNULL)
    a = np.load(os.path.join(dump, "a.mask.npy"))
    b = np.load(os.path.join(dump, "b.mask.npy"))
    c = np.load(os.path.join(dump, "c.mask.npy"))
    scale = np.float32(1 / 0.7)
    for name, mask in (("a", a), ("b", b)):
        values = set(np.unique(mask).tolist())
        if values != {0.0, float(scale)}:
            failures.append("%s: mask values %s, expected 0 and %s" % (name, values, scale))
        dropped = float((mask == 0).mean())
        sigma = (0.3 * 0.7 / mask.size) ** 0.5
        print(name, "dropped fraction", dropped)
        if abs(dropped - 0.3) > 5 * sigma:
            failures.append("%s: dropped %.5f of the elements, expected 0.3" % (name, dropped))
    if (a == b).mean() > 0.7:
        failures.append("the two layers drew (nearly) the same mask")
    if not np.all(c == 1.0):
        failures.append("p = 0 dropped elements")
    x = np.load(os.path.join(dump, "x.npy"))
    if not np.array_equal(np.load(os.path.join(dump, "a.npy")), x * a):
        failures.append("a differs from x * mask")

    # The executable: one step's dump equals the interpreter's; after a
    # training step the generator has advanced and the mask changed.
    exe = os.path.join(workdir, "drop")
    subprocess.run(["tcnnc", src, "-o", exe], check=True)
    native = os.path.join(workdir, "native")
    subprocess.run([exe, "--dump", native], check=True, stdout=subprocess.DEVNULL)
    for name in ("loss", "a.generator.updated", "b.generator.updated"):
        ours, theirs = np.load(os.path.join(native, name + ".npy")), np.load(os.path.join(dump, name + ".npy"))
        # (a sum of 4M float32 terms: rounding differs in the last digits)
        if not np.allclose(ours, theirs, rtol=1e-4):
            failures.append("executable %s %s, interpreter %s" % (name, ours, theirs))
    start = int(np.load(os.path.join(dump, "a.generator.npy")))
    if int(np.load(os.path.join(dump, "a.generator.updated.npy"))) != start + 1:
        failures.append("the generator did not advance by one")
    trained = os.path.join(workdir, "trained")
    subprocess.run([exe, "--train", "1", "--lr", "0", "--dump", trained], check=True,
                   stdout=subprocess.DEVNULL)
    if int(np.load(os.path.join(trained, "a.generator.npy"))) != start + 1:
        failures.append("a training step did not keep the advanced generator")
    if np.isclose(float(np.load(os.path.join(trained, "loss.npy"))),
                  float(np.load(os.path.join(native, "loss.npy"))), rtol=1e-7):
        failures.append("the second step drew the first step's masks")

    with open(os.path.join(workdir, "all.tcnn"), "w") as f:
        f.write(ALL)
    all_dump = os.path.join(workdir, "all")
    subprocess.run(["tcnnc", os.path.join(workdir, "all.tcnn"), "--dump", all_dump], check=True,
                   stdout=subprocess.DEVNULL)
    if not np.all(np.load(os.path.join(all_dump, "d.npy")) == 0):
        failures.append("p = 1 kept elements")

    for f in failures:
        print("FAIL:", f)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
