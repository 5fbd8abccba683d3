//===- EdgeDialect.cpp - the edge dialect ---------------------------------===//
#include "dialects/Edge/EdgeDialect.h"
#include "dialects/Edge/EdgeOps.h"

using namespace mlir;
using namespace edge;

#include "dialects/Edge/EdgeDialect.cpp.inc"

void EdgeDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "dialects/Edge/EdgeOps.cpp.inc"
      >();
}

Operation *EdgeDialect::materializeConstant(OpBuilder &builder,
                                            Attribute value, Type type,
                                            Location loc) {
  auto elements = dyn_cast<ElementsAttr>(value);
  if (!elements || elements.getType() != type)
    return nullptr;
  return ConstantOp::create(builder, loc, elements);
}
