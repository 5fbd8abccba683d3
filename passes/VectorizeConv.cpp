//===- VectorizeConv.cpp - register-blocked direct convolution ------------===//
//
// Replaces 2-D NCHW convolutions on buffers (after bufferization and the
// arena plan) by explicit loops over an outer-product micro-kernel:
//
//   for n, for each block of FB output channels, for oh,
//     for each chunk of NV vectors of VW output columns:
//       acc[FB][NV] = out[n, f.., oh, ow..]        (the bias is already there)
//       for c, for kh: for kw (unrolled):
//         x[v]  = in[n, c, oh*sh + kh*dh, (ow + v*VW)*sw + kw*dw]   (vectors)
//         w[fb] = broadcast(weight[f + fb, c, kh, kw])
//         acc[fb][v] = fma(x[v], w[fb], acc[fb][v])
//       out[...] = acc
//
// Each input vector feeds FB FMAs and each broadcast NV: FB*NV accumulators
// stay in registers. Column tails are masked loads/stores (sizes are static).
// A stride-2 row is loaded as 2*VW contiguous values and the even lanes kept.
// Depthwise convolutions get the same loops without the channel block. A 1x1
// stride-1 convolution over contiguous planes treats H*W as one long row.
// Taps whose packed weights are zero for every output channel over runs of
// input channels (stride phases, pruned kernels) are not emitted.
// No im2col buffer: the convolution reads the (padded) input in place.
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
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/StringSet.h"

#include <map>
#include <tuple>

namespace edge {
#define GEN_PASS_DEF_VECTORIZECONV
#include "passes/Passes.h.inc"
} // namespace edge

using namespace mlir;

namespace {
struct ConvShape {
  int64_t n, f, c, oh, ow, kh, kw, sh, sw, dh, dw;
  bool depthwise;
};

/// Static geometry of a supported convolution, or failure.
FailureOr<ConvShape> analyze(linalg::LinalgOp op, bool depthwise) {
  auto in = dyn_cast<MemRefType>(op.getDpsInputOperand(0)->get().getType());
  auto w = dyn_cast<MemRefType>(op.getDpsInputOperand(1)->get().getType());
  auto out = dyn_cast<MemRefType>(op.getDpsInitOperand(0)->get().getType());
  if (!in || !w || !out || !in.hasStaticShape() || !w.hasStaticShape() ||
      !out.hasStaticShape() || !out.getElementType().isF32() ||
      !in.getElementType().isF32() || !w.getElementType().isF32())
    return failure();
  // The innermost (W) dimension must be unit-stride in every operand.
  for (MemRefType t : {in, w, out}) {
    SmallVector<int64_t> strides;
    int64_t offset;
    if (failed(t.getStridesAndOffset(strides, offset)) || strides.back() != 1)
      return failure();
  }
  DenseIntElementsAttr s, d;
  if (auto c = dyn_cast<linalg::Conv2DNchwFchwOp>(op.getOperation())) {
    s = c.getStrides();
    d = c.getDilations();
  } else if (auto c = dyn_cast<linalg::DepthwiseConv2DNchwChwOp>(op.getOperation())) {
    s = c.getStrides();
    d = c.getDilations();
  } else {
    return failure();
  }
  auto sv = llvm::to_vector(s.getValues<int64_t>());
  auto dv = llvm::to_vector(d.getValues<int64_t>());
  ConvShape g;
  g.depthwise = depthwise;
  g.n = out.getDimSize(0);
  g.f = out.getDimSize(1);
  g.oh = out.getDimSize(2);
  g.ow = out.getDimSize(3);
  g.c = depthwise ? 1 : in.getDimSize(1);
  g.kh = w.getDimSize(w.getRank() - 2);
  g.kw = w.getDimSize(w.getRank() - 1);
  g.sh = sv[0];
  g.sw = sv[1];
  g.dh = dv[0];
  g.dw = dv[1];
  if (g.sw != 1 && g.sw != 2)
    return failure();
  return g;
}

struct Emitter {
  OpBuilder &b;
  Location loc;
  int64_t vw; // lanes per vector
  VectorType vt;
  Type f32;

  Value idx(int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); }
  Value add(Value a, Value c) { return arith::AddIOp::create(b, loc, a, c); }
  Value add(Value a, int64_t c) { return c ? add(a, idx(c)) : a; }
  Value mul(Value a, int64_t c) {
    return c == 1 ? a : Value(arith::MulIOp::create(b, loc, a, idx(c)));
  }
  Value mask(int64_t lanes, int64_t width) {
    return vector::ConstantMaskOp::create(
        b, loc, VectorType::get({width}, b.getI1Type()),
        ArrayRef<int64_t>{lanes});
  }
  Value zeros(VectorType t) {
    return arith::ConstantOp::create(b, loc, t, b.getZeroAttr(t));
  }
  /// `lanes` (<= vw) contiguous values at `indices`, the rest zero.
  Value load(Value mem, ValueRange indices, int64_t lanes) {
    return edge::loadStrided(b, loc, mem, indices, vt, lanes, 1);
  }
  void store(Value v, Value mem, ValueRange indices, int64_t lanes) {
    if (lanes == vw)
      vector::StoreOp::create(b, loc, v, mem, indices);
    else
      vector::MaskedStoreOp::create(b, loc, mem, indices, mask(lanes, vw), v);
  }
};

/// What surrounds a convolution and can be folded into its micro-kernel:
/// the op initialising the output (a broadcast bias or a fill), and an
/// elementwise op applied in place right after (activation, residual add).
struct Epilogue {
  Operation *init = nullptr;
  Value bias;              // read at [f, 0, ...] (from the broadcast map)
  SmallVector<int64_t> biasIndexOfF; // per bias dim: 1 = f, 0 = constant 0
  Value fillValue;
  linalg::GenericOp post;  // ins(out, others...) outs(out), identity maps
  Value out;               // the convolution's output operand
};

bool isIdentity4(AffineMap m) { return m.isIdentity() && m.getNumDims() == 4; }

/// The op right before `conv` writing all of `out`: a bias broadcast along
/// the channel dim, or a fill.
/// The nearest op before/after `op` that touches memory (constants and
/// index arithmetic in between do not matter).
Operation *neighbour(Operation *op, bool before) {
  Operation *o = before ? op->getPrevNode() : op->getNextNode();
  while (o && isMemoryEffectFree(o) && o->getNumRegions() == 0)
    o = before ? o->getPrevNode() : o->getNextNode();
  return o;
}

void findInit(Operation *conv, Value out, Epilogue &ep) {
  Operation *prev = neighbour(conv, /*before=*/true);
  if (!prev)
    return;
  if (auto fill = dyn_cast<linalg::FillOp>(prev)) {
    if (fill.getOutputs()[0] == out && fill.hasPureBufferSemantics()) {
      ep.init = fill;
      ep.fillValue = fill.getInputs()[0];
    }
    return;
  }
  auto g = dyn_cast<linalg::GenericOp>(prev);
  if (!g || !g.hasPureBufferSemantics() || g.getNumDpsInputs() > 1 ||
      g.getNumDpsInits() != 1 || g.getDpsInitOperand(0)->get() != out ||
      g.getNumReductionLoops() != 0 ||
      !isIdentity4(g.getMatchingIndexingMap(g.getDpsInitOperand(0))))
    return;
  Block &body = g.getRegion().front();
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  // A generic filling the output with a value from outside (a bias that
  // constant folding made a splat: all zero in an exported squeezenet1_1)
  // is a fill.
  if (g.getNumDpsInputs() == 0) {
    if (body.getOperations().size() == 1 && yield.getNumOperands() == 1 &&
        yield.getOperand(0).getParentRegion() != &g.getRegion() &&
        yield.getOperand(0).getType().isF32()) {
      ep.init = g;
      ep.fillValue = yield.getOperand(0);
    }
    return;
  }
  if (body.getOperations().size() != 1 || yield.getNumOperands() != 1 ||
      yield.getOperand(0) != body.getArgument(0))
    return;
  AffineMap m = g.getMatchingIndexingMap(g.getDpsInputOperand(0));
  SmallVector<int64_t> which;
  for (AffineExpr e : m.getResults()) {
    if (auto d = dyn_cast<AffineDimExpr>(e); d && d.getPosition() == 1)
      which.push_back(1);
    else if (auto c = dyn_cast<AffineConstantExpr>(e); c && c.getValue() == 0)
      which.push_back(0);
    else
      return;
  }
  auto biasType = dyn_cast<MemRefType>(g.getDpsInputOperand(0)->get().getType());
  if (!biasType || !biasType.getElementType().isF32())
    return;
  ep.init = g;
  ep.bias = g.getDpsInputOperand(0)->get();
  ep.biasIndexOfF = which;
}

