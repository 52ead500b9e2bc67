# RUN: %python %s %t %examples
"""The end-to-end example of README: scikit-learn's digits, written by
examples/digits/make_data.py, train examples/digits.tcnn to at least 95%
test accuracy in 10 epochs. --predict on the test images gives the logits
whose argmax reaches the accuracy --eval printed, and --save / --load carry
the trained parameters over."""

import os
import re
import subprocess
import sys

import numpy as np


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
    for f in failures:
        print("FAIL:", f)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
