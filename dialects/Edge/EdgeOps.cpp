//===- EdgeOps.cpp - edge dialect operations ------------------------------===//
//
// Shape inference (InferTypeOpInterface) for every op, and the folders.
// Inference doubles as verification: an op whose attributes make no sense
// cannot infer a type, and reports why at the op's location (the ONNX node).
//
//===----------------------------------------------------------------------===//
#include "dialects/Edge/EdgeOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/DenseMap.h"

using namespace mlir;
using namespace edge;

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

FailureOr<SmallVector<int64_t>> edge::broadcastShapes(ArrayRef<int64_t> a,
                                                      ArrayRef<int64_t> b) {
  size_t rank = std::max(a.size(), b.size());
  SmallVector<int64_t> out(rank);
  for (size_t i = 0; i < rank; ++i) {
    int64_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    int64_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (da != db && da != 1 && db != 1)
      return failure();
    out[i] = da == 1 ? db : da;
  }
  return out;
}

int64_t edge::windowOutputSize(int64_t in, int64_t kernel, int64_t stride,
                               int64_t padBegin, int64_t padEnd,
                               int64_t dilation, bool ceilMode) {
  int64_t effective = dilation * (kernel - 1) + 1;
  int64_t span = in + padBegin + padEnd - effective;
  if (span < 0)
    return 0;
  int64_t out = (ceilMode ? (span + stride - 1) / stride : span / stride) + 1;
  // ONNX (like PyTorch): the last window must start inside the input or the
  // begin padding, never entirely in the end padding.
  if (ceilMode && (out - 1) * stride >= in + padBegin)
    --out;
  return out;
}

static RankedTensorType rankedType(Value v) {
  return cast<RankedTensorType>(v.getType());
}

static LogicalResult inferError(std::optional<Location> loc, const Twine &msg) {
  return emitOptionalError(loc, msg);
}

/// Checks a window op's attributes against its input and returns the output
/// spatial sizes.
static FailureOr<SmallVector<int64_t>>
inferWindow(std::optional<Location> loc, ArrayRef<int64_t> inShape,
            ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
            ArrayRef<int64_t> pads, ArrayRef<int64_t> dilations,
            bool ceilMode) {
  if (inShape.size() < 3) {
    (void)inferError(loc, "expects an input of rank >= 3 (N, C, spatial...)");
    return failure();
  }
  size_t n = inShape.size() - 2;
  if (kernel.size() != n || strides.size() != n || dilations.size() != n ||
      pads.size() != 2 * n) {
    (void)inferError(loc, "expects " + Twine(n) +
                             " kernel sizes, strides and dilations and " +
                             Twine(2 * n) + " pads for a rank-" +
                             Twine(inShape.size()) + " input");
    return failure();
  }
  SmallVector<int64_t> out;
  for (size_t i = 0; i < n; ++i) {
    if (kernel[i] <= 0 || strides[i] <= 0 || dilations[i] <= 0 ||
        pads[i] < 0 || pads[i + n] < 0) {
      (void)inferError(loc, "expects positive kernel sizes, strides and "
                           "dilations and non-negative pads");
      return failure();
    }
    int64_t o = windowOutputSize(inShape[i + 2], kernel[i], strides[i],
                                 pads[i], pads[i + n], dilations[i], ceilMode);
    if (o <= 0) {
      (void)inferError(loc, "window of axis " + Twine(i + 2) +
                               " is larger than the padded input");
      return failure();
    }
    out.push_back(o);
  }
  return out;
}

//===----------------------------------------------------------------------===//
// ConstantOp
//===----------------------------------------------------------------------===//

LogicalResult ConstantOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                           Adaptor adaptor,
                                           SmallVectorImpl<Type> &types) {
  auto type = dyn_cast<RankedTensorType>(adaptor.getValue().getType());
  if (!type)
    return inferError(loc, "expects a ranked tensor value");
  types.push_back(type);
  return success();
}

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

