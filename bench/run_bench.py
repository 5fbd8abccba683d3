#!/usr/bin/python3
"""edge-aotc benchmark: edge-aotc's emitted code against ONNX Runtime, one
thread each, same input, same run.

For every model (default: every *.onnx in ../shared/models next to the repo),
this compiles the model with edge-aotc for the host (-mcpu=native), links the
object with bench/timer.cpp and times net_run in process (warm-up runs, then
N >= 30 timed runs; median and minimum). In the same run it times ONNX Runtime
(onnxruntime-node, intra-op and inter-op threads 1, sequential execution) on
the same input files, compares the two outputs (max abs difference), counts
the model's FLOPs from the ONNX graph and measures the host's single-core FMA
peak (bench/fma_peak.c), and prints a markdown table; it also writes the
table as markdown and JSON.

  /usr/bin/python3 bench/run_bench.py                       # all models
  /usr/bin/python3 bench/run_bench.py --models a.onnx,b.onnx --runs 50
  /usr/bin/python3 bench/run_bench.py --per-layer ../shared/models/resnet18.onnx
  /usr/bin/python3 bench/run_bench.py --mca         # llvm-mca kernel table only

The full run (no --models, --per-layer or --mca) also prints the llvm-mca
micro-kernel table of bench/mca.py (cortex-a76, sifive-x280, znver4), written
to build/bench/mca.md and .json (--no-mca skips it).

See bench/README.md. This is a program that prints numbers; nothing in it
asserts a time.
"""

import argparse
import copy
import datetime
import glob
import json
import math
import os
import platform
import re
import shlex
import shutil
import subprocess
import sys
import time

import numpy

# Debian's onnx 1.12 still refers to these removed numpy aliases.
numpy.float, numpy.int, numpy.bool, numpy.object = float, int, bool, object

import onnx  # noqa: E402
from onnx import helper, numpy_helper, shape_inference  # noqa: E402

BENCH = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(BENCH)
DEFAULT_MODELS = os.path.normpath(os.path.join(REPO, "..", "shared", "models"))
DEFAULT_OUT = os.path.join(REPO, "build", "bench")
README = os.path.join(BENCH, "README.md")

FLOP_OPS = ("Conv", "ConvTranspose", "Gemm", "MatMul")

NP_TYPES = {
    onnx.TensorProto.FLOAT: ("float32", numpy.float32),
    onnx.TensorProto.DOUBLE: ("float64", numpy.float64),
    onnx.TensorProto.INT64: ("int64", numpy.int64),
    onnx.TensorProto.INT32: ("int32", numpy.int32),
    onnx.TensorProto.INT16: ("int16", numpy.int16),
    onnx.TensorProto.INT8: ("int8", numpy.int8),
    onnx.TensorProto.UINT8: ("uint8", numpy.uint8),
    onnx.TensorProto.UINT16: ("uint16", numpy.uint16),
    onnx.TensorProto.BOOL: ("bool", numpy.bool_),
}


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- shapes ---

def _attr(node, name, default=None):
    for a in node.attribute:
        if a.name == name:
            return helper.get_attribute_value(a)
    return default


def _constant_value(node):
    for a in node.attribute:
        if a.name == "value":
            return numpy_helper.to_array(a.t)
        if a.name == "value_float":
            return numpy.array(a.f, numpy.float32)
        if a.name == "value_floats":
            return numpy.array(list(a.floats), numpy.float32)
        if a.name == "value_int":
            return numpy.array(a.i, numpy.int64)
        if a.name == "value_ints":
            return numpy.array(list(a.ints), numpy.int64)
    return None


def _eval_node(node, vals, shapes):
    """The outputs of a shape-computing node whose inputs are all known, as
    numpy arrays, or None. Covers what exporters put in front of Reshape and
    Slice (Shape, Gather, arithmetic, Concat, Unsqueeze, ...)."""
    op = node.op_type
    ins = list(node.input)
    if op == "Constant":
        v = _constant_value(node)
        return None if v is None else [v]
    if op == "Shape":
        s = shapes.get(ins[0])
        if s is None:
            return None
        start, end = _attr(node, "start", 0), _attr(node, "end", None)
        return [numpy.array(s[start:end] if end is not None else s[start:],
                            numpy.int64)]
    if op == "Size":
        s = shapes.get(ins[0])
        return None if s is None else [numpy.array(int(numpy.prod(s)), numpy.int64)]
    if any(i and i not in vals for i in ins):
        return None
    x = [vals[i] if i else None for i in ins]
    if op == "Identity":
        return [x[0]]
    if op == "Cast":
        to = _attr(node, "to")
        return [x[0].astype(NP_TYPES[to][1])] if to in NP_TYPES else None
    if op == "Gather":
        return [numpy.take(x[0], x[1], axis=_attr(node, "axis", 0))]
    if op in ("Add", "Sub", "Mul"):
        f = {"Add": numpy.add, "Sub": numpy.subtract, "Mul": numpy.multiply}[op]
        return [f(x[0], x[1]).astype(x[0].dtype)]
    if op == "Div":
        if numpy.issubdtype(x[0].dtype, numpy.integer):
            return [numpy.trunc(x[0] / x[1]).astype(x[0].dtype)]
        return [(x[0] / x[1]).astype(x[0].dtype)]
    if op == "Concat":
        return [numpy.concatenate([numpy.atleast_1d(v) for v in x],
                                  axis=_attr(node, "axis", 0))]
    if op in ("Unsqueeze", "Squeeze"):
        axes = _attr(node, "axes")
        if axes is None and len(x) > 1 and x[1] is not None:
            axes = [int(a) for a in x[1]]
        v = x[0]
        if op == "Squeeze":
            return [numpy.squeeze(v, axis=tuple(axes) if axes else None)]
        out_rank = v.ndim + len(axes)
        for a in sorted(a % out_rank for a in axes):
            v = numpy.expand_dims(v, a)
        return [v]
    if op == "Slice":
        starts, ends = x[1], x[2]
        axes = x[3] if len(x) > 3 and x[3] is not None else range(len(starts))
        steps = x[4] if len(x) > 4 and x[4] is not None else [1] * len(starts)
        sl = [slice(None)] * x[0].ndim
        for s, e, a, st in zip(starts, ends, axes, steps):
            sl[int(a)] = slice(int(s), int(e), int(st))
        return [x[0][tuple(sl)]]
    if op == "Reshape":
        shape = [int(d) for d in x[1]]
        shape = [x[0].shape[i] if d == 0 else d for i, d in enumerate(shape)]
        return [x[0].reshape(shape)]
    if op == "Range":
        return [numpy.arange(x[0], x[1], x[2]).astype(x[0].dtype)]
    if op == "ConstantOfShape":
        fill = _attr(node, "value")
        fill = numpy_helper.to_array(fill) if fill is not None else numpy.zeros(1, numpy.float32)
        return [numpy.full([int(d) for d in x[0]], fill.reshape(-1)[0], fill.dtype)]
    return None


