//===- Passes.td - edge-aotc passes -----------------------*- tablegen -*-===//
// Alphabetical by pass flag.
#ifndef EDGE_PASSES_TD
#define EDGE_PASSES_TD

include "mlir/Pass/PassBase.td"

def ApproximateMath : Pass<"edge-approximate-math"> {
  let summary = "Replace math ops by polynomials so the object needs no libm";
  let description = [{
    Firmware has no libm. This pass expands `math.powf` and friends into
    `exp`/`log`, then replaces exp, log, tanh, erf, sin, cos... by MLIR's
    polynomial approximations (the upstream `populateMathPolynomial...`
    patterns). `math.sqrt`, `math.absf` and `math.fma` stay: every target
    lowers them to one instruction. Any math op left that would become a libm
    call is an error.
  }];
  let dependentDialects = ["mlir::arith::ArithDialect", "mlir::vector::VectorDialect",
                           "mlir::math::MathDialect"];
}

def ConvertEdgeToLinalg : Pass<"edge-convert-to-linalg", "mlir::ModuleOp"> {
  let summary = "Lower edge ops to linalg, tensor, arith and math on tensors";
  let description = [{
    Each edge op becomes named linalg ops where they exist (convolutions,
    pooling, transpose) and `linalg.generic` elsewhere (elementwise with
    broadcasting, gemm/matmul, reductions, softmax). Convolution bias is the
    accumulator's initial value, so it costs no extra pass over the output.
    1-D and 3-D convolutions and all pooling are one `linalg.generic` each.
    A value returned more than once gets a `bufferization.alloc_tensor`
    copy per extra result, so every model output owns its buffer.
    An op that cannot be lowered is reported at its location (the ONNX node).
  }];
  let dependentDialects = ["mlir::bufferization::BufferizationDialect",
                           "mlir::linalg::LinalgDialect", "mlir::tensor::TensorDialect",
                           "mlir::arith::ArithDialect", "mlir::math::MathDialect"];
}

def EmitEntryPoint : Pass<"edge-emit-entry-point", "mlir::ModuleOp"> {
  let summary = "Add the C entry point `<name>_run(inputs, outputs, arena)`";
  let description = [{
    Runs on the LLVM dialect. The model function (bare-pointer calling
    convention: one pointer per input, per output, then the arena) becomes
    internal, and a new external function `<name>_run(const void *const
    *inputs, void *const *outputs, void *arena)` unpacks the two pointer
    arrays, calls it and returns 0: the ABI of the emitted header.
  }];
  let options = [
    Option<"modelName", "name", "std::string", "\"model\"",
           "C identifier prefix of the entry point">
  ];
  let dependentDialects = ["mlir::LLVM::LLVMDialect"];
}

def LowerStridedCopies : Pass<"edge-lower-strided-copies"> {
  let summary = "Turn memref.copy between strided views into linalg.copy";
  let description = [{
    MLIR lowers a `memref.copy` whose operands are not both contiguous to a
    call to the `memrefCopy` runtime function, which firmware does not have.
    This pass rewrites exactly those copies into `linalg.copy`, which becomes
    plain loops; contiguous copies stay and become `llvm.memcpy`.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect"];
}

def PlanArena : Pass<"edge-plan-arena", "mlir::ModuleOp"> {
  let summary = "Place every intermediate buffer in one static arena";
  let description = [{
    Runs after bufferization. Every `memref.alloc` of the model function must
    have a static shape; its live range runs from the alloc to the last
    top-level op that uses it or a view of it. Buffers are placed greedily,
    largest first, at the lowest 64-byte aligned offset that no overlapping
    live range occupies, and each alloc becomes a `memref.view` into a new
    trailing function argument `%arena : memref<Nxi8>`. The arena size is
    recorded on the module as `edge.arena_size`.
  }];
  let options = [
    Option<"alignment", "alignment", "int64_t", "64",
           "alignment of every buffer and of the arena (bytes)">
  ];
  let dependentDialects = ["mlir::memref::MemRefDialect", "mlir::arith::ArithDialect"];
}

#endif // EDGE_PASSES_TD