/// The elementwise op right after `conv` updating `out` in place, if its
/// body is plain arith/math on scalars (so it can run on the accumulators).
void findPost(Operation *conv, Value out, Epilogue &ep) {
  auto g = dyn_cast_or_null<linalg::GenericOp>(neighbour(conv, /*before=*/false));
  if (!g || !g.hasPureBufferSemantics() || g.getNumDpsInits() != 1 ||
      g.getDpsInitOperand(0)->get() != out || g.getNumReductionLoops() != 0)
    return;
  auto outType = cast<MemRefType>(out.getType());
  for (OpOperand &o : g->getOpOperands()) {
    auto t = dyn_cast<MemRefType>(o.get().getType());
    if (!t || t.getShape() != outType.getShape() || !t.getElementType().isF32() ||
        !isIdentity4(g.getMatchingIndexingMap(&o)))
      return;
    SmallVector<int64_t> strides;
    int64_t offset;
    if (failed(t.getStridesAndOffset(strides, offset)) || strides.back() != 1)
      return;
  }
  if (!edge::isVectorizableBody(g.getRegion().front(), conv))
    return;
  ep.post = g;
}

/// Input channels [c0, c1) whose weights are zero for every output channel
/// at the taps (kh * KW + kw) not in `taps`.
struct TapSegment {
  int64_t c0, c1;
  SmallVector<bool> taps;
};

/// Where the row kernel reads its weights. Without `packed`: the original
/// [F][C][KH][KW] (or depthwise [C][KH][KW]) buffer, one scalar per output
/// channel and tap. With `packed` (constant weights, repacked at compile
/// time): a 1-D buffer of channel blocks, block b at b * C*KH*KW*stride
/// holding [C][KH][KW][stride] with the block's `block` channels first,
/// so the FB values of one tap are contiguous and a block streams linearly
/// through the c/kh/kw loops. The last, partial block has `tailStride`
/// values per tap: its channel count, rounded up to whole (zero padded)
/// vectors when a tap is read as vectors.
struct Weights {
  Value w;
  Value packed;
  int64_t block = 0;  // output channels per block (the fbMax of the loops)
  int64_t stride = 0; // values per tap in a block (block rounded up)
  int64_t tailStride = 0; // the same in the last block when partial
  bool laneFma = false; // read a tap as vectors, splat lanes (fmla by element)
  /// When taps are zero for all output channels over runs of input channels
  /// (a stride-2 convolution split into phases, a pruned kernel): the runs,
  /// each its own loop without those taps. Empty: one loop, every tap.
  SmallVector<TapSegment> segments;
};

/// The runs of input channels with the same nonzero taps of `w` ([F][C][T]
/// values), when skipping the zero taps saves at least 1/8 of them in at
/// most 8 runs; else none.
SmallVector<TapSegment> tapSegments(ArrayRef<float> w, int64_t f, int64_t c,
                                    int64_t taps) {
  SmallVector<SmallVector<bool>> present(c, SmallVector<bool>(taps, false));
  for (int64_t fi = 0; fi < f; ++fi)
    for (int64_t ci = 0; ci < c; ++ci)
      for (int64_t t = 0; t < taps; ++t)
        if (w[(fi * c + ci) * taps + t] != 0.0f)
          present[ci][t] = true;
  int64_t absent = 0;
  SmallVector<TapSegment> segs;
  for (int64_t ci = 0; ci < c; ++ci) {
    absent += llvm::count(present[ci], false);
    if (segs.empty() || segs.back().taps != present[ci])
      segs.push_back({ci, ci + 1, present[ci]});
    else
      segs.back().c1 = ci + 1;
  }
  if (absent * 8 < c * taps || segs.size() > 8)
    return {};
  return segs;
}

/// One vector of a chunk: `lanes` output columns of row oh0 + row from
/// column ow0 + col.
struct Slot {
  int64_t row, col, lanes;
};

/// Flat rows (stride 1, contiguous input planes of `pitch` columns): output
/// (oh, ow) is position q = oh * pitch + ow of a flat row, and reads input
/// position q + kh*dh*pitch + kw*dw, so one vector of q spans the end of a
/// row and the start of the next. The pitch - OW positions per row past the
/// output's end (the input's padding columns) are computed and dropped.
/// Slots are then flat positions from a group's first row (row 0, col q).
/// The output and the epilogue's operands keep their own row strides: a
/// vector is stored (or loaded) once per output row it covers, each with a
/// constant lane mask, through a flat view [N][F][1][rows] of the buffer
/// (one store when the row stride is the pitch: a padded next layer).
struct FlatRows {
  int64_t pitch = 0; // 0: rows as they are
  struct View {
    Value flat;
    int64_t rowStride;
  };
  llvm::DenseMap<Value, View> views;

  /// The parts of a slot in one output row each: the static offset of its
  /// lane 0 from the group's first row in a buffer of `rowStride`, and the
  /// lanes in that row (column < `ow`).
  SmallVector<std::pair<int64_t, SmallVector<bool>>>
  segments(const Slot &s, int64_t ow, int64_t vw, int64_t rowStride) const {
    SmallVector<std::pair<int64_t, SmallVector<bool>>> segs;
    for (int64_t l = 0; l < s.lanes; ++l) {
      int64_t q = s.col + l, r = q / pitch;
      if (q % pitch >= ow)
        continue;
      int64_t off = s.col - r * (pitch - rowStride);
      auto it = llvm::find_if(segs, [&](auto &sg) { return sg.first == off; });
      if (it == segs.end()) {
        segs.push_back({off, SmallVector<bool>(vw, false)});
        it = std::prev(segs.end());
      }
      it->second[l] = true;
    }
    return segs;
  }
};

/// A group of `rows` output rows of `ow` columns as flat-row slots of `vw`
/// lanes: vectors from each row's first column on, across the row's end
/// into the next (positions up to `pitch`), skipping a vector that would
/// start in the padding columns.
SmallVector<Slot> flatSlots(int64_t rows, int64_t pitch, int64_t ow,
                            int64_t vw) {
  int64_t len = (rows - 1) * pitch + ow;
  SmallVector<Slot> slots;
  for (int64_t q = 0; q < len;) {
    if (q % pitch >= ow) {
      q = (q / pitch + 1) * pitch;
      continue;
    }
    slots.push_back({0, q, std::min(vw, len - q)});
    q += vw;
  }
  return slots;
}

