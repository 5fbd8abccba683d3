"""Writes a Gemm model with a 2 KiB weight (dense_resource) and a small bias."""
import sys
import numpy
numpy.float = float; numpy.int = int; numpy.bool = bool; numpy.object = object
import onnx
from onnx import helper, numpy_helper, TensorProto

w = numpy_helper.from_array(numpy.arange(512, dtype=numpy.float32).reshape(16, 32), "big")
b = numpy_helper.from_array(numpy.ones(16, dtype=numpy.float32), "bias")
g = helper.make_graph(
    [helper.make_node("Gemm", ["x", "big", "bias"], ["y"], transB=1)], "g",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 32])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 16])], [w, b])
m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)])
m.ir_version = 8
onnx.save(m, sys.argv[1])
