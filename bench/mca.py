#!/usr/bin/python3
"""Cross-target kernel quality without hardware: llvm-mca throughput of the
inner conv/matmul micro-kernel as a fraction of the CPU's FMA peak.

For each kernel model (small one-node ONNX Conv/MatMul models shaped like our
hot layers) and each (target, CPU), this compiles the model with
`edge-aotc --emit=asm`, finds the micro-kernel (the innermost loop, i.e. a
label with a backward branch to it and no other backward branch inside, with
the most FMA instructions), runs llvm-mca on that loop body and computes

  kernel FLOP/cycle = sum over the body's FMAs of (lanes x 2) / (cycles/iter)
  peak FLOP/cycle   = the same for a synthetic body of independent FMAs of
                      the kernel's own vector type (RISC-V: its SEW/LMUL at
                      full VLMAX), run through the same llvm-mca model

with cycles/iter = mca's Total Cycles / iterations. "% of peak" is the ratio:
both numbers come from the same scheduling model, so a model that is
pessimistic about an FMA's cost cancels out. The table also gives the
nominal hardware peak (datasheet, FLOP/cycle) and, for RISC-V, the VLEN-512
LMUL=1 e32 vfmacc.vv peak.

  /usr/bin/python3 bench/mca.py                      # table, build/bench/mca.md/.json
  /usr/bin/python3 bench/mca.py --keep               # keep .s/.onnx in build/bench/mca/
  /usr/bin/python3 bench/mca.py --only cortex-a76 --kernels conv3x3_64

Exits non-zero with a message if a kernel cannot be found or llvm-mca fails:
it never prints a number it did not measure. A program that prints numbers:
nothing in it asserts a speed. See bench/README.md ("llvm-mca kernel
throughput").
"""

import argparse
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

import numpy

# Debian's onnx 1.12 still refers to these removed numpy aliases.
numpy.float, numpy.int, numpy.bool, numpy.object = float, int, bool, object

import onnx  # noqa: E402
from onnx import TensorProto, helper, numpy_helper  # noqa: E402

BENCH = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(BENCH)
DEFAULT_OUT = os.path.join(REPO, "build", "bench")
ITERATIONS = 200


class McaError(Exception):
    """The kernel or its numbers could not be obtained: no made-up number."""


# ----------------------------------------------------------------- targets ---

# (target, -mcpu, -mtriple for llvm-mca, nominal peak fp32 FLOP/cycle, note)
# Nominal peaks (one core): Cortex-A76 / Neoverse N1 2x128-bit FMA pipes =
# 16; SiFive X280 VLEN 512, DLEN 256: 8 fp32 FMA lanes/cycle = 16; Zen 4 two
# 256-bit FMA pipes (AVX-512 double-pumped) = 32.
CONFIGS = [
    ("aarch64", "cortex-a76", "aarch64", 16,
     "LLVM 22 schedules cortex-a76 with the Cortex-A57 model"),
    ("aarch64", "neoverse-n1", "aarch64", 16,
     "same microarchitecture as A76, its own LLVM model (cross-check)"),
    ("riscv64", "sifive-x280", "riscv64", 16, "VLEN 512, DLEN 256 (SiFive7 model)"),
    ("x86_64", "znver4", "x86_64", 32, "reference"),
]

# VLEN in bits implied by a RISC-V -mcpu (its zvl*b); used for VLMAX.
RISCV_VLEN = {"sifive-x280": 512, "sifive-p670": 128, "sifive-x390": 1024,
              "generic-rv64": 128, "spacemit-x60": 256}


# ------------------------------------------------------------------ models ---

def conv_model(name, cin, cout, hw, k, stride, pad, bias, seed=0):
    rng = numpy.random.RandomState(seed)
    w = (rng.rand(cout, cin, k, k).astype(numpy.float32) - 0.5) * 0.1
    inits = [numpy_helper.from_array(w, "W")]
    ins = ["X", "W"]
    if bias:
        inits.append(numpy_helper.from_array(
            (rng.rand(cout).astype(numpy.float32) - 0.5), "B"))
        ins.append("B")
    oh = (hw + 2 * pad - k) // stride + 1
    node = helper.make_node("Conv", ins, ["Y"], kernel_shape=[k, k],
                            strides=[stride, stride], pads=[pad] * 4)
    g = helper.make_graph(
        [node], name,
        [helper.make_tensor_value_info("X", TensorProto.FLOAT, [1, cin, hw, hw])],
        [helper.make_tensor_value_info("Y", TensorProto.FLOAT, [1, cout, oh, oh])],
        initializer=inits)
    return helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)],
                             producer_name="edge-aotc-mca")


