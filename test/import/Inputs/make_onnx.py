"""Writes small ONNX models for the importer's error tests:
    make_onnx.py KIND OUT.onnx
Each KIND is one thing the importer must refuse (or, for 'chain', accept)."""

import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def model(nodes, inputs, outputs, inits=(), opset=13):
    graph = helper.make_graph(nodes, "g", inputs, outputs, list(inits))
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])


def tensor(name, shape):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, shape)


def weight(name, shape):
    return numpy_helper.from_array(np.ones(shape, np.float32) * 0.1, name)


def main():
    kind, out = sys.argv[1], sys.argv[2]
    x, y = tensor("x", [2, 3, 4, 4]), tensor("y", [2, 3, 4, 4])
    if kind == "unsupported":
        m = model([helper.make_node("Relu", ["x"], ["r"], name="first"),
                   helper.make_node("Sin", ["r"], ["y"], name="the_sine")], [x], [y])
    elif kind in ("opset6", "opset18"):
        m = model([helper.make_node("Relu", ["x"], ["y"])], [x], [y], opset=int(kind[5:]))
    elif kind == "dynamic":
        m = model([helper.make_node("Relu", ["x"], ["y"])],
                  [tensor("x", ["batch", 3, 4, 4])], [tensor("y", ["batch", 3, 4, 4])])
    elif kind == "gemm_transa":
        m = model([helper.make_node("Gemm", ["x", "w"], ["y"], name="fc", transA=1)],
                  [tensor("x", [4, 2])], [tensor("y", [2, 3])], [weight("w", [4, 3])])
    elif kind == "two_outputs":
        m = model([helper.make_node("Relu", ["x"], ["y"]), helper.make_node("Sigmoid", ["x"], ["z"])],
                  [x], [y, tensor("z", [2, 3, 4, 4])])
    elif kind == "broadcast_add":
        m = model([helper.make_node("Add", ["x", "b"], ["y"], name="plus")], [x], [y],
                  [weight("b", [1, 3, 1, 1])])
    elif kind == "conv3d":
        m = model([helper.make_node("Conv", ["x", "w"], ["y"], name="c3")],
                  [tensor("x", [1, 1, 4, 4, 4])], [tensor("y", [1, 1, 2, 2, 2])],
                  [weight("w", [1, 1, 3, 3, 3])])
    elif kind == "chain":
        # Conv (asymmetric pads) -> Relu -> MaxPool (ONNX's stride 1) ->
        # Flatten -> MatMul + Add: a sequential block.
        m = model([helper.make_node("Conv", ["x", "c.weight", "c.bias"], ["a"], name="/c/Conv",
                                    pads=[0, 1, 1, 0]),
                   helper.make_node("Relu", ["a"], ["b"], name="/Relu"),
                   helper.make_node("MaxPool", ["b"], ["p"], name="/pool/MaxPool",
                                    kernel_shape=[2, 2]),
                   helper.make_node("Flatten", ["p"], ["f"], name="/Flatten"),
                   helper.make_node("MatMul", ["f", "W"], ["m"], name="/fc/MatMul"),
                   helper.make_node("Add", ["m", "B"], ["y"], name="/fc/Add")],
                  [x], [tensor("y", [2, 5])],
                  [weight("c.weight", [2, 3, 3, 3]), weight("c.bias", [2]),
                   weight("W", [8, 5]), weight("B", [5])])
    else:
        sys.exit("unknown kind " + kind)
    onnx.save(m, out)


main()
