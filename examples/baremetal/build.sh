#!/bin/sh
# Builds the bare-metal examples around one ONNX model:
#
#   examples/baremetal/build.sh [-o OUTDIR] [-t 'aarch64 riscv64 host'] MODEL.onnx
#
# For each target T it writes OUTDIR/T/net.o and net.h (edge-aotc
# -target=...), then OUTDIR/aarch64/main.elf, OUTDIR/riscv64/main.elf (no libc:
# start.S, link.ld, platform.c, common/main.c, common/mem.c) and OUTDIR/host/main
# (common/main.c and host/platform.c against the host libc, x86_64). OUTDIR
# defaults to ./baremetal-out. Tools come from the environment: EDGE_AOTC
# (default: edge-aotc on PATH, else build/bin/edge-aotc of this checkout),
# EDGE_AOTC_FLAGS, AARCH64_CC (aarch64-linux-gnu-gcc), RISCV64_CC
# (riscv64-linux-gnu-gcc), HOST_CC (cc), HOST_TARGET (x86_64).
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
OUT=baremetal-out
TARGETS="aarch64 riscv64 host"
while getopts o:t: opt; do
  case $opt in
    o) OUT=$OPTARG ;;
    t) TARGETS=$OPTARG ;;
    *) sed -n '2,13p' "$0" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
if [ $# -ne 1 ]; then
  sed -n '2,13p' "$0" >&2
  exit 2
fi
MODEL=$1

if [ -z "${EDGE_AOTC:-}" ]; then
  if command -v edge-aotc >/dev/null 2>&1; then
    EDGE_AOTC=$(command -v edge-aotc)
  else
    EDGE_AOTC=$HERE/../../build/bin/edge-aotc
  fi
fi
AARCH64_CC=${AARCH64_CC:-aarch64-linux-gnu-gcc}
RISCV64_CC=${RISCV64_CC:-riscv64-linux-gnu-gcc}
HOST_CC=${HOST_CC:-cc}
HOST_TARGET=${HOST_TARGET:-x86_64}

# Freestanding C: no libc, no builtins turned into libc calls (mem.c is the
# libc here), no PIE, no unwind tables; startup and layout are ours.
BAREFLAGS="-std=c11 -O2 -Wall -ffreestanding -fno-builtin \
  -fno-tree-loop-distribute-patterns -fno-stack-protector -fno-pic \
  -fno-asynchronous-unwind-tables -fno-unwind-tables"
LINKFLAGS="-nostdlib -nostartfiles -static -no-pie -Wl,--build-id=none"

run() {
  echo "+ $*"
  "$@"
}

for t in $TARGETS; do
  d=$OUT/$t
  mkdir -p "$d"
  case $t in
    aarch64|riscv64) et=$t ;;
    host) et=$HOST_TARGET ;;
    *) echo "build.sh: unknown target '$t' (aarch64, riscv64, host)" >&2; exit 2 ;;
  esac
  # shellcheck disable=SC2086
  run "$EDGE_AOTC" "$MODEL" -target="$et" --name=net -o "$d/net.o" ${EDGE_AOTC_FLAGS:-}
  case $t in
    aarch64)
      # shellcheck disable=SC2086
      run "$AARCH64_CC" $BAREFLAGS -mcpu=cortex-a57 -I"$d" \
        "$HERE/aarch64/start.S" "$HERE/aarch64/platform.c" \
        "$HERE/common/main.c" "$HERE/common/mem.c" "$d/net.o" \
        $LINKFLAGS -T "$HERE/aarch64/link.ld" -lgcc -o "$d/main.elf" ;;
    riscv64)
      # shellcheck disable=SC2086
      run "$RISCV64_CC" $BAREFLAGS -march=rv64gcv -mabi=lp64d -mcmodel=medany \
        -I"$d" "$HERE/riscv64/start.S" "$HERE/riscv64/platform.c" \
        "$HERE/common/main.c" "$HERE/common/mem.c" "$d/net.o" \
        $LINKFLAGS -T "$HERE/riscv64/link.ld" -lgcc -o "$d/main.elf" ;;
    host)
      run "$HOST_CC" -std=c11 -O2 -Wall -I"$d" "$HERE/common/main.c" \
        "$HERE/host/platform.c" "$d/net.o" -o "$d/main" ;;
  esac
done
