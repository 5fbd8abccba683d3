//===- CodeGen.h - LLVM dialect -> object, in process -----------*- C++ -*-===//
#ifndef EDGE_COMPILER_CODEGEN_H
#define EDGE_COMPILER_CODEGEN_H

#include "targets/TargetDescription.h"
#include "llvm/Support/Error.h"

namespace llvm {
class raw_pwrite_stream;
}
namespace mlir {
class ModuleOp;
}

namespace edge {

enum class CodeGenOutput { LLVMIR, Assembly, Object };

/// Translates an LLVM-dialect module to LLVM IR, optimizes it at O3 for the
/// target and writes IR, assembly or an ELF relocatable object. Uses LLVM's
/// TargetMachine directly: no clang or llc process.
llvm::Error generateCode(mlir::ModuleOp module, const TargetDescription &target,
                         CodeGenOutput kind, llvm::raw_pwrite_stream &os);

} // namespace edge

#endif
