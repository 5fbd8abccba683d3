//===- Pipeline.cpp - the compilation pipeline ----------------------------===//
#include "compiler/Pipeline.h"

#include "dialects/Edge/EdgeDialect.h"
#include "passes/Passes.h"

#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"

namespace edge {

std::string edgeCleanupPipeline() { return "canonicalize,cse"; }

std::string lowerToLinalgPipeline() {
  return "edge-convert-to-linalg,canonicalize,"
         "func.func(edge-fuse-elementwise),canonicalize,cse";
}

std::string lowerToLLVMPipeline(llvm::StringRef modelName,
                                const KernelShape &kernel) {
  std::string split =
      kernel.splitStridedMinWidth
          ? "edge-split-strided-conv{min-width=" +
                std::to_string(kernel.splitStridedMinWidth) + "},"
          : "";
  return "func.func(" + split +
         "edge-write-in-place,eliminate-empty-tensors),"
         "one-shot-bufferize{bufferize-function-boundaries "
         "function-boundary-type-conversion=identity-layout-map},"
         "buffer-results-to-out-params{hoist-static-allocs "
         "modify-public-functions},"
         "cse,canonicalize,edge-plan-arena,edge-fill-borders,"
         "edge-vectorize-conv{vector-width=" +
         std::to_string(kernel.vectorLanes) +
         " channel-block=" + std::to_string(kernel.channelBlock) +
         " column-vectors=" + std::to_string(kernel.columnVectors) +
         (kernel.laneFma ? " lane-fma=true" : "") +
         " l1-bytes=" + std::to_string(kernel.l1Bytes) +
         " l2-bytes=" + std::to_string(kernel.l2Bytes) +
         " channel-vectors=" + std::to_string(kernel.channelVectors) +
         " channel-pixels=" + std::to_string(kernel.channelPixels) +
         "},edge-lower-strided-copies,edge-vectorize-elementwise{vector-width=" +
         std::to_string(kernel.vectorLanes) +
         "},edge-vectorize-window{vector-width=" +
         std::to_string(kernel.vectorLanes) +
         "},"
         "func.func(convert-linalg-to-loops),edge-approximate-math,"
         "lower-affine,convert-scf-to-cf,convert-vector-to-llvm,"
         "expand-strided-metadata,"
         "finalize-memref-to-llvm,convert-math-to-llvm,convert-arith-to-llvm,"
         "convert-cf-to-llvm,convert-func-to-llvm{use-bare-ptr-memref-call-conv},"
         "reconcile-unrealized-casts,edge-emit-entry-point{name=" +
         modelName.str() + "},canonicalize";
}

void registerCompilerDialects(mlir::DialectRegistry &registry) {
  registry.insert<EdgeDialect>();
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  mlir::registerBuiltinDialectTranslation(registry);
  mlir::registerLLVMDialectTranslation(registry);
}

void registerCompilerPasses() {
  mlir::registerAllPasses();
  registerEdgePasses();
  mlir::PassPipelineRegistration<>(
      "edge-cleanup-pipeline", "Canonicalize and CSE the imported edge IR",
      [](mlir::OpPassManager &pm) {
        (void)mlir::parsePassPipeline(edgeCleanupPipeline(), pm);
      });
  mlir::PassPipelineRegistration<>(
      "edge-to-linalg-pipeline", "Lower edge to linalg on tensors and fuse",
      [](mlir::OpPassManager &pm) {
        (void)mlir::parsePassPipeline(lowerToLinalgPipeline(), pm);
      });
  mlir::PassPipelineRegistration<>(
      "edge-to-llvm-pipeline",
      "Bufferize, plan the arena and lower to the LLVM dialect (model name "
      "'model')",
      [](mlir::OpPassManager &pm) {
        (void)mlir::parsePassPipeline(lowerToLLVMPipeline("model"), pm);
      });
}

} // namespace edge
