// RUN: edge-aotc-opt %s --split-input-file --edge-emit-entry-point=name=net --verify-diagnostics

// expected-error @+1 {{no model function 'net' to wrap}}
module attributes {edge.num_inputs = 1 : i64, edge.num_outputs = 1 : i64} {
  llvm.func @other(%a: !llvm.ptr) {
    llvm.return
  }
}

// -----

// expected-error @+1 {{missing edge.num_inputs / edge.num_outputs}}
module {
  llvm.func @net(%a: !llvm.ptr) {
    llvm.return
  }
}

// -----

module attributes {edge.num_inputs = 1 : i64, edge.num_outputs = 1 : i64} {
  // expected-error @+1 {{model function must take one pointer per input and output, then the arena (bare-pointer convention)}}
  llvm.func @net(%a: !llvm.ptr) {
    llvm.return
  }
}
