// Elementwise fusion that never recomputes a producer across a broadcast.
// RUN: edge-aotc-opt %s --split-input-file --edge-fuse-elementwise | FileCheck %s
// RUN: edge-aotc-opt %s --split-input-file --linalg-fuse-elementwise-ops | FileCheck %s --check-prefix=UPSTREAM

#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#chan = affine_map<(d0, d1, d2, d3) -> (d0, d1, 0, 0)>

// Squeeze-and-excitation: the sigmoid of a 1x4x1x1 tensor scales a
// 1x4x8x8 one. The sigmoid stays its own op (4 exps); only the multiply runs
// per element. Upstream fusion would evaluate the exp 256 times.
// CHECK-LABEL: func.func @se_scale
// CHECK: %[[S:.*]] = linalg.generic
// CHECK-SAME: ins(%arg0 : tensor<1x4x1x1xf32>)
// CHECK: math.exp
// CHECK: linalg.generic
// CHECK-SAME: ins(%[[S]], %arg1 : tensor<1x4x1x1xf32>, tensor<1x4x8x8xf32>)
// CHECK-NOT: math.exp
// CHECK: arith.mulf
// CHECK-NOT: linalg.generic
// UPSTREAM-LABEL: func.func @se_scale
// UPSTREAM: linalg.generic
// UPSTREAM-SAME: ins(%arg0, %arg1 : tensor<1x4x1x1xf32>, tensor<1x4x8x8xf32>)
// UPSTREAM: math.exp
// UPSTREAM-NOT: linalg.generic
// UPSTREAM: return
func.func @se_scale(%s: tensor<1x4x1x1xf32>, %x: tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32> {
  %one = arith.constant 1.0 : f32
  %e = tensor.empty() : tensor<1x4x1x1xf32>
  %sig = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%s : tensor<1x4x1x1xf32>) outs(%e : tensor<1x4x1x1xf32>) {
  ^bb0(%a: f32, %o: f32):
    %n = arith.negf %a : f32
    %x1 = math.exp %n : f32
    %d = arith.addf %x1, %one : f32
    %r = arith.divf %one, %d : f32
    linalg.yield %r : f32
  } -> tensor<1x4x1x1xf32>
  %e2 = tensor.empty() : tensor<1x4x8x8xf32>
  %y = linalg.generic {indexing_maps = [#chan, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%sig, %x : tensor<1x4x1x1xf32>, tensor<1x4x8x8xf32>) outs(%e2 : tensor<1x4x8x8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %r = arith.mulf %a, %b : f32
    linalg.yield %r : f32
  } -> tensor<1x4x8x8xf32>
  return %y : tensor<1x4x8x8xf32>
}

// -----

#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#chan = affine_map<(d0, d1, d2, d3) -> (d0, d1, 0, 0)>

// Same-shape chains still fuse into one loop (x * sigmoid(x) = SiLU), and
// so does a producer that only broadcasts (it computes nothing to repeat).
// CHECK-LABEL: func.func @chains
// CHECK: linalg.generic
// CHECK-SAME: ins(%arg0, %arg1 : tensor<1x4x8x8xf32>, tensor<1x4x1x1xf32>)
// CHECK: math.exp
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK-NOT: linalg.generic
func.func @chains(%x: tensor<1x4x8x8xf32>, %b: tensor<1x4x1x1xf32>) -> tensor<1x4x8x8xf32> {
  %one = arith.constant 1.0 : f32
  %e = tensor.empty() : tensor<1x4x8x8xf32>
  %sig = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%x : tensor<1x4x8x8xf32>) outs(%e : tensor<1x4x8x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %n = arith.negf %a : f32
    %x1 = math.exp %n : f32
    %d = arith.addf %x1, %one : f32
    %r = arith.divf %one, %d : f32
    linalg.yield %r : f32
  } -> tensor<1x4x8x8xf32>
  %silu = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%x, %sig : tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>) outs(%e : tensor<1x4x8x8xf32>) {
  ^bb0(%a: f32, %s: f32, %o: f32):
    %r = arith.mulf %a, %s : f32
    linalg.yield %r : f32
  } -> tensor<1x4x8x8xf32>
  %bb = linalg.generic {indexing_maps = [#chan, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%b : tensor<1x4x1x1xf32>) outs(%e : tensor<1x4x8x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    linalg.yield %a : f32
  } -> tensor<1x4x8x8xf32>
  %y = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%silu, %bb : tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>) outs(%e : tensor<1x4x8x8xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %r = arith.addf %a, %c : f32
    linalg.yield %r : f32
  } -> tensor<1x4x8x8xf32>
  return %y : tensor<1x4x8x8xf32>
}
