//===- EdgeDialect.h - the edge dialect -------------------------*- C++ -*-===//
#ifndef EDGE_DIALECTS_EDGE_EDGEDIALECT_H
#define EDGE_DIALECTS_EDGE_EDGEDIALECT_H

#include "mlir/IR/Dialect.h"

#include "dialects/Edge/EdgeDialect.h.inc"

#endif
