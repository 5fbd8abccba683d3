//===- VectorBody.cpp - a scalar linalg body run on vectors ---------------===//
#include "passes/VectorBody.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;

bool edge::isVectorizableBody(Block &body, Operation *anchor) {
  for (Operation &op : body.without_terminator()) {
    if (op.getNumRegions() ||
        !isa<arith::ArithDialect, math::MathDialect>(op.getDialect()))
      return false;
    for (Type t : op.getResultTypes())
      if (!t.isIntOrFloat())
        return false;
    for (Value v : op.getOperands())
      if (Operation *def = v.getDefiningOp())
        if (def->getBlock() == anchor->getBlock() &&
            anchor->isBeforeInBlock(def) &&
            !def->hasTrait<OpTrait::ConstantLike>())
          return false;
  }
  return true;
}

Value edge::vectorizeBody(OpBuilder &b, Location loc, Block &body,
                          ArrayRef<Value> args, int64_t lanes) {
  IRMapping map;
  for (auto [a, v] : llvm::zip(body.getArguments(), args))
    if (v)
      map.map(a, v);
  auto vec = [&](Value v) -> Value {
    if (Value m = map.lookupOrNull(v))
      return m;
    // Defined outside the body: a scalar to splat (constants are cloned,
    // they may be defined after the insertion point).
    if (Operation *def = v.getDefiningOp();
        def && def->hasTrait<OpTrait::ConstantLike>())
      v = b.clone(*def)->getResult(0);
    Value s = vector::BroadcastOp::create(
        b, loc, VectorType::get({lanes}, v.getType()), v);
    return s;
  };
  for (Operation &op : body.without_terminator()) {
    for (Value operand : op.getOperands())
      map.map(operand, vec(operand));
    Operation *c = b.clone(op, map);
    for (OpResult r : c->getResults())
      r.setType(VectorType::get({lanes}, r.getType()));
    map.map(op.getResults(), c->getResults());
  }
  return vec(body.getTerminator()->getOperand(0));
}

void edge::emitBlocked(OpBuilder &b, Location loc, int64_t total, int64_t step,
                       function_ref<void(OpBuilder &, Value, int64_t)> body) {
  auto idx = [&](OpBuilder &bb, int64_t v) -> Value {
    return arith::ConstantIndexOp::create(bb, loc, v);
  };
  int64_t full = total / step * step;
  if (full > 0)
    scf::ForOp::create(b, loc, idx(b, 0), idx(b, full), idx(b, step),
                       ValueRange{},
                       [&](OpBuilder &ib, Location, Value start, ValueRange) {
                         body(ib, start, step);
                         scf::YieldOp::create(ib, loc);
                       });
  if (total > full)
    body(b, idx(b, full), total - full);
}

std::optional<vector::CombiningKind> edge::combiningKind(Operation *op) {
  using K = vector::CombiningKind;
  auto reassoc = [&](arith::FastMathFlags f) {
    return arith::bitEnumContainsAll(f, arith::FastMathFlags::reassoc);
  };
  if (auto a = dyn_cast<arith::AddFOp>(op))
    return reassoc(a.getFastmath()) ? std::optional<K>(K::ADD) : std::nullopt;
  if (auto m = dyn_cast<arith::MulFOp>(op))
    return reassoc(m.getFastmath()) ? std::optional<K>(K::MUL) : std::nullopt;
  return llvm::TypeSwitch<Operation *, std::optional<K>>(op)
      .Case<arith::MaximumFOp>([](auto) { return K::MAXIMUMF; })
      .Case<arith::MinimumFOp>([](auto) { return K::MINIMUMF; })
      .Case<arith::MaxNumFOp>([](auto) { return K::MAXNUMF; })
      .Case<arith::MinNumFOp>([](auto) { return K::MINNUMF; })
      .Case<arith::AddIOp>([](auto) { return K::ADD; })
      .Case<arith::MulIOp>([](auto) { return K::MUL; })
      .Case<arith::MaxSIOp>([](auto) { return K::MAXSI; })
      .Case<arith::MinSIOp>([](auto) { return K::MINSI; })
      .Case<arith::MaxUIOp>([](auto) { return K::MAXUI; })
      .Case<arith::MinUIOp>([](auto) { return K::MINUI; })
      .Case<arith::AndIOp>([](auto) { return K::AND; })
      .Case<arith::OrIOp>([](auto) { return K::OR; })
      .Case<arith::XOrIOp>([](auto) { return K::XOR; })
      .Default([](Operation *) { return std::nullopt; });
}


