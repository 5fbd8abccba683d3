// RUN: edge-aotc-opt %s --split-input-file --edge-convert-to-linalg | FileCheck %s

// The bias is the accumulator's initial value; padding is a filled tensor
// with the input inserted (no tensor.pad, so the producer can write into it).
// CHECK-LABEL: func.func @conv_bias
// CHECK: %[[FILL:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<1x3x10x10xf32>)
// CHECK: %[[PAD:.*]] = tensor.insert_slice %arg0 into %[[FILL]][0, 0, 1, 1] [1, 3, 8, 8] [1, 1, 1, 1]
// CHECK: %[[BIAS:.*]] = linalg.generic {{.*}} ins(%{{.*}} : tensor<4x1x1xf32>) outs(%{{.*}} : tensor<1x4x8x8xf32>)
// CHECK: linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%[[PAD]], %{{.*}} : tensor<1x3x10x10xf32>, tensor<4x3x3x3xf32>) outs(%[[BIAS]] : tensor<1x4x8x8xf32>)
func.func @conv_bias(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf32>) -> tensor<1x4x8x8xf32> {
  %0 = edge.conv %x, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
  return %0 : tensor<1x4x8x8xf32>
}

// -----

// CHECK-LABEL: func.func @depthwise
// CHECK: linalg.depthwise_conv_2d_nchw_chw {{.*}} ins(%{{.*}}, %{{.*}} : tensor<1x4x8x8xf32>, tensor<4x3x3xf32>)
func.func @depthwise(%x: tensor<1x4x8x8xf32>, %w: tensor<4x1x3x3xf32>) -> tensor<1x4x6x6xf32> {
  %0 = edge.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 4 : i64} : (tensor<1x4x8x8xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

// CHECK-LABEL: func.func @grouped
// CHECK: linalg.conv_2d_ngchw_gfchw {{.*}} ins(%{{.*}}, %{{.*}} : tensor<1x2x2x8x8xf32>, tensor<2x3x2x3x3xf32>) outs(%{{.*}} : tensor<1x2x3x6x6xf32>)
func.func @grouped(%x: tensor<1x4x8x8xf32>, %w: tensor<6x2x3x3xf32>) -> tensor<1x6x6x6xf32> {
  %0 = edge.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 2 : i64} : (tensor<1x4x8x8xf32>, tensor<6x2x3x3xf32>) -> tensor<1x6x6x6xf32>
  return %0 : tensor<1x6x6x6xf32>
}

// -----

// Broadcast operands read index 0 along their size-1 dimensions.
// CHECK-DAG: #[[BCAST:.*]] = affine_map<(d0, d1, d2, d3) -> (d1, 0, 0)>
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @add_broadcast
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[BCAST]], #[[ID]]]
// CHECK: arith.addf
func.func @add_broadcast(%a: tensor<1x3x4x4xf32>, %b: tensor<3x1x1xf32>) -> tensor<1x3x4x4xf32> {
  %0 = edge.add %a, %b : (tensor<1x3x4x4xf32>, tensor<3x1x1xf32>) -> tensor<1x3x4x4xf32>
  return %0 : tensor<1x3x4x4xf32>
}

// -----

// ceil_mode pads the end with -inf so the last window reads padding. The
// window is a shape-only operand that gives the reduction loops their sizes.
// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2 * 2 + d4, d3 * 2 + d5)>
// CHECK-LABEL: func.func @max_pool
// CHECK: %[[NEGINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK: %[[FILL:.*]] = linalg.fill ins(%[[NEGINF]] : f32) outs(%{{.*}} : tensor<1x2x8x8xf32>)
// CHECK: tensor.insert_slice %arg0 into %[[FILL]][0, 0, 0, 0] [1, 2, 7, 7] [1, 1, 1, 1]
// CHECK: linalg.generic {indexing_maps = [#[[IN]], #{{.*}}, #{{.*}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]}
// CHECK-SAME: ins(%{{.*}}, %{{.*}} : tensor<1x2x8x8xf32>, tensor<2x2xi8>)
// CHECK: arith.maximumf
func.func @max_pool(%x: tensor<1x2x7x7xf32>) -> tensor<1x2x4x4xf32> {
  %0 = edge.max_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, ceil_mode = true} : (tensor<1x2x7x7xf32>) -> tensor<1x2x4x4xf32>
  return %0 : tensor<1x2x4x4xf32>
}

