#!/usr/bin/env python3
"""Writes scikit-learn's handwritten digits (Debian's python3-sklearn) as
fixed train/test splits for examples/digits.tcnn:

  python3 examples/digits/make_data.py OUTDIR

OUTDIR/train_x.npy [1437, 1, 8, 8] float32 (pixel / 16, in [0, 1]),
OUTDIR/train_y.npy [1437] int64 class indices, and test_x.npy / test_y.npy
with the other 360 images. The split is a fixed permutation (seed 0), the
same on every machine."""

import os
import sys

import numpy as np
from sklearn.datasets import load_digits


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "."
    os.makedirs(out, exist_ok=True)
    digits = load_digits()
    x = (digits.images / 16.0).astype(np.float32).reshape(-1, 1, 8, 8)
    y = digits.target.astype(np.int64)
    order = np.random.RandomState(0).permutation(len(x))
    train, test = order[:1437], order[1437:]
    for name, idx in (("train", train), ("test", test)):
        np.save(os.path.join(out, name + "_x.npy"), x[idx])
        np.save(os.path.join(out, name + "_y.npy"), y[idx])
    print("wrote %d training and %d test images to %s" % (len(train), len(test), out))


if __name__ == "__main__":
    main()
