# RUN: %python %s %t | FileCheck %s
# RUN: grep -F "121 passed / 121 supported / 1014 total" %S/../../README.md %S/../../docs/import.md | count 2
# CHECK: ONNX conformance: 121 passed / 121 supported / 1014 total
"""ONNX's own backend tests (Debian's libonnx-testdata): every case of
data/node and data/pytorch-converted is imported by tcnnc; each case the
importer accepts is run by the interpreter (tcnnc --run) and by a compiled
executable (the .onnx given to tcnnc directly, then --input per test data
set) and compared with the expected outputs at the ONNX backend tests'
tolerances (rtol 1e-3, atol 1e-7). Every other case is listed with the
reason: an op tcnn has no layer for, or the importer's message for a form
of a supported op that tcnn does not cover (3-D convolution, training-mode
BatchNormalization, ...). The test fails if a case the importer accepts
gives a wrong number or a tool fails on it, or if the importer crashes;
the counts are pinned here and in the README and docs/import.md, so that
a case the importer stops accepting is noticed too.

Node tests pass weights as graph inputs with values in input_N.pb (ONNX
has no other way to vary them); tcnn needs them constant, so an input in a
weight slot (Conv's W and B, Gemm's B and C, ...) is made an initializer
with the test's value before import. Nothing else is changed."""

import concurrent.futures
import glob
import os
import re
import shutil
import subprocess
import sys

import numpy as np
import onnx
from onnx import numpy_helper

ROOT = "/usr/share/libonnx-testdata/data"
SUITES = ("node", "pytorch-converted")
RTOL, ATOL = 1e-3, 1e-7

# The ONNX ops tcnn's importer maps to layers, and those it folds when
# they only compute shapes and constants.
LAYER_OPS = {"Conv", "ConvTranspose", "MaxPool", "AveragePool", "GlobalAveragePool",
             "GlobalMaxPool", "Gemm", "MatMul", "Flatten", "Reshape", "Identity", "Relu",
             "LeakyRelu", "Sigmoid", "Tanh", "Elu", "Softmax", "LogSoftmax",
             "BatchNormalization", "Dropout", "Add", "Mul", "Concat", "Pad"}
FOLDED_OPS = {"Constant", "Shape", "Gather", "Unsqueeze", "Squeeze", "Cast", "Slice",
              "Transpose", "ConstantOfShape", "Sub", "Div"}
# Inputs a layer needs constant: node -> input slots.
WEIGHT_SLOTS = {"Conv": (1, 2), "ConvTranspose": (1, 2), "Gemm": (1, 2), "MatMul": (1,),
                "BatchNormalization": (1, 2, 3, 4), "Pad": (1, 2), "Reshape": (1,),
                "Dropout": (1, 2)}


def tensor(path):
    """The tensor in a .pb, or None for what is not one (the sequences and
    optionals of some node tests)."""
    t = onnx.TensorProto()
    try:
        with open(path, "rb") as f:
            t.ParseFromString(f.read())
        return numpy_helper.to_array(t)
    except Exception:  # noqa: BLE001 - any other proto
        return None


def data_sets(case):
    sets = []
    for d in sorted(glob.glob(os.path.join(case, "test_data_set_*"))):
        ins = [tensor(p) for p in sorted(glob.glob(os.path.join(d, "input_*.pb")),
                                         key=lambda p: int(re.findall(r"\d+", os.path.basename(p))[0]))]
        outs = [tensor(p) for p in sorted(glob.glob(os.path.join(d, "output_*.pb")))]
        sets.append((ins, outs))
    return sets


def unsupported_ops(model):
    ops = sorted({n.op_type for n in model.graph.node} - LAYER_OPS - FOLDED_OPS)
    domains = sorted({n.domain for n in model.graph.node if n.domain not in ("", "ai.onnx")})
    if domains:
        return "ops of domain %s" % ", ".join(domains)
    return "no tcnn layer for %s" % ", ".join(ops) if ops else None


def embed_weights(model, sets):
    """Graph inputs in weight slots become initializers with data set 0's
    values; returns the names of the remaining (data) inputs and their
    index among the test's inputs."""
    init = {t.name for t in model.graph.initializer}
    inputs = [i.name for i in model.graph.input if i.name not in init]
    weights = set()
    for node in model.graph.node:
        for slot in WEIGHT_SLOTS.get(node.op_type, ()):
            if slot < len(node.input) and node.input[slot] in inputs:
                weights.add(node.input[slot])
    for name in weights:
        value = sets[0][0][inputs.index(name)]
        model.graph.initializer.append(numpy_helper.from_array(value, name))
    data = [(k, n) for k, n in enumerate(inputs) if n not in weights]
    return data, sorted(weights)


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300, **kw)


def crashed(proc):
    return proc.returncode < 0 or proc.returncode > 1 or \
        (proc.returncode != 0 and "error" not in proc.stderr)


def output_name(stdout):
    """The output's name in the first line after the header of --run or an
    executable's report: `NAME [shape]: [...]`."""
    lines = stdout.splitlines()
    return lines[1].split(" [")[0] if len(lines) > 1 else None


