//===- Importer.h - ONNX model -> edge dialect ------------------*- C++ -*-===//
#ifndef EDGE_COMPILER_IMPORTER_H
#define EDGE_COMPILER_IMPORTER_H

#include "runtime_stub/HeaderEmitter.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringRef.h"
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace edge {

struct ImportOptions {
  std::string functionName = "model";
  /// --input-shape overrides, by graph input name.
  std::map<std::string, std::vector<int64_t>> inputShapes;
  /// --freeze-input: graph inputs replaced by the TensorProto in a file
  /// (they become weights and leave the function's signature).
  std::map<std::string, std::string> frozenInputs;
};

/// Reads MODEL (binary ModelProto, or ONNX text syntax for `.onnxtxt`),
/// checks it with ONNX's checker and shape inference, and builds one
/// `func.func` of edge ops. Errors go to the context's diagnostic handler,
/// located at the ONNX node; returns null on failure.
mlir::OwningOpRef<mlir::ModuleOp> importOnnxModel(mlir::MLIRContext &ctx,
                                                  llvm::StringRef path,
                                                  const ImportOptions &options,
                                                  ModelInterface &interface);

} // namespace edge

#endif
