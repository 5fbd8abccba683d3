//===- ApproximateMath.cpp - math without libm ----------------------------===//
#include "passes/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Approximation.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace edge {
#define GEN_PASS_DEF_APPROXIMATEMATH
#include "passes/Passes.h.inc"
} // namespace edge

using namespace mlir;

namespace {
/// Math ops every supported target lowers to instructions, never to calls.
bool lowersToInstructions(Operation *op) {
  return isa<math::SqrtOp, math::AbsFOp, math::FmaOp, math::CopySignOp,
             math::FloorOp, math::CeilOp, math::RoundEvenOp, math::TruncOp>(op);
}

struct ApproximateMath
    : public edge::impl::ApproximateMathBase<ApproximateMath> {
  void runOnOperation() override {
    Operation *root = getOperation();
    MLIRContext *ctx = &getContext();
    {
      // powf -> exp/log, tanh -> exp, ... (everything upstream can expand
      // except the ops approximated directly below).
      RewritePatternSet patterns(ctx);
      math::populateExpansionPatterns(
          patterns, {"powf", "fpowi", "ctlz", "tan", "sinh", "cosh", "asinh", "acosh",
                     "atanh", "exp2f", "roundf", "rsqrt"});
      if (failed(applyPatternsGreedily(root, std::move(patterns))))
        return signalPassFailure();
    }
    {
      RewritePatternSet patterns(ctx);
      populateMathF32ExpansionPatterns(patterns, [](StringRef) { return true; });
      populateMathPolynomialApproximationPatterns(patterns,
                                                  [](StringRef) { return true; });
      if (failed(applyPatternsGreedily(root, std::move(patterns))))
        return signalPassFailure();
    }
    WalkResult r = root->walk([&](Operation *op) {
      if (op->getDialect() && isa<math::MathDialect>(op->getDialect()) &&
          !lowersToInstructions(op)) {
        op->emitError("'") << op->getName()
                           << "' has no libm-free lowering on this target";
        return WalkResult::interrupt();
      }
      return WalkResult::advance();
    });
    if (r.wasInterrupted())
      signalPassFailure();
  }
};
} // namespace
