//===- SplitStridedConv.cpp - stride-2 convolutions over stride phases ----===//
//
// A stride-2 convolution reads input column 2*ow + kw for output column ow.
// Vectorized along ow, each input vector is two loads and a deinterleaving
// shuffle (on x86 the shuffle takes a slot of an FMA port), and an output
// row (28 columns of 16 lanes, say) cannot run on into the next one: the
// flat rows of edge-vectorize-conv need stride 1.
//
// With kh = 2a + p and kw = 2b + r (p, r in {0, 1}):
//
//   out[n, f, oh, ow] += sum over c, p, r, a, b of
//       w[f, c, 2a + p, 2b + r] * in[n, c, 2(oh + a) + p, 2(ow + b) + r]
//
// and in[n, c, 2i + p, 2j + r] is phase (p, r) of the input at (i, j). Each
// phase is copied once into a dense plane of the rows and columns phase
// (0, 0)'s A x B taps read (OH + A - 1 by OW + B - 1), the four planes
// stacked as 4C channels, and the convolution becomes one stride-1
// convolution over them with weights [F][4C][A][B] repacked at compile time
// (zero where 2a + p or 2b + r is past the kernel: edge-vectorize-conv
// does not emit those taps). A zero-padded input is read unpadded, the
// planes zero around it, so the padded buffer is not needed. The copies
// are strided reads (a linalg.generic reading in[n, c, 2i + p, 2j + r])
// that edge-vectorize-elementwise vectorizes; the extra work is one pass
// over the input, against C*KH*KW FMAs per output.
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"
#include "passes/VectorBody.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include <optional>

namespace edge {
#define GEN_PASS_DEF_SPLITSTRIDEDCONV
#include "passes/Passes.h.inc"
} // namespace edge

using namespace mlir;

