// RUN: edge-aotc-opt %s --edge-approximate-math --verify-diagnostics

func.func @no_lowering(%x: i32, %y: i32) -> i32 {
  // expected-error @+1 {{'math.ipowi' has no libm-free lowering on this target}}
  %0 = math.ipowi %x, %y : i32
  return %0 : i32
}
