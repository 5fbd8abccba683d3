// Ops the lowering does not handle yet are reported at their location.
// RUN: edge-aotc-opt %s --split-input-file --edge-convert-to-linalg --verify-diagnostics

func.func @bool_sqrt(%x: tensor<4xi1>) -> tensor<4xi1> {
  // expected-error @+2 {{'edge.elementwise' op kind 'sqrt' is not supported for element type 'i1'}}
  // expected-error @+1 {{failed to legalize operation 'edge.elementwise' that was explicitly marked illegal}}
  %0 = edge.elementwise %x {kind = "sqrt", element_type = i1} : (tensor<4xi1>) -> tensor<4xi1>
  return %0 : tensor<4xi1>
}
