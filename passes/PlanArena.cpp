//===- PlanArena.cpp - static memory plan ---------------------------------===//
//
// Every intermediate buffer of the model function gets a fixed offset in one
// arena that the caller provides. Live ranges are measured in top-level ops
// of the function body (after bufferization the body is straight-line code),
// from the first op that touches a buffer (or a view of it) to the last.
//
// Before placing, two rewrites shrink what must be placed:
//  - output forwarding: a buffer whose last use is a copy into a model
//    output becomes a view of that output (the result is computed in the
//    caller's buffer);
//  - in-place elementwise: an all-parallel linalg.generic that reads buffer
//    A for the last time and writes a fresh buffer B element by element
//    (same type, same permutation map) writes over A instead.
// Then several placement orders are tried (largest first, longest-lived
// first, program order, best fit) and the smallest arena wins.
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "llvm/ADT/STLExtras.h"
#include <random>

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

int64_t byteSize(MemRefType type) {
  int64_t elemBytes =
      std::max<int64_t>(1, (type.getElementTypeBitWidth() + 7) / 8);
  return type.getNumElements() * elemBytes;
}

bool isViewOf(Operation *user, Value v) {
  auto view = dyn_cast<ViewLikeOpInterface>(user);
  return view && view.getViewSource() == v;
}

/// Calls `fn(topLevelOp, user)` for every op that touches `root` or a view of
/// it (views themselves, which touch no memory, and deallocs are skipped).
LogicalResult forEachAccess(Value root, Block &body,
                            function_ref<LogicalResult(Operation *, Operation *)> fn) {
  SmallVector<Value> worklist = {root};
  while (!worklist.empty()) {
    Value v = worklist.pop_back_val();
    for (OpOperand &use : v.getUses()) {
      Operation *user = use.getOwner();
      if (isa<memref::DeallocOp>(user))
        continue;
      if (isViewOf(user, v)) {
        llvm::append_range(worklist, user->getResults());
        continue;
      }
      if (failed(fn(body.findAncestorOpInBlock(*user), user)))
        return failure();
    }
  }
  return success();
}

/// Live range of `buf`: the first and last top-level ops touching it.
LogicalResult computeLiveRange(Buffer &buf, Block &body,
                               const DenseMap<Operation *, int64_t> &pos) {
  int64_t allocPos = pos.lookup(body.findAncestorOpInBlock(*buf.alloc));
  buf.first = std::numeric_limits<int64_t>::max();
  buf.last = allocPos;
  LogicalResult r = forEachAccess(
      buf.alloc.getResult(), body, [&](Operation *top, Operation *user) -> LogicalResult {
        if (!top)
          return buf.alloc.emitError("buffer used outside the model function");
        if (top->hasTrait<OpTrait::IsTerminator>())
          return buf.alloc.emitError(
              "buffer escapes the model function; run "
              "buffer-results-to-out-params first");
        int64_t p = pos.lookup(top);
        buf.first = std::min(buf.first, p);
        buf.last = std::max(buf.last, p);
        return success();
      });
  if (buf.first > buf.last)
    buf.first = buf.last = allocPos; // never touched
  return r;
}

/// The `a` into which an elementwise `op` may write the result it would
/// write into the fresh buffer `b`: `a` is read for the last time by `op`,
/// once, through the same permutation map as `b`, and has `b`'s type.
memref::AllocOp inplaceSource(linalg::GenericOp op, memref::AllocOp b,
                              const DenseMap<Operation *, int64_t> &pos,
                              Block &body) {
  if (op.getNumReductionLoops() != 0 || op.getNumDpsInits() != 1 ||
      op.getDpsInitOperand(0)->get() != b.getResult())
    return nullptr;
  AffineMap outMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  if (!outMap.isPermutation())
    return nullptr;
  int64_t here = pos.lookup(body.findAncestorOpInBlock(*op));
  for (OpOperand *in : op.getDpsInputOperands()) {
    auto a = in->get().getDefiningOp<memref::AllocOp>();
    if (!a || a == b || a.getType() != b.getType() ||
        op.getMatchingIndexingMap(in) != outMap)
      continue;
    // Read once here and never after; touched by nothing else in this op.
    bool ok = true;
    int64_t readsHere = 0;
    (void)forEachAccess(a.getResult(), body, [&](Operation *top, Operation *user) {
      int64_t p = pos.lookup(top);
      if (user == op.getOperation()) {
        ++readsHere;
      } else if (p >= here) {
        ok = false;
      }
      return success();
    });
    if (ok && readsHere == 1 && llvm::count(op->getOperands(), a.getResult()) == 1)
      return a;
  }
  return nullptr;
}