/// The micro-kernel for one chunk of output vectors `slots` (each a part of
/// a row, possibly of different rows) and `fb` output channels from `f0`.
void emitChunk(Emitter &e, const ConvShape &g, Value in, const Weights &wt,
               Value out, const Epilogue &ep, ArrayRef<Value> postIns, Value n,
               Value f0, int64_t fb, Value oh0, Value ow0,
               ArrayRef<Slot> slots, const FlatRows &flat) {
  OpBuilder &b = e.b;
  Location loc = e.loc;
  int64_t nv = slots.size();
  auto at = [&](Emitter &k, int64_t i, const Slot &s) -> SmallVector<Value> {
    return {n, k.add(f0, i), k.add(oh0, s.row), k.add(ow0, s.col)};
  };
  auto boolMask = [&](ArrayRef<bool> bits) -> Value {
    auto t = VectorType::get({e.vw}, b.getI1Type());
    return arith::ConstantOp::create(b, loc, t, DenseElementsAttr::get(t, bits));
  };
  // A part whose lane 0 would lie before the row group's start (rows
  // shorter than a vector: a part in the third row of a vector) is read
  // and written at the start instead, its lanes shifted down by -off.
  auto shifted = [&](ArrayRef<bool> bits, int64_t off) {
    SmallVector<bool> m(e.vw, false);
    for (int64_t l = -off; l < e.vw; ++l)
      m[l + off] = bits[l];
    return m;
  };
  // Where a flat-row part at `off` of output channel f0 + i is accessed.
  auto partIndex = [&](const FlatRows::View &view, int64_t i, int64_t off) {
    return SmallVector<Value>{n, e.add(f0, i), e.idx(0),
                              e.add(e.mul(oh0, view.rowStride),
                                    std::max<int64_t>(off, 0))};
  };
  // Output channel f0 + i of slot `s` in `mem` (the output or an epilogue
  // operand): loaded (lanes outside the output zero) or, in flat rows,
  // stored.
  auto loadOut = [&](Value mem, int64_t i, const Slot &s) -> Value {
    if (!flat.pitch)
      return e.load(mem, at(e, i, s), s.lanes);
    const FlatRows::View &view = flat.views.find(mem)->second;
    Value r = e.zeros(e.vt);
    for (auto &[off, bits] : flat.segments(s, g.ow, e.vw, view.rowStride)) {
      SmallVector<Value> idx = partIndex(view, i, off);
      if (off < 0) {
        Value part = vector::MaskedLoadOp::create(
            b, loc, e.vt, view.flat, idx, boolMask(shifted(bits, off)),
            e.zeros(e.vt));
        part = edge::shiftLanes(b, loc, e.zeros(e.vt), part, e.vw + off, e.vw);
        r = arith::SelectOp::create(b, loc, boolMask(bits), part, r);
      } else if (llvm::all_of(bits, [](bool x) { return x; })) {
        r = vector::LoadOp::create(b, loc, e.vt, view.flat, idx);
      } else {
        r = vector::MaskedLoadOp::create(b, loc, e.vt, view.flat, idx,
                                         boolMask(bits), r);
      }
    }
    return r;
  };
  auto storeOut = [&](Value v, Value mem, int64_t i, const Slot &s) {
    const FlatRows::View &view = flat.views.find(mem)->second;
    for (auto &[off, bits] : flat.segments(s, g.ow, e.vw, view.rowStride)) {
      SmallVector<Value> idx = partIndex(view, i, off);
      if (off < 0)
        vector::MaskedStoreOp::create(
            b, loc, view.flat, idx, boolMask(shifted(bits, off)),
            edge::shiftLanes(b, loc, v, e.zeros(e.vt), -off, e.vw));
      else if (llvm::all_of(bits, [](bool x) { return x; }))
        vector::StoreOp::create(b, loc, v, view.flat, idx);
      else
        vector::MaskedStoreOp::create(b, loc, view.flat, idx, boolMask(bits),
                                      v);
    }
  };
  SmallVector<Value> acc;
  for (int64_t i = 0; i < fb; ++i) {
    Value init;
    if (ep.bias) {
      SmallVector<Value> bat;
      for (int64_t which : ep.biasIndexOfF)
        bat.push_back(which ? e.add(f0, i) : e.idx(0));
      init = vector::BroadcastOp::create(
          b, loc, e.vt, memref::LoadOp::create(b, loc, ep.bias, bat));
    } else if (ep.fillValue) {
      init = vector::BroadcastOp::create(b, loc, e.vt, ep.fillValue);
    }
    for (const Slot &s : slots)
      acc.push_back(init ? init : loadOut(out, i, s));
  }
  Value iwBase = flat.pitch ? e.mul(oh0, flat.pitch) : e.mul(ow0, g.sw);
  // This block's packed weights start at (f0 / block) * C*KH*KW*stride.
  int64_t taps = g.c * g.kh * g.kw;
  Value blockBase;
  if (wt.packed)
    blockBase = e.mul(arith::DivUIOp::create(b, loc, f0, e.idx(wt.block)),
                      taps * wt.stride);
  // The taps of kernel row kh for input channel c (those of `kwMask`
  // only, when given) on the accumulators `a2`.
  auto tapRow = [&](OpBuilder &kb, Location kl, Value c, Value kh,
                    ValueRange a2, ArrayRef<bool> kwMask) {
    Emitter k{kb, kl, e.vw, e.vt, e.f32};
    SmallVector<Value> accs(a2);
    Value inC = g.depthwise ? f0 : c;
    // Flat rows: every input row is row 0 of the flat plane, kh
    // moves along it by whole rows.
    Value khOff = flat.pitch ? k.idx(0) : k.mul(kh, g.dh);
    Value rowBase =
        flat.pitch ? k.add(iwBase, k.mul(kh, g.dh * flat.pitch)) : iwBase;
    auto inRow = [&](int64_t row) {
      return flat.pitch ? khOff : k.add(k.mul(k.add(oh0, row), g.sh), khOff);
    };
    // packed[blockBase + ((c * KH + kh) * KW + kw) * stride + i]
    Value tapBase;
    int64_t stride = fb == wt.block ? wt.stride : wt.tailStride;
    if (wt.packed)
      tapBase =
          k.add(blockBase, k.mul(k.add(k.mul(c, g.kh), kh), g.kw * stride));
    // Depthwise: one FMA per loaded vector made the kernel load
    // bound (and a padded row's loads straddle cache lines). Each
    // slot's input is loaded once per kh as blocks of sw*vw values,
    // split into phases (the even and odd columns at stride 2), and
    // each kw tap is a lane shift across two consecutive blocks'
    // phase vectors (x86 valignd, AArch64 ext, RVV slides). A
    // slot's second block is the next slot's first when they are
    // adjacent in a row: loaded once.
    bool shifted = g.depthwise && g.kw > 1 && (g.kw - 1) * g.dw < g.sw * e.vw;
    int64_t blockLanes = g.sw * e.vw;
    std::map<std::pair<int64_t, int64_t>, std::pair<Value, int64_t>>
        blocks; // (row, input column) -> (loaded block, lanes read)
    std::map<std::tuple<int64_t, int64_t, int64_t>, Value> phases;
    auto phaseOf = [&](int64_t row, int64_t col, int64_t lanes,
                       int64_t phase) -> Value {
      auto key = std::make_tuple(row, col, phase);
      if (auto it = phases.find(key); it != phases.end())
        return it->second;
      Value blk;
      if (lanes <= 0) {
        blk = k.zeros(VectorType::get({blockLanes}, e.f32));
      } else if (auto it = blocks.find({row, col});
                 it != blocks.end() && it->second.second >= lanes) {
        blk = it->second.first;
      } else {
        blk = edge::loadStrided(kb, kl, in,
                                {n, inC, inRow(row), k.add(rowBase, col)},
                                VectorType::get({blockLanes}, e.f32), lanes, 1);
        blocks[{row, col}] = {blk, lanes};
      }
      Value ph = edge::stridePhase(kb, kl, blk, phase, g.sw, e.vw);
      phases[key] = ph;
      return ph;
    };
    // Input values slot `s` reads from its first column on.
    auto span = [&](const Slot &s) {
      return (s.lanes - 1) * g.sw + (g.kw - 1) * g.dw + 1;
    };
    if (shifted)
      for (const Slot &s : slots) // first blocks first: reusable
        for (int64_t p = 0; p < g.sw; ++p)
          phaseOf(s.row, s.col * g.sw, std::min(blockLanes, span(s)), p);
    for (int64_t kw = 0; kw < g.kw; ++kw) {
      if (!kwMask.empty() && !kwMask[kw])
        continue; // all its weights are zero
      SmallVector<Value> x;
      for (const Slot &s : slots) {
        if (shifted) {
          int64_t t = kw * g.dw, p = t % g.sw, shift = t / g.sw;
          int64_t c0 = s.col * g.sw;
          Value p0 = phaseOf(s.row, c0, std::min(blockLanes, span(s)), p);
          if (shift == 0) {
            x.push_back(p0);
            continue;
          }
          Value p1 = phaseOf(s.row, c0 + blockLanes,
                             std::min(blockLanes, span(s) - blockLanes), p);
          x.push_back(edge::shiftLanes(kb, kl, p0, p1, shift, e.vw));
          continue;
        }
        x.push_back(edge::loadStrided(
            kb, kl, in,
            {n, inC, inRow(s.row), k.add(rowBase, s.col * g.sw + kw * g.dw)},
            e.vt, s.lanes, g.sw));
      }
      SmallVector<Value> wvec;
      if (wt.packed && wt.laneFma)
        for (int64_t j = 0; j * e.vw < fb; ++j)
          wvec.push_back(vector::LoadOp::create(
              kb, kl, e.vt, wt.packed,
              ValueRange{k.add(tapBase, kw * stride + j * e.vw)}));
      for (int64_t i = 0; i < fb; ++i) {
        Value wb;
        if (!wvec.empty()) {
          Value lane = vector::ExtractOp::create(kb, kl, wvec[i / e.vw],
                                                 ArrayRef<int64_t>{i % e.vw});
          wb = vector::BroadcastOp::create(kb, kl, e.vt, lane);
        } else {
          Value wi = wt.packed
                         ? memref::LoadOp::create(
                               kb, kl, wt.packed,
                               ValueRange{k.add(tapBase, kw * stride + i)})
                     : g.depthwise
                         ? memref::LoadOp::create(kb, kl, wt.w,
                                                  ValueRange{f0, kh, k.idx(kw)})
                         : memref::LoadOp::create(
                               kb, kl, wt.w,
                               ValueRange{k.add(f0, i), c, kh, k.idx(kw)});
          wb = vector::BroadcastOp::create(kb, kl, e.vt, wi);
        }
        for (int64_t v = 0; v < nv; ++v)
          accs[i * nv + v] =
              vector::FMAOp::create(kb, kl, x[v], wb, accs[i * nv + v]);
      }
    }
    return accs;
  };
  auto body = [&](OpBuilder &nb, Location l, Value c, ValueRange a1) {
    auto khLoop = scf::ForOp::create(
        nb, l, e.idx(0), e.idx(g.kh), e.idx(1), a1,
        [&](OpBuilder &kb, Location kl, Value kh, ValueRange a2) {
          scf::YieldOp::create(kb, kl, tapRow(kb, kl, c, kh, a2, {}));
        });
    return khLoop.getResults();
  };
  ValueRange result;
  SmallVector<Value> segmentResult;
  if (g.depthwise) {
    result = body(b, loc, Value(), acc);
  } else if (!wt.segments.empty()) {
    // Runs of input channels with the same taps present: one loop each,
    // kernel rows unrolled, absent taps (and rows) not emitted.
    segmentResult.assign(acc.begin(), acc.end());
    for (const TapSegment &seg : wt.segments) {
      if (llvm::none_of(seg.taps, [](bool t) { return t; }))
        continue;
      auto loop = scf::ForOp::create(
          b, loc, e.idx(seg.c0), e.idx(seg.c1), e.idx(1), segmentResult,
          [&](OpBuilder &nb, Location l, Value c, ValueRange a) {
            SmallVector<Value> accs(a);
            for (int64_t kh = 0; kh < g.kh; ++kh) {
              auto row = ArrayRef<bool>(seg.taps).slice(kh * g.kw, g.kw);
              if (llvm::any_of(row, [](bool t) { return t; }))
                accs = tapRow(nb, l, c, arith::ConstantIndexOp::create(nb, l, kh),
                              accs, row);
            }
            scf::YieldOp::create(nb, l, accs);
          });
      segmentResult.assign(loop.getResults().begin(), loop.getResults().end());
    }
    result = segmentResult;
  } else {
    auto cLoop = scf::ForOp::create(
        b, loc, e.idx(0), e.idx(g.c), e.idx(1), acc,
        [&](OpBuilder &nb, Location l, Value c, ValueRange a) {
          scf::YieldOp::create(nb, l, body(nb, l, c, a));
        });
    result = cLoop.getResults();
  }
  for (int64_t i = 0; i < fb; ++i)
    for (int64_t v = 0; v < nv; ++v) {
      // The position (rows as they are): computed once for the loads and
      // the store.
      SmallVector<Value> pos;
      if (!flat.pitch)
        pos = at(e, i, slots[v]);
      Value r = result[i * nv + v];
      if (ep.post) {
        // The post op's operands at this position: the accumulator for
        // `out`, loads for the others (a residual, say).
        linalg::GenericOp post = ep.post;
        SmallVector<Value> args;
        for (auto [k, operand] : llvm::enumerate(post->getOperands()))
          args.push_back(operand == ep.out ? r
                         : flat.pitch ? loadOut(postIns[k], i, slots[v])
                                      : e.load(postIns[k], pos, slots[v].lanes));
        r = edge::vectorizeBody(b, loc, post.getRegion().front(), args, e.vw);
      }
      if (flat.pitch)
        storeOut(r, out, i, slots[v]);
      else
        e.store(r, out, pos, slots[v].lanes);
    }
}

