#!/usr/bin/python3
"""Generate small single-op-family ONNX test models with numpy reference outputs.

Usage:  /usr/bin/python3 make_models.py OUTDIR

Writes OUTDIR/<name>.onnx, OUTDIR/<name>.in<k>.bin, OUTDIR/<name>.out<k>.bin and
OUTDIR/manifest.json (same layout as /work/shared/models/manifest.json).

Inputs:   input k = sin(0.37*i + 1.3*k) (i = flat index), reshaped; some ops use a
          scaled / positive variant (documented per model).
Weights:  np.random.RandomState(seed), stored as float32 initializers.
Reference outputs are computed with numpy in float64 from the float32 inputs and
weights, then stored as float32 little-endian raw.

Requires only numpy and onnx (tested with Debian python3-onnx 1.12).
"""
import json
import os
import sys

import numpy as np

# onnx 1.12 uses numpy aliases removed in numpy >= 1.24.
# Set unconditionally (hasattr() itself warns on numpy 1.24).
np.float = float
np.int = int
np.bool = bool
np.object = object

import onnx  # noqa: E402
from onnx import TensorProto, helper, numpy_helper  # noqa: E402
import onnx.checker  # noqa: E402
import onnx.shape_inference  # noqa: E402

INT64_MAX = np.iinfo(np.int64).max
INT64_MIN = np.iinfo(np.int64).min

MAX_MODEL_BYTES = 200 * 1024


# --------------------------------------------------------------------------
# Input / weight helpers
# --------------------------------------------------------------------------

def sin_input(k, shape, scale=1.0, positive=False):
    n = int(np.prod(shape)) if len(shape) else 1
    a = np.sin(0.37 * np.arange(n) + 1.3 * k)
    if positive:
        a = np.abs(a) + 0.1
    a = a * scale
    return a.reshape(shape).astype(np.float32)


def randw(seed, shape, scale=0.3):
    return (np.random.RandomState(seed).randn(*shape) * scale).astype(np.float32)


def randpos(seed, shape, lo=0.5, hi=1.5):
    return np.random.RandomState(seed).uniform(lo, hi, size=shape).astype(np.float32)


def f64(a):
    return np.asarray(a, dtype=np.float64)


# --------------------------------------------------------------------------
# numpy reference implementations
# --------------------------------------------------------------------------

def conv_out_dim(n, k, s, d, pb, pe):
    return (n + pb + pe - d * (k - 1) - 1) // s + 1