/// Places `buffers` in `order`, each at the lowest (or, with `bestFit`, the
/// tightest) aligned gap free for its whole live range. Returns the size.
int64_t place(std::vector<Buffer> &buffers, ArrayRef<size_t> order,
              int64_t alignment, bool bestFit) {
  std::vector<size_t> placed;
  int64_t size = 0;
  for (size_t k : order) {
    Buffer &buf = buffers[k];
    SmallVector<std::pair<int64_t, int64_t>> busy; // [offset, end)
    for (size_t p : placed) {
      const Buffer &o = buffers[p];
      if (o.first <= buf.last && buf.first <= o.last)
        busy.push_back({o.offset, o.offset + o.bytes});
    }
    llvm::sort(busy);
    int64_t offset = 0, best = -1, bestGap = std::numeric_limits<int64_t>::max();
    for (auto [b, e] : busy) {
      if (offset + buf.bytes <= b) {
        if (!bestFit) {
          best = offset;
          break;
        }
        if (b - offset < bestGap) {
          bestGap = b - offset;
          best = offset;
        }
      }
      offset = std::max(offset, alignTo(e, alignment));
    }
    buf.offset = best >= 0 ? best : offset;
    size = std::max(size, buf.offset + buf.bytes);
    placed.push_back(k);
  }
  return alignTo(size, alignment);
}

/// Names in a location (NameLoc names, through FusedLoc and CallSiteLoc),
/// outermost first, joined by ','.
void collectNames(Location loc, SmallVectorImpl<std::string> &names) {
  if (auto n = dyn_cast<NameLoc>(loc)) {
    std::string s = n.getName().str();
    if (!llvm::is_contained(names, s))
      names.push_back(s);
    return;
  }
  if (auto f = dyn_cast<FusedLoc>(loc))
    for (Location l : f.getLocations())
      collectNames(l, names);
}

struct PlanArena : public edge::impl::PlanArenaBase<PlanArena> {
  using Base::Base;

  struct Plan {
    int64_t arena = 0, lowerBound = 0, noReuse = 0;
    std::string strategy = "none";
    SmallVector<Attribute> buffers;
  };

  /// Output forwarding: `copy(B or a reshape of B, out)` as B's last access,
  /// with `out` a function argument touched only later, makes B a view of
  /// `out`. Returns how many buffers were forwarded.
  static int forwardOutputs(func::FuncOp func,
                            const DenseMap<Operation *, int64_t> &pos) {
    Block &body = func.getBody().front();
    int forwarded = 0;
    SmallVector<memref::CopyOp> copies;
    for (auto copy : body.getOps<memref::CopyOp>())
      copies.push_back(copy);
    for (memref::CopyOp copy : copies) {
      auto out = dyn_cast<BlockArgument>(copy.getTarget());
      if (!out || out.getOwner() != &body)
        continue;
      Value src = copy.getSource();
      while (auto op = src.getDefiningOp())
        if (isa<memref::ExpandShapeOp, memref::CollapseShapeOp>(op))
          src = op->getOperand(0);
        else
          break;
      auto alloc = src.getDefiningOp<memref::AllocOp>();
      auto outType = dyn_cast<MemRefType>(out.getType());
      if (!alloc || !outType || !outType.getLayout().isIdentity() ||
          outType.getRank() == 0 || alloc.getType().getRank() == 0 ||
          byteSize(outType) != byteSize(alloc.getType()) ||
          outType.getElementType() != alloc.getType().getElementType())
        continue;
      int64_t here = pos.lookup(copy);
      bool lastUse = true;
      (void)forEachAccess(alloc.getResult(), body, [&](Operation *top, Operation *) {
        if (top != copy && pos.lookup(top) >= here)
          lastUse = false;
        return success();
      });
      bool outFree = llvm::all_of(out.getUsers(), [&](Operation *u) {
        Operation *top = body.findAncestorOpInBlock(*u);
        return u == copy || pos.lookup(top) > here;
      });
      if (!lastUse || !outFree)
        continue;
      // B := out, reshaped to B's type through 1-D.
      OpBuilder b(alloc);
      b.setInsertionPointToStart(&body);
      Location loc = alloc.getLoc();
      ReassociationIndices all;
      Value view = out;
      MemRefType bType = alloc.getType();
      if (outType != bType && outType.getRank() != 1) {
        for (int64_t d = 0; d < outType.getRank(); ++d)
          all.push_back(d);
        view = memref::CollapseShapeOp::create(b, loc, view,
                                               ArrayRef<ReassociationIndices>{all});
      }
      if (outType != bType && bType.getRank() != 1) {
        ReassociationIndices re;
        for (int64_t d = 0; d < bType.getRank(); ++d)
          re.push_back(d);
        view = memref::ExpandShapeOp::create(b, loc, bType.getShape(), view,
                                             ArrayRef<ReassociationIndices>{re});
      }
      copy.erase();
      for (Operation *u : llvm::make_early_inc_range(alloc->getUsers()))
        if (isa<memref::DeallocOp>(u))
          u->erase();
      alloc.replaceAllUsesWith(view);
      alloc.erase();
      ++forwarded;
    }
    return forwarded;
  }

