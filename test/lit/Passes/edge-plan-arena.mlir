// Every alloc becomes a view into one trailing arena argument. Live ranges
// run from the first op touching a buffer (or a view of it) to the last;
// buffers whose ranges do not overlap share bytes; offsets are 64-byte
// aligned. The module records the plan for the footprint report.
// RUN: edge-aotc-opt %s --split-input-file --edge-plan-arena | FileCheck %s

// %a (1024 B) is dead once %b is written, so a later buffer could reuse it;
// %b overlaps %a and goes after its 1024 bytes. %c's last use is the copy
// into the output: it is forwarded, computed in the caller's buffer.
// CHECK: module attributes {edge.arena_lower_bound = 2048 : i64, edge.arena_no_reuse = 2304 : i64, edge.arena_size = 2048 : i64, edge.arena_strategy = "largest-first", edge.buffers = [{bytes = 1024 : i64, first = 1 : i64, last = 3 : i64, names = ["a"], offset = 0 : i64}, {bytes = 1024 : i64, first = 3 : i64, last = 5 : i64, names = ["b"], offset = 1024 : i64}]}
// CHECK-LABEL: func.func @chain
// CHECK-SAME: (%[[IN:[^:]*]]: memref<256xf32>, %[[OUT:[^:]*]]: memref<64xf32>, %[[ARENA:[^:]*]]: memref<2048xi8>)
// CHECK: %[[C0:.*]] = arith.constant 0 : index
// CHECK-NEXT: memref.view %[[ARENA]][%[[C0]]][] : memref<2048xi8> to memref<256xf32>
// CHECK: %[[C1024:.*]] = arith.constant 1024 : index
// CHECK-NEXT: %[[B:.*]] = memref.view %[[ARENA]][%[[C1024]]][] : memref<2048xi8> to memref<256xf32>
// CHECK: %[[BS:.*]] = memref.subview %[[B]]
// CHECK-NEXT: memref.copy %[[BS]], %[[OUT]]
// CHECK-NOT: memref.copy
// CHECK-NOT: memref.alloc
// CHECK-NOT: memref.dealloc
func.func @chain(%in: memref<256xf32>, %out: memref<64xf32>) {
  %a = memref.alloc() : memref<256xf32> loc("a")
  memref.copy %in, %a : memref<256xf32> to memref<256xf32>
  %b = memref.alloc() : memref<256xf32> loc("b")
  memref.copy %a, %b : memref<256xf32> to memref<256xf32>
  %c = memref.alloc() : memref<64xf32> loc("c")
  %bs = memref.subview %b[0] [64] [1] : memref<256xf32> to memref<64xf32, strided<[1]>>
  memref.copy %bs, %c : memref<64xf32, strided<[1]>> to memref<64xf32>
  memref.copy %c, %out : memref<64xf32> to memref<64xf32>
  memref.dealloc %a : memref<256xf32>
  return
}

// -----

// A view keeps its source alive: %a is read through %v after %b is
// written, so %a and %b must not overlap. %c is first touched after %a's
// last use and takes its place. The output is written through a reshape of
// %b, which is forwarded into the output as a view of the same shape.
// CHECK: module attributes {edge.arena_lower_bound = 128 : i64, {{.*}} edge.arena_size = 128 : i64
// CHECK-LABEL: func.func @view_keeps_alive
// CHECK: %[[C0:.*]] = arith.constant 0 : index
// CHECK-NEXT: memref.view %{{.*}}[%[[C0]]][] : memref<128xi8> to memref<16xf32>
// CHECK: %[[C64:.*]] = arith.constant 64 : index
// CHECK-NEXT: memref.view %{{.*}}[%[[C64]]][] : memref<128xi8> to memref<16xf32>
// CHECK: %[[C0B:.*]] = arith.constant 0 : index
// CHECK-NEXT: memref.view %{{.*}}[%[[C0B]]][] : memref<128xi8> to memref<16xf32>
func.func @view_keeps_alive(%in: memref<16xf32>, %out: memref<16xf32>, %out2: memref<16xf32>) {
  %a = memref.alloc() : memref<16xf32>
  memref.copy %in, %a : memref<16xf32> to memref<16xf32>
  %v = memref.expand_shape %a [[0, 1]] output_shape [4, 4] : memref<16xf32> into memref<4x4xf32>
  %b = memref.alloc() : memref<16xf32>
  %bv = memref.expand_shape %b [[0, 1]] output_shape [4, 4] : memref<16xf32> into memref<4x4xf32>
  memref.copy %v, %bv : memref<4x4xf32> to memref<4x4xf32>
  %c = memref.alloc() : memref<16xf32>
  memref.copy %b, %c : memref<16xf32> to memref<16xf32>
  memref.copy %in, %out : memref<16xf32> to memref<16xf32>
  %d = memref.alloc() : memref<16xf32>
  memref.copy %c, %d : memref<16xf32> to memref<16xf32>
  memref.copy %d, %out2 : memref<16xf32> to memref<16xf32>
  return
}

// -----

