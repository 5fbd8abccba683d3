//===- PlanArena.cpp - static memory plan ---------------------------------===//
//
// Every intermediate buffer of the model function gets a fixed offset in one
// arena that the caller provides. Live ranges are measured in top-level ops
// of the function body (after bufferization the body is straight-line code),
// and buffers are placed greedily, largest first, at the lowest aligned
// offset free for their whole live range.
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "llvm/ADT/STLExtras.h"

namespace edge {
#define GEN_PASS_DEF_PLANARENA
#include "passes/Passes.h.inc"
} // namespace edge

using namespace mlir;

namespace {
struct Buffer {
  memref::AllocOp alloc;
  int64_t bytes = 0;
  int64_t first = 0, last = 0; // live range in top-level op positions
  int64_t offset = -1;
};

int64_t alignTo(int64_t v, int64_t a) { return (v + a - 1) / a * a; }

/// Live range of `alloc`: from its own position to the last top-level op that
/// uses it or any view of it.
LogicalResult computeLiveRange(Buffer &buf, Block &body,
                               const DenseMap<Operation *, int64_t> &pos) {
  Operation *top = body.findAncestorOpInBlock(*buf.alloc);
  buf.first = buf.last = pos.lookup(top);
  SmallVector<Value> worklist = {buf.alloc.getResult()};
  while (!worklist.empty()) {
    Value v = worklist.pop_back_val();
    for (OpOperand &use : v.getUses()) {
      Operation *user = use.getOwner();
      if (isa<memref::DeallocOp>(user))
        continue; // the planner owns the lifetime; deallocs are erased
      Operation *anc = body.findAncestorOpInBlock(*user);
      if (!anc)
        return buf.alloc.emitError("buffer used outside the model function");
      if (anc->hasTrait<OpTrait::IsTerminator>())
        return buf.alloc.emitError(
            "buffer escapes the model function; run "
            "buffer-results-to-out-params first");
      buf.last = std::max(buf.last, pos.lookup(anc));
      if (auto view = dyn_cast<ViewLikeOpInterface>(user))
        if (view.getViewSource() == v)
          llvm::append_range(worklist, user->getResults());
    }
  }
  return success();
}

struct PlanArena : public edge::impl::PlanArenaBase<PlanArena> {
  using Base::Base;

  LogicalResult planFunction(func::FuncOp func, int64_t &arenaSize) {
    Block &body = func.getBody().front();
    DenseMap<Operation *, int64_t> pos;
    int64_t i = 0;
    for (Operation &op : body)
      pos[&op] = i++;

    std::vector<Buffer> buffers;
    WalkResult walk = func.walk([&](memref::AllocOp alloc) {
      MemRefType type = alloc.getType();
      if (!type.hasStaticShape() || !type.getLayout().isIdentity()) {
        alloc.emitError("cannot plan a buffer of dynamic shape or non-identity "
                        "layout: ")
            << type;
        return WalkResult::interrupt();
      }
      Buffer buf;
      buf.alloc = alloc;
      int64_t elemBytes =
          std::max<int64_t>(1, (type.getElementTypeBitWidth() + 7) / 8);
      buf.bytes = std::max<int64_t>(1, type.getNumElements() * elemBytes);
      if (failed(computeLiveRange(buf, body, pos)))
        return WalkResult::interrupt();
      buffers.push_back(buf);
      return WalkResult::advance();
    });
    if (walk.wasInterrupted())
      return failure();

    // Largest first; ties broken by program order so the plan is
    // deterministic.
    std::vector<size_t> order(buffers.size());
    for (size_t k = 0; k < order.size(); ++k)
      order[k] = k;
    llvm::stable_sort(order, [&](size_t a, size_t b) {
      return buffers[a].bytes > buffers[b].bytes;
    });
    std::vector<size_t> placed;
    arenaSize = 0;
    for (size_t k : order) {
      Buffer &buf = buffers[k];
      SmallVector<std::pair<int64_t, int64_t>> busy; // [offset, end)
      for (size_t p : placed) {
        const Buffer &o = buffers[p];
        if (o.first <= buf.last && buf.first <= o.last)
          busy.push_back({o.offset, o.offset + o.bytes});
      }
      llvm::sort(busy);
      int64_t offset = 0;
      for (auto [b, e] : busy) {
        if (offset + buf.bytes <= b)
          break;
        offset = std::max(offset, alignTo(e, alignment));
      }
      buf.offset = offset;
      arenaSize = std::max(arenaSize, offset + buf.bytes);
      placed.push_back(k);
    }
    arenaSize = alignTo(arenaSize, alignment);

    // Rewrite: a trailing arena argument and a view per buffer.
    MLIRContext *ctx = func.getContext();
    auto arenaType = MemRefType::get({arenaSize}, IntegerType::get(ctx, 8));
    unsigned argIndex = func.getNumArguments();
    if (failed(func.insertArgument(argIndex, arenaType, {}, func.getLoc())))
      return failure();
    Value arena = func.getArgument(argIndex);
    for (Buffer &buf : buffers) {
      OpBuilder b(buf.alloc);
      Value offset =
          arith::ConstantIndexOp::create(b, buf.alloc.getLoc(), buf.offset);
      Value view = memref::ViewOp::create(b, buf.alloc.getLoc(),
                                          buf.alloc.getType(), arena, offset,
                                          ValueRange{});
      for (Operation *user : llvm::make_early_inc_range(buf.alloc->getUsers()))
        if (isa<memref::DeallocOp>(user))
          user->erase();
      buf.alloc.replaceAllUsesWith(view);
      buf.alloc.erase();
    }
    return success();
  }

  /// Arguments without elements (a dimension of 0) become memref<0xT>
  /// viewed back through memref.expand_shape: func-to-llvm's bare-pointer
  /// convention rejects multi-dimensional empty memrefs.
  static void flattenEmptyArguments(func::FuncOp func) {
    Block &entry = func.getBody().front();
    OpBuilder b = OpBuilder::atBlockBegin(&entry);
    SmallVector<Type> argTypes(func.getArgumentTypes());
    for (BlockArgument arg : entry.getArguments()) {
      auto type = dyn_cast<MemRefType>(arg.getType());
      if (!type || !type.hasStaticShape() || type.getNumElements() != 0 ||
          type.getRank() < 2 || !type.getLayout().isIdentity())
        continue;
      auto flat = MemRefType::get({0}, type.getElementType());
      arg.setType(flat);
      argTypes[arg.getArgNumber()] = flat;
      ReassociationIndices all;
      for (int64_t d = 0; d < type.getRank(); ++d)
        all.push_back(d);
      auto view = memref::ExpandShapeOp::create(
          b, func.getLoc(), type.getShape(), arg,
          ArrayRef<ReassociationIndices>{all});
      arg.replaceAllUsesExcept(view.getResult(), view);
    }
    func.setFunctionType(
        FunctionType::get(func.getContext(), argTypes,
                          func.getFunctionType().getResults()));
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    int64_t total = 0;
    for (auto func : module.getOps<func::FuncOp>()) {
      if (func.isDeclaration())
        continue;
      flattenEmptyArguments(func);
      int64_t size = 0;
      if (failed(planFunction(func, size)))
        return signalPassFailure();
      total = std::max(total, size);
    }
    module->setAttr("edge.arena_size",
                    IntegerAttr::get(IntegerType::get(&getContext(), 64), total));
  }
};
} // namespace