def matmul_model(name, m, k, n, seed=0):
    rng = numpy.random.RandomState(seed)
    b = (rng.rand(k, n).astype(numpy.float32) - 0.5) * 0.1
    node = helper.make_node("MatMul", ["A", "B"], ["Y"])
    g = helper.make_graph(
        [node], name,
        [helper.make_tensor_value_info("A", TensorProto.FLOAT, [m, k])],
        [helper.make_tensor_value_info("Y", TensorProto.FLOAT, [m, n])],
        initializer=[numpy_helper.from_array(b, "B")])
    return helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)],
                             producer_name="edge-aotc-mca")


# name -> (description, builder)
KERNELS = {
    "conv3x3_64": ("Conv 3x3 64->64 56x56 s1 p1 +bias (resnet18)",
                   lambda: conv_model("conv3x3_64", 64, 64, 56, 3, 1, 1, True)),
    "conv1x1_96_24": ("Conv 1x1 96->24 56x56 +bias (mobilenet)",
                      lambda: conv_model("conv1x1_96_24", 96, 24, 56, 1, 1, 0, True)),
    "matmul_64x256x256": ("MatMul 64x256 @ 256x256",
                          lambda: matmul_model("matmul_64x256x256", 64, 256, 256)),
}
DEFAULT_KERNELS = ["conv3x3_64", "conv1x1_96_24", "matmul_64x256x256"]


# --------------------------------------------------------- asm extraction ---

LABEL_RE = re.compile(r"^([.\w$]+):")


def parse_asm(text, arch):
    """Lines of the .s as (kind, value, raw) with kind label|insn, directives
    and comments dropped; instructions keep their original text."""
    # AArch64 comments start with //, '#' is its immediate prefix.
    comment = re.compile(r"\s*//.*$" if arch == "aarch64" else r"\s*#.*$")
    out = []
    for raw in text.splitlines():
        line = comment.sub("", raw).rstrip()
        if not line.strip():
            continue
        m = LABEL_RE.match(line.strip())
        if m and not line[0].isspace() or (m and line.strip().endswith(":")):
            out.append(("label", m.group(1), line.strip()))
            rest = line.strip()[len(m.group(0)):].strip()
            if rest and not rest.startswith("."):
                out.append(("insn", rest, rest))
            continue
        s = line.strip()
        if s.startswith("."):
            continue  # directive
        out.append(("insn", s, s))
    return out


def branch_target(insn, labels):
    """The local label a branch instruction names, or None."""
    ops = re.split(r"[\s,]+", insn.strip())
    if not ops:
        return None
    mnem = ops[0].lower()
    if not (mnem.startswith(("b", "j", "cb", "tb")) or mnem in ("loop",)):
        return None
    for tok in reversed(ops[1:]):
        if tok in labels:
            return tok
    return None


def fma_lanes(arch, insn, vl):
    """Lanes (multiply-adds) of one FMA instruction, 0 if not an FMA.
    `vl` is the RISC-V vector length in effect."""
    parts = insn.strip().split(None, 1)
    mnem = parts[0].lower()
    ops = parts[1].strip() if len(parts) > 1 else ""
    if arch == "aarch64":
        if mnem not in ("fmla", "fmls", "fmadd", "fmsub", "fnmadd", "fnmsub"):
            return 0
        m = re.match(r"v\d+\.(\d+)([hsd])", ops)
        if m:
            return int(m.group(1))
        return 1  # scalar fmadd s0, s1, s2, s3
    if arch == "x86_64":
        m = re.match(r"v(fn?m(add|sub)(sub|add)?\d{3})(p|s)([sd])", mnem)
        if not m:
            return 0
        if m.group(4) == "s":
            return 1
        reg = ops.split(",")[-1].strip().lstrip("%")
        bits = {"x": 128, "y": 256, "z": 512}.get(reg[:1])
        if bits is None:
            raise McaError(f"cannot tell the vector width of '{insn}'")
        return bits // (32 if m.group(5) == "s" else 64)
    if arch == "riscv64":
        if re.match(r"vf(n?m(acc|add|sac|sub))\.v[vf]$", mnem):
            if vl is None:
                raise McaError(f"no vsetvli in effect for '{insn}'")
            return vl
        if mnem in ("fmadd.s", "fmsub.s", "fnmadd.s", "fnmsub.s",
                    "fmadd.d", "fmsub.d", "fnmadd.d", "fnmsub.d"):
            return 1
        return 0
    raise McaError(f"unknown arch {arch}")


