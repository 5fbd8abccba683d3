// Direct convolution as an outer-product micro-kernel on buffers.
// Rows as they are (flat-rows=false); flat rows: the FLAT run further down.
// RUN: edge-aotc-opt %s --split-input-file --edge-vectorize-conv="vector-width=8 channel-block=2 column-vectors=2 flat-rows=false" | FileCheck %s
// Without a vector width the pass leaves convolutions alone.
// RUN: edge-aotc-opt %s --split-input-file --edge-vectorize-conv | FileCheck %s --check-prefix=NONE

// 4 output channels in blocks of 2, 36 columns: two full chunks of 2x8
// columns (a loop) and a masked tail chunk of 4. The accumulators start from
// the output (the bias), and every tap broadcasts one weight per channel
// (the weights are an argument, not a constant: read where they are).
// CHECK-LABEL: func.func @conv3x3
// CHECK: scf.for %[[N:.*]] = %c0 to %c1 step %c1
// CHECK: scf.for %[[F:.*]] = %c0{{.*}} to %c4{{.*}} step %c2
// CHECK: scf.for %[[OH:.*]] = %c0{{.*}} to %c6{{.*}} step %c1
// CHECK: scf.for %[[OW:.*]] = %c0{{.*}} to %c32{{.*}} step %c16
// CHECK-COUNT-4: vector.load %arg2{{.*}} : memref<1x4x6x36xf32>, vector<8xf32>
// CHECK: scf.for %[[C:.*]] = {{.*}} iter_args(
// CHECK: scf.for %[[KH:.*]] = {{.*}} iter_args(
// CHECK: vector.load %arg0{{.*}} : memref<1x3x8x38xf32>, vector<8xf32>
// CHECK: memref.load %arg1
// CHECK: vector.broadcast
// CHECK-COUNT-2: vector.fma
// CHECK: vector.broadcast
// CHECK-COUNT-2: vector.fma
// CHECK-COUNT-4: vector.store {{.*}} : memref<1x4x6x36xf32>, vector<8xf32>
// The 4-column tail: masked.
// CHECK: %[[M:.*]] = vector.constant_mask [4] : vector<8xi1>
// CHECK: vector.maskedload %arg2{{.*}}, %[[M]]
// CHECK: vector.maskedstore %arg2
// CHECK-NOT: linalg.conv_2d_nchw_fchw
// NONE: linalg.conv_2d_nchw_fchw
func.func @conv3x3(%in: memref<1x3x8x38xf32>, %w: memref<4x3x3x3xf32>, %out: memref<1x4x6x36xf32>) {
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>}
    ins(%in, %w : memref<1x3x8x38xf32>, memref<4x3x3x3xf32>) outs(%out : memref<1x4x6x36xf32>)
  return
}

// -----

// Rows of one (masked) vector, 2 vectors a chunk: two rows at a time share
// every broadcast weight (3 groups of 2 rows and a tail row), rather than
// one-vector chunks.
// CHECK-LABEL: func.func @two_rows
// CHECK: scf.for %[[OH:.*]] = %c0{{.*}} to %c6{{.*}} step %c2
// CHECK: scf.for
// CHECK: scf.for
// CHECK: vector.maskedload %arg0[%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}], %{{.*}} : memref<1x1x9x9xf32>, vector<8xi1>, vector<8xf32>
// CHECK: vector.maskedload %arg0
// CHECK: vector.fma
// CHECK: vector.fma
// CHECK: vector.maskedstore %arg2[%{{.*}}, %{{.*}}, %[[OH]], %{{.*}}]
// CHECK: %[[OH1:.*]] = arith.addi %[[OH]], %c1
// CHECK: vector.maskedstore %arg2[%{{.*}}, %{{.*}}, %[[OH1]], %{{.*}}]
// The tail row (6) alone.
// CHECK: vector.fma
// CHECK: vector.maskedstore %arg2[%{{.*}}, %{{.*}}, %c6{{.*}}, %{{.*}}]
// CHECK: return
func.func @two_rows(%in: memref<1x1x9x9xf32>, %w: memref<2x1x3x3xf32>, %out: memref<1x2x7x7xf32>) {
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>}
    ins(%in, %w : memref<1x1x9x9xf32>, memref<2x1x3x3xf32>) outs(%out : memref<1x2x7x7xf32>)
  return
}

