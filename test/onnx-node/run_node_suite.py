#!/usr/bin/python3
"""Run ONNX's backend node test suite (onnx/backend/test/data/node, 922 cases
with python3-onnx 1.12) through edge-aotc on the host.

  run_node_suite.py [--data DIR] [--workdir DIR] [--compiler BIN] [--jobs N]
                    [--timeout S] [--filter REGEX] [--expectations FILE]
                    [--update-expectations] [--write-table FILE]
                    [--json FILE] [-v]

The suite is generated into DIR/node when absent (what `python3 -m
onnx.backend.test.cmd_tools generate-data -o DIR` does; never committed).
Per case: every input_*.pb becomes a raw little-endian .bin file, the model is
compiled (`-target=x86_64 --name=m`, plus --input-shape for dynamic inputs
taken from the test data), linked with test/e2e/harness.cpp, run once per
test_data_set_*, and every output is compared with output_*.pb: floats as
ONNX's own runner does (numpy assert_allclose with the case's rtol/atol,
1e-3/1e-7 for every node case; NaN equals NaN), integers and bools exactly,
and the output's byte size must match.

Every case not expected to pass is listed in expected-failures.txt
(`test_name  # reason`). The run fails on an unexpected failure and on an
unexpected pass. Closing lines:
  node-suite: N passed, M failed      (N results as expected, M unexpected)
  node-suite: P/T cases pass (X%)
"""
import argparse
import collections
import concurrent.futures
import glob
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import threading
import time

import numpy as np

# python3-onnx 1.12 still uses the aliases numpy removed.
np.float = float
np.int = int
np.bool = bool
np.object = object

import onnx  # noqa: E402
from onnx import numpy_helper  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DEFAULT_EXPECTATIONS = os.path.join(HERE, "expected-failures.txt")
DEFAULT_HARNESS = os.path.join(ROOT, "test", "e2e", "harness.cpp")

# onnx/backend/test/loader: every case generated with a model.onnx (all node
# cases) gets rtol=1e-3, atol=1e-7; only 'real' cases (data.json) override.
DEFAULT_RTOL = 1e-3
DEFAULT_ATOL = 1e-7

TP = onnx.TensorProto


# ---------------------------------------------------------------- data ----

def generate_suite(data_dir):
    """onnx.backend.test.cmd_tools generate-data -o DATA_DIR, atomically."""
    os.makedirs(data_dir, exist_ok=True)
    tmp = os.path.join(data_dir, ".generating-%d" % os.getpid())
    if os.path.exists(tmp):
        shutil.rmtree(tmp)
    import onnx.backend.test.cmd_tools as cmd_tools
    saved = sys.argv
    sys.argv = ["cmd_tools", "generate-data", "-o", tmp]
    try:
        cmd_tools.main()
    finally:
        sys.argv = saved
    dst = os.path.join(data_dir, "node")
    if not os.path.isdir(dst):
        os.rename(os.path.join(tmp, "node"), dst)
    shutil.rmtree(tmp, ignore_errors=True)


def load_tensor(path):
    t = TP()
    with open(path, "rb") as f:
        t.ParseFromString(f.read())
    return t


def tensor_bytes(t):
    """(raw little-endian bytes, numpy view for comparison) of a TensorProto."""
    if t.data_type == TP.STRING:
        return None, None
    a = numpy_helper.to_array(t)
    if t.data_type == TP.BFLOAT16:  # to_array widens bf16 to f32 exactly
        bits = (np.ascontiguousarray(a, dtype=np.float32).view(np.uint32)
                >> 16).astype("<u2")
        return bits.tobytes(), a.astype(np.float32)
    a = np.ascontiguousarray(a)
    return a.astype(a.dtype.newbyteorder("<")).tobytes(), a


def decode_output(raw, t):
    """The harness's bytes of an output, as an array like the reference."""
    if t.data_type == TP.BFLOAT16:
        u = np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16
        return u.view(np.float32)
    dt = np.dtype(onnx.mapping.TENSOR_TYPE_TO_NP_TYPE[t.data_type])
    return np.frombuffer(raw, dtype=dt.newbyteorder("<"))


