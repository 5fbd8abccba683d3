// Round trip of every edge op: parse, verify (types are re-inferred and
// must match), print, parse again.
// RUN: edge-aotc-opt %s --split-input-file | edge-aotc-opt --split-input-file | FileCheck %s

// CHECK-LABEL: func.func @elementwise
func.func @elementwise(%a: tensor<1x3x4x4xf32>, %b: tensor<3x1x1xf32>) -> tensor<1x3x4x4xf32> {
  // CHECK: edge.add %{{.*}}, %{{.*}} : (tensor<1x3x4x4xf32>, tensor<3x1x1xf32>) -> tensor<1x3x4x4xf32>
  %0 = edge.add %a, %b : (tensor<1x3x4x4xf32>, tensor<3x1x1xf32>) -> tensor<1x3x4x4xf32>
  // CHECK: edge.sub
  %1 = edge.sub %0, %b : (tensor<1x3x4x4xf32>, tensor<3x1x1xf32>) -> tensor<1x3x4x4xf32>
  // CHECK: edge.mul
  %2 = edge.mul %1, %a : (tensor<1x3x4x4xf32>, tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32>
  // CHECK: edge.div
  %3 = edge.div %2, %b : (tensor<1x3x4x4xf32>, tensor<3x1x1xf32>) -> tensor<1x3x4x4xf32>
  // CHECK: edge.pow
  %4 = edge.pow %3, %b : (tensor<1x3x4x4xf32>, tensor<3x1x1xf32>) -> tensor<1x3x4x4xf32>
  // CHECK: edge.relu
  %5 = edge.relu %4 : (tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32>
  // CHECK: edge.sigmoid
  %6 = edge.sigmoid %5 : (tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32>
  // CHECK: edge.tanh
  %7 = edge.tanh %6 : (tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32>
  // CHECK: edge.sqrt
  %8 = edge.sqrt %7 : (tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32>
  // CHECK: edge.exp
  %9 = edge.exp %8 : (tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32>
  // CHECK: edge.hard_swish
  %10 = edge.hard_swish %9 : (tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32>
  // CHECK: edge.leaky_relu %{{.*}} {alpha = 1.000000e-01 : f32}
  %11 = edge.leaky_relu %10 {alpha = 0.1 : f32} : (tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32>
  // CHECK: edge.hard_sigmoid %{{.*}} {alpha = 2.000000e-01 : f32, beta = 5.000000e-01 : f32}
  %12 = edge.hard_sigmoid %11 {alpha = 0.2 : f32, beta = 0.5 : f32} : (tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32>
  // CHECK: edge.clip %{{.*}} {max = 6.000000e+00 : f32, min = 0.000000e+00 : f32}
  %13 = edge.clip %12 {min = 0.0 : f32, max = 6.0 : f32} : (tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32>
  return %13 : tensor<1x3x4x4xf32>
}

// -----

// CHECK-LABEL: func.func @nn
func.func @nn(%x: tensor<1x4x8x8xf32>, %w: tensor<8x2x3x3xf32>, %b: tensor<8xf32>,
              %c: tensor<4xf32>) -> (tensor<1x8x4x4xf32>, tensor<1x4x4x4xf32>, tensor<1x4x8x8xf32>, tensor<1x4x1x1xf32>, tensor<1x4xf32>) {
  // CHECK: edge.conv {{.*}} {dilations = array<i64: 1, 1>, group = 2 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}
  %0 = edge.conv %x, %w, %b {strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 2 : i64}
      : (tensor<1x4x8x8xf32>, tensor<8x2x3x3xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
  // CHECK: edge.max_pool {{.*}} {ceil_mode = true
  %1 = edge.max_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, ceil_mode = true}
      : (tensor<1x4x8x8xf32>) -> tensor<1x4x4x4xf32>
  // CHECK: edge.avg_pool {{.*}} {count_include_pad = true
  %2 = edge.avg_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, count_include_pad = true}
      : (tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  // CHECK: edge.batch_norm
  %3 = edge.batch_norm %2, %c, %c, %c, %c {epsilon = 1.0e-5 : f32}
      : (tensor<1x4x8x8xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
  // CHECK: edge.reduce_mean {{.*}} {axes = array<i64: 2, 3>}
  %4 = edge.reduce_mean %3 {axes = array<i64: 2, 3>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x1x1xf32>
  // CHECK: edge.reduce_max {{.*}} {axes = array<i64: 2, 3>, keepdims = false}
  %5 = edge.reduce_max %3 {axes = array<i64: 2, 3>, keepdims = false} : (tensor<1x4x8x8xf32>) -> tensor<1x4xf32>
  // CHECK: edge.reduce_sum
  %6 = edge.reduce_sum %5 {axes = array<i64: 1>} : (tensor<1x4xf32>) -> tensor<1x1xf32>
  // CHECK: edge.softmax {{.*}} {axis = 1 : i64}
  %7 = edge.softmax %5 {axis = 1 : i64} : (tensor<1x4xf32>) -> tensor<1x4xf32>
  return %0, %1, %3, %4, %7 : tensor<1x8x4x4xf32>, tensor<1x4x4x4xf32>, tensor<1x4x8x8xf32>, tensor<1x4x1x1xf32>, tensor<1x4xf32>
}

// -----

// CHECK-LABEL: func.func @linalg_ops
func.func @linalg_ops(%a: tensor<2x3x4xf32>, %b: tensor<4x5xf32>, %m: tensor<3x4xf32>,
                      %n: tensor<5x4xf32>, %c: tensor<5xf32>) -> (tensor<2x3x5xf32>, tensor<3x5xf32>) {
  // CHECK: edge.matmul
  %0 = edge.matmul %a, %b : (tensor<2x3x4xf32>, tensor<4x5xf32>) -> tensor<2x3x5xf32>
  // CHECK: edge.gemm {{.*}} {trans_b = true}
  %1 = edge.gemm %m, %n, %c {trans_b = true} : (tensor<3x4xf32>, tensor<5x4xf32>, tensor<5xf32>) -> tensor<3x5xf32>
  return %0, %1 : tensor<2x3x5xf32>, tensor<3x5xf32>
}

// -----

// CHECK-LABEL: func.func @data_movement
func.func @data_movement(%a: tensor<1x4x2x3xf32>) -> (tensor<1x2x3x4xf32>, tensor<1x8x2x3xf32>, tensor<1x2x2x3xf32>, tensor<24xf32>) {
  // CHECK: edge.constant dense<1.000000e+00> : tensor<2xf32>
  %c = edge.constant dense<1.0> : tensor<2xf32>
  // CHECK: edge.transpose {{.*}} {perm = array<i64: 0, 2, 3, 1>}
  %0 = edge.transpose %a {perm = array<i64: 0, 2, 3, 1>} : (tensor<1x4x2x3xf32>) -> tensor<1x2x3x4xf32>
  // CHECK: edge.concat {{.*}} {axis = 1 : i64}
  %1 = edge.concat %a, %a {axis = 1 : i64} : (tensor<1x4x2x3xf32>, tensor<1x4x2x3xf32>) -> tensor<1x8x2x3xf32>
  // CHECK: edge.slice
  %2 = edge.slice %a {starts = array<i64: 0, 3, 0, 0>, ends = array<i64: 1, -1, 2, 3>, steps = array<i64: 1, -2, 1, 1>} : (tensor<1x4x2x3xf32>) -> tensor<1x2x2x3xf32>
  // CHECK: edge.reshape {{.*}} {shape = array<i64: 24>}
  %3 = edge.reshape %a {shape = array<i64: 24>} : (tensor<1x4x2x3xf32>) -> tensor<24xf32>
  return %0, %1, %2, %3 : tensor<1x2x3x4xf32>, tensor<1x8x2x3xf32>, tensor<1x2x2x3xf32>, tensor<24xf32>
}

// -----

// CHECK-LABEL: func.func @any_type_elementwise
func.func @any_type_elementwise(%a: tensor<3x4xi32>, %b: tensor<4xi32>, %c: tensor<3x4xi1>) -> (tensor<3x4xi1>, tensor<3x4xi32>, tensor<3x4xf32>) {
  // CHECK: edge.elementwise %{{.*}}, %{{.*}} {element_type = i1, kind = "greater", unsigned_inputs}
  %0 = edge.elementwise %a, %b {kind = "greater", element_type = i1, unsigned_inputs} : (tensor<3x4xi32>, tensor<4xi32>) -> tensor<3x4xi1>
  // CHECK: edge.elementwise {{.*}} {element_type = i32, kind = "where"}
  %1 = edge.elementwise %c, %a, %b {kind = "where", element_type = i32} : (tensor<3x4xi1>, tensor<3x4xi32>, tensor<4xi32>) -> tensor<3x4xi32>
  // CHECK: edge.elementwise {{.*}} {element_type = f32, kind = "cast"}
  %2 = edge.elementwise %1 {kind = "cast", element_type = f32} : (tensor<3x4xi32>) -> tensor<3x4xf32>
  return %0, %1, %2 : tensor<3x4xi1>, tensor<3x4xi32>, tensor<3x4xf32>
}

// -----

// CHECK-LABEL: func.func @indexing
func.func @indexing(%x: tensor<5x4xf32>, %i: tensor<2x3xi64>, %j: tensor<5x4xi64>, %u: tensor<5x4xf32>, %n: tensor<2x1xi64>) -> (tensor<2x3x4xf32>, tensor<5x4xf32>, tensor<5x4xf32>, tensor<2x4xf32>) {
  // CHECK: edge.gather {{.*}} {axis = 0 : i64} : (tensor<5x4xf32>, tensor<2x3xi64>) -> tensor<2x3x4xf32>
  %0 = edge.gather %x, %i {axis = 0 : i64} : (tensor<5x4xf32>, tensor<2x3xi64>) -> tensor<2x3x4xf32>
  // CHECK: edge.gather_elements
  %1 = edge.gather_elements %x, %j {axis = 1 : i64} : (tensor<5x4xf32>, tensor<5x4xi64>) -> tensor<5x4xf32>
  // CHECK: edge.scatter {{.*}} {axis = 0 : i64, reduction = "add"}
  %2 = edge.scatter %x, %j, %u {axis = 0 : i64, reduction = "add"} : (tensor<5x4xf32>, tensor<5x4xi64>, tensor<5x4xf32>) -> tensor<5x4xf32>
  // CHECK: edge.gather_nd {{.*}} {batch_dims = 0 : i64} : (tensor<5x4xf32>, tensor<2x1xi64>) -> tensor<2x4xf32>
  %3 = edge.gather_nd %x, %n {batch_dims = 0 : i64} : (tensor<5x4xf32>, tensor<2x1xi64>) -> tensor<2x4xf32>
  return %0, %1, %2, %3 : tensor<2x3x4xf32>, tensor<5x4xf32>, tensor<5x4xf32>, tensor<2x4xf32>
}

// -----

// CHECK-LABEL: func.func @shape_ops
func.func @shape_ops(%x: tensor<1x3x4x4xf32>) -> (tensor<2x3x4x4xf32>, tensor<1x3x8x8xf32>, tensor<1x3x6x6xf32>, tensor<1x3x4x4xf32>, tensor<1x3x8x8xf32>, tensor<1x3x4x4xf32>) {
  // CHECK: edge.expand {{.*}} {shape = array<i64: 2, 1, 1, 1>}
  %0 = edge.expand %x {shape = array<i64: 2, 1, 1, 1>} : (tensor<1x3x4x4xf32>) -> tensor<2x3x4x4xf32>
  // CHECK: edge.tile {{.*}} {repeats = array<i64: 1, 1, 2, 2>}
  %1 = edge.tile %x {repeats = array<i64: 1, 1, 2, 2>} : (tensor<1x3x4x4xf32>) -> tensor<1x3x8x8xf32>
  // CHECK: edge.pad {{.*}} {mode = "reflect", pads = array<i64: 0, 0, 1, 1, 0, 0, 1, 1>}
  %2 = edge.pad %x {pads = array<i64: 0, 0, 1, 1, 0, 0, 1, 1>, mode = "reflect"} : (tensor<1x3x4x4xf32>) -> tensor<1x3x6x6xf32>
  // CHECK: edge.trilu {{.*}} {k = 1 : i64, upper = false}
  %3 = edge.trilu %x {k = 1 : i64, upper = false} : (tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32>
  // CHECK: edge.resize {{.*}} mode = "linear"
  %4 = edge.resize %x {sizes = array<i64: 1, 3, 8, 8>, scales = array<f64: 1.0, 1.0, 2.0, 2.0>, mode = "linear", coordinate_mode = "half_pixel", nearest_mode = "round_prefer_floor", cubic_coeff_a = -0.75, exclude_outside = false, extrapolation_value = 0.0, roi = array<f64>} : (tensor<1x3x4x4xf32>) -> tensor<1x3x8x8xf32>
  // CHECK: edge.cumsum {{.*}} {axis = 3 : i64, reverse = true}
  %5 = edge.cumsum %x {axis = 3 : i64, reverse = true} : (tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32>
  return %0, %1, %2, %3, %4, %5 : tensor<2x3x4x4xf32>, tensor<1x3x8x8xf32>, tensor<1x3x6x6xf32>, tensor<1x3x4x4xf32>, tensor<1x3x8x8xf32>, tensor<1x3x4x4xf32>
}

// -----

// CHECK-LABEL: func.func @selection
func.func @selection(%x: tensor<2x5xf32>, %y: tensor<5x3xf32>) -> (tensor<2x1xi64>, tensor<2xi64>, tensor<2x5xf32>, tensor<2x5xf32>, tensor<2x2xf32>, tensor<2x2xi64>, tensor<2x3xf32>, tensor<2xf32>) {
  // CHECK: edge.argmax
  %0 = edge.argmax %x {axis = 1 : i64} : (tensor<2x5xf32>) -> tensor<2x1xi64>
  // CHECK: edge.argmin {{.*}} {axis = 1 : i64, keepdims = false, select_last_index = true}
  %1 = edge.argmin %x {axis = 1 : i64, keepdims = false, select_last_index = true} : (tensor<2x5xf32>) -> tensor<2xi64>
  // CHECK: edge.log_softmax
  %2 = edge.log_softmax %x {axis = 1 : i64} : (tensor<2x5xf32>) -> tensor<2x5xf32>
  // CHECK: edge.hardmax
  %3 = edge.hardmax %x {axis = 1 : i64} : (tensor<2x5xf32>) -> tensor<2x5xf32>
  // CHECK: edge.topk {{.*}} {axis = 1 : i64, k = 2 : i64}
  %4:2 = edge.topk %x {k = 2 : i64, axis = 1 : i64} : (tensor<2x5xf32>) -> (tensor<2x2xf32>, tensor<2x2xi64>)
  // CHECK: edge.einsum {{.*}} {equation = "ij,jk->ik"}
  %5 = edge.einsum %x, %y {equation = "ij,jk->ik"} : (tensor<2x5xf32>, tensor<5x3xf32>) -> tensor<2x3xf32>
  // CHECK: edge.reduce_prod
  %6 = edge.reduce_prod %x {axes = array<i64: 1>, keepdims = false} : (tensor<2x5xf32>) -> tensor<2xf32>
  return %0, %1, %2, %3, %4#0, %4#1, %5, %6 : tensor<2x1xi64>, tensor<2xi64>, tensor<2x5xf32>, tensor<2x5xf32>, tensor<2x2xf32>, tensor<2x2xi64>, tensor<2x3xf32>, tensor<2xf32>
}