/// The f32 values of a constant weight buffer: `w` is a memref.get_global
/// of a constant global (through reshapes), or failure.
FailureOr<SmallVector<float>> constantWeights(Value w, ModuleOp module) {
  while (auto op = w.getDefiningOp())
    if (isa<memref::ExpandShapeOp, memref::CollapseShapeOp>(op))
      w = op->getOperand(0);
    else
      break;
  auto get = w.getDefiningOp<memref::GetGlobalOp>();
  if (!get)
    return failure();
  auto global = module.lookupSymbol<memref::GlobalOp>(get.getName());
  if (!global || !global.getConstant() || !global.getInitialValue())
    return failure();
  return edge::f32Values(*global.getInitialValue());
}

/// For convolutions whose rows fill less than half a vector (late layers:
/// 7x7 on AVX-512), the output channels are the vector dimension instead: the
/// weights are repacked at compile time to [F/fStep][C][KH][KW][fStep],
/// `pixels` output columns x `fVectors` vectors of channels accumulate in
/// registers, each tap broadcasts one input value per column and loads
/// `fVectors` weight vectors. Outputs are stored element by element (their
/// channel stride is H*W; the store is once per output, the work C*KH*KW).
void emitChannelKernel(OpBuilder &b, Location loc, const ConvShape &g, Value in,
                       Value packed, Value out, const Epilogue &ep,
                       Value biasFlat, int64_t vw, int64_t fVectors,
                       int64_t pixels) {
  Emitter e{b, loc, vw, VectorType::get({vw}, b.getF32Type()), b.getF32Type()};
  int64_t fStep = fVectors * vw;
  auto tile = [&](OpBuilder &tb, Location tl, Value n, Value f0, Value oh,
                  Value ow0, int64_t px) {
    Emitter t{tb, tl, vw, e.vt, e.f32};
    SmallVector<Value> acc;
    for (int64_t p = 0; p < px; ++p)
      for (int64_t v = 0; v < fVectors; ++v) {
        Value init;
        if (biasFlat)
          init = vector::LoadOp::create(tb, tl, t.vt, biasFlat,
                                        ValueRange{t.add(f0, v * vw)});
        else
          init = vector::BroadcastOp::create(tb, tl, t.vt, ep.fillValue);
        acc.push_back(init);
      }
    auto cLoop = scf::ForOp::create(
        tb, tl, t.idx(0), t.idx(g.c), t.idx(1), acc,
        [&](OpBuilder &cb, Location cl, Value c, ValueRange a1) {
          auto khLoop = scf::ForOp::create(
              cb, cl, t.idx(0), t.idx(g.kh), t.idx(1), a1,
              [&](OpBuilder &kb, Location kl, Value kh, ValueRange a2) {
                Emitter k{kb, kl, vw, e.vt, e.f32};
                SmallVector<Value> accs(a2);
                Value ih = k.add(k.mul(oh, g.sh), k.mul(kh, g.dh));
                // packed[f0 * C*KH*KW + ((c * KH + kh) * KW + kw) * fStep
                //        + f - f0]
                Value rowBase =
                    k.add(k.mul(f0, g.c * g.kh * g.kw),
                          k.mul(k.add(k.mul(c, g.kh), kh), g.kw * fStep));
                for (int64_t kw = 0; kw < g.kw; ++kw) {
                  SmallVector<Value> wv;
                  for (int64_t v = 0; v < fVectors; ++v)
                    wv.push_back(vector::LoadOp::create(
                        kb, kl, e.vt, packed,
                        ValueRange{k.add(rowBase, kw * fStep + v * vw)}));
                  for (int64_t p = 0; p < px; ++p) {
                    Value iw = k.add(k.mul(k.add(ow0, p), g.sw), kw * g.dw);
                    Value x = memref::LoadOp::create(kb, kl, in,
                                                     ValueRange{n, c, ih, iw});
                    Value xb = vector::BroadcastOp::create(kb, kl, e.vt, x);
                    for (int64_t v = 0; v < fVectors; ++v)
                      accs[p * fVectors + v] = vector::FMAOp::create(
                          kb, kl, wv[v], xb, accs[p * fVectors + v]);
                  }
                }
                scf::YieldOp::create(kb, kl, accs);
              });
          scf::YieldOp::create(cb, cl, khLoop.getResults());
        });
    for (int64_t p = 0; p < px; ++p)
      for (int64_t v = 0; v < fVectors; ++v) {
        Value r = cLoop.getResult(p * fVectors + v);
        if (ep.post) {
          // The accumulator for `out`; the other operands (a residual) at
          // the same vw channels of this pixel, gathered value by value
          // (once per output, against C*KH*KW FMAs).
          linalg::GenericOp post = ep.post;
          SmallVector<Value> args;
          for (Value operand : post->getOperands()) {
            if (operand == ep.out) {
              args.push_back(r);
              continue;
            }
            SmallVector<Value> lanes;
            for (int64_t lane = 0; lane < vw; ++lane)
              lanes.push_back(memref::LoadOp::create(
                  tb, tl, operand,
                  ValueRange{n, t.add(f0, v * vw + lane), oh, t.add(ow0, p)}));
            args.push_back(
                vector::FromElementsOp::create(tb, tl, e.vt, lanes));
          }
          r = edge::vectorizeBody(tb, tl, post.getRegion().front(), args, vw);
        }
        for (int64_t lane = 0; lane < vw; ++lane) {
          Value s = vector::ExtractOp::create(tb, tl, r, ArrayRef<int64_t>{lane});
          memref::StoreOp::create(
              tb, tl, s, out,
              ValueRange{n, t.add(f0, v * vw + lane), oh, t.add(ow0, p)});
        }
      }
  };
  // n, blocks of fStep channels, rows, then chunks of `pixels` columns
  // (and a tail chunk).
  scf::ForOp::create(
      b, loc, e.idx(0), e.idx(g.n), e.idx(1), ValueRange{},
      [&](OpBuilder &nb, Location nl, Value n, ValueRange) {
        Emitter ne{nb, nl, vw, e.vt, e.f32};
        scf::ForOp::create(
            nb, nl, ne.idx(0), ne.idx(g.f), ne.idx(fStep), ValueRange{},
            [&](OpBuilder &fb, Location fl, Value f0, ValueRange) {
              Emitter fe{fb, fl, vw, e.vt, e.f32};
              scf::ForOp::create(
                  fb, fl, fe.idx(0), fe.idx(g.oh), fe.idx(1), ValueRange{},
                  [&](OpBuilder &hb, Location hl, Value oh, ValueRange) {
                    edge::emitBlocked(hb, hl, g.ow, pixels,
                                      [&](OpBuilder &wb, Value ow0, int64_t px) {
                                        tile(wb, hl, n, f0, oh, ow0, px);
                                      });
                    scf::YieldOp::create(hb, hl);
                  });
              scf::YieldOp::create(fb, fl);
            });
        scf::YieldOp::create(nb, nl);
      });
}