def expected_nbytes(t):
    n = int(np.prod(t.dims)) if len(t.dims) else 1
    if t.data_type in (TP.BFLOAT16, TP.FLOAT16):
        return 2 * n
    if t.data_type == TP.BOOL:
        return n
    dt = np.dtype(onnx.mapping.TENSOR_TYPE_TO_NP_TYPE[t.data_type])
    return dt.itemsize * n


def model_info(model):
    """Op types (domain-qualified outside the default domain) with the
    opset each one comes from, graph inputs (initializers excluded)."""
    opsets = {}
    for o in model.opset_import:
        opsets["" if o.domain in ("", "ai.onnx") else o.domain] = o.version
    ops = {}
    for n in model.graph.node:
        dom = "" if n.domain in ("", "ai.onnx") else n.domain
        name = n.op_type if not dom else "%s.%s" % (dom, n.op_type)
        ops[name] = opsets.get(dom, 0)
    inits = {i.name for i in model.graph.initializer}
    inputs = [i for i in model.graph.input if i.name not in inits]
    return ops, inputs


# ------------------------------------------------------------- running ----

class Case:
    def __init__(self, name, path):
        self.name = name
        self.path = path
        self.ok = False
        self.reason = ""
        self.crash = ""       # compiler crash message (not a clean error:)
        self.ops = {}
        self.frozen = []      # inputs compiled in with --freeze-input
        self.compile_s = 0.0
        self.total_s = 0.0


def first_line(text, limit=300):
    for line in text.splitlines():
        line = line.strip()
        if line:
            return line[:limit]
    return ""


CRASH_MARKERS = ("Assertion", "LLVM ERROR", "UNREACHABLE", "terminate called",
                 "AddressSanitizer")
NOISE = ("warning:", "PLEASE submit", "Stack dump", "Program arguments",
         "Running pass", "Compiler returned")
FRAME = re.compile(r"#\d+ 0x[0-9a-fA-F]+ (?:in )?(.+)")


def crash_message(stderr):
    """The most telling line of a crashed compiler's stderr."""
    lines = [l.strip() for l in stderr.splitlines() if l.strip()]
    for marker in CRASH_MARKERS:
        for l in lines:
            if marker in l:
                return l[:300]
    for l in lines:
        if l.startswith("error:") or " error: " in l:
            return l[:300]
    # A signal: the first stack frame outside the signal handler.
    for l in lines:
        m = FRAME.match(l)
        if m and not re.search(r"llvm::sys::|SignalHandler|__restore_rt|"
                               r"libc\.so|linux-vdso|PrintStackTrace", l):
            return "at " + re.sub(r"\s+\(/[^)]*\)$", "", m.group(1))[:300]
    for l in lines:
        if not l.startswith(NOISE) and not FRAME.match(l):
            return l[:300]
    return "(no message)"


def sig_name(rc):
    try:
        return signal.Signals(-rc).name
    except (ValueError, AttributeError):
        return "signal %d" % -rc


class Timeout(Exception):
    pass


def run_cmd(cmd, deadline, **kw):
    left = deadline - time.time()
    if left <= 0:
        raise Timeout()
    try:
        return subprocess.run(cmd, capture_output=True, timeout=left, **kw)
    except subprocess.TimeoutExpired:
        raise Timeout()


def run_compiler(args, cmd, deadline):
    """Runs edge-aotc; waits for it while it is being rebuilt (missing)."""
    for _ in range(60):
        if os.access(args.compiler, os.X_OK):
            try:
                return run_cmd(cmd, deadline)
            except OSError:  # e.g. ETXTBSY while it is relinked
                pass
        if time.time() + 10 > deadline:
            break
        time.sleep(10)
    raise Timeout()


def check_case(case, args):
    t_start = time.time()
    deadline = t_start + args.timeout
    try:
        _check_case(case, args, deadline)
    except Timeout:
        case.ok = False
        case.reason = "timeout (%ds)" % args.timeout
    except Exception as e:  # a bug of this script or unreadable data
        case.ok = False
        case.reason = "runner error: %s: %s" % (type(e).__name__,
                                                first_line(str(e), 200))
    # Paths of the data directory would make reasons differ between runs.
    case.reason = case.reason.replace(case.path + os.sep, "")
    case.crash = case.crash.replace(case.path + os.sep, "")
    case.total_s = time.time() - t_start
    return case