SmallVector<Value> edge::emitLoopNest(
    OpBuilder &b, Location loc, ArrayRef<int64_t> ranges, ValueRange inits,
    function_ref<SmallVector<Value>(OpBuilder &, ValueRange, ValueRange)>
        body) {
  SmallVector<Value> ivs;
  std::function<SmallVector<Value>(OpBuilder &, ValueRange)> nest =
      [&](OpBuilder &nb, ValueRange iters) -> SmallVector<Value> {
    if (ivs.size() == ranges.size())
      return body(nb, ivs, iters);
    auto idx = [&](int64_t v) -> Value {
      return arith::ConstantIndexOp::create(nb, loc, v);
    };
    auto loop = scf::ForOp::create(
        nb, loc, idx(0), idx(ranges[ivs.size()]), idx(1), iters,
        [&](OpBuilder &lb, Location, Value iv, ValueRange inner) {
          ivs.push_back(iv);
          scf::YieldOp::create(lb, loc, nest(lb, inner));
          ivs.pop_back();
        });
    return SmallVector<Value>(loop.getResults());
  };
  return nest(b, inits);
}

Value edge::loadStrided(OpBuilder &b, Location loc, Value mem,
                        ValueRange indices, VectorType vt, int64_t lanes,
                        int64_t stride) {
  int64_t vw = vt.getNumElements(), span = (lanes - 1) * stride + 1;
  auto wide = VectorType::get({stride * vw}, vt.getElementType());
  Value v;
  if (span == stride * vw) {
    v = vector::LoadOp::create(b, loc, wide, mem, indices);
  } else {
    Value mask = vector::ConstantMaskOp::create(
        b, loc, VectorType::get({stride * vw}, b.getI1Type()),
        ArrayRef<int64_t>{span});
    Value zeros = arith::ConstantOp::create(b, loc, wide, b.getZeroAttr(wide));
    v = vector::MaskedLoadOp::create(b, loc, wide, mem, indices, mask, zeros);
  }
  return stridePhase(b, loc, v, 0, stride, vw);
}

Value edge::stridePhase(OpBuilder &b, Location loc, Value wide, int64_t phase,
                        int64_t stride, int64_t lanes) {
  if (stride == 1)
    return wide;
  SmallVector<int64_t> pick;
  for (int64_t i = 0; i < lanes; ++i)
    pick.push_back(phase + i * stride);
  return vector::ShuffleOp::create(b, loc, wide, wide, pick);
}

Value edge::shiftLanes(OpBuilder &b, Location loc, Value lo, Value hi,
                       int64_t shift, int64_t lanes) {
  SmallVector<int64_t> pick;
  for (int64_t i = 0; i < lanes; ++i)
    pick.push_back(shift + i);
  return vector::ShuffleOp::create(b, loc, lo, hi, pick);
}

FailureOr<SmallVector<float>> edge::f32Values(Attribute attr) {
  if (auto dense = dyn_cast<DenseElementsAttr>(attr)) {
    if (!dense.getElementType().isF32())
      return failure();
    return SmallVector<float>(dense.getValues<float>());
  }
  if (auto res = dyn_cast<DenseF32ResourceElementsAttr>(attr))
    if (auto data = res.tryGetAsArrayRef())
      return SmallVector<float>(data->begin(), data->end());
  return failure();
}

Operation *edge::reductionCombiner(Block &body) {
  BlockArgument out = body.getArguments().back();
  Operation *comb = body.getTerminator()->getOperand(0).getDefiningOp();
  if (!comb || comb->getBlock() != &body || comb->getNumOperands() != 2 ||
      !out.hasOneUse() || !llvm::is_contained(comb->getOperands(), out) ||
      comb->getOperand(0) == comb->getOperand(1) || !combiningKind(comb) ||
      !arith::getNeutralElement(comb))
    return nullptr;
  return comb;
}
