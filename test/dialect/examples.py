# RUN: %python %s %tcnn_src/docs/dialect-ops.md | tcnn-opt -split-input-file | FileCheck %s
# CHECK-COUNT-26: func.func @example
"""Every `Example:` of the op reference must be valid IR: each example op
is wrapped in a function whose arguments are its operands, with the types
its assembly format spells, and parsed and verified by tcnn-opt (which
fails, and so this test, on any example that does not verify). The
scalar operands of the optimizer ops, which an assembly format does not
spell, take their type from their name."""

import re
import sys


def split_types(text):
    """'tensor<1x2xf32>, tensor<3xi64>' -> the two types (no nesting of
    commas inside tensor<> in our types)."""
    return [t.strip() for t in text.split(",") if t.strip()]


SCALARS = {"lr": "f32", "momentum": "f32", "wd": "f32", "beta": "f32",
           "beta1": "f32", "beta2": "f32", "eps": "f32", "nesterov": "i32",
           "step": "i64"}


def wrap(example, index):
    op = " ".join(line.strip() for line in example.strip().splitlines())
    lhs, rhs = op.split("=", 1)
    body, types = rhs.rsplit(" : ", 1)
    # Operands: the %names after the op name, before any attribute.
    head = re.split(r"\s(?:stride|kernel|\{)", body)[0]
    operands = re.findall(r"%\w+", head)
    scalars = [o for o in operands if o[1:] in SCALARS]
    operands = [o for o in operands if o[1:] not in SCALARS]
    if "->" in types:
        ins = types.split("->")[0].strip()
        ins = ins[1:-1] if ins.startswith("(") else ins
        in_types = split_types(ins)
    else:
        in_types = split_types(types)
    # Operands whose type the format infers from another's share the last
    # type spelled (batch_norm2d_update's statistics).
    if len(in_types) < len(operands):
        in_types += in_types[-1:] * (len(operands) - len(in_types))
    assert len(in_types) == len(operands), op
    args = ", ".join(["%s: %s" % (o, t) for o, t in zip(operands, in_types)]
                     + ["%s: %s" % (o, SCALARS[o[1:]]) for o in scalars])
    return "func.func @example%d(%s) {\n  %s\n  return\n}" % (index, args, op)


text = open(sys.argv[1]).read()
examples = re.findall(r"Example:\s*```mlir\n(.*?)```", text, re.S)
print("\n// -----\n".join(wrap(e, i) for i, e in enumerate(examples)))
