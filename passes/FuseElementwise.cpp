//===- FuseElementwise.cpp - elementwise fusion that never recomputes ------===//
//
// Upstream `linalg-fuse-elementwise-ops` fuses a producer into its consumer
// whenever the producer has one use. When the consumer reads the producer's
// result through a broadcasting map, fusing recomputes the producer once per
// broadcast element. Squeeze-and-excitation is the common case:
//
//   s = sigmoid(fc2(...))           : 1x C x 1 x 1
//   y = x * s  (s broadcast on H,W) : 1x C x H x W
//
// fused, every one of the C*H*W elements evaluates an exp and a division
// instead of C of them. This pass runs the same patterns (elementwise
// fusion, reshape folding by expansion, constant folding) with a control
// function that refuses such fusions unless the producer is a pure copy or
// broadcast (its body only yields an input, so nothing is recomputed).
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace edge {
#define GEN_PASS_DEF_FUSEELEMENTWISE
#include "passes/Passes.h.inc"
} // namespace edge

using namespace mlir;

namespace {
/// The producer's body computes nothing: it yields one of its block
/// arguments (a copy, a broadcast or a transpose of an input).
bool onlyMovesData(Operation *producer) {
  auto g = dyn_cast<linalg::GenericOp>(producer);
  if (!g)
    return false;
  Block &body = g.getRegion().front();
  if (!llvm::hasSingleElement(body))
    return false;
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  return llvm::all_of(yield.getOperands(),
                      [](Value v) { return isa<BlockArgument>(v); });
}

bool shouldFuse(OpOperand *use) {
  Operation *producer = use->get().getDefiningOp();
  if (!producer || !producer->hasOneUse())
    return false;
  // Reading the result through a non-bijective map (a broadcast) would
  // evaluate the producer's body more than once per element it produced.
  if (auto consumer = dyn_cast<linalg::LinalgOp>(use->getOwner())) {
    if (!consumer.getMatchingIndexingMap(use).isPermutation() &&
        !onlyMovesData(producer))
      return false;
  }
  return true;
}

struct FuseElementwise
    : public edge::impl::FuseElementwiseBase<FuseElementwise> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    RewritePatternSet patterns(ctx);
    linalg::ControlFusionFn control = shouldFuse;
    linalg::populateElementwiseOpsFusionPatterns(patterns, control);
    linalg::populateFoldReshapeOpsByExpansionPatterns(patterns, control);
    tensor::populateBubbleUpExpandShapePatterns(patterns);
    affine::AffineApplyOp::getCanonicalizationPatterns(patterns, ctx);
    linalg::GenericOp::getCanonicalizationPatterns(patterns, ctx);
    tensor::ExpandShapeOp::getCanonicalizationPatterns(patterns, ctx);
    tensor::CollapseShapeOp::getCanonicalizationPatterns(patterns, ctx);
    ctx->getLoadedDialect<linalg::LinalgDialect>()->getCanonicalizationPatterns(
        patterns);
    linalg::populateConstantFoldLinalgOperations(patterns, control);
    if (failed(applyPatternsGreedily(
            getOperation(), std::move(patterns),
            GreedyRewriteConfig().setUseTopDownTraversal())))
      return signalPassFailure();
  }
};
} // namespace
