// Elementwise generics on buffers as explicit vector loops.
// RUN: edge-aotc-opt %s --split-input-file --edge-vectorize-elementwise="vector-width=8" | FileCheck %s
// RUN: edge-aotc-opt %s --split-input-file --edge-vectorize-elementwise | FileCheck %s --check-prefix=NONE

#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#chan = affine_map<(d0, d1, d2, d3) -> (d0, d1, 0, 0)>

// A squeeze-excitation scale: x * s[n, c] broadcast over H, W. 20 columns:
// two full vectors (a loop) and a masked tail of 4. The broadcast operand
// is one scalar load and a splat; the body runs on vectors.
// CHECK-LABEL: func.func @scale
// CHECK: scf.for
// CHECK: scf.for
// CHECK: scf.for %[[H:.*]] =
// CHECK: scf.for %[[W:.*]] = %c0{{.*}} to %c16{{.*}} step %c8
// CHECK: %[[X:.*]] = vector.load %arg0[{{.*}}] : memref<1x3x5x20xf32>, vector<8xf32>
// CHECK: %[[S:.*]] = memref.load %arg1[{{.*}}, %c0{{.*}}, %c0{{.*}}] : memref<1x3x1x1xf32>
// CHECK: %[[SV:.*]] = vector.broadcast %[[S]] : f32 to vector<8xf32>
// CHECK: %[[M:.*]] = arith.mulf %[[X]], %[[SV]] : vector<8xf32>
// CHECK: vector.store %[[M]], %arg2
// CHECK: vector.constant_mask [4] : vector<8xi1>
// CHECK: vector.maskedload %arg0
// CHECK: vector.maskedstore %arg2
// CHECK-NOT: linalg.generic
// NONE: linalg.generic
func.func @scale(%x: memref<1x3x5x20xf32>, %s: memref<1x3x1x1xf32>, %y: memref<1x3x5x20xf32>) {
  linalg.generic {indexing_maps = [#id, #chan, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%x, %s : memref<1x3x5x20xf32>, memref<1x3x1x1xf32>) outs(%y : memref<1x3x5x20xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %r = arith.mulf %a, %b : f32
    linalg.yield %r : f32
  }
  return
}

// -----

// Left alone: a reduction, a transposed read of the innermost dim, and a
// body with linalg.index.
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#tr = affine_map<(d0, d1) -> (d1, d0)>
#row = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @left_alone
// CHECK-COUNT-3: linalg.generic
func.func @left_alone(%x: memref<8x8xf32>, %r: memref<8xf32>, %y: memref<8x8xf32>) {
  linalg.generic {indexing_maps = [#id2, #row], iterator_types = ["parallel", "reduction"]}
      ins(%x : memref<8x8xf32>) outs(%r : memref<8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.addf %a, %o : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [#tr, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%x : memref<8x8xf32>) outs(%y : memref<8x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    linalg.yield %a : f32
  }
  linalg.generic {indexing_maps = [#id2], iterator_types = ["parallel", "parallel"]}
      outs(%y : memref<8x8xf32>) {
  ^bb0(%o: f32):
    %i = linalg.index 1 : index
    %c = arith.index_cast %i : index to i32
    %f = arith.sitofp %c : i32 to f32
    linalg.yield %f : f32
  }
  return
}

// -----

// Lanes past the tail load 1, so an integer remainder cannot trap on them.
#id3 = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @int_rem_tail
// CHECK: %[[ONES:.*]] = arith.constant dense<1> : vector<8xi32>
// CHECK: vector.maskedload %arg1{{.*}}, %[[ONES]]
// CHECK: arith.remsi {{.*}} : vector<8xi32>
func.func @int_rem_tail(%x: memref<5xi32>, %y: memref<5xi32>, %z: memref<5xi32>) {
  linalg.generic {indexing_maps = [#id3, #id3, #id3], iterator_types = ["parallel"]}
      ins(%x, %y : memref<5xi32>, memref<5xi32>) outs(%z : memref<5xi32>) {
  ^bb0(%a: i32, %b: i32, %o: i32):
    %r = arith.remsi %a, %b : i32
    linalg.yield %r : i32
  }
  return
}