/// The channel kernel's tile: `vectors` vectors of output channels times
/// `pixels` output columns of accumulators.
struct ChannelTile {
  int64_t vectors = 1, pixels = 1;
};

/// Estimated cycles of one kernel tap for a tile of `fv` channel vectors x
/// `px` columns: the FMAs on two pipes, at least eight independent chains
/// to cover a 4-cycle FMA latency, two loads a cycle (fv weight vectors,
/// px broadcasts); when the block of weights the tile streams
/// (`blockBytes`) does not stay in the L2 (three quarters of it: the input
/// rows and the output share it), its bytes per tap from the next level at
/// about 16 bytes a cycle; `l1` and `l2` are the cache sizes (0: unknown).
double tapCycles(int64_t fv, int64_t px, int64_t vw, int64_t blockBytes,
                 int64_t l1, int64_t l2) {
  // Plus one cycle a tap for the loop and addressing: of two tiles the
  // model would call equal, the one with more accumulators (more slack on
  // the latency floor, measured 15% faster: 2x7 against 2x5 columns on a
  // 576->96 1x1 14x14 layer).
  double c = std::max({fv * px / 2.0, 4.0, (fv + px) / 2.0}) + 1.0;
  // A block of weights larger than the L1 streams from the L2 at about 32
  // bytes a cycle: a narrow tile (a 2-column tail) re-reads the block for
  // few FMAs.
  if (blockBytes > l1)
    c = std::max(c, fv * vw * 4 / 32.0);
  if (l2 > 0 && blockBytes > l2 * 3 / 4)
    c = std::max(c, fv * vw * 4 / 16.0);
  return c;
}

