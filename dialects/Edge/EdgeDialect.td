//===- EdgeDialect.td - the edge dialect ------------------*- tablegen -*-===//
#ifndef EDGE_DIALECT_TD
#define EDGE_DIALECT_TD

include "mlir/IR/OpBase.td"

def Edge_Dialect : Dialect {
  let name = "edge";
  let cppNamespace = "::edge";
  let summary = "ONNX semantics on static-shaped tensors, normalised for compilation";
  let description = [{
    The `edge` dialect holds an imported ONNX graph. There is one op per ONNX
    semantic family, and every attribute is normalised at import: pads are
    explicit (begin values for every spatial axis, then end values), strides
    and dilations are always present, axes are non-negative, and shapes are
    static. Each op infers its result type from its operands and attributes
    (InferTypeOpInterface), so the importer never trusts a shape it did not
    compute, and the verifier rejects an op whose declared type disagrees.
  }];
  let hasConstantMaterializer = 1;
}

#endif // EDGE_DIALECT_TD