namespace {
/// The f32 values of a constant tensor (an arith.constant, through
/// reshapes), in row-major order, or failure.
FailureOr<SmallVector<float>> constantValues(Value v) {
  while (Operation *op = v.getDefiningOp()) {
    if (!isa<tensor::ExpandShapeOp, tensor::CollapseShapeOp>(op))
      break;
    v = op->getOperand(0);
  }
  auto cst = v.getDefiningOp<arith::ConstantOp>();
  if (!cst)
    return failure();
  return edge::f32Values(cst.getValue());
}

/// A zero-padded input: `padded` is the unpadded `source` inserted (unit
/// strides, offsets top and left in H and W only) into a fill of 0.0.
struct Padding {
  Value source;
  int64_t top = 0, left = 0;
};

std::optional<Padding> zeroPadding(Value padded) {
  auto insert = padded.getDefiningOp<tensor::InsertSliceOp>();
  if (!insert || !insert.hasUnitStride() ||
      !insert.getSourceType().hasStaticShape() ||
      insert.getSourceType().getRank() != 4)
    return std::nullopt;
  auto fill = insert.getDest().getDefiningOp<linalg::FillOp>();
  if (!fill)
    return std::nullopt;
  auto value = fill.getInputs()[0].getDefiningOp<arith::ConstantOp>();
  auto zero = value ? dyn_cast<FloatAttr>(value.getValue()) : FloatAttr();
  if (!zero || !zero.getValue().isPosZero())
    return std::nullopt;
  SmallVector<int64_t> offsets(insert.getStaticOffsets());
  if (ShapedType::isDynamicShape(offsets) || offsets[0] != 0 || offsets[1] != 0 ||
      insert.getSourceType().getDimSize(0) != insert.getType().getDimSize(0) ||
      insert.getSourceType().getDimSize(1) != insert.getType().getDimSize(1))
    return std::nullopt;
  return Padding{insert.getSource(), offsets[2], offsets[3]};
}

struct SplitStridedConv
    : public edge::impl::SplitStridedConvBase<SplitStridedConv> {
  using Base::Base;

  /// Taps of phase `p` of a kernel dimension of `k` taps: k = 2a + p.
  static int64_t phaseTaps(int64_t k, int64_t p) { return (k - p + 1) / 2; }

  /// The convolution's weights when it is split, else failure.
  FailureOr<SmallVector<float>> eligible(linalg::Conv2DNchwFchwOp op) {
    if (!op.hasPureTensorSemantics())
      return failure();
    auto in = dyn_cast<RankedTensorType>(op.getInputs()[0].getType());
    auto w = dyn_cast<RankedTensorType>(op.getInputs()[1].getType());
    auto out = dyn_cast<RankedTensorType>(op.getOutputs()[0].getType());
    if (!in || !w || !out || !in.hasStaticShape() || !w.hasStaticShape() ||
        !out.hasStaticShape() || !in.getElementType().isF32() ||
        !w.getElementType().isF32() || !out.getElementType().isF32())
      return failure();
    if (llvm::any_of(op.getStrides().getValues<int64_t>(),
                     [](int64_t s) { return s != 2; }) ||
        llvm::any_of(op.getDilations().getValues<int64_t>(),
                     [](int64_t d) { return d != 1; }))
      return failure();
    int64_t kh = w.getDimSize(2), kw = w.getDimSize(3);
    if (w.getDimSize(1) * kh * kw < minTaps)
      return failure();
    // A 1x1 (or 1-wide) kernel has phases without taps: nothing to gain.
    if (kh < 2 || kw < 2)
      return failure();
    // Every phase plane as large as phase (0, 0)'s must lie in the input
    // (odd sizes do not: left as they are), unless the input is zero
    // padded: read unpadded, the planes zero-filled around it, any size.
    int64_t oh = out.getDimSize(2), ow = out.getDimSize(3);
    if (ow < minWidth)
      return failure();
    if (!zeroPadding(op.getInputs()[0]) &&
        (2 * (oh + phaseTaps(kh, 0) - 2) + 1 >= in.getDimSize(2) ||
         2 * (ow + phaseTaps(kw, 0) - 2) + 1 >= in.getDimSize(3)))
      return failure();
    return constantValues(op.getInputs()[1]);
  }

  void rewrite(linalg::Conv2DNchwFchwOp op, ArrayRef<float> weights) {
    OpBuilder b(op);
    Location loc = op.getLoc();
    Value in = op.getInputs()[0], init = op.getOutputs()[0];
    auto inT = cast<RankedTensorType>(in.getType());
    auto wT = cast<RankedTensorType>(op.getInputs()[1].getType());
    auto outT = cast<RankedTensorType>(init.getType());
    int64_t n = inT.getDimSize(0), c = inT.getDimSize(1);
    int64_t f = wT.getDimSize(0), kh = wT.getDimSize(2), kw = wT.getDimSize(3);
    int64_t oh = outT.getDimSize(2), ow = outT.getDimSize(3);
    Type f32 = b.getF32Type();
    MLIRContext *ctx = b.getContext();
    // Every phase plane has the rows and columns of phase (0, 0), the one
    // with the most taps: A x B taps, OH + A - 1 rows of OW + B - 1.
    int64_t ka = phaseTaps(kh, 0), kb = phaseTaps(kw, 0);
    int64_t hp = oh + ka - 1, wp = ow + kb - 1;

    // The four phase planes, phase (p, r) as channels (2p + r) * C ...
    auto stackT = RankedTensorType::get({n, 4 * c, hp, wp}, f32);
    Value stack = tensor::EmptyOp::create(b, loc, stackT.getShape(), f32);
    auto planeT = RankedTensorType::get({n, c, hp, wp}, f32);
    AffineExpr d0, d1, d2, d3;
    bindDims(ctx, d0, d1, d2, d3);
    SmallVector<utils::IteratorType> iters(4, utils::IteratorType::parallel);
    // A zero-padded input is read unpadded: the padded buffer is not
    // needed (nor written) any more, each plane is zero where its phase
    // falls in the padding (or past the input: read by no tap).
    Padding pad{in, 0, 0};
    if (auto zp = zeroPadding(in))
      pad = *zp;
    auto srcT = cast<RankedTensorType>(pad.source.getType());
    int64_t srcH = srcT.getDimSize(2), srcW = srcT.getDimSize(3);
    // `src` (static shape) into `dest` at `offsets`, unit strides.
    auto insert = [&](Value src, Value dest, ArrayRef<int64_t> offsets) {
      SmallVector<OpFoldResult> offs, sizes, strides(4, b.getIndexAttr(1));
      for (int64_t o : offsets)
        offs.push_back(b.getIndexAttr(o));
      for (int64_t d : cast<RankedTensorType>(src.getType()).getShape())
        sizes.push_back(b.getIndexAttr(d));
      return tensor::InsertSliceOp::create(b, loc, src, dest, offs, sizes,
                                           strides)
          .getResult();
    };
    for (int64_t p = 0; p < 2; ++p)
      for (int64_t r = 0; r < 2; ++r) {
        // Plane rows i read source row 2i + p - top: those in [0, SH).
        int64_t i0 = std::max<int64_t>(0, (pad.top - p + 1) / 2);
        int64_t i1 = std::min<int64_t>(hp, (srcH - 1 + pad.top - p) / 2 + 1);
        int64_t j0 = std::max<int64_t>(0, (pad.left - r + 1) / 2);
        int64_t j1 = std::min<int64_t>(wp, (srcW - 1 + pad.left - r) / 2 + 1);
        auto innerT = RankedTensorType::get({n, c, i1 - i0, j1 - j0}, f32);
        Value empty = tensor::EmptyOp::create(b, loc, innerT.getShape(), f32);
        SmallVector<AffineMap> maps = {
            AffineMap::get(4, 0,
                           {d0, d1, d2 * 2 + (2 * i0 + p - pad.top),
                            d3 * 2 + (2 * j0 + r - pad.left)},
                           ctx),
            AffineMap::getMultiDimIdentityMap(4, ctx)};
        Value plane =
            linalg::GenericOp::create(
                b, loc, TypeRange{innerT}, ValueRange{pad.source},
                ValueRange{empty}, maps, iters,
                [](OpBuilder &nb, Location l, ValueRange args) {
                  linalg::YieldOp::create(nb, l, args[0]);
                })
                .getResult(0);
        if (innerT != planeT) {
          Value zero = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0.0f));
          Value filled =
              linalg::FillOp::create(
                  b, loc, ValueRange{zero},
                  ValueRange{tensor::EmptyOp::create(b, loc, planeT.getShape(), f32)})
                  .getResult(0);
          plane = insert(plane, filled, {0, 0, i0, j0});
        }
        stack = insert(plane, stack, {0, (2 * p + r) * c, 0, 0});
      }
    // ... and the weights [F][4C][A][B]: tap (a, b) of phase (p, r) is
    // w[f, c, 2a + p, 2b + r], zero where that is past the kernel.
    SmallVector<float> sw(f * 4 * c * ka * kb, 0.0f);
    for (int64_t fi = 0; fi < f; ++fi)
      for (int64_t ph = 0; ph < 4; ++ph)
        for (int64_t ci = 0; ci < c; ++ci)
          for (int64_t a = 0; a < ka; ++a)
            for (int64_t bi = 0; bi < kb; ++bi) {
              int64_t y = 2 * a + ph / 2, x = 2 * bi + ph % 2;
              if (y < kh && x < kw)
                sw[((fi * 4 * c + ph * c + ci) * ka + a) * kb + bi] =
                    weights[((fi * c + ci) * kh + y) * kw + x];
            }
    auto swT = RankedTensorType::get({f, 4 * c, ka, kb}, f32);
    Value wv = arith::ConstantOp::create(
        b, loc, swT, DenseElementsAttr::get(swT, ArrayRef<float>(sw)));

