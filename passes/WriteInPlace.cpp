//===- WriteInPlace.cpp - tensor IR arranged for in-place bufferization ---===//
//
// Two value-preserving rewrites before empty-tensor elimination and one-shot
// bufferization (see Passes.td): elementwise ops take a dying input as their
// init, and insert_slice chains into a fresh tensor (concatenation, padding)
// move next to the producers of their sources.
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Dominance.h"
#include "mlir/IR/Matchers.h"

namespace edge {
#define GEN_PASS_DEF_WRITEINPLACE
#include "passes/Passes.h.inc"
} // namespace edge

using namespace mlir;

namespace {
/// True when `v` may be overwritten once its only reader is done: not a
/// function argument (read-only user buffer) and not a constant.
bool isScratch(Value v) {
  if (isa<BlockArgument>(v))
    return false;
  return !matchPattern(v, m_Constant());
}

void reuseDyingInputs(func::FuncOp func) {
  func.walk([](linalg::GenericOp op) {
    if (op.getNumDpsInits() != 1 || !op.hasPureTensorSemantics() ||
        op.getNumReductionLoops() != 0)
      return;
    OpOperand *init = op.getDpsInitOperand(0);
    if (!init->get().getDefiningOp<tensor::EmptyOp>() ||
        op.payloadUsesValueFromOperand(init))
      return;
    AffineMap outMap = op.getMatchingIndexingMap(init);
    if (!outMap.isPermutation())
      return;
    Type resultType = op->getResult(0).getType();
    for (OpOperand *in : op.getDpsInputOperands()) {
      Value v = in->get();
      if (v.getType() != resultType || !v.hasOneUse() || !isScratch(v) ||
          op.getMatchingIndexingMap(in) != outMap)
        continue;
      init->set(v);
      return;
    }
  });
}

/// An init produced once and written by several ops (CSE merges identical
/// bias broadcasts or fills) would make bufferization copy it for every
/// writer but one; each writer gets its own clone of the producer instead,
/// right before it.
void unshareInits(func::FuncOp func) {
  SmallVector<OpOperand *> shared;
  func.walk([&](DestinationStyleOpInterface op) {
    if (!op.hasPureTensorSemantics())
      return;
    for (OpOperand &init : op.getDpsInitsMutable()) {
      Operation *def = init.get().getDefiningOp();
      if (def && !init.get().hasOneUse() &&
          isa<linalg::FillOp, linalg::GenericOp>(def) &&
          def->getNumResults() == 1 && def->getBlock() == op->getBlock())
        shared.push_back(&init);
    }
  });
  DenseSet<Operation *> keptFirst;
  for (OpOperand *init : shared) {
    Operation *def = init->get().getDefiningOp();
    if (keptFirst.insert(def).second)
      continue; // the first writer keeps the original
    OpBuilder b(init->getOwner());
    init->set(b.clone(*def)->getResult(0));
  }
}

/// The later of two ops of `block` in program order (null = block start).
Operation *later(Operation *a, Operation *b) {
  if (!a)
    return b;
  if (!b)
    return a;
  return a->isBeforeInBlock(b) ? b : a;
}

/// The first op of the destination-passing chain that computes `v` (the op
/// writing the tensor.empty it started from), or null.
Operation *chainStart(Value v, Block &body) {
  Operation *start = nullptr;
  while (auto res = dyn_cast<OpResult>(v)) {
    auto dps = dyn_cast<DestinationStyleOpInterface>(res.getOwner());
    if (!dps || dps->getBlock() != &body)
      break;
    OpOperand *tied = dps.getTiedOpOperand(res);
    if (!tied)
      break;
    start = dps;
    v = tied->get();
  }
  return start;
}

void hoistInsertChains(func::FuncOp func) {
  Block &body = func.getBody().front();
  // Chain heads: inserts whose destination is a fresh tensor, directly or
  // through a linalg.fill of one (padding).
  SmallVector<tensor::InsertSliceOp> heads;
  for (auto ins : body.getOps<tensor::InsertSliceOp>()) {
    Value dest = ins.getDest();
    if (auto fill = dest.getDefiningOp<linalg::FillOp>())
      dest = fill.getOutputs()[0];
    if (dest.getDefiningOp<tensor::EmptyOp>() && ins.getDest().hasOneUse())
      heads.push_back(ins);
  }
  for (tensor::InsertSliceOp head : heads) {
    // The fresh tensor (and its fill) go right before the first op writing
    // the first source, so they live no longer than needed.
    Value dest = head.getDest();
    auto fill = dest.getDefiningOp<linalg::FillOp>();
    auto empty = (fill ? fill.getOutputs()[0] : dest).getDefiningOp<tensor::EmptyOp>();
    if (empty->getBlock() != &body || empty->getNumOperands() != 0 ||
        (fill && (fill->getBlock() != &body || !empty->hasOneUse())))
      continue;
    Operation *start = chainStart(head.getSource(), body);
    if (!start || (fill && fill.getInputs()[0].getDefiningOp() &&
                   !fill.getInputs()[0].getDefiningOp()->isBeforeInBlock(start)))
      continue;
    empty->moveBefore(start);
    Operation *cursor = empty;
    if (fill) {
      fill->moveAfter(empty);
      cursor = fill;
    }
    // Each insert right after its source (and after the previous insert).
    tensor::InsertSliceOp ins = head;
    while (ins) {
      if (llvm::any_of(ins->getOperands().drop_front(2),
                       [](Value v) { return true; }))
        break; // dynamic offsets: leave the rest alone
      Operation *src = ins.getSource().getDefiningOp();
      if (src && src->getBlock() != &body)
        break;
      cursor = later(cursor, src);
      ins->moveAfter(cursor);
      cursor = ins;
      Value result = ins.getResult();
      if (!result.hasOneUse())
        break;
      ins = dyn_cast<tensor::InsertSliceOp>(*result.getUsers().begin());
      if (ins && ins.getDest() != result)
        break;
    }
  }
}

struct WriteInPlace : public edge::impl::WriteInPlaceBase<WriteInPlace> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isDeclaration())
      return;
    unshareInits(func);
    reuseDyingInputs(func);
    hoistInsertChains(func);
  }
};
} // namespace
