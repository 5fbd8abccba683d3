// Every alloc becomes a view into one trailing arena argument. Buffers whose
// live ranges do not overlap share bytes; offsets are 64-byte aligned.
// RUN: edge-aotc-opt %s --split-input-file --edge-plan-arena | FileCheck %s

// %a (1024 B) is dead once %b is written, so %c reuses its bytes; %b
// overlaps both and goes after %a's 1024 bytes.
// CHECK: module attributes {edge.arena_size = 2048 : i64}
// CHECK-LABEL: func.func @chain
// CHECK-SAME: %[[ARENA:[^:]*]]: memref<2048xi8>
// CHECK: %[[C0:.*]] = arith.constant 0 : index
// CHECK-NEXT: memref.view %[[ARENA]][%[[C0]]][] : memref<2048xi8> to memref<256xf32>
// CHECK: %[[C1024:.*]] = arith.constant 1024 : index
// CHECK-NEXT: memref.view %[[ARENA]][%[[C1024]]][] : memref<2048xi8> to memref<256xf32>
// CHECK: %[[C0B:.*]] = arith.constant 0 : index
// CHECK-NEXT: memref.view %[[ARENA]][%[[C0B]]][] : memref<2048xi8> to memref<64xf32>
// CHECK-NOT: memref.alloc
// CHECK-NOT: memref.dealloc
func.func @chain(%in: memref<256xf32>, %out: memref<64xf32>) {
  %a = memref.alloc() : memref<256xf32>
  memref.copy %in, %a : memref<256xf32> to memref<256xf32>
  %b = memref.alloc() : memref<256xf32>
  memref.copy %a, %b : memref<256xf32> to memref<256xf32>
  %c = memref.alloc() : memref<64xf32>
  %bs = memref.subview %b[0] [64] [1] : memref<256xf32> to memref<64xf32, strided<[1]>>
  memref.copy %bs, %c : memref<64xf32, strided<[1]>> to memref<64xf32>
  memref.copy %c, %out : memref<64xf32> to memref<64xf32>
  memref.dealloc %a : memref<256xf32>
  return
}

// -----

// A view keeps its source alive: %a is read through %v after %b is
// allocated, so %a and %b must not overlap.
// %c is allocated after %b's last use and takes %a's place again.
// CHECK: module attributes {edge.arena_size = 128 : i64}
// CHECK-LABEL: func.func @view_keeps_alive
// CHECK: %[[C0:.*]] = arith.constant 0 : index
// CHECK-NEXT: memref.view %{{.*}}[%[[C0]]][] : memref<128xi8> to memref<16xf32>
// CHECK: %[[C64:.*]] = arith.constant 64 : index
// CHECK-NEXT: memref.view %{{.*}}[%[[C64]]][] : memref<128xi8> to memref<4x4xf32>
// CHECK: %[[C0B:.*]] = arith.constant 0 : index
// CHECK-NEXT: memref.view %{{.*}}[%[[C0B]]][] : memref<128xi8> to memref<16xf32>
func.func @view_keeps_alive(%in: memref<16xf32>, %out: memref<4x4xf32>) {
  %a = memref.alloc() : memref<16xf32>
  memref.copy %in, %a : memref<16xf32> to memref<16xf32>
  %v = memref.expand_shape %a [[0, 1]] output_shape [4, 4] : memref<16xf32> into memref<4x4xf32>
  %b = memref.alloc() : memref<4x4xf32>
  memref.copy %v, %b : memref<4x4xf32> to memref<4x4xf32>
  memref.copy %b, %out : memref<4x4xf32> to memref<4x4xf32>
  %c = memref.alloc() : memref<16xf32>
  memref.copy %in, %c : memref<16xf32> to memref<16xf32>
  return
}

// -----

// No intermediate buffers: an empty arena.
// CHECK: module attributes {edge.arena_size = 0 : i64}
// CHECK-LABEL: func.func @none
// CHECK-SAME: memref<0xi8>
func.func @none(%in: memref<4xf32>, %out: memref<4xf32>) {
  memref.copy %in, %out : memref<4xf32> to memref<4xf32>
  return
}