def _check_case(case, args, deadline):
    model = onnx.load(os.path.join(case.path, "model.onnx"))
    case.ops, graph_inputs = model_info(model)
    work = os.path.join(args.workdir, case.name)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)

    sets = sorted(glob.glob(os.path.join(case.path, "test_data_set_*")),
                  key=lambda p: int(p.rsplit("_", 1)[1]))
    if not sets:
        case.reason = "no test data"
        return
    # Inputs of every data set, converted to .bin files.
    prepared = []
    for k, ds in enumerate(sets):
        n_in = len(glob.glob(os.path.join(ds, "input_*.pb")))
        n_out = len(glob.glob(os.path.join(ds, "output_*.pb")))
        ins, shapes = [], {}
        for j in range(n_in):
            if j >= len(graph_inputs) or \
                    not graph_inputs[j].type.HasField("tensor_type"):
                case.reason = "non-tensor graph input %d (sequence/optional)" % j
                ins = None
                break
            t = load_tensor(os.path.join(ds, "input_%d.pb" % j))
            raw, _ = tensor_bytes(t)
            if raw is None:
                case.reason = "string tensor input %d" % j
                ins = None
                break
            shapes[graph_inputs[j].name] = list(t.dims)
            p = os.path.join(work, "ds%d_in%d.bin" % (k, j))
            with open(p, "wb") as f:
                f.write(raw)
            ins.append(p)
        if ins is None:
            # Still compile: the compiler's own verdict is more useful.
            prepared = None
            break
        # --input-shape for inputs with a dynamic (or missing) dimension.
        shape_args = []
        for gi in graph_inputs:
            tt = gi.type.tensor_type
            dyn = not tt.HasField("shape") or any(
                not d.HasField("dim_value") for d in tt.shape.dim)
            if dyn and gi.name in shapes:
                dims = shapes[gi.name]
                shape_args.append("--input-shape=%s:%s" % (
                    gi.name, "x".join(str(d) for d in dims)))
        prepared.append((ds, ins, n_out, shape_args))

    data_reason = case.reason
    compiled_for = None
    exe = os.path.join(work, "run")
    names = [gi.name for gi in graph_inputs]
    frozen = set()
    for ds, ins, n_out, shape_args in (prepared or [(None, [], 0, [])]):
        # Inputs the compiler needs as compile-time constants (a Reshape's
        # shape, a Slice's starts, ...) are frozen to this data set's values
        # with --freeze-input; data inputs never are.
        while True:
            freeze_args = ["--freeze-input=%s:%s" % (
                n, os.path.join(ds, "input_%d.pb" % names.index(n)))
                for n in sorted(frozen)] if ds else []
            if compiled_for == (shape_args, freeze_args, ds if frozen else None):
                break
            need = compile_and_link(case, args, work, shape_args + freeze_args,
                                    deadline)
            if need is True:
                compiled_for = (shape_args, freeze_args, ds if frozen else None)
                break
            if need and need in names and need not in frozen and ds:
                frozen.add(need)
                continue
            return
        if prepared is None:
            case.reason = data_reason
            return
        case.frozen = sorted(frozen)
        ins = [p for p, n in zip(ins, names) if n not in frozen]
        outs = [os.path.join(work, "out%d.bin" % k) for k in range(n_out)]
        for o in outs:
            if os.path.exists(o):
                os.remove(o)
        r = run_cmd([exe] + ins + outs, deadline)
        if r.returncode != 0:
            msg = first_line(r.stderr.decode(errors="replace"), 200)
            rc = r.returncode if r.returncode > 0 else sig_name(r.returncode)
            case.reason = "run failed (%s)%s" % (rc, ": " + msg if msg else "")
            return
        for k, o in enumerate(outs):
            ref = load_tensor(os.path.join(ds, "output_%d.pb" % k))
            err = compare(k, o, ref)
            if err:
                case.reason = err
                return
    case.ok = True
    case.reason = ""


