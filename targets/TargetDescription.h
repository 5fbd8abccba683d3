//===- TargetDescription.h - what each pass asks about the target -*- C++ -*-===//
//
// The target is data, not scattered `if (arch == ...)`: triple, CPU and
// features for LLVM, and the numbers tiling, packing and vectorization ask
// for. One table entry per supported architecture.
//
//===----------------------------------------------------------------------===//
#ifndef EDGE_TARGETS_TARGETDESCRIPTION_H
#define EDGE_TARGETS_TARGETDESCRIPTION_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <string>

namespace edge {

enum class Arch { X86_64, AArch64, RISCV64 };

struct TargetDescription {
  Arch arch;
  std::string name;     ///< x86_64, aarch64 or riscv64
  std::string triple;   ///< full LLVM triple
  std::string cpu;      ///< LLVM CPU name
  std::string features; ///< LLVM feature string, "+a,-b"
  std::string abi;      ///< target ABI name ("" = LLVM's default)
  /// Preferred SIMD width in bits; 0 when vector length is only known at run
  /// time (RVV: code must be VLEN-agnostic), with `minVectorBits` the floor.
  unsigned vectorBits;
  unsigned minVectorBits;
  unsigned vectorRegisters;
  unsigned l1DataBytes;
  unsigned l2Bytes;
  /// Register tile of the fp32 outer-product micro-kernel (rows x vectors).
  unsigned mr, nrVectors;
  bool hasFma;
  bool hasInt8Dot; ///< VNNI / dotprod / none
};

/// Resolves `-target`, `-mcpu` and `-mattr` into a description. TARGET is an
/// architecture name or a full triple; `cpu == "native"` needs the target to
/// be the host.
llvm::Expected<TargetDescription> resolveTarget(llvm::StringRef target,
                                                llvm::StringRef cpu,
                                                llvm::StringRef mattr);

} // namespace edge

#endif
