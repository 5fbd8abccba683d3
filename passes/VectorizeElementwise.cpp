//===- VectorizeElementwise.cpp - elementwise linalg.generic on vectors ---===//
//
// An all-parallel linalg.generic on buffers whose output is written through
// the identity map becomes loops over the outer dimensions and a vector loop
// over the innermost one (masked tail). Each input is either read along the
// innermost dimension (a vector load) or broadcast along it (a scalar load
// and a splat), as its indexing map says. The body is cloned on vectors.
//
// An input may also read a loop dimension strided and offset (index
// d * s + c: a stride phase of a row, copied by edge-split-strided-conv);
// along the innermost loop that is one load of s times the lanes and a
// shuffle. Such ops are not collapsed and not reductions.
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

/// Whether dims [from, rank) of `t` are one dense run ending in unit
/// stride, size-1 dims aside: collapsed, they are a unit-stride row.
/// (collapse_shape also accepts a size-1 innermost dim after a strided
/// one, [3][1] with strides [2][1]: a row of stride 2.)
bool denseFrom(MemRefType t, int64_t from) {
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(t.getStridesAndOffset(strides, offset)))
    return false;
  int64_t expected = 1;
  for (int64_t d = t.getRank() - 1; d >= from; --d) {
    if (t.getDimSize(d) == 1)
      continue;
    if (strides[d] != expected)
      return false;
    expected *= t.getDimSize(d);
  }
  return true;
}

/// One index of an operand: loop dimension `dim` (-1: none) times `scale`
/// plus `offset`, all static and non-negative.
struct Read {
  int64_t dim = -1, scale = 1, offset = 0;
};

/// `e` as a Read: `d`, `d * s`, `d * s + c` or `c`; nothing else.
std::optional<Read> readOf(AffineExpr e) {
  Read r;
  if (auto c = dyn_cast<AffineConstantExpr>(e)) {
    if (c.getValue() < 0)
      return std::nullopt;
    r.offset = c.getValue();
    return r;
  }
  auto constRhs = [](AffineExpr x, AffineExprKind kind) -> std::optional<int64_t> {
    auto bin = dyn_cast<AffineBinaryOpExpr>(x);
    if (!bin || bin.getKind() != kind)
      return std::nullopt;
    auto c = dyn_cast<AffineConstantExpr>(bin.getRHS());
    if (!c || c.getValue() < 0)
      return std::nullopt;
    return c.getValue();
  };
  if (auto c = constRhs(e, AffineExprKind::Add)) {
    r.offset = *c;
    e = cast<AffineBinaryOpExpr>(e).getLHS();
  }
  if (auto c = constRhs(e, AffineExprKind::Mul)) {
    if (*c < 1)
      return std::nullopt;
    r.scale = *c;
    e = cast<AffineBinaryOpExpr>(e).getLHS();
  }
  auto d = dyn_cast<AffineDimExpr>(e);
  if (!d)
    return std::nullopt;
  r.dim = d.getPosition();
  return r;
}

/// The reads of every result of `m`, or failure.
FailureOr<SmallVector<Read>> readsOf(AffineMap m) {
  SmallVector<Read> reads;
  for (AffineExpr e : m.getResults()) {
    auto r = readOf(e);
    if (!r)
      return failure();
    reads.push_back(*r);
  }
  return reads;
}

/// Every result of `m` is a loop dimension or the constant 0: the maps the
/// collapsing and reduction paths handle.
bool dimsOrZeros(AffineMap m) {
  auto reads = readsOf(m);
  return succeeded(reads) && llvm::all_of(*reads, [](const Read &r) {
           return r.dim >= 0 ? r.scale == 1 && r.offset == 0 : r.offset == 0;
         });
}

