//===- ConvertEdgeToLinalg.cpp - edge -> linalg/tensor/arith/math ---------===//
#include "passes/Passes.h"

#include "dialects/Edge/EdgeOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/DialectConversion.h"

namespace edge {
#define GEN_PASS_DEF_CONVERTEDGETOLINALG
#include "passes/Passes.h.inc"
} // namespace edge

using namespace mlir;
using namespace edge;

namespace {

using BodyFn = function_ref<Value(OpBuilder &, Location, ValueRange)>;

RankedTensorType tensorType(Value v) {
  return cast<RankedTensorType>(v.getType());
}

Value floatConst(OpBuilder &b, Location loc, Type type, double v) {
  return arith::ConstantOp::create(b, loc, b.getFloatAttr(type, v));
}

Value lowest(OpBuilder &b, Location loc, Type type) {
  auto ft = cast<FloatType>(type);
  return arith::ConstantOp::create(
      b, loc,
      b.getFloatAttr(ft, APFloat::getInf(ft.getFloatSemantics(), true)));
}

Value emptyLike(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                Type elem) {
  return tensor::EmptyOp::create(b, loc, shape, elem);
}

Value filled(OpBuilder &b, Location loc, ArrayRef<int64_t> shape, Value v) {
  Value empty = emptyLike(b, loc, shape, v.getType());
  return linalg::FillOp::create(b, loc, ValueRange{v}, ValueRange{empty})
      .getResult(0);
}

SmallVector<utils::IteratorType> parallel(int64_t n) {
  return SmallVector<utils::IteratorType>(n, utils::IteratorType::parallel);
}

/// Map from the output's loop space to an operand broadcast numpy-style to
/// `outShape`: missing leading dims are dropped, size-1 dims read index 0.
AffineMap broadcastMap(ArrayRef<int64_t> inShape, ArrayRef<int64_t> outShape,
                       MLIRContext *ctx) {
  SmallVector<AffineExpr> exprs;
  size_t lead = outShape.size() - inShape.size();
  for (size_t i = 0; i < inShape.size(); ++i) {
    if (inShape[i] == 1 && outShape[lead + i] != 1)
      exprs.push_back(getAffineConstantExpr(0, ctx));
    else
      exprs.push_back(getAffineDimExpr(lead + i, ctx));
  }
  return AffineMap::get(outShape.size(), 0, exprs, ctx);
}

/// One linalg.generic computing `body` elementwise over broadcast inputs.
Value elementwise(OpBuilder &b, Location loc, RankedTensorType outType,
                  ValueRange inputs, BodyFn body) {
  MLIRContext *ctx = b.getContext();
  SmallVector<AffineMap> maps;
  for (Value in : inputs)
    maps.push_back(broadcastMap(tensorType(in).getShape(), outType.getShape(),
                                ctx));
  maps.push_back(AffineMap::getMultiDimIdentityMap(outType.getRank(), ctx));
  Value init = emptyLike(b, loc, outType.getShape(), outType.getElementType());
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{outType}, inputs, ValueRange{init}, maps,
      parallel(outType.getRank()),
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        Value r = body(nb, nloc, args.drop_back());
        linalg::YieldOp::create(nb, nloc, r);
      });
  return generic.getResult(0);
}

/// Row-major reshape with tensor.collapse_shape/expand_shape (free views
/// after bufferization).
Value reshapeTo(OpBuilder &b, Location loc, Value v, ArrayRef<int64_t> shape) {
  auto type = tensorType(v);
  if (type.getShape() == shape)
    return v;
  Value flat = v;
  if (type.getRank() != 1) {
    SmallVector<ReassociationIndices> re;
    if (type.getRank() > 0) {
      re.emplace_back();
      for (int64_t i = 0; i < type.getRank(); ++i)
        re.back().push_back(i);
    }
    flat = tensor::CollapseShapeOp::create(b, loc, v, re);
  }
  if (shape.size() == 1)
    return flat;
  SmallVector<ReassociationIndices> re;
  if (!shape.empty() && tensorType(flat).getRank() != 0) {
    re.emplace_back();
    for (size_t i = 0; i < shape.size(); ++i)
      re.back().push_back(i);
  }
  auto outType = RankedTensorType::get(shape, type.getElementType());
  if (shape.empty())
    return tensor::CollapseShapeOp::create(b, loc, outType, flat, re);
  return tensor::ExpandShapeOp::create(b, loc, outType, flat, re);
}

/// Pads the spatial dims (2..) of an N, C, spatial... tensor.
Value padSpatial(OpBuilder &b, Location loc, Value v, ArrayRef<int64_t> pads,
                 Value padValue) {
  if (llvm::all_of(pads, [](int64_t p) { return p == 0; }))
    return v;
  auto type = tensorType(v);
  size_t n = pads.size() / 2;
  SmallVector<OpFoldResult> low(2, b.getIndexAttr(0));
  SmallVector<int64_t> shape(type.getShape());
  for (size_t i = 0; i < n; ++i) {
    low.push_back(b.getIndexAttr(pads[i]));
    shape[i + 2] += pads[i] + pads[i + n];
  }
  // A filled buffer with the input inserted (rather than tensor.pad): after
  // empty-tensor elimination the producer of `v` writes straight into the
  // padded buffer's interior, so the padding costs no copy and no buffer.
  Value result = filled(b, loc, shape, padValue);
  SmallVector<OpFoldResult> sizes, strides(type.getRank(), b.getIndexAttr(1));
  for (int64_t d : type.getShape())
    sizes.push_back(b.getIndexAttr(d));
  return tensor::InsertSliceOp::create(b, loc, v, result, low, sizes, strides);
}

//===----------------------------------------------------------------------===//
// Elementwise ops
//===----------------------------------------------------------------------===//

template <typename Op>
struct ElementwisePattern : public OpConversionPattern<Op> {
  using OpConversionPattern<Op>::OpConversionPattern;
  using OpAdaptor = typename Op::Adaptor;

  virtual Value scalar(Op op, OpBuilder &b, Location loc,
                       ValueRange args) const = 0;

  LogicalResult
  matchAndRewrite(Op op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Value r = elementwise(
        rewriter, op.getLoc(), cast<RankedTensorType>(op.getType()),
        adaptor.getOperands(), [&](OpBuilder &b, Location loc, ValueRange a) {
          return scalar(op, b, loc, a);
        });
    rewriter.replaceOp(op, r);
    return success();
  }
};

#define EDGE_SCALAR(OP, ...)                                                  \
  struct OP##Lowering : public ElementwisePattern<OP> {                        \
    using ElementwisePattern::ElementwisePattern;                              \
    Value scalar(OP op, OpBuilder &b, Location loc,                            \
                 ValueRange a) const override {                                \
      Type t = a[0].getType();                                                 \
      (void)t;                                                                 \
      (void)op;                                                                \
      __VA_ARGS__                                                              \
    }                                                                          \
  };

EDGE_SCALAR(AddOp, return arith::AddFOp::create(b, loc, a[0], a[1]);)
EDGE_SCALAR(SubOp, return arith::SubFOp::create(b, loc, a[0], a[1]);)
EDGE_SCALAR(MulOp, return arith::MulFOp::create(b, loc, a[0], a[1]);)
EDGE_SCALAR(DivOp, return arith::DivFOp::create(b, loc, a[0], a[1]);)
EDGE_SCALAR(PowOp, {
  // Common constant exponents become exact arithmetic, not exp(y*log(x)).
  DenseElementsAttr c;
  if (matchPattern(op.getRhs(), m_Constant(&c)) && c.isSplat()) {
    double e = c.getSplatValue<APFloat>().convertToDouble();
    if (e == 1.0)
      return a[0];
    if (e == 2.0)
      return arith::MulFOp::create(b, loc, a[0], a[0]);
    if (e == 0.5)
      return math::SqrtOp::create(b, loc, a[0]);
    if (e == 3.0)
      return arith::MulFOp::create(
          b, loc, a[0], arith::MulFOp::create(b, loc, a[0], a[0]));
  }
  return math::PowFOp::create(b, loc, a[0], a[1]);
})
EDGE_SCALAR(ReluOp,
            return arith::MaximumFOp::create(b, loc, a[0],
                                             floatConst(b, loc, t, 0.0));)
EDGE_SCALAR(SigmoidOp, {
  if (!t.isF64()) {
    // sigmoid(x) = 1/2 + x P(x^2) / Q(x^2) on [-16, 16], 1 above and 0
    // below: a rational fit (P of degree 3, Q of degree 4 in x^2, weighted
    // least squares towards minimax over [0, 16]; odd about 1/2 like the
    // function) with an absolute error below 2.5e-7 over all of f32
    // (2.2e-7 at |x| ~ 15; sigmoid(-16) = 1.1e-7). The exact tails keep
    // x * sigmoid(x) (SiLU) equal to x, or going to 0, for large |x|.
    // About 20 vector instructions against an exp's 27 (range reduction,
    // polynomial, 2^k) plus the reciprocal: the SiLU epilogues of
    // EfficientNet were a fifth of its run time. Only x^2 is clamped (one
    // min): where |x| > 16 the selects discard the quotient; a NaN
    // compares false and gives NaN. The division may be a refined
    // reciprocal estimate (arcp/ninf, see CodeGen.cpp: Q is in [1, 4.4e3];
    // contract lets its Newton step use FMAs).
    // f64 keeps the exp form.
    auto fma = [&](Value a, Value c, double d) -> Value {
      return math::FmaOp::create(b, loc, a, c, floatConst(b, loc, t, d));
    };
    Value lo = floatConst(b, loc, t, -16.0), hi = floatConst(b, loc, t, 16.0);
    Value x = a[0];
    Value low = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, x, lo);
    Value high = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, x, hi);
    // x^2 at most 256 (minnumf: a NaN gives 256, but x * P(z) still is
    // NaN), so that Q is finite and the estimate valid.
    Value z = arith::MinNumFOp::create(b, loc, arith::MulFOp::create(b, loc, x, x),
                                       floatConst(b, loc, t, 256.0));
    Value p = fma(floatConst(b, loc, t, 4.4189143011408305e-08), z,
                  4.592253390001133e-05);
    p = fma(p, z, 0.008071154356002808);
    p = fma(p, z, 0.24999983608722687);
    Value q = fma(floatConst(b, loc, t, 9.470786377363538e-10), z,
                  3.7040322240500245e-06);
    q = fma(q, z, 0.0014852950116619468);
    q = fma(q, z, 0.11561736464500427);
    q = fma(q, z, 1.0);
    Value r = arith::DivFOp::create(
        b, loc, arith::MulFOp::create(b, loc, x, p), q,
        arith::FastMathFlags::arcp | arith::FastMathFlags::ninf |
            arith::FastMathFlags::contract);
    r = arith::AddFOp::create(b, loc, r, floatConst(b, loc, t, 0.5));
    r = arith::SelectOp::create(b, loc, high, floatConst(b, loc, t, 1.0), r);
    return arith::SelectOp::create(b, loc, low, floatConst(b, loc, t, 0.0), r);
  }
  Value one = floatConst(b, loc, t, 1.0);
  // x >= -80 keeps e^-x (<= 5.5e34) and 1 + e^-x finite, so the division
  // may be arcp/ninf: codegen turns it into a reciprocal estimate refined to
  // f32 precision (see CodeGen.cpp), which gives NaN for an infinite
  // divisor. sigmoid(-80) = 1.8e-35: below it the clamp changes the result
  // by less than that. NaN still propagates (maximumf).
  Value x = arith::MaximumFOp::create(b, loc, a[0], floatConst(b, loc, t, -80.0));
  Value e = math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, x));
  return arith::DivFOp::create(
      b, loc, one, arith::AddFOp::create(b, loc, one, e),
      arith::FastMathFlags::arcp | arith::FastMathFlags::ninf);
})
EDGE_SCALAR(TanhOp, return math::TanhOp::create(b, loc, a[0]);)
EDGE_SCALAR(SqrtOp, return math::SqrtOp::create(b, loc, a[0]);)
EDGE_SCALAR(ExpOp, return math::ExpOp::create(b, loc, a[0]);)
EDGE_SCALAR(HardSwishOp, {
  Value y = arith::AddFOp::create(
      b, loc, arith::MulFOp::create(b, loc, a[0], floatConst(b, loc, t, 1.0 / 6)),
      floatConst(b, loc, t, 0.5));
  y = arith::MaximumFOp::create(b, loc, y, floatConst(b, loc, t, 0.0));
  y = arith::MinimumFOp::create(b, loc, y, floatConst(b, loc, t, 1.0));
  return arith::MulFOp::create(b, loc, a[0], y);
})
EDGE_SCALAR(LeakyReluOp, {
  Value scaled = arith::MulFOp::create(
      b, loc, a[0],
      floatConst(b, loc, t, op.getAlpha().convertToDouble()));
  Value pos = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGE, a[0],
                                    floatConst(b, loc, t, 0.0));
  return arith::SelectOp::create(b, loc, pos, a[0], scaled);
})
EDGE_SCALAR(HardSigmoidOp, {
  Value y = arith::AddFOp::create(
      b, loc,
      arith::MulFOp::create(
          b, loc, a[0],
          floatConst(b, loc, t, op.getAlpha().convertToDouble())),
      floatConst(b, loc, t, op.getBeta().convertToDouble()));
  y = arith::MaximumFOp::create(b, loc, y, floatConst(b, loc, t, 0.0));
  return arith::MinimumFOp::create(b, loc, y, floatConst(b, loc, t, 1.0));
})
EDGE_SCALAR(ClipOp, {
  Value y = a[0];
  double lo = op.getMin().convertToDouble(), hi = op.getMax().convertToDouble();
  if (!std::isinf(lo))
    y = arith::MaximumFOp::create(b, loc, y, floatConst(b, loc, t, lo));
  if (!std::isinf(hi))
    y = arith::MinimumFOp::create(b, loc, y, floatConst(b, loc, t, hi));
  return y;
})
#undef EDGE_SCALAR

