// Stride-2 convolutions as one stride-1 convolution over the input's four
// stride phases.
// RUN: edge-aotc-opt %s --split-input-file --edge-split-strided-conv=min-taps=1 | FileCheck %s
// RUN: edge-aotc-opt %s --split-input-file --edge-split-strided-conv="min-taps=1 min-width=4" | FileCheck %s --check-prefix=NARROW
// RUN: edge-aotc-opt %s --split-input-file --edge-split-strided-conv | FileCheck %s --check-prefix=FEW

#bias = affine_map<(d0, d1, d2, d3) -> (d1, 0, 0)>
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>

// A 3x3 stride-2 convolution of a zero-padded 6x6 input (3x3 outputs).
// Phase (p, r) of the padded input, plane rows i and columns j, is the
// unpadded input at (2i + p - 1, 2j + r - 1): each plane (4x4: the 3 + 2 - 1
// rows and columns phase (0, 0)'s 2x2 taps read) is a strided copy of x
// where that lies in x, zeros around it, and the four planes are channels
// 0..3 of one buffer. The padded input is gone. Tap (a, b) of phase (p, r)
// is w[2a + p, 2b + r]: the 3x3 kernel [1..9] becomes [[1, 3], [7, 9]],
// [[2, 0], [8, 0]], [[4, 6], [0, 0]], [[5, 0], [0, 0]]. The bias moves right
// before the convolution, now of stride 1.
// CHECK-DAG: #[[P00:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2 * 2 + 1, d3 * 2 + 1)>
// CHECK-DAG: #[[P01:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2 * 2 + 1, d3 * 2)>
// CHECK-DAG: #[[P10:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2 * 2, d3 * 2 + 1)>
// CHECK-DAG: #[[P11:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2 * 2, d3 * 2)>
// CHECK-LABEL: func.func @padded
// CHECK-NOT: tensor<1x1x8x8xf32>
// CHECK: %[[STACK:.*]] = tensor.empty() : tensor<1x4x4x4xf32>
// CHECK: %[[X00:.*]] = linalg.generic {indexing_maps = [#[[P00]], #{{.*}}]{{.*}} ins(%arg0 : tensor<1x1x6x6xf32>) outs(%{{.*}} : tensor<1x1x3x3xf32>)
// CHECK: %[[F00:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<1x1x4x4xf32>)
// CHECK: %[[I00:.*]] = tensor.insert_slice %[[X00]] into %[[F00]][0, 0, 1, 1] [1, 1, 3, 3] [1, 1, 1, 1]
// CHECK: %[[S0:.*]] = tensor.insert_slice %[[I00]] into %[[STACK]][0, 0, 0, 0] [1, 1, 4, 4] [1, 1, 1, 1]
// CHECK: linalg.generic {indexing_maps = [#[[P01]], #{{.*}}]
// CHECK: tensor.insert_slice %{{.*}}[0, 0, 1, 0] [1, 1, 3, 3] [1, 1, 1, 1]
// CHECK: %[[S1:.*]] = tensor.insert_slice %{{.*}} into %[[S0]][0, 1, 0, 0] [1, 1, 4, 4] [1, 1, 1, 1]
// CHECK: linalg.generic {indexing_maps = [#[[P10]], #{{.*}}]
// CHECK: tensor.insert_slice %{{.*}}[0, 0, 0, 1] [1, 1, 3, 3] [1, 1, 1, 1]
// CHECK: %[[S2:.*]] = tensor.insert_slice %{{.*}} into %[[S1]][0, 2, 0, 0] [1, 1, 4, 4] [1, 1, 1, 1]
// CHECK: linalg.generic {indexing_maps = [#[[P11]], #{{.*}}]
// CHECK: tensor.insert_slice %{{.*}}[0, 0, 0, 0] [1, 1, 3, 3] [1, 1, 1, 1]
// CHECK: %[[S3:.*]] = tensor.insert_slice %{{.*}} into %[[S2]][0, 3, 0, 0] [1, 1, 4, 4] [1, 1, 1, 1]
// CHECK: %[[W:.*]] = arith.constant dense<{{\[\[\[\[}}1.000000e+00, 3.000000e+00], [7.000000e+00, 9.000000e+00]], {{\[\[}}2.000000e+00, 0.000000e+00], [8.000000e+00, 0.000000e+00]], {{\[\[}}4.000000e+00, 6.000000e+00], [0.000000e+00, 0.000000e+00]], {{\[\[}}5.000000e+00, 0.000000e+00], [0.000000e+00, 0.000000e+00]]], {{.*}} : tensor<2x4x2x2xf32>
// CHECK: %[[B:.*]] = linalg.generic {{.*}} ins(%{{.*}} : tensor<2x1x1xf32>)
// CHECK: %[[Y:.*]] = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%[[S3]], %[[W]] : tensor<1x4x4x4xf32>, tensor<2x4x2x2xf32>) outs(%[[B]] : tensor<1x2x3x3xf32>)
// CHECK: return %[[Y]]
// NARROW-LABEL: func.func @padded
// NARROW: linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<2> : vector<2xi64>}
// By default only convolutions with at least 64 taps per output (C x KH x
// KW) are split: this one has 9.
// FEW-LABEL: func.func @padded
// FEW-NOT: linalg.generic {{.*}}ins(%arg0
// FEW: linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<2> : vector<2xi64>}
func.func @padded(%x: tensor<1x1x6x6xf32>) -> tensor<1x2x3x3xf32> {
  %zero = arith.constant 0.0 : f32
  %w = arith.constant dense<[[[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]]], [[[10.0, 11.0, 12.0], [13.0, 14.0, 15.0], [16.0, 17.0, 18.0]]]]> : tensor<2x1x3x3xf32>
  %b = arith.constant dense<[[[0.5]], [[-0.5]]]> : tensor<2x1x1xf32>
  %e = tensor.empty() : tensor<1x1x8x8xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x1x8x8xf32>) -> tensor<1x1x8x8xf32>
  %p = tensor.insert_slice %x into %f[0, 0, 1, 1] [1, 1, 6, 6] [1, 1, 1, 1] : tensor<1x1x6x6xf32> into tensor<1x1x8x8xf32>
  %oe = tensor.empty() : tensor<1x2x3x3xf32>
  %init = linalg.generic {indexing_maps = [#bias, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%b : tensor<2x1x1xf32>) outs(%oe : tensor<1x2x3x3xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x2x3x3xf32>
  %y = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<2> : vector<2xi64>} ins(%p, %w : tensor<1x1x8x8xf32>, tensor<2x1x3x3xf32>) outs(%init : tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  return %y : tensor<1x2x3x3xf32>
}

// -----

// Unpadded (a 2x2 kernel, 5x5 input, 2x2 outputs): the planes are whole
// strided copies of the input, no fills. Phase (1, 1) reads rows and
// columns 1 and 3.
// CHECK-LABEL: func.func @unpadded
// CHECK-NOT: linalg.fill
// CHECK: linalg.generic {{.*}} ins(%arg0 : tensor<1x1x5x5xf32>) outs(%{{.*}} : tensor<1x1x2x2xf32>)
// CHECK: linalg.conv_2d_nchw_fchw {{.*}}strides = dense<1> : vector<2xi64>{{.*}} ins(%{{.*}}, %{{.*}} : tensor<1x4x2x2xf32>, tensor<1x4x1x1xf32>)
func.func @unpadded(%x: tensor<1x1x5x5xf32>, %init: tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32> {
  %w = arith.constant dense<[[[[1.0, 2.0], [3.0, 4.0]]]]> : tensor<1x1x2x2xf32>
  %y = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<2> : vector<2xi64>} ins(%x, %w : tensor<1x1x5x5xf32>, tensor<1x1x2x2xf32>) outs(%init : tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32>
  return %y : tensor<1x1x2x2xf32>
}

// -----

// Left alone: a 1x1 kernel (three phases without taps), stride 1, weights
// that are not constant, and an unpadded input too short for the phase
// planes (5 rows: phase 1's plane of a 3x3 stride-2 kernel would read row 5).
// CHECK-LABEL: func.func @left_alone
// CHECK-NOT: linalg.generic
// CHECK: strides = dense<2> : vector<2xi64>} ins(%arg0, %{{.*}} : tensor<1x1x6x6xf32>, tensor<1x1x1x1xf32>)
// CHECK-NOT: linalg.generic
// CHECK: strides = dense<1> : vector<2xi64>} ins(%arg0, %{{.*}} : tensor<1x1x6x6xf32>, tensor<1x1x3x3xf32>)
// CHECK-NOT: linalg.generic
// CHECK: strides = dense<2> : vector<2xi64>} ins(%arg0, %arg1 : tensor<1x1x6x6xf32>, tensor<1x1x3x3xf32>)
// CHECK-NOT: linalg.generic
// CHECK: strides = dense<2> : vector<2xi64>} ins(%arg5, %{{.*}} : tensor<1x1x5x5xf32>, tensor<1x1x3x3xf32>)
// CHECK-NOT: linalg.generic
// CHECK: return
func.func @left_alone(%x: tensor<1x1x6x6xf32>, %wv: tensor<1x1x3x3xf32>,
                      %a: tensor<1x1x3x3xf32>, %b: tensor<1x1x4x4xf32>,
                      %c: tensor<1x1x2x2xf32>, %x5: tensor<1x1x5x5xf32>) -> (tensor<1x1x3x3xf32>, tensor<1x1x4x4xf32>, tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>) {
  %w1 = arith.constant dense<1.0> : tensor<1x1x1x1xf32>
  %w3 = arith.constant dense<1.0> : tensor<1x1x3x3xf32>
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<2> : vector<2xi64>} ins(%x, %w1 : tensor<1x1x6x6xf32>, tensor<1x1x1x1xf32>) outs(%a : tensor<1x1x3x3xf32>) -> tensor<1x1x3x3xf32>
  %1 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%x, %w3 : tensor<1x1x6x6xf32>, tensor<1x1x3x3xf32>) outs(%b : tensor<1x1x4x4xf32>) -> tensor<1x1x4x4xf32>
  %2 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<2> : vector<2xi64>} ins(%x, %wv : tensor<1x1x6x6xf32>, tensor<1x1x3x3xf32>) outs(%c : tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32>
  %3 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<2> : vector<2xi64>} ins(%x5, %w3 : tensor<1x1x5x5xf32>, tensor<1x1x3x3xf32>) outs(%c : tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32>
  return %0, %1, %2, %3 : tensor<1x1x3x3xf32>, tensor<1x1x4x4xf32>, tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>
}