def _known_shapes(model):
    shapes, types = {}, {}
    g = model.graph
    for v in list(g.input) + list(g.value_info) + list(g.output):
        tt = v.type.tensor_type
        if not tt.HasField("shape"):
            continue
        dims = [d.dim_value if d.HasField("dim_value") else None
                for d in tt.shape.dim]
        types[v.name] = tt.elem_type
        if all(d is not None for d in dims):
            shapes[v.name] = dims
    for init in g.initializer:
        shapes[init.name] = list(init.dims)
        types[init.name] = init.data_type
    return shapes, types


def fold_shapes(model, max_rounds=20):
    """Shape inference that also folds shape subgraphs (Shape -> Gather ->
    Div -> Slice ...) into initializers, since onnx's own inference leaves
    the output of such a Reshape or Slice unknown. Returns the folded,
    inferred model and the shapes and element types of its values."""
    m = copy.deepcopy(model)
    for _ in range(max_rounds):
        m = shape_inference.infer_shapes(m)
        shapes, _ = _known_shapes(m)
        vals = {i.name: numpy_helper.to_array(i) for i in m.graph.initializer}
        nodes = list(m.graph.node)
        folded = set()
        for idx, node in enumerate(nodes):
            try:
                out = _eval_node(node, vals, shapes)
            except Exception:  # anything unexpected: leave the node alone
                out = None
            if out is None or len(out) != len(node.output):
                continue
            for name, v in zip(node.output, out):
                vals[name] = numpy.asarray(v)
                shapes[name] = list(numpy.asarray(v).shape)
            folded.add(idx)
        if not folded:
            break
        keep = [n for i, n in enumerate(nodes) if i not in folded]
        used = {i for n in keep for i in n.input} | {o.name for o in m.graph.output}
        old_inits = {i.name for i in m.graph.initializer}
        new_inits = [numpy_helper.from_array(vals[o], o)
                     for i in sorted(folded) for o in nodes[i].output
                     if o in used and o not in old_inits]
        keep = [copy.deepcopy(n) for n in keep]
        del m.graph.node[:]
        m.graph.node.extend(keep)
        m.graph.initializer.extend(new_inits)
        # Forget the old inferred value_info: the next round infers it anew.
        del m.graph.value_info[:]
    m = shape_inference.infer_shapes(m)
    shapes, types = _known_shapes(m)
    return m, shapes, types


def graph_inputs(model):
    inits = {i.name for i in model.graph.initializer}
    return [v for v in model.graph.input if v.name not in inits]


def fix_input_shapes(model, overrides):
    """Gives every graph input a static shape: --input-shape overrides first,
    then the declared dims, unknown or symbolic dims as 1. Returns the model
    copy and {input name: (shape, dynamic?)}."""
    m = copy.deepcopy(model)
    fixed = {}
    for v in graph_inputs(m):
        dims = v.type.tensor_type.shape.dim
        declared = [d.dim_value if d.HasField("dim_value") and d.dim_value > 0 else None
                    for d in dims]
        if v.name in overrides:
            shape, dynamic = overrides[v.name], True
        else:
            shape = [d if d is not None else 1 for d in declared]
            dynamic = any(d is None for d in declared)
        for d, s in zip(dims, shape):
            d.Clear()
            d.dim_value = s
        fixed[v.name] = (shape, dynamic)
    return m, fixed


# ----------------------------------------------------------------- flops ---