// Unary ops and softmax are SameOperandsAndResultType: ODS generates
// their inferReturnTypes.

template <typename Op>
static LogicalResult verifyAxis(Op op) {
  int64_t rank = op.getType().getRank();
  if (static_cast<int64_t>(op.getAxis()) >= rank)
    return op.emitOpError("axis ")
           << op.getAxis() << " is out of range for rank " << rank;
  return success();
}
LogicalResult SoftmaxOp::verify() { return verifyAxis(*this); }
LogicalResult LogSoftmaxOp::verify() { return verifyAxis(*this); }
LogicalResult HardmaxOp::verify() { return verifyAxis(*this); }
LogicalResult CumSumOp::verify() { return verifyAxis(*this); }

LogicalResult ClipOp::verify() {
  if (getMin().convertToFloat() > getMax().convertToFloat())
    return emitOpError("expects min <= max, got min = ")
           << getMin().convertToFloat() << " and max = "
           << getMax().convertToFloat();
  return success();
}

template <typename Adaptor>
static LogicalResult inferBinary(std::optional<Location> loc, Adaptor adaptor,
                                 SmallVectorImpl<Type> &types) {
  auto lhs = rankedType(adaptor.getLhs());
  auto rhs = rankedType(adaptor.getRhs());
  auto shape = broadcastShapes(lhs.getShape(), rhs.getShape());
  if (failed(shape))
    return inferError(loc, "operand shapes do not broadcast");
  types.push_back(RankedTensorType::get(*shape, lhs.getElementType()));
  return success();
}

#define EDGE_BINARY_INFER(OP)                                                  \
  LogicalResult OP::inferReturnTypes(MLIRContext *,                            \
                                     std::optional<Location> loc,              \
                                     Adaptor adaptor,                          \
                                     SmallVectorImpl<Type> &types) {           \
    return inferBinary(loc, adaptor, types);                                   \
  }
EDGE_BINARY_INFER(AddOp)
EDGE_BINARY_INFER(SubOp)
EDGE_BINARY_INFER(MulOp)
EDGE_BINARY_INFER(DivOp)
EDGE_BINARY_INFER(PowOp)
#undef EDGE_BINARY_INFER

/// x op c -> x when c is a splat of `identity` and broadcasting does not
/// change x's shape.
static OpFoldResult foldIdentityOperand(Value lhs, Value rhs, Type resultType,
                                        double identity) {
  DenseElementsAttr c;
  if (lhs.getType() != resultType || !matchPattern(rhs, m_Constant(&c)) ||
      !c.isSplat() || !isa<FloatType>(c.getElementType()))
    return {};
  if (c.getSplatValue<APFloat>().convertToDouble() != identity)
    return {};
  return lhs;
}

OpFoldResult AddOp::fold(FoldAdaptor) {
  if (auto r = foldIdentityOperand(getLhs(), getRhs(), getType(), 0.0))
    return r;
  return foldIdentityOperand(getRhs(), getLhs(), getType(), 0.0);
}

OpFoldResult MulOp::fold(FoldAdaptor) {
  if (auto r = foldIdentityOperand(getLhs(), getRhs(), getType(), 1.0))
    return r;
  return foldIdentityOperand(getRhs(), getLhs(), getType(), 1.0);
}

std::optional<std::pair<unsigned, unsigned>>
edge::elementwiseArity(StringRef kind) {
  static const llvm::StringMap<std::pair<unsigned, unsigned>> table = [] {
    llvm::StringMap<std::pair<unsigned, unsigned>> t;
    for (const char *k :
         {"abs", "neg", "floor", "ceil", "round", "reciprocal", "log", "exp",
          "sqrt", "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh",
          "asinh", "acosh", "atanh", "erf", "sign", "elu", "selu", "celu",
          "softplus", "softsign", "thresholded_relu", "shrink", "isnan",
          "isinf", "not", "cast", "relu", "sigmoid", "tanh", "identity"})
      t[k] = {1, 1};
    for (const char *k :
         {"add", "sub", "mul", "div", "pow", "mod", "max", "min", "and", "or",
          "xor", "equal", "greater", "less", "greater_equal", "less_equal",
          "prelu", "shift_left", "shift_right"})
      t[k] = {2, 2};
    t["where"] = {3, 3};
    return t;
  }();
  auto it = table.find(kind);
  if (it == table.end())
    return std::nullopt;
  return it->second;
}

