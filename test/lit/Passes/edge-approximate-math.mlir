// Math that would become libm calls is rewritten into polynomials; sqrt
// stays (one instruction on every target).
// RUN: edge-aotc-opt %s --split-input-file --edge-approximate-math | FileCheck %s

// CHECK-LABEL: func.func @exp_tanh
// CHECK-NOT: math.exp
// CHECK-NOT: math.tanh
// CHECK: arith.mulf
// CHECK: return
func.func @exp_tanh(%x: f32) -> (f32, f32) {
  %0 = math.exp %x : f32
  %1 = math.tanh %x : f32
  return %0, %1 : f32, f32
}

// -----

// powf becomes exp(y * log(x)), then both are approximated.
// CHECK-LABEL: func.func @powf
// CHECK-NOT: math.powf
// CHECK-NOT: math.log
// CHECK-NOT: math.exp
// CHECK: return
func.func @powf(%x: f32, %y: f32) -> f32 {
  %0 = math.powf %x, %y : f32
  return %0 : f32
}

// -----

// CHECK-LABEL: func.func @sqrt_stays
// CHECK: math.sqrt
func.func @sqrt_stays(%x: f32) -> f32 {
  %0 = math.sqrt %x : f32
  return %0 : f32
}
