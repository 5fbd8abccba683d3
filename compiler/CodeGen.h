//===- CodeGen.h - LLVM dialect -> object, in process -----------*- C++ -*-===//
#ifndef EDGE_COMPILER_CODEGEN_H
#define EDGE_COMPILER_CODEGEN_H

#include "targets/TargetDescription.h"
#include "llvm/Support/Error.h"
#include <string>

namespace llvm {
class raw_pwrite_stream;
}
namespace mlir {
class ModuleOp;
}

namespace edge {

enum class CodeGenOutput { LLVMIR, Assembly, Object };

/// How the object is built (the driver's --no-libc, -relocation-model,
/// --weights-section and --unwind-tables).
struct CodeGenOptions {
  /// No undefined symbols at all: memcpy/memmove/memset become inline loops
  /// (optimized and vectorized like the model's own) and every function is
  /// "no-builtins", so that no pass creates new calls to them.
  bool noLibc = false;
  /// Reloc::Static instead of the default Reloc::PIC_.
  bool staticRelocation = false;
  /// Section of every constant global (weights and tables); "" = .rodata.*.
  std::string weightsSection;
  /// Asynchronous unwind tables (.eh_frame) for every function.
  bool unwindTables = false;
};

/// Alignment of every constant global (the weights) in the object.
constexpr unsigned kWeightsAlignment = 64;

/// Translates an LLVM-dialect module to LLVM IR, optimizes it at O3 for the
/// target and writes IR, assembly or an ELF relocatable object. Uses LLVM's
/// TargetMachine directly: no clang or llc process. Functions and data get
/// one section each (--gc-sections works). An object is checked before it is
/// written: its undefined symbols must be at most memcpy/memmove/memset, or
/// none with `noLibc`; otherwise this fails naming the symbols.
llvm::Error generateCode(mlir::ModuleOp module, const TargetDescription &target,
                         CodeGenOutput kind, llvm::raw_pwrite_stream &os,
                         const CodeGenOptions &options = {});

} // namespace edge

#endif