LogicalResult ElementwiseOp::inferReturnTypes(MLIRContext *,
                                              std::optional<Location> loc,
                                              Adaptor adaptor,
                                              SmallVectorImpl<Type> &types) {
  ValueRange inputs = adaptor.getInputs();
  if (inputs.empty())
    return inferError(loc, "expects at least one operand");
  SmallVector<int64_t> shape(rankedType(inputs.front()).getShape());
  for (Value v : inputs.drop_front()) {
    auto b = broadcastShapes(shape, rankedType(v).getShape());
    if (failed(b))
      return inferError(loc, "operand shapes do not broadcast");
    shape = *b;
  }
  types.push_back(RankedTensorType::get(shape, adaptor.getElementType()));
  return success();
}

LogicalResult ElementwiseOp::verify() {
  auto arity = elementwiseArity(getKind());
  if (!arity)
    return emitOpError("unknown kind '") << getKind() << "'";
  if (getInputs().size() < arity->first || getInputs().size() > arity->second)
    return emitOpError("kind '")
           << getKind() << "' takes " << arity->first << " operand(s), got "
           << getInputs().size();
  return success();
}

//===----------------------------------------------------------------------===//
// Conv / Gemm / MatMul / BatchNorm
//===----------------------------------------------------------------------===//

LogicalResult ConvOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &types) {
  auto in = rankedType(adaptor.getInput());
  auto w = rankedType(adaptor.getWeight());
  if (w.getRank() != in.getRank())
    return inferError(loc, "expects weight rank " + Twine(in.getRank()) +
                              ", got " + Twine(w.getRank()));
  int64_t group = static_cast<int64_t>(adaptor.getGroup());
  int64_t c = in.getRank() > 1 ? in.getDimSize(1) : 0;
  if (group <= 0 || c % group != 0 || w.getDimSize(0) % group != 0)
    return inferError(loc, "group " + Twine(group) +
                              " does not divide the input channels (" +
                              Twine(c) + ") and the filters (" +
                              Twine(w.getDimSize(0)) + ")");
  if (w.getDimSize(1) * group != c)
    return inferError(loc, "weight expects " + Twine(w.getDimSize(1) * group) +
                              " input channels, input has " + Twine(c));
  if (Value bias = adaptor.getBias()) {
    auto b = rankedType(bias);
    if (b.getRank() != 1 || b.getDimSize(0) != w.getDimSize(0))
      return inferError(loc, "expects a bias of shape [" +
                                Twine(w.getDimSize(0)) + "]");
  }
  auto spatial = inferWindow(loc, in.getShape(), w.getShape().drop_front(2),
                             adaptor.getStrides(), adaptor.getPads(),
                             adaptor.getDilations(), /*ceilMode=*/false);
  if (failed(spatial))
    return failure();
  SmallVector<int64_t> shape = {in.getDimSize(0), w.getDimSize(0)};
  llvm::append_range(shape, *spatial);
  types.push_back(RankedTensorType::get(shape, in.getElementType()));
  return success();
}