VSET_RE = re.compile(
    r"^vset(i?)vli\s+(\w+),\s*(\w+),\s*e(\d+),\s*(mf?\d),\s*\w+,\s*\w+")


def riscv_vtype(insn, vlen, consts, prev=None):
    """(vl, sew, lmul string) set by a vsetvli/vsetivli, or None.
    consts: register -> known integer value (from li); prev: the vtype
    before (for `vsetvli zero, zero, ...`, which keeps vl)."""
    m = VSET_RE.match(insn.strip())
    if not m:
        return None
    imm, rd, avl, sew, lmul = m.groups()
    sew = int(sew)
    frac = lmul.startswith("mf")
    n = int(lmul[2:] if frac else lmul[1:])
    vlmax = vlen // sew // n if frac else vlen * n // sew
    if imm:
        vl = min(int(avl), vlmax)
    elif avl == "zero":
        # rd != zero: VLMAX; rd == zero: keep vl (only when the ratio holds)
        vl = vlmax if rd != "zero" else (prev[0] if prev else None)
    elif avl in consts:
        vl = min(consts[avl], vlmax)
    else:
        vl = None  # run-time AVL: unknown
    return vl, sew, lmul.upper()


def find_loops(lines):
    """Back edges: (start index of the label, index of the branch, label)."""
    labels = {v: i for i, (k, v, _) in enumerate(lines) if k == "label"}
    loops = []
    for j, (k, v, _) in enumerate(lines):
        if k != "insn":
            continue
        t = branch_target(v, labels)
        if t is not None and labels[t] < j:
            loops.append((labels[t], j, t))
    return loops


def extract_kernel(asm_text, arch, vlen=None):
    """The innermost loop with the most FMAs: dict with the body's
    instructions (for llvm-mca), FMA count, lanes and the vtype notes."""
    lines = parse_asm(asm_text, arch)
    loops = find_loops(lines)
    if not loops:
        raise McaError("no loop (no backward branch) in the assembly")
    # Innermost: no other back edge strictly inside [start, end].
    inner = [l for l in loops
             if not any(o is not l and l[0] <= o[0] and o[1] <= l[1] and
                        (o[0], o[1]) != (l[0], l[1]) for o in loops)]
    best = None
    for start, end, label in inner:
        body = [v for k, v, _ in lines[start:end + 1] if k == "insn"]
        # RISC-V: the vtype at loop entry (the last vsetvli in the body when
        # it has one, as the back edge carries it; else the last before).
        vt, consts = None, {}
        if arch == "riscv64":
            before = [v for k, v, _ in lines[:start] if k == "insn"]
            for insn in before + body:
                m = re.match(r"^(?:li|addi)\s+(\w+),\s*(?:zero,\s*)?(-?\d+)$", insn)
                if m:
                    consts[m.group(1)] = int(m.group(2))
            # Layout order up to the loop, then the body once: the state at
            # its end is the one the back edge brings to the loop entry.
            for insn in before + body:
                vt = riscv_vtype(insn, vlen, consts, vt) or vt
        fmas, flop_lanes, cur = 0, 0, vt
        for insn in body:
            if arch == "riscv64":
                cur = riscv_vtype(insn, vlen, consts, cur) or cur
            lanes = fma_lanes(arch, insn, cur[0] if cur else None)
            if lanes:
                fmas += 1
                flop_lanes += lanes
        cand = {"label": label, "body": body, "fmas": fmas, "fma_lanes": flop_lanes,
                "entry_vtype": vt}
        if fmas and (best is None or flop_lanes > best["fma_lanes"]):
            best = cand
    if best is None:
        raise McaError(f"none of the {len(inner)} innermost loops has an FMA "
                       "instruction")
    return best