// -----

// Constant weights are repacked at compile time per block of channel-block
// (2) output channels as [C][KH][KW][2] (the last block [C][KH][KW][1]):
// each tap's two weights are adjacent and a block is read front to back. The
// original global goes (nothing reads it any more). With lane-fma (AArch64)
// a tap's weights are read as one vector (the block zero padded to it) and
// its lanes splat into the FMAs (fmla by element), with no scalar weight
// loads.
// CHECK-NOT: @weights3
// CHECK: memref.global "private" constant @__edge_packed_0 : memref<12xf32> = dense<[0.000000e+00, 4.000000e+00, 1.000000e+00, 5.000000e+00, 2.000000e+00, 6.000000e+00, 3.000000e+00, 7.000000e+00, 8.000000e+00, 9.000000e+00, 1.000000e+01, 1.100000e+01]> {alignment = 64 : i64}
// CHECK-NOT: @weights3
// CHECK-LABEL: func.func @packed
// CHECK: %[[P:.*]] = memref.get_global @__edge_packed_0 : memref<12xf32>
// CHECK: scf.for %[[C:.*]] = {{.*}} iter_args(
// CHECK: scf.for %[[KH:.*]] = {{.*}} iter_args(
// CHECK: memref.load %[[P]]
// CHECK: vector.broadcast
// CHECK: vector.fma
// CHECK: memref.load %[[P]]
// CHECK: vector.broadcast
// CHECK: vector.fma
// LANE: memref.global "private" constant @__edge_packed_0 : memref<16xf32> = dense<[0.000000e+00, 4.000000e+00, 8.000000e+00, 0.000000e+00, 1.000000e+00, 5.000000e+00, 9.000000e+00, 0.000000e+00, 2.000000e+00, 6.000000e+00, 1.000000e+01, 0.000000e+00, 3.000000e+00, 7.000000e+00, 1.100000e+01, 0.000000e+00]>
// LANE-LABEL: func.func @packed
// LANE: %[[P:.*]] = memref.get_global @__edge_packed_0
// LANE: scf.for %[[KH:.*]] = {{.*}} iter_args(
// LANE-NOT: memref.load %[[P]]
// LANE: %[[W:.*]] = vector.load %[[P]][%{{.*}}] : memref<16xf32>, vector<4xf32>
// LANE: %[[W0:.*]] = vector.extract %[[W]][0] : f32 from vector<4xf32>
// LANE: %[[B0:.*]] = vector.broadcast %[[W0]] : f32 to vector<4xf32>
// LANE: vector.fma %{{.*}}, %[[B0]]
// LANE: %[[W1:.*]] = vector.extract %[[W]][1] : f32 from vector<4xf32>
// LANE: %[[W2:.*]] = vector.extract %[[W]][2] : f32 from vector<4xf32>
// LANE-NOT: memref.load %[[P]]
// LANE: scf.yield
// NOPACK-LABEL: func.func @packed
// NOPACK: memref.load %{{.*}} : memref<3x1x2x2xf32>
// RUN: edge-aotc-opt %s --split-input-file --edge-vectorize-conv="vector-width=4 channel-block=4 column-vectors=2 lane-fma=true" | FileCheck %s --check-prefix=LANE
// RUN: edge-aotc-opt %s --split-input-file --edge-vectorize-conv="vector-width=8 channel-block=2 column-vectors=2 pack=false" | FileCheck %s --check-prefix=NOPACK
func.func @packed(%in: memref<1x1x5x17xf32>, %out: memref<1x3x4x16xf32>) {
  %w = memref.get_global @weights3 : memref<3x1x2x2xf32>
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>}
    ins(%in, %w : memref<1x1x5x17xf32>, memref<3x1x2x2xf32>) outs(%out : memref<1x3x4x16xf32>)
  return
}
memref.global "private" constant @weights3 : memref<3x1x2x2xf32> = dense<[[[[0.0, 1.0], [2.0, 3.0]]], [[[4.0, 5.0], [6.0, 7.0]]], [[[8.0, 9.0], [10.0, 11.0]]]]>