LogicalResult GemmOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &types) {
  auto a = rankedType(adaptor.getA());
  auto b = rankedType(adaptor.getB());
  if (a.getRank() != 2 || b.getRank() != 2)
    return inferError(loc, "expects rank-2 A and B");
  int64_t m = a.getDimSize(adaptor.getTransA() ? 1 : 0);
  int64_t ka = a.getDimSize(adaptor.getTransA() ? 0 : 1);
  int64_t kb = b.getDimSize(adaptor.getTransB() ? 1 : 0);
  int64_t n = b.getDimSize(adaptor.getTransB() ? 0 : 1);
  if (ka != kb)
    return inferError(loc, "inner dimensions differ: " + Twine(ka) + " vs " +
                              Twine(kb));
  if (Value c = adaptor.getC()) {
    auto shape = broadcastShapes(rankedType(c).getShape(), {m, n});
    if (failed(shape) || *shape != ArrayRef<int64_t>{m, n})
      return inferError(loc, "C does not broadcast to [" + Twine(m) + ", " +
                                Twine(n) + "]");
  }
  types.push_back(RankedTensorType::get({m, n}, a.getElementType()));
  return success();
}

LogicalResult MatMulOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  auto a = rankedType(adaptor.getA());
  auto b = rankedType(adaptor.getB());
  if (a.getRank() < 2 || b.getRank() < 2)
    return inferError(loc, "expects operands of rank >= 2");
  if (a.getShape().back() != b.getShape()[b.getRank() - 2])
    return inferError(loc, "inner dimensions differ: " +
                              Twine(a.getShape().back()) + " vs " +
                              Twine(b.getShape()[b.getRank() - 2]));
  auto batch = broadcastShapes(a.getShape().drop_back(2),
                               b.getShape().drop_back(2));
  if (failed(batch))
    return inferError(loc, "batch dimensions do not broadcast");
  SmallVector<int64_t> shape = *batch;
  shape.push_back(a.getShape()[a.getRank() - 2]);
  shape.push_back(b.getShape().back());
  types.push_back(RankedTensorType::get(shape, a.getElementType()));
  return success();
}

LogicalResult BatchNormOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  auto in = rankedType(adaptor.getInput());
  if (in.getRank() < 2)
    return inferError(loc, "expects an input of rank >= 2");
  for (Value v : {adaptor.getScale(), adaptor.getBias(), adaptor.getMean(),
                  adaptor.getVariance()}) {
    auto t = rankedType(v);
    if (t.getRank() != 1 || t.getDimSize(0) != in.getDimSize(1))
      return inferError(loc, "expects scale, bias, mean and variance of shape [" +
                                Twine(in.getDimSize(1)) + "]");
  }
  types.push_back(in);
  return success();
}

//===----------------------------------------------------------------------===//
// Pooling and reductions
//===----------------------------------------------------------------------===//

static LogicalResult inferPool(std::optional<Location> loc, Value input,
                               ArrayRef<int64_t> kernel,
                               ArrayRef<int64_t> strides, ArrayRef<int64_t> pads,
                               ArrayRef<int64_t> dilations, bool ceilMode,
                               SmallVectorImpl<Type> &types) {
  auto in = rankedType(input);
  auto spatial = inferWindow(loc, in.getShape(), kernel, strides, pads,
                             dilations, ceilMode);
  if (failed(spatial))
    return failure();
  SmallVector<int64_t> shape = {in.getDimSize(0), in.getDimSize(1)};
  llvm::append_range(shape, *spatial);
  types.push_back(RankedTensorType::get(shape, in.getElementType()));
  return success();
}

LogicalResult MaxPoolOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  if (failed(inferPool(loc, adaptor.getInput(), adaptor.getKernelShape(),
                       adaptor.getStrides(), adaptor.getPads(),
                       adaptor.getDilations(), adaptor.getCeilMode(), types)))
    return failure();
  if (adaptor.getWithIndices()) {
    auto out = cast<RankedTensorType>(types.front());
    types.push_back(RankedTensorType::get(
        out.getShape(), IntegerType::get(out.getContext(), 64)));
  }
  return success();
}

