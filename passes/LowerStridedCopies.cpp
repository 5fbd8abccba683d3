//===- LowerStridedCopies.cpp - no memrefCopy runtime calls ---------------===//
#include "passes/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"

namespace edge {
#define GEN_PASS_DEF_LOWERSTRIDEDCOPIES
#include "passes/Passes.h.inc"
} // namespace edge

using namespace mlir;

namespace {
bool isContiguous(Value v) {
  auto type = cast<MemRefType>(v.getType());
  return type.getLayout().isIdentity() || type.areTrailingDimsContiguous(type.getRank());
}

struct LowerStridedCopies
    : public edge::impl::LowerStridedCopiesBase<LowerStridedCopies> {
  void runOnOperation() override {
    getOperation()->walk([](memref::CopyOp copy) {
      if (isContiguous(copy.getSource()) && isContiguous(copy.getTarget()))
        return;
      // An identity linalg.generic rather than linalg.copy: the same loops,
      // but edge-vectorize-elementwise (after this pass) turns it into
      // vector loads and stores (an input copied into its padded buffer:
      // 64x56x56 values one scalar at a time took 0.05 ms).
      OpBuilder b(copy);
      auto type = cast<MemRefType>(copy.getTarget().getType());
      int64_t rank = type.getRank();
      SmallVector<AffineMap> maps(2, b.getMultiDimIdentityMap(rank));
      SmallVector<utils::IteratorType> iters(rank, utils::IteratorType::parallel);
      linalg::GenericOp::create(
          b, copy.getLoc(), ValueRange{copy.getSource()},
          ValueRange{copy.getTarget()}, maps, iters,
          [](OpBuilder &nb, Location l, ValueRange args) {
            linalg::YieldOp::create(nb, l, args[0]);
          });
      copy.erase();
    });
  }
};
} // namespace
