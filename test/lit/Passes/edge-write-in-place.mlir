// Tensor IR arranged so bufferization writes results where they end up.
// RUN: edge-aotc-opt %s --split-input-file --edge-write-in-place | FileCheck %s
// With empty-tensor elimination and bufferization: no copies, one buffer.
// RUN: edge-aotc-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(edge-write-in-place,eliminate-empty-tensors),one-shot-bufferize{bufferize-function-boundaries},cse,canonicalize)" | FileCheck %s --check-prefix=BUF

#id = affine_map<(d0) -> (d0)>

// An elementwise op whose input dies with it writes over that input.
// CHECK-LABEL: func.func @dying_input
// CHECK: %[[A:.*]] = linalg.generic
// CHECK: linalg.generic {{.*}} ins(%[[A]] : tensor<8xf32>) outs(%[[A]] : tensor<8xf32>)
// BUF-LABEL: func.func @dying_input
// BUF-COUNT-1: memref.alloc
// BUF-NOT: memref.alloc
// BUF-NOT: memref.copy
func.func @dying_input(%x: tensor<8xf32>) -> tensor<8xf32> {
  %e = tensor.empty() : tensor<8xf32>
  %a = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<8xf32>) outs(%e : tensor<8xf32>) {
  ^bb0(%i: f32, %o: f32):
    %r = arith.negf %i : f32
    linalg.yield %r : f32
  } -> tensor<8xf32>
  %e2 = tensor.empty() : tensor<8xf32>
  %b = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%a : tensor<8xf32>) outs(%e2 : tensor<8xf32>) {
  ^bb0(%i: f32, %o: f32):
    %r = arith.mulf %i, %i : f32
    linalg.yield %r : f32
  } -> tensor<8xf32>
  return %b : tensor<8xf32>
}

// -----

#id = affine_map<(d0) -> (d0)>

// Not over a function argument (the caller's read-only buffer), and not
// over a value that is read again later.
// CHECK-LABEL: func.func @kept_inputs
// BUF-LABEL: func.func @kept_inputs
// CHECK: %[[E:.*]] = tensor.empty
// CHECK: %[[A:.*]] = linalg.generic {{.*}} ins(%arg0 : tensor<8xf32>) outs(%[[E]] : tensor<8xf32>)
// CHECK: linalg.generic {{.*}} ins(%[[A]] : tensor<8xf32>) outs(%{{.*}} : tensor<8xf32>)
// CHECK-NOT: outs(%[[A]]
// CHECK: return
func.func @kept_inputs(%x: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %e = tensor.empty() : tensor<8xf32>
  %a = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<8xf32>) outs(%e : tensor<8xf32>) {
  ^bb0(%i: f32, %o: f32):
    %r = arith.negf %i : f32
    linalg.yield %r : f32
  } -> tensor<8xf32>
  %e2 = tensor.empty() : tensor<8xf32>
  %b = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%a : tensor<8xf32>) outs(%e2 : tensor<8xf32>) {
  ^bb0(%i: f32, %o: f32):
    %r = arith.mulf %i, %i : f32
    linalg.yield %r : f32
  } -> tensor<8xf32>
  return %a, %b : tensor<8xf32>, tensor<8xf32>
}

// -----

#id = affine_map<(d0) -> (d0)>

// A concatenation: the fresh tensor moves before the first producer and each
// insert right after its source, so both producers write into their slice.
// CHECK-LABEL: func.func @concat
// CHECK: %[[E:.*]] = tensor.empty() : tensor<16xf32>
// CHECK-NEXT: %[[A:.*]] = linalg.generic
// CHECK: %[[R0:.*]] = tensor.insert_slice %[[A]] into %[[E]][0] [8] [1]
// CHECK: %[[B:.*]] = linalg.generic
// CHECK: tensor.insert_slice %[[B]] into %[[R0]][8] [8] [1]
// BUF-LABEL: func.func @concat
// BUF: %[[ALLOC:.*]] = memref.alloc() {{.*}} : memref<16xf32>
// BUF-NOT: memref.alloc
// BUF: %[[S0:.*]] = memref.subview %[[ALLOC]][0] [8] [1]
// BUF: linalg.generic {{.*}} outs(%[[S0]]
// BUF: %[[S1:.*]] = memref.subview %[[ALLOC]][8] [8] [1]
// BUF: linalg.generic {{.*}} outs(%[[S1]]
// BUF-NOT: memref.copy
func.func @concat(%x: tensor<8xf32>) -> tensor<16xf32> {
  %e1 = tensor.empty() : tensor<8xf32>
  %a = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<8xf32>) outs(%e1 : tensor<8xf32>) {
  ^bb0(%i: f32, %o: f32):
    %r = arith.negf %i : f32
    linalg.yield %r : f32
  } -> tensor<8xf32>
  %e2 = tensor.empty() : tensor<8xf32>
  %b = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<8xf32>) outs(%e2 : tensor<8xf32>) {
  ^bb0(%i: f32, %o: f32):
    %r = arith.mulf %i, %i : f32
    linalg.yield %r : f32
  } -> tensor<8xf32>
  %e = tensor.empty() : tensor<16xf32>
  %r0 = tensor.insert_slice %a into %e[0] [8] [1] : tensor<8xf32> into tensor<16xf32>
  %r1 = tensor.insert_slice %b into %r0[8] [8] [1] : tensor<8xf32> into tensor<16xf32>
  return %r1 : tensor<16xf32>
}

// -----

// One fill written by two ops (as CSE leaves identical bias broadcasts):
// the second writer gets its own clone, so neither needs a copy.
// CHECK-LABEL: func.func @shared_init
// CHECK: %[[F:.*]] = linalg.fill
// CHECK: linalg.matmul {{.*}} outs(%[[F]] :
// CHECK: %[[F2:.*]] = linalg.fill
// CHECK-NEXT: linalg.matmul {{.*}} outs(%[[F2]] :
// BUF-LABEL: func.func @shared_init
// BUF-NOT: memref.copy
func.func @shared_init(%a: tensor<4x4xf32>, %b: tensor<4x4xf32>) -> (tensor<4x4xf32>, tensor<4x4xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x4xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4x4xf32>) -> tensor<4x4xf32>
  %m1 = linalg.matmul ins(%a, %b : tensor<4x4xf32>, tensor<4x4xf32>) outs(%f : tensor<4x4xf32>) -> tensor<4x4xf32>
  %m2 = linalg.matmul ins(%b, %a : tensor<4x4xf32>, tensor<4x4xf32>) outs(%f : tensor<4x4xf32>) -> tensor<4x4xf32>
  return %m1, %m2 : tensor<4x4xf32>, tensor<4x4xf32>
}
