#!/usr/bin/env bash
# Installs every build and test dependency of edge-aotc from Debian's packages
# (and ONNX Runtime from npm, test/bench only). Safe to run more than once.
set -euo pipefail

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

PKGS=(
  # toolchain and build
  cmake ninja-build ccache clang-22 lld-22 llvm-22-dev llvm-22-tools
  libmlir-22-dev mlir-22-tools libzstd-dev
  # model format
  libonnx-dev libprotobuf-dev protobuf-compiler
  # libraries
  libfmt-dev libgtest-dev
  # test models and tests
  python3 python3-onnx python3-numpy
  # cross targets
  qemu-user g++-aarch64-linux-gnu g++-riscv64-linux-gnu binutils
  # bare-metal examples (examples/baremetal) under qemu-system
  qemu-system-arm qemu-system-misc
)

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "install-deps: all Debian packages present"
fi
