# RUN: %python %s %tcnn_src/docs/dialect-ops.md | tcnn-opt -split-input-file | FileCheck %s
# CHECK-COUNT-22: func.func @example
"""Every `Example:` of the op reference must be valid IR: each example op
is wrapped in a function whose arguments are its operands, with the types
its assembly format spells, and parsed and verified by tcnn-opt (which
fails, and so this test, on any example that does not verify)."""

import re
import sys


def split_types(text):
    """'tensor<1x2xf32>, tensor<3xi64>' -> the two types (no nesting of
    commas inside tensor<> in our types)."""
    return [t.strip() for t in text.split(",") if t.strip()]


def wrap(example, index):
    op = " ".join(line.strip() for line in example.strip().splitlines())
    lhs, rhs = op.split("=", 1)
    body, types = rhs.rsplit(" : ", 1)
    # Operands: the %names after the op name, before any attribute.
    head = re.split(r"\s(?:stride|kernel|\{)", body)[0]
    operands = re.findall(r"%\w+", head)
    if "->" in types:
        ins = types.split("->")[0].strip()
        ins = ins[1:-1] if ins.startswith("(") else ins
        in_types = split_types(ins)
    else:
        in_types = split_types(types)
    if len(in_types) == 1:
        in_types = in_types * len(operands)
    assert len(in_types) == len(operands), op
    args = ", ".join("%s: %s" % (o, t) for o, t in zip(operands, in_types))
    return "func.func @example%d(%s) {\n  %s\n  return\n}" % (index, args, op)


text = open(sys.argv[1]).read()
examples = re.findall(r"Example:\s*```mlir\n(.*?)```", text, re.S)
print("\n// -----\n".join(wrap(e, i) for i, e in enumerate(examples)))