/// Estimated cycles of one tap over a whole row of `ow` columns in tiles
/// of `fv` channel vectors x `px` columns: the full tiles and the tail.
double rowCycles(const ConvShape &g, int64_t fv, int64_t px, int64_t vw,
                 int64_t l1, int64_t l2) {
  int64_t blockBytes = fv * vw * g.c * g.kh * g.kw * 4;
  int64_t full = g.ow / px, tail = g.ow % px;
  return full * tapCycles(fv, px, vw, blockBytes, l1, l2) +
         (tail ? tapCycles(fv, tail, vw, blockBytes, l1, l2) : 0.0);
}

/// Estimated cycles of one tap over `slots` cut into chunks of `nvMax`
/// vectors (the last chunk possibly fewer), `fb` channels each.
double chunkCycles(ArrayRef<Slot> slots, int64_t fb, int64_t nvMax,
                   int64_t vw) {
  double c = 0;
  for (size_t s = 0; s < slots.size(); s += nvMax)
    c += tapCycles(fb, std::min<int64_t>(nvMax, slots.size() - s), vw, 0, 0, 0);
  return c;
}

/// The row kernel's layout of a plane: groups of `rows` output rows (and a
/// tail group), each a list of vector slots, and its estimated cycles per
/// tap (chunks of nvMax vectors).
struct RowPlan {
  int64_t rows = 1;
  int64_t pitch = 0; // flat rows (see FlatRows) when not 0
  double cycles = 0;
  int64_t vectors = 0; // over the plane
};

/// Slots of a group of `count` rows, each row's vectors on their own
/// (`pitch` 0) or as flat rows of `pitch` columns.
SmallVector<Slot> groupSlots(const ConvShape &g, int64_t count, int64_t pitch,
                             int64_t vw) {
  if (pitch)
    return flatSlots(count, pitch, g.ow, vw);
  SmallVector<Slot> slots;
  for (int64_t r = 0; r < count; ++r)
    for (int64_t v = 0; v * vw < g.ow; ++v)
      slots.push_back({r, v * vw, std::min(vw, g.ow - v * vw)});
  return slots;
}

RowPlan planRows(const ConvShape &g, int64_t rows, int64_t pitch, int64_t fb,
                 int64_t nvMax, int64_t vw) {
  RowPlan p{rows, pitch, 0, 0};
  int64_t full = g.oh / rows, tail = g.oh % rows;
  SmallVector<Slot> slots = groupSlots(g, rows, pitch, vw);
  p.cycles = full * chunkCycles(slots, fb, nvMax, vw);
  p.vectors = full * slots.size();
  if (tail) {
    SmallVector<Slot> t = groupSlots(g, tail, pitch, vw);
    p.cycles += chunkCycles(t, fb, nvMax, vw);
    p.vectors += t.size();
  }
  return p;
}

/// The tile with the fewest estimated cycles per vector of output channels
/// over a whole row (its full tiles and the tail tile), among channel
/// vectors dividing the channel count (at most 4) and at most `regs`
/// accumulators. Ties keep the first found (fewer channel vectors, then
/// fewer columns).
ChannelTile chooseChannelTile(const ConvShape &g, int64_t vw, int64_t regs,
                              int64_t l1, int64_t l2) {
  ChannelTile best;
  double bestCost = -1;
  for (int64_t fv = 1; fv <= std::min<int64_t>(4, g.f / vw); ++fv) {
    if ((g.f / vw) % fv)
      continue;
    for (int64_t px = 1; px <= std::min(g.ow, std::max<int64_t>(1, regs / fv));
         ++px) {
      double cost = rowCycles(g, fv, px, vw, l1, l2) / fv;
      if (bestCost < 0 || cost < bestCost - 1e-9) {
        bestCost = cost;
        best = {fv, px};
      }
    }
  }
  return best;
}

/// Whether a 4-D buffer's H and W dims are one contiguous run per channel.
bool planeContiguous(Value v) {
  auto t = cast<MemRefType>(v.getType());
  SmallVector<int64_t> strides;
  int64_t offset;
  return succeeded(t.getStridesAndOffset(strides, offset)) &&
         strides.size() == 4 && strides[3] == 1 &&
         strides[2] == t.getDimSize(3);
}

struct VectorizeConv : public edge::impl::VectorizeConvBase<VectorizeConv> {
  using Base::Base;

  /// The channel-vector kernel, when it applies and its cost model beats
  /// the row kernel's: channels a multiple of the vector, constant weights
  /// (packed here), the output initialised by a bias or a fill. `rowUse`
  /// is the fraction of the row kernel's vector lanes holding outputs.
  bool tryChannelKernel(linalg::LinalgOp op, const ConvShape &g, Epilogue &ep,
                        double rowUse) {
    int64_t vw = vectorWidth;
    if (g.depthwise || g.f % vw != 0 || !ep.init)
      return false;
    // The target's tile budget, at most 16 accumulators: each tap's
    // broadcasts take registers of their own, and past 16 LLVM's schedule
    // suffers (resnet18's 64->64 56x56 layer, --channel-tile: 2x8 1.21 ms,
    // 2x12 1.42 ms, 2x4 1.28 ms).
    int64_t regs = std::min<int64_t>(channelBlock * columnVectors, 16);
    ChannelTile tile = chooseChannelTile(g, vw, regs, l1Bytes, l2Bytes);
    if (channelVectors > 0 && (g.f / vw) % channelVectors == 0)
      tile.vectors = channelVectors;
    if (channelPixels > 0)
      tile.pixels = std::min<int64_t>(channelPixels, g.ow);
    // Rows filling less than half a vector (7x7 on AVX-512) always take it.
    // Otherwise, with enough taps per output to pay for its
    // element-by-element stores, the estimated cycles per output value and
    // tap decide: the row kernel wastes the lanes past a row's end (14 or
    // 56 columns of 16 lanes: 1/8), the channel kernel only tail tiles. At
    // stride 2 the row kernel also pays two loads and a shuffle per input
    // vector (not in the model); the channel kernel reads every other
    // column (resnet18's 128->256 3x3 s2 28->14 layer: 0.59 -> 0.53 ms).
    int64_t taps = g.c * g.kh * g.kw;
    bool narrow = 2 * g.ow <= vw;
    if (!narrow) {
      if (taps < 64)
        return false;
      // Cycles per output value: the taps' share plus storing it (and
      // loading the epilogue's other operands): a vector store per vw
      // values in the row kernel, a lane extract and scalar store (or
      // load) per value in the channel kernel.
      int64_t others = ep.post ? ep.post->getNumOperands() -
                                     llvm::count(ep.post->getOperands(), ep.out)
                               : 0;
      int64_t rowVectors = channelBlock * columnVectors;
      double rowCost =
          (taps * tapCycles(channelBlock, columnVectors, vw, 0, 0, 0) +
           rowVectors * (1 + others)) /
          (rowVectors * vw * rowUse);
      double chanCost =
          (taps * rowCycles(g, tile.vectors, tile.pixels, vw, l1Bytes, l2Bytes) +
           tile.vectors * vw * g.ow * (1.0 + others)) /
          (tile.vectors * vw * g.ow);
      if (!(chanCost < rowCost))
        return false;
    }
    if (ep.bias && !ep.biasIndexOfF.empty() &&
        llvm::count(ep.biasIndexOfF, 1) != 1)
      return false;
    auto module = op->getParentOfType<ModuleOp>();
    Value w = op.getDpsInputOperand(1)->get();
    auto weights = constantWeights(w, module);
    if (failed(weights) || (int64_t)weights->size() != g.f * g.c * g.kh * g.kw)
      return false;
    OpBuilder b(op);
    Location loc = op.getLoc();
    if (ep.bias && !cast<MemRefType>(ep.bias.getType()).getLayout().isIdentity())
      return false;
    int64_t fVectors = tile.vectors;
    int64_t fStep = fVectors * vw;
    // [F][C][KH][KW] -> [F / fStep][C][KH][KW][fStep]: the block of fStep
    // channels one tile reads is one linear stream (with [C][KH][KW][F] a
    // tap's fStep values were F apart: 2 KiB strides over a 1 MiB block for
    // 512 channels).
    SmallVector<float> packedData(weights->size());
    for (int64_t f = 0; f < g.f; ++f)
      for (int64_t t = 0; t < taps; ++t)
        packedData[(f / fStep * taps + t) * fStep + f % fStep] =
            (*weights)[f * taps + t];
    Value packed = packedGlobal(b, loc, module, w, packedData);
    Value biasFlat;
    if (ep.bias) {
      auto bt = cast<MemRefType>(ep.bias.getType());
      ReassociationIndices all;
      for (int64_t d = 0; d < bt.getRank(); ++d)
        all.push_back(d);
      biasFlat = bt.getRank() == 1
                     ? ep.bias
                     : Value(memref::CollapseShapeOp::create(
                           b, loc, ep.bias, ArrayRef<ReassociationIndices>{all}));
    }
    int64_t pixels = tile.pixels;
    emitChannelKernel(b, loc, g, op.getDpsInputOperand(0)->get(), packed,
                      op.getDpsInitOperand(0)->get(), ep, biasFlat, vw,
                      fVectors, pixels);
    return true;
  }
  int packedCount = 0;
  /// The constant globals whose weights were repacked: dropped at the end
  /// when nothing reads them any more (else the object holds both copies).
  SmallVector<Value> packedFrom;