// Output forwarding through a reshape: the result is computed straight into
// the caller's [2, 8] buffer, viewed as the buffer's [16].
// CHECK: module attributes {edge.arena_lower_bound = 0 : i64, edge.arena_no_reuse = 64 : i64, edge.arena_size = 0 : i64
// CHECK-LABEL: func.func @forward_reshaped
// CHECK-SAME: (%[[IN:[^:]*]]: memref<16xf32>, %[[OUT:[^:]*]]: memref<2x8xf32>, %{{.*}}: memref<0xi8>)
// CHECK: %[[FLAT:.*]] = memref.collapse_shape %[[OUT]] {{\[\[}}0, 1]] : memref<2x8xf32> into memref<16xf32>
// CHECK: memref.copy %[[IN]], %[[FLAT]]
// CHECK-NOT: memref.copy
func.func @forward_reshaped(%in: memref<16xf32>, %out: memref<2x8xf32>) {
  %a = memref.alloc() : memref<16xf32>
  memref.copy %in, %a : memref<16xf32> to memref<16xf32>
  %v = memref.expand_shape %a [[0, 1]] output_shape [2, 8] : memref<16xf32> into memref<2x8xf32>
  memref.copy %v, %out : memref<2x8xf32> to memref<2x8xf32>
  return
}

// -----

// A buffer copied into two outputs is forwarded into the one whose copy is
// its last use; the earlier copy then reads that output.
// CHECK-LABEL: func.func @forward_into_last
// CHECK: memref.copy %arg0, %arg2
// CHECK-NEXT: memref.copy %arg2, %arg1
func.func @forward_into_last(%in: memref<16xf32>, %out: memref<16xf32>, %out2: memref<16xf32>) {
  %a = memref.alloc() : memref<16xf32>
  memref.copy %in, %a : memref<16xf32> to memref<16xf32>
  memref.copy %a, %out : memref<16xf32> to memref<16xf32>
  memref.copy %a, %out2 : memref<16xf32> to memref<16xf32>
  return
}

// -----

// In-place elementwise: %b is first written by a generic that reads %a for
// the last time through the same map: %b takes %a's bytes. %d cannot take
// %c's (%c is read again afterwards); it is forwarded into %out instead.
// CHECK: edge.arena_lower_bound = 128 : i64, edge.arena_no_reuse = 320 : i64, edge.arena_size = 128 : i64
// CHECK-LABEL: func.func @inplace
// CHECK: %[[A:.*]] = memref.view {{.*}} to memref<16xf32>
// CHECK: linalg.generic {{.*}} ins(%[[A]] : memref<16xf32>) outs(%[[A]] : memref<16xf32>)
// CHECK: %[[C:.*]] = memref.view {{.*}} to memref<16xf32>
// CHECK: linalg.generic {{.*}} ins(%[[C]] : memref<16xf32>) outs(%arg1 : memref<16xf32>)
#id = affine_map<(d0) -> (d0)>
func.func @inplace(%in: memref<16xf32>, %out: memref<16xf32>) {
  %a = memref.alloc() : memref<16xf32>
  memref.copy %in, %a : memref<16xf32> to memref<16xf32>
  %b = memref.alloc() : memref<16xf32>
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%a : memref<16xf32>) outs(%b : memref<16xf32>) {
  ^bb0(%x: f32, %y: f32):
    %r = arith.negf %x : f32
    linalg.yield %r : f32
  }
  %c = memref.alloc() : memref<16xf32>
  memref.copy %b, %c : memref<16xf32> to memref<16xf32>
  %d = memref.alloc() : memref<16xf32>
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%c : memref<16xf32>) outs(%d : memref<16xf32>) {
  ^bb0(%x: f32, %y: f32):
    %r = arith.negf %x : f32
    linalg.yield %r : f32
  }
  %e = memref.alloc() : memref<16xf32>
  memref.copy %c, %e : memref<16xf32> to memref<16xf32>
  memref.copy %d, %out : memref<16xf32> to memref<16xf32>
  memref.copy %e, %out : memref<16xf32> to memref<16xf32>
  return
}

// -----

// An output that is read before the copy into it is not a forwarding
// target: the buffer stays in the arena.
// CHECK-LABEL: func.func @no_forward_into_read_output
// CHECK: memref.view
// CHECK: memref.copy %{{.*}}, %arg1
func.func @no_forward_into_read_output(%in: memref<16xf32>, %out: memref<16xf32>, %out2: memref<16xf32>) {
  %a = memref.alloc() : memref<16xf32>
  memref.copy %in, %a : memref<16xf32> to memref<16xf32>
  memref.copy %out, %out2 : memref<16xf32> to memref<16xf32>
  memref.copy %a, %out : memref<16xf32> to memref<16xf32>
  return
}

// -----

// No intermediate buffers: an empty arena.
// CHECK: module attributes {edge.arena_lower_bound = 0 : i64, edge.arena_no_reuse = 0 : i64, edge.arena_size = 0 : i64
// CHECK-LABEL: func.func @none
// CHECK-SAME: memref<0xi8>
func.func @none(%in: memref<4xf32>, %out: memref<4xf32>) {
  memref.copy %in, %out : memref<4xf32> to memref<4xf32>
  return
}