def compare(got, want):
    if got.shape != want.shape:
        return "shape %s, expected %s" % (list(got.shape), list(want.shape))
    if not np.allclose(got, want, rtol=RTOL, atol=ATOL):
        return "max |diff| %.3g" % np.abs(got - want.astype(np.float32)).max()
    return None


def run_case(suite, case, work):
    """Returns (status, detail): passed, failed, or unsupported."""
    name = os.path.basename(case)
    model = onnx.load(os.path.join(case, "model.onnx"))
    reason = unsupported_ops(model)
    if reason:
        return "unsupported", reason
    sets = data_sets(case)
    if not sets:
        return "unsupported", "no test data"
    if any(v is None for ins, outs in sets for v in ins + outs):
        return "unsupported", "inputs or outputs that are not tensors"
    d = os.path.join(work, suite, name)
    os.makedirs(d, exist_ok=True)
    data, weights = embed_weights(model, sets)
    onnx_path = os.path.join(d, "model.onnx")
    onnx.save(model, onnx_path)
    imported = run(["tcnnc", "import", onnx_path, "-o", os.path.join(d, "tcnn")])
    if crashed(imported):
        return "failed", "tcnnc import crashed: %s" % imported.stderr.strip()[-300:]
    if imported.returncode != 0:
        msg = imported.stderr.strip().splitlines()[-1]
        return "unsupported", re.sub(r"^tcnnc: error: [^:]*: ", "", msg)
    source = glob.glob(os.path.join(d, "tcnn", "*.tcnn"))[0]
    text = open(source).read()
    names = re.findall(r"^input (\S+): ", text, re.M)
    if len(names) != len(data):
        return "failed", "%d inputs written for %d data inputs" % (len(names), len(data))
    if len(sets[0][1]) != 1:
        return "failed", "imported a model with %d outputs" % len(sets[0][1])

    # Interpreter, data set 0: the inputs' values in the model file.
    ins, outs = sets[0]
    for (k, _), tname in zip(data, names):
        path = os.path.join(d, "in0_%d.npy" % k)
        np.save(path, ins[k].astype(np.float32))
        text = re.sub(r"^(input %s: \[[^\]]*\])$" % re.escape(tname),
                      r'\1 = npy("%s")' % path, text, flags=re.M)
    open(source, "w").write(text)
    dump = os.path.join(d, "dump")
    interp = run(["tcnnc", source, "--run", "--dump", dump])
    if interp.returncode != 0:
        return "failed", "tcnnc --run: %s" % interp.stderr.strip()[-300:]
    out = output_name(interp.stdout)
    problem = compare(np.load(os.path.join(dump, out + ".npy")), outs[0])
    if problem:
        return "failed", "interpreter: " + problem

    # Executable from the .onnx, every data set through --input.
    exe = os.path.join(d, "model.exe")
    built = run(["tcnnc", onnx_path, "-o", exe])
    if built.returncode != 0:
        return "failed", "tcnnc -o: %s" % built.stderr.strip()[-300:]
    for s, (ins, outs) in enumerate(sets):
        args = []
        for (k, _), tname in zip(data, names):
            path = os.path.join(d, "in%d_%d.npy" % (s, k))
            np.save(path, ins[k].astype(np.float32))
            args += ["--input", "%s=%s" % (tname, path)]
        ndump = os.path.join(d, "native%d" % s)
        ran = run([exe, "--dump", ndump] + args)
        if ran.returncode != 0:
            return "failed", "executable: %s" % ran.stderr.strip()[-300:]
        problem = compare(np.load(os.path.join(ndump, out + ".npy")), outs[0])
        if problem:
            return "failed", "executable, data set %d: %s" % (s, problem)
    shutil.rmtree(d)
    note = " (weights %s embedded)" % ", ".join(weights) if weights else ""
    return "passed", "%d data set%s%s" % (len(sets), "" if len(sets) == 1 else "s", note)


def main():
    work = sys.argv[1]
    os.makedirs(work, exist_ok=True)
    cases = [(suite, c) for suite in SUITES
             for c in sorted(glob.glob(os.path.join(ROOT, suite, "test_*")))]
    if not cases:
        print("no test cases under %s (install libonnx-testdata)" % ROOT)
        sys.exit(1)
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        results = list(pool.map(lambda sc: run_case(sc[0], sc[1], work), cases))
    counts = {"passed": 0, "failed": 0, "unsupported": 0}
    for status in ("passed", "failed", "unsupported"):
        for (suite, case), (st, detail) in zip(cases, results):
            if st == status:
                counts[st] += 1
                print("%-11s %s/%s: %s" % (st.upper(), suite, os.path.basename(case), detail))
    supported = counts["passed"] + counts["failed"]
    line = ("ONNX conformance: %d passed / %d supported / %d total "
            "(%d unsupported, listed with their reasons)"
            % (counts["passed"], supported, len(cases), counts["unsupported"]))
    print(line)
    sys.exit(1 if counts["failed"] else 0)


main()