def mca_input(arch, kernel):
    """The loop body as llvm-mca input; RISC-V gets its entry vtype as
    instrument comments (without them llvm-mca assumes the worst LMUL)."""
    pre = []
    if arch == "riscv64" and kernel["entry_vtype"]:
        _, sew, lmul = kernel["entry_vtype"]
        pre = [f"# LLVM-MCA-RISCV-LMUL {lmul}", f"# LLVM-MCA-RISCV-SEW E{sew}"]
    return "\n".join(pre + kernel["body"]) + "\n"


# ------------------------------------------------------------------ llvm-mca ---

def find_tool(name):
    for cand in (name + "-22", name, f"/usr/lib/llvm-22/bin/{name}"):
        p = shutil.which(cand) or (cand if os.path.isfile(cand) else None)
        if p:
            return p
    raise McaError(f"{name}-22 not found")


def run_mca(mca, triple, cpu, text, iterations=ITERATIONS):
    with tempfile.NamedTemporaryFile("w", suffix=".s", delete=False) as f:
        f.write(text)
        path = f.name
    try:
        cmd = [mca, f"-mtriple={triple}", f"-mcpu={cpu}", f"-iterations={iterations}",
               "-bottleneck-analysis", "-resource-pressure", "-instruction-info=false",
               path]
        p = subprocess.run(cmd, capture_output=True, text=True)
    finally:
        os.unlink(path)
    if p.returncode != 0:
        raise McaError(f"llvm-mca failed ({' '.join(cmd[:-1])}): {p.stderr.strip()[:2000]}")
    out = p.stdout
    if "warning" in p.stderr.lower() and "unknown" in p.stderr.lower():
        raise McaError(f"llvm-mca: {p.stderr.strip()[:500]}")

    def num(key):
        m = re.search(rf"^{key}:\s+([\d.]+)", out, re.M)
        if not m:
            raise McaError(f"llvm-mca output has no '{key}'")
        return float(m.group(1))

    res = {"iterations": int(num("Iterations")), "total_cycles": num("Total Cycles"),
           "instructions": int(num("Instructions")),
           "block_rthroughput": num("Block RThroughput")}
    res["cycles_per_iter"] = res["total_cycles"] / res["iterations"]
    res["bottleneck"] = bottleneck(out)
    res["pressure"] = resource_pressure(out)
    return res, out


def resource_pressure(out):
    """{resource: cycles per iteration} from 'Resource pressure per iteration'."""
    names = {}
    m = re.search(r"^Resources:\n(.*?)\n\n", out, re.M | re.S)
    if not m:
        return {}
    for line in m.group(1).splitlines():
        mm = re.match(r"\[([\d.]+)\]\s+-\s+(\S+)", line.strip())
        if mm:
            names[mm.group(1)] = mm.group(2)
    m = re.search(r"^Resource pressure per iteration:\n(.*?)\n(.*?)\n", out, re.M | re.S)
    if not m:
        return {}
    heads = re.findall(r"\[([\d.]+)\]", m.group(1))
    vals = m.group(2).split()
    pressure = {}
    for h, v in zip(heads, vals):
        if v != "-":
            name = names.get(h, h) + ("" if "." not in h else "." + h.split(".")[1])
            pressure[name] = pressure.get(name, 0) + float(v)
    return pressure


def bottleneck(out):
    """mca's bottleneck verdict, shortened."""
    if "No resource or data dependency bottlenecks discovered" in out:
        return "none (dispatch/issue bound)"
    parts = []
    m = re.search(r"Cycles with backend pressure increase \[\s*([\d.]+)%\s*\]", out)
    if m:
        parts.append(f"backend pressure {m.group(1)}%")
    for key in ("Resource Pressure", "Data Dependencies"):
        m = re.search(rf"- {key}\s*\[\s*([\d.]+)%\s*\]", out)
        if m:
            parts.append(f"{key.lower()} {m.group(1)}%")
    m = re.search(r"- Register Dependencies \[\s*([\d.]+)%\s*\]", out)
    if m and float(m.group(1)) > 0:
        parts.append(f"reg deps {m.group(1)}%")
    return ", ".join(parts) or "?"