// -----

// Stride 2: two vectors' worth of the row (masked to the lanes that exist),
// then the even lanes.
// CHECK-LABEL: func.func @stride2
// CHECK: vector.maskedload %arg0{{.*}} : memref<1x1x9x9xf32>, vector<16xi1>, vector<16xf32> into vector<16xf32>
// CHECK: vector.shuffle {{.*}} [0, 2, 4, 6, 8, 10, 12, 14] : vector<16xf32>, vector<16xf32>
func.func @stride2(%in: memref<1x1x9x9xf32>, %w: memref<2x1x3x3xf32>, %out: memref<1x2x4x4xf32>) {
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<2> : vector<2xi64>}
    ins(%in, %w : memref<1x1x9x9xf32>, memref<2x1x3x3xf32>) outs(%out : memref<1x2x4x4xf32>)
  return
}

// -----

// 1x1 stride 1 over contiguous planes: H*W = 36 columns as one row.
// CHECK-LABEL: func.func @pointwise
// CHECK: memref.collapse_shape %arg0 {{\[\[}}0], [1], [2, 3]] : memref<1x8x6x6xf32> into memref<1x8x36xf32>
// CHECK: memref.expand_shape {{.*}} into memref<1x8x1x36xf32>
// CHECK: scf.for {{.*}} to %c32{{.*}} step %c16
func.func @pointwise(%in: memref<1x8x6x6xf32>, %w: memref<4x8x1x1xf32>, %out: memref<1x4x6x6xf32>) {
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>}
    ins(%in, %w : memref<1x8x6x6xf32>, memref<4x8x1x1xf32>) outs(%out : memref<1x4x6x6xf32>)
  return
}

// -----

// Depthwise: one channel at a time (no channel loop), weight [C, KH, KW].
// CHECK-LABEL: func.func @depthwise
// CHECK-NOT: linalg.depthwise_conv_2d_nchw_chw
// CHECK: memref.load %arg1[%{{.*}}, %{{.*}}, %c0{{.*}}] : memref<3x3x3xf32>
// CHECK: vector.fma
func.func @depthwise(%in: memref<1x3x10x10xf32>, %w: memref<3x3x3xf32>, %out: memref<1x3x8x8xf32>) {
  linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>}
    ins(%in, %w : memref<1x3x10x10xf32>, memref<3x3x3xf32>) outs(%out : memref<1x3x8x8xf32>)
  return
}

// -----

// Not handled (left to the generic lowering): stride 3 along the row, and
// f64.
// CHECK-LABEL: func.func @left_alone
// CHECK: linalg.conv_2d_nchw_fchw
// CHECK: linalg.conv_2d_nchw_fchw
func.func @left_alone(%in: memref<1x1x9x9xf32>, %w: memref<1x1x3x3xf32>, %out: memref<1x1x3x3xf32>,
                      %in2: memref<1x1x5x5xf64>, %w2: memref<1x1x3x3xf64>, %out2: memref<1x1x3x3xf64>) {
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<3> : vector<2xi64>}
    ins(%in, %w : memref<1x1x9x9xf32>, memref<1x1x3x3xf32>) outs(%out : memref<1x1x3x3xf32>)
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>}
    ins(%in2, %w2 : memref<1x1x5x5xf64>, memref<1x1x3x3xf64>) outs(%out2 : memref<1x1x3x3xf64>)
  return
}

// -----

