//===- ApproximateMath.cpp - math without libm ----------------------------===//
#include "passes/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Approximation.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/TypeUtilities.h"
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
    // The polynomials are f32 only: f64 (and f16) transcendental math is
    // computed in f32, well inside ONNX's tolerances.
    root->walk([&](Operation *op) {
      if (!isa_and_nonnull<math::MathDialect>(op->getDialect()) ||
          lowersToInstructions(op) || op->getNumResults() != 1)
        return;
      auto isWide = [](Type t) {
        Type e = getElementTypeOrSelf(t);
        return isa<FloatType>(e) && !e.isF32();
      };
      if (!isWide(op->getResult(0).getType()) ||
          !llvm::all_of(op->getOperandTypes(), isWide))
        return;
      OpBuilder b(op);
      Type f32 = b.getF32Type();
      auto narrow = [&](Type t) -> Type {
        if (auto v = dyn_cast<VectorType>(t))
          return v.clone(f32);
        return f32;
      };
      SmallVector<Value> operands;
      for (Value v : op->getOperands())
        operands.push_back(
            getElementTypeOrSelf(v.getType()).getIntOrFloatBitWidth() > 32
                ? Value(arith::TruncFOp::create(b, op->getLoc(),
                                                narrow(v.getType()), v))
                : Value(arith::ExtFOp::create(b, op->getLoc(),
                                              narrow(v.getType()), v)));
      Type wide = op->getResult(0).getType();
      OperationState state(op->getLoc(), op->getName(), operands,
                           {narrow(wide)}, op->getAttrs());
      Value r = b.create(state)->getResult(0);
      r = getElementTypeOrSelf(wide).getIntOrFloatBitWidth() > 32
              ? Value(arith::ExtFOp::create(b, op->getLoc(), wide, r))
              : Value(arith::TruncFOp::create(b, op->getLoc(), wide, r));
      op->getResult(0).replaceAllUsesWith(r);
      op->erase();
    });
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
