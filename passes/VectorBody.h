//===- VectorBody.h - a scalar linalg body run on vectors -------*- C++ -*-===//
//
// Shared by the vectorizing passes: checks that a linalg.generic body is
// plain arith/math on scalars and clones it with vector types.
//
//===----------------------------------------------------------------------===//
#ifndef EDGE_PASSES_VECTORBODY_H
#define EDGE_PASSES_VECTORBODY_H

#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Builders.h"

#include <optional>

namespace edge {

/// True when every op of `body` (but the terminator) is an arith or math op
/// on scalars, and every value it takes from outside either dominates
/// `anchor` or is a constant (cloned where the vector code goes).
bool isVectorizableBody(mlir::Block &body, mlir::Operation *anchor);

/// Emits `body` on vectors of `lanes` elements: block argument i becomes
/// `args[i]`, values from outside are broadcast. Returns the vector of the
/// first yielded value.
mlir::Value vectorizeBody(mlir::OpBuilder &b, mlir::Location loc,
                          mlir::Block &body, llvm::ArrayRef<mlir::Value> args,
                          int64_t lanes);

/// Covers [0, total) in blocks of `step`: an scf.for over the full blocks
/// and, when `total % step` is not zero, the tail emitted once after it.
/// `body(builder, start, count)` emits one block of `count` (static)
/// elements at the (dynamic) `start`.
void emitBlocked(
    mlir::OpBuilder &b, mlir::Location loc, int64_t total, int64_t step,
    llvm::function_ref<void(mlir::OpBuilder &, mlir::Value, int64_t)> body);

/// The vector combining kind of a reduction body's combiner, if it is one
/// whose applications may be reordered: float add and mul only with
/// `reassoc`; min/max (float and integer); integer add, mul, and, or, xor.
std::optional<mlir::vector::CombiningKind> combiningKind(mlir::Operation *op);

} // namespace edge

#endif