LogicalResult AvgPoolOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  SmallVector<int64_t> ones(adaptor.getKernelShape().size(), 1);
  return inferPool(loc, adaptor.getInput(), adaptor.getKernelShape(),
                   adaptor.getStrides(), adaptor.getPads(), ones,
                   adaptor.getCeilMode(), types);
}

template <typename Adaptor>
static LogicalResult inferReduce(std::optional<Location> loc, Adaptor adaptor,
                                 SmallVectorImpl<Type> &types) {
  auto in = rankedType(adaptor.getInput());
  ArrayRef<int64_t> axes = adaptor.getAxes();
  for (size_t i = 0; i < axes.size(); ++i)
    if (axes[i] < 0 || axes[i] >= in.getRank() || (i && axes[i] <= axes[i - 1]))
      return inferError(loc, "expects sorted, unique axes in [0, " +
                                Twine(in.getRank()) + ")");
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < in.getRank(); ++d) {
    if (!llvm::is_contained(axes, d))
      shape.push_back(in.getDimSize(d));
    else if (adaptor.getKeepdims())
      shape.push_back(1);
  }
  types.push_back(RankedTensorType::get(shape, in.getElementType()));
  return success();
}

#define EDGE_REDUCE_INFER(OP)                                                  \
  LogicalResult OP::inferReturnTypes(MLIRContext *,                            \
                                     std::optional<Location> loc,              \
                                     Adaptor adaptor,                          \
                                     SmallVectorImpl<Type> &types) {           \
    return inferReduce(loc, adaptor, types);                                   \
  }
EDGE_REDUCE_INFER(ReduceMeanOp)
EDGE_REDUCE_INFER(ReduceSumOp)
EDGE_REDUCE_INFER(ReduceMaxOp)
EDGE_REDUCE_INFER(ReduceMinOp)
EDGE_REDUCE_INFER(ReduceProdOp)

template <typename Adaptor>
static LogicalResult inferArg(MLIRContext *ctx, std::optional<Location> loc,
                              Adaptor adaptor, SmallVectorImpl<Type> &types) {
  auto in = rankedType(adaptor.getInput());
  int64_t axis = static_cast<int64_t>(adaptor.getAxis());
  if (axis < 0 || axis >= in.getRank())
    return inferError(loc, "axis " + Twine(axis) + " is out of range for rank " +
                               Twine(in.getRank()));
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < in.getRank(); ++d) {
    if (d != axis)
      shape.push_back(in.getDimSize(d));
    else if (adaptor.getKeepdims())
      shape.push_back(1);
  }
  types.push_back(RankedTensorType::get(shape, IntegerType::get(ctx, 64)));
  return success();
}
LogicalResult ArgMaxOp::inferReturnTypes(MLIRContext *ctx,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  return inferArg(ctx, loc, adaptor, types);
}
LogicalResult ArgMinOp::inferReturnTypes(MLIRContext *ctx,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  return inferArg(ctx, loc, adaptor, types);
}
#undef EDGE_REDUCE_INFER

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

LogicalResult ReshapeOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  auto in = rankedType(adaptor.getInput());
  ArrayRef<int64_t> shape = adaptor.getShape();
  if (llvm::any_of(shape, [](int64_t d) { return d < 0; }))
    return inferError(loc, "expects a fully resolved, non-negative shape");
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  if (n != in.getNumElements())
    return inferError(loc, "cannot reshape " + Twine(in.getNumElements()) +
                              " elements into " + Twine(n));
  types.push_back(RankedTensorType::get(shape, in.getElementType()));
  return success();
}

OpFoldResult ReshapeOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType())
    return getInput();
  if (auto inner = getInput().getDefiningOp<ReshapeOp>()) {
    getInputMutable().assign(inner.getInput());
    return getResult();
  }
  if (auto dense = dyn_cast_or_null<DenseElementsAttr>(adaptor.getInput()))
    return dense.reshape(getType());
  return {};
}

