// RUN: edge-aotc-opt %s --split-input-file --edge-vectorize-window="vector-width=8" | FileCheck %s
// RUN: edge-aotc-opt %s --split-input-file --edge-vectorize-window | FileCheck %s --check-prefix=NONE

// A 3x3 stride-2 MaxPool (the importer's window reduction), separable: the
// kh loop combines whole input rows (the 16 values a vector of 8 outputs
// reads from, and a second block masked to the one value past them), then
// the kw taps are the even phase, the odd phase and the even phase shifted
// by one lane across the two blocks. The fill of the output becomes the
// initial value. 10 output columns are one vector of 8 and a tail of 2 (a
// masked block and a masked store).
#in = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2 * 2 + d4, d3 * 2 + d5)>
#win = affine_map<(d0, d1, d2, d3, d4, d5) -> (d4, d5)>
#out = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @maxpool
// CHECK-NOT: linalg.fill
// CHECK: scf.for %{{.*}} = %{{.*}} to %c8 step %c8
// CHECK: %[[INIT:.*]] = vector.broadcast %{{.*}} : f32 to vector<8xf32>
// CHECK: %[[ROWS:.*]]:2 = scf.for %{{.*}} iter_args(%[[A:.*]] = %{{.*}}, %[[B:.*]] = %{{.*}}) -> (vector<16xf32>, vector<16xf32>)
// CHECK: %[[X:.*]] = vector.load %arg0{{.*}} : memref<1x2x11x21xf32>, vector<16xf32>
// CHECK: %[[MA:.*]] = arith.maximumf %[[X]], %[[A]] : vector<16xf32>
// CHECK: vector.constant_mask [1] : vector<16xi1>
// CHECK: %[[Y:.*]] = vector.maskedload %arg0
// CHECK: %[[MB:.*]] = arith.maximumf %[[Y]], %[[B]] : vector<16xf32>
// CHECK: scf.yield %[[MA]], %[[MB]]
// CHECK: %[[E:.*]] = vector.shuffle %[[ROWS]]#0, %[[ROWS]]#0 [0, 2, 4, 6, 8, 10, 12, 14]
// CHECK: %[[M0:.*]] = arith.maximumf %[[E]], %[[INIT]] : vector<8xf32>
// CHECK: %[[O:.*]] = vector.shuffle %[[ROWS]]#0, %[[ROWS]]#0 [1, 3, 5, 7, 9, 11, 13, 15]
// CHECK: %[[M1:.*]] = arith.maximumf %[[O]], %[[M0]] : vector<8xf32>
// CHECK: %[[E2:.*]] = vector.shuffle %[[ROWS]]#1, %[[ROWS]]#1 [0, 2, 4, 6, 8, 10, 12, 14]
// CHECK: %[[S:.*]] = vector.shuffle %{{.*}}, %[[E2]] [1, 2, 3, 4, 5, 6, 7, 8]
// CHECK: %[[M2:.*]] = arith.maximumf %[[S]], %[[M1]] : vector<8xf32>
// CHECK: vector.store %[[M2]], %arg1
// CHECK: vector.constant_mask [5] : vector<16xi1>
// CHECK: vector.constant_mask [2] : vector<8xi1>
// CHECK: vector.maskedstore %arg1
// CHECK-NOT: linalg.generic
// NONE-LABEL: func.func @maxpool
// NONE: linalg.generic
func.func @maxpool(%in: memref<1x2x11x21xf32>, %out: memref<1x2x5x10xf32>, %win: memref<3x3xi8>) {
  %low = arith.constant 0xFF800000 : f32
  linalg.fill ins(%low : f32) outs(%out : memref<1x2x5x10xf32>)
  linalg.generic {indexing_maps = [#in, #win, #out], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]}
      ins(%in, %win : memref<1x2x11x21xf32>, memref<3x3xi8>) outs(%out : memref<1x2x5x10xf32>) {
  ^bb0(%x: f32, %w: i8, %m: f32):
    %r = arith.maximumf %x, %m : f32
    linalg.yield %r : f32
  }
  return
}

// -----

// A 1-D int8 MaxPool, stride 1, dilation 2: 32 lanes of i8 for a 32-bit
// width of 8; the output is not initialised right before, so its values
// are loaded as the initial value.
#in1 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2 + d3 * 2)>
#win1 = affine_map<(d0, d1, d2, d3) -> (d3)>
#out1 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// One row: the 12 input values are loaded once, the second tap is that
// row shifted by the dilation (2 lanes).
// CHECK-LABEL: func.func @maxpool_i8_1d
// CHECK: %[[ACC:.*]] = vector.maskedload %arg1{{.*}} vector<32xi8>
// CHECK: vector.constant_mask [12] : vector<32xi1>
// CHECK: %[[ROW:.*]] = vector.maskedload %arg0{{.*}} vector<32xi8>
// CHECK: %[[R:.*]] = arith.maxsi %[[ROW]], %{{.*}} : vector<32xi8>
// CHECK: %[[M:.*]] = arith.maxsi %[[R]], %[[ACC]] : vector<32xi8>
// CHECK: %[[S:.*]] = vector.shuffle %[[R]], %{{.*}} [2, 3, 4,
// CHECK: %[[M2:.*]] = arith.maxsi %[[S]], %[[M]] : vector<32xi8>
// CHECK-NOT: vector.maskedload %arg0
// CHECK: vector.maskedstore %arg1{{.*}}, %[[M2]]
func.func @maxpool_i8_1d(%in: memref<2x3x12xi8>, %out: memref<2x3x10xi8>, %win: memref<2xi8>) {
  linalg.generic {indexing_maps = [#in1, #win1, #out1], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%in, %win : memref<2x3x12xi8>, memref<2xi8>) outs(%out : memref<2x3x10xi8>) {
  ^bb0(%x: i8, %w: i8, %m: i8):
    %r = arith.maxsi %x, %m : i8
    linalg.yield %r : i8
  }
  return
}

// -----

// A sum of squares (an LpPool's window) is not one combiner: each tap is
// loaded, even lanes kept, squared and added in the window's order.
#in2 = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2 * 2 + d4, d3 * 2 + d5)>
#win2 = affine_map<(d0, d1, d2, d3, d4, d5) -> (d4, d5)>
#out2 = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @sum_squares
// CHECK: scf.for %{{.*}} iter_args(%[[ACC:.*]] = %{{.*}}) -> (vector<8xf32>)
// CHECK: %[[L:.*]] = vector.maskedload %arg0{{.*}} vector<16xf32>
// CHECK: %[[E:.*]] = vector.shuffle %[[L]], %[[L]] [0, 2, 4, 6, 8, 10, 12, 14]
// CHECK: %[[Q:.*]] = arith.mulf %[[E]], %[[E]] : vector<8xf32>
// CHECK: arith.addf %[[Q]], %[[ACC]] fastmath<reassoc> : vector<8xf32>
// CHECK: arith.mulf
// CHECK-NOT: arith.mulf
// CHECK: scf.yield
func.func @sum_squares(%in: memref<1x1x5x17xf32>, %out: memref<1x1x2x8xf32>, %win: memref<2x2xi8>) {
  linalg.generic {indexing_maps = [#in2, #win2, #out2], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]}
      ins(%in, %win : memref<1x1x5x17xf32>, memref<2x2xi8>) outs(%out : memref<1x1x2x8xf32>) {
  ^bb0(%x: f32, %w: i8, %m: f32):
    %q = arith.mulf %x, %x : f32
    %r = arith.addf %q, %m fastmath<reassoc> : f32
    linalg.yield %r : f32
  }
  return
}

// -----

// Stride 3 along the innermost dim is left to the generic lowering.
#in3 = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2 + d4, d3 * 3 + d5)>
#win3 = affine_map<(d0, d1, d2, d3, d4, d5) -> (d4, d5)>
#out3 = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @stride3
// CHECK: linalg.generic
func.func @stride3(%in: memref<1x1x4x10xf32>, %out: memref<1x1x3x3xf32>, %win: memref<2x2xi8>) {
  linalg.generic {indexing_maps = [#in3, #win3, #out3], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]}
      ins(%in, %win : memref<1x1x4x10xf32>, memref<2x2xi8>) outs(%out : memref<1x1x3x3xf32>) {
  ^bb0(%x: f32, %w: i8, %m: f32):
    %r = arith.addf %x, %m : f32
    linalg.yield %r : f32
  }
  return
}