    // The output's initial value (a bias broadcast or a fill that only
    // this convolution reads) right before it, where edge-vectorize-conv
    // looks for it.
    if (Operation *initOp = init.getDefiningOp();
        initOp && initOp->getBlock() == op->getBlock() && init.hasOneUse() &&
        isa<linalg::LinalgOp>(initOp))
      initOp->moveBefore(op);

    auto ones = b.getI64VectorAttr({1, 1});
    Value acc = linalg::Conv2DNchwFchwOp::create(b, loc, TypeRange{outT},
                                                 ValueRange{stack, wv},
                                                 ValueRange{init}, ones, ones)
                    .getResult(0);
    SmallVector<Operation *> dead;
    for (Value v : op.getInputs())
      if (Operation *d = v.getDefiningOp())
        dead.push_back(d);
    op.getResult(0).replaceAllUsesWith(acc);
    op.erase();
    // What only the convolution read: the original weights (the object
    // keeps only the phases' copy) and the padded input (no buffer). An op
    // may be reached twice (two operands from one op): erased once.
    llvm::SmallPtrSet<Operation *, 8> erased;
    while (!dead.empty()) {
      Operation *d = dead.pop_back_val();
      if (erased.contains(d) || !isOpTriviallyDead(d))
        continue;
      for (Value v : d->getOperands())
        if (Operation *def = v.getDefiningOp())
          dead.push_back(def);
      erased.insert(d);
      d->erase();
    }
  }

  void runOnOperation() override {
    // Collected first (the rewrite erases the op), checked and rewritten
    // one at a time: one copy of one convolution's weights at a time.
    SmallVector<linalg::Conv2DNchwFchwOp> convs;
    getOperation()->walk(
        [&](linalg::Conv2DNchwFchwOp op) { convs.push_back(op); });
    for (linalg::Conv2DNchwFchwOp op : convs)
      if (auto weights = eligible(op); succeeded(weights))
        rewrite(op, *weights);
  }
};
} // namespace
