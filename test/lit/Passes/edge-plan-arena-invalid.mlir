// RUN: edge-aotc-opt %s --split-input-file --edge-plan-arena --verify-diagnostics

func.func @dynamic(%n: index) {
  // expected-error @+1 {{cannot plan a buffer of dynamic shape or non-identity layout: 'memref<?xf32>'}}
  %a = memref.alloc(%n) : memref<?xf32>
  return
}

// -----

func.func @escapes() -> memref<4xf32> {
  // expected-error @+1 {{buffer escapes the model function; run buffer-results-to-out-params first}}
  %a = memref.alloc() : memref<4xf32>
  return %a : memref<4xf32>
}

// -----

func.func @nested(%c: i1) {
  scf.if %c {
    // expected-error @+1 {{cannot plan a buffer allocated inside a region}}
    %a = memref.alloc() : memref<4xf32>
  }
  return
}