//===----------------------------------------------------------------------===//
// edge.elementwise: one scalar function per kind and element type
//===----------------------------------------------------------------------===//

/// Converts scalar `v` to `to`; `srcUnsigned`/`dstUnsigned` give the
/// signedness of integer types (i1 is always unsigned).
Value convertScalar(OpBuilder &b, Location loc, Value v, Type to,
                    bool srcUnsigned, bool dstUnsigned) {
  Type from = v.getType();
  if (from == to)
    return v;
  auto fromInt = dyn_cast<IntegerType>(from);
  auto toInt = dyn_cast<IntegerType>(to);
  srcUnsigned |= fromInt && fromInt.getWidth() == 1;
  if (!fromInt && !toInt) {
    if (from.getIntOrFloatBitWidth() < to.getIntOrFloatBitWidth())
      return arith::ExtFOp::create(b, loc, to, v);
    return arith::TruncFOp::create(b, loc, to, v);
  }
  if (!fromInt) { // float -> int
    if (toInt.getWidth() == 1)
      return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, v,
                                   floatConst(b, loc, from, 0.0));
    if (dstUnsigned)
      return arith::FPToUIOp::create(b, loc, to, v);
    return arith::FPToSIOp::create(b, loc, to, v);
  }
  if (!toInt) { // int -> float
    if (srcUnsigned)
      return arith::UIToFPOp::create(b, loc, to, v);
    return arith::SIToFPOp::create(b, loc, to, v);
  }
  if (toInt.getWidth() == 1)
    return arith::CmpIOp::create(
        b, loc, arith::CmpIPredicate::ne, v,
        arith::ConstantOp::create(b, loc, b.getIntegerAttr(from, 0)));
  if (fromInt.getWidth() > toInt.getWidth())
    return arith::TruncIOp::create(b, loc, to, v);
  if (srcUnsigned)
    return arith::ExtUIOp::create(b, loc, to, v);
  return arith::ExtSIOp::create(b, loc, to, v);
}

FailureOr<Value> scalarElementwise(ElementwiseOp op, OpBuilder &b,
                                   Location loc, ValueRange a) {
  StringRef kind = op.getKind();
  bool uns = op.getUnsignedInputs();
  Type t = a[0].getType();
  double alpha = op.getAlpha().convertToDouble();
  double beta = op.getBeta().convertToDouble();
  if (kind == "cast" || kind == "identity")
    return convertScalar(b, loc, a[0], op.getElementType(), uns,
                         op.getUnsignedResult());
  if (kind == "where")
    return Value(arith::SelectOp::create(b, loc, a[0], a[1], a[2]));

  if (isa<FloatType>(t)) {
    auto c = [&](double v) { return floatConst(b, loc, t, v); };
    auto cmp = [&](arith::CmpFPredicate p) -> Value {
      return arith::CmpFOp::create(b, loc, p, a[0], a[1]);
    };
    auto exp = [&](Value v) -> Value { return math::ExpOp::create(b, loc, v); };
    Value x = a[0];
    if (kind == "abs") return Value(math::AbsFOp::create(b, loc, x));
    if (kind == "neg") return Value(arith::NegFOp::create(b, loc, x));
    if (kind == "floor") return Value(math::FloorOp::create(b, loc, x));
    if (kind == "ceil") return Value(math::CeilOp::create(b, loc, x));
    if (kind == "round") return Value(math::RoundEvenOp::create(b, loc, x));
    if (kind == "reciprocal") return Value(arith::DivFOp::create(b, loc, c(1), x));
    if (kind == "log") return Value(math::LogOp::create(b, loc, x));
    if (kind == "exp") return exp(x);
    if (kind == "sqrt") return Value(math::SqrtOp::create(b, loc, x));
    if (kind == "sin") return Value(math::SinOp::create(b, loc, x));
    if (kind == "cos") return Value(math::CosOp::create(b, loc, x));
    if (kind == "tan") return Value(math::TanOp::create(b, loc, x));
    if (kind == "asin") return Value(math::AsinOp::create(b, loc, x));
    if (kind == "acos") return Value(math::AcosOp::create(b, loc, x));
    if (kind == "atan") return Value(math::AtanOp::create(b, loc, x));
    if (kind == "sinh") return Value(math::SinhOp::create(b, loc, x));
    if (kind == "cosh") return Value(math::CoshOp::create(b, loc, x));
    if (kind == "asinh") return Value(math::AsinhOp::create(b, loc, x));
    if (kind == "acosh") return Value(math::AcoshOp::create(b, loc, x));
    if (kind == "atanh") return Value(math::AtanhOp::create(b, loc, x));
    if (kind == "erf") return Value(math::ErfOp::create(b, loc, x));
    if (kind == "tanh") return Value(math::TanhOp::create(b, loc, x));
    if (kind == "relu") return Value(arith::MaximumFOp::create(b, loc, x, c(0)));
    if (kind == "sigmoid")
      return Value(arith::DivFOp::create(
          b, loc, c(1),
          arith::AddFOp::create(b, loc, c(1),
                                exp(arith::NegFOp::create(b, loc, x)))));
    if (kind == "sign") {
      Value pos = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, x, c(0));
      Value neg = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, x, c(0));
      return Value(arith::SelectOp::create(
          b, loc, pos, c(1), arith::SelectOp::create(b, loc, neg, c(-1), c(0))));
    }
    auto eluOf = [&](Value v, double al) -> Value {
      Value em1 = arith::SubFOp::create(b, loc, exp(v), c(1));
      Value pos = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, v, c(0));
      return arith::SelectOp::create(b, loc, pos, v,
                                     arith::MulFOp::create(b, loc, em1, c(al)));
    };
    if (kind == "elu") return eluOf(x, alpha);
    if (kind == "selu") return Value(arith::MulFOp::create(b, loc, eluOf(x, alpha), c(beta)));
    if (kind == "celu") {
      Value scaled = arith::DivFOp::create(b, loc, x, c(alpha));
      Value neg = arith::MulFOp::create(
          b, loc, c(alpha), arith::SubFOp::create(b, loc, exp(scaled), c(1)));
      return Value(arith::AddFOp::create(
          b, loc, arith::MaximumFOp::create(b, loc, x, c(0)),
          arith::MinimumFOp::create(b, loc, neg, c(0))));
    }
    if (kind == "softplus") {
      // max(x, 0) + log1p(exp(-|x|)): no overflow for large |x|.
      Value e = exp(arith::NegFOp::create(b, loc, math::AbsFOp::create(b, loc, x)));
      return Value(arith::AddFOp::create(b, loc,
                                         arith::MaximumFOp::create(b, loc, x, c(0)),
                                         math::Log1pOp::create(b, loc, e)));
    }
    if (kind == "softsign")
      return Value(arith::DivFOp::create(
          b, loc, x,
          arith::AddFOp::create(b, loc, c(1), math::AbsFOp::create(b, loc, x))));
    if (kind == "thresholded_relu") {
      Value gt = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, x, c(alpha));
      return Value(arith::SelectOp::create(b, loc, gt, x, c(0)));
    }
    if (kind == "shrink") {
      Value lo = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, x, c(-alpha));
      Value hi = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, x, c(alpha));
      return Value(arith::SelectOp::create(
          b, loc, lo, arith::AddFOp::create(b, loc, x, c(beta)),
          arith::SelectOp::create(b, loc, hi,
                                  arith::SubFOp::create(b, loc, x, c(beta)), c(0))));
    }
    if (kind == "isnan")
      return Value(arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO, x, x));
    if (kind == "isinf") {
      auto ft = cast<FloatType>(t);
      Value inf = arith::ConstantOp::create(
          b, loc, b.getFloatAttr(ft, APFloat::getInf(ft.getFloatSemantics())));
      Value ninf = arith::ConstantOp::create(
          b, loc, b.getFloatAttr(ft, APFloat::getInf(ft.getFloatSemantics(), true)));
      Value isPos = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, x, inf);
      Value isNeg = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, x, ninf);
      Value f = arith::ConstantOp::create(b, loc, b.getBoolAttr(false));
      return Value(arith::OrIOp::create(b, loc, alpha != 0 ? isPos : f,
                                        beta != 0 ? isNeg : f));
    }
    if (kind == "add") return Value(arith::AddFOp::create(b, loc, a[0], a[1]));
    if (kind == "sub") return Value(arith::SubFOp::create(b, loc, a[0], a[1]));
    if (kind == "mul") return Value(arith::MulFOp::create(b, loc, a[0], a[1]));
    if (kind == "div") return Value(arith::DivFOp::create(b, loc, a[0], a[1]));
    if (kind == "pow") return Value(math::PowFOp::create(b, loc, a[0], a[1]));
    if (kind == "max") return Value(arith::MaximumFOp::create(b, loc, a[0], a[1]));
    if (kind == "min") return Value(arith::MinimumFOp::create(b, loc, a[0], a[1]));
    if (kind == "mod") {
      // C fmod without the libm call: x - trunc(x / y) * y.
      Value q = math::TruncOp::create(b, loc, arith::DivFOp::create(b, loc, a[0], a[1]));
      return Value(arith::SubFOp::create(b, loc, a[0],
                                         arith::MulFOp::create(b, loc, q, a[1])));
    }
    if (kind == "prelu") {
      Value neg = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, x, c(0));
      return Value(arith::SelectOp::create(
          b, loc, neg, arith::MulFOp::create(b, loc, x, a[1]), x));
    }
    if (kind == "equal") return cmp(arith::CmpFPredicate::OEQ);
    if (kind == "greater") return cmp(arith::CmpFPredicate::OGT);
    if (kind == "less") return cmp(arith::CmpFPredicate::OLT);
    if (kind == "greater_equal") return cmp(arith::CmpFPredicate::OGE);
    if (kind == "less_equal") return cmp(arith::CmpFPredicate::OLE);
    return failure();
  }

  // Integers (and i1 booleans).
  auto c = [&](int64_t v) -> Value {
    return arith::ConstantOp::create(b, loc, b.getIntegerAttr(t, v));
  };
  auto cmp = [&](arith::CmpIPredicate s, arith::CmpIPredicate u) -> Value {
    return arith::CmpIOp::create(b, loc, uns ? u : s, a[0], a[1]);
  };
  using P = arith::CmpIPredicate;
  Value x = a[0];
  if (kind == "add") return Value(arith::AddIOp::create(b, loc, a[0], a[1]));
  if (kind == "sub") return Value(arith::SubIOp::create(b, loc, a[0], a[1]));
  if (kind == "mul") return Value(arith::MulIOp::create(b, loc, a[0], a[1]));
  if (kind == "div")
    return uns ? Value(arith::DivUIOp::create(b, loc, a[0], a[1]))
               : Value(arith::DivSIOp::create(b, loc, a[0], a[1]));
  if (kind == "mod") {
    if (uns)
      return Value(arith::RemUIOp::create(b, loc, a[0], a[1]));
    Value r = arith::RemSIOp::create(b, loc, a[0], a[1]);
    if (alpha != 0) // fmod = 1: the sign of the dividend, like C
      return r;
    // fmod = 0: the sign of the divisor, like Python.
    Value nonzero = arith::CmpIOp::create(b, loc, P::ne, r, c(0));
    Value differ = arith::XOrIOp::create(
        b, loc, arith::CmpIOp::create(b, loc, P::slt, r, c(0)),
        arith::CmpIOp::create(b, loc, P::slt, a[1], c(0)));
    Value fix = arith::AndIOp::create(b, loc, nonzero, differ);
    return Value(arith::SelectOp::create(
        b, loc, fix, arith::AddIOp::create(b, loc, r, a[1]), r));
  }
  if (kind == "max")
    return uns ? Value(arith::MaxUIOp::create(b, loc, a[0], a[1]))
               : Value(arith::MaxSIOp::create(b, loc, a[0], a[1]));
  if (kind == "min")
    return uns ? Value(arith::MinUIOp::create(b, loc, a[0], a[1]))
               : Value(arith::MinSIOp::create(b, loc, a[0], a[1]));
  if (kind == "and") return Value(arith::AndIOp::create(b, loc, a[0], a[1]));
  if (kind == "or") return Value(arith::OrIOp::create(b, loc, a[0], a[1]));
  if (kind == "xor") return Value(arith::XOrIOp::create(b, loc, a[0], a[1]));
  if (kind == "not") return Value(arith::XOrIOp::create(b, loc, x, c(-1)));
  if (kind == "shift_left") return Value(arith::ShLIOp::create(b, loc, a[0], a[1]));
  if (kind == "shift_right") return Value(arith::ShRUIOp::create(b, loc, a[0], a[1]));
  if (kind == "equal") return cmp(P::eq, P::eq);
  if (kind == "greater") return cmp(P::sgt, P::ugt);
  if (kind == "less") return cmp(P::slt, P::ult);
  if (kind == "greater_equal") return cmp(P::sge, P::uge);
  if (kind == "less_equal") return cmp(P::sle, P::ule);
  if (kind == "pow") {
    // Integer powers through f64 (f32 polynomials), rounded back: exact
    // for the small results integer Pow is used for.
    Type f64 = b.getF64Type();
    Value base = convertScalar(b, loc, a[0], f64, uns, false);
    Value e = convertScalar(b, loc, a[1], f64, uns, false);
    Value r = math::RoundEvenOp::create(b, loc,
                                        math::PowFOp::create(b, loc, base, e));
    return convertScalar(b, loc, r, t, false, uns);
  }
  if (kind == "abs")
    return uns ? x : Value(math::AbsIOp::create(b, loc, x));
  if (kind == "neg") return Value(arith::SubIOp::create(b, loc, c(0), x));
  if (kind == "relu")
    return uns ? x : Value(arith::MaxSIOp::create(b, loc, x, c(0)));
  if (kind == "sign") {
    Value pos = arith::CmpIOp::create(b, loc, uns ? P::ugt : P::sgt, x, c(0));
    Value neg = arith::CmpIOp::create(b, loc, P::slt, x, c(0));
    return Value(arith::SelectOp::create(
        b, loc, pos, c(1),
        uns ? c(0) : Value(arith::SelectOp::create(b, loc, neg, c(-1), c(0)))));
  }
  if (kind == "prelu") {
    Value neg = arith::CmpIOp::create(b, loc, P::slt, x, c(0));
    return Value(arith::SelectOp::create(
        b, loc, neg, arith::MulIOp::create(b, loc, x, a[1]), x));
  }
  return failure();
}

