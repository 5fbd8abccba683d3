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

/// Nested scf.for loops over [0, ranges[i]) (step 1), outermost first,
/// carrying `inits` through all of them. `body(builder, ivs, iters)` emits
/// the innermost body and returns the values to yield (as many as
/// `inits`). Returns the outermost loop's results (what `body` returns
/// when `ranges` is empty).
llvm::SmallVector<mlir::Value> emitLoopNest(
    mlir::OpBuilder &b, mlir::Location loc, llvm::ArrayRef<int64_t> ranges,
    mlir::ValueRange inits,
    llvm::function_ref<llvm::SmallVector<mlir::Value>(
        mlir::OpBuilder &, mlir::ValueRange, mlir::ValueRange)>
        body);

/// `lanes` (<= the vector's) values of a row from `indices`, every
/// `stride`-th: one vector of `stride` times the lanes, read only as far as
/// the last value needed (masked, the rest zero), and its phase 0.
mlir::Value loadStrided(mlir::OpBuilder &b, mlir::Location loc,
                        mlir::Value mem, mlir::ValueRange indices,
                        mlir::VectorType vt, int64_t lanes, int64_t stride);

/// Lanes `phase`, `phase + stride`, ... of `wide` (a vector of `stride`
/// times `lanes` values): one stride phase; `wide` itself at stride 1.
mlir::Value stridePhase(mlir::OpBuilder &b, mlir::Location loc,
                        mlir::Value wide, int64_t phase, int64_t stride,
                        int64_t lanes);

/// Lanes `shift` .. `shift + lanes - 1` of `lo` followed by `hi` (two
/// vectors of `lanes`): the window `shift` values further along a row.
mlir::Value shiftLanes(mlir::OpBuilder &b, mlir::Location loc, mlir::Value lo,
                       mlir::Value hi, int64_t shift, int64_t lanes);

/// The values of a constant f32 elements attribute (dense, or a dense
/// resource blob) in row-major order; failure for anything else.
mlir::FailureOr<llvm::SmallVector<float>> f32Values(mlir::Attribute attr);

/// The reduction combiner of a linalg body `yield comb(out, f(ins))`
/// (either operand order): an op whose `combiningKind` is known and which
/// has a neutral element, with the output argument (the last) used by it
/// alone. Null otherwise.
mlir::Operation *reductionCombiner(mlir::Block &body);

/// The vector combining kind of a reduction body's combiner, if it is one
/// whose applications may be reordered: float add and mul only with
/// `reassoc`; min/max (float and integer); integer add, mul, and, or, xor.
std::optional<mlir::vector::CombiningKind> combiningKind(mlir::Operation *op);

} // namespace edge

#endif
