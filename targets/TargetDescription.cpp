//===- TargetDescription.cpp - the per-architecture table -----------------===//
#include "targets/TargetDescription.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/RISCVISAInfo.h"
#include "llvm/TargetParser/RISCVTargetParser.h"
#include "llvm/TargetParser/Triple.h"

using namespace llvm;

namespace edge {
namespace {
struct Defaults {
  Arch arch;
  const char *name;
  const char *triple;
  const char *cpu;
  const char *features;
  const char *abi;
  unsigned vectorBits, minVectorBits, vectorRegisters, l1, l2, mr, nrVectors;
  bool fma, int8dot;
};

// x86-64-v3: AVX2 + FMA (every x86 core of the last decade); aarch64: any
// Armv8-A with NEON; riscv64: rv64gcv (RVV 1.0, VLEN >= 128).
constexpr Defaults kTable[] = {
    {Arch::X86_64, "x86_64", "x86_64-unknown-linux-gnu", "x86-64-v3", "", "",
     256, 256, 16, 32 * 1024, 1024 * 1024, 6, 2, true, false},
    {Arch::AArch64, "aarch64", "aarch64-unknown-linux-gnu", "generic",
     "+neon,+fp-armv8", "", 128, 128, 32, 64 * 1024, 512 * 1024, 8, 3, true,
     false},
    {Arch::RISCV64, "riscv64", "riscv64-unknown-linux-gnu", "generic-rv64",
     "+m,+a,+f,+d,+c,+v", "lp64d", 0, 128, 32, 32 * 1024, 512 * 1024, 7, 2,
     true, false},
};

const Defaults *lookupArch(Triple::ArchType arch) {
  switch (arch) {
  case Triple::x86_64:
    return &kTable[0];
  case Triple::aarch64:
    return &kTable[1];
  case Triple::riscv64:
    return &kTable[2];
  default:
    return nullptr;
  }
}

/// Merges "+a,-b" lists: later entries override earlier ones of the same
/// feature, order of first appearance kept.
std::string mergeFeatures(StringRef base, StringRef extra) {
  SmallVector<std::string> order;
  StringMap<char> sign;
  for (StringRef list : {base, extra}) {
    SmallVector<StringRef> items;
    list.split(items, ',', -1, false);
    for (StringRef f : items) {
      f = f.trim();
      if (f.empty())
        continue;
      char s = '+';
      if (f[0] == '+' || f[0] == '-') {
        s = f[0];
        f = f.drop_front();
      }
      if (!sign.count(f))
        order.push_back(f.str());
      sign[f] = s;
    }
  }
  std::string out;
  for (const std::string &f : order) {
    if (!out.empty())
      out += ',';
    out += sign[f];
    out += f;
  }
  return out;
}
} // namespace

Expected<TargetDescription> resolveTarget(StringRef target, StringRef cpu,
                                          StringRef mattr) {
  const Defaults *d = nullptr;
  std::string triple;
  for (const Defaults &e : kTable)
    if (target == e.name) {
      d = &e;
      triple = e.triple;
    }
  if (!d) {
    Triple t(Triple::normalize(target));
    d = lookupArch(t.getArch());
    if (!d || t.getArchName().empty())
      return createStringError(
          inconvertibleErrorCode(),
          "unknown target '" + target +
              "': use x86_64, aarch64, riscv64 or a triple of one of them");
    triple = t.str();
  }
  TargetDescription desc{d->arch,     d->name,      triple,
                         d->cpu,      d->features,  d->abi,
                         d->vectorBits, d->minVectorBits, d->vectorRegisters,
                         d->l1,       d->l2,        d->mr,
                         d->nrVectors, d->fma,      d->int8dot};
  if (cpu == "native") {
    Triple host(sys::getProcessTriple());
    if (host.getArch() != Triple(triple).getArch())
      return createStringError(inconvertibleErrorCode(),
                               "-mcpu=native needs the target to be the host (" +
                                   host.getArchName() + ")");
    desc.cpu = sys::getHostCPUName().str();
    std::string native;
    for (const auto &f : sys::getHostCPUFeatures()) {
      if (!native.empty())
        native += ',';
      native += (f.second ? "+" : "-") + f.first().str();
    }
    desc.features = native;
    if (desc.arch == Arch::X86_64 && StringRef(desc.features).contains("+avx512f")) {
      desc.vectorBits = desc.minVectorBits = 512;
      desc.vectorRegisters = 32; // zmm0-31: an 8x3 register tile fits
      desc.mr = 8;
      desc.nrVectors = 3;
    }
  } else if (!cpu.empty()) {
    desc.cpu = cpu.str();
    if (desc.arch != Arch::RISCV64)
      desc.features = "";
  }
  desc.features = mergeFeatures(desc.features, mattr);
  SmallVector<StringRef> items;
  StringRef(desc.features).split(items, ',');
  if (desc.arch == Arch::RISCV64 && llvm::is_contained(items, "-v")) {
    desc.vectorBits = desc.minVectorBits = 0;
    desc.nrVectors = 0;
  } else if (desc.arch == Arch::RISCV64) {
    // The VLEN floor the CPU (its zvl*b) or -mattr=+zvl*b guarantees. LLVM
    // itself picks fixed-vector LMULs from it (sifive-x280's zvl512b puts a
    // vector<4xf32> in e32 mf2), so code for such a CPU already needs that
    // VLEN: a kernel as wide as one vector register costs nothing more in
    // portability and fills the register. Without either, 128 (any RVV 1.0).
    unsigned minVLen = 0;
    StringRef march = RISCV::getMArchFromMcpu(desc.cpu);
    if (!march.empty()) {
      auto isa = RISCVISAInfo::parseArchString(march, true);
      if (isa)
        minVLen = (*isa)->getMinVLen();
      else
        consumeError(isa.takeError());
    }
    for (StringRef f : items) {
      unsigned bits;
      if (f.consume_front("+zvl") && f.consume_back("b") &&
          !f.getAsInteger(10, bits))
        minVLen = std::max(minVLen, bits);
    }
    if (minVLen > desc.minVectorBits) {
      desc.minVectorBits = minVLen;
      // A vector is a whole register (e32 m1): 6 channels x 4 vectors is
      // 24 accumulators + 4 inputs of 32 registers, one scalar weight load
      // per 4 FMAs (llvm-mca sifive-x280: 76-81% of its m1 peak against
      // 69-76% with 7 x 2; see bench/README.md).
      desc.mr = 6;
      desc.nrVectors = 4;
    }
  }
  return desc;
}

} // namespace edge