struct ElementwiseLowering : public OpConversionPattern<ElementwiseOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ElementwiseOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    // Try the scalar body in a detached scratch function first, so an
    // unsupported kind/type pair fails before anything is rewritten.
    {
      SmallVector<Type> argTypes;
      for (Value v : adaptor.getInputs())
        argTypes.push_back(getElementTypeOrSelf(v.getType()));
      OwningOpRef<func::FuncOp> scratch = func::FuncOp::create(
          op.getLoc(), "scratch", rewriter.getFunctionType(argTypes, {}));
      Block *body = scratch->addEntryBlock();
      OpBuilder sb = OpBuilder::atBlockEnd(body);
      if (failed(scalarElementwise(op, sb, op.getLoc(), body->getArguments())))
        return op.emitOpError("kind '")
               << op.getKind() << "' is not supported for element type "
               << getElementTypeOrSelf(op.getInputs().front().getType());
    }
    Value r = elementwise(rewriter, op.getLoc(), op.getType(),
                          adaptor.getInputs(),
                          [&](OpBuilder &b, Location loc, ValueRange a) {
                            return *scalarElementwise(op, b, loc, a);
                          });
    rewriter.replaceOp(op, r);
    return success();
  }
};

struct BatchNormLowering : public OpConversionPattern<BatchNormOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(BatchNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    // Per-channel operands viewed as [C, 1, ...] so they broadcast on axis 1.
    SmallVector<int64_t> chanShape(type.getRank() - 1, 1);
    chanShape[0] = type.getDimSize(1);
    Location loc = op.getLoc();
    SmallVector<Value> ins = {adaptor.getInput()};
    for (Value v : {adaptor.getScale(), adaptor.getBias(), adaptor.getMean(),
                    adaptor.getVariance()})
      ins.push_back(reshapeTo(rewriter, loc, v, chanShape));
    double eps = op.getEpsilon().convertToDouble();
    Value r = elementwise(
        rewriter, loc, type, ins, [&](OpBuilder &b, Location l, ValueRange a) {
          Type t = a[0].getType();
          Value var = arith::AddFOp::create(b, l, a[4], floatConst(b, l, t, eps));
          Value inv = arith::DivFOp::create(
              b, l, a[1], math::SqrtOp::create(b, l, var));
          Value c = arith::SubFOp::create(b, l, a[0], a[3]);
          return arith::AddFOp::create(b, l, arith::MulFOp::create(b, l, c, inv),
                                       a[2]);
        });
    rewriter.replaceOp(op, r);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Convolution
//===----------------------------------------------------------------------===//

/// A grouped N-D convolution as one linalg.generic over
/// (n, g, f, o_1..o_d, c, k_1..k_d): `in` is [N, G, Cg, X...] (padded),
/// `w` is [G, Fg, Cg, K...], `acc` is [N, G, Fg, O...] and is accumulated
/// into.
Value convGeneric(OpBuilder &b, Location loc, Value in, Value w, Value acc,
                  ArrayRef<int64_t> strides, ArrayRef<int64_t> dilations) {
  MLIRContext *ctx = b.getContext();
  int64_t d = strides.size();
  unsigned numDims = 4 + 2 * d;
  auto dim = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
  int64_t cDim = 3 + d, kDim = 4 + d;
  SmallVector<AffineExpr> inE = {dim(0), dim(1), dim(cDim)},
                          wE = {dim(1), dim(2), dim(cDim)},
                          outE = {dim(0), dim(1), dim(2)};
  for (int64_t i = 0; i < d; ++i) {
    inE.push_back(dim(3 + i) * strides[i] + dim(kDim + i) * dilations[i]);
    wE.push_back(dim(kDim + i));
    outE.push_back(dim(3 + i));
  }
  SmallVector<utils::IteratorType> iters = parallel(3 + d);
  iters.append(1 + d, utils::IteratorType::reduction);
  SmallVector<AffineMap> maps = {AffineMap::get(numDims, 0, inE, ctx),
                                 AffineMap::get(numDims, 0, wE, ctx),
                                 AffineMap::get(numDims, 0, outE, ctx)};
  return linalg::GenericOp::create(
             b, loc, TypeRange{acc.getType()}, ValueRange{in, w},
             ValueRange{acc}, maps, iters,
             [&](OpBuilder &nb, Location l, ValueRange a) {
               Value p = arith::MulFOp::create(nb, l, a[0], a[1]);
               linalg::YieldOp::create(
                   nb, l, Value(arith::AddFOp::create(nb, l, a[2], p)));
             })
      .getResult(0);
}

struct ConvLowering : public OpConversionPattern<ConvOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConvOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto outType = cast<RankedTensorType>(op.getType());
    Location loc = op.getLoc();
    OpBuilder &b = rewriter;
    Type elem = outType.getElementType();
    Value input = padSpatial(b, loc, adaptor.getInput(), op.getPads(),
                             floatConst(b, loc, elem, 0.0));
    Value weight = adaptor.getWeight();
    auto wType = tensorType(weight);
    int64_t group = op.getGroup();
    int64_t cin = tensorType(adaptor.getInput()).getDimSize(1);
    int64_t f = wType.getDimSize(0);

    // The accumulator starts as the bias (or zero): no separate bias pass.
    Value init;
    if (Value bias = adaptor.getBias()) {
      SmallVector<int64_t> bShape(outType.getRank() - 1, 1);
      bShape[0] = f;
      Value b4 = reshapeTo(b, loc, bias, bShape);
      init = elementwise(b, loc, outType, {b4},
                         [](OpBuilder &, Location, ValueRange a) { return a[0]; });
    } else {
      init = filled(b, loc, outType.getShape(), floatConst(b, loc, elem, 0.0));
    }
    auto strides = b.getI64VectorAttr(op.getStrides());
    auto dilations = b.getI64VectorAttr(op.getDilations());

    Value result;
    if (outType.getRank() != 4) {
      // 1-D and 3-D: one grouped generic convolution.
      auto inType = tensorType(input);
      int64_t cg = cin / group, fg = f / group;
      auto grouped = [&](Value v, ArrayRef<int64_t> shape, int64_t a,
                         int64_t bDim) {
        SmallVector<int64_t> s = {shape[0], a, bDim};
        llvm::append_range(s, shape.drop_front(2));
        return reshapeTo(b, loc, v, s);
      };
      // [N, G, Cg, X...], [G, Fg, Cg, K...], [N, G, Fg, O...]
      Value in = grouped(input, inType.getShape(), group, cg);
      SmallVector<int64_t> ws = {group, fg, cg};
      llvm::append_range(ws, wType.getShape().drop_front(2));
      Value w = reshapeTo(b, loc, weight, ws);
      Value acc = grouped(init, outType.getShape(), group, fg);
      Value r = convGeneric(b, loc, in, w, acc, op.getStrides(),
                            op.getDilations());
      result = reshapeTo(b, loc, r, outType.getShape());
    } else if (group == 1) {
      result = linalg::Conv2DNchwFchwOp::create(b, loc, TypeRange{outType},
                                                ValueRange{input, weight},
                                                ValueRange{init}, strides,
                                                dilations)
                   .getResult(0);
    } else if (group == cin && f == cin) {
      Value w3 = reshapeTo(b, loc, weight,
                           {f, wType.getDimSize(2), wType.getDimSize(3)});
      result = linalg::DepthwiseConv2DNchwChwOp::create(
                   b, loc, TypeRange{outType}, ValueRange{input, w3},
                   ValueRange{init}, strides, dilations)
                   .getResult(0);
    } else {
      auto inType = tensorType(input);
      int64_t cg = cin / group, fg = f / group;
      Value in5 = reshapeTo(b, loc, input,
                            {inType.getDimSize(0), group, cg,
                             inType.getDimSize(2), inType.getDimSize(3)});
      Value w5 = reshapeTo(b, loc, weight,
                           {group, fg, cg, wType.getDimSize(2),
                            wType.getDimSize(3)});
      SmallVector<int64_t> out5 = {outType.getDimSize(0), group, fg,
                                   outType.getDimSize(2), outType.getDimSize(3)};
      Value init5 = reshapeTo(b, loc, init, out5);
      Value r5 = linalg::Conv2DNgchwGfchwOp::create(
                     b, loc, TypeRange{RankedTensorType::get(out5, elem)},
                     ValueRange{in5, w5}, ValueRange{init5}, strides, dilations)
                     .getResult(0);
      result = reshapeTo(b, loc, r5, outType.getShape());
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Gemm / MatMul
//===----------------------------------------------------------------------===//

/// C[b..., m, n] (+)= sum_k A[.., m, k] * B[.., k, n] as one linalg.generic
/// over (batch..., m, n, k); `aMap`/`bMap` say where each operand's
/// elements are.
Value contraction(OpBuilder &b, Location loc, Value lhs, Value rhs, Value init,
                  AffineMap aMap, AffineMap bMap, double alpha) {
  auto outType = tensorType(init);
  unsigned rank = outType.getRank();
  MLIRContext *ctx = b.getContext();
  auto cMap = AffineMap::getMultiDimIdentityMap(rank + 1, ctx).getMajorSubMap(rank);
  SmallVector<utils::IteratorType> iters = parallel(rank);
  iters.push_back(utils::IteratorType::reduction);
  return linalg::GenericOp::create(
             b, loc, TypeRange{outType}, ValueRange{lhs, rhs}, ValueRange{init},
             ArrayRef<AffineMap>{aMap, bMap, cMap}, iters,
             [&](OpBuilder &nb, Location l, ValueRange a) {
               Value p = arith::MulFOp::create(nb, l, a[0], a[1]);
               if (alpha != 1.0)
                 p = arith::MulFOp::create(
                     nb, l, p, floatConst(nb, l, p.getType(), alpha));
               linalg::YieldOp::create(nb, l,
                                       Value(arith::AddFOp::create(nb, l, a[2], p)));
             })
      .getResult(0);
}

struct GemmLowering : public OpConversionPattern<GemmOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(GemmOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto outType = cast<RankedTensorType>(op.getType());
    Type elem = outType.getElementType();
    MLIRContext *ctx = rewriter.getContext();
    AffineExpr m = getAffineDimExpr(0, ctx), n = getAffineDimExpr(1, ctx),
               k = getAffineDimExpr(2, ctx);
    auto aMap = AffineMap::get(3, 0,
                               op.getTransA() ? ArrayRef<AffineExpr>{k, m}
                                              : ArrayRef<AffineExpr>{m, k},
                               ctx);
    auto bMap = AffineMap::get(3, 0,
                               op.getTransB() ? ArrayRef<AffineExpr>{n, k}
                                              : ArrayRef<AffineExpr>{k, n},
                               ctx);
    Value init;
    double beta = op.getBeta().convertToDouble();
    if (Value c = adaptor.getC(); c && beta != 0.0) {
      init = elementwise(rewriter, loc, outType, {c},
                         [&](OpBuilder &b, Location l, ValueRange a) -> Value {
                           if (beta == 1.0)
                             return a[0];
                           return arith::MulFOp::create(
                               b, l, a[0], floatConst(b, l, elem, beta));
                         });
    } else {
      init = filled(rewriter, loc, outType.getShape(),
                    floatConst(rewriter, loc, elem, 0.0));
    }
    rewriter.replaceOp(op, contraction(rewriter, loc, adaptor.getA(),
                                       adaptor.getB(), init, aMap, bMap,
                                       op.getAlpha().convertToDouble()));
    return success();
  }
};

struct MatMulLowering : public OpConversionPattern<MatMulOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(MatMulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto outType = cast<RankedTensorType>(op.getType());
    MLIRContext *ctx = rewriter.getContext();
    unsigned rank = outType.getRank();
    unsigned nd = rank + 1; // batch..., m, n, k
    auto operandMap = [&](RankedTensorType t, bool isA) {
      SmallVector<AffineExpr> e;
      size_t batchRank = t.getRank() - 2, outBatch = rank - 2;
      for (size_t i = 0; i < batchRank; ++i) {
        size_t od = outBatch - batchRank + i;
        e.push_back(t.getDimSize(i) == 1 && outType.getDimSize(od) != 1
                        ? getAffineConstantExpr(0, ctx)
                        : getAffineDimExpr(od, ctx));
      }
      AffineExpr m = getAffineDimExpr(rank - 2, ctx),
                 n = getAffineDimExpr(rank - 1, ctx),
                 k = getAffineDimExpr(rank, ctx);
      e.push_back(isA ? m : k);
      e.push_back(isA ? k : n);
      return AffineMap::get(nd, 0, e, ctx);
    };
    Value init = filled(rewriter, loc, outType.getShape(),
                        floatConst(rewriter, loc, outType.getElementType(), 0.0));
    rewriter.replaceOp(
        op, contraction(rewriter, loc, adaptor.getA(), adaptor.getB(), init,
                        operandMap(tensorType(adaptor.getA()), true),
                        operandMap(tensorType(adaptor.getB()), false), 1.0));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Pooling and reductions
//===----------------------------------------------------------------------===//

/// Extra end padding so that ceil-mode windows read padding, not past it.
SmallVector<int64_t> ceilPads(ArrayRef<int64_t> inShape, ArrayRef<int64_t> outShape,
                              ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
                              ArrayRef<int64_t> pads, ArrayRef<int64_t> dilations) {
  size_t n = kernel.size();
  SmallVector<int64_t> result(pads);
  for (size_t i = 0; i < n; ++i) {
    int64_t need = (outShape[i + 2] - 1) * strides[i] +
                   dilations[i] * (kernel[i] - 1) + 1;
    int64_t have = inShape[i + 2] + pads[i] + pads[i + n];
    if (need > have)
      result[i + n] += need - have;
  }
  return result;
}

/// A window reduction over the spatial axes of a padded [N, C, X...] input:
/// a linalg.generic over (n, c, o_1..o_d, k_1..k_d) with the window as a
/// shape-only operand. `inits` are the accumulators ([N, C, O...] each);
/// `body` gets (input element, accumulators...) and yields new ones.
ValueRange windowReduce(OpBuilder &b, Location loc, Value in,
                        ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
                        ArrayRef<int64_t> dilations, ValueRange inits,
                        function_ref<SmallVector<Value>(OpBuilder &, Location,
                                                        ValueRange)>
                            body) {
  MLIRContext *ctx = b.getContext();
  int64_t d = kernel.size();
  unsigned numDims = 2 + 2 * d;
  auto dim = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
  SmallVector<AffineExpr> inE = {dim(0), dim(1)}, winE, outE = {dim(0), dim(1)};
  for (int64_t i = 0; i < d; ++i) {
    inE.push_back(dim(2 + i) * strides[i] + dim(2 + d + i) * dilations[i]);
    winE.push_back(dim(2 + d + i));
    outE.push_back(dim(2 + i));
  }
  Value window = emptyLike(b, loc, kernel, b.getI8Type());
  SmallVector<AffineMap> maps = {AffineMap::get(numDims, 0, inE, ctx),
                                 AffineMap::get(numDims, 0, winE, ctx)};
  maps.append(inits.size(), AffineMap::get(numDims, 0, outE, ctx));
  SmallVector<utils::IteratorType> iters = parallel(2 + d);
  iters.append(d, utils::IteratorType::reduction);
  SmallVector<Type> types;
  for (Value v : inits)
    types.push_back(v.getType());
  return linalg::GenericOp::create(
             b, loc, types, ValueRange{in, window}, inits, maps, iters,
             [&](OpBuilder &nb, Location l, ValueRange a) {
               SmallVector<Value> args = {a[0]};
               llvm::append_range(args, a.drop_front(2));
               linalg::YieldOp::create(nb, l, body(nb, l, args));
             })
      ->getResults();
}

/// The smallest value of `type` (-inf for floats).
Value lowestOf(OpBuilder &b, Location loc, Type type, bool isUnsigned) {
  if (isa<FloatType>(type))
    return lowest(b, loc, type);
  unsigned w = type.getIntOrFloatBitWidth();
  APInt v = isUnsigned ? APInt::getMinValue(w) : APInt::getSignedMinValue(w);
  return arith::ConstantOp::create(b, loc, b.getIntegerAttr(type, v));
}

struct MaxPoolLowering : public OpConversionPattern<MaxPoolOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(MaxPoolOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto outType = cast<RankedTensorType>(op.getOutput().getType());
    Location loc = op.getLoc();
    OpBuilder &b = rewriter;
    Type elem = outType.getElementType();
    bool isUnsigned = op.getUnsignedInput();
    auto inShape = tensorType(adaptor.getInput()).getShape();
    ArrayRef<int64_t> kernel = op.getKernelShape(), strides = op.getStrides(),
                      dil = op.getDilations();
    auto pads = ceilPads(inShape, outType.getShape(), kernel, strides,
                         op.getPads(), dil);
    Value low = lowestOf(b, loc, elem, isUnsigned);
    Value input = padSpatial(b, loc, adaptor.getInput(), pads, low);
    SmallVector<Value> inits = {filled(b, loc, outType.getShape(), low)};
    bool withIndices = op.getWithIndices();
    if (withIndices)
      inits.push_back(filled(b, loc, outType.getShape(),
                             arith::ConstantOp::create(
                                 b, loc, b.getI64IntegerAttr(0))));
    int64_t d = kernel.size();
    ArrayRef<int64_t> padBegin = op.getPads().take_front(d);
    bool columnMajor = op.getStorageOrder() == 1;
    auto results = windowReduce(
        b, loc, input, kernel, strides, dil, inits,
        [&](OpBuilder &nb, Location l, ValueRange a) -> SmallVector<Value> {
          Value x = a[0], m = a[1];
          if (!withIndices) {
            if (isa<FloatType>(elem))
              return {arith::MaximumFOp::create(nb, l, x, m)};
            if (isUnsigned)
              return {arith::MaxUIOp::create(nb, l, x, m)};
            return {arith::MaxSIOp::create(nb, l, x, m)};
          }
          // The flat index of x in the unpadded input.
          auto idx = [&](int64_t i) -> Value {
            return arith::IndexCastOp::create(
                nb, l, nb.getI64Type(), linalg::IndexOp::create(nb, l, i));
          };
          auto cst = [&](int64_t v) -> Value {
            return arith::ConstantOp::create(nb, l, nb.getI64IntegerAttr(v));
          };
          auto mulAdd = [&](Value acc, int64_t scale, Value v) -> Value {
            return arith::AddIOp::create(
                nb, l, arith::MulIOp::create(nb, l, acc, cst(scale)), v);
          };
          Value flat = mulAdd(idx(0), inShape[1], idx(1));
          for (int64_t j = 0; j < d; ++j) {
            int64_t i = columnMajor ? d - 1 - j : j;
            // o * stride + k * dilation - pad
            Value pos = arith::AddIOp::create(
                nb, l,
                arith::MulIOp::create(nb, l, idx(2 + i), cst(strides[i])),
                arith::MulIOp::create(nb, l, idx(2 + d + i), cst(dil[i])));
            pos = arith::SubIOp::create(nb, l, pos, cst(padBegin[i]));
            flat = mulAdd(flat, inShape[2 + i], pos);
          }
          Value better;
          if (isa<FloatType>(elem))
            better = arith::CmpFOp::create(nb, l, arith::CmpFPredicate::OGT, x, m);
          else
            better = arith::CmpIOp::create(
                nb, l, isUnsigned ? arith::CmpIPredicate::ugt
                                  : arith::CmpIPredicate::sgt,
                x, m);
          return {arith::SelectOp::create(nb, l, better, x, m),
                  arith::SelectOp::create(nb, l, better, flat, a[2])};
        });
    rewriter.replaceOp(op, results);
    return success();
  }
};

struct AvgPoolLowering : public OpConversionPattern<AvgPoolOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(AvgPoolOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto outType = cast<RankedTensorType>(op.getType());
    Location loc = op.getLoc();
    OpBuilder &b = rewriter;
    Type elem = outType.getElementType();
    auto inShape = tensorType(adaptor.getInput()).getShape();
    ArrayRef<int64_t> k = op.getKernelShape(), s = op.getStrides(),
                      p = op.getPads();
    int64_t d = k.size();
    SmallVector<int64_t> ones(d, 1);
    auto pads = ceilPads(inShape, outType.getShape(), k, s, p, ones);
    Value input = padSpatial(b, loc, adaptor.getInput(), pads,
                             floatConst(b, loc, elem, 0.0));
    Value init = filled(b, loc, outType.getShape(), floatConst(b, loc, elem, 0.0));
    Value sum = windowReduce(b, loc, input, k, s, ones, {init},
                             [](OpBuilder &nb, Location l, ValueRange a)
                                 -> SmallVector<Value> {
                               return {arith::AddFOp::create(nb, l, a[0], a[1])};
                             })[0];
    // The divisor of every output position, known at compile time.
    ArrayRef<int64_t> outSpatial = outType.getShape().drop_front(2);
    int64_t total = 1;
    for (int64_t o : outSpatial)
      total *= o;
    SmallVector<float> inv(total);
    for (int64_t flat = 0; flat < total; ++flat) {
      int64_t rest = flat, count = 1;
      for (int64_t axis = d - 1; axis >= 0; --axis) {
        int64_t o = rest % outSpatial[axis];
        rest /= outSpatial[axis];
        int64_t lo = o * s[axis] - p[axis], hi = lo + k[axis];
        int64_t minV = op.getCountIncludePad() ? -p[axis] : 0;
        int64_t maxV = inShape[axis + 2] +
                       (op.getCountIncludePad() ? p[axis + d] : 0);
        count *= std::max<int64_t>(0, std::min(hi, maxV) - std::max(lo, minV));
      }
      inv[flat] = count ? 1.0f / static_cast<float>(count) : 0.0f;
    }
    auto invType = RankedTensorType::get(outSpatial, b.getF32Type());
    Value invT = arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(invType, ArrayRef<float>(inv)));
    Value r = elementwise(b, loc, outType, {sum, invT},
                          [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
                            Value d = a[1];
                            Type t = a[0].getType();
                            if (t.getIntOrFloatBitWidth() < 32)
                              d = arith::TruncFOp::create(nb, l, t, d);
                            else if (t.getIntOrFloatBitWidth() > 32)
                              d = arith::ExtFOp::create(nb, l, t, d);
                            return arith::MulFOp::create(nb, l, a[0], d);
                          });
    rewriter.replaceOp(op, r);
    return success();
  }
};