  /// A new private constant global holding `data` (64-byte aligned) and a
  /// memref.get_global of it at `b`; `from` is the original weight buffer.
  Value packedGlobal(OpBuilder &b, Location loc, ModuleOp module, Value from,
                     ArrayRef<float> data) {
    OpBuilder mb(module.getBodyRegion());
    auto type = MemRefType::get({(int64_t)data.size()}, mb.getF32Type());
    auto tensorType = RankedTensorType::get(type.getShape(), mb.getF32Type());
    std::string name = "__edge_packed_" + std::to_string(packedCount++);
    memref::GlobalOp::create(mb, loc, name, mb.getStringAttr("private"), type,
                             DenseElementsAttr::get(tensorType, data),
                             /*constant=*/true, mb.getI64IntegerAttr(64));
    packedFrom.push_back(from);
    return memref::GetGlobalOp::create(b, loc, type, name);
  }

  /// The row kernel's weights: repacked per block of `block` output
  /// channels when they are a constant global (see Weights), else the
  /// buffer as it is. Depthwise weights stay as they are: one channel's
  /// KH*KW taps are already contiguous and each tap has one weight.
  Weights rowWeights(linalg::LinalgOp op, const ConvShape &g, int64_t block,
                     int64_t lanes) {
    Weights wt;
    wt.w = op.getDpsInputOperand(1)->get();
    if (g.depthwise || !pack)
      return wt;
    auto module = op->getParentOfType<ModuleOp>();
    auto weights = constantWeights(wt.w, module);
    int64_t taps = g.c * g.kh * g.kw;
    if (failed(weights) || (int64_t)weights->size() != g.f * taps)
      return wt;
    wt.block = block;
    wt.laneFma = laneFma;
    wt.segments = tapSegments(*weights, g.f, g.c, g.kh * g.kw);
    // A tap's values are read as whole vectors with lane FMAs: pad to them
    // (only then: padding x86's last block would only cost memory).
    auto strideOf = [&](int64_t count) {
      return laneFma ? (count + lanes - 1) / lanes * lanes : count;
    };
    int64_t full = g.f / block, tail = g.f % block;
    wt.stride = strideOf(block);
    wt.tailStride = strideOf(tail);
    SmallVector<float> data(taps * (full * wt.stride + wt.tailStride), 0.0f);
    for (int64_t f = 0; f < g.f; ++f) {
      int64_t stride = f / block < full ? wt.stride : wt.tailStride;
      for (int64_t t = 0; t < taps; ++t)
        data[f / block * taps * wt.stride + t * stride + f % block] =
            (*weights)[f * taps + t];
    }
    OpBuilder b(op);
    wt.packed = packedGlobal(b, op.getLoc(), module, wt.w, data);
    return wt;
  }

  /// Erases what only fed the repacked convolutions: get_global and
  /// reshapes without uses, then the original globals nobody reads.
  void dropUnpackedWeights(ModuleOp module) {
    llvm::StringSet<> names;
    SmallVector<Operation *> work;
    for (Value v : packedFrom)
      if (Operation *d = v.getDefiningOp())
        work.push_back(d);
    llvm::SmallPtrSet<Operation *, 16> erased;
    while (!work.empty()) {
      Operation *o = work.pop_back_val();
      if (erased.count(o) || !o->use_empty())
        continue;
      if (auto get = dyn_cast<memref::GetGlobalOp>(o))
        names.insert(get.getName());
      else if (!isa<memref::ExpandShapeOp, memref::CollapseShapeOp>(o))
        continue;
      for (Value operand : o->getOperands())
        if (Operation *d = operand.getDefiningOp())
          work.push_back(d);
      erased.insert(o);
      o->erase();
    }
    for (StringRef name : names.keys())
      if (auto global = module.lookupSymbol<memref::GlobalOp>(name))
        if (SymbolTable::symbolKnownUseEmpty(global, module))
          global.erase();
  }

