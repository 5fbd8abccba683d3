// RUN: edge-aotc-opt %s --split-input-file --edge-fill-borders | FileCheck %s

// A padded copy of the input: the fill of the whole 1x2x6x7 buffer becomes
// fills of its top and bottom rows (full width) and of the left and right
// columns of the rows in between; the copy writes the 4x5 interior.
// CHECK-LABEL: func.func @padded_copy
// CHECK-NOT: linalg.fill ins(%{{.*}}) outs(%arg1 : memref<1x2x6x7xf32>)
// CHECK: %[[TOP:.*]] = memref.subview %arg1[0, 0, 0, 0] [1, 2, 1, 7] [1, 1, 1, 1]
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%[[TOP]]
// CHECK: %[[BOT:.*]] = memref.subview %arg1[0, 0, 5, 0] [1, 2, 1, 7] [1, 1, 1, 1]
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%[[BOT]]
// CHECK: %[[LEFT:.*]] = memref.subview %arg1[0, 0, 1, 0] [1, 2, 4, 1] [1, 1, 1, 1]
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%[[LEFT]]
// CHECK: %[[RIGHT:.*]] = memref.subview %arg1[0, 0, 1, 6] [1, 2, 4, 1] [1, 1, 1, 1]
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%[[RIGHT]]
// CHECK-NOT: linalg.fill
// CHECK: memref.copy %arg0
func.func @padded_copy(%in: memref<1x2x4x5xf32>, %buf: memref<1x2x6x7xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%buf : memref<1x2x6x7xf32>)
  %s = memref.subview %buf[0, 0, 1, 1] [1, 2, 4, 5] [1, 1, 1, 1] : memref<1x2x6x7xf32> to memref<1x2x4x5xf32, strided<[84, 42, 7, 1], offset: 8>>
  memref.copy %in, %s : memref<1x2x4x5xf32> to memref<1x2x4x5xf32, strided<[84, 42, 7, 1], offset: 8>>
  return
}

// -----

// The interior subview defined before the fill, written by a bias
// broadcast (its body ignores the old values): shrunk too. Padding only
// at the end of H: one slab.
#b = affine_map<(d0, d1, d2, d3) -> (d1)>
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @bias_init
// CHECK: %[[S:.*]] = memref.subview %arg1[0, 0, 3, 0] [1, 2, 1, 4] [1, 1, 1, 1]
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%[[S]]
// CHECK-NOT: linalg.fill
// CHECK: linalg.generic
func.func @bias_init(%bias: memref<2xf32>, %buf: memref<1x2x4x4xf32>) {
  %zero = arith.constant 0.0 : f32
  %s = memref.subview %buf[0, 0, 0, 0] [1, 2, 3, 4] [1, 1, 1, 1] : memref<1x2x4x4xf32> to memref<1x2x3x4xf32, strided<[32, 16, 4, 1]>>
  linalg.fill ins(%zero : f32) outs(%buf : memref<1x2x4x4xf32>)
  linalg.generic {indexing_maps = [#b, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%bias : memref<2xf32>) outs(%s : memref<1x2x3x4xf32, strided<[32, 16, 4, 1]>>) {
  ^bb0(%x: f32, %o: f32):
    linalg.yield %x : f32
  }
  return
}

// -----

// The first op after the fill reads the interior (it accumulates into the
// output): the zeros are needed, the fill stays whole.
#id2 = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @accumulates
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%arg1 : memref<4x4xf32>)
// CHECK-NOT: linalg.fill
func.func @accumulates(%in: memref<2x2xf32>, %buf: memref<4x4xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%buf : memref<4x4xf32>)
  %s = memref.subview %buf[1, 1] [2, 2] [1, 1] : memref<4x4xf32> to memref<2x2xf32, strided<[4, 1], offset: 5>>
  linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%in : memref<2x2xf32>) outs(%s : memref<2x2xf32, strided<[4, 1], offset: 5>>) {
  ^bb0(%x: f32, %o: f32):
    %r = arith.addf %x, %o : f32
    linalg.yield %r : f32
  }
  return
}