def compile_and_link(case, args, work, shape_args, deadline):
    obj = os.path.join(work, "m.o")
    cmd = [args.compiler, os.path.join(case.path, "model.onnx"),
           "-target=x86_64", "--name=m", "-o", obj] + shape_args
    for attempt in range(2):
        t0 = time.time()
        r = run_compiler(args, cmd, deadline)
        case.compile_s += time.time() - t0
        err = r.stderr.decode(errors="replace")
        lines = [l.strip() for l in err.splitlines()]
        errs = [l for l in lines if l.startswith("error:")]
        clean = r.returncode == 0 or (
            r.returncode == 1 and errs and
            not any(m in err for m in CRASH_MARKERS + ("Stack dump",)))
        if clean:
            break
        # A crash: once more, in case edge-aotc was being rebuilt under us.
        time.sleep(5)
    if r.returncode != 0:
        if clean:
            case.reason = errs[0][:300]
            m = re.search(r"input \d+ \('([^']+)'\) must be a compile-time "
                          r"constant", errs[0])
            if m:
                return m.group(1)
        else:
            rc = r.returncode if r.returncode > 0 else sig_name(r.returncode)
            case.crash = "compiler crashed (%s): %s" % (rc, crash_message(err))
            case.reason = case.crash
            with open(os.path.join(work, "compiler-crash.txt"), "w") as f:
                f.write(" ".join(shlex.quote(c) for c in cmd) + "\n" + err)
        return False
    r = run_cmd(shlex.split(args.cxx) + [
        "-std=c++17", "-O1", "-I" + work, '-DEDGE_HEADER="m.h"',
        "-DEDGE_NS=m", args.harness, obj, "-o", os.path.join(work, "run")],
        deadline)
    if r.returncode != 0:
        out = r.stderr.decode(errors="replace")
        errs = [l.strip() for l in out.splitlines() if "error" in l]
        case.reason = "link failed: %s" % (
            (errs[0] if errs else first_line(out))[:200])
        return False
    return True


def compare(k, path, ref):
    if ref.data_type == TP.STRING:
        return "string tensor output %d" % k
    want = expected_nbytes(ref)
    with open(path, "rb") as f:
        raw = f.read()
    if len(raw) != want:
        return "output %d: %d bytes, reference has %d (%s %s)" % (
            k, len(raw), want, TP.DataType.Name(ref.data_type),
            list(ref.dims))
    _, b = tensor_bytes(ref)
    a = decode_output(raw, ref).reshape(b.shape)
    if b.dtype.kind in "fc":
        a64, b64 = a.astype(np.float64), b.astype(np.float64)
        close = np.isclose(a64, b64, rtol=DEFAULT_RTOL, atol=DEFAULT_ATOL,
                           equal_nan=True)
        if close.all():
            return None
        with np.errstate(invalid="ignore"):
            diff = np.abs(a64 - b64)
        bad = ~close
        d = diff[bad]
        d = d[~np.isnan(d)]
        nan_bad = int(np.count_nonzero(np.isnan(a64[bad]) != np.isnan(b64[bad])))
        return "mismatch: output %d max_abs_err=%.3g (%d/%d elements off%s)" % (
            k, float(d.max()) if d.size else float("nan"),
            int(bad.sum()), b.size,
            ", %d NaN" % nan_bad if nan_bad else "")
    if np.array_equal(a, b):
        return None
    bad = a != b
    diff = np.abs(a.astype(np.float64) - b.astype(np.float64))
    return "mismatch: output %d (%s) max_abs_err=%.3g (%d/%d elements differ)" % (
        k, TP.DataType.Name(ref.data_type).lower(), float(diff.max()),
        int(bad.sum()), b.size)


# -------------------------------------------------------- expectations ----

def read_expectations(path):
    exp = {}
    if not os.path.exists(path):
        return exp
    with open(path) as f:
        for line in f:
            body, _, reason = line.partition("#")
            name = body.strip()
            if name:
                exp[name] = reason.strip()
    return exp


def one_line(reason, limit=160):
    reason = " ".join(reason.split())
    return reason if len(reason) <= limit else reason[:limit - 3] + "..."


def write_expectations(path, exp):
    width = max([len(n) for n in exp] + [0])
    with open(path, "w") as f:
        f.write("# ONNX backend node-suite cases edge-aotc is not expected to "
                "pass on x86_64\n"
                "# (test/onnx-node/run_node_suite.py). One case a line: "
                "`test_name  # reason`.\n"
                "# Regenerate with run_node_suite.py --update-expectations; "
                "a case that starts\n# passing must be removed from here "
                "(the run fails on unexpected passes).\n")
        for name in sorted(exp):
            f.write("%s  # %s\n" % (name.ljust(width), exp[name]))


