//===- Report.h - the footprint report (--report=FILE.json) -----*- C++ -*-===//
#ifndef EDGE_COMPILER_REPORT_H
#define EDGE_COMPILER_REPORT_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <cstdint>
#include <string>
#include <vector>

namespace llvm {
class raw_ostream;
}
namespace mlir {
class ModuleOp;
}

namespace edge {

/// One edge op of the imported model (an ONNX node, or a piece of one).
struct LayerInfo {
  std::string name;   // the ONNX node name
  std::string opType; // the ONNX op type
  int64_t flops = 0;  // 2 per multiply-add; 1 per element for the rest
  int64_t outputBytes = 0;
  bool isModelOutput = false;
};

/// The layers of the edge-dialect module (after clean-up), in order.
std::vector<LayerInfo> collectLayers(mlir::ModuleOp edgeModule);

/// Writes the JSON report: the arena plan recorded on `llvmModule` by
/// edge-plan-arena, weight bytes (constant globals), code and object bytes
/// (read from the object file at `objectPath`), and per layer its FLOPs,
/// output bytes and arena offset.
llvm::Error writeReport(llvm::raw_ostream &os, llvm::StringRef modelName,
                        llvm::StringRef triple,
                        const std::vector<LayerInfo> &layers,
                        mlir::ModuleOp llvmModule, llvm::StringRef objectPath);

} // namespace edge

#endif