def node_flops(node, shapes):
    """2 * multiply-accumulates of one Conv/ConvTranspose/Gemm/MatMul node, or
    None if a shape is unknown. Bias adds and all elementwise ops count 0."""
    op = node.op_type
    ins, out = list(node.input), node.output[0]
    try:
        if op == "Conv":
            w, y = shapes[ins[1]], shapes[out]
            return 2 * int(numpy.prod(y)) * int(numpy.prod(w[1:]))
        if op == "ConvTranspose":
            x, w = shapes[ins[0]], shapes[ins[1]]
            return 2 * int(numpy.prod(x)) * int(numpy.prod(w[1:]))
        if op == "Gemm":
            a, y = shapes[ins[0]], shapes[out]
            k = a[0] if _attr(node, "transA", 0) else a[1]
            return 2 * int(numpy.prod(y)) * int(k)
        if op == "MatMul":
            a, y = shapes[ins[0]], shapes[out]
            return 2 * int(numpy.prod(y)) * int(a[-1])
    except KeyError:
        return None
    return None


def model_flops(folded, shapes):
    total, unknown = 0, []
    for n in folded.graph.node:
        if n.op_type in FLOP_OPS:
            f = node_flops(n, shapes)
            if f is None:
                unknown.append(n.name or n.output[0])
            else:
                total += f
    return total, unknown


# ----------------------------------------------------------------- tools ---

def run(cmd, timeout=None, cwd=None):
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True,
                          timeout=timeout)


def last_json(text):
    for line in reversed(text.strip().splitlines()):
        line = line.strip()
        if line.startswith("{"):
            try:
                return json.loads(line)
            except ValueError:
                pass
    return None


def host_target():
    mach = platform.machine().lower()
    return {"amd64": "x86_64", "arm64": "aarch64"}.get(mach, mach)


def wait_for(path, seconds):
    """The compiler may be rebuilt under us: wait for it to come back."""
    deadline = time.time() + seconds
    while not (os.path.isfile(path) and os.access(path, os.X_OK)):
        if time.time() > deadline:
            return False
        log(f"  waiting for {path} (being rebuilt?)")
        time.sleep(5)
    return True


def machine_info(args):
    cpu, family, model_no = None, None, None
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                k, _, v = line.partition(":")
                k, v = k.strip(), v.strip()
                if k == "model name" and cpu is None:
                    cpu = v
                elif k == "cpu family" and family is None:
                    family = v
                elif k == "model" and model_no is None:
                    model_no = v
    except OSError:
        pass
    cpu = cpu or platform.processor() or platform.machine()
    if family is not None:
        cpu += f" (family {family}, model {model_no})"
    commit = run(["git", "-C", REPO, "rev-parse", "--short", "HEAD"]).stdout.strip()
    dirty = run(["git", "-C", REPO, "status", "--porcelain", "--untracked-files=no"]).stdout.strip()
    try:
        load = open("/proc/loadavg").read().split()[:3]
    except OSError:
        load = []
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "date": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M:%S %Z"),
        "commit": commit + ("-dirty" if dirty else ""),
        "compiler": args.compiler,
        "loadavg_start": " ".join(load),
        "host": platform.machine(),
    }


def measure_peak(args, work):
    exe = os.path.join(work, "fma_peak")
    r = run([args.cc, "-O2", os.path.join(BENCH, "fma_peak.c"), "-o", exe])
    if r.returncode != 0:
        log("fma_peak build failed:\n" + r.stderr)
        return None
    r = run(pin(args) + [exe, str(args.peak_seconds)], timeout=60)
    return last_json(r.stdout)


def pin(args):
    return ["taskset", "-c", str(args.pin)] if args.pin is not None else []


def find_ort(args):
    if args.no_ort:
        return None, "disabled by --no-ort"
    if not shutil.which(args.node):
        return None, f"{args.node} not found"
    r = run([args.node, "-e",
             "const o=require('onnxruntime-node');"
             "console.log(require('onnxruntime-node/package.json').version)"],
            cwd=BENCH, timeout=120)
    if r.returncode != 0:
        return None, ("onnxruntime-node is not installed or does not load; "
                      "install it with: cd bench && npm install --ignore-scripts")
    return r.stdout.strip(), None


# ---------------------------------------------------------------- models ---

def load_manifest(model_path):
    mf = os.path.join(os.path.dirname(model_path), "manifest.json")
    try:
        with open(mf) as f:
            for entry in json.load(f).get("models", []):
                if entry.get("model") == os.path.basename(model_path):
                    return entry
    except (OSError, ValueError):
        pass
    return None


def prepare_inputs(model_path, fixed_model, folded_types, work, manifest):
    """One raw input file per graph input: the model's own .inK.bin (from
    manifest.json or next to the model) if it has the right size, else a
    deterministic pseudo-random one (numpy seed 1234 + K; floats uniform in
    [-1, 1], integers in [0, 4))."""
    stem = os.path.splitext(model_path)[0]
    mdir = os.path.dirname(model_path)
    man_files = {}
    if manifest:
        for i in manifest.get("inputs", []):
            man_files[i["name"]] = os.path.join(mdir, i["file"])
    specs = []
    for k, v in enumerate(graph_inputs(fixed_model)):
        shape = [d.dim_value for d in v.type.tensor_type.shape.dim]
        et = v.type.tensor_type.elem_type
        if et not in NP_TYPES:
            raise RuntimeError(f"input {v.name}: unsupported element type {et}")
        dname, dtype = NP_TYPES[et]
        nbytes = int(numpy.prod(shape)) * numpy.dtype(dtype).itemsize
        src = None
        for cand in (man_files.get(v.name), f"{stem}.in{k}.bin"):
            if cand and os.path.isfile(cand) and os.path.getsize(cand) == nbytes:
                src = cand
                break
        if src is None:
            src = os.path.join(work, f"in{k}.bin")
            rng = numpy.random.default_rng(1234 + k)
            if numpy.issubdtype(dtype, numpy.floating):
                data = rng.uniform(-1.0, 1.0, size=shape).astype(dtype)
            else:
                data = rng.integers(0, 4 if dtype != numpy.bool_ else 2,
                                    size=shape).astype(dtype)
            data.astype(data.dtype.newbyteorder("<")).tofile(src)
        specs.append({"name": v.name, "shape": shape, "dtype": dname,
                      "file": src, "generated": src.startswith(work)})
    return specs


