//===- EdgeOps.h - edge dialect operations ----------------------*- C++ -*-===//
// Include only where edge ops are built or matched; it pulls in the
// TableGen'd op classes.
#ifndef EDGE_DIALECTS_EDGE_EDGEOPS_H
#define EDGE_DIALECTS_EDGE_EDGEOPS_H

#include "dialects/Edge/EdgeDialect.h"
#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#define GET_OP_CLASSES
#include "dialects/Edge/EdgeOps.h.inc"

namespace edge {
/// Numpy-style multidirectional broadcast of two static shapes; fails when
/// two dimensions differ and neither is 1.
mlir::FailureOr<llvm::SmallVector<int64_t>>
broadcastShapes(llvm::ArrayRef<int64_t> a, llvm::ArrayRef<int64_t> b);

/// Operand count an `edge.elementwise` kind takes (min, max), or None for
/// an unknown kind.
std::optional<std::pair<unsigned, unsigned>>
elementwiseArity(llvm::StringRef kind);

/// Output extent of one spatial axis of a convolution or pooling window.
int64_t windowOutputSize(int64_t in, int64_t kernel, int64_t stride,
                         int64_t padBegin, int64_t padEnd, int64_t dilation,
                         bool ceilMode);
} // namespace edge

#endif