LogicalResult TransposeOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  auto in = rankedType(adaptor.getInput());
  ArrayRef<int64_t> perm = adaptor.getPerm();
  if (static_cast<int64_t>(perm.size()) != in.getRank())
    return inferError(loc, "expects a permutation of rank " +
                              Twine(in.getRank()));
  SmallVector<bool> seen(perm.size(), false);
  SmallVector<int64_t> shape;
  for (int64_t p : perm) {
    if (p < 0 || p >= in.getRank() || seen[p])
      return inferError(loc, "perm is not a permutation");
    seen[p] = true;
    shape.push_back(in.getDimSize(p));
  }
  types.push_back(RankedTensorType::get(shape, in.getElementType()));
  return success();
}

OpFoldResult TransposeOp::fold(FoldAdaptor) {
  for (auto [i, p] : llvm::enumerate(getPerm()))
    if (static_cast<int64_t>(i) != p)
      return {};
  return getInput();
}

LogicalResult ConcatOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  ValueRange inputs = adaptor.getInputs();
  if (inputs.empty())
    return inferError(loc, "expects at least one input");
  auto first = rankedType(inputs.front());
  int64_t axis = static_cast<int64_t>(adaptor.getAxis());
  if (axis < 0 || axis >= first.getRank())
    return inferError(loc, "axis " + Twine(axis) + " is out of range for rank " +
                              Twine(first.getRank()));
  SmallVector<int64_t> shape(first.getShape());
  shape[axis] = 0;
  for (Value v : inputs) {
    auto t = rankedType(v);
    if (t.getRank() != first.getRank() ||
        t.getElementType() != first.getElementType())
      return inferError(loc, "expects inputs of one rank and element type");
    for (int64_t d = 0; d < t.getRank(); ++d)
      if (d != axis && t.getDimSize(d) != first.getDimSize(d))
        return inferError(loc, "inputs differ in dimension " + Twine(d));
    shape[axis] += t.getDimSize(axis);
  }
  types.push_back(RankedTensorType::get(shape, first.getElementType()));
  return success();
}

LogicalResult SliceOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &types) {
  auto in = rankedType(adaptor.getInput());
  ArrayRef<int64_t> starts = adaptor.getStarts(), ends = adaptor.getEnds(),
                    steps = adaptor.getSteps();
  if (static_cast<int64_t>(starts.size()) != in.getRank() ||
      ends.size() != starts.size() || steps.size() != starts.size())
    return inferError(loc, "expects one start, end and step per dimension");
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < in.getRank(); ++d) {
    int64_t dim = in.getDimSize(d), s = starts[d], e = ends[d], st = steps[d];
    if (st == 0)
      return inferError(loc, "expects non-zero steps");
    bool ok = st > 0 ? (s >= 0 && s <= dim && e >= 0 && e <= dim)
                     : (s >= -1 && s < dim && e >= -1 && e < dim);
    if (!ok)
      return inferError(loc, "start/end of dimension " + Twine(d) +
                                " out of range");
    int64_t n = st > 0 ? (e - s + st - 1) / st : (s - e + (-st) - 1) / (-st);
    shape.push_back(std::max<int64_t>(n, 0));
  }
  types.push_back(RankedTensorType::get(shape, in.getElementType()));
  return success();
}

LogicalResult GatherOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  auto in = rankedType(adaptor.getInput());
  auto idx = rankedType(adaptor.getIndices());
  int64_t axis = static_cast<int64_t>(adaptor.getAxis());
  if (axis < 0 || axis >= in.getRank())
    return inferError(loc, "axis " + Twine(axis) + " is out of range for rank " +
                               Twine(in.getRank()));
  SmallVector<int64_t> shape(in.getShape().take_front(axis));
  llvm::append_range(shape, idx.getShape());
  llvm::append_range(shape, in.getShape().drop_front(axis + 1));
  types.push_back(RankedTensorType::get(shape, in.getElementType()));
  return success();
}

