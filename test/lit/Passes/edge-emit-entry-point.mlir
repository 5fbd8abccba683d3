// The C ABI: `<name>_run(inputs, outputs, arena)` unpacks the two pointer
// arrays, calls the (now internal) model function, returns 0.
// RUN: edge-aotc-opt %s --split-input-file --edge-emit-entry-point=name=net | FileCheck %s

// CHECK-LABEL: llvm.func internal @net(
// CHECK-LABEL: llvm.func @net_run(
// CHECK-SAME: %[[IN:[^:]*]]: !llvm.ptr, %[[OUT:[^:]*]]: !llvm.ptr, %[[ARENA:[^:]*]]: !llvm.ptr) -> i32
// CHECK-SAME: attributes {no_unwind}
// CHECK: %[[S0:.*]] = llvm.getelementptr %[[IN]][0] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK: %[[I0:.*]] = llvm.load %[[S0]] : !llvm.ptr -> !llvm.ptr
// CHECK: %[[S1:.*]] = llvm.getelementptr %[[IN]][1] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK: %[[I1:.*]] = llvm.load %[[S1]] : !llvm.ptr -> !llvm.ptr
// CHECK: %[[S2:.*]] = llvm.getelementptr %[[OUT]][0] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK: %[[O0:.*]] = llvm.load %[[S2]] : !llvm.ptr -> !llvm.ptr
// CHECK: llvm.call @net(%[[I0]], %[[I1]], %[[O0]], %[[ARENA]])
// CHECK: %[[ZERO:.*]] = llvm.mlir.constant(0 : i32) : i32
// CHECK: llvm.return %[[ZERO]] : i32
module attributes {edge.num_inputs = 2 : i64, edge.num_outputs = 1 : i64} {
  llvm.func @net(%a: !llvm.ptr, %b: !llvm.ptr, %out: !llvm.ptr, %arena: !llvm.ptr) {
    llvm.return
  }
}