// Fused: the bias broadcast before becomes the accumulators' start value and
// the in-place ReLU after runs on the accumulators; neither generic remains
// and the output is written once.
#bias = affine_map<(d0, d1, d2, d3) -> (d1, 0, 0)>
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @fused
// CHECK-NOT: linalg.generic
// CHECK: memref.load %arg3[%{{.*}}, %c0{{.*}}, %c0{{.*}}] : memref<2x1x1xf32>
// CHECK: vector.broadcast {{.*}} : f32 to vector<8xf32>
// CHECK: vector.fma
// CHECK: arith.maximumf {{.*}} : vector<8xf32>
// CHECK: vector.store
// CHECK-NOT: linalg.generic
// NOFUSE-LABEL: func.func @fused
// NOFUSE: linalg.generic
// NOFUSE: vector.fma
// NOFUSE: linalg.generic
// RUN: edge-aotc-opt %s --split-input-file --edge-vectorize-conv="vector-width=8 channel-block=2 column-vectors=2 fuse=false" | FileCheck %s --check-prefix=NOFUSE
func.func @fused(%in: memref<1x1x10x10xf32>, %w: memref<2x1x3x3xf32>, %out: memref<1x2x8x8xf32>, %b: memref<2x1x1xf32>) {
  linalg.generic {indexing_maps = [#bias, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%b : memref<2x1x1xf32>) outs(%out : memref<1x2x8x8xf32>) {
  ^bb0(%x: f32, %y: f32):
    linalg.yield %x : f32
  }
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>}
    ins(%in, %w : memref<1x1x10x10xf32>, memref<2x1x3x3xf32>) outs(%out : memref<1x2x8x8xf32>)
  %zero = arith.constant 0.0 : f32
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%out : memref<1x2x8x8xf32>) outs(%out : memref<1x2x8x8xf32>) {
  ^bb0(%x: f32, %y: f32):
    %r = arith.maximumf %x, %zero : f32
    linalg.yield %r : f32
  }
  return
}

// -----

// Rows of 3 columns fill less than half a vector of 8: with constant
// weights and a bias, the output channels become the vector dimension. The
// weights are repacked at compile time to [C][KH][KW][F] (a new global),
// the bias is loaded as a vector, and outputs are stored element by element.
#bias1 = affine_map<(d0, d1, d2, d3) -> (d1, 0, 0)>
#id1 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK: memref.global "private" constant @__edge_packed_0 : memref<16xf32> = dense<[0.000000e+00, 2.000000e+00, 4.000000e+00, 6.000000e+00, 8.000000e+00, 1.000000e+01, 1.200000e+01, 1.400000e+01, 1.000000e+00, 3.000000e+00, 5.000000e+00, 7.000000e+00, 9.000000e+00, 1.100000e+01, 1.300000e+01, 1.500000e+01]> {alignment = 64 : i64}
// CHECK-LABEL: func.func @channel_vectors
// CHECK: %[[P:.*]] = memref.get_global @__edge_packed_0 : memref<16xf32>
// CHECK: %[[B:.*]] = memref.collapse_shape %arg2
// CHECK: vector.load %[[B]]
// CHECK: vector.load %[[P]]
// CHECK: vector.fma
// CHECK: vector.extract
// CHECK: memref.store
// CHECK-NOT: linalg.conv_2d_nchw_fchw
func.func @channel_vectors(%in: memref<1x2x3x3xf32>, %out: memref<1x8x3x3xf32>, %b: memref<8x1x1xf32>) {
  %w = memref.get_global @weights : memref<8x2x1x1xf32>
  linalg.generic {indexing_maps = [#bias1, #id1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%b : memref<8x1x1xf32>) outs(%out : memref<1x8x3x3xf32>) {
  ^bb0(%x: f32, %y: f32):
    linalg.yield %x : f32
  }
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>}
    ins(%in, %w : memref<1x2x3x3xf32>, memref<8x2x1x1xf32>) outs(%out : memref<1x8x3x3xf32>)
  return
}
memref.global "private" constant @weights : memref<8x2x1x1xf32> = dense<[[[[0.0]], [[1.0]]], [[[2.0]], [[3.0]]], [[[4.0]], [[5.0]]], [[[6.0]], [[7.0]]], [[[8.0]], [[9.0]]], [[[10.0]], [[11.0]]], [[[12.0]], [[13.0]]], [[[14.0]], [[15.0]]]]>

// -----

