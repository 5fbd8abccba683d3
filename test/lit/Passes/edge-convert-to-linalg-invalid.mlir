// Ops the lowering does not handle yet are reported at their location.
// RUN: edge-aotc-opt %s --split-input-file --edge-convert-to-linalg --verify-diagnostics

func.func @conv3d(%x: tensor<1x1x4x4x4xf32>, %w: tensor<1x1x2x2x2xf32>) -> tensor<1x1x3x3x3xf32> {
  // expected-error @+1 {{failed to legalize operation 'edge.conv' that was explicitly marked illegal}}
  %0 = edge.conv %x, %w {strides = array<i64: 1, 1, 1>, pads = array<i64: 0, 0, 0, 0, 0, 0>, dilations = array<i64: 1, 1, 1>, group = 1 : i64} : (tensor<1x1x4x4x4xf32>, tensor<1x1x2x2x2xf32>) -> tensor<1x1x3x3x3xf32>
  return %0 : tensor<1x1x3x3x3xf32>
}

// -----

func.func @pool1d(%x: tensor<1x1x8xf32>) -> tensor<1x1x4xf32> {
  // expected-error @+1 {{failed to legalize operation 'edge.max_pool' that was explicitly marked illegal}}
  %0 = edge.max_pool %x {kernel_shape = array<i64: 2>, strides = array<i64: 2>, pads = array<i64: 0, 0>, dilations = array<i64: 1>} : (tensor<1x1x8xf32>) -> tensor<1x1x4xf32>
  return %0 : tensor<1x1x4xf32>
}

// -----

func.func @bool_sqrt(%x: tensor<4xi1>) -> tensor<4xi1> {
  // expected-error @+2 {{'edge.elementwise' op kind 'sqrt' is not supported for element type 'i1'}}
  // expected-error @+1 {{failed to legalize operation 'edge.elementwise' that was explicitly marked illegal}}
  %0 = edge.elementwise %x {kind = "sqrt", element_type = i1} : (tensor<4xi1>) -> tensor<4xi1>
  return %0 : tensor<4xi1>
}
