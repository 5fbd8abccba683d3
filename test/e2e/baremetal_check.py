#!/usr/bin/python3
"""Compares the checksum lines of the bare-metal examples
(examples/baremetal/common/main.c) with those of the host build:

  baremetal_check.py [--rtol 1e-4] HOST.txt RUN.txt [RUN.txt ...]

Each file is the console output of one run (UART text may carry '\\r').
Every run must end with 'checksum done', print no 'FAIL', and have the same
outputs, names and element counts as the host. Numbers may differ in their
last bits (FMA contraction, vector reductions), so each one must be within
rtol of the host's, relative to a scale that does not vanish: |abs| for sum,
abs and wsum (sum of |y| bounds their rounding), max(|ref|, abs/count) for the
first elements. NaN and inf must match exactly. Prints one line per run and
exits non-zero on any mismatch.
"""
import argparse
import math
import re
import sys

LINE = re.compile(r"^output (\d+) (.*) count=(\d+) sum=(\S+) abs=(\S+) "
                  r"wsum=(\S+) first=(.*)$")


def parse(path):
    with open(path, errors="replace") as f:
        text = f.read().replace("\r", "")
    lines = text.splitlines()
    problems = [l for l in lines if "FAIL" in l]
    if "checksum done" not in lines:
        problems.append("no 'checksum done' line")
    outs = []
    for l in lines:
        m = LINE.match(l)
        if m:
            outs.append({"index": int(m.group(1)), "name": m.group(2),
                         "count": int(m.group(3)),
                         "sum": float(m.group(4)), "abs": float(m.group(5)),
                         "wsum": float(m.group(6)),
                         "first": [float(v) for v in m.group(7).split()]})
    if not outs:
        problems.append("no 'output' line")
    return outs, problems


def close(a, b, scale, rtol):
    if math.isnan(a) or math.isnan(b) or math.isinf(a) or math.isinf(b):
        return (math.isnan(a) and math.isnan(b)) or a == b
    return abs(a - b) <= rtol * scale


def compare(ref, run, rtol):
    """Returns (list of mismatches, largest relative deviation)."""
    errs, worst = [], 0.0
    if len(ref) != len(run):
        return ["%d outputs, host has %d" % (len(run), len(ref))], worst
    for r, o in zip(ref, run):
        tag = "output %d" % r["index"]
        for key in ("index", "name", "count"):
            if r[key] != o[key]:
                errs.append("%s: %s %r, host %r" % (tag, key, o[key], r[key]))
        if len(r["first"]) != len(o["first"]):
            errs.append("%s: %d first values, host %d"
                        % (tag, len(o["first"]), len(r["first"])))
        checks = [(k, o[k], r[k], abs(r["abs"])) for k in ("sum", "abs", "wsum")]
        mean = abs(r["abs"]) / max(r["count"], 1)
        checks += [("first[%d]" % i, a, b, max(abs(b), mean))
                   for i, (a, b) in enumerate(zip(o["first"], r["first"]))]
        for key, a, b, scale in checks:
            if scale == 0 or not math.isfinite(scale):
                scale = 1.0
            if not close(a, b, scale, rtol):
                errs.append("%s: %s = %r, host %r (rtol %g)" % (tag, key, a, b, rtol))
            elif math.isfinite(a) and math.isfinite(b):
                worst = max(worst, abs(a - b) / scale)
    return errs, worst


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rtol", type=float, default=1e-4)
    ap.add_argument("host")
    ap.add_argument("runs", nargs="+")
    args = ap.parse_args()
    ref, problems = parse(args.host)
    if problems:
        print("FAIL %s (host): %s" % (args.host, "; ".join(problems)))
        return 1
    failed = 0
    for path in args.runs:
        run, problems = parse(path)
        errs, worst = compare(ref, run, args.rtol) if not problems else ([], 0)
        if problems or errs:
            failed += 1
            print("FAIL %s: %s" % (path, "; ".join(problems + errs)))
        else:
            print("PASS %s: %d output(s) match the host (max deviation %.1e, "
                  "rtol %g)" % (path, len(run), worst, args.rtol))
    print("%d passed, %d failed" % (len(args.runs) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