/// How one operand is read once trailing loop dimensions are collapsed:
/// the (possibly collapsed) buffer, and per index the loop dimension it
/// follows (-1: a constant), times a scale, plus an offset.
struct View {
  Value mem;
  SmallVector<Read> reads;
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
      auto reads = readsOf(m);
      // Strided or offset reads (a stride phase of a row: d * 2 + 1) only
      // in elementwise ops, a scale of at most 4 along the innermost loop.
      if (failed(reads) || (reduction && !dimsOrZeros(m)))
        return false;
      // Read along the innermost loop only as the innermost, unit-stride dim.
      for (auto [r, read] : llvm::enumerate(*reads))
        if (read.dim == inner &&
            (r + 1 != reads->size() || !unitInnerStride(t) || read.scale > 4))
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
    for (AffineMap m : op.getIndexingMapsArray())
      if (!dimsOrZeros(m))
        return best; // strided reads: no collapsing
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
                t, groupTrailing(t.getRank(), pos->front())) ||
            !denseFrom(t, pos->front())) {
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
      // Strided maps are never collapsed (k is n - 1): their trailing read,
      // if any, is the innermost dim as it is.
      SmallVector<Read> reads = *readsOf(m);
      auto pos = *trailingReads(m, k);
      int64_t keep = pos.empty() ? m.getNumResults() : pos.front();
      View v{o.get(), SmallVector<Read>(ArrayRef<Read>(reads).take_front(keep))};
      if (!pos.empty()) {
        v.reads.push_back({k, 1, 0});
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
      for (const Read &r : v.reads) {
        if (r.dim < 0) {
          indices.push_back(idx(bb, r.offset));
          continue;
        }
        Value x = ivs[r.dim];
        if (r.scale != 1)
          x = arith::MulIOp::create(bb, loc, x, idx(bb, r.scale));
        if (r.offset)
          x = arith::AddIOp::create(bb, loc, x, idx(bb, r.offset));
        indices.push_back(x);
      }
      return indices;
    };
    Block &body = op.getRegion().front();
    Operation *comb = reduction ? edge::reductionCombiner(body) : nullptr;

    // The body's operands for columns [col, col + lanes) of the flat range
    // (ivs: loop dims 0..k-1). The output argument is `acc` (reductions) or
    // unused (elementwise ops never read their output).
    auto operands = [&](OpBuilder &bb, SmallVector<Value> ivs, Value col,
                        Value mask, Value acc, int64_t lanes) {
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
        // Lanes past the tail read 1, not 0: an integer division or
        // remainder in the body must not trap on them (x86 raises SIGFPE).
        auto ones = [&] {
          Attribute one = isa<FloatType>(elem)
                              ? Attribute(bb.getFloatAttr(elem, 1.0))
                              : Attribute(bb.getIntegerAttr(elem, 1));
          return arith::ConstantOp::create(bb, loc, vt,
                                           DenseElementsAttr::get(vt, one));
        };
        bool alongInner = !v.reads.empty() && v.reads.back().dim == k;
        if (alongInner && v.reads.back().scale > 1) {
          // Every scale-th value from the row's index: one wider load (as
          // far as the last value needed) and a shuffle.
          Value r = edge::loadStrided(bb, loc, v.mem, indicesOf(bb, v, ivs), vt,
                                      lanes, v.reads.back().scale);
          if (mask)
            r = arith::SelectOp::create(bb, loc, mask, r, ones());
          args.push_back(r);
        } else if (!alongInner) {
          Value s = memref::LoadOp::create(bb, loc, v.mem, indicesOf(bb, v, ivs));
          args.push_back(vector::BroadcastOp::create(bb, loc, vt, s));
        } else if (!mask) {
          args.push_back(
              vector::LoadOp::create(bb, loc, vt, v.mem, indicesOf(bb, v, ivs)));
        } else {
          args.push_back(vector::MaskedLoadOp::create(
              bb, loc, vt, v.mem, indicesOf(bb, v, ivs), mask, ones()));
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
                              ib, loc, body, operands(ib, ivs, col, mask, Value(), lanes), vw);
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
                  ib, loc, body, operands(ib, ivs, col, Value(), iter[0], vw), vw);
              scf::YieldOp::create(ib, loc, r);
            });
        acc = loop.getResult(0);
      }
      if (flat > full) {
        Value mask = tailMask(bb, flat - full);
        Value r = edge::vectorizeBody(
            bb, loc, body, operands(bb, ivs, idx(bb, full), mask, acc, flat - full), vw);
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