def top_resources(pressure, n=2):
    """The busiest resources as 'name cycles/iter'."""
    items = sorted(pressure.items(), key=lambda kv: -kv[1])[:n]
    return "; ".join(f"{k} {v:.1f}" for k, v in items)


# ------------------------------------------------------------------- peaks ---

def peak_body(arch, kernel):
    """A synthetic body of independent FMAs of the kernel's vector type, and
    the FMA lanes it performs per iteration."""
    body = kernel["body"]
    if arch == "aarch64":
        arr = None
        for insn in body:
            m = re.match(r"fml[as]\s+v\d+\.(\d+[sd])", insn)
            if m:
                arr = m.group(1)
                break
        arr = arr or "4s"
        n = 24
        return ([f"fmla v{i}.{arr}, v30.{arr}, v31.{arr}" for i in range(n)],
                n * int(arr[:-1]), f"{n} x fmla .{arr}")
    if arch == "x86_64":
        reg, kind = "ymm", "ps"
        for insn in body:
            m = re.match(r"vfn?m\w+?(p[sd])\s+.*%([xyz]mm)\d+\s*$", insn)
            if m:
                kind, reg = m.group(1), m.group(2)
                break
        nregs = 32 if reg == "zmm" else 16
        n = nregs - 4
        lanes = {"xmm": 128, "ymm": 256, "zmm": 512}[reg] // (32 if kind == "ps" else 64)
        return ([f"vfmadd231{kind} %{reg}{nregs - 1}, %{reg}{nregs - 2}, %{reg}{i}"
                 for i in range(n)], n * lanes, f"{n} x vfmadd231{kind} {reg}")
    raise McaError(f"no peak body for {arch}")


def riscv_peak_body(lmul, sew, vlen):
    step = {"MF8": 1, "MF4": 1, "MF2": 1, "M1": 1, "M2": 2, "M4": 4, "M8": 8}[lmul]
    regs = [r for r in range(step, 24, step)][:12]
    frac = lmul.startswith("MF")
    n = int(lmul[2:] if frac else lmul[1:])
    vlmax = vlen // sew // n if frac else vlen * n // sew
    body = [f"# LLVM-MCA-RISCV-LMUL {lmul}", f"# LLVM-MCA-RISCV-SEW E{sew}"] + \
           [f"vfmacc.vv v{r}, v24, v24" for r in regs]
    return body, len(regs) * vlmax, f"{len(regs)} x vfmacc.vv e{sew} {lmul.lower()} (VL {vlmax})"


# -------------------------------------------------------------------- main ---

def compile_asm(compiler, model_path, target, cpu, out_s, extra=()):
    cmd = [compiler, model_path, f"-target={target}", f"-mcpu={cpu}", "--emit=asm",
           "-o", out_s, *extra]
    try:
        p = subprocess.run(cmd, capture_output=True, text=True)
    except OSError as e:
        raise McaError(f"cannot run {compiler}: {e}")
    if p.returncode != 0:
        raise McaError(f"edge-aotc failed: {' '.join(map(shlex.quote, cmd))}\n"
                       f"{p.stderr.strip()[:2000]}")
    return cmd