// -----

// The divisor of every output position is a compile-time constant
// (count_include_pad = false: corners average 4 values, edges 6).
// CHECK-LABEL: func.func @avg_pool
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<1x2x5x5xf32>, tensor<3x3xi8>)
// CHECK: arith.addf
// CHECK: arith.constant dense<{{\[\[}}2.500000e-01, 0.166666672, 2.500000e-01], [0.166666672, 0.111111112, 0.166666672], [2.500000e-01, 0.166666672, 2.500000e-01]]> : tensor<3x3xf32>
// CHECK: arith.mulf
func.func @avg_pool(%x: tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32> {
  %0 = edge.avg_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  return %0 : tensor<1x2x3x3xf32>
}

// -----

// CHECK-DAG: #[[A:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[BT:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-LABEL: func.func @gemm
// CHECK: linalg.generic {indexing_maps = [#[[A]], #[[BT]], #{{.*}}], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK: arith.mulf
// CHECK: arith.constant 5.000000e-01
func.func @gemm(%a: tensor<2x3xf32>, %b: tensor<4x3xf32>, %c: tensor<4xf32>) -> tensor<2x4xf32> {
  %0 = edge.gemm %a, %b, %c {trans_b = true, alpha = 0.5 : f32} : (tensor<2x3xf32>, tensor<4x3xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// max-subtracted exponentials, then a division by their sum.
// CHECK-LABEL: func.func @softmax
// CHECK: arith.maximumf
// CHECK: arith.subf
// CHECK-NEXT: math.exp
// CHECK: arith.addf
// CHECK: arith.divf
func.func @softmax(%x: tensor<2x5xf32>) -> tensor<2x5xf32> {
  %0 = edge.softmax %x {axis = 1 : i64} : (tensor<2x5xf32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

// CHECK-LABEL: func.func @concat
// CHECK: %[[E:.*]] = tensor.empty() : tensor<1x5x4xf32>
// CHECK: %[[S0:.*]] = tensor.insert_slice %{{.*}} into %[[E]][0, 0, 0] [1, 2, 4] [1, 1, 1]
// CHECK: tensor.insert_slice %{{.*}} into %[[S0]][0, 2, 0] [1, 3, 4] [1, 1, 1]
func.func @concat(%a: tensor<1x2x4xf32>, %b: tensor<1x3x4xf32>) -> tensor<1x5x4xf32> {
  %0 = edge.concat %a, %b {axis = 1 : i64} : (tensor<1x2x4xf32>, tensor<1x3x4xf32>) -> tensor<1x5x4xf32>
  return %0 : tensor<1x5x4xf32>
}

// -----

// A negative step reads start + i * step.
// CHECK-DAG: #[[REV:.*]] = affine_map<(d0) -> (d0 * -2 + 5)>
// CHECK-LABEL: func.func @slice_reverse
// CHECK: linalg.generic {indexing_maps = [#[[REV]],
func.func @slice_reverse(%x: tensor<6xf32>) -> tensor<3xf32> {
  %0 = edge.slice %x {starts = array<i64: 5>, ends = array<i64: -1>, steps = array<i64: -2>} : (tensor<6xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

// Integer kinds pick signed or unsigned arith ops from unsigned_inputs.
// CHECK-LABEL: func.func @elementwise_int
// CHECK: arith.maxui
// CHECK: arith.cmpi slt
// CHECK: arith.uitofp %{{.*}} : i8 to f32
func.func @elementwise_int(%a: tensor<4xi8>, %b: tensor<4xi8>) -> (tensor<4xi8>, tensor<4xi1>, tensor<4xf32>) {
  %0 = edge.elementwise %a, %b {kind = "max", element_type = i8, unsigned_inputs} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  %1 = edge.elementwise %a, %b {kind = "less", element_type = i1} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi1>
  %2 = edge.elementwise %a {kind = "cast", element_type = f32, unsigned_inputs} : (tensor<4xi8>) -> tensor<4xf32>
  return %0, %1, %2 : tensor<4xi8>, tensor<4xi1>, tensor<4xf32>
}

// -----

// Resize: the source index of every output coordinate is a compile-time
// table (nearest, asymmetric, x2 on the last axis: 0 0 1 1).
// CHECK-LABEL: func.func @resize_nearest
// CHECK: %[[TABLE:.*]] = arith.constant dense<{{\[\[}}0], [0], [1], [1]]> : tensor<4x1xindex>
// CHECK: linalg.generic
// CHECK: %[[J:.*]] = linalg.index 1 : index
// CHECK: %[[SRC:.*]] = tensor.extract %[[TABLE]][%[[J]], %{{.*}}] : tensor<4x1xindex>
// CHECK: tensor.extract %{{.*}}[%{{.*}}, %[[SRC]]] : tensor<1x2xf32>
func.func @resize_nearest(%x: tensor<1x2xf32>) -> tensor<1x4xf32> {
  %0 = edge.resize %x {sizes = array<i64: 1, 4>, scales = array<f64: 1.0, 2.0>, mode = "nearest", coordinate_mode = "asymmetric", nearest_mode = "floor", cubic_coeff_a = -0.75, exclude_outside = false, extrapolation_value = 0.0, roi = array<f64>} : (tensor<1x2xf32>) -> tensor<1x4xf32>
  return %0 : tensor<1x4xf32>
}

// -----

// Gather clamps indices into the axis, so firmware never reads out of
// bounds.
// CHECK-LABEL: func.func @gather
// CHECK: arith.maxsi
// CHECK: arith.minsi
// CHECK: tensor.extract
func.func @gather(%x: tensor<5x4xf32>, %i: tensor<3xi64>) -> tensor<3x4xf32> {
  %0 = edge.gather %x, %i {axis = 0 : i64} : (tensor<5x4xf32>, tensor<3xi64>) -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// -----

// 1-D and 3-D convolutions are one grouped linalg.generic: input
// [N, G, Cg, X...], weight [G, Fg, Cg, K...], output [N, G, Fg, O...].
// CHECK-DAG: #[[CIN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8, d9) -> (d0, d1, d6, d3 * 2 + d7, d4 + d8 * 2, d5 + d9)>
// CHECK-DAG: #[[CW:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8, d9) -> (d1, d2, d6, d7, d8, d9)>
// CHECK-DAG: #[[COUT:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8, d9) -> (d0, d1, d2, d3, d4, d5)>
// CHECK-LABEL: func.func @conv3d_grouped
// CHECK: tensor.insert_slice %arg0 into %{{.*}}[0, 0, 1, 0, 0] [1, 4, 4, 6, 6] [1, 1, 1, 1, 1] : tensor<1x4x4x6x6xf32> into tensor<1x4x6x6x6xf32>
// CHECK: linalg.generic {indexing_maps = [#[[CIN]], #[[CW]], #[[COUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction", "reduction"]}
// CHECK-SAME: ins(%{{.*}}, %{{.*}} : tensor<1x2x2x6x6x6xf32>, tensor<2x3x2x3x2x2xf32>) outs(%{{.*}} : tensor<1x2x3x2x4x5xf32>)
// CHECK: arith.mulf
// CHECK: arith.addf
func.func @conv3d_grouped(%x: tensor<1x4x4x6x6xf32>, %w: tensor<6x2x3x2x2xf32>) -> tensor<1x6x2x4x5xf32> {
  %0 = edge.conv %x, %w {strides = array<i64: 2, 1, 1>, pads = array<i64: 1, 0, 0, 1, 0, 0>, dilations = array<i64: 1, 2, 1>, group = 2 : i64} : (tensor<1x4x4x6x6xf32>, tensor<6x2x3x2x2xf32>) -> tensor<1x6x2x4x5xf32>
  return %0 : tensor<1x6x2x4x5xf32>
}

// -----

// Unsigned integer max pooling pads with 0 and compares unsigned.
// CHECK-LABEL: func.func @max_pool_u8
// CHECK: %[[ZERO:.*]] = arith.constant 0 : i8
// CHECK: linalg.fill ins(%[[ZERO]] : i8) outs(%{{.*}} : tensor<1x1x7xi8>)
// CHECK: arith.maxui
func.func @max_pool_u8(%x: tensor<1x1x5xi8>) -> tensor<1x1x3xi8> {
  %0 = edge.max_pool %x {kernel_shape = array<i64: 3>, strides = array<i64: 2>, pads = array<i64: 1, 1>, dilations = array<i64: 1>, unsigned_input} : (tensor<1x1x5xi8>) -> tensor<1x1x3xi8>
  return %0 : tensor<1x1x3xi8>
}

// -----

// With indices, one generic carries (max, flat index); a strictly greater
// value replaces both, so the first maximum in window order wins. The index
// is (n * C + c) * W + (o * stride + k - pad) in the unpadded input.
// CHECK-LABEL: func.func @max_pool_indices
// CHECK: linalg.generic {{.*}} outs(%{{.*}}, %{{.*}} : tensor<1x3x3xf32>, tensor<1x3x3xi64>)
// CHECK: linalg.index 0
// CHECK: linalg.index 1
// CHECK: arith.subi
// CHECK: arith.cmpf ogt
// CHECK: arith.select
// CHECK: arith.select
func.func @max_pool_indices(%x: tensor<1x3x5xf32>) -> (tensor<1x3x3xf32>, tensor<1x3x3xi64>) {
  %0, %1 = edge.max_pool %x {kernel_shape = array<i64: 3>, strides = array<i64: 2>, pads = array<i64: 1, 1>, dilations = array<i64: 1>, with_indices} : (tensor<1x3x5xf32>) -> (tensor<1x3x3xf32>, tensor<1x3x3xi64>)
  return %0, %1 : tensor<1x3x3xf32>, tensor<1x3x3xi64>
}

// -----

// A tensor returned twice: the second result is a copy with its own buffer.
// CHECK-LABEL: func.func @returned_twice
// CHECK: %[[R:.*]] = linalg.generic
// CHECK: %[[C:.*]] = bufferization.alloc_tensor() copy(%[[R]])
// CHECK: return %[[R]], %[[C]]
func.func @returned_twice(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %0 = edge.relu %x : (tensor<4xf32>) -> tensor<4xf32>
  return %0, %0 : tensor<4xf32>, tensor<4xf32>
}

// -----

// Sigmoid (f32): 1/2 + x P(x^2) / Q(x^2), a rational function with fused
// multiply-adds and one division (a refined reciprocal estimate: arcp,
// ninf with x^2 at most 256, contract for its Newton step), then 1 above
// 16 and 0 below -16 (compare-and-selects: a NaN gives NaN). f64 keeps
// 1 / (1 + e^-x).
// CHECK-LABEL: func.func @sigmoid
// CHECK: %[[LOW:.*]] = arith.cmpf olt, %[[IN:.*]], %{{.*}} : f32
// CHECK: %[[HIGH:.*]] = arith.cmpf ogt, %[[IN]], %{{.*}} : f32
// CHECK: %[[SQ:.*]] = arith.mulf %[[IN]], %[[IN]]
// CHECK: %[[Z:.*]] = arith.minnumf %[[SQ]], %{{.*}}
// CHECK-COUNT-7: math.fma
// CHECK: %[[N:.*]] = arith.mulf %[[IN]], %{{.*}}
// CHECK: %[[R:.*]] = arith.divf %[[N]], %{{.*}} fastmath<ninf,arcp,contract>
// CHECK: %[[H:.*]] = arith.addf %[[R]], %{{.*}}
// CHECK: %[[S1:.*]] = arith.select %[[HIGH]], %{{.*}}, %[[H]]
// CHECK: %[[S0:.*]] = arith.select %[[LOW]], %{{.*}}, %[[S1]]
// CHECK: linalg.yield %[[S0]]
// CHECK-NOT: math.exp
// CHECK-LABEL: func.func @sigmoid_f64
// CHECK: arith.maximumf
// CHECK: math.exp
// CHECK: arith.divf
func.func @sigmoid(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = edge.sigmoid %x : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}
func.func @sigmoid_f64(%x: tensor<4xf64>) -> tensor<4xf64> {
  %0 = edge.sigmoid %x : (tensor<4xf64>) -> tensor<4xf64>
  return %0 : tensor<4xf64>
}
