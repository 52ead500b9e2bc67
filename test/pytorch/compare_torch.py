# RUN: %python %s %t
"""tcnn against PyTorch on a set of configurations. The interpreter's
--dump is compared with PyTorch (loss, output, every activation, the
gradient of every activation and parameter, the input gradient; rtol 1e-4,
atol 1e-6), and the compiled executable's --dump with the interpreter's
(inputs, parameters, loss, output, parameter gradients; rtol 1e-5)."""

import sys

import numpy as np
import torch

from tcnn_torch import compare, finish, model_source
from test_models import CONFIGS, EXAMPLES

torch.set_num_threads(1)


def main():
    import os
    workdir = sys.argv[1]
    examples = os.path.join(os.path.dirname(__file__), "..", "..", "examples")
    failures, n = [], 0
    for model in CONFIGS:
        f, count, loss, _ = compare(model, os.path.join(workdir, model.name))
        failures += f
        n += 1
        what = "loss %.6f" % loss if model.loss else "no loss (inference)"
        print("%-28s %s  %3d tensors  %s" % (model.name, what, count, "FAIL" if f else "ok"))
    for model, filename in EXAMPLES:
        source = model_source(model, filename, examples)
        f, count, loss, out = compare(model, os.path.join(workdir, model.name), source)
        failures += f
        n += 1
        print("%-28s loss %.6f  %3d tensors  %s" % (model.name, loss, count, "FAIL" if f else "ok"))
        if model.name == "tinycnn":
            # The seed report's numbers (PyTorch's, see shared reference).
            ref = {"loss": (loss, 0.305365), "logit0": (out[0, 0].item(), -0.413463),
                   "logit1": (out[0, 1].item(), -0.090280)}
            for k, (got, want) in ref.items():
                if abs(got - want) > 1e-6:
                    failures.append("tinycnn: %s is %.6f, the report says %.6f" % (k, got, want))
    finish(failures, "%d configurations, %d failures" % (n, len(failures)))


if __name__ == "__main__":
    main()
