//===- VectorBody.cpp - a scalar linalg body run on vectors ---------------===//
#include "passes/VectorBody.h"

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

