//===- Pipeline.h - the compilation pipeline --------------------*- C++ -*-===//
#ifndef EDGE_COMPILER_PIPELINE_H
#define EDGE_COMPILER_PIPELINE_H

#include "llvm/ADT/StringRef.h"
#include <string>

namespace mlir {
class DialectRegistry;
}

namespace edge {

/// Textual pass pipelines, one per stage of the `--emit=` ladder; the same
/// strings are registered in edge-aotc-opt as `edge-*-pipeline` so each
/// stage can be run and inspected on its own.
std::string edgeCleanupPipeline();
std::string lowerToLinalgPipeline();
/// The register tile of the convolution micro-kernel (edge-vectorize-conv):
/// f32 lanes per vector (0: no SIMD), output channels per block, vectors of
/// output columns per block; `laneFma`: read each tap's packed weights as
/// vectors and FMA by lane (AArch64 fmla by element) instead of broadcasts.
struct KernelShape {
  unsigned vectorLanes = 8, channelBlock = 6, columnVectors = 2;
  bool laneFma = false;
  /// L1 data and L2 bytes for the channel kernel's cost model (L2 0:
  /// unknown).
  unsigned l1Bytes = 32768, l2Bytes = 0;
  /// Overrides of the channel kernel's tile (0: the cost model picks).
  unsigned channelVectors = 0, channelPixels = 0;
  /// Stride-2 convolutions with output rows at least this wide are split
  /// into stride phases (edge-split-strided-conv); 0: none are.
  unsigned splitStridedMinWidth = 0;
};
std::string lowerToLLVMPipeline(llvm::StringRef modelName,
                                const KernelShape &kernel = KernelShape());

/// Every dialect, interface and translation the compiler needs.
void registerCompilerDialects(mlir::DialectRegistry &registry);
/// Upstream passes used by the pipelines, ours, and the named pipelines.
void registerCompilerPasses();

} // namespace edge

#endif