def measure(args, kernels=None, configs=None, work=None, log=print):
    """Runs every (config, kernel); returns the list of result dicts. Raises
    McaError when any kernel cannot be found or measured."""
    mca = find_tool("llvm-mca")
    kernels = kernels or DEFAULT_KERNELS
    configs = configs or CONFIGS
    work = work or tempfile.mkdtemp(prefix="edge-mca-")
    os.makedirs(work, exist_ok=True)
    results, peaks = [], {}
    for kname in kernels:
        if kname not in KERNELS:
            raise McaError(f"unknown kernel '{kname}' (have {', '.join(KERNELS)})")
        desc, build = KERNELS[kname]
        mpath = os.path.join(work, kname + ".onnx")
        onnx.save(build(), mpath)
        for target, cpu, triple, nominal, note in configs:
            s = os.path.join(work, f"{kname}.{target}.{cpu}.s")
            compile_asm(args.compiler, mpath, target, cpu, s)
            vlen = RISCV_VLEN.get(cpu) if target == "riscv64" else None
            if target == "riscv64" and vlen is None:
                raise McaError(f"VLEN of -mcpu={cpu} unknown: add it to RISCV_VLEN")
            try:
                k = extract_kernel(open(s).read(), target, vlen)
            except McaError as e:
                raise McaError(f"{kname} {target} -mcpu={cpu}: {e} (asm: {s})")
            text = mca_input(target, k)
            with open(s[:-2] + ".kernel.s", "w") as f:
                f.write(text)
            r, out = run_mca(mca, triple, cpu, text)
            with open(s[:-2] + ".mca.txt", "w") as f:
                f.write(out)
            # Peak of the same vector type, same model.
            if target == "riscv64":
                if not k["entry_vtype"]:
                    raise McaError(f"{kname} {cpu}: no vtype in effect for the kernel")
                _, sew, lmul = k["entry_vtype"]
                pkey = (triple, cpu, lmul, sew)
                pbody, plan, pdesc = riscv_peak_body(lmul, sew, vlen)
            else:
                pbody, plan, pdesc = peak_body(target, k)
                pkey = (triple, cpu, pdesc)
            if pkey not in peaks:
                pr, _ = run_mca(mca, triple, cpu, "\n".join(pbody) + "\n")
                peaks[pkey] = (2 * plan / pr["cycles_per_iter"], pdesc)
            peak, pdesc = peaks[pkey]
            extra_peak = None
            if target == "riscv64":
                key = (triple, cpu, "M1", 32)
                if key not in peaks:
                    b1, l1, d1 = riscv_peak_body("M1", 32, vlen)
                    pr, _ = run_mca(mca, triple, cpu, "\n".join(b1) + "\n")
                    peaks[key] = (2 * l1 / pr["cycles_per_iter"], d1)
                extra_peak = peaks[key][0]
            cyc = r["cycles_per_iter"]
            flop = 2 * k["fma_lanes"] / cyc
            vt = k["entry_vtype"]
            res = {
                "kernel": kname, "kernel_desc": desc, "target": target, "cpu": cpu,
                "note": note, "loop_label": k["label"],
                "instructions": len(k["body"]), "fmas": k["fmas"],
                "lanes_per_fma": k["fma_lanes"] / k["fmas"],
                "vtype": (f"e{vt[1]} {vt[2].lower()} vl={vt[0]}" if vt else None),
                "cycles_per_iter": cyc, "block_rthroughput": r["block_rthroughput"],
                "flop_per_cycle": flop, "peak_flop_per_cycle": peak, "peak_body": pdesc,
                "pct_peak": 100 * flop / peak,
                "nominal_peak": nominal, "pct_nominal": 100 * flop / nominal,
                "riscv_m1_e32_peak": extra_peak,
                "bottleneck": r["bottleneck"],
                "top_resources": top_resources(r["pressure"]),
                "asm": s,
            }
            results.append(res)
            log(f"mca: {kname} {target} {cpu}: {k['fmas']} FMAs in {cyc:.1f} cycles/iter "
                f"= {flop:.2f} FLOP/cycle, {res['pct_peak']:.0f}% of {peak:.2f}")
    return results


def table_md(results):
    lines = [
        "| target | cpu | kernel | insns/iter | FMAs/iter | lanes/FMA | cycles/iter "
        "| FLOP/cycle | mca peak FLOP/cycle | % of peak | % of nominal | busiest resources "
        "(cycles/iter) | mca bottleneck |",
        "|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|---|---|",
    ]
    for r in results:
        vt = f" ({r['vtype']})" if r.get("vtype") else ""
        lines.append(
            f"| {r['target']} | {r['cpu']} | {r['kernel']}{vt} | {r['instructions']} "
            f"| {r['fmas']} | {r['lanes_per_fma']:g} | {r['cycles_per_iter']:.1f} "
            f"| {r['flop_per_cycle']:.2f} | {r['peak_flop_per_cycle']:.2f} "
            f"| **{r['pct_peak']:.0f}%** | {r['pct_nominal']:.0f}% of {r['nominal_peak']} "
            f"| {r['top_resources']} | {r['bottleneck']} |")
    return "\n".join(lines)


