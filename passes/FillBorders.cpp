//===- FillBorders.cpp - fill only the padding of a padded buffer ---------===//
//
// A padded activation is bufferized as a fill of the whole buffer followed
// by the producer writing the interior (a subview) in place. The interior
// half of that fill is dead: when the first op touching the buffer after
// the fill writes every element of the interior without reading it (a
// copy, a fill, or an all-parallel linalg op whose output map is a
// permutation and whose body ignores the old value), the fill becomes
// fills of the border slabs only. For a 3x3 conv's input that is two rows
// and two columns per channel instead of the whole plane (efficientnet_b0
// filled 34 buffers, up to 5 MB each, every run).
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace edge {
#define GEN_PASS_DEF_FILLBORDERS
#include "passes/Passes.h.inc"
} // namespace edge

using namespace mlir;

namespace {
/// Whether `op` writes every element of `s` and reads none of them.
bool overwritesAll(Operation *op, Value s) {
  if (auto copy = dyn_cast<memref::CopyOp>(op))
    return copy.getTarget() == s && copy.getSource() != s;
  if (auto fill = dyn_cast<linalg::FillOp>(op))
    return fill.hasPureBufferSemantics() && fill.getOutputs()[0] == s;
  auto l = dyn_cast<linalg::LinalgOp>(op);
  if (!l || !l.hasPureBufferSemantics() || l.getNumDpsInits() != 1 ||
      l.getNumLoops() != l.getNumParallelLoops())
    return false;
  OpOperand *init = l.getDpsInitOperand(0);
  if (init->get() != s || l.payloadUsesValueFromOperand(init) ||
      !l.getMatchingIndexingMap(init).isPermutation())
    return false;
  for (OpOperand *in : l.getDpsInputOperands())
    if (in->get() == s)
      return false;
  // Static loop ranges equal to the output's shape: every element written.
  auto t = cast<MemRefType>(s.getType());
  if (!t.hasStaticShape())
    return false;
  return true;
}

struct FillBorders : public edge::impl::FillBordersBase<FillBorders> {
  void shrink(linalg::FillOp fill) {
    Value v = fill.getOutputs()[0];
    auto vt = dyn_cast<MemRefType>(v.getType());
    if (!vt || !vt.hasStaticShape() || vt.getRank() == 0)
      return;
    // The first op after the fill with memory effects (or using `v`
    // itself) must overwrite all of a unit-stride subview of `v`: the
    // interior.
    Operation *writer = nullptr;
    for (Operation *o = fill->getNextNode(); o; o = o->getNextNode()) {
      if (o->getNumRegions() == 0 && isMemoryEffectFree(o) &&
          (isa<memref::SubViewOp>(o) || !llvm::is_contained(o->getOperands(), v)))
        continue;
      writer = o;
      break;
    }
    if (!writer)
      return;
    Value written;
    if (auto copy = dyn_cast<memref::CopyOp>(writer))
      written = copy.getTarget();
    else if (auto l = dyn_cast<linalg::LinalgOp>(writer);
             l && l.getNumDpsInits() == 1)
      written = l.getDpsInitOperand(0)->get();
    auto interior =
        written ? written.getDefiningOp<memref::SubViewOp>() : nullptr;
    if (!interior || interior.getSource() != v ||
        !overwritesAll(writer, interior.getResult()))
      return;
    if (!interior.hasUnitStride() || interior.getType().getRank() != vt.getRank())
      return;
    auto offsets = interior.getStaticOffsets(), sizes = interior.getStaticSizes();
    if (ShapedType::isDynamicShape(offsets) || ShapedType::isDynamicShape(sizes))
      return;
    // Box minus box: for each dim d, the slabs below and above the interior
    // along d, restricted to the interior along dims < d, whole along > d.
    OpBuilder b(fill);
    Location loc = fill.getLoc();
    Value value = fill.getInputs()[0];
    int64_t rank = vt.getRank();
    for (int64_t d = 0; d < rank; ++d) {
      for (bool high : {false, true}) {
        SmallVector<int64_t> off(rank), size(rank), one(rank, 1);
        for (int64_t i = 0; i < rank; ++i) {
          if (i < d) {
            off[i] = offsets[i];
            size[i] = sizes[i];
          } else if (i > d) {
            off[i] = 0;
            size[i] = vt.getDimSize(i);
          }
        }
        off[d] = high ? offsets[d] + sizes[d] : 0;
        size[d] = high ? vt.getDimSize(d) - off[d] : offsets[d];
        if (size[d] <= 0 || llvm::is_contained(size, 0))
          continue;
        Value slab = memref::SubViewOp::create(b, loc, v, off, size, one);
        linalg::FillOp::create(b, loc, value, slab);
      }
    }
    fill->erase();
  }

  void runOnOperation() override {
    SmallVector<linalg::FillOp> fills;
    getOperation()->walk([&](linalg::FillOp f) {
      if (f.hasPureBufferSemantics())
        fills.push_back(f);
    });
    for (linalg::FillOp f : fills)
      shrink(f);
  }
};
} // namespace