enum class ReduceKind { Sum, Mean, Max, Min, Prod };

/// Reduces `input` over `axes` into a tensor without those dims.
Value reduce(OpBuilder &b, Location loc, Value input, ArrayRef<int64_t> axes,
             ReduceKind kind) {
  auto type = tensorType(input);
  Type elem = type.getElementType();
  MLIRContext *ctx = b.getContext();
  SmallVector<int64_t> outShape;
  SmallVector<AffineExpr> outExprs;
  SmallVector<utils::IteratorType> iters;
  for (int64_t d = 0; d < type.getRank(); ++d) {
    if (llvm::is_contained(axes, d)) {
      iters.push_back(utils::IteratorType::reduction);
    } else {
      iters.push_back(utils::IteratorType::parallel);
      outShape.push_back(type.getDimSize(d));
      outExprs.push_back(getAffineDimExpr(d, ctx));
    }
  }
  Value initV;
  auto ft = cast<FloatType>(elem);
  switch (kind) {
  case ReduceKind::Max:
    initV = lowest(b, loc, elem);
    break;
  case ReduceKind::Min:
    initV = arith::ConstantOp::create(
        b, loc, b.getFloatAttr(ft, APFloat::getInf(ft.getFloatSemantics())));
    break;
  case ReduceKind::Prod:
    initV = floatConst(b, loc, elem, 1.0);
    break;
  default:
    initV = floatConst(b, loc, elem, 0.0);
  }
  Value init = filled(b, loc, outShape, initV);
  auto inMap = AffineMap::getMultiDimIdentityMap(type.getRank(), ctx);
  auto outMap = AffineMap::get(type.getRank(), 0, outExprs, ctx);
  Value r = linalg::GenericOp::create(
                b, loc, TypeRange{init.getType()}, ValueRange{input},
                ValueRange{init}, ArrayRef<AffineMap>{inMap, outMap}, iters,
                [&](OpBuilder &nb, Location l, ValueRange a) {
                  Value v;
                  switch (kind) {
                  case ReduceKind::Max:
                    v = arith::MaximumFOp::create(nb, l, a[0], a[1]);
                    break;
                  case ReduceKind::Min:
                    v = arith::MinimumFOp::create(nb, l, a[0], a[1]);
                    break;
                  case ReduceKind::Prod:
                    v = arith::MulFOp::create(nb, l, a[0], a[1]);
                    break;
                  default:
                    v = arith::AddFOp::create(nb, l, a[0], a[1]);
                  }
                  linalg::YieldOp::create(nb, l, v);
                })
                .getResult(0);
  if (kind == ReduceKind::Mean) {
    int64_t count = 1;
    for (int64_t a : axes)
      count *= type.getDimSize(a);
    double inv = 1.0 / static_cast<double>(count);
    r = elementwise(b, loc, cast<RankedTensorType>(r.getType()), {r},
                    [&](OpBuilder &nb, Location l, ValueRange a) {
                      return arith::MulFOp::create(nb, l, a[0],
                                                   floatConst(nb, l, elem, inv));
                    });
  }
  return r;
}