// The channel kernel's tile comes from its cost model: with 4 vectors of
// output channels, 3 columns and a budget of 4 accumulators (channel-block
// x column-vectors), 4 channel vectors x 1 column (every tap: 4 weight
// vectors, one broadcast, 4 FMAs) beats 1 x 3 and 2 x 2 plus a 2 x 1 tail
// (all latency bound at 4 or fewer chains). With an L2 of 256 bytes the
// 4-vector block of weights (256 bytes) no longer stays in cache and costs
// its streaming: 1 vector x 3 columns wins (TILE). `channel-vectors` and
// `channel-pixels` override the model: 1 x 3 again (TILE).
// CHECK-LABEL: func.func @channel_tile
// CHECK: scf.for %{{.*}} = %c0{{.*}} to %c32 step %c32
// CHECK: scf.for %{{.*}} = %c0{{.*}} to %c3{{.*}} step %c1
// CHECK-COUNT-4: vector.fma
// CHECK-NOT: vector.fma
// CHECK: scf.yield
// TILE-LABEL: func.func @channel_tile
// TILE: scf.for %{{.*}} = %c0{{.*}} to %c32 step %c8
// TILE-COUNT-3: vector.fma
// TILE-NOT: vector.fma
// TILE: scf.yield
// RUN: edge-aotc-opt %s --split-input-file --edge-vectorize-conv="vector-width=8 channel-block=2 column-vectors=2 l2-bytes=256" | FileCheck %s --check-prefix=TILE
// RUN: edge-aotc-opt %s --split-input-file --edge-vectorize-conv="vector-width=8 channel-block=2 column-vectors=2 channel-vectors=1 channel-pixels=3" | FileCheck %s --check-prefix=TILE
func.func @channel_tile(%in: memref<1x2x3x3xf32>, %out: memref<1x32x3x3xf32>) {
  %zero = arith.constant 0.0 : f32
  %w = memref.get_global @weights32 : memref<32x2x1x1xf32>
  linalg.fill ins(%zero : f32) outs(%out : memref<1x32x3x3xf32>)
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>}
    ins(%in, %w : memref<1x2x3x3xf32>, memref<32x2x1x1xf32>) outs(%out : memref<1x32x3x3xf32>)
  return
}
memref.global "private" constant @weights32 : memref<32x2x1x1xf32> = dense<0.5>

// -----

