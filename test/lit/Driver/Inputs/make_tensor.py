"""make_tensor.py OUT.pb DTYPE V0 [V1 ...]: a 1-D TensorProto file."""
import sys
import numpy
numpy.float = float; numpy.int = int; numpy.bool = bool; numpy.object = object
from onnx import numpy_helper

out, dtype, *values = sys.argv[1:]
arr = numpy.array([float(v) if "float" in dtype else int(v) for v in values], dtype=dtype)
with open(out, "wb") as f:
    f.write(numpy_helper.from_array(arr).SerializeToString())