  LogicalResult planFunction(func::FuncOp func, Plan &plan) {
    Block &body = func.getBody().front();
    DenseMap<Operation *, int64_t> pos;
    auto number = [&] {
      pos.clear();
      int64_t i = 0;
      for (Operation &op : body)
        pos[&op] = i++;
    };
    number();

    // Every alloc must be static; its bytes count towards the no-reuse sum.
    WalkResult walk = func.walk([&](memref::AllocOp alloc) {
      MemRefType type = alloc.getType();
      if (!type.hasStaticShape() || !type.getLayout().isIdentity()) {
        alloc.emitError("cannot plan a buffer of dynamic shape or non-identity "
                        "layout: ")
            << type;
        return WalkResult::interrupt();
      }
      plan.noReuse += alignTo(std::max<int64_t>(1, byteSize(type)), alignment);
      return WalkResult::advance();
    });
    if (walk.wasInterrupted())
      return failure();

    if (forwardOutputs(func, pos))
      number();
    // In-place elementwise: B takes A's place.
    SmallVector<memref::AllocOp> allocs;
    func.walk([&](memref::AllocOp a) { allocs.push_back(a); });
    for (memref::AllocOp b : allocs) {
      auto users = llvm::to_vector(b->getUsers());
      // B's first access must be the generic writing it.
      Operation *firstUser = nullptr;
      int64_t firstPos = std::numeric_limits<int64_t>::max();
      (void)forEachAccess(b.getResult(), body, [&](Operation *top, Operation *u) {
        if (pos.lookup(top) < firstPos) {
          firstPos = pos.lookup(top);
          firstUser = u;
        }
        return success();
      });
      auto generic = dyn_cast_or_null<linalg::GenericOp>(firstUser);
      if (!generic || generic->getBlock() != &body ||
          generic.payloadUsesValueFromOperand(generic.getDpsInitOperand(0)))
        continue;
      // Another access of B in the same op position would be a second use.
      if (llvm::count_if(b->getUsers(), [&](Operation *u) {
            return u == generic.getOperation();
          }) != 1)
        continue;
      if (memref::AllocOp a = inplaceSource(generic, b, pos, body)) {
        for (Operation *u : llvm::make_early_inc_range(b->getUsers()))
          if (isa<memref::DeallocOp>(u))
            u->erase();
        b.replaceAllUsesWith(a.getResult());
        b.erase();
      }
    }

    std::vector<Buffer> buffers;
    for (memref::AllocOp alloc : llvm::to_vector(body.getOps<memref::AllocOp>())) {
      Buffer buf;
      buf.alloc = alloc;
      buf.bytes = std::max<int64_t>(1, byteSize(alloc.getType()));
      if (failed(computeLiveRange(buf, body, pos)))
        return failure();
      buffers.push_back(buf);
    }
    // Allocs nested in regions (none after bufferization of our ops).
    WalkResult nested = func.walk([&](memref::AllocOp alloc) {
      if (alloc->getBlock() != &body) {
        alloc.emitError("cannot plan a buffer allocated inside a region");
        return WalkResult::interrupt();
      }
      return WalkResult::advance();
    });
    if (nested.wasInterrupted())
      return failure();

    // The lower bound: the most bytes live at any one op.
    int64_t n = static_cast<int64_t>(pos.size());
    std::vector<int64_t> live(n + 1, 0);
    for (const Buffer &b : buffers) {
      live[b.first] += b.bytes;
      live[b.last + 1] -= b.bytes;
    }
    int64_t running = 0;
    for (int64_t i = 0; i < n; ++i) {
      running += live[i];
      plan.lowerBound = std::max(plan.lowerBound, running);
    }

    // Try several orders; keep the smallest arena (first wins ties).
    std::vector<size_t> base(buffers.size());
    for (size_t k = 0; k < base.size(); ++k)
      base[k] = k;
    struct Strategy {
      const char *name;
      std::function<bool(const Buffer &, const Buffer &)> less;
      bool bestFit;
    };
    auto bySize = [](const Buffer &a, const Buffer &b) { return a.bytes > b.bytes; };
    Strategy strategies[] = {
        {"largest-first", bySize, false},
        {"largest-first-best-fit", bySize, true},
        {"longest-lived-first",
         [](const Buffer &a, const Buffer &b) {
           return a.bytes * (a.last - a.first + 1) > b.bytes * (b.last - b.first + 1);
         },
         false},
        {"program-order",
         [](const Buffer &a, const Buffer &b) { return a.first < b.first; }, false},
    };
    std::vector<int64_t> bestOffsets;
    int64_t bestSize = -1;
    auto consider = [&](const char *name, ArrayRef<size_t> order, bool bestFit) {
      int64_t size = place(buffers, order, alignment, bestFit);
      if (bestSize < 0 || size < bestSize) {
        bestSize = size;
        plan.strategy = name;
        bestOffsets.clear();
        for (const Buffer &b : buffers)
          bestOffsets.push_back(b.offset);
      }
    };
    for (const Strategy &s : strategies) {
      std::vector<size_t> order = base;
      llvm::stable_sort(order, [&](size_t a, size_t b) {
        return s.less(buffers[a], buffers[b]);
      });
      consider(s.name, order, s.bestFit);
    }
    // Greedy by breadth (TFLite's): the ops with the most live bytes first,
    // each placing its buffers largest first.
    {
      std::vector<int64_t> liveAt(n, 0);
      for (const Buffer &b : buffers)
        for (int64_t p = b.first; p <= b.last; ++p)
          liveAt[p] += b.bytes;
      std::vector<int64_t> ops(n);
      for (int64_t p = 0; p < n; ++p)
        ops[p] = p;
      llvm::stable_sort(ops, [&](int64_t a, int64_t b) { return liveAt[a] > liveAt[b]; });
      std::vector<size_t> order;
      std::vector<bool> seen(buffers.size(), false);
      for (int64_t p : ops) {
        size_t from = order.size();
        for (size_t k = 0; k < buffers.size(); ++k)
          if (!seen[k] && buffers[k].first <= p && p <= buffers[k].last) {
            seen[k] = true;
            order.push_back(k);
          }
        std::stable_sort(order.begin() + from, order.end(), [&](size_t a, size_t b) {
          return buffers[a].bytes > buffers[b].bytes;
        });
      }
      consider("greedy-by-breadth", order, false);
    }
    // A seeded search: size classes (bytes >> a random shift), shuffled
    // within a class. Stops at the lower bound. Deterministic.
    std::mt19937 rng(1);
    int64_t floor = alignTo(plan.lowerBound, alignment);
    for (int trial = 0; trial < searchTrials && bestSize > floor; ++trial) {
      std::vector<size_t> order = base;
      std::shuffle(order.begin(), order.end(), rng);
      unsigned shift = 12 + rng() % 9;
      llvm::stable_sort(order, [&](size_t a, size_t b) {
        return (buffers[a].bytes >> shift) > (buffers[b].bytes >> shift);
      });
      consider("search", order, false);
    }
    plan.arena = std::max<int64_t>(bestSize, 0);
    for (size_t k = 0; k < buffers.size(); ++k)
      buffers[k].offset = bestOffsets[k];

    // Rewrite: a trailing arena argument and a view per buffer.
    MLIRContext *ctx = func.getContext();
    auto arenaType = MemRefType::get({plan.arena}, IntegerType::get(ctx, 8));
    unsigned argIndex = func.getNumArguments();
    if (failed(func.insertArgument(argIndex, arenaType, {}, func.getLoc())))
      return failure();
    Value arena = func.getArgument(argIndex);
    Builder attrs(ctx);
    for (Buffer &buf : buffers) {
      SmallVector<std::string> names;
      collectNames(buf.alloc.getLoc(), names);
      plan.buffers.push_back(attrs.getDictionaryAttr({
          attrs.getNamedAttr("names", attrs.getStrArrayAttr(
                                          SmallVector<StringRef>(names.begin(), names.end()))),
          attrs.getNamedAttr("offset", attrs.getI64IntegerAttr(buf.offset)),
          attrs.getNamedAttr("bytes", attrs.getI64IntegerAttr(buf.bytes)),
          attrs.getNamedAttr("first", attrs.getI64IntegerAttr(buf.first)),
          attrs.getNamedAttr("last", attrs.getI64IntegerAttr(buf.last)),
      }));
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
    Plan total;
    for (auto func : module.getOps<func::FuncOp>()) {
      if (func.isDeclaration())
        continue;
      flattenEmptyArguments(func);
      Plan plan;
      if (failed(planFunction(func, plan)))
        return signalPassFailure();
      if (plan.arena >= total.arena)
        total = plan;
    }
    Builder b(&getContext());
    // The plan, for the footprint report: sizes, and per buffer the names
    // of the ops (ONNX nodes) that produced it, its offset and bytes.
    module->setAttr("edge.arena_size", b.getI64IntegerAttr(total.arena));
    module->setAttr("edge.arena_lower_bound", b.getI64IntegerAttr(total.lowerBound));
    module->setAttr("edge.arena_no_reuse", b.getI64IntegerAttr(total.noReuse));
    module->setAttr("edge.arena_strategy", b.getStringAttr(total.strategy));
    module->setAttr("edge.buffers", b.getArrayAttr(total.buffers));
  }
};
} // namespace