def output_types(folded):
    out = []
    for v in folded.graph.output:
        et = v.type.tensor_type.elem_type
        out.append(NP_TYPES.get(et, ("float32", numpy.float32))[1])
    return out


def compare_outputs(files_a, files_b, dtypes):
    """Max abs difference over all outputs (floats), or the count of unequal
    elements for integer outputs; None if a file is missing."""
    worst, rel = 0.0, 0.0
    for fa, fb, dt in zip(files_a, files_b, dtypes):
        if not (os.path.isfile(fa) and os.path.isfile(fb)):
            return None, None
        a, b = numpy.fromfile(fa, dt), numpy.fromfile(fb, dt)
        if a.shape != b.shape:
            return math.inf, math.inf
        if a.size == 0:
            continue
        if numpy.issubdtype(dt, numpy.floating):
            d = float(numpy.max(numpy.abs(a.astype(numpy.float64) - b)))
            scale = float(numpy.max(numpy.abs(b))) or 1.0
        else:
            d = float(numpy.count_nonzero(a != b))
            scale = float(a.size)
        if not math.isfinite(d):
            d = math.inf
        worst = max(worst, d)
        rel = max(rel, d / scale)
    return worst, rel


def bench_one(model_path, args, ort_ok, work, overrides, manifest=None,
              model_proto=None):
    """Compile, time with edge-aotc and ORT, compare. Returns a result dict."""
    name = os.path.splitext(os.path.basename(model_path))[0]
    res = {"model": name, "path": model_path, "status": "ok"}
    os.makedirs(work, exist_ok=True)
    try:
        model = model_proto if model_proto is not None else onnx.load(model_path)
        fixed, fixed_inputs = fix_input_shapes(model, overrides)
        folded, shapes, types = fold_shapes(fixed)
        flops, unknown = model_flops(folded, shapes)
        res["flops"] = flops
        res["gflop"] = flops / 1e9
        if unknown:
            res["flops_unknown_nodes"] = unknown
        inputs = prepare_inputs(model_path, fixed, types, work, manifest)
        res["inputs"] = [{k: i[k] for k in ("name", "shape", "dtype", "file", "generated")}
                         for i in inputs]
    except Exception as e:  # a model we cannot read: report and go on
        res["status"] = f"prepare failed: {e}"
        return res
    out_dtypes = output_types(folded)

    # edge-aotc: compile, link with the timer, run.
    obj = os.path.join(work, "net.o")
    cmd = [args.compiler, model_path, f"-target={args.target}",
           f"-mcpu={args.mcpu}", "--name=net", "-o", obj] + args.flag
    for iname, (shape, dynamic) in fixed_inputs.items():
        if dynamic:
            cmd.append(f"--input-shape={iname}:{'x'.join(map(str, shape))}")
    res["compile_cmd"] = " ".join(cmd)
    for attempt in range(3):
        if not wait_for(args.compiler, 600):
            res["status"] = "compiler missing"
            return res
        t0 = time.time()
        r = run(cmd, timeout=args.compile_timeout)
        res["compile_s"] = round(time.time() - t0, 2)
        if r.returncode == 0 or os.path.isfile(args.compiler):
            break
        time.sleep(5)  # it vanished mid-run: it is being rebuilt; retry
    if r.returncode != 0:
        res["status"] = "edge-aotc failed: " + (r.stderr.strip().splitlines() or ["?"])[-1][:200]
        return res
    timer = os.path.join(work, "timer")
    r = run([args.cxx, "-O2", "-march=native", "-std=c++17",
             '-DEDGE_HEADER="net.h"', "-DEDGE_NS=net", "-I", work,
             os.path.join(BENCH, "timer.cpp"), obj, "-o", timer])
    if r.returncode != 0:
        res["status"] = "timer build failed: " + r.stderr.strip()[:300]
        return res
    edge_outs = [os.path.join(work, f"edge.out{k}.bin") for k in range(len(out_dtypes))]
    r = run(pin(args) + [timer, str(args.warmup), str(args.runs)]
            + [i["file"] for i in inputs] + ["--out"] + edge_outs,
            timeout=args.run_timeout)
    edge = last_json(r.stdout)
    if r.returncode != 0 or not edge or not edge.get("ok"):
        err = (edge or {}).get("error") or (r.stderr.strip() or f"exit {r.returncode}")[:200]
        res["status"] = f"edge-aotc run failed: {err}"
        return res
    res["edge"] = edge
    if edge.get("nonfinite"):
        res["status"] = f"edge-aotc output has {edge['nonfinite']} non-finite values"

    # ONNX Runtime on the same input files (the model as given).
    ort_outs = [os.path.join(work, f"ort.out{k}.bin") for k in range(len(out_dtypes))]
    if ort_ok:
        spec = {"model": model_path, "warmup": args.warmup, "runs": args.runs,
                "inputs": [{k: i[k] for k in ("name", "shape", "dtype", "file")}
                           for i in inputs],
                "outputs": ort_outs}
        spec_path = os.path.join(work, "ort_spec.json")
        with open(spec_path, "w") as f:
            json.dump(spec, f)
        r = run(pin(args) + [args.node, os.path.join(BENCH, "ort_run.js"), spec_path],
                timeout=args.run_timeout, cwd=BENCH)
        ort = last_json(r.stdout)
        if r.returncode != 0 or not ort or not ort.get("ok"):
            res["ort_error"] = ((ort or {}).get("error") or r.stderr.strip()[-300:]
                                or f"exit {r.returncode}")
        else:
            res["ort"] = ort
            res["ratio"] = edge["median_ms"] / ort["median_ms"]
            res["max_abs_diff"], res["max_rel_diff"] = compare_outputs(
                edge_outs, ort_outs, out_dtypes)
            res["diff_vs"] = "ORT"
    if "max_abs_diff" not in res and manifest and manifest.get("outputs") \
            and not any(i["generated"] for i in inputs):
        mdir = os.path.dirname(model_path)
        refs = [os.path.join(mdir, o["file"]) for o in manifest["outputs"]]
        res["max_abs_diff"], res["max_rel_diff"] = compare_outputs(
            edge_outs, refs, out_dtypes)
        res["diff_vs"] = "reference .out.bin"
    return res


