//===- VectorizeElementwise.cpp - elementwise linalg.generic on vectors ---===//
//
// An all-parallel linalg.generic on buffers whose output is written through
// the identity map becomes loops over the outer dimensions and a vector loop
// over the innermost one (masked tail). Each input is either read along the
// innermost dimension (a vector load) or broadcast along it (a scalar load
// and a splat), as its indexing map says. The body is cloned on vectors.
//
// Trailing dimensions that every operand either reads contiguously, in
// order, or not at all are collapsed into one first (through
// memref.collapse_shape views), so a 7x7 plane is one 49-element row, not
// seven 7-element rows each in one masked vector.
//
// A reduction over trailing dimensions whose body combines the output with
// one associative op (addf/mulf with `reassoc`, min/max, integer add, mul,
// and, or, xor) accumulates a vector of partial results in registers over
// the reduced range and reduces it once per output element. Global average
// pooling, ReduceSum/Mean/Max over the last axes and softmax sums take this
// path.
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

/// How one operand is read once trailing loop dimensions are collapsed:
/// the (possibly collapsed) buffer, and per index the loop dimension it
/// follows (-1: the constant 0).
struct View {
  Value mem;
  SmallVector<int64_t> dims;
};

struct VectorizeElementwise
    : public edge::impl::VectorizeElementwiseBase<VectorizeElementwise> {
  using Base::Base;

  /// Number of leading parallel loops; the rest are reductions. -1 if the
  /// iterators are not [parallel..., reduction...].
  int64_t parallelPrefix(linalg::GenericOp op) {
    auto its = op.getIteratorTypesArray();
    int64_t p = 0;
    while (p < (int64_t)its.size() && its[p] == utils::IteratorType::parallel)
      ++p;
    for (int64_t i = p; i < (int64_t)its.size(); ++i)
      if (its[i] != utils::IteratorType::reduction)
        return -1;
    return p;
  }

  bool supported(linalg::GenericOp op) {
    if (!op.hasPureBufferSemantics() || op.getNumDpsInits() != 1 ||
        op.getNumLoops() == 0 || op.hasIndexSemantics())
      return false;
    int64_t n = op.getNumLoops(), p = parallelPrefix(op);
    if (p < 0)
      return false;
    bool reduction = p < n;
    OpOperand *init = op.getDpsInitOperand(0);
    auto outType = dyn_cast<MemRefType>(init->get().getType());
    if (!outType || !outType.hasStaticShape() ||
        !outType.getElementType().isIntOrFloat() ||
        outType.getElementType().getIntOrFloatBitWidth() < 8)
      return false;
    AffineMap outMap = op.getMatchingIndexingMap(init);
    if (reduction) {
      // out[d0, ..., d(p-1)]: one scalar per parallel point.
      if (outMap.getNumResults() != p)
        return false;
      for (int64_t i = 0; i < p; ++i)
        if (outMap.getResult(i) != getAffineDimExpr(i, op.getContext()))
          return false;
      if (!edge::reductionCombiner(op.getRegion().front()))
        return false;
    } else if (!outMap.isIdentity() || !unitInnerStride(outType)) {
      return false;
    }
    int64_t inner = n - 1;
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
    if (op.getStaticLoopRanges().back() < 2 && firstCollapsed(op) == n - 1)
      return false;
    return edge::isVectorizableBody(op.getRegion().front(), op);
  }

  /// Result positions of `m` that read loop dims >= k; empty if none do.
  /// Fails unless they are the trailing results, reading k, k+1, ... in order.
  static FailureOr<SmallVector<int64_t>> trailingReads(AffineMap m, int64_t k) {
    SmallVector<int64_t> pos;
    for (unsigned r = 0; r < m.getNumResults(); ++r)
      if (auto d = dyn_cast<AffineDimExpr>(m.getResult(r));
          d && (int64_t)d.getPosition() >= k)
        pos.push_back(r);
    if (pos.empty())
      return pos;
    int64_t n = m.getNumDims();
    if ((int64_t)pos.size() != n - k ||
        pos.back() != (int64_t)m.getNumResults() - 1)
      return failure();
    for (int64_t i = 0; i < (int64_t)pos.size(); ++i)
      if (pos[i] != pos.front() + i ||
          cast<AffineDimExpr>(m.getResult(pos[i])).getPosition() != k + i)
        return failure();
    return pos;
  }

  static SmallVector<ReassociationIndices> groupTrailing(int64_t rank,
                                                         int64_t from) {
    SmallVector<ReassociationIndices> re;
    for (int64_t i = 0; i < from; ++i)
      re.push_back({i});
    ReassociationIndices last;
    for (int64_t i = from; i < rank; ++i)
      last.push_back(i);
    re.push_back(last);
    return re;
  }

  /// The first loop dimension of the trailing range [k, n) that is merged
  /// into the vector loop (n - 1: nothing merged).
  int64_t firstCollapsed(linalg::GenericOp op) {
    int64_t n = op.getNumLoops(), p = parallelPrefix(op);
    int64_t best = n - 1;
    for (int64_t k = n - 2; k >= 0; --k) {
      if (k < p && p < n) // never merge parallel with reduction dims
        break;
      bool ok = true;
      for (OpOperand &o : op->getOpOperands()) {
        auto t = cast<MemRefType>(o.get().getType());
        auto pos = trailingReads(op.getMatchingIndexingMap(&o), k);
        if (failed(pos)) {
          ok = false;
          break;
        }
        if (pos->empty())
          continue;
        if (!memref::CollapseShapeOp::isGuaranteedCollapsible(
                t, groupTrailing(t.getRank(), pos->front()))) {
          ok = false;
          break;
        }
      }
      if (!ok)
        break;
      best = k;
    }
    return best;
  }

  void rewrite(linalg::GenericOp op) {
    OpBuilder b(op);
    Location loc = op.getLoc();
    int64_t n = op.getNumLoops(), p = parallelPrefix(op);
    bool reduction = p < n;
    int64_t k = firstCollapsed(op);
    SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    int64_t flat = 1;
    for (int64_t i = k; i < n; ++i)
      flat *= ranges[i];

    // Views with the trailing dims [k, n) merged into dim k.
    SmallVector<View> views;
    for (OpOperand &o : op->getOpOperands()) {
      AffineMap m = op.getMatchingIndexingMap(&o);
      auto t = cast<MemRefType>(o.get().getType());
      View v{o.get(), {}};
      auto pos = *trailingReads(m, k);
      int64_t keep = pos.empty() ? m.getNumResults() : pos.front();
      for (int64_t r = 0; r < keep; ++r)
        v.dims.push_back(isa<AffineDimExpr>(m.getResult(r))
                             ? (int64_t)cast<AffineDimExpr>(m.getResult(r)).getPosition()
                             : -1);
      if (!pos.empty()) {
        v.dims.push_back(k);
        if (pos.size() > 1)
          v.mem = memref::CollapseShapeOp::create(
              b, loc, o.get(), groupTrailing(t.getRank(), pos.front()));
      }
      views.push_back(v);
    }

    Value out = op.getDpsInitOperand(0)->get();
    Type outElem = cast<MemRefType>(out.getType()).getElementType();
    int64_t vw = vectorWidth;
    // Narrower element types get proportionally more lanes (same bytes).
    unsigned bits = outElem.getIntOrFloatBitWidth();
    if (bits < 32)
      vw = vw * 32 / bits;
    if (bits > 32)
      vw = std::max<int64_t>(2, vw * 32 / bits);
    auto idx = [&](OpBuilder &bb, int64_t v) -> Value {
      return arith::ConstantIndexOp::create(bb, loc, v);
    };
    auto indicesOf = [&](OpBuilder &bb, const View &v, ArrayRef<Value> ivs) {
      SmallVector<Value> indices;
      for (int64_t d : v.dims)
        indices.push_back(d < 0 ? idx(bb, 0) : ivs[d]);
      return indices;
    };
    Block &body = op.getRegion().front();
    Operation *comb = reduction ? edge::reductionCombiner(body) : nullptr;

    // The body's operands for columns [col, col + lanes) of the flat range
    // (ivs: loop dims 0..k-1). The output argument is `acc` (reductions) or
    // unused (elementwise ops never read their output).
    auto operands = [&](OpBuilder &bb, SmallVector<Value> ivs, Value col,
                        Value mask, Value acc) {
      ivs.push_back(col);
      SmallVector<Value> args;
      for (auto [i, o] : llvm::enumerate(op->getOpOperands())) {
        const View &v = views[i];
        if (op.isDpsInit(&o) &&
            (reduction || !op.payloadUsesValueFromOperand(&o))) {
          args.push_back(acc); // the accumulator, or unused
          continue;
        }
        Type elem = cast<MemRefType>(o.get().getType()).getElementType();
        auto vt = VectorType::get({vw}, elem);
        bool alongInner = !v.dims.empty() && v.dims.back() == k;
        if (!alongInner) {
          Value s = memref::LoadOp::create(bb, loc, v.mem, indicesOf(bb, v, ivs));
          args.push_back(vector::BroadcastOp::create(bb, loc, vt, s));
        } else if (!mask) {
          args.push_back(
              vector::LoadOp::create(bb, loc, vt, v.mem, indicesOf(bb, v, ivs)));
        } else {
          // Lanes past the tail read 1, not 0: an integer division or
          // remainder in the body must not trap on them (x86 raises SIGFPE).
          Attribute one = isa<FloatType>(elem)
                              ? Attribute(bb.getFloatAttr(elem, 1.0))
                              : Attribute(bb.getIntegerAttr(elem, 1));
          Value ones = arith::ConstantOp::create(
              bb, loc, vt, DenseElementsAttr::get(vt, one));
          args.push_back(vector::MaskedLoadOp::create(
              bb, loc, vt, v.mem, indicesOf(bb, v, ivs), mask, ones));
        }
      }
      return args;
    };
    auto tailMask = [&](OpBuilder &bb, int64_t lanes) -> Value {
      if (lanes == vw)
        return Value();
      return vector::ConstantMaskOp::create(
          bb, loc, VectorType::get({vw}, bb.getI1Type()), ArrayRef<int64_t>{lanes});
    };

    // Elementwise: one vector of results per block of columns.
    auto elementwise = [&](OpBuilder &bb, SmallVector<Value> ivs) {
      const View &ov = views.back();
      edge::emitBlocked(bb, loc, flat, vw,
                        [&](OpBuilder &ib, Value col, int64_t lanes) {
                          Value mask = tailMask(ib, lanes);
                          Value r = edge::vectorizeBody(
                              ib, loc, body, operands(ib, ivs, col, mask, Value()), vw);
                          SmallVector<Value> at = ivs;
                          at.push_back(col);
                          if (!mask)
                            vector::StoreOp::create(ib, loc, r, ov.mem,
                                                    indicesOf(ib, ov, at));
                          else
                            vector::MaskedStoreOp::create(
                                ib, loc, ov.mem, indicesOf(ib, ov, at), mask, r);
                        });
    };

    // Reduction: the flat range of the reduced dims (loop dims p..k-1 are
    // loops around it) accumulates into one vector, reduced once.
    auto accumulate = [&](OpBuilder &bb, SmallVector<Value> ivs, Value acc) {
      int64_t full = flat / vw * vw;
      if (full > 0) {
        auto loop = scf::ForOp::create(
            bb, loc, idx(bb, 0), idx(bb, full), idx(bb, vw), ValueRange{acc},
            [&](OpBuilder &ib, Location, Value col, ValueRange iter) {
              Value r = edge::vectorizeBody(
                  ib, loc, body, operands(ib, ivs, col, Value(), iter[0]), vw);
              scf::YieldOp::create(ib, loc, r);
            });
        acc = loop.getResult(0);
      }
      if (flat > full) {
        Value mask = tailMask(bb, flat - full);
        Value r = edge::vectorizeBody(
            bb, loc, body, operands(bb, ivs, idx(bb, full), mask, acc), vw);
        acc = arith::SelectOp::create(bb, loc, mask, r, acc);
      }
      return acc;
    };
    auto reduce = [&](OpBuilder &bb, SmallVector<Value> ivs) {
      auto vt = VectorType::get({vw}, outElem);
      TypedAttr neutral = *arith::getNeutralElement(comb);
      Value acc = arith::ConstantOp::create(
          bb, loc, vt, DenseElementsAttr::get(vt, cast<Attribute>(neutral)));
      // Loop dims p..k-1 around the flat range of the reduced dims.
      acc = edge::emitLoopNest(
          bb, loc, ArrayRef<int64_t>(ranges).slice(p, k - p), acc,
          [&](OpBuilder &ib, ValueRange inner, ValueRange iter) {
            SmallVector<Value> all = ivs;
            all.append(inner.begin(), inner.end());
            return SmallVector<Value>{accumulate(ib, all, iter[0])};
          })[0];
      const View &ov = views.back();
      SmallVector<Value> at = indicesOf(bb, ov, ivs);
      Value init = memref::LoadOp::create(bb, loc, ov.mem, at);
      auto fmf = arith::FastMathFlags::none;
      if (auto f = dyn_cast<arith::ArithFastMathInterface>(comb))
        fmf = f.getFastMathFlagsAttr().getValue();
      Value r = vector::ReductionOp::create(bb, loc, *edge::combiningKind(comb), acc,
                                            init, fmf);
      memref::StoreOp::create(bb, loc, r, ov.mem, at);
    };

    // Outer loops over dims 0..(p or k)-1, then the vector part.
    int64_t outer = reduction ? p : k;
    edge::emitLoopNest(b, loc, ArrayRef<int64_t>(ranges).take_front(outer),
                       ValueRange{},
                       [&](OpBuilder &bb, ValueRange ivs, ValueRange) {
                         SmallVector<Value> at(ivs);
                         if (reduction)
                           reduce(bb, at);
                         else
                           elementwise(bb, at);
                         return SmallVector<Value>{};
                       });
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