template <typename Op, ReduceKind Kind>
struct ReduceLowering : public OpConversionPattern<Op> {
  using OpConversionPattern<Op>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(Op op, typename Op::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Value r = reduce(rewriter, op.getLoc(), adaptor.getInput(), op.getAxes(),
                     Kind);
    rewriter.replaceOp(op, reshapeTo(rewriter, op.getLoc(), r,
                                     cast<RankedTensorType>(op.getType()).getShape()));
    return success();
  }
};

struct SoftmaxLowering : public OpConversionPattern<SoftmaxOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(SoftmaxOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getType());
    int64_t axis = op.getAxis();
    SmallVector<int64_t> keep(type.getShape());
    keep[axis] = 1;
    Value x = adaptor.getInput();
    Value max = reshapeTo(rewriter, loc,
                          reduce(rewriter, loc, x, {axis}, ReduceKind::Max), keep);
    Value e = elementwise(rewriter, loc, type, {x, max},
                          [](OpBuilder &b, Location l, ValueRange a) {
                            return math::ExpOp::create(
                                b, l, arith::SubFOp::create(b, l, a[0], a[1]));
                          });
    Value sum = reshapeTo(rewriter, loc,
                          reduce(rewriter, loc, e, {axis}, ReduceKind::Sum), keep);
    Value r = elementwise(rewriter, loc, type, {e, sum},
                          [](OpBuilder &b, Location l, ValueRange a) {
                            return arith::DivFOp::create(b, l, a[0], a[1]);
                          });
    rewriter.replaceOp(op, r);
    return success();
  }
};

/// Index (i64) of the first (or last) maximum (or minimum) along `axis`,
/// in a tensor without that axis.
Value argExtremum(OpBuilder &b, Location loc, Value input, int64_t axis,
                  bool isMax, bool last) {
  auto type = tensorType(input);
  Type elem = type.getElementType();
  MLIRContext *ctx = b.getContext();
  SmallVector<int64_t> outShape;
  SmallVector<AffineExpr> outExprs;
  SmallVector<utils::IteratorType> iters;
  for (int64_t d = 0; d < type.getRank(); ++d) {
    if (d == axis) {
      iters.push_back(utils::IteratorType::reduction);
      continue;
    }
    iters.push_back(utils::IteratorType::parallel);
    outShape.push_back(type.getDimSize(d));
    outExprs.push_back(getAffineDimExpr(d, ctx));
  }
  auto ft = cast<FloatType>(elem);
  Value start = arith::ConstantOp::create(
      b, loc,
      b.getFloatAttr(ft, APFloat::getInf(ft.getFloatSemantics(), isMax)));
  Value vals = filled(b, loc, outShape, start);
  Value idxs = filled(b, loc, outShape,
                      arith::ConstantOp::create(b, loc, b.getI64IntegerAttr(0)));
  auto inMap = AffineMap::getMultiDimIdentityMap(type.getRank(), ctx);
  auto outMap = AffineMap::get(type.getRank(), 0, outExprs, ctx);
  auto g = linalg::GenericOp::create(
      b, loc, TypeRange{vals.getType(), idxs.getType()}, ValueRange{input},
      ValueRange{vals, idxs}, ArrayRef<AffineMap>{inMap, outMap, outMap}, iters,
      [&](OpBuilder &nb, Location l, ValueRange a) {
        using P = arith::CmpFPredicate;
        P pred = isMax ? (last ? P::OGE : P::OGT) : (last ? P::OLE : P::OLT);
        Value better = arith::CmpFOp::create(nb, l, pred, a[0], a[1]);
        Value i = arith::IndexCastOp::create(
            nb, l, nb.getI64Type(), linalg::IndexOp::create(nb, l, axis));
        linalg::YieldOp::create(
            nb, l,
            ValueRange{arith::SelectOp::create(nb, l, better, a[0], a[1]),
                       arith::SelectOp::create(nb, l, better, i, a[2])});
      });
  return g.getResult(1);
}

template <typename Op, bool IsMax>
struct ArgLowering : public OpConversionPattern<Op> {
  using OpConversionPattern<Op>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(Op op, typename Op::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Value r = argExtremum(rewriter, op.getLoc(), adaptor.getInput(),
                          op.getAxis(), IsMax, op.getSelectLastIndex());
    rewriter.replaceOp(op, reshapeTo(rewriter, op.getLoc(), r,
                                     cast<RankedTensorType>(op.getType()).getShape()));
    return success();
  }
};

struct LogSoftmaxLowering : public OpConversionPattern<LogSoftmaxOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(LogSoftmaxOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getType());
    int64_t axis = op.getAxis();
    SmallVector<int64_t> keep(type.getShape());
    keep[axis] = 1;
    Value x = adaptor.getInput();
    Value max = reshapeTo(rewriter, loc,
                          reduce(rewriter, loc, x, {axis}, ReduceKind::Max), keep);
    Value shifted = elementwise(rewriter, loc, type, {x, max},
                                [](OpBuilder &b, Location l, ValueRange a) {
                                  return arith::SubFOp::create(b, l, a[0], a[1]);
                                });
    Value e = elementwise(rewriter, loc, type, {shifted},
                          [](OpBuilder &b, Location l, ValueRange a) {
                            return math::ExpOp::create(b, l, a[0]);
                          });
    Value sum = reshapeTo(rewriter, loc,
                          reduce(rewriter, loc, e, {axis}, ReduceKind::Sum), keep);
    Value r = elementwise(rewriter, loc, type, {shifted, sum},
                          [](OpBuilder &b, Location l, ValueRange a) {
                            return arith::SubFOp::create(
                                b, l, a[0], math::LogOp::create(b, l, a[1]));
                          });
    rewriter.replaceOp(op, r);
    return success();
  }
};

struct HardmaxLowering : public OpConversionPattern<HardmaxOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(HardmaxOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getType());
    int64_t axis = op.getAxis();
    SmallVector<int64_t> keep(type.getShape());
    keep[axis] = 1;
    Value idx = reshapeTo(rewriter, loc,
                          argExtremum(rewriter, loc, adaptor.getInput(), axis,
                                      /*isMax=*/true, /*last=*/false),
                          keep);
    Value r = elementwise(rewriter, loc, type, {idx},
                          [&](OpBuilder &b, Location l, ValueRange a) {
                            Value i = arith::IndexCastOp::create(
                                b, l, b.getI64Type(),
                                linalg::IndexOp::create(b, l, axis));
                            Value hit = arith::CmpIOp::create(
                                b, l, arith::CmpIPredicate::eq, i, a[0]);
                            Type t = type.getElementType();
                            return arith::SelectOp::create(
                                b, l, hit, floatConst(b, l, t, 1.0),
                                floatConst(b, l, t, 0.0));
                          });
    rewriter.replaceOp(op, r);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

struct ConstantLowering : public OpConversionPattern<ConstantOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConstantOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    // Weights become 1-D constants viewed at their shape: LLVM stores a
    // 1-D array as one raw data blob, but a [64 x [32 x [1 x [1 x float]]]]
    // as millions of uniqued constants (minutes of compile time).
    auto type = cast<RankedTensorType>(op.getType());
    auto resource = dyn_cast<DenseResourceElementsAttr>(op.getValue());
    if (!resource || type.getRank() == 1) {
      rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, op.getValue());
      return success();
    }
    auto flatType =
        RankedTensorType::get({type.getNumElements()}, type.getElementType());
    Value flat = arith::ConstantOp::create(
        rewriter, op.getLoc(),
        DenseResourceElementsAttr::get(flatType, resource.getRawHandle()));
    rewriter.replaceOp(op, reshapeTo(rewriter, op.getLoc(), flat,
                                     type.getShape()));
    return success();
  }
};

struct ReshapeLowering : public OpConversionPattern<ReshapeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ReshapeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, reshapeTo(rewriter, op.getLoc(), adaptor.getInput(),
                                     op.getShape()));
    return success();
  }
};

struct TransposeLowering : public OpConversionPattern<TransposeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(TransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    Value init = emptyLike(rewriter, op.getLoc(), type.getShape(),
                           type.getElementType());
    auto t = linalg::TransposeOp::create(rewriter, op.getLoc(),
                                         adaptor.getInput(), init, op.getPerm());
    rewriter.replaceOp(op, t->getResult(0));
    return success();
  }
};

