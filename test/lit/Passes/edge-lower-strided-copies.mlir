// Copies between strided views become an identity linalg.generic (which
// edge-vectorize-elementwise vectorizes); contiguous ones stay memref.copy
// (llvm.memcpy).
// RUN: edge-aotc-opt %s --edge-lower-strided-copies | FileCheck %s
// RUN: edge-aotc-opt %s --edge-lower-strided-copies --edge-vectorize-elementwise=vector-width=4 | FileCheck %s --check-prefix=VEC

// CHECK-LABEL: func.func @copies
// CHECK: linalg.generic {indexing_maps = [#[[ID:map[0-9]*]], #[[ID]]], iterator_types = ["parallel", "parallel"]} ins(%{{.*}} : memref<2x4xf32>) outs(%{{.*}} : memref<2x4xf32, strided<[8, 1], offset: 4>>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: linalg.yield %[[IN]] : f32
// CHECK-NOT: linalg.copy
// CHECK: memref.copy %{{.*}}, %{{.*}} : memref<2x4xf32> to memref<2x4xf32>

// VEC-LABEL: func.func @copies
// VEC: scf.for
// VEC: %[[V:.*]] = vector.load %{{.*}} : memref<2x4xf32>, vector<4xf32>
// VEC: vector.store %[[V]], %{{.*}} : memref<2x4xf32, strided<[8, 1], offset: 4>>, vector<4xf32>
// VEC-NOT: linalg.generic
// VEC: memref.copy
func.func @copies(%a: memref<2x4xf32>, %b: memref<2x8xf32>, %c: memref<2x4xf32>) {
  %v = memref.subview %b[0, 4] [2, 4] [1, 1] : memref<2x8xf32> to memref<2x4xf32, strided<[8, 1], offset: 4>>
  memref.copy %a, %v : memref<2x4xf32> to memref<2x4xf32, strided<[8, 1], offset: 4>>
  memref.copy %a, %c : memref<2x4xf32> to memref<2x4xf32>
  return
}
