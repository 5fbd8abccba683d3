//===- Passes.h - edge-aotc passes ------------------------------*- C++ -*-===//
#ifndef EDGE_PASSES_PASSES_H
#define EDGE_PASSES_PASSES_H

#include "mlir/Pass/Pass.h"
#include <memory>

namespace mlir {
class DialectRegistry;
namespace affine { class AffineDialect; }
namespace arith { class ArithDialect; }
namespace func { class FuncOp; }
namespace LLVM { class LLVMDialect; }
namespace linalg { class LinalgDialect; }
namespace math { class MathDialect; }
namespace memref { class MemRefDialect; }
namespace scf { class SCFDialect; }
namespace tensor { class TensorDialect; }
namespace vector { class VectorDialect; }
} // namespace mlir

namespace edge {
#define GEN_PASS_DECL
#include "passes/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "passes/Passes.h.inc"
} // namespace edge

#endif