// Flat rows: a 3x3 stride-1 convolution over a padded 14x14 input plane
// (12x12 outputs, 8 lanes, 2 vectors a chunk). Rows as they are, each row
// takes two vectors, 12 of 16 lanes used; as one flat row of pitch 14
// (output (oh, ow) at oh*14 + ow, tap (kh, kw) at + kh*14 + kw) a vector
// runs on into the next row and only the 2 padding columns per row are
// wasted: groups of 6 rows take 10 vectors instead of 12. The input is
// viewed as [1][1][1][196], the output as flat rows of its own stride 12:
// a vector crossing a row end is loaded and stored once per row, with
// constant masks (row 0's columns 8-11, then row 1's columns 0-1 at an
// address 2 further back, its row being 2 shorter than the pitch).
// FLAT-LABEL: func.func @flat(
// FLAT-DAG: %[[M1:.*]] = arith.constant dense<[false, false, false, false, false, false, true, true]> : vector<8xi1>
// FLAT-DAG: %[[M0:.*]] = arith.constant dense<[true, true, true, true, false, false, false, false]> : vector<8xi1>
// FLAT-DAG: %[[OUT:.*]] = memref.reinterpret_cast %arg2 to offset: [0], sizes: [1, 2, 1, 144], strides: [288, 144, 144, 1]
// FLAT-DAG: %[[IN:.*]] = memref.expand_shape {{.*}} into memref<1x1x1x196xf32>
// FLAT: scf.for %[[OH:.*]] = %c0 to %c12 step %c6 {
// FLAT: %[[ROW:.*]] = arith.muli %[[OH]], %c12
// FLAT: vector.load %[[OUT]][%c0, %c0, %c0, %[[ROW]]]
// FLAT: %[[Q:.*]] = arith.muli %[[OH]], %c14
// FLAT: scf.for %[[KH:.*]] = %c0 to %c3 step %c1 iter_args(
// FLAT: %[[KHQ:.*]] = arith.muli %[[KH]], %c14
// FLAT: %[[T:.*]] = arith.addi %[[Q]], %[[KHQ]]
// FLAT: vector.load %[[IN]][%c0, %c0, %c0, %[[T]]]
// FLAT: vector.fma
// FLAT: scf.yield
// FLAT: vector.store %{{.*}}, %[[OUT]]
// FLAT: %[[A:.*]] = arith.addi %{{.*}}, %c8
// FLAT: vector.maskedstore %[[OUT]][%c0, %c0, %c0, %[[A]]], %[[M0]]
// FLAT: %[[B:.*]] = arith.addi %{{.*}}, %c6
// FLAT: vector.maskedstore %[[OUT]][%c0, %c0, %c0, %[[B]]], %[[M1]]
// FLAT-NOT: linalg.conv_2d_nchw_fchw
// FLAT-LABEL: func.func @flat_padded_out
// When the output is itself a padded plane of the same pitch (the next
// layer's input), the parts of a crossing vector share one address: one
// store whose mask drops only the padding columns (12 and 13).
// FLAT: %[[M:.*]] = arith.constant dense<[true, true, true, true, false, false, true, true]> : vector<8xi1>
// FLAT: memref.reinterpret_cast %{{.*}} to offset: [15], sizes: [1, 2, 1, 166], strides: [392, 196, 166, 1]
// FLAT: scf.yield
// FLAT: vector.store
// FLAT-NEXT: arith.muli
// FLAT-NEXT: arith.addi
// FLAT-NEXT: vector.maskedstore {{.*}}, %[[M]]
// FLAT-NEXT: arith.muli
// FLAT-NEXT: vector.store
// FLAT-LABEL: func.func @flat_short_rows
// Rows of 3 outputs in a pitch of 5, on 8 lanes: one vector covers parts
// of three rows (one group of all 5 rows, 3 vectors instead of 5). A part
// whose lane 0 would lie before the output's start (row 1's outputs are
// lanes 5-7 of the first vector, at 3-5 in the output) is shifted down
// two lanes and stored at the start.
// FLAT-DAG: %[[ROW1:.*]] = arith.constant dense<[false, false, false, true, true, true, false, false]> : vector<8xi1>
// FLAT-DAG: %[[ROW0:.*]] = arith.constant dense<[true, true, true, false, false, false, false, false]> : vector<8xi1>
// FLAT-DAG: %[[OUT:.*]] = memref.reinterpret_cast %arg2 to offset: [0], sizes: [1, 2, 1, 15], strides: [30, 15, 15, 1]
// FLAT: %[[ACC:.*]]:4 = scf.for
// FLAT: vector.maskedstore %[[OUT]][%c0, %c0, %c0, %c0], %[[ROW0]], %[[ACC]]#0
// FLAT: %[[S:.*]] = vector.shuffle %[[ACC]]#0, %{{.*}} [2, 3, 4, 5, 6, 7, 8, 9]
// FLAT: vector.maskedstore %[[OUT]][%c0, %c0, %c0, %c0], %[[ROW1]], %[[S]]
// FLAT: return
// RUN: edge-aotc-opt %s --split-input-file --edge-vectorize-conv="vector-width=8 channel-block=2 column-vectors=2" --canonicalize | FileCheck %s --check-prefix=FLAT
func.func @flat(%in: memref<1x1x14x14xf32>, %w: memref<2x1x3x3xf32>, %out: memref<1x2x12x12xf32>) {
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>}
    ins(%in, %w : memref<1x1x14x14xf32>, memref<2x1x3x3xf32>) outs(%out : memref<1x2x12x12xf32>)
  return
}
func.func @flat_padded_out(%in: memref<1x1x14x14xf32>, %w: memref<2x1x3x3xf32>, %buf: memref<1x2x14x14xf32>) {
  %out = memref.subview %buf[0, 0, 1, 1] [1, 2, 12, 12] [1, 1, 1, 1] : memref<1x2x14x14xf32> to memref<1x2x12x12xf32, strided<[392, 196, 14, 1], offset: 15>>
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>}
    ins(%in, %w : memref<1x1x14x14xf32>, memref<2x1x3x3xf32>) outs(%out : memref<1x2x12x12xf32, strided<[392, 196, 14, 1], offset: 15>>)
  return
}
func.func @flat_short_rows(%in: memref<1x1x7x5xf32>, %w: memref<2x1x3x3xf32>, %out: memref<1x2x5x3xf32>) {
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>}
    ins(%in, %w : memref<1x1x7x5xf32>, memref<2x1x3x3xf32>) outs(%out : memref<1x2x5x3xf32>)
  return
}

