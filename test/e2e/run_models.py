#!/usr/bin/python3
"""Compile every model of a manifest with edge-aotc, link the harness, run
it (natively or under qemu-user) and compare every output with its
reference: max|out - ref| <= tol * max(1, max|ref|).

  run_models.py --compiler BIN --manifest DIR/manifest.json --target T
                [--qemu 'qemu-riscv64 -cpu rv64,v=true,vlen=128']
                [--cxx aarch64-linux-gnu-g++] [--only a,b] [--jobs N]

Prints one line per model and a closing 'N passed, N failed' line; exits
non-zero when any model fails.
"""
import argparse
import concurrent.futures
import json
import os
import shlex
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def check_model(entry, args, workdir):
    model = entry["model"]
    stem = os.path.splitext(model)[0]
    name = "m_" + "".join(c if c.isalnum() else "_" for c in stem)
    mdir = os.path.dirname(os.path.abspath(args.manifest))
    obj = os.path.join(workdir, stem + ".o")
    t0 = time.time()
    r = run([args.compiler, os.path.join(mdir, model), "-target=" + args.target,
             "-o", obj, "--name=" + name] + args.extra
            + (["--report=" + os.path.join(workdir, stem + ".json")] if args.check_arena else []))
    compile_s = time.time() - t0
    if r.returncode != 0:
        return False, "compile failed: " + (r.stderr.strip().splitlines() or ["?"])[0], compile_s
    exe = os.path.join(workdir, stem + ".exe")
    cxx = shlex.split(args.cxx)
    r = run(cxx + ["-std=c++17", "-O1", "-I" + workdir,
                   "-DEDGE_HEADER=\"%s.h\"" % stem, "-DEDGE_NS=" + name,
                   os.path.join(HERE, "harness.cpp"), obj, "-o", exe]
            + (["-static"] if args.qemu else []))
    if r.returncode != 0:
        return False, "link failed: " + r.stderr.strip()[:500], compile_s
    ins = [os.path.join(mdir, i["file"]) for i in entry["inputs"]]
    outs = [os.path.join(workdir, "%s.out%d.bin" % (stem, k))
            for k in range(len(entry["outputs"]))]
    r = run(shlex.split(args.qemu) + [exe] + ins + outs, timeout=args.timeout)
    if r.returncode != 0:
        return False, "run failed (%d): %s" % (r.returncode, r.stderr.strip()[:300]), compile_s
    msgs, ok = [], True
    for o, ref in zip(outs, entry["outputs"]):
        dtype = np.dtype(ref.get("dtype", "float32"))
        a = np.fromfile(o, dtype=dtype)
        b = np.fromfile(os.path.join(mdir, ref["file"]), dtype=dtype)
        if a.shape != b.shape:
            return False, "output %s: %d values, reference has %d" % (ref["name"], a.size, b.size), compile_s
        if dtype.kind in "iu":  # integers: exact
            bad = int(np.count_nonzero(a != b))
            ok &= bad == 0
            msgs.append("%s mismatches=%d (exact)" % (ref["name"], bad))
            continue
        err = float(np.max(np.abs(a.astype(np.float64) - b))) if a.size else 0.0
        if not np.all(np.isfinite(a)):
            err = float("inf")
        bound = args.tol * max(1.0, float(np.max(np.abs(b))) if b.size else 1.0)
        ok &= err <= bound
        msgs.append("%s max_err=%.3g bound=%.3g" % (ref["name"], err, bound))
    if args.check_arena:
        # The plan: arena within the ratio of the lower bound (the most bytes
        # live at one op), and below the sum of all intermediate tensors.
        with open(os.path.join(workdir, stem + ".json")) as f:
            rep = json.load(f)
        arena, lb = rep["arena_bytes"], rep["arena_lower_bound_bytes"]
        total = rep["intermediate_tensor_bytes"]
        good = arena <= args.check_arena * lb and arena < total
        ok &= good
        msgs.append("arena %d B = %.3fx lower bound %d B, %.2fx of all intermediates "
                    "%d B%s" % (arena, arena / max(lb, 1), lb, arena / max(total, 1),
                                total, "" if good else " (FAILS the plan check)"))
    return ok, "; ".join(msgs), compile_s


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--compiler", required=True)
    p.add_argument("--manifest", required=True)
    p.add_argument("--target", default="x86_64")
    p.add_argument("--qemu", default="")
    p.add_argument("--cxx", default="c++")
    p.add_argument("--only", default="")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    p.add_argument("--tol", type=float, default=1e-4)
    p.add_argument("--timeout", type=int, default=900)
    p.add_argument("--workdir", default="")
    p.add_argument("--check-arena", type=float, default=0.0,
                   help="also require arena_bytes <= RATIO * arena_lower_bound_bytes "
                        "and < the sum of intermediate tensors (--report)")
    p.add_argument("extra", nargs="*", help="extra edge-aotc flags")
    args = p.parse_args()
    with open(args.manifest) as f:
        entries = json.load(f)["models"]
    if args.only:
        keep = set(args.only.split(","))
        entries = [e for e in entries if os.path.splitext(e["model"])[0] in keep]
    workdir = args.workdir or tempfile.mkdtemp(prefix="edge-e2e-")
    os.makedirs(workdir, exist_ok=True)
    failed = 0
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        futs = [(e, pool.submit(check_model, e, args, workdir)) for e in entries]
        for e, fut in futs:
            try:
                ok, msg, secs = fut.result()
            except Exception as ex:  # a timeout or a harness crash
                ok, msg, secs = False, "error: %s" % ex, 0.0
            failed += not ok
            print("%s %s [%s, compile %.2fs] %s" % ("PASS" if ok else "FAIL",
                  e["model"], args.target, secs, msg), flush=True)
    print("e2e: %d passed, %d failed" % (len(entries) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