struct ConcatLowering : public OpConversionPattern<ConcatOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConcatOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getType());
    Value result = emptyLike(rewriter, loc, type.getShape(), type.getElementType());
    int64_t axis = op.getAxis(), offset = 0;
    for (Value in : adaptor.getInputs()) {
      auto t = tensorType(in);
      SmallVector<OpFoldResult> offsets(type.getRank(), rewriter.getIndexAttr(0));
      offsets[axis] = rewriter.getIndexAttr(offset);
      SmallVector<OpFoldResult> sizes, strides(type.getRank(),
                                               rewriter.getIndexAttr(1));
      for (int64_t d : t.getShape())
        sizes.push_back(rewriter.getIndexAttr(d));
      result = tensor::InsertSliceOp::create(rewriter, loc, in, result, offsets,
                                             sizes, strides);
      offset += t.getDimSize(axis);
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct SliceLowering : public OpConversionPattern<SliceOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(SliceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getType());
    ArrayRef<int64_t> starts = op.getStarts(), steps = op.getSteps();
    // An empty result reads nothing (tensor.extract_slice rejects even a
    // zero-size slice of a zero-size dimension).
    if (type.getNumElements() == 0) {
      rewriter.replaceOp(op, emptyLike(rewriter, loc, type.getShape(),
                                       type.getElementType()));
      return success();
    }
    if (llvm::all_of(steps, [](int64_t s) { return s > 0; })) {
      SmallVector<OpFoldResult> offsets, sizes, strides;
      for (int64_t d = 0; d < type.getRank(); ++d) {
        // An empty slice may start at the end of its dimension.
        offsets.push_back(
            rewriter.getIndexAttr(type.getDimSize(d) == 0 ? 0 : starts[d]));
        sizes.push_back(rewriter.getIndexAttr(type.getDimSize(d)));
        strides.push_back(rewriter.getIndexAttr(steps[d]));
      }
      rewriter.replaceOpWithNewOp<tensor::ExtractSliceOp>(
          op, type, adaptor.getInput(), offsets, sizes, strides);
      return success();
    }
    // Negative steps: a gather-like generic reading start + i * step.
    MLIRContext *ctx = rewriter.getContext();
    SmallVector<AffineExpr> exprs;
    for (int64_t d = 0; d < type.getRank(); ++d)
      exprs.push_back(getAffineDimExpr(d, ctx) * steps[d] + starts[d]);
    auto inMap = AffineMap::get(type.getRank(), 0, exprs, ctx);
    auto outMap = AffineMap::getMultiDimIdentityMap(type.getRank(), ctx);
    Value init = emptyLike(rewriter, loc, type.getShape(), type.getElementType());
    auto g = linalg::GenericOp::create(
        rewriter, loc, TypeRange{type}, ValueRange{adaptor.getInput()},
        ValueRange{init}, ArrayRef<AffineMap>{inMap, outMap},
        parallel(type.getRank()), [](OpBuilder &b, Location l, ValueRange a) {
          linalg::YieldOp::create(b, l, a[0]);
        });
    rewriter.replaceOp(op, g.getResult(0));
    return success();
  }
};

/// A scalar constant of `t` (float or integer) with value `v`.
Value scalarConst(OpBuilder &b, Location loc, Type t, double v) {
  if (isa<FloatType>(t))
    return floatConst(b, loc, t, v);
  return arith::ConstantOp::create(
      b, loc, b.getIntegerAttr(t, static_cast<int64_t>(v)));
}

/// A generic over `outType` whose body computes source coordinates from the
/// output's (linalg.index) and reads `source` with tensor.extract.
Value gatherLike(OpBuilder &b, Location loc, RankedTensorType outType,
                 ValueRange ins, ArrayRef<AffineMap> inMaps,
                 function_ref<Value(OpBuilder &, Location, ValueRange,
                                    ArrayRef<Value>)>
                     body) {
  MLIRContext *ctx = b.getContext();
  SmallVector<AffineMap> maps(inMaps);
  maps.push_back(AffineMap::getMultiDimIdentityMap(outType.getRank(), ctx));
  Value init = emptyLike(b, loc, outType.getShape(), outType.getElementType());
  return linalg::GenericOp::create(
             b, loc, TypeRange{outType}, ins, ValueRange{init}, maps,
             parallel(outType.getRank()),
             [&](OpBuilder &nb, Location l, ValueRange a) {
               SmallVector<Value> idx;
               for (int64_t d = 0; d < outType.getRank(); ++d)
                 idx.push_back(linalg::IndexOp::create(nb, l, d));
               linalg::YieldOp::create(nb, l, body(nb, l, a.drop_back(), idx));
             })
      .getResult(0);
}

/// `i` (an integer index value) made non-negative (counting from the end
/// when negative) and clamped into [0, dim).
Value normalizeIndex(OpBuilder &b, Location l, Value i, int64_t dim) {
  i = arith::IndexCastOp::create(b, l, b.getIndexType(), i);
  Value n = arith::ConstantIndexOp::create(b, l, dim);
  Value zero = arith::ConstantIndexOp::create(b, l, 0);
  Value neg = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, i, zero);
  i = arith::SelectOp::create(b, l, neg, arith::AddIOp::create(b, l, i, n), i);
  i = arith::MaxSIOp::create(b, l, i, zero);
  return arith::MinSIOp::create(b, l, i,
                                arith::ConstantIndexOp::create(b, l, dim - 1));
}

struct GatherLowering : public OpConversionPattern<GatherOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(GatherOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto outType = cast<RankedTensorType>(op.getType());
    Value data = adaptor.getInput();
    auto dataType = tensorType(data);
    int64_t axis = op.getAxis();
    int64_t ri = tensorType(adaptor.getIndices()).getRank();
    MLIRContext *ctx = rewriter.getContext();
    SmallVector<AffineExpr> idxExprs;
    for (int64_t d = 0; d < ri; ++d)
      idxExprs.push_back(getAffineDimExpr(axis + d, ctx));
    auto idxMap = AffineMap::get(outType.getRank(), 0, idxExprs, ctx);
    int64_t dim = dataType.getDimSize(axis);
    Value r = gatherLike(
        rewriter, op.getLoc(), outType, {adaptor.getIndices()}, {idxMap},
        [&](OpBuilder &b, Location l, ValueRange a, ArrayRef<Value> out) {
          // Clamped: an out-of-range index must not read outside the tensor.
          SmallVector<Value> src(out.take_front(axis));
          src.push_back(normalizeIndex(b, l, a[0], dim));
          llvm::append_range(src, out.drop_front(axis + ri));
          return tensor::ExtractOp::create(b, l, data, src).getResult();
        });
    rewriter.replaceOp(op, r);
    return success();
  }
};

struct GatherElementsLowering : public OpConversionPattern<GatherElementsOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(GatherElementsOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto outType = cast<RankedTensorType>(op.getType());
    Value data = adaptor.getInput();
    int64_t axis = op.getAxis();
    int64_t dim = tensorType(data).getDimSize(axis);
    auto idMap = AffineMap::getMultiDimIdentityMap(outType.getRank(),
                                                   rewriter.getContext());
    Value r = gatherLike(
        rewriter, op.getLoc(), outType, {adaptor.getIndices()}, {idMap},
        [&](OpBuilder &b, Location l, ValueRange a, ArrayRef<Value> out) {
          SmallVector<Value> src(out);
          src[axis] = normalizeIndex(b, l, a[0], dim);
          return tensor::ExtractOp::create(b, l, data, src).getResult();
        });
    rewriter.replaceOp(op, r);
    return success();
  }
};

struct CumSumLowering : public OpConversionPattern<CumSumOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(CumSumOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    // out[.., i, ..] = sum over j of x[.., j, ..] where j is before i (or
    // after, reversed; strictly for exclusive): one generic with an extra
    // reduction dimension j.
    auto type = cast<RankedTensorType>(op.getType());
    int64_t rank = type.getRank(), axis = op.getAxis();
    MLIRContext *ctx = rewriter.getContext();
    Location loc = op.getLoc();
    SmallVector<AffineExpr> inExprs, outExprs;
    for (int64_t d = 0; d < rank; ++d) {
      inExprs.push_back(getAffineDimExpr(d == axis ? rank : d, ctx));
      outExprs.push_back(getAffineDimExpr(d, ctx));
    }
    auto inMap = AffineMap::get(rank + 1, 0, inExprs, ctx);
    auto outMap = AffineMap::get(rank + 1, 0, outExprs, ctx);
    SmallVector<utils::IteratorType> iters = parallel(rank);
    iters.push_back(utils::IteratorType::reduction);
    Type elem = type.getElementType();
    Value init = filled(rewriter, loc, type.getShape(),
                        scalarConst(rewriter, loc, elem, 0));
    bool exclusive = op.getExclusive(), reverse = op.getReverse();
    auto g = linalg::GenericOp::create(
        rewriter, loc, TypeRange{type}, ValueRange{adaptor.getInput()},
        ValueRange{init}, ArrayRef<AffineMap>{inMap, outMap}, iters,
        [&](OpBuilder &b, Location l, ValueRange a) {
          Value i = linalg::IndexOp::create(b, l, axis);
          Value j = linalg::IndexOp::create(b, l, rank);
          using P = arith::CmpIPredicate;
          P pred = reverse ? (exclusive ? P::sgt : P::sge)
                           : (exclusive ? P::slt : P::sle);
          Value take = arith::CmpIOp::create(b, l, pred, j, i);
          Value sum = isa<FloatType>(elem)
                          ? Value(arith::AddFOp::create(b, l, a[1], a[0]))
                          : Value(arith::AddIOp::create(b, l, a[1], a[0]));
          linalg::YieldOp::create(
              b, l, Value(arith::SelectOp::create(b, l, take, sum, a[1])));
        });
    rewriter.replaceOp(op, g.getResult(0));
    return success();
  }
};

/// Source taps of one output coordinate along one axis of a Resize, as
/// ONNX's reference computes them: the neighbours of the back-projected
/// coordinate (edge-clamped) and their weights, or "extrapolate".
struct ResizeTaps {
  std::vector<int64_t> index;
  std::vector<double> weight;
  bool extrapolate = false;
};

ResizeTaps resizeTaps(ResizeOp op, int64_t axis, int64_t x) {
  int64_t rank = op.getType().getRank();
  int64_t in = op.getInput().getType().getDimSize(axis);
  double scale = op.getScales()[axis];
  double outWidth = scale * static_cast<double>(in);
  StringRef cm = op.getCoordinateMode();
  double xo;
  ResizeTaps taps;
  if (cm == "align_corners") {
    xo = outWidth == 1 ? 0.0 : x * (in - 1) / (outWidth - 1);
  } else if (cm == "asymmetric") {
    xo = x / scale;
  } else if (cm == "tf_crop_and_resize") {
    double r0 = op.getRoi()[axis], r1 = op.getRoi()[axis + rank];
    xo = outWidth == 1 ? (r1 - r0) * (in - 1) / 2
                       : x * (r1 - r0) * (in - 1) / (outWidth - 1);
    xo += r0 * (in - 1);
    if (xo < 0 || xo > in - 1) {
      taps.extrapolate = true;
      return taps;
    }
  } else if (cm == "pytorch_half_pixel") {
    xo = outWidth == 1 ? -0.5 : (x + 0.5) / scale - 0.5;
  } else if (cm == "tf_half_pixel_for_nearest") {
    xo = (x + 0.5) / scale;
  } else { // half_pixel
    xo = (x + 0.5) / scale - 0.5;
  }
  double floorX = std::floor(xo);
  double ratio = xo == floorX ? 1.0 : xo - floorX;
  std::vector<double> coeffs;
  StringRef mode = op.getMode();
  if (mode == "nearest") {
    StringRef nm = op.getNearestMode();
    bool second;
    if (xo == floorX)
      second = true;
    else if (nm == "round_prefer_floor")
      second = ratio > 0.5;
    else if (nm == "round_prefer_ceil")
      second = ratio >= 0.5;
    else
      second = nm == "ceil";
    coeffs = {second ? 0.0 : 1.0, second ? 1.0 : 0.0};
  } else if (mode == "linear") {
    coeffs = {1 - ratio, ratio};
  } else {
    double a = op.getCubicCoeffA().convertToDouble(), r = ratio;
    coeffs = {((a * (r + 1) - 5 * a) * (r + 1) + 8 * a) * (r + 1) - 4 * a,
              ((a + 2) * r - (a + 3)) * r * r + 1,
              ((a + 2) * (1 - r) - (a + 3)) * (1 - r) * (1 - r) + 1,
              ((a * ((1 - r) + 1) - 5 * a) * ((1 - r) + 1) + 8 * a) *
                      ((1 - r) + 1) -
                  4 * a};
  }
  // The n indexes nearest to xo (ties to the smaller) among the
  // edge-padded range [-pad, in + pad), in ascending order.
  int64_t n = coeffs.size(), pad = (n + 1) / 2;
  std::vector<int64_t> cand;
  for (int64_t i = -pad; i < in + pad; ++i)
    cand.push_back(i);
  std::stable_sort(cand.begin(), cand.end(), [&](int64_t a, int64_t b) {
    double da = std::abs(xo - a), db = std::abs(xo - b);
    return da != db ? da < db : a < b;
  });
  cand.resize(std::min<int64_t>(n, cand.size()));
  std::sort(cand.begin(), cand.end());
  if (op.getExcludeOutside()) {
    double sum = 0;
    for (int64_t k = 0; k < n; ++k) {
      if (cand[k] < 0 || cand[k] >= in)
        coeffs[k] = 0;
      sum += coeffs[k];
    }
    for (double &c : coeffs)
      c /= sum;
  }
  for (int64_t k = 0; k < n; ++k) {
    if (coeffs[k] == 0)
      continue;
    taps.index.push_back(std::clamp<int64_t>(cand[k], 0, in - 1));
    taps.weight.push_back(coeffs[k]);
  }
  return taps;
}

