//===- EmitEntryPoint.cpp - the C ABI of the emitted object ---------------===//
#include "passes/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"

namespace edge {
#define GEN_PASS_DEF_EMITENTRYPOINT
#include "passes/Passes.h.inc"
} // namespace edge

using namespace mlir;

namespace {
struct EmitEntryPoint : public edge::impl::EmitEntryPointBase<EmitEntryPoint> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto model = module.lookupSymbol<LLVM::LLVMFuncOp>(modelName);
    if (!model) {
      module.emitError("no model function '") << modelName << "' to wrap";
      return signalPassFailure();
    }
    auto numInputs = module->getAttrOfType<IntegerAttr>("edge.num_inputs");
    auto numOutputs = module->getAttrOfType<IntegerAttr>("edge.num_outputs");
    if (!numInputs || !numOutputs) {
      module.emitError("missing edge.num_inputs / edge.num_outputs");
      return signalPassFailure();
    }
    int64_t nIn = numInputs.getInt(), nOut = numOutputs.getInt();
    LLVM::LLVMFunctionType modelType = model.getFunctionType();
    auto ptrTy = LLVM::LLVMPointerType::get(&getContext());
    bool hasArena = modelType.getNumParams() == nIn + nOut + 1;
    if (modelType.getNumParams() != nIn + nOut + (hasArena ? 1 : 0) ||
        llvm::any_of(modelType.getParams(),
                     [&](Type t) { return t != ptrTy; })) {
      model.emitError("model function must take one pointer per input and "
                      "output, then the arena (bare-pointer convention)");
      return signalPassFailure();
    }
    model.setLinkage(LLVM::Linkage::Internal);

    OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
    Location loc = model.getLoc();
    auto i32 = b.getI32Type();
    auto fnType = LLVM::LLVMFunctionType::get(i32, {ptrTy, ptrTy, ptrTy});
    auto entry = LLVM::LLVMFuncOp::create(b, loc, modelName + "_run", fnType);
    entry.setNoUnwind(true);
    Block *body = entry.addEntryBlock(b);
    b.setInsertionPointToStart(body);
    SmallVector<Value> args;
    auto loadPointer = [&](Value array, int64_t index) {
      Value slot = LLVM::GEPOp::create(b, loc, ptrTy, ptrTy, array,
                                       ArrayRef<LLVM::GEPArg>{index});
      return LLVM::LoadOp::create(b, loc, ptrTy, slot).getResult();
    };
    for (int64_t i = 0; i < nIn; ++i)
      args.push_back(loadPointer(body->getArgument(0), i));
    for (int64_t i = 0; i < nOut; ++i)
      args.push_back(loadPointer(body->getArgument(1), i));
    if (hasArena)
      args.push_back(body->getArgument(2));
    LLVM::CallOp::create(b, loc, model, args);
    Value zero = LLVM::ConstantOp::create(b, loc, i32, b.getI32IntegerAttr(0));
    LLVM::ReturnOp::create(b, loc, zero);
  }
};
} // namespace