def normalize(reason):
    """A failure reason without node names and numbers, for grouping."""
    r = re.sub(r"node '[^']*' ", "", reason)
    r = re.sub(r"max_abs_err=\S+ \(\d+/\d+ elements (off|differ)[^)]*\)",
               r"(elements \1)", r)
    r = re.sub(r"\d+ bytes, reference has \d+ \(.*\)", "wrong byte size", r)
    return one_line(r, 120)


# --------------------------------------------------------------- table ----

def write_table(path, cases):
    by_op = collections.defaultdict(list)
    opset = collections.defaultdict(set)
    for c in cases:
        for op, v in c.ops.items():
            by_op[op].append(c)
            opset[op].add(v)
    total = len(cases)
    npass = sum(c.ok for c in cases)
    rows = []
    for op in sorted(by_op, key=lambda o: (o.count("."), o.lower())):
        cs = by_op[op]
        p = sum(c.ok for c in cs)
        status = ("supported" if p == len(cs) else
                  "partial" if p else "not supported")
        reasons = collections.Counter(normalize(c.reason) for c in cs
                                      if not c.ok)
        note = ""
        if reasons:
            r, n = sorted(reasons.items(), key=lambda x: (-x[1], x[0]))[0]
            note = "%s (%d)" % (r, n) if len(reasons) > 1 else r
        lo, hi = min(opset[op]), max(opset[op])
        rng = str(lo) if lo == hi else "%d–%d" % (lo, hi)
        note = note.replace("|", "\\|")
        rows.append("| %s | %s | %d / %d | %s | %s |" % (
            op, rng, p, len(cs), status, note))
    n_ops = len(by_op)
    n_sup = sum(1 for op in by_op if all(c.ok for c in by_op[op]))
    n_part = sum(1 for op in by_op if any(c.ok for c in by_op[op])
                 and not all(c.ok for c in by_op[op]))
    with open(path, "w") as f:
        f.write("# Supported ONNX operators (x86_64)\n\n")
        f.write(
            "Generated by `test/onnx-node/run_node_suite.py --write-table` "
            "from ONNX's backend node test suite (python3-onnx 1.12, %d "
            "cases): each case is compiled with `edge-aotc -target=x86_64`, "
            "linked with `test/e2e/harness.cpp`, run, and its outputs are "
            "compared with ONNX's references (floats: rtol 1e-3, atol 1e-7; "
            "integers and bools exactly). The suite feeds shape-like operands "
            "(a Reshape's shape, a Slice's starts, TopK's k...) as graph "
            "inputs; when edge-aotc reports that such an input must be a "
            "compile-time constant, the case is compiled with "
            "`--freeze-input=NAME:input_N.pb` (its value from the data set) "
            "and run on the remaining inputs. Do not edit by hand.\n\n" % total)
        f.write("**%d / %d cases pass (%.1f%%).** %d op types appear in the "
                "suite: %d supported, %d partial, %d not supported.\n\n" % (
                    npass, total, 100.0 * npass / max(total, 1), n_ops,
                    n_sup, n_part, n_ops - n_sup - n_part))
        f.write(
            "A case counts for every op type of its model's graph (the "
            "`_expanded` cases spell a function op out in primitive ops, so "
            "they count for those). *Opsets* is the range of the default "
            "domain's (or the op's domain's) opset the suite's models "
            "import. *Notes* is the most common failure reason (with its "
            "count when the failures differ); node names are left out.\n\n")
        f.write("| Op | Opsets | Cases passed | Status | Notes |\n")
        f.write("|---|---|---|---|---|\n")
        f.write("\n".join(rows) + "\n")


# ---------------------------------------------------------------- main ----