# ---------------------------------------------------------------- tables ---

def fmt(v, spec=".2f", none="–"):
    if v is None:
        return none
    if isinstance(v, float) and not math.isfinite(v):
        return "inf"
    return format(v, spec)


def rate_cols(res, key, peak):
    t = res.get(key)
    if not t or not res.get("flops"):
        return None, None
    gfs = res["flops"] / (t["median_ms"] * 1e-3) / 1e9
    return gfs, (100.0 * gfs / peak if peak else None)


def geomean(xs):
    xs = [x for x in xs if x and x > 0 and math.isfinite(x)]
    return math.exp(sum(map(math.log, xs)) / len(xs)) if xs else None


def diff_str(res):
    d = res.get("max_abs_diff")
    if d is None:
        return "–"
    return f"{d:.1e}"


def model_table(results, peak):
    head = ("| model | edge-aotc median ms | edge-aotc min ms | ORT median ms | "
            "ORT min ms | edge/ORT | GFLOP | edge-aotc GFLOP/s | edge-aotc % peak | "
            "ORT GFLOP/s | ORT % peak | max abs diff |")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in results:
        e, o = r.get("edge") or {}, r.get("ort") or {}
        egf, epk = rate_cols(r, "edge", peak)
        ogf, opk = rate_cols(r, "ort", peak)
        name = r["model"] + ("" if r["status"] == "ok" else f" ({r['status']})")
        lines.append(
            f"| {name} | {fmt(e.get('median_ms'))} | {fmt(e.get('min_ms'))} | "
            f"{fmt(o.get('median_ms'))} | {fmt(o.get('min_ms'))} | "
            f"{fmt(r.get('ratio'))} | {fmt(r.get('gflop'), '.3f')} | {fmt(egf, '.1f')} | "
            f"{fmt(epk, '.1f')} | {fmt(ogf, '.1f')} | {fmt(opk, '.1f')} | {diff_str(r)} |")
    g = geomean([r.get("ratio") for r in results])
    lines.append(f"| **geometric mean** | | | | | **{fmt(g)}** | | | | | | |")
    return "\n".join(lines), g


def layer_table(results, peak):
    head = ("| # | layer | op | shape | GFLOP | edge-aotc ms | ORT ms | edge/ORT | "
            "edge-aotc GFLOP/s | edge-aotc % peak | ORT GFLOP/s | ORT % peak | max abs diff |")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    tot = {"flops": 0, "edge": 0.0, "ort": 0.0, "edge_n": 0, "ort_n": 0}
    for k, r in enumerate(results):
        e, o = r.get("edge") or {}, r.get("ort") or {}
        egf, epk = rate_cols(r, "edge", peak)
        ogf, opk = rate_cols(r, "ort", peak)
        status = "" if r["status"] == "ok" else f" ({r['status']})"
        lines.append(
            f"| {k} | {r['layer']}{status} | {r['op']} | {r['shape']} | "
            f"{fmt(r.get('gflop'), '.4f')} | {fmt(e.get('median_ms'), '.3f')} | "
            f"{fmt(o.get('median_ms'), '.3f')} | {fmt(r.get('ratio'))} | {fmt(egf, '.1f')} | "
            f"{fmt(epk, '.1f')} | {fmt(ogf, '.1f')} | {fmt(opk, '.1f')} | {diff_str(r)} |")
        tot["flops"] += r.get("flops") or 0
        if e:
            tot["edge"] += e["median_ms"]
            tot["edge_n"] += 1
        if o:
            tot["ort"] += o["median_ms"]
            tot["ort_n"] += 1
    te = tot["edge"] if tot["edge_n"] else None
    to = tot["ort"] if tot["ort_n"] else None
    egf = tot["flops"] / (te * 1e-3) / 1e9 if te else None
    ogf = tot["flops"] / (to * 1e-3) / 1e9 if to else None
    lines.append(
        f"| | **sum** | | | {fmt(tot['flops'] / 1e9, '.4f')} | {fmt(te, '.3f')} | "
        f"{fmt(to, '.3f')} | {fmt(te / to if te and to else None)} | {fmt(egf, '.1f')} | "
        f"{fmt(100 * egf / peak if egf and peak else None, '.1f')} | {fmt(ogf, '.1f')} | "
        f"{fmt(100 * ogf / peak if ogf and peak else None, '.1f')} | |")
    g = geomean([r.get("ratio") for r in results])
    lines.append(f"| | **geometric mean** | | | | | | **{fmt(g)}** | | | | | |")
    return "\n".join(lines), g, {"sum_edge_ms": te, "sum_ort_ms": to,
                                 "sum_flops": tot["flops"]}


