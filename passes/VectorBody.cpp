//===- VectorBody.cpp - a scalar linalg body run on vectors ---------------===//
#include "passes/VectorBody.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/IRMapping.h"

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
