//===- EdgeOps.td - edge dialect operations ---------------*- tablegen -*-===//
#ifndef EDGE_OPS_TD
#define EDGE_OPS_TD

include "dialects/Edge/EdgeDialect.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

// Every edge op is pure and infers its result type(s).
class Edge_BaseOp<string mnemonic, list<Trait> traits = []>
    : Op<Edge_Dialect, mnemonic, !listconcat(traits, [Pure])> {
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}
class Edge_Op<string mnemonic, list<Trait> traits = []>
    : Edge_BaseOp<mnemonic, !listconcat(traits, [InferTypeOpAdaptor])>;
// Result type = operand type; ODS generates the inference.
class Edge_SameTypeOp<string mnemonic, list<Trait> traits = []>
    : Edge_BaseOp<mnemonic, !listconcat(traits, [SameOperandsAndResultType,
                                                 InferTypeOpInterface])>;

def Edge_FloatTensor : RankedTensorOf<[AnyFloat]>;

//===----------------------------------------------------------------------===//
// Constants
//===----------------------------------------------------------------------===//

def Edge_ConstantOp : Edge_Op<"constant", [ConstantLike]> {
  let summary = "a tensor known at compile time (weights use dense_resource)";
  let description = [{
    Holds an initializer or an ONNX `Constant`. Weights are stored as
    `dense_resource` blobs so megabytes of data are never uniqued.

    ```mlir
    %w = edge.constant dense<1.0> : tensor<4xf32>
    ```
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "$value attr-dict";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

class Edge_UnaryOp<string mnemonic, string onnx, list<Trait> traits = []>
    : Edge_SameTypeOp<mnemonic, traits> {
  let summary = "elementwise ONNX " # onnx;
  let results = (outs Edge_FloatTensor:$output);
}

def Edge_ReluOp : Edge_UnaryOp<"relu", "Relu"> {
  let arguments = (ins Edge_FloatTensor:$input);
}
def Edge_SigmoidOp : Edge_UnaryOp<"sigmoid", "Sigmoid"> {
  let arguments = (ins Edge_FloatTensor:$input);
}
def Edge_TanhOp : Edge_UnaryOp<"tanh", "Tanh"> {
  let arguments = (ins Edge_FloatTensor:$input);
}
def Edge_SqrtOp : Edge_UnaryOp<"sqrt", "Sqrt"> {
  let arguments = (ins Edge_FloatTensor:$input);
}
def Edge_ExpOp : Edge_UnaryOp<"exp", "Exp"> {
  let arguments = (ins Edge_FloatTensor:$input);
}
def Edge_HardSwishOp : Edge_UnaryOp<"hard_swish", "HardSwish"> {
  let arguments = (ins Edge_FloatTensor:$input);
}
def Edge_LeakyReluOp : Edge_UnaryOp<"leaky_relu", "LeakyRelu"> {
  let arguments = (ins Edge_FloatTensor:$input, F32Attr:$alpha);
}
def Edge_HardSigmoidOp : Edge_UnaryOp<"hard_sigmoid", "HardSigmoid"> {
  let description = [{ `max(0, min(1, alpha * x + beta))` }];
  let arguments = (ins Edge_FloatTensor:$input, F32Attr:$alpha, F32Attr:$beta);
}
def Edge_ClipOp : Edge_UnaryOp<"clip", "Clip"> {
  let description = [{
    `min(max(x, min), max)`. Bounds are compile-time constants (the importer
    folds the opset-11 bound inputs into these attributes); an absent bound
    is the float type's infinity.
  }];
  let arguments = (ins Edge_FloatTensor:$input, F32Attr:$min, F32Attr:$max);
  let hasVerifier = 1;
}

class Edge_BinaryOp<string mnemonic, string onnx>
    : Edge_Op<mnemonic, [SameOperandsElementType]> {
  let summary = "elementwise ONNX " # onnx # " with multidirectional broadcasting";
  let arguments = (ins Edge_FloatTensor:$lhs, Edge_FloatTensor:$rhs);
  let results = (outs Edge_FloatTensor:$output);
}

def Edge_AddOp : Edge_BinaryOp<"add", "Add"> { let hasFolder = 1; }
def Edge_SubOp : Edge_BinaryOp<"sub", "Sub">;
def Edge_MulOp : Edge_BinaryOp<"mul", "Mul"> { let hasFolder = 1; }
def Edge_DivOp : Edge_BinaryOp<"div", "Div">;
def Edge_PowOp : Edge_BinaryOp<"pow", "Pow">;

def Edge_ElementwiseOp : Edge_Op<"elementwise"> {
  let summary = "elementwise ONNX math, logic, comparison and cast, any type";
  let description = [{
    The ONNX ops that map one element (or broadcast tuple of elements) to one
    element and have no attribute beyond a couple of scalars share this op:
    `kind` names the function (`abs`, `log`, `erf`, `elu`, `mod`, `max`,
    `equal`, `and`, `where`, `cast`, ...), `element_type` is the result's
    element type (i1 for comparisons, the target type for casts), `alpha`
    and `beta` carry the scalar attributes (Elu's alpha, Selu's alpha and
    gamma, Mod's fmod, ...). Integer tensors are signless;
    `unsigned_inputs`/`unsigned_result` record ONNX's uint types where the
    semantics differ (division, comparison, min/max, casts). Operands
    broadcast numpy-style. The float-only arithmetic ops (`edge.add`, ...)
    remain the form fusion patterns match.

    ```mlir
    %0 = edge.elementwise %a, %b {kind = "greater", element_type = i1}
        : (tensor<3x4xf32>, tensor<4xf32>) -> tensor<3x4xi1>
    ```
  }];
  let arguments = (ins Variadic<AnyRankedTensor>:$inputs, StrAttr:$kind,
                   TypeAttr:$element_type,
                   DefaultValuedAttr<F32Attr, "0.0f">:$alpha,
                   DefaultValuedAttr<F32Attr, "0.0f">:$beta,
                   UnitAttr:$unsigned_inputs, UnitAttr:$unsigned_result);
  let results = (outs AnyRankedTensor:$output);
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Linear algebra and convolution
//===----------------------------------------------------------------------===//

def Edge_ConvOp : Edge_Op<"conv"> {
  let summary = "N-D convolution (ONNX Conv), NC* layout, explicit pads";
  let description = [{
    `pads` holds the begin pad of each spatial axis followed by the end pad
    of each; `auto_pad` was resolved at import. `group` divides the input
    and output channels; `group == C` with one filter per channel is a
    depthwise convolution.
  }];
  let arguments = (ins Edge_FloatTensor:$input, Edge_FloatTensor:$weight,
                   Optional<Edge_FloatTensor>:$bias,
                   DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads,
                   DenseI64ArrayAttr:$dilations, I64Attr:$group);
  let results = (outs Edge_FloatTensor:$output);
}

def Edge_GemmOp : Edge_Op<"gemm"> {
  let summary = "ONNX Gemm: alpha * op(A) * op(B) + beta * C";
  let arguments = (ins Edge_FloatTensor:$a, Edge_FloatTensor:$b,
                   Optional<Edge_FloatTensor>:$c,
                   DefaultValuedAttr<BoolAttr, "false">:$trans_a,
                   DefaultValuedAttr<BoolAttr, "false">:$trans_b,
                   DefaultValuedAttr<F32Attr, "1.0f">:$alpha,
                   DefaultValuedAttr<F32Attr, "1.0f">:$beta);
  let results = (outs Edge_FloatTensor:$output);
}

def Edge_MatMulOp : Edge_Op<"matmul"> {
  let summary = "ONNX MatMul on operands of rank >= 2 with batch broadcasting";
  let description = [{
    1-D operands are reshaped at import, as numpy does, so both operands
    here have rank >= 2; leading (batch) dimensions broadcast.
  }];
  let arguments = (ins Edge_FloatTensor:$a, Edge_FloatTensor:$b);
  let results = (outs Edge_FloatTensor:$output);
}

def Edge_BatchNormOp : Edge_Op<"batch_norm"> {
  let summary = "ONNX BatchNormalization in inference mode";
  let arguments = (ins Edge_FloatTensor:$input, Edge_FloatTensor:$scale,
                   Edge_FloatTensor:$bias, Edge_FloatTensor:$mean,
                   Edge_FloatTensor:$variance, F32Attr:$epsilon);
  let results = (outs Edge_FloatTensor:$output);
}

//===----------------------------------------------------------------------===//
// Pooling and reductions
//===----------------------------------------------------------------------===//

def Edge_MaxPoolOp : Edge_Op<"max_pool"> {
  let summary = "ONNX MaxPool (explicit pads; ceil_mode kept), N-D";
  let description = [{
    Float or integer input (`unsigned_input` compares integers as unsigned). With
    `with_indices`, a second i64 result holds, per output, the flat index of
    the maximum in the unpadded input: row-major over (N, C, spatial...), or
    with the spatial axes reversed when `storage_order` is 1 (ONNX's
    column-major). The first maximum in window order wins.
  }];
  let arguments = (ins RankedTensorOf<[AnyFloat, AnySignlessInteger]>:$input,
                   DenseI64ArrayAttr:$kernel_shape, DenseI64ArrayAttr:$strides,
                   DenseI64ArrayAttr:$pads, DenseI64ArrayAttr:$dilations,
                   DefaultValuedAttr<BoolAttr, "false">:$ceil_mode,
                   UnitAttr:$unsigned_input, UnitAttr:$with_indices,
                   DefaultValuedAttr<I64Attr, "0">:$storage_order);
  let results = (outs RankedTensorOf<[AnyFloat, AnySignlessInteger]>:$output,
                 Variadic<RankedTensorOf<[I64]>>:$indices);
}

def Edge_AvgPoolOp : Edge_Op<"avg_pool"> {
  let summary = "ONNX AveragePool (explicit pads; ceil_mode kept)";
  let arguments = (ins Edge_FloatTensor:$input,
                   DenseI64ArrayAttr:$kernel_shape, DenseI64ArrayAttr:$strides,
                   DenseI64ArrayAttr:$pads,
                   DefaultValuedAttr<BoolAttr, "false">:$count_include_pad,
                   DefaultValuedAttr<BoolAttr, "false">:$ceil_mode);
  let results = (outs Edge_FloatTensor:$output);
}

class Edge_ReduceOp<string mnemonic, string onnx> : Edge_Op<mnemonic> {
  let summary = "ONNX " # onnx # " over the listed (non-negative, sorted) axes";
  let arguments = (ins Edge_FloatTensor:$input, DenseI64ArrayAttr:$axes,
                   DefaultValuedAttr<BoolAttr, "true">:$keepdims);
  let results = (outs Edge_FloatTensor:$output);
}

def Edge_ReduceMeanOp : Edge_ReduceOp<"reduce_mean", "ReduceMean">;
def Edge_ReduceSumOp : Edge_ReduceOp<"reduce_sum", "ReduceSum">;
def Edge_ReduceMaxOp : Edge_ReduceOp<"reduce_max", "ReduceMax">;
def Edge_ReduceMinOp : Edge_ReduceOp<"reduce_min", "ReduceMin">;
def Edge_ReduceProdOp : Edge_ReduceOp<"reduce_prod", "ReduceProd">;

class Edge_ArgOp<string mnemonic, string onnx> : Edge_Op<mnemonic> {
  let summary = "ONNX " # onnx # ": int64 index of the extreme along one axis";
  let arguments = (ins Edge_FloatTensor:$input, I64Attr:$axis,
                   DefaultValuedAttr<BoolAttr, "true">:$keepdims,
                   DefaultValuedAttr<BoolAttr, "false">:$select_last_index);
  let results = (outs RankedTensorOf<[I64]>:$output);
}
def Edge_ArgMaxOp : Edge_ArgOp<"argmax", "ArgMax">;
def Edge_ArgMinOp : Edge_ArgOp<"argmin", "ArgMin">;

def Edge_SoftmaxOp : Edge_SameTypeOp<"softmax"> {
  let summary = "softmax along one axis (opset-13 semantics)";
  let description = [{
    Older opsets' "flatten to 2-D" semantics are rewritten at import into a
    reshape around this op.
  }];
  let arguments = (ins Edge_FloatTensor:$input, I64Attr:$axis);
  let results = (outs Edge_FloatTensor:$output);
  let hasVerifier = 1;
}

def Edge_LogSoftmaxOp : Edge_SameTypeOp<"log_softmax"> {
  let summary = "log-softmax along one axis (opset-13 semantics)";
  let arguments = (ins Edge_FloatTensor:$input, I64Attr:$axis);
  let results = (outs Edge_FloatTensor:$output);
  let hasVerifier = 1;
}

def Edge_HardmaxOp : Edge_SameTypeOp<"hardmax"> {
  let summary = "1 at the first maximum along one axis, 0 elsewhere";
  let arguments = (ins Edge_FloatTensor:$input, I64Attr:$axis);
  let results = (outs Edge_FloatTensor:$output);
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

def Edge_ReshapeOp : Edge_Op<"reshape"> {
  let summary = "row-major reshape to a fully static shape";
  let description = [{
    ONNX Reshape, Flatten, Squeeze and Unsqueeze all import as this op, with
    `0` and `-1` already resolved.
  }];
  let arguments = (ins AnyRankedTensor:$input, DenseI64ArrayAttr:$shape);
  let results = (outs AnyRankedTensor:$output);
  let hasFolder = 1;
}

def Edge_TransposeOp : Edge_Op<"transpose"> {
  let summary = "ONNX Transpose with an explicit permutation";
  let arguments = (ins AnyRankedTensor:$input, DenseI64ArrayAttr:$perm);
  let results = (outs AnyRankedTensor:$output);
  let hasFolder = 1;
}

def Edge_ConcatOp : Edge_Op<"concat"> {
  let summary = "ONNX Concat along a non-negative axis";
  let arguments = (ins Variadic<AnyRankedTensor>:$inputs, I64Attr:$axis);
  let results = (outs AnyRankedTensor:$output);
}

def Edge_SliceOp : Edge_Op<"slice"> {
  let summary = "strided slice with one (start, end, step) per dimension";
  let description = [{
    ONNX Slice and Split import as this op. `starts`/`ends` are clamped and
    non-negative; `steps` are non-zero (a negative step walks backwards and
    `end` may then be -1, meaning "through index 0").
  }];
  let arguments = (ins AnyRankedTensor:$input, DenseI64ArrayAttr:$starts,
                   DenseI64ArrayAttr:$ends, DenseI64ArrayAttr:$steps);
  let results = (outs AnyRankedTensor:$output);
}

def Edge_GatherOp : Edge_Op<"gather"> {
  let summary = "ONNX Gather: take slices along `axis` at run-time indices";
  let description = [{
    Negative indices count from the end of the axis, as in ONNX; an index
    outside [-dim, dim) is clamped (ONNX leaves it undefined; firmware
    must not read out of bounds).
  }];
  let arguments = (ins AnyRankedTensor:$input,
                   RankedTensorOf<[I32, I64]>:$indices, I64Attr:$axis);
  let results = (outs AnyRankedTensor:$output);
}

def Edge_GatherElementsOp : Edge_Op<"gather_elements"> {
  let summary = "ONNX GatherElements: out[i] = input[i with i[axis] = idx[i]]";
  let arguments = (ins AnyRankedTensor:$input,
                   RankedTensorOf<[I32, I64]>:$indices, I64Attr:$axis);
  let results = (outs AnyRankedTensor:$output);
}

def Edge_CumSumOp : Edge_SameTypeOp<"cumsum"> {
  let summary = "ONNX CumSum along one axis (exclusive / reverse)";
  let arguments = (ins AnyRankedTensor:$input, I64Attr:$axis,
                   DefaultValuedAttr<BoolAttr, "false">:$exclusive,
                   DefaultValuedAttr<BoolAttr, "false">:$reverse);
  let results = (outs AnyRankedTensor:$output);
  let hasVerifier = 1;
}

def Edge_ResizeOp : Edge_Op<"resize"> {
  let summary = "ONNX Resize/Upsample to a static shape";
  let description = [{
    `sizes` is the output shape; `scales` the per-axis factors ONNX uses in
    its coordinate transformations (out / in when the model gave sizes).
    `mode` is nearest, linear or cubic; `coordinate_mode`, `nearest_mode`,
    `cubic_coeff_a`, `exclude_outside`, `extrapolation_value` and `roi`
    (tf_crop_and_resize: starts of every axis, then ends) follow ONNX. The
    lowering turns the static coordinate maths into per-axis tables of
    source indices and weights at compile time.
  }];
  let arguments = (ins Edge_FloatTensor:$input, DenseI64ArrayAttr:$sizes,
                   DenseF64ArrayAttr:$scales, StrAttr:$mode,
                   StrAttr:$coordinate_mode, StrAttr:$nearest_mode,
                   F64Attr:$cubic_coeff_a, BoolAttr:$exclude_outside,
                   F64Attr:$extrapolation_value, DenseF64ArrayAttr:$roi);
  let results = (outs Edge_FloatTensor:$output);
  let hasVerifier = 1;
}

def Edge_GatherNDOp : Edge_Op<"gather_nd"> {
  let summary = "ONNX GatherND (batch_dims b): index tuples into the input";
  let arguments = (ins AnyRankedTensor:$input, RankedTensorOf<[I64]>:$indices,
                   I64Attr:$batch_dims);
  let results = (outs AnyRankedTensor:$output);
}

def Edge_ScatterOp : Edge_Op<"scatter"> {
  let summary = "ONNX ScatterElements (axis >= 0) and ScatterND (axis = -1)";
  let description = [{
    The output is the input with `updates` written at `indices`; later
    updates win, or combine with `reduction` (none, add, mul, max, min).
    Lowered as one generic that reduces over the updates for every output
    element, so it needs no run-time loop over a copied buffer.
  }];
  let arguments = (ins AnyRankedTensor:$input, RankedTensorOf<[I32, I64]>:$indices,
                   AnyRankedTensor:$updates, I64Attr:$axis,
                   DefaultValuedAttr<StrAttr, "\"none\"">:$reduction);
  let results = (outs AnyRankedTensor:$output);
}

def Edge_TopKOp : Edge_Op<"topk"> {
  let summary = "ONNX TopK with a compile-time k (values and int64 indices)";
  let arguments = (ins Edge_FloatTensor:$input, I64Attr:$k, I64Attr:$axis,
                   DefaultValuedAttr<BoolAttr, "true">:$largest);
  let results = (outs Edge_FloatTensor:$values, RankedTensorOf<[I64]>:$indices);
}

def Edge_EinsumOp : Edge_Op<"einsum"> {
  let summary = "ONNX Einsum with an explicit, ellipsis-free equation";
  let arguments = (ins Variadic<Edge_FloatTensor>:$inputs, StrAttr:$equation);
  let results = (outs Edge_FloatTensor:$output);
}

def Edge_ExpandOp : Edge_Op<"expand"> {
  let summary = "ONNX Expand: broadcast to `shape` (numpy rules both ways)";
  let arguments = (ins AnyRankedTensor:$input, DenseI64ArrayAttr:$shape);
  let results = (outs AnyRankedTensor:$output);
}

def Edge_TileOp : Edge_Op<"tile"> {
  let summary = "ONNX Tile with compile-time repeats";
  let arguments = (ins AnyRankedTensor:$input, DenseI64ArrayAttr:$repeats);
  let results = (outs AnyRankedTensor:$output);
}

def Edge_PadOp : Edge_Op<"pad"> {
  let summary = "ONNX Pad: begin pads of every axis, then end pads";
  let description = [{
    `mode` is `constant` (fill with `value`), `reflect` or `edge`. Pads
    are non-negative (the importer turns negative pads into a slice).
  }];
  let arguments = (ins AnyRankedTensor:$input, DenseI64ArrayAttr:$pads,
                   DefaultValuedAttr<StrAttr, "\"constant\"">:$mode,
                   DefaultValuedAttr<F64Attr, "0.0">:$value);
  let results = (outs AnyRankedTensor:$output);
  let hasVerifier = 1;
}

def Edge_TriluOp : Edge_SameTypeOp<"trilu"> {
  let summary = "ONNX Trilu: keep the upper or lower triangle (diagonal k)";
  let arguments = (ins AnyRankedTensor:$input, I64Attr:$k,
                   DefaultValuedAttr<BoolAttr, "true">:$upper);
  let results = (outs AnyRankedTensor:$output);
}

#endif // EDGE_OPS_TD