def header_md(title, info, peak, args, ort_version, ort_note, command):
    pk = (f"{peak['gflops']:.1f} GFLOP/s fp32 ({peak['isa']}, one core, "
          f"best {peak.get('seconds', 0):.2f} s of FMA loop chunks)" if peak else "not measured")
    lines = [
        f"## {title}",
        "",
        f"- command: `{command}`",
        f"- date: {info['date']}; edge-aotc commit: `{info['commit']}`",
        f"- CPU: {info['cpu']}, {info['cores']} cores; load average at start: "
        f"{info['loadavg_start']}, at end: {info.get('loadavg_end', '?')}",
        f"- FMA peak (bench/fma_peak.c, same run): {pk}",
        f"- edge-aotc: `-target={args.target} -mcpu={args.mcpu}{''.join(' ' + f for f in args.flag)}`, timer `-O2 -march=native`; "
        f"ONNX Runtime: "
        + (f"onnxruntime-node {ort_version}, intra-op 1 / inter-op 1 thread, sequential, "
           "all graph optimisations" if ort_version else f"not run ({ort_note})"),
        f"- each: {args.warmup} warm-up runs, then {args.runs} timed runs, same input; "
        "median and minimum wall time per run; GFLOP = 2 x MACs of Conv/ConvTranspose/Gemm/MatMul "
        "(bias and elementwise ops not counted); GFLOP/s and % peak from the median; "
        "edge/ORT > 1 means edge-aotc is slower; max abs diff = edge-aotc output vs "
        "ONNX Runtime output",
    ]
    if args.pin is not None:
        lines.append(f"- both pinned to CPU {args.pin} (taskset)")
    return "\n".join(lines)


def update_readme(md, marker):
    try:
        text = open(README).read()
    except OSError:
        return False
    begin, end = f"<!-- {marker}:begin -->", f"<!-- {marker}:end -->"
    if begin not in text or end not in text:
        return False
    pre, rest = text.split(begin, 1)
    _, post = rest.split(end, 1)
    # One heading level down: the README has its own "## Latest results".
    md = "\n".join("#" + line if line.startswith("#") else line
                    for line in md.strip().splitlines())
    with open(README, "w") as f:
        f.write(pre + begin + "\n" + md + "\n" + end + post)
    return True


# ------------------------------------------------------------- per layer ---

def _sanitize(s):
    return re.sub(r"[^A-Za-z0-9_]+", "_", s).strip("_")[:60] or "node"


def shape_summary(node, shapes):
    ins = list(node.input)
    op = node.op_type
    try:
        if op in ("Conv", "ConvTranspose"):
            x, w, y = shapes[ins[0]], shapes[ins[1]], shapes[node.output[0]]
            g = _attr(node, "group", 1)
            k = "x".join(map(str, w[2:]))
            s = _attr(node, "strides", [1] * (len(w) - 2))
            st = s[0] if len(set(s)) == 1 else "x".join(map(str, s))
            cin, cout = x[1], y[1]
            gs = "" if g == 1 else (" dw" if g == cin and g == cout else f" g{g}")
            return (f"{cin}->{cout} {k} s{st}{gs}, "
                    f"{'x'.join(map(str, x[2:]))}->{'x'.join(map(str, y[2:]))}")
        if op == "Gemm":
            a, b = shapes[ins[0]], shapes[ins[1]]
            m, kk = (a[1], a[0]) if _attr(node, "transA", 0) else (a[0], a[1])
            n = b[0] if _attr(node, "transB", 0) else b[1]
            return f"{m}x{kk} @ {kk}x{n}"
        if op == "MatMul":
            return f"{'x'.join(map(str, shapes[ins[0]]))} @ {'x'.join(map(str, shapes[ins[1]]))}"
    except KeyError:
        pass
    return "?"


def single_node_model(src, node, folded, shapes, types):
    inits = {i.name: i for i in folded.graph.initializer}
    g_inputs, g_inits = [], []
    for name in node.input:
        if not name:
            continue
        if name in inits:
            g_inits.append(copy.deepcopy(inits[name]))
        else:
            g_inputs.append(helper.make_tensor_value_info(
                name, types.get(name, onnx.TensorProto.FLOAT), shapes[name]))
    out = node.output[0]
    outputs = [helper.make_tensor_value_info(
        out, types.get(out, onnx.TensorProto.FLOAT), shapes[out])]
    n = copy.deepcopy(node)
    del n.output[1:]
    graph = helper.make_graph([n], _sanitize(node.name or out), g_inputs, outputs,
                              initializer=g_inits)
    opsets = [o for o in src.opset_import]
    m = helper.make_model(graph, opset_imports=opsets, producer_name="edge-aotc-bench")
    m.ir_version = src.ir_version
    return m