// -----

// A bias that constant folding made a splat (all zero, as in an exported
// squeezenet1_1) initialises the output with a generic without inputs: it
// is a fill, the accumulators start at its value (no pass over the output,
// no load of it in the kernel).
// CHECK-LABEL: func.func @splat_init
// CHECK-NOT: linalg.generic
// CHECK: %[[Z:.*]] = arith.constant 2.500000e-01 : f32
// CHECK-NOT: vector.load %arg2
// CHECK: vector.broadcast %[[Z]] : f32 to vector<8xf32>
// CHECK-NOT: vector.load %arg2
// CHECK: vector.fma
// CHECK: vector.store
#idsplat = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @splat_init(%in: memref<1x1x10x10xf32>, %w: memref<2x1x3x3xf32>, %out: memref<1x2x8x8xf32>) {
  %q = arith.constant 0.25 : f32
  linalg.generic {indexing_maps = [#idsplat], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      outs(%out : memref<1x2x8x8xf32>) {
  ^bb0(%y: f32):
    linalg.yield %q : f32
  }
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>}
    ins(%in, %w : memref<1x1x10x10xf32>, memref<2x1x3x3xf32>) outs(%out : memref<1x2x8x8xf32>)
  return
}

// -----

// Taps whose weights are zero for every output channel over a run of input
// channels (a stride-2 convolution split into phases by
// edge-split-strided-conv, a pruned kernel) are not emitted: one loop per
// run (one iteration each here, folded away), kernel rows unrolled. Input
// channel 1 keeps tap (0, 0) only: 4 + 1 taps of 2 channels, 10 FMAs, not
// 16. The packed weights keep the zeros (the taps' offsets do not change).
// SEG-LABEL: func.func @zero_taps
// SEG: %[[P:.*]] = memref.get_global @__edge_packed_0 : memref<16xf32>
// SEG: scf.for %[[OH:.*]] = %c0 to %c4
// SEG-COUNT-8: vector.fma
// SEG: %[[X:.*]] = vector.load %arg0[%c0, %c1, %[[OH]], %c0] : memref<1x2x5x9xf32>, vector<8xf32>
// SEG: memref.load %[[P]][%c8]
// SEG: vector.fma %[[X]]
// SEG: memref.load %[[P]][%c9]
// SEG: vector.fma %[[X]]
// SEG-NOT: vector.fma
// SEG: vector.store
// RUN: edge-aotc-opt %s --split-input-file --edge-vectorize-conv="vector-width=8 channel-block=2 column-vectors=1 flat-rows=false" --canonicalize | FileCheck %s --check-prefix=SEG
func.func @zero_taps(%in: memref<1x2x5x9xf32>, %out: memref<1x2x4x8xf32>) {
  %w = memref.get_global @pruned : memref<2x2x2x2xf32>
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>}
    ins(%in, %w : memref<1x2x5x9xf32>, memref<2x2x2x2xf32>) outs(%out : memref<1x2x4x8xf32>)
  return
}
memref.global "private" constant @pruned : memref<2x2x2x2xf32> = dense<[[[[1.0, 2.0], [3.0, 4.0]], [[5.0, 0.0], [0.0, 0.0]]], [[[6.0, 7.0], [8.0, 9.0]], [[10.0, 0.0], [0.0, 0.0]]]]>
