// RUN: edge-aotc-opt %s --split-input-file --edge-vectorize-window="vector-width=8" | FileCheck %s
// RUN: edge-aotc-opt %s --split-input-file --edge-vectorize-window | FileCheck %s --check-prefix=NONE

// A 3x3 stride-2 MaxPool (the importer's window reduction): the fill of the
// output becomes the accumulators' initial value, the kh loop carries them,
// kw is unrolled, and each tap loads two vectors' worth (15 values: the
// last odd one is not needed) and keeps the even lanes. 10 output columns
// are one vector of 8 and a tail of 2 (masked load and store).
#in = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2 * 2 + d4, d3 * 2 + d5)>
#win = affine_map<(d0, d1, d2, d3, d4, d5) -> (d4, d5)>
#out = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @maxpool
// CHECK-NOT: linalg.fill
// CHECK: scf.for %[[OW:.*]] = %{{.*}} to %c8 step %c8
// CHECK: %[[INIT:.*]] = vector.broadcast %{{.*}} : f32 to vector<8xf32>
// CHECK: scf.for %{{.*}} = %{{.*}} to %c3{{.*}} step %c1{{.*}} iter_args(%[[ACC:.*]] = %[[INIT]])
// CHECK: %[[X:.*]] = vector.maskedload %arg0{{.*}} : memref<1x2x11x21xf32>, vector<16xi1>, vector<16xf32> into vector<16xf32>
// CHECK: %[[E:.*]] = vector.shuffle %[[X]], %[[X]] [0, 2, 4, 6, 8, 10, 12, 14]
// CHECK: %[[M:.*]] = arith.maximumf %[[E]], %[[ACC]] : vector<8xf32>
// CHECK: vector.maskedload
// CHECK: arith.maximumf %{{.*}}, %[[M]]
// CHECK: vector.maskedload
// CHECK: arith.maximumf
// CHECK-NOT: arith.maximumf
// CHECK: scf.yield
// CHECK: vector.store %{{.*}}, %arg1
// CHECK: vector.constant_mask [3] : vector<16xi1>
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
// are loaded as the accumulators.
#in1 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2 + d3 * 2)>
#win1 = affine_map<(d0, d1, d2, d3) -> (d3)>
#out1 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @maxpool_i8_1d
// CHECK: vector.maskedload %arg1{{.*}} vector<32xi8>
// CHECK: vector.maskedload %arg0{{.*}} vector<32xi8>
// CHECK: arith.maxsi {{.*}} : vector<32xi8>
// CHECK: vector.maskedload %arg0{{.*}} vector<32xi8>
// CHECK: arith.maxsi {{.*}} : vector<32xi8>
// CHECK: vector.maskedstore %arg1
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