def per_layer(args, info, peak, ort_version, ort_note, command):
    path = os.path.abspath(args.per_layer)
    stem = os.path.splitext(os.path.basename(path))[0]
    overrides = parse_shapes(args.input_shape)
    model = onnx.load(path)
    fixed, _ = fix_input_shapes(model, overrides)
    folded, shapes, types = fold_shapes(fixed)
    work = os.path.join(args.work_dir, "per_layer", stem)
    os.makedirs(work, exist_ok=True)
    nodes = [n for n in folded.graph.node if n.op_type in FLOP_OPS]
    log(f"{stem}: {len(nodes)} conv/matmul layers")
    results = []
    for k, node in enumerate(nodes):
        label = node.name or node.output[0]
        shape = shape_summary(node, shapes)
        lw = os.path.join(work, f"{k:03d}_{_sanitize(label)}")
        os.makedirs(lw, exist_ok=True)
        entry = {"layer": label, "op": node.op_type, "shape": shape}
        if any(i and i not in shapes for i in node.input) or node.output[0] not in shapes:
            entry.update(model=label, status="unknown shape")
            results.append(entry)
            continue
        sub = single_node_model(model, node, folded, shapes, types)
        sub_path = os.path.join(lw, "layer.onnx")
        onnx.save(sub, sub_path)
        t0 = time.time()
        r = bench_one(sub_path, args, ort_version is not None, lw, {}, None, sub)
        r.update(entry)
        results.append(r)
        e, o = r.get("edge") or {}, r.get("ort") or {}
        log(f"  [{k + 1}/{len(nodes)}] {label} {shape}: edge {fmt(e.get('median_ms'), '.3f')} ms,"
            f" ORT {fmt(o.get('median_ms'), '.3f')} ms, {r['status']} ({time.time() - t0:.1f} s)")
    info["loadavg_end"] = " ".join(open("/proc/loadavg").read().split()[:3])
    table, g, sums = layer_table(results, peak["gflops"] if peak else None)
    md = (header_md(f"edge-aotc per-layer benchmark: {stem}", info, peak, args, ort_version,
                    ort_note, command)
          + "\n- each layer is a one-node ONNX model (same attributes, weights and shapes; "
            "random input) compiled and timed alone; the sum row adds the medians\n\n"
          + table + "\n")
    doc = {"kind": "per-layer", "model": path, "machine": info, "peak": peak,
           "ort_version": ort_version, "ort_note": ort_note,
           "config": {"runs": args.runs, "warmup": args.warmup, "target": args.target,
                      "mcpu": args.mcpu, "pin": args.pin},
           "command": command, "layers": results, "geomean_ratio": g, **sums}
    return md, doc


# ------------------------------------------------------------------ main ---

def parse_shapes(specs):
    out = {}
    for s in specs or []:
        name, _, dims = s.rpartition(":")
        if not name:
            sys.exit(f"--input-shape {s}: expected NAME:D0xD1x...")
        out[name] = [int(d) for d in dims.split("x")]
    return out