struct ResizeLowering : public OpConversionPattern<ResizeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ResizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto outType = cast<RankedTensorType>(op.getType());
    Value x = adaptor.getInput();
    auto inType = tensorType(x);
    int64_t rank = outType.getRank();
    Location loc = op.getLoc();
    Type elem = outType.getElementType();
    // Per axis: identity, or tables [out, T] of indices and weights (and a
    // per-coordinate extrapolation flag).
    struct AxisTable {
      bool identity = true;
      int64_t taps = 1;
      Value index, weight, outside;
    };
    std::vector<AxisTable> tables(rank);
    bool anyOutside = false;
    for (int64_t d = 0; d < rank; ++d) {
      int64_t out = outType.getDimSize(d);
      std::vector<ResizeTaps> all;
      for (int64_t i = 0; i < out; ++i)
        all.push_back(resizeTaps(op, d, i));
      AxisTable &t = tables[d];
      for (int64_t i = 0; i < out; ++i) {
        t.taps = std::max<int64_t>(t.taps, all[i].index.size());
        if (all[i].extrapolate || all[i].index.size() != 1 ||
            all[i].index[0] != i || all[i].weight[0] != 1.0 ||
            out != inType.getDimSize(d))
          t.identity = false;
      }
      if (t.identity)
        continue;
      SmallVector<int64_t> idx(out * t.taps, 0);
      SmallVector<float> w(out * t.taps, 0.0f);
      SmallVector<bool> outside(out, false);
      for (int64_t i = 0; i < out; ++i) {
        outside[i] = all[i].extrapolate;
        anyOutside |= all[i].extrapolate;
        for (size_t k = 0; k < all[i].index.size(); ++k) {
          idx[i * t.taps + k] = all[i].index[k];
          w[i * t.taps + k] = static_cast<float>(all[i].weight[k]);
        }
      }
      SmallVector<int64_t> shape2 = {out, t.taps};
      t.index = arith::ConstantOp::create(
          rewriter, loc,
          DenseElementsAttr::get(
              RankedTensorType::get(shape2, rewriter.getIndexType()),
              ArrayRef<int64_t>(idx)));
      t.weight = arith::ConstantOp::create(
          rewriter, loc,
          DenseElementsAttr::get(
              RankedTensorType::get(shape2, rewriter.getF32Type()),
              ArrayRef<float>(w)));
      t.outside = arith::ConstantOp::create(
          rewriter, loc,
          DenseElementsAttr::get(
              RankedTensorType::get({out}, rewriter.getI1Type()),
              ArrayRef<bool>(outside)));
    }
    double ev = op.getExtrapolationValue().convertToDouble();
    Value r = gatherLike(
        rewriter, loc, outType, {}, {},
        [&](OpBuilder &b, Location l, ValueRange, ArrayRef<Value> out) {
          Value acc = floatConst(b, l, elem, 0.0);
          // Every combination of taps across the resized axes.
          SmallVector<int64_t> tap(rank, 0);
          while (true) {
            SmallVector<Value> src;
            Value w = floatConst(b, l, b.getF32Type(), 1.0);
            for (int64_t d = 0; d < rank; ++d) {
              if (tables[d].identity) {
                src.push_back(out[d]);
                continue;
              }
              Value k = arith::ConstantIndexOp::create(b, l, tap[d]);
              src.push_back(tensor::ExtractOp::create(b, l, tables[d].index,
                                                      ValueRange{out[d], k}));
              w = arith::MulFOp::create(
                  b, l, w,
                  tensor::ExtractOp::create(b, l, tables[d].weight,
                                            ValueRange{out[d], k}));
            }
            Value v = tensor::ExtractOp::create(b, l, x, src);
            if (w.getType() != elem)
              w = convertScalar(b, l, w, elem, false, false);
            acc = arith::AddFOp::create(b, l, acc,
                                        arith::MulFOp::create(b, l, v, w));
            int64_t d = rank - 1;
            for (; d >= 0; --d) {
              if (tables[d].identity)
                continue;
              if (++tap[d] < tables[d].taps)
                break;
              tap[d] = 0;
            }
            if (d < 0)
              break;
          }
          if (!anyOutside)
            return acc;
          Value flag = arith::ConstantOp::create(b, l, b.getBoolAttr(false));
          for (int64_t d = 0; d < rank; ++d)
            if (!tables[d].identity)
              flag = arith::OrIOp::create(
                  b, l, flag,
                  tensor::ExtractOp::create(b, l, tables[d].outside,
                                            ValueRange{out[d]}));
          return Value(arith::SelectOp::create(b, l, flag,
                                               floatConst(b, l, elem, ev), acc));
        });
    rewriter.replaceOp(op, r);
    return success();
  }
};

struct GatherNDLowering : public OpConversionPattern<GatherNDOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(GatherNDOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto outType = cast<RankedTensorType>(op.getType());
    Value data = adaptor.getInput(), indices = adaptor.getIndices();
    auto dt = tensorType(data);
    auto it = tensorType(indices);
    int64_t b = op.getBatchDims(), r = it.getRank(), k = it.getShape().back();
    Value res = gatherLike(
        rewriter, op.getLoc(), outType, {}, {},
        [&](OpBuilder &bb, Location l, ValueRange, ArrayRef<Value> out) {
          SmallVector<Value> src(out.take_front(b));
          for (int64_t c = 0; c < k; ++c) {
            SmallVector<Value> at(out.take_front(r - 1));
            at.push_back(arith::ConstantIndexOp::create(bb, l, c));
            Value v = tensor::ExtractOp::create(bb, l, indices, at);
            src.push_back(normalizeIndex(bb, l, v, dt.getDimSize(b + c)));
          }
          llvm::append_range(src, out.drop_front(r - 1));
          return tensor::ExtractOp::create(bb, l, data, src).getResult();
        });
    rewriter.replaceOp(op, res);
    return success();
  }
};

struct ScatterLowering : public OpConversionPattern<ScatterOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ScatterOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    Value indices = adaptor.getIndices(), updates = adaptor.getUpdates();
    auto ut = tensorType(updates);
    auto it = tensorType(indices);
    int64_t R = type.getRank(), U = ut.getRank(), axis = op.getAxis();
    bool nd = axis < 0;
    int64_t k = nd ? it.getShape().back() : 0, q = nd ? it.getRank() - 1 : 0;
    MLIRContext *ctx = rewriter.getContext();
    SmallVector<AffineExpr> outExprs, updExprs;
    for (int64_t d = 0; d < R; ++d)
      outExprs.push_back(getAffineDimExpr(d, ctx));
    for (int64_t d = 0; d < U; ++d)
      updExprs.push_back(getAffineDimExpr(R + d, ctx));
    auto outMap = AffineMap::get(R + U, 0, outExprs, ctx);
    auto updMap = AffineMap::get(R + U, 0, updExprs, ctx);
    SmallVector<utils::IteratorType> iters = parallel(R);
    iters.append(U, utils::IteratorType::reduction);
    StringRef red = op.getReduction();
    Type elem = type.getElementType();
    bool isFloat = isa<FloatType>(elem);
    SmallVector<Value> ins = {updates};
    SmallVector<AffineMap> maps = {updMap};
    if (!nd) {
      ins.push_back(indices);
      maps.push_back(updMap);
    }
    maps.push_back(outMap);
    auto g = linalg::GenericOp::create(
        rewriter, op.getLoc(), TypeRange{type}, ins,
        ValueRange{adaptor.getInput()}, maps, iters,
        [&](OpBuilder &b, Location l, ValueRange a) {
          Value acc = a.back(), upd = a[0];
          Value match = arith::ConstantOp::create(b, l, b.getBoolAttr(true));
          auto both = [&](Value c) {
            match = arith::AndIOp::create(b, l, match, c);
          };
          auto eq = [&](Value x, Value y) {
            return arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, x, y);
          };
          if (nd) {
            SmallVector<Value> u;
            for (int64_t d = 0; d < q; ++d)
              u.push_back(linalg::IndexOp::create(b, l, R + d));
            for (int64_t c = 0; c < k; ++c) {
              SmallVector<Value> at(u);
              at.push_back(arith::ConstantIndexOp::create(b, l, c));
              Value v = tensor::ExtractOp::create(b, l, indices, at);
              both(eq(normalizeIndex(b, l, v, type.getDimSize(c)),
                      linalg::IndexOp::create(b, l, c)));
            }
            for (int64_t d = k; d < R; ++d)
              both(eq(linalg::IndexOp::create(b, l, d),
                      linalg::IndexOp::create(b, l, R + q + d - k)));
          } else {
            for (int64_t d = 0; d < R; ++d) {
              Value i = linalg::IndexOp::create(b, l, d);
              Value src = d == axis
                              ? normalizeIndex(b, l, a[1], type.getDimSize(axis))
                              : Value(linalg::IndexOp::create(b, l, R + d));
              both(eq(src, i));
            }
          }
          Value v = upd;
          if (red == "add")
            v = isFloat ? Value(arith::AddFOp::create(b, l, acc, upd))
                        : Value(arith::AddIOp::create(b, l, acc, upd));
          else if (red == "mul")
            v = isFloat ? Value(arith::MulFOp::create(b, l, acc, upd))
                        : Value(arith::MulIOp::create(b, l, acc, upd));
          else if (red == "max")
            v = isFloat ? Value(arith::MaximumFOp::create(b, l, acc, upd))
                        : Value(arith::MaxSIOp::create(b, l, acc, upd));
          else if (red == "min")
            v = isFloat ? Value(arith::MinimumFOp::create(b, l, acc, upd))
                        : Value(arith::MinSIOp::create(b, l, acc, upd));
          linalg::YieldOp::create(
              b, l, Value(arith::SelectOp::create(b, l, match, v, acc)));
        });
    rewriter.replaceOp(op, g.getResult(0));
    return success();
  }
};

struct TopKLowering : public OpConversionPattern<TopKOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(TopKOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    // rank[i] = how many elements come before x[i] (larger, or equal with a
    // smaller index); the j-th output is the element whose rank is j.
    Location loc = op.getLoc();
    Value x = adaptor.getInput();
    auto xt = tensorType(x);
    int64_t R = xt.getRank(), axis = op.getAxis();
    bool largest = op.getLargest();
    MLIRContext *ctx = rewriter.getContext();
    auto id = AffineMap::getMultiDimIdentityMap(R + 1, ctx).getMajorSubMap(R);
    SmallVector<AffineExpr> swapped;
    for (int64_t d = 0; d < R; ++d)
      swapped.push_back(getAffineDimExpr(d == axis ? R : d, ctx));
    auto other = AffineMap::get(R + 1, 0, swapped, ctx);
    SmallVector<utils::IteratorType> iters = parallel(R);
    iters.push_back(utils::IteratorType::reduction);
    Type i64 = rewriter.getI64Type();
    Value zero64 = arith::ConstantOp::create(rewriter, loc, rewriter.getI64IntegerAttr(0));
    Value rankInit = filled(rewriter, loc, xt.getShape(), zero64);
    auto rankT = RankedTensorType::get(xt.getShape(), i64);
    Value ranks = linalg::GenericOp::create(
                      rewriter, loc, TypeRange{rankT}, ValueRange{x, x},
                      ValueRange{rankInit}, ArrayRef<AffineMap>{id, other, id},
                      iters,
                      [&](OpBuilder &b, Location l, ValueRange a) {
                        Value i = linalg::IndexOp::create(b, l, axis);
                        Value m = linalg::IndexOp::create(b, l, R);
                        Value better = arith::CmpFOp::create(
                            b, l,
                            largest ? arith::CmpFPredicate::OGT
                                    : arith::CmpFPredicate::OLT,
                            a[1], a[0]);
                        Value tie = arith::AndIOp::create(
                            b, l,
                            arith::CmpFOp::create(b, l, arith::CmpFPredicate::OEQ,
                                                  a[1], a[0]),
                            arith::CmpIOp::create(b, l, arith::CmpIPredicate::ult,
                                                  m, i));
                        Value before = arith::OrIOp::create(b, l, better, tie);
                        Value one = arith::ConstantOp::create(
                            b, l, b.getI64IntegerAttr(1));
                        Value inc = arith::AddIOp::create(b, l, a[2], one);
                        linalg::YieldOp::create(
                            b, l,
                            Value(arith::SelectOp::create(b, l, before, inc, a[2])));
                      })
                      .getResult(0);
    auto valT = cast<RankedTensorType>(op.getValues().getType());
    auto idxT = cast<RankedTensorType>(op.getIndices().getType());
    Value vInit = filled(rewriter, loc, valT.getShape(),
                         floatConst(rewriter, loc, valT.getElementType(), 0.0));
    Value iInit = filled(rewriter, loc, idxT.getShape(), zero64);
    auto g = linalg::GenericOp::create(
        rewriter, loc, TypeRange{valT, idxT}, ValueRange{x, ranks},
        ValueRange{vInit, iInit}, ArrayRef<AffineMap>{other, other, id, id},
        iters, [&](OpBuilder &b, Location l, ValueRange a) {
          Value j = arith::IndexCastOp::create(b, l, b.getI64Type(),
                                               linalg::IndexOp::create(b, l, axis));
          Value hit = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq,
                                            a[1], j);
          Value src = arith::IndexCastOp::create(b, l, b.getI64Type(),
                                                 linalg::IndexOp::create(b, l, R));
          linalg::YieldOp::create(
              b, l,
              ValueRange{arith::SelectOp::create(b, l, hit, a[0], a[2]),
                         arith::SelectOp::create(b, l, hit, src, a[3])});
        });
    rewriter.replaceOp(op, g.getResults());
    return success();
  }
};