def notes_md(results):
    seen, lines = set(), []
    for r in results:
        key = (r["target"], r["cpu"])
        if key in seen:
            continue
        seen.add(key)
        extra = (f"; VLEN-512 LMUL=1 e32 vfmacc.vv peak {r['riscv_m1_e32_peak']:.2f} FLOP/cycle"
                 if r.get("riscv_m1_e32_peak") else "")
        lines.append(f"- {r['cpu']}: mca peak = {r['peak_body']} ({r['note']}){extra}")
    return "\n".join(lines)


def report_md(results, command, commit=None):
    md = ["## llvm-mca micro-kernel throughput", "",
          f"- command: `{command}`" + (f"; edge-aotc commit `{commit}`" if commit else ""),
          "- kernel = innermost loop of the compiled one-node model with the most FMAs, "
          f"run through llvm-mca-22 for {ITERATIONS} iterations; FLOP/cycle = 2 x FMA lanes "
          "/ (Total Cycles / iterations); mca peak = the same for independent FMAs of the "
          "kernel's vector type (RISC-V: its SEW/LMUL at full VLMAX) under the same "
          "model; % of nominal = against the datasheet FLOP/cycle",
          notes_md(results), "", table_md(results), ""]
    return "\n".join(md)


def git_commit():
    try:
        c = subprocess.run(["git", "-C", REPO, "rev-parse", "--short", "HEAD"],
                           capture_output=True, text=True).stdout.strip()
        d = subprocess.run(["git", "-C", REPO, "status", "--porcelain", "-uno"],
                           capture_output=True, text=True).stdout.strip()
        return c + ("-dirty" if d else "")
    except OSError:
        return None


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=__doc__.split("\n\n", 1)[1])
    ap.add_argument("--compiler", default=os.path.join(REPO, "build", "bin", "edge-aotc"))
    ap.add_argument("--kernels", default=",".join(DEFAULT_KERNELS),
                    help=f"comma-separated, of: {', '.join(KERNELS)}")
    ap.add_argument("--only", help="comma-separated CPUs (default: "
                    + ", ".join(c[1] for c in CONFIGS) + ")")
    ap.add_argument("--work-dir", default=os.path.join(DEFAULT_OUT, "mca"),
                    help="models, .s, extracted kernels, mca output")
    ap.add_argument("--out-md", default=os.path.join(DEFAULT_OUT, "mca.md"))
    ap.add_argument("--out-json", help="default: next to --out-md")
    args = ap.parse_args(argv)
    args.compiler = os.path.abspath(args.compiler)
    configs = CONFIGS
    if args.only:
        want = args.only.split(",")
        configs = [c for c in CONFIGS if c[1] in want]
        if not configs:
            sys.exit(f"mca: no configuration for {args.only}")
    command = " ".join(shlex.quote(a) for a in
                       ["/usr/bin/python3", os.path.relpath(os.path.abspath(sys.argv[0]))]
                       + (sys.argv[1:] if argv is None else list(argv)))
    try:
        results = measure(args, args.kernels.split(","), configs, args.work_dir,
                          log=lambda m: print(m, file=sys.stderr))
    except McaError as e:
        print(f"mca: error: {e}", file=sys.stderr)
        return 1
    md = report_md(results, command, git_commit())
    out_json = args.out_json or os.path.splitext(args.out_md)[0] + ".json"
    os.makedirs(os.path.dirname(os.path.abspath(args.out_md)), exist_ok=True)
    with open(args.out_md, "w") as f:
        f.write(md)
    with open(out_json, "w") as f:
        json.dump({"kind": "mca", "command": command, "commit": git_commit(),
                   "iterations": ITERATIONS, "results": results}, f, indent=1)
    print(md)
    print(f"mca: wrote {args.out_md} and {out_json}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