def main():
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n\n", 1)[1])
    ap.add_argument("--models", help="comma-separated .onnx files "
                    f"(default: every *.onnx in {DEFAULT_MODELS})")
    ap.add_argument("--per-layer", metavar="MODEL",
                    help="time each Conv/ConvTranspose/Gemm/MatMul of MODEL alone")
    ap.add_argument("--input-shape", action="append", metavar="NAME:D0xD1x...",
                    help="fix an input's shape (passed to edge-aotc; repeatable)")
    ap.add_argument("--runs", type=int, default=30, help="timed runs (default 30)")
    ap.add_argument("--warmup", type=int, default=3, help="warm-up runs (default 3)")
    ap.add_argument("--compiler", default=os.path.join(REPO, "build", "bin", "edge-aotc"))
    ap.add_argument("--target", default=host_target())
    ap.add_argument("--mcpu", default="native")
    ap.add_argument("--flag", action="append", default=[], metavar="FLAG",
                    help="extra edge-aotc flag (repeatable), e.g. "
                    "--flag=--channel-tile=2x7")
    ap.add_argument("--no-ort", action="store_true", help="do not run ONNX Runtime")
    ap.add_argument("--node", default="node")
    ap.add_argument("--cc", default=os.environ.get("CC", "cc"))
    ap.add_argument("--cxx", default=os.environ.get("CXX", "c++"))
    ap.add_argument("--pin", type=int, metavar="CPU",
                    help="pin the timed processes to one CPU with taskset")
    ap.add_argument("--peak-seconds", type=float, default=0.3)
    ap.add_argument("--work-dir", default=DEFAULT_OUT,
                    help="objects, timers, inputs and outputs (default build/bench)")
    ap.add_argument("--out-md", help="markdown file (default build/bench/latest.md, "
                    "or per_layer_MODEL.md)")
    ap.add_argument("--out-json", help="JSON file (default next to --out-md)")
    ap.add_argument("--update-readme", action="store_true",
                    help="also put the table into bench/README.md")
    ap.add_argument("--mca", action="store_true",
                    help="only the llvm-mca micro-kernel table (bench/mca.py): no timing")
    ap.add_argument("--no-mca", action="store_true",
                    help="leave the llvm-mca table out of the full run")
    ap.add_argument("--compile-timeout", type=int, default=900)
    ap.add_argument("--run-timeout", type=int, default=7200)
    args = ap.parse_args()
    if args.runs < 30:
        log(f"note: --runs {args.runs} is below the 30 the benchmark is meant for")
    args.compiler = os.path.abspath(args.compiler)
    args.work_dir = os.path.abspath(args.work_dir)
    os.makedirs(args.work_dir, exist_ok=True)
    command = " ".join(shlex.quote(a) for a in
                       ["/usr/bin/python3", os.path.relpath(os.path.abspath(sys.argv[0]))]
                       + sys.argv[1:])
    t_start = time.time()

    if args.mca:
        return run_mca(args, command)

    info = machine_info(args)
    ort_version, ort_note = find_ort(args)
    if ort_version is None:
        log(f"NOTE: ONNX Runtime column skipped: {ort_note}")
    peak = measure_peak(args, args.work_dir)
    log(f"{info['cpu']}, commit {info['commit']}, FMA peak "
        f"{peak['gflops'] if peak else '?'} GFLOP/s, ORT {ort_version or 'off'}")

    if args.per_layer:
        md, doc = per_layer(args, info, peak, ort_version, ort_note, command)
        stem = os.path.splitext(os.path.basename(args.per_layer))[0]
        out_md = args.out_md or os.path.join(args.work_dir, f"per_layer_{stem}.md")
        marker = "bench-per-layer"
    else:
        if args.models:
            models = [os.path.abspath(m) for m in args.models.split(",") if m]
        else:
            models = sorted(glob.glob(os.path.join(DEFAULT_MODELS, "*.onnx")))
        if not models:
            sys.exit("no models")
        overrides = parse_shapes(args.input_shape)
        results = []
        for path in models:
            stem = os.path.splitext(os.path.basename(path))[0]
            log(f"{stem}: compiling and timing ...")
            t0 = time.time()
            r = bench_one(path, args, ort_version is not None,
                          os.path.join(args.work_dir, "models", stem), overrides,
                          load_manifest(path))
            results.append(r)
            e, o = r.get("edge") or {}, r.get("ort") or {}
            log(f"  {stem}: edge {fmt(e.get('median_ms'))} ms, ORT {fmt(o.get('median_ms'))} ms,"
                f" {r['status']}{'; ORT: ' + r['ort_error'] if r.get('ort_error') else ''}"
                f" ({time.time() - t0:.0f} s)")
        info["loadavg_end"] = " ".join(open("/proc/loadavg").read().split()[:3])
        table, g = model_table(results, peak["gflops"] if peak else None)
        md = header_md("edge-aotc vs ONNX Runtime", info, peak, args, ort_version,
                       ort_note, command) + "\n\n" + table + "\n"
        doc = {"kind": "models", "machine": info, "peak": peak, "ort_version": ort_version,
               "ort_note": ort_note,
               "config": {"runs": args.runs, "warmup": args.warmup, "target": args.target,
                          "mcpu": args.mcpu, "pin": args.pin},
               "command": command, "models": results, "geomean_ratio": g}
        out_md = args.out_md or os.path.join(args.work_dir, "latest.md")
        marker = "bench-models"

    out_json = args.out_json or os.path.splitext(out_md)[0] + ".json"
    doc["total_seconds"] = round(time.time() - t_start, 1)
    md += f"\n(total benchmark time {doc['total_seconds']:.0f} s)\n"
    for p in (out_md, out_json):
        os.makedirs(os.path.dirname(os.path.abspath(p)), exist_ok=True)
    with open(out_md, "w") as f:
        f.write(md)
    with open(out_json, "w") as f:
        json.dump(doc, f, indent=1, default=str)
    print(md)
    log(f"wrote {out_md} and {out_json}")
    if args.update_readme:
        log("README updated" if update_readme(md, marker)
            else f"README not updated (no {marker} markers in {README})")
    if not args.per_layer and not args.models and not args.no_mca:
        return run_mca(args, command)
    return 0


def run_mca(args, command):
    """The llvm-mca micro-kernel table (bench/mca.py): printed, written to
    WORK_DIR/mca.md and .json, and into the README with --update-readme.
    Non-zero when a kernel cannot be found or measured."""
    sys.path.insert(0, BENCH)
    import mca  # noqa: E402  (bench/mca.py)
    log("llvm-mca: compiling the kernel models for "
        + ", ".join(c[1] for c in mca.CONFIGS) + " ...")
    try:
        results = mca.measure(args, work=os.path.join(args.work_dir, "mca"), log=log)
    except mca.McaError as e:
        log(f"llvm-mca: error: {e}")
        return 1
    md = mca.report_md(results, command, git_commit_short())
    out_md = os.path.join(args.work_dir, "mca.md")
    with open(out_md, "w") as f:
        f.write(md)
    with open(os.path.splitext(out_md)[0] + ".json", "w") as f:
        json.dump({"kind": "mca", "command": command, "iterations": mca.ITERATIONS,
                   "results": results}, f, indent=1, default=str)
    print(md)
    log(f"wrote {out_md} and {os.path.splitext(out_md)[0]}.json")
    if args.update_readme:
        log("README updated (mca)" if update_readme(md, "bench-mca")
            else f"README not updated (no bench-mca markers in {README})")
    return 0


def git_commit_short():
    try:
        return subprocess.run(["git", "-C", REPO, "describe", "--always", "--dirty"],
                              capture_output=True, text=True).stdout.strip() or None
    except OSError:
        return None


if __name__ == "__main__":
    sys.exit(main())
