// Elementwise generics on buffers as explicit vector loops.
// RUN: edge-aotc-opt %s --split-input-file --edge-vectorize-elementwise="vector-width=8" | FileCheck %s
// RUN: edge-aotc-opt %s --split-input-file --edge-vectorize-elementwise | FileCheck %s --check-prefix=NONE

#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#chan = affine_map<(d0, d1, d2, d3) -> (d0, d1, 0, 0)>

// A squeeze-excitation scale: x * s[n, c] broadcast over H, W. H and W are
// read contiguously by x and y and not at all by s, so they collapse into
// one row of 100: twelve full vectors (a loop) and a masked tail of 4. The
// broadcast operand is one scalar load and a splat; the body runs on vectors.
// CHECK-LABEL: func.func @scale
// CHECK-DAG: %[[XF:.*]] = memref.collapse_shape %arg0 {{\[}}[0], [1], [2, 3]] : memref<1x3x5x20xf32> into memref<1x3x100xf32>
// CHECK-DAG: %[[YF:.*]] = memref.collapse_shape %arg2 {{\[}}[0], [1], [2, 3]]
// CHECK: scf.for
// CHECK: scf.for %[[C:.*]] =
// CHECK: scf.for %[[W:.*]] = %c0{{.*}} to %c96{{.*}} step %c8
// CHECK: %[[X:.*]] = vector.load %[[XF]][{{.*}}] : memref<1x3x100xf32>, vector<8xf32>
// CHECK: %[[S:.*]] = memref.load %arg1[{{.*}}, %c0{{.*}}, %c0{{.*}}] : memref<1x3x1x1xf32>
// CHECK: %[[SV:.*]] = vector.broadcast %[[S]] : f32 to vector<8xf32>
// CHECK: %[[M:.*]] = arith.mulf %[[X]], %[[SV]] : vector<8xf32>
// CHECK: vector.store %[[M]], %[[YF]]
// CHECK: vector.constant_mask [4] : vector<8xi1>
// CHECK: vector.maskedload %[[XF]]
// CHECK: vector.maskedstore %[[YF]]
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

// Left alone: a float sum without `reassoc` (its order is fixed), a
// transposed read of the innermost dim, and a body with linalg.index.
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

// -----