def auto_pad_pads(in_hw, k_hw, s_hw, d_hw, mode):
    """Return ONNX pads [h_begin, w_begin, h_end, w_end] for an auto_pad mode."""
    if mode == "VALID":
        return [0, 0, 0, 0]
    begins, ends = [], []
    for n, k, s, d in zip(in_hw, k_hw, s_hw, d_hw):
        out = -(-n // s)  # ceil(n / s)
        total = max(0, (out - 1) * s + d * (k - 1) + 1 - n)
        small, big = total // 2, total - total // 2
        if mode == "SAME_UPPER":  # extra padding at the end
            begins.append(small)
            ends.append(big)
        elif mode == "SAME_LOWER":  # extra padding at the beginning
            begins.append(big)
            ends.append(small)
        else:
            raise ValueError(mode)
    return begins + ends


def ref_conv2d(x, w, b=None, strides=(1, 1), pads=(0, 0, 0, 0), dilations=(1, 1), group=1):
    x, w = f64(x), f64(w)
    N, C, H, W = x.shape
    M, Cg, KH, KW = w.shape
    assert C == Cg * group and M % group == 0
    Mg = M // group
    sh, sw = strides
    dh, dw = dilations
    pt, pl, pb, pr = pads
    OH = conv_out_dim(H, KH, sh, dh, pt, pb)
    OW = conv_out_dim(W, KW, sw, dw, pl, pr)
    xp = np.pad(x, ((0, 0), (0, 0), (pt, pb), (pl, pr)))
    out = np.zeros((N, M, OH, OW))
    for g in range(group):
        xg = xp[:, g * Cg:(g + 1) * Cg]
        wg = w[g * Mg:(g + 1) * Mg]
        for kh in range(KH):
            for kw in range(KW):
                h0, w0 = kh * dh, kw * dw
                patch = xg[:, :, h0:h0 + sh * (OH - 1) + 1:sh, w0:w0 + sw * (OW - 1) + 1:sw]
                out[:, g * Mg:(g + 1) * Mg] += np.einsum("nchw,mc->nmhw", patch, wg[:, :, kh, kw])
    if b is not None:
        out += f64(b).reshape(1, M, 1, 1)
    return out


def pool_out_dim(n, k, s, d, pb, pe, ceil_mode):
    eff = d * (k - 1) + 1
    if ceil_mode:
        o = -(-(n + pb + pe - eff) // s) + 1
        # A window that starts entirely in the end padding / past the input is dropped
        # (PyTorch / ONNX Runtime rule).
        if (o - 1) * s >= n + pb:
            o -= 1
        return o
    return (n + pb + pe - eff) // s + 1


def ref_pool2d(x, mode, kernel, strides=(1, 1), pads=(0, 0, 0, 0), dilations=(1, 1),
               ceil_mode=0, count_include_pad=0):
    x = f64(x)
    N, C, H, W = x.shape
    KH, KW = kernel
    sh, sw = strides
    dh, dw = dilations
    pt, pl, pb, pr = pads
    OH = pool_out_dim(H, KH, sh, dh, pt, pb, ceil_mode)
    OW = pool_out_dim(W, KW, sw, dw, pl, pr, ceil_mode)
    out = np.zeros((N, C, OH, OW))
    for oh in range(OH):
        for ow in range(OW):
            vals = []
            n_pad_region = 0  # positions inside input or explicit padding
            for kh in range(KH):
                for kw in range(KW):
                    h = oh * sh - pt + kh * dh
                    w_ = ow * sw - pl + kw * dw
                    if -pt <= h < H + pb and -pl <= w_ < W + pr:
                        n_pad_region += 1
                    if 0 <= h < H and 0 <= w_ < W:
                        vals.append(x[:, :, h, w_])
            assert vals, "pool window entirely in padding"
            v = np.stack(vals, axis=0)
            if mode == "max":
                out[:, :, oh, ow] = v.max(axis=0)
            else:
                div = n_pad_region if count_include_pad else len(vals)
                out[:, :, oh, ow] = v.sum(axis=0) / div
    return out


def ref_convnd(x, w, b, strides, pads, dilations, group):
    """Any spatial rank; pads = begins + ends."""
    import itertools
    x, w = f64(x), f64(w)
    n = x.ndim - 2
    N_, C = x.shape[:2]
    M, Cg = w.shape[:2]
    K = w.shape[2:]
    Mg = M // group
    xp = np.pad(x, [(0, 0), (0, 0)] + [(pads[i], pads[i + n]) for i in range(n)])
    O = [conv_out_dim(x.shape[2 + i], K[i], strides[i], dilations[i], pads[i], pads[i + n])
         for i in range(n)]
    out = np.zeros([N_, M] + O)
    for g in range(group):
        xg = xp[:, g * Cg:(g + 1) * Cg]
        wg = w[g * Mg:(g + 1) * Mg]
        for k in itertools.product(*[range(kk) for kk in K]):
            sl = tuple(slice(k[i] * dilations[i], k[i] * dilations[i] + strides[i] * (O[i] - 1) + 1,
                             strides[i]) for i in range(n))
            patch = xg[(slice(None), slice(None)) + sl]
            out[:, g * Mg:(g + 1) * Mg] += np.tensordot(wg[(slice(None), slice(None)) + k],
                                                        patch, axes=([1], [1])).swapaxes(0, 1)
    if b is not None:
        out += f64(b).reshape([1, M] + [1] * n)
    return out


def ref_poolnd(x, mode, kernel, strides, pads, dilations=None, ceil_mode=0,
               count_include_pad=0):
    """Any spatial rank; returns (values, flat row-major argmax indices)."""
    import itertools
    n = x.ndim - 2
    dilations = dilations or [1] * n
    sp = x.shape[2:]
    O = [pool_out_dim(sp[i], kernel[i], strides[i], dilations[i], pads[i], pads[i + n], ceil_mode)
         for i in range(n)]
    out = np.zeros(list(x.shape[:2]) + O, dtype=np.float64 if mode != "max" else x.dtype)
    idx = np.zeros(list(x.shape[:2]) + O, dtype=np.int64)
    for nn in range(x.shape[0]):
        for c in range(x.shape[1]):
            for o in itertools.product(*[range(v) for v in O]):
                best, bi, acc, cnt, region = None, 0, 0.0, 0, 0
                for k in itertools.product(*[range(v) for v in kernel]):
                    pos = [o[i] * strides[i] - pads[i] + k[i] * dilations[i] for i in range(n)]
                    if all(-pads[i] <= pos[i] < sp[i] + pads[i + n] for i in range(n)):
                        region += 1
                    if not all(0 <= pos[i] < sp[i] for i in range(n)):
                        continue
                    v = x[(nn, c) + tuple(pos)]
                    flat = nn * x.shape[1] + c
                    for i in range(n):
                        flat = flat * sp[i] + pos[i]
                    if best is None or v > best:
                        best, bi = v, flat
                    acc += float(v)
                    cnt += 1
                if mode == "max":
                    out[(nn, c) + o], idx[(nn, c) + o] = best, bi
                else:
                    out[(nn, c) + o] = acc / (region if count_include_pad else cnt)
    return out, idx


def ref_softmax(x, axis):
    x = f64(x)
    m = x.max(axis=axis, keepdims=True)
    e = np.exp(x - m)
    return e / e.sum(axis=axis, keepdims=True)


def ref_softmax_v11(x, axis):
    """Opset <= 12 Softmax: coerce to 2-D [prod(d[:axis]), prod(d[axis:])]."""
    x = f64(x)
    if axis < 0:
        axis += x.ndim
    rows = int(np.prod(x.shape[:axis]))
    return ref_softmax(x.reshape(rows, -1), axis=1).reshape(x.shape)


def ref_batchnorm(x, scale, bias, mean, var, eps):
    shp = (1, -1) + (1,) * (x.ndim - 2)
    return ((f64(x) - f64(mean).reshape(shp)) / np.sqrt(f64(var).reshape(shp) + eps)
            * f64(scale).reshape(shp) + f64(bias).reshape(shp))


def ref_hardsigmoid(x, alpha, beta):
    return np.clip(alpha * f64(x) + beta, 0.0, 1.0)


def ref_hardswish(x):
    x = f64(x)
    return x * np.clip(x / 6.0 + 0.5, 0.0, 1.0)


def ref_slice(x, starts, ends, axes=None, steps=None):
    """ONNX Slice-13 semantics (clamping rules from the operator spec)."""
    x = f64(x)
    r = x.ndim
    if axes is None:
        axes = list(range(len(starts)))
    if steps is None:
        steps = [1] * len(starts)
    idx = [slice(None)] * r
    for st, en, ax, sp in zip(starts, ends, axes, steps):
        ax = ax + r if ax < 0 else ax
        dim = x.shape[ax]
        st = st + dim if st < 0 else st
        en = en + dim if en < 0 else en
        if sp > 0:
            st = min(max(st, 0), dim)
            en = min(max(en, 0), dim)
        else:
            st = min(max(st, 0), dim - 1)
            en = min(max(en, -1), dim - 1)
        # explicit index list: avoids python's negative-index wrap for en == -1
        idx[ax] = np.arange(st, en, sp, dtype=np.int64)
    out = x
    for ax in range(r):
        if not isinstance(idx[ax], slice):
            out = np.take(out, idx[ax], axis=ax)
    return out


def ref_gemm(a, b, c=None, alpha=1.0, beta=1.0, transA=0, transB=0):
    a, b = f64(a), f64(b)
    if transA:
        a = a.T
    if transB:
        b = b.T
    y = alpha * (a @ b)
    if c is not None:
        y = y + beta * f64(c)
    return y


# --------------------------------------------------------------------------
# Model building
# --------------------------------------------------------------------------

ELEM = {np.dtype(np.float32): TensorProto.FLOAT, np.dtype(np.int64): TensorProto.INT64,
        np.dtype(np.int8): TensorProto.INT8, np.dtype(np.uint8): TensorProto.UINT8}


def stored(a):
    """Outputs keep an integer dtype; everything else is stored as float32."""
    a = np.asarray(a)
    return a if a.dtype.kind in "iu" else a.astype(np.float32)


class Builder:
    def __init__(self, outdir):
        self.outdir = outdir
        self.entries = []
        self.names = set()

    def add(self, name, nodes, inputs, outputs, inits=None, opset=13, doc=""):
        """inputs/outputs: lists of (name, numpy array). inits: dict name -> array."""
        assert name not in self.names, name
        self.names.add(name)
        inits = inits or {}
        g_inputs = [helper.make_tensor_value_info(n, ELEM[a.dtype], list(a.shape))
                    for n, a in inputs]
        out_arrays = [(n, stored(a)) for n, a in outputs]
        g_outputs = [helper.make_tensor_value_info(n, ELEM[a.dtype], list(a.shape))
                     for n, a in out_arrays]
        g_inits = [numpy_helper.from_array(np.asarray(v), k) for k, v in inits.items()]
        graph = helper.make_graph(nodes, name, g_inputs, g_outputs, initializer=g_inits)
        if doc:
            graph.doc_string = doc
        model = helper.make_model(graph, producer_name="edge-aotc make_models.py",
                                  opset_imports=[helper.make_opsetid("", opset)])
        onnx.checker.check_model(model, full_check=True)
        inferred = onnx.shape_inference.infer_shapes(model, check_type=True, strict_mode=True)
        # Cross-check numpy reference shapes against ONNX shape inference.
        for vi, (n, a) in zip(inferred.graph.output, out_arrays):
            dims = [d.dim_value if d.HasField("dim_value") else None
                    for d in vi.type.tensor_type.shape.dim]
            assert dims == list(a.shape), (name, n, dims, a.shape)
        data = model.SerializeToString()
        assert len(data) < MAX_MODEL_BYTES, (name, len(data))
        for _, a in out_arrays:
            assert np.all(np.isfinite(a)), name

        fname = name + ".onnx"
        with open(os.path.join(self.outdir, fname), "wb") as f:
            f.write(data)
        ent = {"model": fname, "inputs": [], "outputs": []}
        for k, (n, a) in enumerate(inputs):
            fn = "%s.in%d.bin" % (name, k)
            with open(os.path.join(self.outdir, fn), "wb") as f:
                f.write(np.ascontiguousarray(stored(a)).tobytes())
            ent["inputs"].append({"name": n, "shape": list(a.shape),
                                  "dtype": str(stored(a).dtype), "file": fn})
        for k, (n, a) in enumerate(out_arrays):
            fn = "%s.out%d.bin" % (name, k)
            with open(os.path.join(self.outdir, fn), "wb") as f:
                f.write(np.ascontiguousarray(a).tobytes())
            ent["outputs"].append({"name": n, "shape": list(a.shape), "dtype": str(a.dtype),
                                   "file": fn})
        self.entries.append(ent)

    def write_manifest(self):
        man = {
            "generator": "edge-aotc test/e2e/make_models.py (onnx %s helper API); "
                         "input[i] = sin(0.37*i + 1.3*k) for input k (some models scale it or "
                         "use abs()+0.1), weights np.random.RandomState(seed)" % onnx.__version__,
            "reference": "numpy",
            "models": self.entries,
        }
        with open(os.path.join(self.outdir, "manifest.json"), "w") as f:
            json.dump(man, f, indent=1)
            f.write("\n")


N = helper.make_node
I64 = lambda v: np.asarray(v, dtype=np.int64)  # noqa: E731
F32 = lambda v: np.asarray(v, dtype=np.float32)  # noqa: E731


# --------------------------------------------------------------------------
# Model families
# --------------------------------------------------------------------------

def conv_models(B):
    def conv(name, xshape, wshape, bias=True, seed=1, opset=13, ref_kw=None, **attrs):
        x = sin_input(0, xshape)
        w = randw(seed, wshape)
        inits = {"w": w}
        ins = ["x", "w"]
        b = None
        if bias:
            b = randw(seed + 100, [wshape[0]])
            inits["b"] = b
            ins.append("b")
        rk = dict(ref_kw or {})
        for k in ("strides", "pads", "dilations", "group"):
            if k in attrs and k not in rk:
                rk[k] = attrs[k]
        if "auto_pad" in attrs:
            rk["pads"] = auto_pad_pads(xshape[2:], wshape[2:], rk.get("strides", (1, 1)),
                                       rk.get("dilations", (1, 1)), attrs["auto_pad"])
        y = ref_conv2d(x, w, b, **rk)
        node = N("Conv", ins, ["y"], kernel_shape=list(wshape[2:]), **attrs)
        B.add(name, [node], [("x", x)], [("y", y)], inits, opset=opset)

    conv("conv_3x3_bias", [1, 3, 8, 8], [4, 3, 3, 3], seed=1)
    conv("conv_pads_strides", [1, 3, 9, 10], [4, 3, 3, 3], seed=2,
         pads=[1, 2, 1, 2], strides=[2, 1])
    conv("conv_dilations", [1, 3, 10, 10], [4, 3, 3, 3], seed=3,
         dilations=[2, 1], pads=[2, 1, 2, 1])
    for mode in ("SAME_UPPER", "SAME_LOWER", "VALID"):
        conv("conv_autopad_%s" % mode.lower(), [1, 3, 8, 9], [4, 3, 3, 3], seed=4,
             opset=11, auto_pad=mode, strides=[2, 2])
    conv("conv_group2", [2, 4, 6, 6], [6, 2, 3, 3], seed=5, group=2, pads=[1, 1, 1, 1])
    conv("conv_depthwise", [1, 4, 6, 6], [4, 1, 3, 3], seed=6, group=4, pads=[1, 1, 1, 1])
    conv("conv_depthwise_mult2", [1, 4, 6, 6], [8, 1, 3, 3], seed=7, group=4,
         pads=[1, 1, 1, 1], strides=[2, 2])
    conv("conv_1x1_nobias", [1, 8, 5, 5], [4, 8, 1, 1], bias=False, seed=8)
    # Depthwise rows of several vectors with tails: each kh loads a row's
    # blocks once and every kw tap is a lane shift across two blocks
    # (stride 2: of their even/odd phases); dilation shifts by 2 per tap.
    conv("conv_depthwise_5x5_s2_wide", [1, 3, 13, 41], [3, 1, 5, 5], seed=20,
         group=3, strides=[2, 2], pads=[2, 2, 2, 2])
    conv("conv_depthwise_3x3_dil2_wide", [1, 2, 9, 37], [2, 1, 3, 3], seed=21,
         group=2, dilations=[2, 2], pads=[2, 2, 2, 2])
    conv("conv_depthwise_3x3_s2_rows", [2, 4, 12, 18], [4, 1, 3, 3], seed=22,
         group=4, strides=[2, 2], pads=[1, 1, 1, 1])
    # 10 output channels: a full channel block and a partial one on every
    # target (6+4, 8+2, 7+3) with the weights packed per block; 20 columns
    # take rows in groups whose vectors mix rows.
    conv("conv_channel_tail", [1, 5, 12, 20], [10, 5, 3, 3], seed=14,
         pads=[1, 1, 1, 1])
    conv("conv_channel_tail_s2_dil", [1, 5, 13, 21], [10, 5, 3, 3], seed=15,
         strides=[2, 2], dilations=[2, 2], pads=[2, 2, 2, 2])
    # Rows narrower than half a vector (x86-64-v3: 8 lanes): the channel-
    # vector kernel with weights repacked at compile time; also without bias.
    conv("conv_small_rows_16ch", [2, 16, 3, 4], [16, 16, 3, 3], seed=10,
         pads=[1, 1, 1, 0])
    conv("conv_small_rows_nobias_s2", [1, 8, 7, 7], [24, 8, 3, 3], bias=False,
         seed=12, strides=[2, 2], pads=[1, 1, 1, 1])
    # A residual block's second conv: bias, the residual add and the ReLU
    # in the kernel's epilogue. 13 columns fill 13 of 16 lanes (x86-64-v3:
    # 2 vectors of 8), so the channel-vector kernel takes it and gathers the
    # residual for its epilogue.
    x = sin_input(0, [1, 16, 13, 13])
    w = randw(16, [16, 16, 3, 3])
    b = randw(116, [16])
    y = np.maximum(ref_conv2d(x, w, b, pads=(1, 1, 1, 1)) + f64(x), 0)
    B.add("conv_residual_relu",
          [N("Conv", ["x", "w", "b"], ["c"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
           N("Add", ["c", "x"], ["s"]), N("Relu", ["s"], ["y"])],
          [("x", x)], [("y", y)], {"w": w, "b": b})
    # A SqueezeNet fire module: squeeze 1x1, then 1x1 and 3x3 expands written
    # into the two channel halves of their concat (a 1x1 over a channel slice
    # still runs over H*W as one row).
    x = sin_input(1, [1, 16, 13, 13])
    ws, bs = randw(17, [8, 16, 1, 1]), randw(117, [8])
    w1, b1 = randw(18, [16, 8, 1, 1]), randw(118, [16])
    w3, b3 = randw(19, [16, 8, 3, 3]), randw(119, [16])
    sq = np.maximum(ref_conv2d(x, ws, bs), 0)
    e1 = np.maximum(ref_conv2d(sq, w1, b1), 0)
    e3 = np.maximum(ref_conv2d(sq, w3, b3, pads=(1, 1, 1, 1)), 0)
    B.add("fire_concat",
          [N("Conv", ["x", "ws", "bs"], ["s0"], kernel_shape=[1, 1]),
           N("Relu", ["s0"], ["s"]),
           N("Conv", ["s", "w1", "b1"], ["a0"], kernel_shape=[1, 1]),
           N("Relu", ["a0"], ["a"]),
           N("Conv", ["s", "w3", "b3"], ["c0"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
           N("Relu", ["c0"], ["c"]),
           N("Concat", ["a", "c"], ["y"], axis=1)],
          [("x", x)], [("y", np.concatenate([e1, e3], axis=1))],
          {"ws": ws, "bs": bs, "w1": w1, "b1": b1, "w3": w3, "b3": b3})
    # Stride 2, 72 taps, 9 output columns (2 vectors of 8 for 9 values):
    # the channel kernel's cost model wins, reading every other column.
    conv("conv_s2_channel_kernel", [1, 8, 18, 18], [16, 8, 3, 3], seed=23,
         strides=[2, 2], pads=[1, 1, 1, 1])
    # Flat rows: two 3x3 convolutions over 10x10 (padded rows of 12), the
    # first writing into the second's padded input (same pitch: one store
    # per vector), the second adding the input back (a residual read and an
    # output written with rows of 10: a vector crossing a row end is loaded
    # and stored once per row).
    x = sin_input(2, [1, 8, 10, 10])
    w1, b1 = randw(24, [8, 8, 3, 3]), randw(124, [8])
    w2, b2 = randw(25, [8, 8, 3, 3]), randw(125, [8])
    h = np.maximum(ref_conv2d(x, w1, b1, pads=(1, 1, 1, 1)), 0)
    y = np.maximum(ref_conv2d(h, w2, b2, pads=(1, 1, 1, 1)) + f64(x), 0)
    B.add("conv_chain_flat_rows",
          [N("Conv", ["x", "w1", "b1"], ["c1"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
           N("Relu", ["c1"], ["h"]),
           N("Conv", ["h", "w2", "b2"], ["c2"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
           N("Add", ["c2", "x"], ["s"]), N("Relu", ["s"], ["y"])],
          [("x", x)], [("y", y)], {"w1": w1, "b1": b1, "w2": w2, "b2": b2})
    # Flat rows with dilation (taps 2 apart: rows of 15 for 11 outputs) and
    # with a 1x3 kernel (padding on the columns only).
    conv("conv_flat_rows_dilated", [1, 4, 11, 11], [6, 4, 3, 3], seed=26,
         dilations=[2, 2], pads=[2, 2, 2, 2])
    conv("conv_flat_rows_1x3", [1, 6, 9, 13], [8, 6, 1, 3], seed=27,
         pads=[0, 1, 0, 1])
    # Flat rows shorter than a vector (x86: rows of 3 in a pitch of 5): a
    # vector spans three rows, and parts that start before the group's
    # first output are shifted down.
    conv("conv_flat_rows_short", [1, 4, 5, 3], [6, 4, 3, 3], seed=28,
         pads=[1, 1, 1, 1])
    # pads order is [h_begin, w_begin, h_end, w_end]
    conv("conv_5x5_s2_asym_pads", [1, 2, 11, 11], [3, 2, 5, 5], seed=9,
         strides=[2, 2], pads=[0, 1, 1, 2])
    # Stride-2 convolutions with rows of at least a vector (x86: 16 lanes
    # with -mcpu=native, 8 otherwise) run as one stride-1 convolution over
    # the input's four stride phases (edge-split-strided-conv; at least 64
    # taps per output, C x KH x KW): a padded
    # 3x3 read unpadded (planes zero around it) with a ReLU in the kernel;
    # odd sizes and asymmetric pads (the planes' last rows and columns lie
    # past the input: zeros, read by no tap); an RGB 7x7 (4x4, 4x3, 3x4, 3x3
    # taps per phase); an unpadded 2x2 (whole strided copies).
    x = sin_input(2, [1, 8, 34, 36])
    w = randw(29, [12, 8, 3, 3])
    b = randw(129, [12])
    y = np.maximum(ref_conv2d(x, w, b, strides=(2, 2), pads=(1, 1, 1, 1)), 0)
    B.add("conv_s2_phases_relu",
          [N("Conv", ["x", "w", "b"], ["c"], kernel_shape=[3, 3], strides=[2, 2],
             pads=[1, 1, 1, 1]), N("Relu", ["c"], ["y"])],
          [("x", x)], [("y", y)], {"w": w, "b": b})
    conv("conv_s2_phases_odd", [1, 3, 35, 37], [5, 3, 5, 5], seed=30,
         strides=[2, 2], pads=[2, 1, 1, 2])
    conv("conv_s2_phases_7x7", [1, 3, 40, 38], [8, 3, 7, 7], seed=31,
         strides=[2, 2], pads=[3, 3, 3, 3])
    conv("conv_s2_phases_unpadded", [2, 16, 36, 35], [6, 16, 2, 2], bias=False,
         seed=32, strides=[2, 2])
    # Taps zero for every output channel over runs of input channels (a
    # pruned kernel): channels 0-2 keep all 9 taps, 3-5 the middle row only,
    # 6-7 the centre: three loops, the zero taps not emitted.
    w = randw(33, [10, 8, 3, 3])
    w[:, 3:6, 0, :] = 0
    w[:, 3:6, 2, :] = 0
    w[:, 6:8] = 0
    w[:, 6:8, 1, 1] = randw(34, [10, 2])
    x = sin_input(3, [1, 8, 12, 21])
    b = randw(133, [10])
    B.add("conv_pruned_taps",
          [N("Conv", ["x", "w", "b"], ["y"], kernel_shape=[3, 3], pads=[1, 1, 1, 1])],
          [("x", x)], [("y", ref_conv2d(x, w, b, pads=(1, 1, 1, 1)))],
          {"w": w, "b": b})
    # An all-zero bias (as exported in squeezenet1_1): constant folding makes
    # the output's initialisation a splat, which the kernel still fuses.
    x = sin_input(4, [1, 4, 10, 19])
    w = randw(36, [6, 4, 3, 3])
    b = np.zeros([6], np.float32)
    B.add("conv_zero_bias",
          [N("Conv", ["x", "w", "b"], ["y"], kernel_shape=[3, 3], pads=[1, 1, 1, 1])],
          [("x", x)], [("y", ref_conv2d(x, w, b, pads=(1, 1, 1, 1)))],
          {"w": w, "b": b})
    # A 3x1 kernel over unpadded columns: the input plane's pitch is the
    # output's width, so flat rows are one contiguous run.
    conv("conv_flat_rows_3x1", [1, 6, 11, 19], [7, 6, 3, 1], seed=35,
         pads=[1, 0, 1, 0])


def gemm_models(B):
    a = sin_input(0, [3, 5])
    bw = randw(11, [4, 5])
    c = randw(12, [4])
    B.add("gemm_transb_bias1d", [N("Gemm", ["a", "b", "c"], ["y"], transB=1)],
          [("a", a)], [("y", ref_gemm(a, bw, c, transB=1))], {"b": bw, "c": c})

    a = sin_input(0, [5, 3])
    bw = randw(13, [5, 4])
    c = randw(14, [3, 4])
    B.add("gemm_transa_alpha_beta",
          [N("Gemm", ["a", "b", "c"], ["y"], transA=1, alpha=0.5, beta=2.0)],
          [("a", a)], [("y", ref_gemm(a, bw, c, alpha=0.5, beta=2.0, transA=1))],
          {"b": bw, "c": c})

    a = sin_input(0, [3, 5])
    bw = randw(15, [5, 4])
    B.add("gemm_no_c", [N("Gemm", ["a", "b"], ["y"])],
          [("a", a)], [("y", ref_gemm(a, bw))], {"b": bw})


def matmul_models(B):
    a = sin_input(0, [2, 3, 4, 5])
    w = randw(21, [5, 6])
    B.add("matmul_batch_bcast", [N("MatMul", ["a", "w"], ["y"])],
          [("a", a)], [("y", f64(a) @ f64(w))], {"w": w})

    a = sin_input(0, [4, 5])
    w = randw(22, [5, 3])
    B.add("matmul_2d", [N("MatMul", ["a", "w"], ["y"])],
          [("a", a)], [("y", f64(a) @ f64(w))], {"w": w})

    a = sin_input(0, [3, 4, 5])
    b = sin_input(1, [1, 5, 2])
    B.add("matmul_3d_bcast_two_inputs", [N("MatMul", ["a", "b"], ["y"])],
          [("a", a), ("b", b)], [("y", np.matmul(f64(a), f64(b)))])


def binary_models(B):
    fns = {"Add": np.add, "Sub": np.subtract, "Mul": np.multiply, "Div": np.divide}
    for op, fn in fns.items():
        lo = op.lower()
        x = sin_input(0, [1, 3, 4, 4])
        c = randw(31, [3, 1, 1])
        if op == "Div":
            c = (np.abs(c) + 0.5).astype(np.float32) * np.sign(c + 1e-3).astype(np.float32)
        B.add("%s_bcast_chan" % lo, [N(op, ["x", "c"], ["y"])],
              [("x", x)], [("y", fn(f64(x), f64(c)))], {"c": c})

        x = sin_input(0, [2, 3])
        s = F32([0.75]) if op != "Sub" else F32([-1.25])
        B.add("%s_scalar1" % lo, [N(op, ["x", "s"], ["y"])],
              [("x", x)], [("y", fn(f64(x), f64(s)))], {"s": s})

    # Non-commutative op with the broadcast operand first.
    x = sin_input(0, [1, 3, 4, 4])
    c = randw(32, [3, 1, 1])
    B.add("sub_bcast_rev", [N("Sub", ["c", "x"], ["y"])],
          [("x", x)], [("y", f64(c) - f64(x))], {"c": c})
    xd = sin_input(0, [1, 3, 4, 4], positive=True)
    B.add("div_bcast_rev", [N("Div", ["c", "x"], ["y"])],
          [("x", xd)], [("y", f64(c) / f64(xd))], {"c": c})
    # Both operands are graph inputs, both broadcast: [2,3,4] * [3,1] -> [2,3,4]
    a = sin_input(0, [2, 3, 4])
    b = sin_input(1, [3, 1])
    B.add("mul_two_inputs_bcast", [N("Mul", ["a", "b"], ["y"])],
          [("a", a), ("b", b)], [("y", f64(a) * f64(b))])
    a = sin_input(0, [2, 1, 4])
    b = sin_input(1, [3, 1])
    B.add("add_two_inputs_bcast_both", [N("Add", ["a", "b"], ["y"])],
          [("a", a), ("b", b)], [("y", f64(a) + f64(b))])

    # Pow
    x = sin_input(0, [1, 3, 4, 4])
    B.add("pow_const_exp2", [N("Pow", ["x", "e"], ["y"])],
          [("x", x)], [("y", f64(x) ** 2.0)], {"e": F32(2.0)})
    x = sin_input(0, [1, 3, 4, 4], positive=True)
    e = np.random.RandomState(33).uniform(-1.5, 2.5, size=[3, 1, 1]).astype(np.float32)
    B.add("pow_tensor_exp_bcast", [N("Pow", ["x", "e"], ["y"])],
          [("x", x)], [("y", f64(x) ** f64(e))], {"e": e})
    a = sin_input(0, [2, 3, 4], positive=True)
    b = sin_input(1, [2, 3, 4], scale=2.0)
    B.add("pow_two_inputs", [N("Pow", ["a", "b"], ["y"])],
          [("a", a), ("b", b)], [("y", f64(a) ** f64(b))])


def activation_models(B):
    shp = [1, 3, 4, 4]

    def unary(name, node, x, y, inits=None, opset=13):
        B.add(name, [node], [("x", x)], [("y", y)], inits, opset=opset)

    x = sin_input(0, shp)
    unary("relu", N("Relu", ["x"], ["y"]), x, np.maximum(f64(x), 0))
    unary("leakyrelu_0p1", N("LeakyRelu", ["x"], ["y"], alpha=0.1), x,
          np.where(f64(x) >= 0, f64(x), 0.1 * f64(x)))

    x = sin_input(0, shp, scale=2.0)
    lo, hi = F32(-0.5), F32(1.25)
    unary("clip13_min_max_init", N("Clip", ["x", "lo", "hi"], ["y"]), x,
          np.clip(f64(x), -0.5, 1.25), {"lo": lo, "hi": hi})
    # min/max produced by Constant nodes (as PyTorch exports them)
    B.add("clip13_min_max_constnodes",
          [N("Constant", [], ["lo"], value=numpy_helper.from_array(F32(0.0), "lo")),
           N("Constant", [], ["hi"], value=numpy_helper.from_array(F32(6.0), "hi")),
           N("Clip", ["x", "lo", "hi"], ["y"])],
          [("x", sin_input(0, shp, scale=8.0))],
          [("y", np.clip(f64(sin_input(0, shp, scale=8.0)), 0.0, 6.0))])
    unary("clip13_max_only", N("Clip", ["x", "", "hi"], ["y"]), x,
          np.minimum(f64(x), 1.25), {"hi": hi})
    unary("clip6_attrs", N("Clip", ["x"], ["y"], min=-0.5, max=1.25), x,
          np.clip(f64(x), -0.5, 1.25), opset=6)

    x = sin_input(0, shp, scale=4.0)
    unary("sigmoid", N("Sigmoid", ["x"], ["y"]), x, 1.0 / (1.0 + np.exp(-f64(x))))
    # The far tails (e^-x overflows below -88.7; the reciprocal estimate
    # needs a finite divisor) and SiLU's x * sigmoid(x), 37 values: two
    # vectors and a tail on every target.
    xs = np.array([-3e4, -1000, -100, -88.8, -88.7, -80, -60, -30, -17, -5, -1,
                   -1e-3, 0, 1e-3, 1, 5, 17, 30, 60, 80, 88.8, 100, 1000, 3e4]
                  + list(np.linspace(-9, 9, 13)), np.float32).reshape(1, 37)
    sig = 1.0 / (1.0 + np.exp(-np.clip(f64(xs), -700, 700)))
    B.add("sigmoid_silu_tails",
          [N("Sigmoid", ["x"], ["s"]), N("Mul", ["x", "s"], ["z"])],
          [("x", xs)], [("s", sig), ("z", f64(xs) * sig)])
    unary("tanh", N("Tanh", ["x"], ["y"]), x, np.tanh(f64(x)))
    unary("hardsigmoid", N("HardSigmoid", ["x"], ["y"], alpha=0.2, beta=0.5), x,
          ref_hardsigmoid(x, 0.2, 0.5))
    x = sin_input(0, shp, scale=5.0)
    unary("hardswish", N("HardSwish", ["x"], ["y"]), x, ref_hardswish(x), opset=14)

    x = sin_input(0, shp, positive=True)
    unary("sqrt", N("Sqrt", ["x"], ["y"]), x, np.sqrt(f64(x)))
    x = sin_input(0, shp, scale=2.0)
    unary("exp", N("Exp", ["x"], ["y"]), x, np.exp(f64(x)))


def batchnorm_models(B):
    C = 4
    x = sin_input(0, [2, C, 3, 3], scale=2.0)
    scale = randpos(41, [C])
    bias = randw(42, [C])
    mean = randw(43, [C])
    var = randpos(44, [C], 0.2, 2.0)
    y = ref_batchnorm(x, scale, bias, mean, var, 1e-3)
    inits = {"scale": scale, "bias": bias, "mean": mean, "var": var}
    for opset in (9, 15):
        B.add("batchnorm_opset%d" % opset,
              [N("BatchNormalization", ["x", "scale", "bias", "mean", "var"], ["y"],
                 epsilon=1e-3)],
              [("x", x)], [("y", y)], inits, opset=opset)


def pool_models(B):
    def pool(name, op, xshape, ref_kw, **attrs):
        x = sin_input(0, xshape)
        mode = "max" if op == "MaxPool" else "avg"
        y = ref_pool2d(x, mode, **ref_kw)
        B.add(name, [N(op, ["x"], ["y"], **attrs)], [("x", x)], [("y", y)])

    pool("maxpool_3x3_s2_p1", "MaxPool", [1, 2, 8, 8],
         dict(kernel=(3, 3), strides=(2, 2), pads=(1, 1, 1, 1)),
         kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1])
    pool("maxpool_2x2_s2_ceil_odd", "MaxPool", [1, 2, 7, 7],
         dict(kernel=(2, 2), strides=(2, 2), ceil_mode=1),
         kernel_shape=[2, 2], strides=[2, 2], ceil_mode=1)
    pool("maxpool_3x3_dilations2", "MaxPool", [1, 2, 9, 9],
         dict(kernel=(3, 3), dilations=(2, 2)),
         kernel_shape=[3, 3], dilations=[2, 2])
    for cip in (0, 1):
        pool("avgpool_3x3_s1_p1_cip%d" % cip, "AveragePool", [1, 2, 6, 6],
             dict(kernel=(3, 3), pads=(1, 1, 1, 1), count_include_pad=cip),
             kernel_shape=[3, 3], strides=[1, 1], pads=[1, 1, 1, 1], count_include_pad=cip)
    # ceil_mode: last window (cols/rows 6..8) hangs over the 8-wide input; only the 2 valid
    # elements are averaged (count_include_pad=0).
    pool("avgpool_3x3_s2_ceil", "AveragePool", [1, 2, 8, 8],
         dict(kernel=(3, 3), strides=(2, 2), ceil_mode=1),
         kernel_shape=[3, 3], strides=[2, 2], ceil_mode=1)

    x = sin_input(0, [2, 3, 5, 4])
    B.add("globalavgpool", [N("GlobalAveragePool", ["x"], ["y"])],
          [("x", x)], [("y", f64(x).mean(axis=(2, 3), keepdims=True))])


def nd_window_models(B):
    """1-D and 3-D convolutions and pooling, integer MaxPool, MaxPool indices."""
    def conv(name, xshape, wshape, seed, **attrs):
        n = len(xshape) - 2
        x = sin_input(seed, xshape)
        w = randw(seed, wshape)
        b = randw(seed + 100, [wshape[0]])
        y = ref_convnd(x, w, b, attrs.get("strides", [1] * n), attrs.get("pads", [0] * 2 * n),
                       attrs.get("dilations", [1] * n), attrs.get("group", 1))
        node = N("Conv", ["x", "w", "b"], ["y"], kernel_shape=list(wshape[2:]), **attrs)
        B.add(name, [node], [("x", x)], [("y", y)], {"w": w, "b": b})

    conv("conv1d_group2_s2", [2, 4, 11], [6, 2, 3], 11, group=2, strides=[2], pads=[1, 2])
    conv("conv3d_s2_d2_pads", [1, 3, 7, 8, 9], [4, 3, 3, 2, 3], 12,
         strides=[2, 1, 2], dilations=[1, 2, 2], pads=[1, 0, 1, 1, 1, 0])
    conv("conv3d_depthwise", [1, 4, 5, 5, 5], [4, 1, 3, 3, 3], 13, group=4,
         pads=[1, 1, 1, 1, 1, 1])

    def pool(name, op, xshape, dtype=np.float32, **attrs):
        n = len(xshape) - 2
        x = sin_input(0, xshape)
        if dtype != np.float32:
            x = np.round(x * 100).astype(dtype) if dtype == np.int8 else \
                np.round((x + 1) * 120).astype(dtype)
        mode = "max" if op == "MaxPool" else "avg"
        y, idx = ref_poolnd(x, mode, attrs["kernel_shape"], attrs.get("strides", [1] * n),
                            attrs.get("pads", [0] * 2 * n), attrs.get("dilations"),
                            attrs.get("ceil_mode", 0), attrs.get("count_include_pad", 0))
        outs = [("y", y.astype(dtype) if mode == "max" else y)]
        names = ["y"]
        if name.endswith("_indices"):
            outs.append(("i", idx))
            names.append("i")
        B.add(name, [N(op, ["x"], names, **attrs)], [("x", x)], outs)

    pool("maxpool3d_ceil_dil", "MaxPool", [1, 2, 7, 6, 7], kernel_shape=[2, 3, 2],
         strides=[2, 1, 2], dilations=[1, 1, 2], ceil_mode=1, pads=[0, 1, 0, 0, 1, 0])
    pool("avgpool3d_cip1", "AveragePool", [1, 2, 5, 6, 5], kernel_shape=[3, 2, 3],
         strides=[2, 2, 1], pads=[1, 0, 1, 1, 1, 1], count_include_pad=1)
    pool("avgpool1d_ceil", "AveragePool", [2, 3, 10], kernel_shape=[3], strides=[2],
         ceil_mode=1)
    pool("maxpool2d_int8", "MaxPool", [1, 2, 6, 6], dtype=np.int8, kernel_shape=[3, 3],
         pads=[1, 1, 1, 1], strides=[2, 2])
    pool("maxpool2d_uint8_s1", "MaxPool", [1, 2, 5, 5], dtype=np.uint8, kernel_shape=[2, 2])
    pool("maxpool2d_pads_indices", "MaxPool", [2, 3, 6, 7], kernel_shape=[3, 3],
         strides=[2, 2], pads=[1, 1, 1, 1])
    pool("maxpool3d_indices", "MaxPool", [1, 2, 4, 5, 6], kernel_shape=[2, 2, 3],
         strides=[2, 2, 2])


def shape_op_models(B):
    x = sin_input(0, [2, 3, 4, 5])
    for axis in (1, 2):
        pre = int(np.prod(x.shape[:axis]))
        B.add("flatten_axis%d" % axis, [N("Flatten", ["x"], ["y"], axis=axis)],
              [("x", x)], [("y", f64(x).reshape(pre, -1))])

    B.add("reshape_zero_neg1", [N("Reshape", ["x", "shape"], ["y"])],
          [("x", x)], [("y", f64(x).reshape(2, 3, -1))], {"shape": I64([0, 3, -1])})
    B.add("reshape_neg1_first", [N("Reshape", ["x", "shape"], ["y"])],
          [("x", x)], [("y", f64(x).reshape(-1, 10))], {"shape": I64([-1, 10])})

    B.add("transpose_0231", [N("Transpose", ["x"], ["y"], perm=[0, 2, 3, 1])],
          [("x", x)], [("y", f64(x).transpose(0, 2, 3, 1))])
    B.add("transpose_default_reverse", [N("Transpose", ["x"], ["y"])],
          [("x", x)], [("y", f64(x).transpose())])

    a = sin_input(0, [1, 2, 4, 4])
    b = sin_input(1, [1, 3, 4, 4])
    c = sin_input(2, [1, 1, 4, 4])
    B.add("concat_axis1_three", [N("Concat", ["a", "b", "c"], ["y"], axis=1)],
          [("a", a), ("b", b), ("c", c)], [("y", np.concatenate([a, b, c], axis=1))])
    a = sin_input(0, [2, 3])
    w = randw(51, [2, 4])
    B.add("concat_neg_axis_with_init", [N("Concat", ["a", "w"], ["y"], axis=-1)],
          [("a", a)], [("y", np.concatenate([a, w], axis=-1))], {"w": w})

    x6 = sin_input(0, [1, 6, 4, 4])
    B.add("split13_sizes_2_4", [N("Split", ["x", "split"], ["y0", "y1"], axis=1)],
          [("x", x6)], [("y0", x6[:, :2]), ("y1", x6[:, 2:])], {"split": I64([2, 4])})
    x9 = sin_input(0, [2, 9, 3])
    B.add("split11_equal3", [N("Split", ["x"], ["y0", "y1", "y2"], axis=1)],
          [("x", x9)], [("y0", x9[:, 0:3]), ("y1", x9[:, 3:6]), ("y2", x9[:, 6:9])],
          opset=11)

    # Slice (opset 13, parameters as initializers)
    xs = sin_input(0, [2, 6, 8])
    st, en, ax, sp = [1, 2], [5, INT64_MAX], [1, -1], [1, 2]
    B.add("slice13_negaxis_step_int64max",
          [N("Slice", ["x", "starts", "ends", "axes", "steps"], ["y"])],
          [("x", xs)], [("y", ref_slice(xs, st, en, ax, sp))],
          {"starts": I64(st), "ends": I64(en), "axes": I64(ax), "steps": I64(sp)})
    # Negative steps: axis 2 reversed completely (start -1, end -9 -> clamps to -1),
    # axis 1 start 10 (clamped to 5) down to 0 exclusive with step -2 -> [5, 3, 1].
    st, en, ax, sp = [-1, 10], [-9, 0], [2, 1], [-1, -2]
    B.add("slice13_negative_steps",
          [N("Slice", ["x", "starts", "ends", "axes", "steps"], ["y"])],
          [("x", xs)], [("y", ref_slice(xs, st, en, ax, sp))],
          {"starts": I64(st), "ends": I64(en), "axes": I64(ax), "steps": I64(sp)})
    # Reverse with INT64_MIN end (common "[::-1]" export) on a negative axis.
    st, en, ax, sp = [-1], [INT64_MIN], [-2], [-1]
    B.add("slice13_reverse_int64min",
          [N("Slice", ["x", "starts", "ends", "axes", "steps"], ["y"])],
          [("x", xs)], [("y", ref_slice(xs, st, en, ax, sp))],
          {"starts": I64(st), "ends": I64(en), "axes": I64(ax), "steps": I64(sp)})
    # Only starts/ends (axes default to 0..n-1, steps 1), negative start.
    st, en = [0, -4, 1], [1, 100, -1]
    B.add("slice13_starts_ends_only", [N("Slice", ["x", "starts", "ends"], ["y"])],
          [("x", xs)], [("y", ref_slice(xs, st, en))],
          {"starts": I64(st), "ends": I64(en)})

    # Squeeze / Unsqueeze
    xq = sin_input(0, [1, 3, 1, 4])
    B.add("squeeze13_axes_input", [N("Squeeze", ["x", "axes"], ["y"])],
          [("x", xq)], [("y", f64(xq).reshape(3, 4))], {"axes": I64([0, -2])})
    B.add("squeeze11_attr", [N("Squeeze", ["x"], ["y"], axes=[2])],
          [("x", xq)], [("y", f64(xq).reshape(1, 3, 4))], opset=11)
    B.add("squeeze13_no_axes", [N("Squeeze", ["x"], ["y"])],
          [("x", xq)], [("y", f64(xq).reshape(3, 4))])
    xu = sin_input(0, [3, 4])
    # Unsqueeze axes refer to the OUTPUT rank (4): 0 and -1 -> [1,3,4,1]
    B.add("unsqueeze13_axes_input", [N("Unsqueeze", ["x", "axes"], ["y"])],
          [("x", xu)], [("y", f64(xu).reshape(1, 3, 4, 1))], {"axes": I64([0, -1])})
    B.add("unsqueeze11_attr", [N("Unsqueeze", ["x"], ["y"], axes=[1])],
          [("x", xu)], [("y", f64(xu).reshape(3, 1, 4))], opset=11)

    # Softmax
    xs3 = sin_input(0, [2, 3, 5], scale=3.0)
    B.add("softmax13_axis_neg1", [N("Softmax", ["x"], ["y"], axis=-1)],
          [("x", xs3)], [("y", ref_softmax(xs3, -1))])
    B.add("softmax13_axis1", [N("Softmax", ["x"], ["y"], axis=1)],
          [("x", xs3)], [("y", ref_softmax(xs3, 1))])
    # opset 11: axis=1 on rank 3 => softmax over the flattened [3*5] trailing block.
    B.add("softmax11_axis1_rank3", [N("Softmax", ["x"], ["y"], axis=1)],
          [("x", xs3)], [("y", ref_softmax_v11(xs3, 1))], opset=11)

    # Constant / Identity / Dropout
    xc = sin_input(0, [1, 3, 4, 4])
    cval = randw(52, [3, 1, 1])
    B.add("constant_tensor_add",
          [N("Constant", [], ["c"], value=numpy_helper.from_array(cval, "c")),
           N("Add", ["x", "c"], ["y"])],
          [("x", xc)], [("y", f64(xc) + f64(cval))])
    B.add("constant_value_float_mul",
          [N("Constant", [], ["c"], value_float=1.5),
           N("Mul", ["x", "c"], ["y"])],
          [("x", xc)], [("y", f64(xc) * 1.5)])
    B.add("identity", [N("Identity", ["x"], ["y"])], [("x", xc)], [("y", xc)])
    B.add("identity_chain_relu",
          [N("Identity", ["x"], ["t"]), N("Relu", ["t"], ["u"]), N("Identity", ["u"], ["y"])],
          [("x", xc)], [("y", np.maximum(f64(xc), 0))])
    B.add("dropout13_inference", [N("Dropout", ["x"], ["y"])],
          [("x", xc)], [("y", xc)])
    B.add("dropout13_ratio_input", [N("Dropout", ["x", "ratio"], ["y"])],
          [("x", xc)], [("y", xc)], {"ratio": F32(0.3)})

    # ReduceMean (opset 13: axes attribute)
    xr = sin_input(0, [2, 3, 4, 5])
    for kd in (1, 0):
        B.add("reducemean_axes23_keepdims%d" % kd,
              [N("ReduceMean", ["x"], ["y"], axes=[2, 3], keepdims=kd)],
              [("x", xr)], [("y", f64(xr).mean(axis=(2, 3), keepdims=bool(kd)))])
    B.add("reducemean_neg_axis_keepdims1",
          [N("ReduceMean", ["x"], ["y"], axes=[-1])],
          [("x", xr)], [("y", f64(xr).mean(axis=-1, keepdims=True))])


def composite_models(B):
    # ---- mixed CNN ---------------------------------------------------------
    x = sin_input(0, [1, 3, 16, 16])
    w1 = randw(61, [8, 3, 3, 3])
    b1 = randw(62, [8], 0.1)
    bn_s, bn_b = randpos(63, [8]), randw(64, [8], 0.1)
    bn_m, bn_v = randw(65, [8], 0.1), randpos(66, [8], 0.3, 1.5)
    w2 = randw(67, [8, 1, 3, 3], 0.5)
    b2 = randw(68, [8], 0.1)
    wf = randw(69, [5, 8], 0.8)
    bf = randw(70, [5], 0.1)
    inits = {"w1": w1, "b1": b1, "bn_s": bn_s, "bn_b": bn_b, "bn_m": bn_m, "bn_v": bn_v,
             "w2": w2, "b2": b2, "wf": wf, "bf": bf}
    nodes = [
        N("Conv", ["x", "w1", "b1"], ["c1"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        N("BatchNormalization", ["c1", "bn_s", "bn_b", "bn_m", "bn_v"], ["bn"], epsilon=1e-3),
        N("Relu", ["bn"], ["r1"]),
        N("MaxPool", ["r1"], ["p1"], kernel_shape=[2, 2], strides=[2, 2]),
        N("Conv", ["p1", "w2", "b2"], ["c2"], kernel_shape=[3, 3], pads=[1, 1, 1, 1], group=8),
        N("HardSwish", ["c2"], ["h2"]),
        N("Add", ["h2", "p1"], ["res"]),
        N("GlobalAveragePool", ["res"], ["gap"]),
        N("Flatten", ["gap"], ["flat"], axis=1),
        N("Gemm", ["flat", "wf", "bf"], ["logits"], transB=1),
        N("Softmax", ["logits"], ["y"], axis=-1),
    ]
    c1 = ref_conv2d(x, w1, b1, pads=(1, 1, 1, 1))
    r1 = np.maximum(ref_batchnorm(c1, bn_s, bn_b, bn_m, bn_v, 1e-3), 0)
    p1 = ref_pool2d(r1, "max", (2, 2), strides=(2, 2))
    c2 = ref_conv2d(p1, w2, b2, pads=(1, 1, 1, 1), group=8)
    res = ref_hardswish(c2) + p1
    flat = res.mean(axis=(2, 3))
    logits = ref_gemm(flat, wf, bf, transB=1)
    y = ref_softmax(logits, -1)
    B.add("mixed_cnn", nodes, [("x", x)], [("y", y)], inits, opset=14)

    # ---- two inputs, two outputs ------------------------------------------
    # Nodes are deliberately listed so that y2 is computed before y1, and the
    # second input is consumed first; output shapes differ so mix-ups are visible.
    a = sin_input(0, [2, 4])
    b = sin_input(1, [4])
    w = randw(71, [4, 3])
    nodes = [
        N("MatMul", ["a", "w"], ["y2"]),
        N("Relu", ["a"], ["ra"]),
        N("Add", ["b", "ra"], ["y1"]),
    ]
    B.add("two_in_two_out", nodes, [("a", a), ("b", b)],
          [("y1", np.maximum(f64(a), 0) + f64(b)), ("y2", f64(a) @ f64(w))], {"w": w})

    # ---- PyTorch-style shape subgraph (x.view(x.size(0), -1)) ---------------
    x = sin_input(0, [2, 3, 4])
    nodes = [
        N("Shape", ["x"], ["shp"]),
        N("Constant", [], ["idx0"], value=numpy_helper.from_array(I64(0), "idx0")),
        N("Gather", ["shp", "idx0"], ["d0"], axis=0),
        N("Constant", [], ["ax0"], value=numpy_helper.from_array(I64([0]), "ax0")),
        N("Unsqueeze", ["d0", "ax0"], ["d0u"]),
        N("Constant", [], ["neg1"], value=numpy_helper.from_array(I64([-1]), "neg1")),
        N("Concat", ["d0u", "neg1"], ["newshape"], axis=0),
        N("Reshape", ["x", "newshape"], ["y"]),
    ]
    B.add("shape_gather_reshape", nodes, [("x", x)], [("y", f64(x).reshape(2, -1))])

    # ---- ShuffleNet channel shuffle (groups=2) -----------------------------
    x = sin_input(0, [1, 6, 3, 3])
    nodes = [
        N("Reshape", ["x", "s5"], ["r5"]),
        N("Transpose", ["r5"], ["t5"], perm=[0, 2, 1, 3, 4]),
        N("Reshape", ["t5", "s4"], ["y"]),
    ]
    y = f64(x).reshape(1, 2, 3, 3, 3).transpose(0, 2, 1, 3, 4).reshape(1, -1, 3, 3)
    B.add("channel_shuffle", nodes, [("x", x)], [("y", y)],
          {"s5": I64([1, 2, 3, 3, 3]), "s4": I64([1, -1, 3, 3])})


def main():
    if len(sys.argv) != 2:
        sys.stderr.write("usage: %s OUTDIR\n" % sys.argv[0])
        return 2
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    B = Builder(outdir)
    conv_models(B)
    nd_window_models(B)
    gemm_models(B)
    matmul_models(B)
    binary_models(B)
    activation_models(B)
    batchnorm_models(B)
    pool_models(B)
    shape_op_models(B)
    composite_models(B)
    B.write_manifest()
    print("wrote %d models to %s" % (len(B.entries), outdir))
    return 0


if __name__ == "__main__":
    sys.exit(main())
