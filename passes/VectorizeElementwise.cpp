//===- VectorizeElementwise.cpp - elementwise linalg.generic on vectors ---===//
//
// An all-parallel linalg.generic on buffers whose output is written through
// the identity map becomes loops over the outer dimensions and a vector loop
// over the innermost one (masked tail). Each input is either read along the
// innermost dimension (a vector load) or broadcast along it (a scalar load
// and a splat), as its indexing map says. The body is cloned on vectors.
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"
#include "passes/VectorBody.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Builders.h"

namespace edge {
#define GEN_PASS_DEF_VECTORIZEELEMENTWISE
#include "passes/Passes.h.inc"
} // namespace edge

using namespace mlir;

namespace {
bool unitInnerStride(MemRefType t) {
  if (t.getRank() == 0)
    return true;
  SmallVector<int64_t> strides;
  int64_t offset;
  return succeeded(t.getStridesAndOffset(strides, offset)) && strides.back() == 1;
}

/// Every result of `m` is a loop dimension or the constant 0.
bool dimsOrZeros(AffineMap m) {
  for (AffineExpr e : m.getResults()) {
    if (isa<AffineDimExpr>(e))
      continue;
    auto c = dyn_cast<AffineConstantExpr>(e);
    if (!c || c.getValue() != 0)
      return false;
  }
  return true;
}

struct VectorizeElementwise
    : public edge::impl::VectorizeElementwiseBase<VectorizeElementwise> {
  using Base::Base;

  bool supported(linalg::GenericOp op) {
    if (!op.hasPureBufferSemantics() || op.getNumReductionLoops() != 0 ||
        op.getNumDpsInits() != 1 || op.getNumLoops() == 0 ||
        op.hasIndexSemantics())
      return false;
    OpOperand *init = op.getDpsInitOperand(0);
    auto outType = dyn_cast<MemRefType>(init->get().getType());
    if (!outType || !outType.hasStaticShape() ||
        !op.getMatchingIndexingMap(init).isIdentity() ||
        !unitInnerStride(outType) || !outType.getElementType().isIntOrFloat() ||
        outType.getElementType().getIntOrFloatBitWidth() < 8 ||
        outType.getShape().back() < 2)
      return false;
    int64_t inner = op.getNumLoops() - 1;
    for (OpOperand *in : op.getDpsInputOperands()) {
      auto t = dyn_cast<MemRefType>(in->get().getType());
      if (!t || !t.hasStaticShape() || !t.getElementType().isIntOrFloat() ||
          t.getElementType().getIntOrFloatBitWidth() < 8)
        return false;
      AffineMap m = op.getMatchingIndexingMap(in);
      if (!dimsOrZeros(m))
        return false;
      // Read along the innermost loop only as the innermost, unit-stride dim.
      for (unsigned r = 0; r < m.getNumResults(); ++r)
        if (auto d = dyn_cast<AffineDimExpr>(m.getResult(r));
            d && d.getPosition() == inner &&
            (r + 1 != m.getNumResults() || !unitInnerStride(t)))
          return false;
    }
    return edge::isVectorizableBody(op.getRegion().front(), op);
  }

  void rewrite(linalg::GenericOp op) {
    OpBuilder b(op);
    Location loc = op.getLoc();
    Value out = op.getDpsInitOperand(0)->get();
    auto outType = cast<MemRefType>(out.getType());
    ArrayRef<int64_t> shape = outType.getShape();
    int64_t rank = shape.size(), inner = rank - 1, vw = vectorWidth;
    // Narrower element types get proportionally more lanes (same bytes).
    unsigned bits = outType.getElementType().getIntOrFloatBitWidth();
    if (bits < 32)
      vw = vw * 32 / bits;
    if (bits > 32)
      vw = std::max<int64_t>(2, vw * 32 / bits);
    auto idx = [&](OpBuilder &bb, int64_t v) -> Value {
      return arith::ConstantIndexOp::create(bb, loc, v);
    };

    // Inner body for columns [col, col + lanes) given the outer ivs.
    auto emit = [&](OpBuilder &bb, SmallVector<Value> ivs, Value col,
                    int64_t lanes) {
      ivs.push_back(col);
      Value mask;
      if (lanes != vw)
        mask = vector::ConstantMaskOp::create(
            bb, loc, VectorType::get({vw}, bb.getI1Type()),
            ArrayRef<int64_t>{lanes});
      auto at = [&](AffineMap m) {
        SmallVector<Value> indices;
        for (AffineExpr e : m.getResults())
          indices.push_back(isa<AffineDimExpr>(e)
                                ? ivs[cast<AffineDimExpr>(e).getPosition()]
                                : idx(bb, 0));
        return indices;
      };
      SmallVector<Value> args;
      for (OpOperand &o : op->getOpOperands()) {
        AffineMap m = op.getMatchingIndexingMap(&o);
        Type elem = cast<MemRefType>(o.get().getType()).getElementType();
        auto vt = VectorType::get({vw}, elem);
        bool alongInner = m.getNumResults() &&
                          m.getResults().back() == getAffineDimExpr(inner, bb.getContext());
        if (op.isDpsInit(&o) && !op.payloadUsesValueFromOperand(&o)) {
          args.push_back(Value()); // unused
          continue;
        }
        if (!alongInner) {
          Value s = memref::LoadOp::create(bb, loc, o.get(), at(m));
          args.push_back(vector::BroadcastOp::create(bb, loc, vt, s));
        } else if (!mask) {
          args.push_back(vector::LoadOp::create(bb, loc, vt, o.get(), at(m)));
        } else {
          // Lanes past the tail read 1, not 0: an integer division or
          // remainder in the body must not trap on them (x86 raises SIGFPE).
          Attribute one = isa<FloatType>(elem)
                              ? Attribute(bb.getFloatAttr(elem, 1.0))
                              : Attribute(bb.getIntegerAttr(elem, 1));
          Value ones = arith::ConstantOp::create(
              bb, loc, vt, DenseElementsAttr::get(vt, one));
          args.push_back(vector::MaskedLoadOp::create(bb, loc, vt, o.get(), at(m),
                                                      mask, ones));
        }
      }
      Value r = edge::vectorizeBody(bb, loc, op.getRegion().front(), args, vw);
      if (!mask)
        vector::StoreOp::create(bb, loc, r, out, ivs);
      else
        vector::MaskedStoreOp::create(bb, loc, out, ivs, mask, r);
    };

    // Outer loops, then the vector loop and the tail.
    std::function<void(OpBuilder &, SmallVector<Value>)> nest =
        [&](OpBuilder &bb, SmallVector<Value> ivs) {
          if ((int64_t)ivs.size() == inner) {
            edge::emitBlocked(bb, loc, shape[inner], vw,
                              [&](OpBuilder &ib, Value col, int64_t lanes) {
                                emit(ib, ivs, col, lanes);
                              });
            return;
          }
          scf::ForOp::create(
              bb, loc, idx(bb, 0), idx(bb, shape[ivs.size()]), idx(bb, 1),
              ValueRange{},
              [&](OpBuilder &ob, Location, Value iv, ValueRange) {
                SmallVector<Value> next = ivs;
                next.push_back(iv);
                nest(ob, next);
                scf::YieldOp::create(ob, loc);
              });
        };
    nest(b, {});
    op->erase();
  }

  void runOnOperation() override {
    if (vectorWidth < 2)
      return;
    SmallVector<linalg::GenericOp> todo;
    getOperation()->walk([&](linalg::GenericOp op) {
      if (supported(op))
        todo.push_back(op);
    });
    for (linalg::GenericOp op : todo)
      rewrite(op);
  }
};
} // namespace
