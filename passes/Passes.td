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

def FuseElementwise : Pass<"edge-fuse-elementwise"> {
  let summary = "Fuse elementwise linalg ops without recomputing across broadcasts";
  let description = [{
    Upstream `linalg-fuse-elementwise-ops` with one difference: a producer
    whose result the consumer reads through a broadcasting (non-bijective)
    indexing map is not fused, unless its body only moves data. Fusing it
    would evaluate the producer once per broadcast element: in a
    squeeze-and-excitation block, C*H*W sigmoids instead of C. Reshapes are
    folded by expansion and constants folded as upstream does.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect",
                           "mlir::tensor::TensorDialect",
                           "mlir::affine::AffineDialect"];
}

def LowerStridedCopies : Pass<"edge-lower-strided-copies"> {
  let summary = "Turn memref.copy between strided views into a copying linalg.generic";
  let description = [{
    MLIR lowers a `memref.copy` whose operands are not both contiguous to a
    call to the `memrefCopy` runtime function, which firmware does not have.
    This pass rewrites exactly those copies into an identity
    `linalg.generic` (the body yields the input), which
    `edge-vectorize-elementwise`, run after it, turns into vector loops
    (a graph input copied into its padded buffer, a slice of a concat);
    contiguous copies stay and become `llvm.memcpy`.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect"];
}

def PlanArena : Pass<"edge-plan-arena", "mlir::ModuleOp"> {
  let summary = "Place every intermediate buffer in one static arena";
  let description = [{
    Runs after bufferization. Every `memref.alloc` of the model function must
    have a static shape and sit in the function body. A buffer's live range
    runs from the first to the last top-level op that touches it or a view
    of it. Two rewrites come first:
    - output forwarding: a buffer whose last access is a copy (possibly
      through a reshape) into a model output that nothing touched before is
      replaced by a view of that output, so the result is computed in the
      caller's buffer;
    - in-place elementwise: a buffer first written by an all-parallel
      `linalg.generic` that reads another buffer for the last time, once,
      with the same type and permutation map, takes that buffer's bytes.
    Buffers are then placed at 64-byte aligned offsets free for their whole
    live range, in several orders: largest first (first-fit and best-fit),
    longest-lived first, program order, greedy by breadth (the ops with the
    most live bytes first), then a seeded search over shuffled size classes
    that stops at the lower bound. The smallest arena wins. Each alloc
    becomes a `memref.view` into a new trailing argument
    `%arena : memref<Nxi8>`. The module records `edge.arena_size`,
    `edge.arena_lower_bound` (the most bytes live at any one op),
    `edge.arena_no_reuse` (every buffer bufferization made, aligned, side
    by side), `edge.arena_strategy` and `edge.buffers` (per buffer: the
    names in its location, offset, bytes, live range).
  }];
  let options = [
    Option<"alignment", "alignment", "int64_t", "64",
           "alignment of every buffer and of the arena (bytes)">,
    Option<"searchTrials", "search-trials", "int", "256",
           "seeded random placement orders tried after the greedy ones "
           "(stops early at the lower bound)">
  ];
  let dependentDialects = ["mlir::memref::MemRefDialect", "mlir::arith::ArithDialect"];
}

def FillBorders : Pass<"edge-fill-borders"> {
  let summary = "Fill only the padding of a padded buffer whose interior is overwritten";
  let description = [{
    Runs after bufferization and the arena plan. A `linalg.fill` of a whole
    static buffer, followed by a unit-stride subview of it (static offsets
    and sizes) that the next op touching the buffer overwrites entirely
    without reading it (a `memref.copy` into it, a fill of it, or an
    all-parallel linalg op whose output map is a permutation and whose body
    ignores the old values), becomes fills of the border slabs around that
    interior: for each dim d, the slabs below and above the interior along
    d, restricted to the interior along the dims before d. A padded
    activation then costs its padding, not a second write of every value.
    Anything else is left as it is.
  }];
  let dependentDialects = ["mlir::memref::MemRefDialect", "mlir::linalg::LinalgDialect"];
}

def SplitStridedConv : Pass<"edge-split-strided-conv"> {
  let summary = "Stride-2 convolutions as one stride-1 convolution over the stride phases";
  let description = [{
    Runs on linalg on tensors, right before bufferization. A
    `linalg.conv_2d_nchw_fchw` with strides 2x2, dilations 1x1, static f32
    shapes, a kernel of at least 2x2 and constant weights reads every other
    input column: the vectorized kernel loads twice the values it uses and
    deinterleaves them (a shuffle per input vector), and its rows cannot run
    on into the next row. Its input is split once into the four stride
    phases (even/odd rows x even/odd columns), each copied into a dense
    plane of the rows and columns phase (0, 0)'s taps read, the planes
    stacked as 4C channels; the convolution becomes one stride-1
    convolution over them, phase (p, r)'s tap (a, b) being kh = 2a + p,
    kw = 2b + r (weights [F][4C][A][B] repacked at compile time, zero where
    that is past the kernel: a 3x3 kernel gives 2x2, 2x1, 1x2 and 1x1 taps,
    and `edge-vectorize-conv` does not emit the zero ones). A zero-padded
    input (an insert into a fill of 0.0) is read unpadded and the planes
    are zero around it, so the padded buffer is gone: the planes take
    about its arena space. The output's initial value (the bias) moves
    right before the new convolution and the op after it (an activation)
    stays, so `edge-vectorize-conv` still fuses both. The copies are
    strided reads that `edge-vectorize-elementwise` vectorizes.
  }];
  let options = [
    Option<"minWidth", "min-width", "int64_t", "1",
           "split only convolutions whose output rows have at least this many "
           "columns (narrower rows go to the channel kernel, which reads "
           "every other column without shuffles)">,
    Option<"minTaps", "min-taps", "int64_t", "64",
           "split only convolutions with at least this many taps per output "
           "(C x KH x KW): with fewer (an RGB 3x3 stem, 27) the copies and a "
           "loop per phase cost more than the shuffles they save">
  ];
  let dependentDialects = ["mlir::linalg::LinalgDialect", "mlir::tensor::TensorDialect",
                           "mlir::arith::ArithDialect"];
}

def VectorizeConv : Pass<"edge-vectorize-conv"> {
  let summary = "Register-blocked, vectorized direct convolution on buffers";
  let description = [{
    Runs after the arena plan. Each `linalg.conv_2d_nchw_fchw` and
    `linalg.depthwise_conv_2d_nchw_chw` on f32 buffers (static shapes,
    unit-stride rows, column stride 1 or 2) becomes loops around an
    outer-product micro-kernel: `channel-block` output channels times
    `column-vectors` vectors of `vector-width` output columns stay in
    registers as accumulators (initialised from the output, which holds the
    bias); for every input channel and kernel tap one vector load per column
    vector and one broadcast per output channel feed
    channel-block x column-vectors `vector.fma`s. Column tails are masked
    loads and stores; a stride-2 row is loaded as two vectors and the even
    lanes kept; a 1x1 stride-1 convolution over contiguous planes runs over
    H*W as one row. With `pack`, constant weights (a constant global) are
    repacked at compile time per block of `channel-block` output channels
    as [C][KH][KW][block] (the last block zero padded), the order the
    kernel reads them: a tap's weights are adjacent and a block streams
    linearly. With `lane-fma` (AArch64) a tap's packed weights are loaded
    as vectors and each lane is splat into its FMAs (`fmla` by element)
    instead of one broadcast load per weight. Packed weights that are zero
    at some taps for every output channel over runs of input channels (at
    least 1/8 of the taps, in at most 8 runs: a stride-2 convolution split
    into phases by `edge-split-strided-conv`, a pruned kernel) get one
    input-channel loop per run with its kernel rows unrolled and the zero
    taps not emitted (a zero weight times an infinite input then gives 0,
    not NaN). Rows of a few vectors that
    do not make whole chunks (14 or 56 columns of 16 lanes, 3 vectors a
    chunk) are taken a few rows at a time, their vectors cut into full
    chunks that mix rows. With `flat-rows`, a stride-1 convolution over
    a contiguous input plane at least as wide as its output (a padded input, 58
    columns for 56) may run over flat rows instead: output (oh, ow) is
    position oh*58 + ow of one long row whose taps are plain offsets
    (kh*58 + kw), so a vector runs on from a row's end into the next row;
    only the input's padding columns (2 of 58) are computed and dropped,
    not the rest of a row's last vector (8 of 64 lanes for 56 columns).
    The output and the epilogue's operands keep their own row strides: a
    vector is stored once per output row it touches, with a constant lane
    mask (one plain store when the output is itself a padded row of the
    same pitch). The rows per group come from the same cycles-per-tap
    estimate as the chunks (fewest over the plane); flat rows are taken
    when they need fewer than the rows as they are. A depthwise kernel loads each input row once per
    kh (blocks of stride x width values) and makes its kw taps lane shifts
    of the blocks' stride phases. Convolutions with constant weights and
    channels a multiple of the vector may use a second kernel instead:
    always when rows fill less than half a vector (7x7 layers on AVX-512),
    and with at least 64 taps per output when its cost model (below, with
    the stores: a lane extract per value) beats the row kernel's, whose
    lanes past a row's end are wasted. The weights are repacked at compile
    time to
    [F/block][C][KH][KW][block] and vectors of output channels x output columns
    accumulate (one broadcast input value per column per tap; other
    operands of the epilogue, such as a residual, are gathered per value).
    Its tile
    (`channel-vectors` x `channel-pixels`, at most 16 accumulators) comes
    from a cost model: cycles per tap for every tile of a row (FMAs on two
    pipes, at least eight independent accumulators to hide the FMA
    latency, two loads a cycle, a cycle of loop overhead, a column tail as
    its own smaller tile), the weight block's bytes per tap from the L2
    when it exceeds `l1-bytes` and from beyond when it exceeds three
    quarters of `l2-bytes`; the tile with the fewest cycles per output
    channel wins, and the options override it. The input is
    read in place: no im2col buffer. With
    `fuse`, the op initialising the output right before (a broadcast bias or
    a fill) becomes the accumulators' initial value, and an elementwise
    `linalg.generic` right after that updates the output in place (ReLU,
    clip, a residual add: plain arith/math bodies) runs on the accumulators
    before they are stored, so the output is written once. The widths
    come from the target description (AVX2: 8 lanes, 6x2; AVX-512: 16 lanes,
    8x3; NEON and fixed 128-bit RVV: 4 lanes). Other convolutions are left
    to the generic lowering.
  }];
  let options = [
    Option<"vectorWidth", "vector-width", "int64_t", "0",
           "f32 lanes per vector (0 or 1: leave convolutions alone)">,
    Option<"channelBlock", "channel-block", "int64_t", "6",
           "output channels per register block">,
    Option<"columnVectors", "column-vectors", "int64_t", "2",
           "vectors of output columns per register block">,
    Option<"fuse", "fuse", "bool", "true",
           "fold the bias initialisation before and an in-place elementwise "
           "op after (activation, residual add) into the kernel">,
    Option<"pack", "pack", "bool", "true",
           "repack constant weights at compile time into the order the row "
           "kernel reads them ([C][KH][KW][channel-block] per channel block)">,
    Option<"flatRowsOption", "flat-rows", "bool", "true",
           "allow flat rows (stride 1, padded contiguous input planes): "
           "vectors run across row ends instead of wasting the lanes past "
           "each row's end">,
    Option<"laneFma", "lane-fma", "bool", "false",
           "read a tap's packed weights as vectors and splat their lanes "
           "(AArch64: fmla by element) instead of one broadcast each">,
    Option<"l1Bytes", "l1-bytes", "int64_t", "32768",
           "the target's L1 data cache size, for the channel kernel's cost "
           "model">,
    Option<"l2Bytes", "l2-bytes", "int64_t", "0",
           "the target's L2 cache size, for the channel kernel's cost model "
           "(0: unknown, no cache term)">,
    Option<"channelVectors", "channel-vectors", "int64_t", "0",
           "channel kernel: vectors of output channels per tile (0: the "
           "cost model picks; must divide the channel count in vectors)">,
    Option<"channelPixels", "channel-pixels", "int64_t", "0",
           "channel kernel: output columns per tile (0: the cost model "
           "picks)">
  ];
  let dependentDialects = ["mlir::scf::SCFDialect", "mlir::vector::VectorDialect",
                           "mlir::arith::ArithDialect", "mlir::math::MathDialect",
                           "mlir::memref::MemRefDialect"];
}

def VectorizeWindow : Pass<"edge-vectorize-window"> {
  let summary = "Pooling windows (linalg.generic window reductions) on vectors";
  let description = [{
    Runs after `edge-vectorize-elementwise`. A `linalg.generic` on static
    buffers over (n, c, o_1..o_d, k_1..k_d), parallel then reduction, that
    reads its input at [n, c, o_i * s_i + k_i * dil_i], takes a shape-only
    window operand and writes [n, c, o_1..o_d] (the importer's MaxPool,
    AveragePool and LpPool sums) becomes loops over n, c, o_1..o_(d-1) and
    vectors of `vector-width` consecutive o_d (a masked tail). Each lane is
    one output accumulated in registers over its whole window in the
    window's order (no reassociation: a max, a sum or any plain arith/math
    body), then stored once. The innermost window dim is unrolled: a tap
    loads one vector (stride 1) or two and keeps the even lanes (stride 2).
    When the body is a single reorderable combiner (max/min, a `reassoc`
    sum: what `vector.reduction` accepts), the window is separable: the
    outer window dims combine whole input rows (blocks of stride x width
    values, loaded once per output vector), and the innermost dim's taps
    are lane shifts of that result's stride phases;
    other innermost strides, and MaxPool with indices (two outputs), are
    left to the generic lowering. A `linalg.fill` of the output right before
    becomes the accumulators' initial value and is erased. 8- and 16-bit
    element types get proportionally more lanes.
  }];
  let options = [
    Option<"vectorWidth", "vector-width", "int64_t", "0",
           "32-bit lanes per vector (0 or 1: leave the ops alone)">
  ];
  let dependentDialects = ["mlir::scf::SCFDialect", "mlir::vector::VectorDialect",
                           "mlir::arith::ArithDialect", "mlir::memref::MemRefDialect"];
}

def VectorizeElementwise : Pass<"edge-vectorize-elementwise"> {
  let summary = "Elementwise linalg.generic on buffers as explicit vector loops";
  let description = [{
    Runs after `edge-vectorize-conv` (which folds the elementwise ops next to
    a convolution into its kernel). An all-parallel `linalg.generic` on
    static buffers, written through the identity map with a unit-stride
    innermost dimension, whose body is plain arith/math, becomes loops over
    the outer dimensions and a loop of `vector-width`-lane vectors over the
    innermost one, with a masked tail. Each input is loaded as a vector when
    its map reads the innermost loop dimension (as its own innermost, unit
    stride dimension), or loaded once and splat when it is broadcast along
    it. In ops without reductions an input index may also be a strided,
    offset read of a loop dimension (`d * s + c`, s <= 4 along the innermost
    one: the stride phases `edge-split-strided-conv` copies, copies out of
    a padded buffer): a vector of such a row is one load of s times the
    lanes (masked to the values read) and a shuffle; nothing is collapsed
    then. 8- and 16-bit element types get proportionally more lanes. The
    polynomial math that follows (`edge-approximate-math`) works on the
    vectors, so activations such as SiLU and hard-swish run vectorized.
  }];
  let options = [
    Option<"vectorWidth", "vector-width", "int64_t", "0",
           "32-bit lanes per vector (0 or 1: leave the ops alone)">
  ];
  let dependentDialects = ["mlir::scf::SCFDialect", "mlir::vector::VectorDialect",
                           "mlir::arith::ArithDialect", "mlir::math::MathDialect",
                           "mlir::memref::MemRefDialect"];
}

def WriteInPlace : Pass<"edge-write-in-place", "mlir::func::FuncOp"> {
  let summary = "Arrange tensor IR so results are written where they end up";
  let description = [{
    Runs on tensors, right before `eliminate-empty-tensors` and one-shot
    bufferization, and changes no values:
    - An elementwise `linalg.generic` (all loops parallel) whose init is a
      `tensor.empty` takes as its init an input of the same type, read
      through the same permutation map as the output, when that input has no
      other use and is neither a function argument (the user's buffers are
      read-only) nor a constant. The result then bufferizes over the input.
    - The `tensor.insert_slice` chain of a concatenation (or a padding) into
      a `tensor.empty` is moved up: the empty to the top of the function and
      each insert right after its source is computed. Empty-tensor
      elimination can then make every producer write straight into its slice
      of the concatenated (padded) buffer, so the concatenation costs no copy
      and its inputs no buffers of their own.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect", "mlir::tensor::TensorDialect"];
}

#endif // EDGE_PASSES_TD
