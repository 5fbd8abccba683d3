//===- VectorizeWindow.cpp - pooling windows on vectors -------------------===//
//
// A window reduction (MaxPool, AveragePool's sum, LpPool: what the importer
// lowers as a linalg.generic over (n, c, o_1..o_d, k_1..k_d) reading
// in[n, c, o_i * s_i + k_i * dil_i] and writing out[n, c, o_i]) becomes
// loops over n, c, o_1..o_(d-1) and vectors of consecutive o_d: each lane
// is one output, accumulated in registers over the whole window in the
// window's own order (no reassociation: any body works, max or sum), and
// stored once. The innermost window dim is unrolled; each of its taps loads
// one vector of inputs (stride 1), or two and keeps the even lanes
// (stride 2). A `linalg.fill` of the output right before becomes the
// accumulators' initial value. Without this the op fell to scalar loops
// that LLVM vectorized with gathers.
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"
#include "passes/VectorBody.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace edge {
#define GEN_PASS_DEF_VECTORIZEWINDOW
#include "passes/Passes.h.inc"
} // namespace edge

using namespace mlir;

namespace {
/// The geometry of a supported window reduction over d spatial dims.
struct Window {
  int64_t d = 0;
  SmallVector<int64_t> strides, dilations;
  linalg::FillOp fill; // initialises the output right before, or null
  Value fillValue;
};

/// `e` as `dim(o) * s + dim(k) * dil` (either order, factors optional).
bool matchWindowExpr(AffineExpr e, unsigned o, unsigned k, int64_t &s,
                     int64_t &dil) {
  auto term = [](AffineExpr t, unsigned &pos, int64_t &f) {
    if (auto dim = dyn_cast<AffineDimExpr>(t)) {
      pos = dim.getPosition();
      f = 1;
      return true;
    }
    auto mul = dyn_cast<AffineBinaryOpExpr>(t);
    if (!mul || mul.getKind() != AffineExprKind::Mul)
      return false;
    auto dim = dyn_cast<AffineDimExpr>(mul.getLHS());
    auto c = dyn_cast<AffineConstantExpr>(mul.getRHS());
    if (!dim || !c)
      return false;
    pos = dim.getPosition();
    f = c.getValue();
    return true;
  };
  auto add = dyn_cast<AffineBinaryOpExpr>(e);
  if (!add || add.getKind() != AffineExprKind::Add)
    return false;
  unsigned p1, p2;
  int64_t f1, f2;
  if (!term(add.getLHS(), p1, f1) || !term(add.getRHS(), p2, f2))
    return false;
  if (p1 == k && p2 == o) {
    std::swap(p1, p2);
    std::swap(f1, f2);
  }
  if (p1 != o || p2 != k)
    return false;
  s = f1;
  dil = f2;
  return true;
}

bool unitInnerStride(MemRefType t) {
  SmallVector<int64_t> strides;
  int64_t offset;
  return succeeded(t.getStridesAndOffset(strides, offset)) &&
         !strides.empty() && strides.back() == 1;
}

struct VectorizeWindow
    : public edge::impl::VectorizeWindowBase<VectorizeWindow> {
  using Base::Base;

  FailureOr<Window> analyze(linalg::GenericOp op) {
    if (!op.hasPureBufferSemantics() || op.getNumDpsInits() != 1 ||
        op.getNumDpsInputs() != 2 || op.hasIndexSemantics())
      return failure();
    int64_t n = op.getNumLoops();
    if (n < 4 || (n - 2) % 2)
      return failure();
    Window w;
    w.d = (n - 2) / 2;
    auto its = op.getIteratorTypesArray();
    for (int64_t i = 0; i < n; ++i)
      if ((its[i] == utils::IteratorType::reduction) != (i >= 2 + w.d))
        return failure();
    MLIRContext *ctx = op.getContext();
    OpOperand *in = op.getDpsInputOperand(0), *win = op.getDpsInputOperand(1);
    OpOperand *init = op.getDpsInitOperand(0);
    auto inT = dyn_cast<MemRefType>(in->get().getType());
    auto outT = dyn_cast<MemRefType>(init->get().getType());
    if (!inT || !outT || !inT.hasStaticShape() || !outT.hasStaticShape() ||
        inT.getElementType() != outT.getElementType() ||
        !outT.getElementType().isIntOrFloat() ||
        outT.getElementType().getIntOrFloatBitWidth() < 8 ||
        !unitInnerStride(inT) || !unitInnerStride(outT))
      return failure();
    // out[n, c, o...] and in[n, c, o * s + k * dil ...]; the window operand
    // only gives the shape (its value is never read).
    AffineMap outMap = op.getMatchingIndexingMap(init);
    AffineMap inMap = op.getMatchingIndexingMap(in);
    if (outMap.getNumResults() != 2 + w.d || inMap.getNumResults() != 2 + w.d)
      return failure();
    for (int64_t i = 0; i < 2 + w.d; ++i)
      if (outMap.getResult(i) != getAffineDimExpr(i, ctx))
        return failure();
    for (int64_t i = 0; i < 2; ++i)
      if (inMap.getResult(i) != getAffineDimExpr(i, ctx))
        return failure();
    for (int64_t i = 0; i < w.d; ++i) {
      int64_t s, dil;
      if (!matchWindowExpr(inMap.getResult(2 + i), 2 + i, 2 + w.d + i, s, dil))
        return failure();
      w.strides.push_back(s);
      w.dilations.push_back(dil);
    }
    if (w.strides.back() != 1 && w.strides.back() != 2)
      return failure();
    Block &body = op.getRegion().front();
    if (!body.getArgument(1).use_empty() ||
        !edge::isVectorizableBody(body, op))
      return failure();
    (void)win;
    // The nearest memory op before: a fill of this output is folded.
    Operation *prev = op->getPrevNode();
    while (prev && isMemoryEffectFree(prev) && prev->getNumRegions() == 0)
      prev = prev->getPrevNode();
    if (auto fill = dyn_cast_or_null<linalg::FillOp>(prev))
      if (fill.hasPureBufferSemantics() &&
          fill.getOutputs()[0] == init->get())
      {
        w.fill = fill;
        w.fillValue = fill.getInputs()[0];
      }
    return w;
  }

  void rewrite(linalg::GenericOp op, const Window &w) {
    OpBuilder b(op);
    Location loc = op.getLoc();
    Value in = op.getDpsInputOperand(0)->get();
    Value out = op.getDpsInitOperand(0)->get();
    Type elem = cast<MemRefType>(out.getType()).getElementType();
    int64_t vw = vectorWidth;
    unsigned bits = elem.getIntOrFloatBitWidth();
    if (bits < 32)
      vw = vw * 32 / bits;
    if (bits > 32)
      vw = std::max<int64_t>(2, vw * 32 / bits);
    auto vt = VectorType::get({vw}, elem);
    SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    int64_t d = w.d, last = 2 + d - 1; // the vectorized output dim
    Block &body = op.getRegion().front();
    auto idx = [&](OpBuilder &bb, int64_t v) -> Value {
      return arith::ConstantIndexOp::create(bb, loc, v);
    };
    auto mask = [&](OpBuilder &bb, int64_t lanes, int64_t width) -> Value {
      return vector::ConstantMaskOp::create(
          bb, loc, VectorType::get({width}, bb.getI1Type()),
          ArrayRef<int64_t>{lanes});
    };
    auto zeros = [&](OpBuilder &bb, VectorType t) -> Value {
      return arith::ConstantOp::create(bb, loc, t, bb.getZeroAttr(t));
    };
    // The input position of output [ivs..., o0] for window taps `ks` of
    // the outer window dims: [n, c, o_i * s_i + k_i * dil_i ...,
    // o0 * s + `offset`].
    auto inputAt = [&](OpBuilder &bb, ArrayRef<Value> ivs, ValueRange ks,
                       Value o0, int64_t offset) {
      SmallVector<Value> pos = {ivs[0], ivs[1]};
      for (int64_t i = 0; i + 1 < d; ++i)
        pos.push_back(arith::AddIOp::create(
            bb, loc,
            arith::MulIOp::create(bb, loc, ivs[2 + i], idx(bb, w.strides[i])),
            arith::MulIOp::create(bb, loc, ks[i], idx(bb, w.dilations[i]))));
      pos.push_back(arith::AddIOp::create(
          bb, loc, arith::MulIOp::create(bb, loc, o0, idx(bb, w.strides[d - 1])),
          idx(bb, offset)));
      return pos;
    };
    ArrayRef<int64_t> outerWindow = ArrayRef<int64_t>(ranges).slice(2 + d, d - 1);

    // Separable: when the body is one reorderable combiner (max, min, a
    // reassoc sum), the outer window dims are combined first on whole
    // input rows, then the innermost one on lane shifts of that result:
    // each input row is loaded once per output vector, not once per tap,
    // and a 3x3 window costs 3 row loads and 2+3 combines instead of 9
    // loads, 9 shuffles and 9 combines. The row is loaded as blocks of
    // s*vw values (two when the window reaches past the first), split into
    // stride phases; tap kw is phase (kw*dil) % s shifted by (kw*dil) / s.
    Operation *comb = edge::reductionCombiner(body);
    int64_t s = w.strides[d - 1], dil = w.dilations[d - 1];
    int64_t kwN = ranges[2 + d + d - 1];
    bool separable = comb && body.getOperations().size() == 2 &&
                     llvm::is_contained(comb->getOperands(), body.getArgument(0)) &&
                     kwN > 1 && (kwN - 1) * dil < s * vw;
    int64_t bl = s * vw;
    auto wideT = VectorType::get({bl}, elem);
    auto windowSeparable = [&](OpBuilder &bb, ArrayRef<Value> ivs, Value o0,
                               int64_t lanes, Value acc) -> Value {
      int64_t span = (lanes - 1) * s + (kwN - 1) * dil + 1;
      int64_t l0 = std::min(bl, span), l1 = span - bl;
      // Combine the rows over k_1..k_(d-1): one or two blocks.
      auto neutral = cast<TypedAttr>(*arith::getNeutralElement(comb));
      Value init = arith::ConstantOp::create(
          bb, loc, wideT, DenseElementsAttr::get(wideT, cast<Attribute>(neutral)));
      SmallVector<Value> inits = {init};
      if (l1 > 0)
        inits.push_back(init);
      SmallVector<Value> rows = edge::emitLoopNest(
          bb, loc, outerWindow, inits,
          [&](OpBuilder &vb, ValueRange ks, ValueRange a) {
            SmallVector<Value> r;
            for (auto [j, count] : llvm::enumerate(ArrayRef<int64_t>{l0, l1})) {
              if (count <= 0)
                continue;
              Value blk = edge::loadStrided(
                  vb, loc, in, inputAt(vb, ivs, ks, o0, j * bl), wideT, count, 1);
              r.push_back(
                  edge::vectorizeBody(vb, loc, body, {blk, Value(), a[j]}, bl));
            }
            return r;
          });
      // The innermost window dim: lane shifts of the combined rows' phases.
      Value r = acc;
      for (int64_t kw = 0; kw < kwN; ++kw) {
        int64_t t = kw * dil, p = t % s, shift = t / s;
        Value x = edge::stridePhase(bb, loc, rows[0], p, s, vw);
        if (shift > 0) {
          Value next = l1 > 0 ? edge::stridePhase(bb, loc, rows[1], p, s, vw)
                              : zeros(bb, vt);
          x = edge::shiftLanes(bb, loc, x, next, shift, vw);
        }
        r = edge::vectorizeBody(bb, loc, body, {x, Value(), r}, vw);
      }
      return r;
    };

    // One vector of outputs: out[ivs..., o0 .. o0 + lanes).
    auto chunk = [&](OpBuilder &bb, ArrayRef<Value> ivs, Value o0,
                     int64_t lanes) {
      SmallVector<Value> at(ivs);
      at.push_back(o0);
      Value acc;
      if (w.fill)
        acc = vector::BroadcastOp::create(bb, loc, vt, w.fillValue);
      else if (lanes == vw)
        acc = vector::LoadOp::create(bb, loc, vt, out, at);
      else
        acc = vector::MaskedLoadOp::create(bb, loc, vt, out, at,
                                           mask(bb, lanes, vw), zeros(bb, vt));
      Value r;
      if (separable) {
        r = windowSeparable(bb, ivs, o0, lanes, acc);
      } else {
        // The window loops k_1..k_(d-1) carry the accumulator; k_d unrolled.
        r = edge::emitLoopNest(
            bb, loc, outerWindow, acc,
            [&](OpBuilder &wb, ValueRange ks, ValueRange a) {
              Value v = a[0];
              for (int64_t kd = 0; kd < kwN; ++kd) {
                Value x = edge::loadStrided(wb, loc, in,
                                            inputAt(wb, ivs, ks, o0, kd * dil),
                                            vt, lanes, s);
                v = edge::vectorizeBody(wb, loc, body, {x, Value(), v}, vw);
              }
              return SmallVector<Value>{v};
            })[0];
      }
      if (lanes == vw)
        vector::StoreOp::create(bb, loc, r, out, at);
      else
        vector::MaskedStoreOp::create(bb, loc, out, at, mask(bb, lanes, vw), r);
    };

    // Loops over n, c, o_1..o_(d-1), then blocks of vw along o_d.
    edge::emitLoopNest(b, loc, ArrayRef<int64_t>(ranges).take_front(last),
                       ValueRange{},
                       [&](OpBuilder &bb, ValueRange ivs, ValueRange) {
                         SmallVector<Value> outer(ivs);
                         edge::emitBlocked(
                             bb, loc, ranges[last], vw,
                             [&](OpBuilder &cb, Value o0, int64_t lanes) {
                               chunk(cb, outer, o0, lanes);
                             });
                         return SmallVector<Value>{};
                       });
    op->erase();
    if (w.fill)
      w.fill->erase();
  }

  void runOnOperation() override {
    if (vectorWidth < 2)
      return;
    SmallVector<std::pair<linalg::GenericOp, Window>> todo;
    getOperation()->walk([&](linalg::GenericOp op) {
      if (auto w = analyze(op); succeeded(w))
        todo.push_back({op, *w});
    });
    for (auto &[op, w] : todo)
      rewrite(op, w);
  }
};
} // namespace