LogicalResult GatherElementsOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  auto in = rankedType(adaptor.getInput());
  auto idx = rankedType(adaptor.getIndices());
  int64_t axis = static_cast<int64_t>(adaptor.getAxis());
  if (idx.getRank() != in.getRank())
    return inferError(loc, "expects indices of the input's rank");
  if (axis < 0 || axis >= in.getRank())
    return inferError(loc, "axis " + Twine(axis) + " is out of range for rank " +
                               Twine(in.getRank()));
  types.push_back(RankedTensorType::get(idx.getShape(), in.getElementType()));
  return success();
}

LogicalResult ResizeOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  auto in = rankedType(adaptor.getInput());
  if (static_cast<int64_t>(adaptor.getSizes().size()) != in.getRank() ||
      static_cast<int64_t>(adaptor.getScales().size()) != in.getRank())
    return inferError(loc, "expects one size and one scale per dimension");
  if (llvm::any_of(adaptor.getSizes(), [](int64_t d) { return d < 0; }))
    return inferError(loc, "expects non-negative sizes");
  types.push_back(RankedTensorType::get(adaptor.getSizes(), in.getElementType()));
  return success();
}

LogicalResult ResizeOp::verify() {
  StringRef mode = getMode(), cm = getCoordinateMode(), nm = getNearestMode();
  if (mode != "nearest" && mode != "linear" && mode != "cubic")
    return emitOpError("unknown mode '") << mode << "'";
  if (!llvm::is_contained({"half_pixel", "asymmetric", "align_corners",
                           "pytorch_half_pixel", "tf_crop_and_resize",
                           "tf_half_pixel_for_nearest"},
                          cm))
    return emitOpError("unknown coordinate_mode '") << cm << "'";
  if (!llvm::is_contained(
          {"round_prefer_floor", "round_prefer_ceil", "floor", "ceil"}, nm))
    return emitOpError("unknown nearest_mode '") << nm << "'";
  if (cm == "tf_crop_and_resize" &&
      static_cast<int64_t>(getRoi().size()) != 2 * getType().getRank())
    return emitOpError("tf_crop_and_resize needs 2 roi values per dimension");
  return success();
}

LogicalResult GatherNDOp::inferReturnTypes(MLIRContext *,
                                           std::optional<Location> loc,
                                           Adaptor adaptor,
                                           SmallVectorImpl<Type> &types) {
  auto in = rankedType(adaptor.getInput());
  auto idx = rankedType(adaptor.getIndices());
  int64_t b = static_cast<int64_t>(adaptor.getBatchDims());
  if (idx.getRank() < 1)
    return inferError(loc, "expects indices of rank >= 1");
  int64_t k = idx.getShape().back();
  if (b + k > in.getRank())
    return inferError(loc, "index tuples are longer than the input's rank");
  SmallVector<int64_t> shape(idx.getShape().drop_back());
  llvm::append_range(shape, in.getShape().drop_front(b + k));
  types.push_back(RankedTensorType::get(shape, in.getElementType()));
  return success();
}

LogicalResult ScatterOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  types.push_back(adaptor.getInput().getType());
  return success();
}

LogicalResult TopKOp::inferReturnTypes(MLIRContext *ctx,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &types) {
  auto in = rankedType(adaptor.getInput());
  int64_t axis = static_cast<int64_t>(adaptor.getAxis());
  int64_t k = static_cast<int64_t>(adaptor.getK());
  if (axis < 0 || axis >= in.getRank() || k < 0 || k > in.getDimSize(axis))
    return inferError(loc, "axis or k out of range");
  SmallVector<int64_t> shape(in.getShape());
  shape[axis] = k;
  types.push_back(RankedTensorType::get(shape, in.getElementType()));
  types.push_back(RankedTensorType::get(shape, IntegerType::get(ctx, 64)));
  return success();
}

