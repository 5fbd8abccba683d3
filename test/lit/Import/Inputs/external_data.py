"""external_data.py DIR: writes models whose weight lives in external data.

DIR/ok/model.onnx          weight in DIR/ok/w.bin (offset 16)
DIR/absolute/model.onnx    location is an absolute path
DIR/dotdot/model.onnx      location is ../w.bin
DIR/symlink/model.onnx     location is a symlink to a file outside DIR/symlink
DIR/short/model.onnx       offset + length past the end of the file
"""
import os
import sys
import numpy
numpy.float = float; numpy.int = int; numpy.bool = bool; numpy.object = object
import onnx
from onnx import helper, TensorProto

root = sys.argv[1]
w = numpy.arange(64, dtype=numpy.float32).reshape(8, 8) / 64.0


def model(location, offset, length):
    t = TensorProto()
    t.name = "w"
    t.data_type = TensorProto.FLOAT
    t.dims.extend([8, 8])
    t.data_location = TensorProto.EXTERNAL
    for k, v in (("location", location), ("offset", str(offset)), ("length", str(length))):
        e = t.external_data.add()
        e.key, e.value = k, v
    g = helper.make_graph(
        [helper.make_node("MatMul", ["x", "w"], ["y"])], "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 8])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 8])], [t])
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)])
    m.ir_version = 8
    return m


def write(name, location, offset=16, length=256, blob_at=None):
    d = os.path.join(root, name)
    os.makedirs(d, exist_ok=True)
    with open(blob_at or os.path.join(d, "w.bin"), "wb") as f:
        f.write(b"\0" * 16 + w.tobytes())
    with open(os.path.join(d, "model.onnx"), "wb") as f:
        f.write(model(location, offset, length).SerializeToString())


write("ok", "w.bin")
write("absolute", os.path.join(root, "ok", "w.bin"))
write("dotdot", "../ok/w.bin")
os.makedirs(os.path.join(root, "symlink"), exist_ok=True)
link = os.path.join(root, "symlink", "w.bin")
write("symlink", "w.bin", blob_at=os.path.join(root, "outside.bin"))
if os.path.lexists(link):
    os.remove(link)
os.symlink(os.path.join(root, "outside.bin"), link)
write("short", "w.bin", offset=64, length=256)