def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--data", default=os.path.join(ROOT, "build", "test",
                                                  "onnx-node-data"),
                   help="suite directory (DIR/node); generated when absent")
    p.add_argument("--workdir", default=None,
                   help="per-case build directories (default DATA/work)")
    p.add_argument("--compiler", default=None,
                   help="edge-aotc (default: on PATH, else build/bin)")
    p.add_argument("--cxx", default="c++")
    p.add_argument("--harness", default=DEFAULT_HARNESS)
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--timeout", type=int, default=120,
                   help="seconds per case (compile, link, runs)")
    p.add_argument("--filter", default="", help="regex over case names")
    p.add_argument("--expectations", default=DEFAULT_EXPECTATIONS)
    p.add_argument("--update-expectations", action="store_true")
    p.add_argument("--write-table", metavar="FILE")
    p.add_argument("--json", metavar="FILE")
    p.add_argument("-v", "--verbose", action="store_true",
                   help="one line per case")
    args = p.parse_args()

    if args.compiler is None:
        args.compiler = shutil.which("edge-aotc") or os.path.join(
            ROOT, "build", "bin", "edge-aotc")
    args.compiler = os.path.abspath(args.compiler)
    args.data = os.path.abspath(args.data)
    args.workdir = os.path.abspath(args.workdir or
                                   os.path.join(args.data, "work"))
    node_dir = os.path.join(args.data, "node")
    if not glob.glob(os.path.join(node_dir, "test_*", "model.onnx")):
        print("node-suite: generating the ONNX backend test data in %s"
              % args.data, flush=True)
        generate_suite(args.data)
    names = sorted(d for d in os.listdir(node_dir)
                   if os.path.isfile(os.path.join(node_dir, d, "model.onnx")))
    total_suite = len(names)
    if args.filter:
        rx = re.compile(args.filter)
        names = [n for n in names if rx.search(n)]
    os.makedirs(args.workdir, exist_ok=True)

    expect_fail = read_expectations(args.expectations)
    cases = [Case(n, os.path.join(node_dir, n)) for n in names]
    t0 = time.time()
    lock = threading.Lock()
    with concurrent.futures.ThreadPoolExecutor(max(1, args.jobs)) as pool:
        for c in pool.map(lambda c: check_case(c, args), cases):
            if args.verbose:
                with lock:
                    print("%s %s%s" % ("PASS" if c.ok else "FAIL", c.name,
                                       "" if c.ok else ": " + c.reason),
                          flush=True)
    elapsed = time.time() - t0

    unexpected_fail = [c for c in cases if not c.ok and c.name not in expect_fail]
    unexpected_pass = [c for c in cases if c.ok and c.name in expect_fail]
    crashes = [c for c in cases if c.crash]
    for c in unexpected_fail:
        print("UNEXPECTED FAIL %s: %s" % (c.name, c.reason))
    for c in unexpected_pass:
        print("UNEXPECTED PASS %s (remove it from %s)" % (
            c.name, os.path.basename(args.expectations)))
    for c in crashes:
        print("CRASH %s: %s" % (c.name, c.crash))
    stale = sorted(set(expect_fail) - set(os.listdir(node_dir)))
    for n in stale:
        print("note: %s in %s is not a case of this suite" % (
            n, os.path.basename(args.expectations)))

    if args.update_expectations:
        ran = {c.name for c in cases}
        new = {n: r for n, r in expect_fail.items()
               if n not in ran and n not in stale}
        for c in cases:
            if not c.ok:
                new[c.name] = one_line(c.reason)
        write_expectations(args.expectations, new)
        print("node-suite: wrote %s (%d cases)" % (args.expectations, len(new)))
    if args.write_table:
        write_table(args.write_table, cases)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"elapsed_s": round(elapsed, 1), "cases": [{
                "name": c.name, "pass": c.ok, "reason": c.reason,
                "expected_fail": c.name in expect_fail,
                "crash": c.crash, "ops": c.ops, "frozen": c.frozen,
                "compile_s": round(c.compile_s, 3),
                "total_s": round(c.total_s, 3)} for c in cases]},
                f, indent=1, sort_keys=True)

    npass = sum(c.ok for c in cases)
    bad = 0 if args.update_expectations else \
        len(unexpected_fail) + len(unexpected_pass)
    print("node-suite: %d passed, %d failed" % (len(cases) - bad, bad))
    print("node-suite: %d/%d cases pass (%.1f%%)%s in %.0f s" % (
        npass, total_suite if not args.filter else len(cases),
        100.0 * npass / max(1, total_suite if not args.filter else len(cases)),
        "" if not args.filter else " (filtered; suite has %d)" % total_suite,
        elapsed))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
