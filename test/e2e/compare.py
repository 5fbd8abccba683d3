#!/usr/bin/python3
"""Compare a raw float32 output against a raw float32 reference.

Usage: compare.py ACTUAL.bin REFERENCE.bin [--tol-scale 1e-4]

Both files are raw little-endian float32. Passes iff the sizes are equal, the
actual output contains no NaN/Inf (unless the reference has the same value at
that position), and
    max|a - r| <= tol_scale * max(1, max|r|).
Prints one line:  max_abs_err=... max_ref=... bound=... OK|FAIL
Exit status: 0 on OK, 1 on FAIL (including unreadable files / size mismatch).
"""
import argparse
import sys

import numpy as np


def load(path):
    with open(path, "rb") as f:
        data = f.read()
    if len(data) % 4:
        raise ValueError("%s: size %d is not a multiple of 4" % (path, len(data)))
    return np.frombuffer(data, dtype="<f4").astype(np.float64)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("actual")
    ap.add_argument("reference")
    ap.add_argument("--tol-scale", type=float, default=1e-4,
                    help="relative tolerance scale (default 1e-4)")
    args = ap.parse_args(argv)

    try:
        a = load(args.actual)
        r = load(args.reference)
    except (OSError, ValueError) as e:
        print("error: %s FAIL" % e)
        return 1
    if a.size != r.size:
        print("size_mismatch actual=%d reference=%d FAIL" % (a.size, r.size))
        return 1

    finite_r = r[np.isfinite(r)]
    max_ref = float(np.max(np.abs(finite_r))) if finite_r.size else 0.0
    bound = args.tol_scale * max(1.0, max_ref)
    if a.size == 0:
        print("max_abs_err=0 max_ref=0 bound=%.6g OK (empty)" % bound)
        return 0

    # Non-finite values must match exactly (same NaN-ness / same infinity).
    same_nonfinite = (np.isnan(a) & np.isnan(r)) | (np.isinf(a) & np.isinf(r) & (a == r))
    diff = np.where(same_nonfinite, 0.0, np.abs(a - r))
    diff = np.where(np.isnan(diff), np.inf, diff)
    max_err = float(np.max(diff))
    ok = max_err <= bound
    worst = int(np.argmax(diff))
    print("max_abs_err=%.6g max_ref=%.6g bound=%.6g %s"
          % (max_err, max_ref, bound, "OK" if ok else "FAIL"))
    if not ok:
        sys.stderr.write("worst index %d: actual=%.9g ref=%.9g\n" % (worst, a[worst], r[worst]))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