struct EinsumLowering : public OpConversionPattern<EinsumOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(EinsumOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto outType = cast<RankedTensorType>(op.getType());
    auto [lhs, out] = op.getEquation().split("->");
    SmallVector<StringRef> terms;
    lhs.split(terms, ',');
    // Loop dims: output letters, then the summed ones.
    std::string letters = out.str();
    for (StringRef t : terms)
      for (char c : t)
        if (letters.find(c) == std::string::npos)
          letters += c;
    MLIRContext *ctx = rewriter.getContext();
    int64_t n = letters.size();
    SmallVector<AffineMap> maps;
    for (auto [t, v] : llvm::zip(terms, adaptor.getInputs())) {
      auto vt = tensorType(v);
      SmallVector<AffineExpr> e;
      for (auto [c, d] : llvm::zip(t, vt.getShape())) {
        // A size-1 dim against a bigger one broadcasts.
        bool bcast = false;
        if (d == 1)
          for (auto [t2, v2] : llvm::zip(terms, adaptor.getInputs()))
            for (auto [c2, d2] : llvm::zip(t2, tensorType(v2).getShape()))
              if (c2 == c && d2 != 1)
                bcast = true;
        e.push_back(bcast ? getAffineConstantExpr(0, ctx)
                          : getAffineDimExpr(letters.find(c), ctx));
      }
      maps.push_back(AffineMap::get(n, 0, e, ctx));
    }
    SmallVector<AffineExpr> outExprs;
    for (size_t d = 0; d < out.size(); ++d)
      outExprs.push_back(getAffineDimExpr(d, ctx));
    maps.push_back(AffineMap::get(n, 0, outExprs, ctx));
    SmallVector<utils::IteratorType> iters = parallel(out.size());
    iters.append(n - out.size(), utils::IteratorType::reduction);
    Value init = filled(rewriter, op.getLoc(), outType.getShape(),
                        floatConst(rewriter, op.getLoc(), outType.getElementType(), 0.0));
    auto g = linalg::GenericOp::create(
        rewriter, op.getLoc(), TypeRange{outType}, adaptor.getInputs(),
        ValueRange{init}, maps, iters,
        [&](OpBuilder &b, Location l, ValueRange a) {
          Value p = a[0];
          for (Value v : a.drop_front().drop_back())
            p = arith::MulFOp::create(b, l, p, v);
          linalg::YieldOp::create(b, l,
                                  Value(arith::AddFOp::create(b, l, a.back(), p)));
        });
    rewriter.replaceOp(op, g.getResult(0));
    return success();
  }
};

struct ExpandLowering : public OpConversionPattern<ExpandOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ExpandOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(
        op, elementwise(rewriter, op.getLoc(), op.getType(), {adaptor.getInput()},
                        [](OpBuilder &, Location, ValueRange a) { return a[0]; }));
    return success();
  }
};

struct TileLowering : public OpConversionPattern<TileOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(TileOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto outType = cast<RankedTensorType>(op.getType());
    auto inType = tensorType(adaptor.getInput());
    MLIRContext *ctx = rewriter.getContext();
    SmallVector<AffineExpr> exprs;
    for (int64_t d = 0; d < inType.getRank(); ++d)
      exprs.push_back(getAffineDimExpr(d, ctx) % inType.getDimSize(d));
    auto inMap = AffineMap::get(outType.getRank(), 0, exprs, ctx);
    auto outMap = AffineMap::getMultiDimIdentityMap(outType.getRank(), ctx);
    Value init = emptyLike(rewriter, op.getLoc(), outType.getShape(),
                           outType.getElementType());
    auto g = linalg::GenericOp::create(
        rewriter, op.getLoc(), TypeRange{outType}, ValueRange{adaptor.getInput()},
        ValueRange{init}, ArrayRef<AffineMap>{inMap, outMap},
        parallel(outType.getRank()), [](OpBuilder &b, Location l, ValueRange a) {
          linalg::YieldOp::create(b, l, a[0]);
        });
    rewriter.replaceOp(op, g.getResult(0));
    return success();
  }
};

struct PadLowering : public OpConversionPattern<PadOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(PadOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto outType = cast<RankedTensorType>(op.getType());
    Value x = adaptor.getInput();
    auto inType = tensorType(x);
    int64_t rank = inType.getRank();
    ArrayRef<int64_t> pads = op.getPads();
    Location loc = op.getLoc();
    if (op.getMode() == "constant") {
      SmallVector<OpFoldResult> low, high;
      for (int64_t d = 0; d < rank; ++d) {
        low.push_back(rewriter.getIndexAttr(pads[d]));
        high.push_back(rewriter.getIndexAttr(pads[d + rank]));
      }
      Value v = scalarConst(rewriter, loc, outType.getElementType(),
                            op.getValue().convertToDouble());
      rewriter.replaceOpWithNewOp<tensor::PadOp>(op, outType, x, low, high, v);
      return success();
    }
    bool reflect = op.getMode() == "reflect";
    Value r = gatherLike(
        rewriter, loc, outType, {}, {},
        [&](OpBuilder &b, Location l, ValueRange, ArrayRef<Value> out) {
          SmallVector<Value> src;
          for (int64_t d = 0; d < rank; ++d) {
            int64_t n = inType.getDimSize(d);
            Value i = arith::SubIOp::create(
                b, l, out[d], arith::ConstantIndexOp::create(b, l, pads[d]));
            Value zero = arith::ConstantIndexOp::create(b, l, 0);
            Value last = arith::ConstantIndexOp::create(b, l, n - 1);
            if (reflect) {
              // i < 0 -> -i; i > n-1 -> 2(n-1) - i
              Value negI = arith::SubIOp::create(b, l, zero, i);
              i = arith::MaxSIOp::create(b, l, i, negI);
              Value twice = arith::ConstantIndexOp::create(b, l, 2 * (n - 1));
              i = arith::MinSIOp::create(b, l, i,
                                         arith::SubIOp::create(b, l, twice, i));
            }
            i = arith::MaxSIOp::create(b, l, i, zero);
            i = arith::MinSIOp::create(b, l, i, last);
            src.push_back(i);
          }
          return tensor::ExtractOp::create(b, l, x, src).getResult();
        });
    rewriter.replaceOp(op, r);
    return success();
  }
};

struct TriluLowering : public OpConversionPattern<TriluOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(TriluOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    int64_t rank = type.getRank();
    if (rank < 2)
      return rewriter.notifyMatchFailure(op, "Trilu needs rank >= 2");
    int64_t k = op.getK();
    bool upper = op.getUpper();
    Value r = elementwise(
        rewriter, op.getLoc(), type, {adaptor.getInput()},
        [&](OpBuilder &b, Location l, ValueRange a) {
          Value i = linalg::IndexOp::create(b, l, rank - 2);
          Value j = linalg::IndexOp::create(b, l, rank - 1);
          // keep when j - i >= k (upper) or j - i <= k (lower)
          Value diff = arith::SubIOp::create(b, l, j, i);
          Value kk = arith::ConstantIndexOp::create(b, l, k);
          Value keep = arith::CmpIOp::create(
              b, l, upper ? arith::CmpIPredicate::sge : arith::CmpIPredicate::sle,
              diff, kk);
          return arith::SelectOp::create(
              b, l, keep, a[0], scalarConst(b, l, type.getElementType(), 0));
        });
    rewriter.replaceOp(op, r);
    return success();
  }
};

struct ConvertEdgeToLinalg
    : public edge::impl::ConvertEdgeToLinalgBase<ConvertEdgeToLinalg> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    ConversionTarget target(*ctx);
    target.addIllegalDialect<EdgeDialect>();
    target.addLegalDialect<linalg::LinalgDialect, tensor::TensorDialect,
                           arith::ArithDialect, math::MathDialect,
                           func::FuncDialect>();
    RewritePatternSet patterns(ctx);
    patterns.add<AddOpLowering, SubOpLowering, MulOpLowering, DivOpLowering,
                 PowOpLowering, ReluOpLowering, SigmoidOpLowering,
                 TanhOpLowering, SqrtOpLowering, ExpOpLowering,
                 HardSwishOpLowering, LeakyReluOpLowering,
                 HardSigmoidOpLowering, ClipOpLowering, BatchNormLowering,
                 ElementwiseLowering,
                 ConvLowering, GemmLowering, MatMulLowering, MaxPoolLowering,
                 AvgPoolLowering, ReduceLowering<ReduceMeanOp, ReduceKind::Mean>,
                 ReduceLowering<ReduceSumOp, ReduceKind::Sum>,
                 ReduceLowering<ReduceMaxOp, ReduceKind::Max>,
                 ReduceLowering<ReduceMinOp, ReduceKind::Min>,
                 ReduceLowering<ReduceProdOp, ReduceKind::Prod>,
                 ArgLowering<ArgMaxOp, true>, ArgLowering<ArgMinOp, false>,
                 LogSoftmaxLowering, HardmaxLowering, SoftmaxLowering,
                 GatherLowering, GatherElementsLowering, ExpandLowering,
                 CumSumLowering, ResizeLowering, GatherNDLowering,
                 ScatterLowering, TopKLowering, EinsumLowering, TileLowering, PadLowering,
                 TriluLowering,
                 ConstantLowering, ReshapeLowering, TransposeLowering,
                 ConcatLowering, SliceLowering>(ctx);
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      return signalPassFailure();
    separateRepeatedResults();
    allowReassociatedReductions();
  }

  /// Sums and products inside reductions (matmul, gemm, reduce, softmax
  /// denominators) may be reassociated and contracted to FMAs, as every BLAS
  /// does: without it LLVM cannot vectorize a floating-point reduction.
  /// Elementwise code keeps strict IEEE order.
  void allowReassociatedReductions() {
    auto flags = arith::FastMathFlags::reassoc | arith::FastMathFlags::contract;
    getOperation()->walk([&](linalg::GenericOp op) {
      if (op.getNumReductionLoops() == 0)
        return;
      op.getRegion().walk([&](Operation *inner) {
        if (isa<arith::AddFOp, arith::MulFOp>(inner))
          inner->setAttr("fastmath",
                         arith::FastMathFlagsAttr::get(inner->getContext(), flags));
      });
    });
  }

  /// A value returned more than once (two graph outputs naming one tensor,
  /// or CSE'd empty tensors) gets a copy per extra use: every result must
  /// own its buffer, since each becomes a separate caller-provided output.
  void separateRepeatedResults() {
    getOperation()->walk([](func::ReturnOp ret) {
      llvm::SmallPtrSet<Value, 8> seen;
      OpBuilder b(ret);
      for (OpOperand &operand : ret->getOpOperands()) {
        Value v = operand.get();
        auto type = dyn_cast<RankedTensorType>(v.getType());
        if (!type || seen.insert(v).second)
          continue;
        operand.set(bufferization::AllocTensorOp::create(
            b, ret.getLoc(), type, ValueRange{}, /*copy=*/v));
      }
    });
  }
};
} // namespace