  void rewrite(linalg::LinalgOp op, const ConvShape &g0) {
    OpBuilder b(op);
    Location loc = op.getLoc();
    Value in = op.getDpsInputOperand(0)->get();
    Value out = op.getDpsInitOperand(0)->get();
    ConvShape g = g0;
    Epilogue ep;
    ep.out = out;
    if (fuse) {
      findInit(op, out, ep);
      findPost(op, out, ep);
    }
    SmallVector<Value> postIns;
    if (ep.post)
      postIns.assign(ep.post->getOperands().begin(), ep.post->getOperands().end());
    // 1x1, stride 1 over contiguous planes (each channel's H*W values
    // adjacent, as in a channel slice of a concat buffer): one row of H*W
    // columns.
    auto inT = cast<MemRefType>(in.getType());
    bool flatten = !g.depthwise && g.kh == 1 && g.kw == 1 && g.sh == 1 &&
                   g.sw == 1 && planeContiguous(in) && planeContiguous(out) &&
                   llvm::all_of(postIns, planeContiguous) &&
                   inT.getDimSize(2) == g.oh && inT.getDimSize(3) == g.ow;
    int64_t lanes = vectorWidth;
    int64_t fbMax = g.depthwise ? 1 : channelBlock;
    int64_t nvMax = g.depthwise ? std::max<int64_t>(columnVectors, 4)
                                : columnVectors;
    // Rows of a few vectors that do not fill whole chunks (14 or 56 columns
    // of 16 lanes with 3 vectors a chunk): take `rows` rows at a time so
    // that their vectors make whole chunks, each chunk mixing rows. This
    // keeps the full register tile (and the reuse of each broadcast weight
    // over nvMax vectors) where one row alone would leave a 1- or 2-vector
    // tail chunk.
    auto rowsPerGroup = [&](const ConvShape &g) {
      int64_t perRow = (g.ow + lanes - 1) / lanes, rows = 1;
      if (perRow % nvMax != 0 && perRow <= 2 * nvMax)
        while (rows < nvMax && (rows * perRow) % nvMax != 0)
          ++rows;
      return rows;
    };
    int64_t rows = rowsPerGroup(g);
    RowPlan plan = planRows(g, rows, 0, fbMax, nvMax, lanes);
    // Flat rows (stride 1 over a contiguous input plane wider than the
    // output: a padded input): a row's last vector goes on into the next
    // row, so the lanes past a row's end (56 columns of 16 lanes: 1/8)
    // compute the next row's first outputs instead, less the input's
    // padding columns (56 of 58). Taken when it needs fewer estimated
    // cycles: the rows per group with the fewest over the plane.
    FlatRows flatRows;
    SmallVector<Value> flatOperands;
    if (flatRowsOption && !flatten && g.sh == 1 && g.sw == 1 && g.oh > 1 &&
        planeContiguous(in) && inT.getDimSize(3) >= g.ow) {
      int64_t pitch = inT.getDimSize(3);
      SmallVector<Value> operands = {out};
      for (Value v : postIns)
        if (!llvm::is_contained(operands, v))
          operands.push_back(v);
      // Each gets a flat view with its own row stride: static layouts only.
      bool staticLayouts = llvm::all_of(operands, [](Value v) {
        SmallVector<int64_t> strides;
        int64_t offset;
        return succeeded(cast<MemRefType>(v.getType())
                             .getStridesAndOffset(strides, offset)) &&
               !ShapedType::isDynamic(offset) &&
               llvm::none_of(strides, ShapedType::isDynamic);
      });
      RowPlan best;
      for (int64_t r = 1; r <= g.oh && staticLayouts; ++r) {
        if ((int64_t)flatSlots(r, pitch, g.ow, lanes).size() > 8 * nvMax)
          break;
        RowPlan p = planRows(g, r, pitch, fbMax, nvMax, lanes);
        if (!best.pitch || p.cycles < best.cycles - 1e-9)
          best = p;
      }
      if (best.pitch && best.cycles < plan.cycles - 1e-9) {
        plan = best;
        flatRows.pitch = pitch;
        flatOperands = operands;
      }
    }
    double rowUse =
        flatten ? g.oh * g.ow / (double)((g.oh * g.ow + lanes - 1) / lanes * lanes)
                : g.oh * g.ow / (double)(plan.vectors * lanes);
    if (fuse && tryChannelKernel(op, g, ep, rowUse)) {
      op->erase();
      ep.init->erase();
      if (ep.post)
        ep.post->erase();
      return;
    }
    // The flat views [N][F][1][rows] of the output and epilogue operands.
    for (Value v : flatOperands) {
      auto t = cast<MemRefType>(v.getType());
      SmallVector<int64_t> strides;
      int64_t offset;
      (void)t.getStridesAndOffset(strides, offset);
      int64_t len = (g.oh - 1) * strides[2] + g.ow;
      SmallVector<int64_t> sizes = {t.getDimSize(0), t.getDimSize(1), 1, len};
      SmallVector<int64_t> flatStrides = {strides[0], strides[1], len, 1};
      auto vt = MemRefType::get(
          sizes, t.getElementType(),
          StridedLayoutAttr::get(b.getContext(), offset, flatStrides));
      Value view = memref::ReinterpretCastOp::create(b, loc, vt, v, offset,
                                                     sizes, flatStrides);
      flatRows.views[v] = {view, strides[2]};
    }
    // [N][C][H][W] -> [N][C][1][H*W]: a contiguous plane as one row.
    auto flat = [&](Value v) -> Value {
      SmallVector<ReassociationIndices> re = {{0}, {1}, {2, 3}};
      auto c = memref::CollapseShapeOp::create(b, loc, v, re);
      auto t = cast<MemRefType>(c.getType());
      return memref::ExpandShapeOp::create(
          b, loc,
          ArrayRef<int64_t>{t.getDimSize(0), t.getDimSize(1), 1, t.getDimSize(2)},
          c, re);
    };
    if (flatten) {
      in = flat(in);
      Value flatOut = flat(out);
      for (Value &v : postIns)
        v = v == out ? flatOut : flat(v);
      out = flatOut;
      g.ow = g.oh * g.ow;
      g.oh = 1;
      rows = rowsPerGroup(g);
    }
    Emitter e{b, loc, lanes, VectorType::get({lanes}, b.getF32Type()),
              b.getF32Type()};
    Weights wt = rowWeights(op, g, fbMax, lanes);
    int64_t chunk = nvMax * lanes;
    if (flatRows.pitch) {
      in = flat(in); // flat input rows
      rows = plan.rows;
    }
    // n, then blocks of fbMax channels (and a tail block), then either
    // rows and chunks of `chunk` columns (and a masked tail chunk), or
    // groups of `rows` rows (and a tail group) cut into chunks of vectors.
    scf::ForOp::create(
        b, loc, e.idx(0), e.idx(g.n), e.idx(1), ValueRange{},
        [&](OpBuilder &nb, Location nl, Value n, ValueRange) {
          edge::emitBlocked(nb, nl, g.f, fbMax, [&](OpBuilder &fb, Value f0,
                                                    int64_t fbCount) {
            Emitter fe{fb, loc, lanes, e.vt, e.f32};
            if (rows > 1 || flatRows.pitch) {
              edge::emitBlocked(fb, loc, g.oh, rows, [&](OpBuilder &ob,
                                                         Value oh0,
                                                         int64_t count) {
                Emitter ce{ob, loc, lanes, e.vt, e.f32};
                SmallVector<Slot> slots =
                    groupSlots(g, count, flatRows.pitch, lanes);
                for (size_t s = 0; s < slots.size(); s += nvMax)
                  emitChunk(ce, g, in, wt, out, ep, postIns, n, f0, fbCount,
                            oh0, ce.idx(0),
                            ArrayRef<Slot>(slots).slice(
                                s, std::min<size_t>(nvMax, slots.size() - s)),
                            flatRows);
              });
              return;
            }
            scf::ForOp::create(
                fb, loc, fe.idx(0), fe.idx(g.oh), fe.idx(1), ValueRange{},
                [&](OpBuilder &ob, Location ol, Value oh, ValueRange) {
                  edge::emitBlocked(ob, ol, g.ow, chunk, [&](OpBuilder &cb,
                                                             Value ow0,
                                                             int64_t cols) {
                    Emitter ce{cb, ol, lanes, e.vt, e.f32};
                    SmallVector<Slot> slots;
                    for (int64_t v = 0; v * lanes < cols; ++v)
                      slots.push_back(
                          {0, v * lanes, std::min(lanes, cols - v * lanes)});
                    emitChunk(ce, g, in, wt, out, ep, postIns, n, f0, fbCount,
                              oh, ow0, slots, flatRows);
                  });
                  scf::YieldOp::create(ob, ol);
                });
          });
          scf::YieldOp::create(nb, nl);
        });
    op->erase();
    if (ep.init)
      ep.init->erase();
    if (ep.post)
      ep.post->erase();
  }

  void runOnOperation() override {
    if (vectorWidth < 2)
      return; // no SIMD on this target: leave the convolutions to LLVM
    SmallVector<std::pair<linalg::LinalgOp, ConvShape>> todo;
    getOperation()->walk([&](linalg::LinalgOp op) {
      if (!op.hasPureBufferSemantics())
        return;
      bool depthwise = isa<linalg::DepthwiseConv2DNchwChwOp>(op.getOperation());
      if (!depthwise && !isa<linalg::Conv2DNchwFchwOp>(op.getOperation()))
        return;
      if (auto g = analyze(op, depthwise); succeeded(g))
        todo.push_back({op, *g});
    });
    for (auto &[op, g] : todo)
      rewrite(op, g);
    if (auto module = dyn_cast<ModuleOp>(getOperation()))
      dropUnpackedWeights(module);
  }
};
} // namespace
