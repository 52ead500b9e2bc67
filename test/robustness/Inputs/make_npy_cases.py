"""Writes the .npy files of npy_rules.test, and for each a model file that
reads it, into the directory given as the only argument."""
import os
import sys

import numpy as np

out = sys.argv[1]


def raw(name, header, payload):
    """A version 1.0 .npy file with exactly this header text and data."""
    header = header.encode("latin1")
    pad = (64 - (10 + len(header) + 1) % 64) % 64
    header += b" " * pad + b"\n"
    with open(os.path.join(out, name), "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header + payload)


def model(name, npy, labels=False):
    """A model whose input x (or class indices) comes from `npy`."""
    path = os.path.join(out, npy)
    if labels:
        text = f"""model m
input x: [3, 4]
target labels: [3] = npy("{path}")
loss = CrossEntropyLoss()(x, labels)
"""
    else:
        text = f"""model m
input x: [1, 1, 8, 8] = npy("{path}")
target y: [1, 1, 8, 8]
loss = MSELoss()(x, y)
"""
    with open(os.path.join(out, f"model_{name}.tcnn"), "w") as f:
        f.write(text)


good = np.linspace(-1, 1, 64, dtype=np.float32).reshape(1, 1, 8, 8)
np.save(os.path.join(out, "good.npy"), good)
model("good", "good.npy")
nan = good.copy()
nan.flat[3] = np.nan
np.save(os.path.join(out, "nan.npy"), nan)
model("nan", "nan.npy")
inf = good.copy()
inf.flat[0] = np.inf
np.save(os.path.join(out, "inf.npy"), inf)
model("inf", "inf.npy")
raw("nul.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 8, 8), }\0", good.tobytes())
model("nul", "nul.npy")
raw("overflow.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296, 4), }", good.tobytes())
model("overflow", "overflow.npy")
raw("lying.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (1000000, 1000000), }", good.tobytes())
model("lying", "lying.npy")
raw("rank9.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 1, 1, 1, 1, 1, 8, 8), }", good.tobytes())
model("rank9", "rank9.npy")
with open(os.path.join(out, "huge_header.npy"), "wb") as f:
    f.write(b"\x93NUMPY\x02\x00" + (60000).to_bytes(4, "little") + b"{'descr'")
model("huge_header", "huge_header.npy")
model("fifo", "fifo.npy")
# Class indices: lenet5's batch of 8, and a small model's batch of 3.
np.save(os.path.join(out, "labels_i8.npy"), np.arange(8, dtype="<i8"))
np.save(os.path.join(out, "labels_i4.npy"), np.array([1, 0, 2, 3, 4, 5, 6, 9], dtype="<i4"))
np.save(os.path.join(out, "labels_small_i4.npy"), np.array([2, 0, 1], dtype="<i4"))
model("labels_i4", "labels_small_i4.npy", labels=True)
np.save(os.path.join(out, "labels_f4.npy"), np.array([2, 0, 1], dtype="<f4"))
model("labels_f4", "labels_f4.npy", labels=True)