// Global average pooling's sum over a 7x7 plane: the two reduced dims
// collapse into 49 elements, accumulated in one vector register (six full
// vectors, then a tail of one lane merged with a select), and reduced once
// per channel, starting from the value already in the output.
#in4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#out2 = affine_map<(d0, d1, d2, d3) -> (d0, d1)>
// CHECK-LABEL: func.func @gap_sum
// CHECK: %[[XF:.*]] = memref.collapse_shape %arg0 {{\[}}[0], [1], [2, 3]] : memref<2x3x7x7xf32> into memref<2x3x49xf32>
// CHECK: scf.for %[[N:.*]] =
// CHECK: scf.for %[[C:.*]] =
// CHECK: %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : vector<8xf32>
// CHECK: %[[ACC:.*]] = scf.for %{{.*}} = %c0{{.*}} to %c48{{.*}} step %c8{{.*}} iter_args(%[[A:.*]] = %[[ZERO]])
// CHECK: %[[V:.*]] = vector.load %[[XF]]
// CHECK: %[[S:.*]] = arith.addf %[[V]], %[[A]] fastmath<reassoc,contract> : vector<8xf32>
// CHECK: scf.yield %[[S]]
// CHECK: %[[MASK:.*]] = vector.constant_mask [1] : vector<8xi1>
// CHECK: %[[T:.*]] = vector.maskedload %[[XF]]
// CHECK: %[[TS:.*]] = arith.addf %[[T]], %[[ACC]]
// CHECK: %[[ALL:.*]] = arith.select %[[MASK]], %[[TS]], %[[ACC]]
// CHECK: %[[OLD:.*]] = memref.load %arg1[%[[N]], %[[C]]]
// CHECK: %[[R:.*]] = vector.reduction <add>, %[[ALL]], %[[OLD]] fastmath<reassoc,contract> : vector<8xf32> into f32
// CHECK: memref.store %[[R]], %arg1[%[[N]], %[[C]]]
// CHECK-NOT: linalg.generic
func.func @gap_sum(%x: memref<2x3x7x7xf32>, %s: memref<2x3xf32>) {
  linalg.generic {indexing_maps = [#in4, #out2], iterator_types = ["parallel", "parallel", "reduction", "reduction"]}
      ins(%x : memref<2x3x7x7xf32>) outs(%s : memref<2x3xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = arith.addf %a, %o fastmath<reassoc,contract> : f32
    linalg.yield %r : f32
  }
  return
}

// -----

// A max over the rows of a transposed view (the reduced dims do not
// collapse: the outer one is a loop carrying the accumulator), with an
// elementwise op before the combiner. maximumf needs no `reassoc`.
#v = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#o1 = affine_map<(d0, d1, d2) -> (d0)>
// CHECK-LABEL: func.func @max_abs
// CHECK-NOT: memref.collapse_shape
// CHECK: %[[NEG:.*]] = arith.constant dense<0xFF800000> : vector<8xf32>
// CHECK: scf.for %{{.*}} iter_args(%[[A0:.*]] = %[[NEG]])
// CHECK: scf.for %{{.*}} = %c0{{.*}} to %c16{{.*}} step %c8{{.*}} iter_args(%[[A1:.*]] = %[[A0]])
// CHECK: math.absf %{{.*}} : vector<8xf32>
// CHECK: arith.maximumf
// CHECK: vector.reduction <maximumf>
func.func @max_abs(%x: memref<4x5x16xf32, strided<[16, 64, 1]>>, %m: memref<4xf32>) {
  linalg.generic {indexing_maps = [#v, #o1], iterator_types = ["parallel", "reduction", "reduction"]}
      ins(%x : memref<4x5x16xf32, strided<[16, 64, 1]>>) outs(%m : memref<4xf32>) {
  ^bb0(%a: f32, %o: f32):
    %b = math.absf %a : f32
    %r = arith.maximumf %o, %b : f32
    linalg.yield %r : f32
  }
  return
}

// -----

// A stride phase of a padded plane (what edge-split-strided-conv copies):
// out[c, i, j] = in[c, 2i + 1, 2j + 1]. Nothing collapses (the reads are
// strided); each vector of 8 outputs is one load of 16 values (masked to
// the 15 it needs: the last one read is lane 14) and its odd lanes; the
// 3-column tail is a 5-value masked load, its lanes past the tail 1.
// CHECK-LABEL: func.func @stride_phase
// CHECK-NOT: memref.collapse_shape
// CHECK: scf.for %[[C:.*]] = %c0{{.*}} to %c2
// CHECK: scf.for %[[I:.*]] = %c0{{.*}} to %c4
// CHECK: scf.for %[[K:.*]] = %c0{{.*}} to %c8{{.*}} step %c8
// CHECK: %[[R:.*]] = arith.muli %[[I]], %c2
// CHECK: %[[R1:.*]] = arith.addi %[[R]], %c1
// CHECK: %[[J:.*]] = arith.muli %[[K]], %c2
// CHECK: %[[J1:.*]] = arith.addi %[[J]], %c1
// CHECK: %[[W:.*]] = vector.maskedload %arg0[%[[C]], %[[R1]], %[[J1]]], %{{.*}} : memref<2x9x23xf32>, vector<16xi1>, vector<16xf32> into vector<16xf32>
// CHECK: vector.shuffle %[[W]], %[[W]] [0, 2, 4, 6, 8, 10, 12, 14]
// CHECK: vector.store %{{.*}}, %arg1[%[[C]], %[[I]], %[[K]]] : memref<2x4x11xf32>, vector<8xf32>
// CHECK: vector.constant_mask [5] : vector<16xi1>
// CHECK: vector.shuffle
// CHECK: arith.select %{{.*}}, %{{.*}}, %{{.*}} : vector<8xi1>, vector<8xf32>
// CHECK: vector.maskedstore %arg1
// CHECK-NOT: linalg.generic
#phase = affine_map<(d0, d1, d2) -> (d0, d1 * 2 + 1, d2 * 2 + 1)>
#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
func.func @stride_phase(%in: memref<2x9x23xf32>, %out: memref<2x4x11xf32>) {
  linalg.generic {indexing_maps = [#phase, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%in : memref<2x9x23xf32>) outs(%out : memref<2x4x11xf32>) {
  ^bb0(%a: f32, %o: f32):
    linalg.yield %a : f32
  }
  return
}

// -----

// Strided or offset reads only in elementwise ops: a reduction reading
// channel 1 of each pair is left alone.
// CHECK-LABEL: func.func @offset_reduction
// CHECK: linalg.generic
#second = affine_map<(d0, d1) -> (d0, d1, 1)>
#row = affine_map<(d0, d1) -> (d0)>
func.func @offset_reduction(%in: memref<4x16x2xf32>, %out: memref<4xf32>) {
  linalg.generic {indexing_maps = [#second, #row], iterator_types = ["parallel", "reduction"]}
      ins(%in : memref<4x16x2xf32>) outs(%out : memref<4xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.addf %o, %a : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// A size-1 innermost dim after a strided one (a ConvTranspose scattering
// every other column): collapse_shape would accept [3][1] with strides
// [2][1], but as a row it has stride 2, not 1. Nothing collapses, and the
// size-1 innermost loop is left to the generic lowering.
// CHECK-LABEL: func.func @strided_unit_inner
// CHECK-NOT: memref.collapse_shape
// CHECK: linalg.generic
#id3b = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
func.func @strided_unit_inner(%in: memref<3x3x1xf32>, %out: memref<3x3x1xf32, strided<[18, 2, 1]>>) {
  linalg.generic {indexing_maps = [#id3b, #id3b], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%in : memref<3x3x1xf32>) outs(%out : memref<3x3x1xf32, strided<[18, 2, 1]>>) {
  ^bb0(%a: f32, %o: f32):
    linalg.yield %a : f32
  }
  return
}