LogicalResult EinsumOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  StringRef eq = adaptor.getEquation();
  auto [lhs, out] = eq.split("->");
  SmallVector<StringRef> terms;
  lhs.split(terms, ',');
  ValueRange ins = adaptor.getInputs();
  if (terms.size() != ins.size() || !eq.contains("->"))
    return inferError(loc, "equation '" + eq + "' does not match the inputs");
  llvm::DenseMap<char, int64_t> sizes;
  for (auto [term, v] : llvm::zip(terms, ins)) {
    auto t = rankedType(v);
    if (static_cast<int64_t>(term.size()) != t.getRank())
      return inferError(loc, "term '" + term + "' does not match its input's rank");
    for (auto [c, d] : llvm::zip(term, t.getShape())) {
      auto [it, inserted] = sizes.try_emplace(c, d);
      if (!inserted && it->second != d && d != 1 && it->second != 1)
        return inferError(loc, "index '" + Twine(c) + "' has two sizes");
      if (!inserted && it->second == 1)
        it->second = d;
    }
  }
  SmallVector<int64_t> shape;
  for (char c : out) {
    if (!sizes.count(c))
      return inferError(loc, "output index '" + Twine(c) + "' is not an input index");
    shape.push_back(sizes[c]);
  }
  types.push_back(RankedTensorType::get(
      shape, cast<RankedTensorType>(ins.front().getType()).getElementType()));
  return success();
}

LogicalResult ExpandOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  auto in = rankedType(adaptor.getInput());
  auto shape = broadcastShapes(in.getShape(), adaptor.getShape());
  if (failed(shape))
    return inferError(loc, "input does not broadcast to the requested shape");
  types.push_back(RankedTensorType::get(*shape, in.getElementType()));
  return success();
}

LogicalResult TileOp::inferReturnTypes(MLIRContext *,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &types) {
  auto in = rankedType(adaptor.getInput());
  ArrayRef<int64_t> repeats = adaptor.getRepeats();
  if (static_cast<int64_t>(repeats.size()) != in.getRank())
    return inferError(loc, "expects one repeat count per dimension");
  SmallVector<int64_t> shape;
  for (auto [d, r] : llvm::zip(in.getShape(), repeats)) {
    if (r < 0)
      return inferError(loc, "repeat counts must be non-negative");
    shape.push_back(d * r);
  }
  types.push_back(RankedTensorType::get(shape, in.getElementType()));
  return success();
}

LogicalResult PadOp::inferReturnTypes(MLIRContext *,
                                      std::optional<Location> loc,
                                      Adaptor adaptor,
                                      SmallVectorImpl<Type> &types) {
  auto in = rankedType(adaptor.getInput());
  ArrayRef<int64_t> pads = adaptor.getPads();
  int64_t rank = in.getRank();
  if (static_cast<int64_t>(pads.size()) != 2 * rank)
    return inferError(loc, "expects " + Twine(2 * rank) + " pads");
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < rank; ++d) {
    if (pads[d] < 0 || pads[d + rank] < 0)
      return inferError(loc, "expects non-negative pads");
    shape.push_back(in.getDimSize(d) + pads[d] + pads[d + rank]);
  }
  types.push_back(RankedTensorType::get(shape, in.getElementType()));
  return success();
}

LogicalResult PadOp::verify() {
  StringRef mode = getMode();
  if (mode != "constant" && mode != "reflect" && mode != "edge")
    return emitOpError("unknown mode '") << mode << "'";
  int64_t rank = getInput().getType().getRank();
  if (mode == "reflect")
    for (int64_t d = 0; d < rank; ++d)
      if (getPads()[d] >= getInput().getType().getDimSize(d) ||
          getPads()[d + rank] >= getInput().getType().getDimSize(d))
        return emitOpError("reflect pads must be smaller than the dimension");
  return success();
}

#define GET_OP_CLASSES
#include "dialects/Edge/EdgeOps.cpp.inc"
