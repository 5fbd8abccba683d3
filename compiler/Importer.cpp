//===- Importer.cpp - ONNX model -> edge dialect --------------------------===//
//
// Built on libonnx's generated protobuf classes, its checker and its shape
// inference. Every op gets a location naming the ONNX node (name and op
// type), so every diagnostic points at something the user finds in Netron.
// Small integer tensors that only describe shapes (Shape -> Gather -> Concat
// -> Reshape, ...) are evaluated here, at import, and never become ops.
//
//===----------------------------------------------------------------------===//
#include "compiler/Importer.h"

#include "dialects/Edge/EdgeOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <onnx/checker.h>
#include <onnx/defs/parser.h>
#include <onnx/onnx_pb.h>
#include <onnx/shape_inference/implementation.h>

#include <cmath>
#include <set>
#include <functional>
#include <limits>
#include <optional>

using namespace mlir;

namespace edge {
namespace {

/// A tensor whose value is known at import time. Integers and floats are
/// kept apart so int64 sentinels (INT64_MAX in Slice) stay exact.
struct HostTensor {
  std::vector<int64_t> shape;
  bool isFloat = false;
  int32_t onnxType = onnx::TensorProto::INT64;
  std::vector<int64_t> ints;
  std::vector<double> floats;
  /// Raw little-endian payload for large float initializers (weights).
  std::string raw;

  int64_t size() const {
    int64_t n = 1;
    for (int64_t d : shape)
      n *= d;
    return n;
  }
  int64_t intAt(int64_t i) const {
    return isFloat ? static_cast<int64_t>(floats[i]) : ints[i];
  }
  double floatAt(int64_t i) const {
    return isFloat ? floats[i] : static_cast<double>(ints[i]);
  }
};

bool isFloatType(int32_t t) {
  return t == onnx::TensorProto::FLOAT || t == onnx::TensorProto::DOUBLE ||
         t == onnx::TensorProto::FLOAT16 || t == onnx::TensorProto::BFLOAT16;
}

std::string onnxTypeName(int32_t t) {
  return onnx::TensorProto_DataType_Name(
      static_cast<onnx::TensorProto_DataType>(t));
}

class Importer {
public:
  Importer(MLIRContext &ctx, StringRef path, const ImportOptions &options)
      : ctx(ctx), builder(&ctx), path(path.str()), options(options) {}

  OwningOpRef<ModuleOp> run(ModelInterface &interface);

private:
  MLIRContext &ctx;
  OpBuilder builder;
  std::string path;
  const ImportOptions &options;
  onnx::ModelProto model;
  int64_t opset = 0;

  std::map<std::string, Value> values;
  std::map<std::string, HostTensor> hostValues;
  /// ONNX element type of every named value ONNX's shape inference knows:
  /// signless MLIR integers lose the uint/int distinction, this keeps it.
  std::map<std::string, int32_t> onnxTypes;

  // The node being imported.
  const onnx::NodeProto *node = nullptr;
  Location nodeLoc = UnknownLoc::get(&ctx);

  //--- diagnostics ---------------------------------------------------------
  Location fileLoc() { return FileLineColLoc::get(&ctx, path, 0, 0); }
  InFlightDiagnostic error() { return emitError(nodeLoc); }
  LogicalResult fail(const Twine &msg) {
    error() << msg;
    return failure();
  }

  //--- model-level steps ---------------------------------------------------
  LogicalResult load();
  LogicalResult checkAndInferShapes();
  FailureOr<Type> elementType(int32_t onnxType, Location loc);
  LogicalResult importInitializer(const onnx::TensorProto &t);
  FailureOr<HostTensor> hostFromProto(const onnx::TensorProto &t);
  LogicalResult loadExternal(const onnx::TensorProto &t,
                             onnx::TensorProto &out);
  LogicalResult importNode(const onnx::NodeProto &n);

  //--- values ---------------------------------------------------------------
  bool has(const std::string &name) {
    return values.count(name) || hostValues.count(name);
  }
  const HostTensor *host(const std::string &name) {
    auto it = hostValues.find(name);
    return it == hostValues.end() ? nullptr : &it->second;
  }
  const HostTensor *hostInput(int i) {
    if (i >= node->input_size() || node->input(i).empty())
      return nullptr;
    return host(node->input(i));
  }
  bool hasInput(int i) {
    return i < node->input_size() && !node->input(i).empty();
  }
  /// Input i as a tensor known at compile time; null (with the error the
  /// node-suite runner and users read: "input I ('NAME') must be a
  /// compile-time constant") when it is only known at run time.
  /// Input i's compile-time value, or null after the error (with `why`
  /// appended in parentheses when given).
  const HostTensor *constantInput(int i, StringRef why = "") {
    const HostTensor *h = hostInput(i);
    if (!h)
      (void)fail("input " + Twine(i) + " ('" + node->input(i) +
                 "') must be a compile-time constant" +
                 (why.empty() ? "" : " (" + why.str() + ")"));
    return h;
  }
  bool isUnsigned(int32_t t) {
    return t == onnx::TensorProto::UINT8 || t == onnx::TensorProto::UINT16 ||
           t == onnx::TensorProto::UINT32 || t == onnx::TensorProto::UINT64;
  }
  bool inputUnsigned(int i) {
    if (!hasInput(i))
      return false;
    if (const HostTensor *h = host(node->input(i)))
      return isUnsigned(h->onnxType);
    auto it = onnxTypes.find(node->input(i));
    return it != onnxTypes.end() && isUnsigned(it->second);
  }
  FailureOr<Value> elementwise(StringRef kind, ValueRange inputs,
                               Type elementType, float alpha = 0.0f,
                               float beta = 0.0f, bool unsignedInputs = false,
                               bool unsignedResult = false) {
    return create<ElementwiseOp>(inputs, kind, elementType,
                                 APFloat(alpha), APFloat(beta),
                                 unsignedInputs, unsignedResult);
  }
  static Type elementTypeOf(Value v) {
    return cast<RankedTensorType>(v.getType()).getElementType();
  }
  LogicalResult importElementwise(StringRef kind, unsigned arity,
                                  float alpha = 0.0f, float beta = 0.0f,
                                  bool boolResult = false);
  LogicalResult importVariadic(StringRef kind);
  LogicalResult importCast();
  LogicalResult importDataOps(bool &handled);
  LogicalResult importNormalization(bool &handled);
  LogicalResult importLoss();
  LogicalResult importRecurrent();
  LogicalResult importIf();
  LogicalResult importLoop();
  /// Imports the nodes of a subgraph in the current scope and returns the
  /// values (or host tensors) of its outputs, by name.
  LogicalResult importSubgraph(const onnx::GraphProto &g,
                               SmallVectorImpl<std::string> &outputs);
  LogicalResult importQuantization(bool &handled);
  FailureOr<Value> broadcastAlong(Value v, int64_t axis, int64_t rank);
  FailureOr<Value> dequantize(Value x, Value scale, Value zp, bool zpUnsigned,
                              int64_t axis);
  FailureOr<Value> quantize(Value x, Value scale, Value zp, bool zpUnsigned,
                            int64_t axis);
  /// A rank-0 constant of element type `elem` (float or integer).
  Value scalarConstant(const std::string &name, Type elem, double v) {
    Attribute value =
        isa<FloatType>(elem)
            ? Attribute(builder.getFloatAttr(elem, v))
            : Attribute(builder.getIntegerAttr(elem, static_cast<int64_t>(v)));
    Location loc = NameLoc::get(StringAttr::get(&ctx, name), nodeLoc);
    return ConstantOp::create(
               builder, loc,
               DenseElementsAttr::get(RankedTensorType::get({}, elem), value))
        .getResult();
  }
  FailureOr<Value> input(int i);
  /// Input i, or a null Value when the node leaves it out.
  FailureOr<Value> optionalInput(int i) {
    if (!hasInput(i))
      return Value();
    return input(i);
  }
  Value materialize(const std::string &name, const HostTensor &h);
  FailureOr<SmallVector<int64_t>> shapeOf(int i);
  // A name holds one value: a later definition (a Loop body imported once
  // per iteration) replaces both the host value and its materialization.
  void setOutput(int i, Value v) {
    if (i < node->output_size() && !node->output(i).empty()) {
      hostValues.erase(node->output(i));
      values[node->output(i)] = v;
    }
  }
  void setHostOutput(int i, HostTensor h) {
    if (i < node->output_size() && !node->output(i).empty()) {
      values.erase(node->output(i));
      hostValues[node->output(i)] = std::move(h);
    }
  }
  LogicalResult rejectExtraOutputs(int used) {
    for (int i = used; i < node->output_size(); ++i)
      if (!node->output(i).empty())
        return fail("output " + Twine(i) + " ('" + node->output(i) +
                    "') is not supported (inference only)");
    return success();
  }

  //--- attributes ----------------------------------------------------------
  const onnx::AttributeProto *attr(StringRef name) {
    for (const auto &a : node->attribute())
      if (a.name() == name)
        return &a;
    return nullptr;
  }
  int64_t attrInt(StringRef name, int64_t dflt) {
    auto *a = attr(name);
    return a ? a->i() : dflt;
  }
  float attrFloat(StringRef name, float dflt) {
    auto *a = attr(name);
    return a ? a->f() : dflt;
  }
  std::string attrString(StringRef name, StringRef dflt) {
    auto *a = attr(name);
    return a ? a->s() : dflt.str();
  }
  std::optional<SmallVector<int64_t>> attrInts(StringRef name) {
    auto *a = attr(name);
    if (!a)
      return std::nullopt;
    return SmallVector<int64_t>(a->ints().begin(), a->ints().end());
  }
  /// Integer list given as an attribute (older opsets) or as a constant
  /// input (newer ones).
  FailureOr<std::optional<SmallVector<int64_t>>>
  intsFromAttrOrInput(StringRef attrName, int inputIndex);
  FailureOr<int64_t> normalizeAxis(int64_t axis, int64_t rank);

  //--- op families ---------------------------------------------------------
  /// Builds an edge op whose result type is inferred. Unlike the ODS
  /// builder (which aborts when inference fails), a failure here is a
  /// diagnostic at the node and a failed import.
  template <typename Op, typename... Args>
  FailureOr<Value> create(Args &&...args) {
    OperationState state(nodeLoc, Op::getOperationName());
    Op::build(builder, state, Type(NoneType::get(&ctx)),
              std::forward<Args>(args)...);
    state.types.clear();
    SmallVector<Type> types;
    if (failed(Op::inferReturnTypes(&ctx, state.location, state.operands,
                                    state.attributes.getDictionary(&ctx),
                                    state.getRawProperties(), state.regions,
                                    types)))
      return failure();
    state.addTypes(types);
    return builder.create(state)->getResult(0);
  }
  LogicalResult output(int i, FailureOr<Value> v) {
    if (failed(v))
      return failure();
    setOutput(i, *v);
    return success();
  }
  template <typename Op>
  LogicalResult unary();
  template <typename Op>
  LogicalResult binary();
  LogicalResult importConv();
  LogicalResult importConvTranspose();
  LogicalResult importGemm();
  LogicalResult importMatMul();
  LogicalResult importPool(bool isMax);
  template <typename Op>
  LogicalResult importReduce(bool axesAsInputFromOpset13, StringRef pre = "",
                             StringRef post = "");
  template <typename Op>
  LogicalResult importArg();
  LogicalResult importClip();
  LogicalResult importBatchNorm();
  LogicalResult importReshapeLike();
  LogicalResult importTranspose();
  LogicalResult importConcat();
  LogicalResult importSplit();
  LogicalResult importSlice();
  template <typename Op>
  LogicalResult importSoftmax();
  LogicalResult importConstant();
  LogicalResult foldOnHost(bool &folded);
  LogicalResult windowPads(ArrayRef<int64_t> inShape, ArrayRef<int64_t> kernel,
                           ArrayRef<int64_t> strides,
                           ArrayRef<int64_t> dilations,
                           SmallVector<int64_t> &pads);
  FailureOr<Value> reshape(Value v, ArrayRef<int64_t> shape) {
    auto t = cast<RankedTensorType>(v.getType());
    if (t.getShape() == shape)
      return v;
    return create<ReshapeOp>(v, shape);
  }
};

//===----------------------------------------------------------------------===//
// Model loading and checking
//===----------------------------------------------------------------------===//

LogicalResult Importer::load() {
  auto buffer = llvm::MemoryBuffer::getFileOrSTDIN(path, /*IsText=*/false);
  if (!buffer) {
    emitError(fileLoc()) << "cannot read model: " << buffer.getError().message();
    return failure();
  }
  StringRef data = (*buffer)->getBuffer();
  bool text = StringRef(path).ends_with(".onnxtxt") ||
              data.ltrim().starts_with("<");
  if (text) {
    std::string copy = data.str();
    auto status = onnx::OnnxParser::Parse(model, copy.c_str());
    if (!status.IsOK()) {
      emitError(fileLoc()) << "cannot parse ONNX text: " << status.ErrorMessage();
      return failure();
    }
  } else if (!model.ParseFromArray(data.data(), static_cast<int>(data.size()))) {
    emitError(fileLoc()) << "not a valid ONNX model (protobuf parse failed)";
    return failure();
  }
  for (const auto &o : model.opset_import())
    if (o.domain().empty() || o.domain() == "ai.onnx")
      opset = o.version();
  if (opset == 0) {
    emitError(fileLoc()) << "model imports no default-domain opset";
    return failure();
  }
  if (opset < 7 || opset > 17)
    emitWarning(fileLoc()) << "opset " << opset
                           << " is outside the tested range 7-17";
  return success();
}

LogicalResult Importer::checkAndInferShapes() {
  // Pin the shapes the user gave before ONNX infers the rest.
  auto *graph = model.mutable_graph();
  std::set<std::string> initNames;
  for (const auto &t : graph->initializer())
    initNames.insert(t.name());
  std::set<std::string> seen;
  for (auto &in : *graph->mutable_input()) {
    auto it = options.inputShapes.find(in.name());
    if (it == options.inputShapes.end())
      continue;
    seen.insert(in.name());
    auto *shape = in.mutable_type()->mutable_tensor_type()->mutable_shape();
    shape->clear_dim();
    for (int64_t d : it->second)
      shape->add_dim()->set_dim_value(d);
  }
  for (const auto &[name, shape] : options.inputShapes)
    if (!seen.count(name)) {
      emitError(fileLoc()) << "--input-shape names '" << name
                           << "', which is not a graph input";
      return failure();
    }
  // Frozen inputs become initializers of the same name, so ONNX's shape
  // inference and our importer treat them as the constants they are.
  for (const auto &[name, file] : options.frozenInputs) {
    const onnx::ValueInfoProto *decl = nullptr;
    for (const auto &in : graph->input())
      if (in.name() == name)
        decl = &in;
    if (!decl) {
      emitError(fileLoc()) << "--freeze-input names '" << name
                           << "', which is not a graph input";
      return failure();
    }
    auto buffer = llvm::MemoryBuffer::getFile(file, /*IsText=*/false);
    onnx::TensorProto t;
    if (!buffer || !t.ParseFromArray((*buffer)->getBufferStart(),
                                     static_cast<int>((*buffer)->getBufferSize()))) {
      emitError(fileLoc()) << "--freeze-input=" << name << ": cannot read a "
                           << "TensorProto from '" << file << "'";
      return failure();
    }
    const auto &tt = decl->type().tensor_type();
    bool compatible = t.data_type() == tt.elem_type() &&
                      (!tt.has_shape() || tt.shape().dim_size() == t.dims_size());
    for (int d = 0; compatible && tt.has_shape() && d < t.dims_size(); ++d)
      if (tt.shape().dim(d).has_dim_value() &&
          tt.shape().dim(d).dim_value() != t.dims(d))
        compatible = false;
    if (!compatible) {
      emitError(fileLoc()) << "--freeze-input=" << name << ": the tensor in '"
                           << file << "' does not match the input's type/shape";
      return failure();
    }
    t.set_name(name);
    bool replaced = false;
    for (auto &init : *graph->mutable_initializer())
      if (init.name() == name) {
        init = t;
        replaced = true;
      }
    if (!replaced)
      *graph->add_initializer() = t;
  }
  // External data is read (and checked) before ONNX's checker, which would
  // look for the files relative to the working directory.
  for (auto &init : *graph->mutable_initializer())
    if (init.data_location() == onnx::TensorProto::EXTERNAL) {
      onnx::TensorProto loaded;
      if (failed(loadExternal(init, loaded)))
        return failure();
      init = std::move(loaded);
    }
  try {
    onnx::checker::check_model(model);
  } catch (const std::exception &e) {
    std::string msg = e.what();
    emitError(fileLoc()) << "the ONNX checker rejects the model: "
                         << StringRef(msg).split('\n').first;
    return failure();
  }
  try {
    onnx::ShapeInferenceOptions opts{/*check_type=*/true, /*error_mode=*/0,
                                     /*enable_data_propagation=*/true};
    onnx::shape_inference::InferShapes(model, onnx::OpSchemaRegistry::Instance(),
                                       opts);
  } catch (const std::exception &e) {
    std::string msg = e.what();
    emitError(fileLoc()) << "ONNX shape inference failed: "
                         << StringRef(msg).split('\n').first;
    return failure();
  }
  return success();
}

FailureOr<Type> Importer::elementType(int32_t t, Location loc) {
  switch (t) {
  case onnx::TensorProto::FLOAT:
    return Type(builder.getF32Type());
  case onnx::TensorProto::DOUBLE:
    return Type(builder.getF64Type());
  case onnx::TensorProto::FLOAT16:
    return Type(builder.getF16Type());
  case onnx::TensorProto::INT64:
  case onnx::TensorProto::UINT64:
    return Type(builder.getI64Type());
  case onnx::TensorProto::INT32:
  case onnx::TensorProto::UINT32:
    return Type(builder.getI32Type());
  case onnx::TensorProto::INT16:
  case onnx::TensorProto::UINT16:
    return Type(builder.getI16Type());
  case onnx::TensorProto::INT8:
  case onnx::TensorProto::UINT8:
    return Type(builder.getI8Type());
  case onnx::TensorProto::BOOL:
    return Type(builder.getI1Type());
  default:
    emitError(loc) << "element type " << onnxTypeName(t) << " is not supported";
    return failure();
  }
}

/// Reads the bytes of a tensor stored beside the model (ONNX external
/// data). Only files inside the model's folder are read: absolute
/// locations, `..` components and symlinks that resolve outside it are
/// refused, and offset/length are checked against the file's size before
/// anything is read.
LogicalResult Importer::loadExternal(const onnx::TensorProto &t,
                                     onnx::TensorProto &out) {
  Location loc = NameLoc::get(StringAttr::get(&ctx, t.name()), fileLoc());
  auto refuse = [&](const Twine &why) {
    emitError(loc) << "external data of tensor '" << t.name() << "': " << why;
    return failure();
  };
  std::string location;
  int64_t offset = 0, length = -1;
  for (const auto &kv : t.external_data()) {
    if (kv.key() == "location")
      location = kv.value();
    else if ((kv.key() == "offset" &&
              StringRef(kv.value()).getAsInteger(10, offset)) ||
             (kv.key() == "length" &&
              StringRef(kv.value()).getAsInteger(10, length)))
      return refuse("'" + kv.key() + "' is not an integer");
  }
  if (location.empty())
    return refuse("no location");
  if (llvm::sys::path::is_absolute(location) ||
      llvm::sys::path::is_absolute(location, llvm::sys::path::Style::windows))
    return refuse("absolute location '" + location + "' is not allowed");
  for (auto it = llvm::sys::path::begin(location),
            end = llvm::sys::path::end(location);
       it != end; ++it)
    if (*it == "..")
      return refuse("location '" + location +
                    "' leaves the model's folder ('..')");
  SmallString<256> modelReal, dir, file, fileReal;
  if (llvm::sys::fs::real_path(path, modelReal))
    return refuse("cannot resolve the model's folder");
  dir = llvm::sys::path::parent_path(modelReal);
  file = dir;
  llvm::sys::path::append(file, location);
  if (llvm::sys::fs::real_path(file, fileReal))
    return refuse("cannot open '" + location + "'");
  if (!StringRef(fileReal).starts_with(StringRef(dir.str().str() + "/")))
    return refuse("'" + location + "' resolves outside the model's folder");
  uint64_t size = 0;
  if (llvm::sys::fs::file_size(fileReal, size))
    return refuse("cannot read the size of '" + location + "'");
  if (offset < 0 || static_cast<uint64_t>(offset) > size || length < -1 ||
      (length >= 0 && static_cast<uint64_t>(offset + length) > size))
    return refuse("offset " + Twine(offset) + " and length " + Twine(length) +
                  " do not fit in '" + location + "' (" + Twine(size) +
                  " bytes)");
  if (length < 0)
    length = static_cast<int64_t>(size) - offset;
  auto buffer = llvm::MemoryBuffer::getFileSlice(fileReal, length, offset);
  if (!buffer)
    return refuse("cannot read '" + location + "'");
  out = t;
  out.clear_external_data();
  out.set_data_location(onnx::TensorProto::DEFAULT);
  out.set_raw_data((*buffer)->getBufferStart(), (*buffer)->getBufferSize());
  return success();
}

FailureOr<HostTensor> Importer::hostFromProto(const onnx::TensorProto &in) {
  onnx::TensorProto loaded;
  if (in.data_location() == onnx::TensorProto::EXTERNAL &&
      failed(loadExternal(in, loaded)))
    return failure();
  const onnx::TensorProto &t =
      in.data_location() == onnx::TensorProto::EXTERNAL ? loaded : in;
  Location loc = NameLoc::get(StringAttr::get(&ctx, t.name()), fileLoc());
  HostTensor h;
  h.shape.assign(t.dims().begin(), t.dims().end());
  h.onnxType = t.data_type();
  h.isFloat = isFloatType(t.data_type());
  int64_t n = h.size();
  auto sizeError = [&]() {
    emitError(loc) << "tensor '" << t.name() << "' holds the wrong number of "
                   << "elements for its shape";
    return failure();
  };
  const std::string &raw = t.raw_data();
  switch (t.data_type()) {
  case onnx::TensorProto::FLOAT: {
    if (t.has_raw_data()) {
      if (static_cast<int64_t>(raw.size()) != 4 * n)
        return sizeError();
      h.raw = raw;
    } else {
      if (t.float_data_size() != n)
        return sizeError();
      h.raw.resize(4 * n);
      std::memcpy(h.raw.data(), t.float_data().data(), 4 * n);
    }
    // Small float tensors are also kept as numbers for attribute folding.
    if (n <= 4096) {
      h.floats.resize(n);
      for (int64_t i = 0; i < n; ++i) {
        float f;
        std::memcpy(&f, h.raw.data() + 4 * i, 4);
        h.floats[i] = f;
      }
    }
    return h;
  }
  case onnx::TensorProto::DOUBLE:
    if (t.has_raw_data()) {
      if (static_cast<int64_t>(raw.size()) != 8 * n)
        return sizeError();
      h.floats.resize(n);
      std::memcpy(h.floats.data(), raw.data(), 8 * n);
    } else {
      h.floats.assign(t.double_data().begin(), t.double_data().end());
    }
    break;
  case onnx::TensorProto::INT64:
    if (t.has_raw_data()) {
      if (static_cast<int64_t>(raw.size()) != 8 * n)
        return sizeError();
      h.ints.resize(n);
      std::memcpy(h.ints.data(), raw.data(), 8 * n);
    } else {
      h.ints.assign(t.int64_data().begin(), t.int64_data().end());
    }
    break;
  case onnx::TensorProto::INT32:
  case onnx::TensorProto::INT16:
  case onnx::TensorProto::INT8:
  case onnx::TensorProto::UINT8:
  case onnx::TensorProto::BOOL: {
    int width = t.data_type() == onnx::TensorProto::INT32   ? 4
                : t.data_type() == onnx::TensorProto::INT16 ? 2
                                                            : 1;
    if (t.has_raw_data()) {
      if (static_cast<int64_t>(raw.size()) != width * n)
        return sizeError();
      for (int64_t i = 0; i < n; ++i) {
        int64_t v = 0;
        if (width == 4) {
          int32_t x;
          std::memcpy(&x, raw.data() + 4 * i, 4);
          v = x;
        } else if (width == 2) {
          int16_t x;
          std::memcpy(&x, raw.data() + 2 * i, 2);
          v = x;
        } else {
          v = t.data_type() == onnx::TensorProto::INT8
                  ? static_cast<int8_t>(raw[i])
                  : static_cast<uint8_t>(raw[i]);
        }
        h.ints.push_back(v);
      }
    } else {
      h.ints.assign(t.int32_data().begin(), t.int32_data().end());
    }
    break;
  }
  default:
    emitError(loc) << "tensor '" << t.name() << "' has unsupported element type "
                   << onnxTypeName(t.data_type());
    return failure();
  }
  if (static_cast<int64_t>(h.isFloat ? h.floats.size() : h.ints.size()) != n)
    return sizeError();
  return h;
}

/// Builds the edge.constant for a host tensor: big float payloads become
/// dense_resource blobs (never uniqued), small ones plain dense attributes.
Value Importer::materialize(const std::string &name, const HostTensor &h) {
  auto elemOr = elementType(h.onnxType, nodeLoc);
  Type elem = succeeded(elemOr) ? *elemOr : builder.getF32Type();
  auto type = RankedTensorType::get(h.shape, elem);
  ElementsAttr value;
  if (h.onnxType == onnx::TensorProto::FLOAT && h.raw.size() > 1024) {
    std::string blobName = "edge_w_";
    for (char c : name)
      blobName += llvm::isAlnum(c) ? c : '_';
    auto blob = HeapAsmResourceBlob::allocateAndCopyWithAlign(
        ArrayRef<char>(h.raw.data(), h.raw.size()), alignof(float));
    value = DenseResourceElementsAttr::get(type, blobName, std::move(blob));
  } else if (isa<FloatType>(elem)) {
    SmallVector<APFloat> vals;
    const auto &sem = cast<FloatType>(elem).getFloatSemantics();
    for (int64_t i = 0; i < h.size(); ++i) {
      double d;
      if (!h.floats.empty() || !h.ints.empty()) {
        d = h.floatAt(i);
      } else {
        float f;
        std::memcpy(&f, h.raw.data() + 4 * i, 4);
        d = f;
      }
      APFloat v(d);
      bool lost;
      v.convert(sem, APFloat::rmNearestTiesToEven, &lost);
      vals.push_back(v);
    }
    value = DenseElementsAttr::get(type, vals);
  } else {
    unsigned width = elem.getIntOrFloatBitWidth();
    SmallVector<APInt> vals;
    for (int64_t i = 0; i < h.size(); ++i)
      vals.push_back(APInt(width, static_cast<uint64_t>(h.intAt(i)), true, true));
    value = DenseElementsAttr::get(type, vals);
  }
  Location loc = NameLoc::get(StringAttr::get(&ctx, name), nodeLoc);
  return ConstantOp::create(builder, loc, value).getResult();
}

FailureOr<Value> Importer::input(int i) {
  if (!hasInput(i))
    return fail("missing required input " + Twine(i));
  const std::string &name = node->input(i);
  auto it = values.find(name);
  if (it != values.end())
    return it->second;
  auto hit = hostValues.find(name);
  if (hit == hostValues.end())
    return fail("input '" + name + "' is not produced by any earlier node");
  Value v = materialize(name, hit->second);
  values[name] = v;
  return v;
}

FailureOr<SmallVector<int64_t>> Importer::shapeOf(int i) {
  if (!hasInput(i))
    return fail("missing required input " + Twine(i));
  if (const HostTensor *h = hostInput(i))
    return SmallVector<int64_t>(h->shape.begin(), h->shape.end());
  auto v = input(i);
  if (failed(v))
    return failure();
  return SmallVector<int64_t>(
      cast<RankedTensorType>(v->getType()).getShape());
}

FailureOr<std::optional<SmallVector<int64_t>>>
Importer::intsFromAttrOrInput(StringRef attrName, int inputIndex) {
  if (auto a = attrInts(attrName))
    return std::optional<SmallVector<int64_t>>(*a);
  if (!hasInput(inputIndex))
    return std::optional<SmallVector<int64_t>>();
  const HostTensor *h = constantInput(inputIndex);
  if (!h)
    return failure();
  SmallVector<int64_t> out;
  for (int64_t k = 0; k < h->size(); ++k)
    out.push_back(h->intAt(k));
  return std::optional<SmallVector<int64_t>>(out);
}

FailureOr<int64_t> Importer::normalizeAxis(int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= rank)
    return fail("axis " + Twine(axis) + " is out of range for rank " +
                Twine(rank));
  return axis < 0 ? axis + rank : axis;
}

//===----------------------------------------------------------------------===//
// Host folding of shape computations
//===----------------------------------------------------------------------===//

/// Numpy broadcast of integer host tensors.
std::optional<HostTensor> hostBinary(const HostTensor &a, const HostTensor &b,
                                     const std::function<int64_t(int64_t, int64_t)> &fi,
                                     const std::function<double(double, double)> &ff) {
  auto shape = broadcastShapes(a.shape, b.shape);
  if (failed(shape))
    return std::nullopt;
  HostTensor r;
  r.shape.assign(shape->begin(), shape->end());
  r.isFloat = a.isFloat || b.isFloat;
  r.onnxType = a.onnxType;
  int64_t n = r.size(), rank = r.shape.size();
  auto index = [&](const HostTensor &t, int64_t flat) {
    int64_t idx = 0, stride = 1;
    int64_t tr = t.shape.size();
    for (int64_t d = rank - 1, rem = flat; d >= 0; --d) {
      int64_t coord = rem % r.shape[d];
      rem /= r.shape[d];
      int64_t td = d - (rank - tr);
      if (td < 0)
        break;
      if (t.shape[td] != 1)
        idx += coord * stride;
      stride *= t.shape[td];
    }
    return idx;
  };
  for (int64_t i = 0; i < n; ++i) {
    int64_t ia = index(a, i), ib = index(b, i);
    if (r.isFloat)
      r.floats.push_back(ff(a.floatAt(ia), b.floatAt(ib)));
    else
      r.ints.push_back(fi(a.ints[ia], b.ints[ib]));
  }
  return r;
}

LogicalResult Importer::foldOnHost(bool &folded) {
  folded = false;
  const std::string &op = node->op_type();
  // Shape is known statically for every tensor.
  if (op == "Shape") {
    auto shape = shapeOf(0);
    if (failed(shape))
      return failure();
    int64_t rank = shape->size();
    int64_t start = attrInt("start", 0), end = attrInt("end", rank);
    if (start < 0)
      start += rank;
    if (end < 0)
      end += rank;
    start = std::clamp<int64_t>(start, 0, rank);
    end = std::clamp<int64_t>(end, 0, rank);
    HostTensor h;
    for (int64_t d = start; d < end; ++d)
      h.ints.push_back((*shape)[d]);
    h.shape = {static_cast<int64_t>(h.ints.size())};
    setHostOutput(0, h);
    folded = true;
    return success();
  }
  if (op == "Size") {
    auto shape = shapeOf(0);
    if (failed(shape))
      return failure();
    HostTensor h;
    int64_t n = 1;
    for (int64_t d : *shape)
      n *= d;
    h.ints = {n};
    setHostOutput(0, h);
    folded = true;
    return success();
  }
  // The rest fold only when every input is known and not float weights.
  for (int i = 0; i < node->input_size(); ++i) {
    if (node->input(i).empty())
      continue;
    const HostTensor *h = host(node->input(i));
    if (!h || (h->isFloat && h->size() > 64))
      return success();
  }
  if (node->input_size() == 0)
    return success();
  const HostTensor &a = *host(node->input(0));
  auto arith = [&](auto fi, auto ff) -> LogicalResult {
    auto r = hostBinary(a, *host(node->input(1)), fi, ff);
    if (!r)
      return fail("operand shapes do not broadcast");
    setHostOutput(0, *r);
    folded = true;
    return success();
  };
  if (op == "Add")
    return arith([](int64_t x, int64_t y) { return x + y; },
                 [](double x, double y) { return x + y; });
  if (op == "Sub")
    return arith([](int64_t x, int64_t y) { return x - y; },
                 [](double x, double y) { return x - y; });
  if (op == "Mul")
    return arith([](int64_t x, int64_t y) { return x * y; },
                 [](double x, double y) { return x * y; });
  if (op == "Div") {
    const HostTensor &b = *host(node->input(1));
    for (int64_t i = 0; !b.isFloat && i < b.size(); ++i)
      if (b.ints[i] == 0)
        return fail("integer division by zero in a shape computation");
    return arith([](int64_t x, int64_t y) { return x / y; },
                 [](double x, double y) { return x / y; });
  }
  if (op == "Identity") {
    setHostOutput(0, a);
    folded = true;
    return success();
  }
  if ((op == "Neg" || op == "Abs") && !a.isFloat) {
    HostTensor r = a;
    for (int64_t &v : r.ints)
      v = op == "Neg" ? -v : std::abs(v);
    setHostOutput(0, r);
    folded = true;
    return success();
  }
  if ((op == "Max" || op == "Min") && node->input_size() == 2 && !a.isFloat)
    return arith(
        [&](int64_t x, int64_t y) { return op == "Max" ? std::max(x, y) : std::min(x, y); },
        [&](double x, double y) { return op == "Max" ? std::max(x, y) : std::min(x, y); });
  if (op == "Cast") {
    HostTensor r = a;
    int64_t to = attrInt("to", onnx::TensorProto::INT64);
    r.onnxType = static_cast<int32_t>(to);
    bool toFloat = isFloatType(static_cast<int32_t>(to));
    if (toFloat && !a.isFloat)
      for (int64_t v : a.ints)
        r.floats.push_back(static_cast<double>(v));
    if (!toFloat && a.isFloat)
      for (double v : a.floats)
        r.ints.push_back(static_cast<int64_t>(v));
    if (toFloat != a.isFloat) {
      r.isFloat = toFloat;
      if (!toFloat)
        r.floats.clear();
      else
        r.ints.clear();
      r.raw.clear();
    }
    setHostOutput(0, r);
    folded = true;
    return success();
  }
  if (op == "Gather") {
    const HostTensor &idx = *host(node->input(1));
    int64_t rank = a.shape.size();
    auto axisOr = normalizeAxis(attrInt("axis", 0), rank);
    if (failed(axisOr))
      return failure();
    int64_t axis = *axisOr;
    int64_t outer = 1, inner = 1;
    for (int64_t d = 0; d < axis; ++d)
      outer *= a.shape[d];
    for (int64_t d = axis + 1; d < rank; ++d)
      inner *= a.shape[d];
    HostTensor r;
    r.isFloat = a.isFloat;
    r.onnxType = a.onnxType;
    for (int64_t d = 0; d < axis; ++d)
      r.shape.push_back(a.shape[d]);
    for (int64_t d : idx.shape)
      r.shape.push_back(d);
    for (int64_t d = axis + 1; d < rank; ++d)
      r.shape.push_back(a.shape[d]);
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t k = 0; k < idx.size(); ++k) {
        int64_t j = idx.intAt(k);
        if (j < 0)
          j += a.shape[axis];
        if (j < 0 || j >= a.shape[axis])
          return fail("Gather index " + Twine(idx.intAt(k)) + " out of range");
        for (int64_t in = 0; in < inner; ++in) {
          int64_t src = (o * a.shape[axis] + j) * inner + in;
          if (a.isFloat)
            r.floats.push_back(a.floats[src]);
          else
            r.ints.push_back(a.ints[src]);
        }
      }
    setHostOutput(0, r);
    folded = true;
    return success();
  }
  if (op == "Concat" && !a.isFloat) {
    int64_t rank = a.shape.size();
    auto axis = normalizeAxis(attrInt("axis", 0), rank);
    if (failed(axis))
      return failure();
    if (rank != 1)
      return success(); // only 1-D shape vectors are folded here
    HostTensor r;
    for (int i = 0; i < node->input_size(); ++i)
      for (int64_t v : host(node->input(i))->ints)
        r.ints.push_back(v);
    r.shape = {static_cast<int64_t>(r.ints.size())};
    setHostOutput(0, r);
    folded = true;
    return success();
  }
  if (op == "Unsqueeze" || op == "Squeeze" || op == "Reshape" ||
      op == "Flatten") {
    // Same element order, new shape: reuse the import logic on a copy of
    // the shape, then copy the data.
    return success();
  }
  if (op == "Range") {
    const HostTensor &limit = *host(node->input(1));
    const HostTensor &delta = *host(node->input(2));
    HostTensor r;
    r.isFloat = a.isFloat;
    r.onnxType = a.onnxType;
    double start = a.floatAt(0), step = delta.floatAt(0);
    if (step == 0)
      return fail("Range delta is zero");
    int64_t n = std::max<int64_t>(
        0, static_cast<int64_t>(std::ceil((limit.floatAt(0) - start) / step)));
    if (n > (1 << 20))
      return success();
    for (int64_t i = 0; i < n; ++i) {
      if (r.isFloat)
        r.floats.push_back(start + i * step);
      else
        r.ints.push_back(a.intAt(0) + i * delta.intAt(0));
    }
    r.shape = {n};
    if (r.isFloat && r.onnxType == onnx::TensorProto::FLOAT) {
      r.raw.resize(4 * n);
      for (int64_t i = 0; i < n; ++i) {
        float f = static_cast<float>(r.floats[i]);
        std::memcpy(r.raw.data() + 4 * i, &f, 4);
      }
    }
    setHostOutput(0, r);
    folded = true;
    return success();
  }
  if (op == "ConstantOfShape") {
    HostTensor r;
    r.shape.assign(a.ints.begin(), a.ints.end());
    int64_t n = r.size();
    if (auto *v = attr("value")) {
      auto t = hostFromProto(v->t());
      if (failed(t))
        return failure();
      r.isFloat = t->isFloat;
      r.onnxType = t->onnxType;
      if (r.isFloat)
        r.floats.assign(n, t->floatAt(0));
      else
        r.ints.assign(n, t->intAt(0));
    } else {
      r.isFloat = true;
      r.onnxType = onnx::TensorProto::FLOAT;
      r.floats.assign(n, 0.0);
    }
    if (n > 4096)
      return success();
    setHostOutput(0, r);
    folded = true;
    return success();
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Op families
//===----------------------------------------------------------------------===//

template <typename Op>
LogicalResult Importer::unary() {
  auto x = input(0);
  if (failed(x))
    return failure();
  if (!isa<FloatType>(elementTypeOf(*x)))
    return importElementwise(StringRef(node->op_type()).lower(), 1);
  return output(0, create<Op>(*x));
}

template <typename Op>
LogicalResult Importer::binary() {
  auto a = input(0), b = input(1);
  if (failed(a) || failed(b))
    return failure();
  Type ea = elementTypeOf(*a), eb = elementTypeOf(*b);
  if (!isa<FloatType>(ea)) {
    // Integer arithmetic: the any-type elementwise op.
    static const llvm::StringMap<StringRef> kinds = {
        {"Add", "add"}, {"Sub", "sub"}, {"Mul", "mul"}, {"Div", "div"},
        {"Pow", "pow"}};
    return importElementwise(kinds.lookup(node->op_type()), 2);
  }
  if (ea != eb) {
    // Pow with an integer exponent (opset 12+) computes in the base's type.
    auto cast = elementwise("cast", {*b}, ea, 0, 0, inputUnsigned(1));
    if (failed(cast))
      return failure();
    b = *cast;
  }
  return output(0, create<Op>(*a, *b));
}

LogicalResult Importer::importElementwise(StringRef kind, unsigned arity,
                                          float alpha, float beta,
                                          bool boolResult) {
  SmallVector<Value> ins;
  for (unsigned i = 0; i < arity; ++i) {
    auto v = input(i);
    if (failed(v))
      return failure();
    ins.push_back(*v);
  }
  // Where's condition is operand 0; the value type is operand 1's.
  Type elem = elementTypeOf(ins[kind == "where" ? 1 : 0]);
  Type result = boolResult ? Type(builder.getI1Type()) : elem;
  bool uns = inputUnsigned(kind == "where" ? 1 : 0);
  return output(0, elementwise(kind, ins, result, alpha, beta, uns, uns));
}

/// Max/Min/Sum/Mean over any number of broadcasting inputs: a chain of
/// binary ops (Mean divides the sum at the end).
LogicalResult Importer::importVariadic(StringRef kind) {
  SmallVector<Value> ins;
  for (int i = 0; i < node->input_size(); ++i) {
    if (node->input(i).empty())
      continue;
    auto v = input(i);
    if (failed(v))
      return failure();
    ins.push_back(*v);
  }
  if (ins.empty())
    return fail(node->op_type() + " needs at least one input");
  bool uns = inputUnsigned(0);
  Type elem = elementTypeOf(ins[0]);
  StringRef binaryKind = kind == "mean" ? "add" : kind;
  Value acc = ins[0];
  for (Value v : ArrayRef<Value>(ins).drop_front()) {
    auto r = elementwise(binaryKind, {acc, v}, elem, 0, 0, uns, uns);
    if (failed(r))
      return failure();
    acc = *r;
  }
  if (kind == "mean" && ins.size() > 1) {
    if (!isa<FloatType>(elem))
      return fail("Mean of integer tensors is not supported");
    Value count = scalarConstant(node->output(0) + "_count", elem,
                                 static_cast<double>(ins.size()));
    return output(0, elementwise("div", {acc, count}, elem));
  }
  setOutput(0, acc);
  return success();
}

LogicalResult Importer::importCast() {
  int32_t to;
  if (node->op_type() == "CastLike") {
    auto it = onnxTypes.find(node->input(1));
    const HostTensor *h = hostInput(1);
    if (h)
      to = h->onnxType;
    else if (it != onnxTypes.end())
      to = it->second;
    else
      return fail("the target type of CastLike is unknown");
  } else {
    to = static_cast<int32_t>(attrInt("to", onnx::TensorProto::FLOAT));
  }
  auto elem = elementType(to, nodeLoc);
  if (failed(elem))
    return failure();
  auto x = input(0);
  if (failed(x))
    return failure();
  return output(0, elementwise("cast", {*x}, *elem, 0, 0, inputUnsigned(0),
                               isUnsigned(to)));
}

LogicalResult Importer::windowPads(ArrayRef<int64_t> inShape,
                                   ArrayRef<int64_t> kernel,
                                   ArrayRef<int64_t> strides,
                                   ArrayRef<int64_t> dilations,
                                   SmallVector<int64_t> &pads) {
  size_t n = kernel.size();
  std::string autoPad = attrString("auto_pad", "NOTSET");
  if (autoPad == "NOTSET") {
    if (auto p = attrInts("pads")) {
      if (p->size() != 2 * n)
        return fail("expects " + Twine(2 * n) + " pads, got " +
                    Twine(p->size()));
      pads = *p;
    } else {
      pads.assign(2 * n, 0);
    }
    return success();
  }
  pads.assign(2 * n, 0);
  if (autoPad == "VALID")
    return success();
  if (autoPad != "SAME_UPPER" && autoPad != "SAME_LOWER")
    return fail("unknown auto_pad '" + autoPad + "'");
  for (size_t i = 0; i < n; ++i) {
    int64_t in = inShape[i + 2];
    int64_t out = (in + strides[i] - 1) / strides[i];
    int64_t total = std::max<int64_t>(
        0, (out - 1) * strides[i] + dilations[i] * (kernel[i] - 1) + 1 - in);
    int64_t small = total / 2, big = total - small;
    pads[i] = autoPad == "SAME_UPPER" ? small : big;
    pads[i + n] = autoPad == "SAME_UPPER" ? big : small;
  }
  return success();
}

LogicalResult Importer::importConv() {
  auto x = input(0), w = input(1);
  if (failed(x) || failed(w))
    return failure();
  auto biasOr = optionalInput(2);
  if (failed(biasOr))
    return failure();
  Value bias = *biasOr;
  auto xType = cast<RankedTensorType>(x->getType());
  auto wType = cast<RankedTensorType>(w->getType());
  int64_t rank = xType.getRank();
  if (rank < 3)
    return fail("expects an input of rank >= 3 (N, C, spatial...), got rank " +
                Twine(rank));
  size_t n = rank - 2;
  SmallVector<int64_t> kernel(wType.getShape().drop_front(2));
  if (auto k = attrInts("kernel_shape"); k && *k != ArrayRef<int64_t>(kernel))
    return fail("kernel_shape does not match the weight's shape");
  SmallVector<int64_t> strides = attrInts("strides").value_or(SmallVector<int64_t>(n, 1));
  SmallVector<int64_t> dilations =
      attrInts("dilations").value_or(SmallVector<int64_t>(n, 1));
  if (strides.size() != n || dilations.size() != n)
    return fail("expects " + Twine(n) + " strides and dilations");
  SmallVector<int64_t> pads;
  if (failed(windowPads(xType.getShape(), kernel, strides, dilations, pads)))
    return failure();
  int64_t group = attrInt("group", 1);
  return output(0, create<ConvOp>(*x, *w, bias, strides, pads, dilations, group));
}

/// ConvTranspose as a stride-1 convolution: the input is zero-stuffed
/// (reshape, pad, reshape, slice), padded by dilation*(k-1) minus the
/// transposed convolution's pads, and convolved with the weight transposed
/// per group and flipped spatially.
LogicalResult Importer::importConvTranspose() {
  auto x = input(0), w = input(1);
  if (failed(x) || failed(w))
    return failure();
  auto biasOr = optionalInput(2);
  if (failed(biasOr))
    return failure();
  Value bias = *biasOr;
  auto xt = cast<RankedTensorType>(x->getType());
  auto wt = cast<RankedTensorType>(w->getType());
  int64_t rank = xt.getRank();
  if (rank < 3)
    return fail("expects an input of rank >= 3 (N, C, spatial...), got rank " +
                Twine(rank));
  int64_t n = rank - 2;
  SmallVector<int64_t> kernel(wt.getShape().drop_front(2));
  SmallVector<int64_t> strides = attrInts("strides").value_or(SmallVector<int64_t>(n, 1));
  SmallVector<int64_t> dil = attrInts("dilations").value_or(SmallVector<int64_t>(n, 1));
  SmallVector<int64_t> outPad =
      attrInts("output_padding").value_or(SmallVector<int64_t>(n, 0));
  SmallVector<int64_t> pads = attrInts("pads").value_or(SmallVector<int64_t>(2 * n, 0));
  int64_t group = attrInt("group", 1);
  std::string autoPad = attrString("auto_pad", "NOTSET");
  if (strides.size() != (size_t)n || dil.size() != (size_t)n ||
      outPad.size() != (size_t)n || pads.size() != (size_t)(2 * n))
    return fail("ConvTranspose attributes do not match the input's rank");
  auto outShape = attrInts("output_shape");
  for (int64_t i = 0; i < n; ++i) {
    int64_t in = xt.getDimSize(i + 2);
    int64_t full = strides[i] * (in - 1) + outPad[i] + (kernel[i] - 1) * dil[i] + 1;
    int64_t target = -1;
    if (outShape && !outShape->empty())
      target = (*outShape)[outShape->size() - n + i];
    else if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER")
      target = in * strides[i];
    if (target >= 0) {
      int64_t total = full - target;
      // SAME_LOWER puts the odd padding first; SAME_UPPER and an explicit
      // output_shape put it last (as ONNX's reference does).
      bool upper = autoPad != "SAME_LOWER";
      pads[i] = upper ? total / 2 : total - total / 2;
      pads[i + n] = upper ? total - total / 2 : total / 2;
    }
  }
  SmallVector<int64_t> xs(xt.getShape()), ws(wt.getShape());
  int64_t N = xs[0], C = xs[1];
  // Zero-stuffing: [N, C, X1, 1, X2, 1, ...] padded to [N, C, X1, s1, ...],
  // flattened and trimmed to (Xi - 1) * si + 1 per axis.
  FailureOr<Value> z = *x;
  if (llvm::any_of(strides, [](int64_t s) { return s > 1; })) {
    SmallVector<int64_t> split = {N, C}, stuffed = {N, C}, trimmed = {N, C};
    SmallVector<int64_t> padEnds = {0, 0};
    for (int64_t i = 0; i < n; ++i) {
      split.append({xs[i + 2], 1});
      padEnds.append({0, strides[i] - 1});
      stuffed.push_back(xs[i + 2] * strides[i]);
      trimmed.push_back((xs[i + 2] - 1) * strides[i] + 1);
    }
    SmallVector<int64_t> padAll(split.size(), 0);
    padAll.append(padEnds);
    z = reshape(*x, split);
    if (succeeded(z))
      z = create<PadOp>(*z, padAll, StringRef("constant"), APFloat(0.0));
    if (succeeded(z))
      z = reshape(*z, stuffed);
    if (succeeded(z))
      z = create<SliceOp>(*z, SmallVector<int64_t>(n + 2, 0), trimmed,
                          SmallVector<int64_t>(n + 2, 1));
  }
  if (failed(z))
    return failure();
  // Padding by dilation * (k - 1) minus the pads (negative amounts crop).
  SmallVector<int64_t> padBegin, padEnd;
  for (int64_t i = 0; i < n; ++i) {
    padBegin.push_back(dil[i] * (kernel[i] - 1) - pads[i]);
    padEnd.push_back(dil[i] * (kernel[i] - 1) - pads[i + n] + outPad[i]);
  }
  SmallVector<int64_t> pos(2, 0);
  for (int64_t v : padBegin)
    pos.push_back(std::max<int64_t>(v, 0));
  pos.append({0, 0});
  for (int64_t v : padEnd)
    pos.push_back(std::max<int64_t>(v, 0));
  if (llvm::any_of(pos, [](int64_t p) { return p > 0; }))
    z = create<PadOp>(*z, pos, StringRef("constant"), APFloat(0.0));
  if (failed(z))
    return failure();
  if (llvm::any_of(padBegin, [](int64_t p) { return p < 0; }) ||
      llvm::any_of(padEnd, [](int64_t p) { return p < 0; })) {
    auto pt = cast<RankedTensorType>(z->getType());
    SmallVector<int64_t> st = {0, 0}, en = {pt.getDimSize(0), pt.getDimSize(1)};
    for (int64_t i = 0; i < n; ++i) {
      st.push_back(std::max<int64_t>(-padBegin[i], 0));
      en.push_back(pt.getDimSize(i + 2) - std::max<int64_t>(-padEnd[i], 0));
    }
    z = create<SliceOp>(*z, st, en, SmallVector<int64_t>(n + 2, 1));
    if (failed(z))
      return failure();
  }
  // Weight [C, F/g, K...] -> [F, C/g, K...], flipped spatially.
  int64_t cig = ws[0] / group, cog = ws[1];
  SmallVector<int64_t> w5 = {group, cig, cog}, perm = {0, 2, 1},
                       wf = {group * cog, cig};
  SmallVector<int64_t> wStart = {0, 0}, wEnd = {group * cog, cig},
                       wStep = {1, 1};
  for (int64_t i = 0; i < n; ++i) {
    w5.push_back(kernel[i]);
    perm.push_back(3 + i);
    wf.push_back(kernel[i]);
    wStart.push_back(kernel[i] - 1);
    wEnd.push_back(-1);
    wStep.push_back(-1);
  }
  auto wr = reshape(*w, w5);
  if (succeeded(wr))
    wr = create<TransposeOp>(*wr, perm);
  if (succeeded(wr))
    wr = reshape(*wr, wf);
  if (succeeded(wr))
    wr = create<SliceOp>(*wr, wStart, wEnd, wStep);
  if (failed(wr))
    return failure();
  return output(0, create<ConvOp>(*z, *wr, bias, SmallVector<int64_t>(n, 1),
                                  SmallVector<int64_t>(2 * n, 0), dil, group));
}

LogicalResult Importer::importGemm() {
  auto a = input(0), b = input(1);
  if (failed(a) || failed(b))
    return failure();
  auto cOr = optionalInput(2);
  if (failed(cOr))
    return failure();
  Value c = *cOr;
  return output(0, create<GemmOp>(*a, *b, c, attrInt("transA", 0) != 0,
                              attrInt("transB", 0) != 0,
                              APFloat(attrFloat("alpha", 1.0f)),
                              APFloat(attrFloat("beta", 1.0f))));
}

LogicalResult Importer::importMatMul() {
  auto a = input(0), b = input(1);
  if (failed(a) || failed(b))
    return failure();
  auto at = cast<RankedTensorType>(a->getType());
  auto bt = cast<RankedTensorType>(b->getType());
  if (at.getRank() == 0 || bt.getRank() == 0)
    return fail("MatMul operands must have rank >= 1");
  FailureOr<Value> a2 = *a, b2 = *b;
  if (at.getRank() == 1)
    a2 = reshape(*a, {1, at.getDimSize(0)});
  if (bt.getRank() == 1)
    b2 = reshape(*b, {bt.getDimSize(0), 1});
  if (failed(a2) || failed(b2))
    return failure();
  auto y = create<MatMulOp>(*a2, *b2);
  if (failed(y))
    return failure();
  // Drop the dimensions numpy added for 1-D operands.
  SmallVector<int64_t> shape(cast<RankedTensorType>(y->getType()).getShape());
  if (bt.getRank() == 1)
    shape.pop_back();
  if (at.getRank() == 1)
    shape.erase(shape.end() - (bt.getRank() == 1 ? 1 : 2));
  return output(0, reshape(*y, shape));
}

LogicalResult Importer::importPool(bool isMax) {
  auto x = input(0);
  if (failed(x))
    return failure();
  bool withIndices = isMax && node->output_size() > 1 && !node->output(1).empty();
  if (failed(rejectExtraOutputs(withIndices ? 2 : 1)))
    return failure();
  auto xType = cast<RankedTensorType>(x->getType());
  int64_t rank = xType.getRank();
  if (rank < 3)
    return fail("expects an input of rank >= 3 (N, C, spatial...), got rank " +
                Twine(rank));
  if (!isMax && !isa<FloatType>(xType.getElementType()))
    return fail("AveragePool of integer tensors is not supported");
  size_t n = rank - 2;
  auto kernel = attrInts("kernel_shape");
  if (!kernel || kernel->size() != n)
    return fail("expects kernel_shape with " + Twine(n) + " values");
  SmallVector<int64_t> strides = attrInts("strides").value_or(SmallVector<int64_t>(n, 1));
  SmallVector<int64_t> dilations =
      attrInts("dilations").value_or(SmallVector<int64_t>(n, 1));
  if (!isMax && llvm::any_of(dilations, [](int64_t d) { return d != 1; }))
    return fail("dilated AveragePool is not supported yet");
  SmallVector<int64_t> pads;
  if (failed(windowPads(xType.getShape(), *kernel, strides, dilations, pads)))
    return failure();
  bool ceil = attrInt("ceil_mode", 0) != 0;
  if (!isMax)
    return output(0, create<AvgPoolOp>(*x, *kernel, strides, pads,
                                      attrInt("count_include_pad", 0) != 0,
                                      ceil));
  int64_t order = attrInt("storage_order", 0);
  if (order != 0 && order != 1)
    return fail("storage_order must be 0 or 1, got " + Twine(order));
  auto y = create<MaxPoolOp>(TypeRange{}, *x, *kernel, strides, pads,
                             dilations, ceil, inputUnsigned(0), withIndices,
                             order);
  if (failed(y))
    return failure();
  setOutput(0, *y);
  if (withIndices)
    setOutput(1, y->getDefiningOp()->getResult(1));
  return success();
}

template <typename Op>
LogicalResult Importer::importReduce(bool axesAsInputFromOpset13,
                                    StringRef pre, StringRef post) {
  auto x = input(0);
  if (failed(x))
    return failure();
  if (!isa<FloatType>(elementTypeOf(*x)))
    return fail(node->op_type() + " of " +
                onnxTypeName(onnxTypes.count(node->input(0))
                                 ? onnxTypes[node->input(0)]
                                 : 0) +
                " tensors is not supported yet");
  int64_t rank = cast<RankedTensorType>(x->getType()).getRank();
  std::optional<SmallVector<int64_t>> axes;
  if (node->op_type() == "GlobalAveragePool" || node->op_type() == "GlobalMaxPool") {
    axes = SmallVector<int64_t>();
    for (int64_t d = 2; d < rank; ++d)
      axes->push_back(d);
  } else {
    auto a = (axesAsInputFromOpset13 && opset >= 13)
                 ? intsFromAttrOrInput("axes", 1)
                 : FailureOr<std::optional<SmallVector<int64_t>>>(attrInts("axes"));
    if (failed(a))
      return failure();
    axes = *a;
  }
  SmallVector<int64_t> norm;
  if (!axes || axes->empty()) {
    if (attrInt("noop_with_empty_axes", 0)) {
      setOutput(0, *x);
      return success();
    }
    for (int64_t d = 0; d < rank; ++d)
      norm.push_back(d);
  } else {
    for (int64_t a : *axes) {
      auto n = normalizeAxis(a, rank);
      if (failed(n))
        return failure();
      norm.push_back(*n);
    }
    llvm::sort(norm);
    norm.erase(std::unique(norm.begin(), norm.end()), norm.end());
  }
  // ReduceL1/L2/SumSquare/LogSum/LogSumExp: an elementwise step before
  // and after a plain reduction.
  Value in = *x;
  Type elem = elementTypeOf(in);
  if (pre == "square") {
    auto sq = elementwise("mul", {in, in}, elem);
    if (failed(sq))
      return failure();
    in = *sq;
  } else if (!pre.empty()) {
    auto p = elementwise(pre, {in}, elem);
    if (failed(p))
      return failure();
    in = *p;
  }
  auto r = create<Op>(in, norm, attrInt("keepdims", 1) != 0);
  if (failed(r) || post.empty())
    return output(0, r);
  return output(0, elementwise(post, {*r}, elem));
}

template <typename Op>
LogicalResult Importer::importArg() {
  auto x = input(0);
  if (failed(x))
    return failure();
  if (!isa<FloatType>(elementTypeOf(*x)))
    return fail(node->op_type() + " of integer tensors is not supported yet");
  int64_t rank = cast<RankedTensorType>(x->getType()).getRank();
  auto axis = normalizeAxis(attrInt("axis", 0), rank);
  if (failed(axis))
    return failure();
  return output(0, create<Op>(*x, *axis, attrInt("keepdims", 1) != 0,
                              attrInt("select_last_index", 0) != 0));
}

LogicalResult Importer::importClip() {
  auto x = input(0);
  if (failed(x))
    return failure();
  float lo = -std::numeric_limits<float>::infinity();
  float hi = std::numeric_limits<float>::infinity();
  if (opset < 11) {
    lo = attrFloat("min", -std::numeric_limits<float>::max());
    hi = attrFloat("max", std::numeric_limits<float>::max());
  } else {
    bool constant = isa<FloatType>(elementTypeOf(*x));
    for (int i : {1, 2})
      if (hasInput(i) && (!hostInput(i) || hostInput(i)->size() != 1))
        constant = false;
    if (!constant) {
      // Integer tensors or run-time bounds: max(x, lo) then min(_, hi).
      Value y = *x;
      for (int i : {1, 2}) {
        if (!hasInput(i))
          continue;
        auto bound = input(i);
        if (failed(bound))
          return failure();
        auto r = elementwise(i == 1 ? "max" : "min", {y, *bound},
                             elementTypeOf(y), 0, 0, inputUnsigned(0),
                             inputUnsigned(0));
        if (failed(r))
          return failure();
        y = *r;
      }
      setOutput(0, y);
      return success();
    }
    for (int i : {1, 2})
      if (hasInput(i))
        (i == 1 ? lo : hi) = static_cast<float>(hostInput(i)->floatAt(0));
  }
  return output(0, create<ClipOp>(*x, builder.getF32FloatAttr(lo),
                              builder.getF32FloatAttr(hi)));
}

LogicalResult Importer::importBatchNorm() {
  if (attrInt("training_mode", 0))
    return fail("training_mode=1 is not supported (inference only)");
  if (failed(rejectExtraOutputs(1)))
    return failure();
  SmallVector<Value> ins;
  for (int i = 0; i < 5; ++i) {
    auto v = input(i);
    if (failed(v))
      return failure();
    ins.push_back(*v);
  }
  return output(0, create<BatchNormOp>(ins[0], ins[1], ins[2], ins[3], ins[4],
                                   builder.getF32FloatAttr(
                                       attrFloat("epsilon", 1e-5f))));
}

/// Reshape, Flatten, Squeeze and Unsqueeze: compute the new static shape,
/// then either reshape a host tensor or emit edge.reshape.
LogicalResult Importer::importReshapeLike() {
  const std::string &op = node->op_type();
  auto inShapeOr = shapeOf(0);
  if (failed(inShapeOr))
    return failure();
  SmallVector<int64_t> in = *inShapeOr, out;
  int64_t rank = in.size();
  if (op == "Reshape") {
    auto shape = intsFromAttrOrInput("shape", 1);
    if (failed(shape))
      return failure();
    if (!*shape)
      return fail("Reshape needs a shape");
    bool allowZero = attrInt("allowzero", 0) != 0;
    int64_t known = 1, inferIdx = -1, total = 1;
    for (int64_t d : in)
      total *= d;
    for (auto [i, d] : llvm::enumerate(**shape)) {
      if (d == 0 && !allowZero) {
        if (static_cast<int64_t>(i) >= rank)
          return fail("shape entry 0 at index " + Twine(i) +
                      " has no input dimension to copy");
        d = in[i];
      }
      if (d == -1) {
        if (inferIdx >= 0)
          return fail("shape has more than one -1");
        inferIdx = i;
        out.push_back(1);
        continue;
      }
      if (d < 0)
        return fail("invalid shape entry " + Twine(d));
      known *= d;
      out.push_back(d);
    }
    if (inferIdx >= 0) {
      if (known == 0 || total % known)
        return fail("cannot infer the -1 dimension of the shape");
      out[inferIdx] = total / known;
    }
  } else if (op == "Flatten") {
    auto axis = attrInt("axis", 1);
    if (axis < 0)
      axis += rank;
    if (axis < 0 || axis > rank)
      return fail("axis out of range");
    int64_t a = 1, b = 1;
    for (int64_t d = 0; d < rank; ++d)
      (d < axis ? a : b) *= in[d];
    out = {a, b};
  } else if (op == "Squeeze") {
    auto axes = intsFromAttrOrInput("axes", 1);
    if (failed(axes))
      return failure();
    SmallVector<bool> drop(rank, false);
    if (!*axes || (*axes)->empty()) {
      for (int64_t d = 0; d < rank; ++d)
        drop[d] = in[d] == 1;
    } else {
      for (int64_t a : **axes) {
        auto n = normalizeAxis(a, rank);
        if (failed(n))
          return failure();
        if (in[*n] != 1)
          return fail("cannot squeeze dimension " + Twine(*n) + " of size " +
                      Twine(in[*n]));
        drop[*n] = true;
      }
    }
    for (int64_t d = 0; d < rank; ++d)
      if (!drop[d])
        out.push_back(in[d]);
  } else { // Unsqueeze
    auto axes = intsFromAttrOrInput("axes", 1);
    if (failed(axes))
      return failure();
    if (!*axes)
      return fail("Unsqueeze needs axes");
    int64_t outRank = rank + (*axes)->size();
    SmallVector<bool> isNew(outRank, false);
    for (int64_t a : **axes) {
      auto n = normalizeAxis(a, outRank);
      if (failed(n))
        return failure();
      if (isNew[*n])
        return fail("repeated axis " + Twine(a));
      isNew[*n] = true;
    }
    for (int64_t d = 0, k = 0; d < outRank; ++d)
      out.push_back(isNew[d] ? 1 : in[k++]);
  }
  if (const HostTensor *h = hostInput(0)) {
    HostTensor r = *h;
    r.shape.assign(out.begin(), out.end());
    setHostOutput(0, r);
    return success();
  }
  auto x = input(0);
  if (failed(x))
    return failure();
  return output(0, reshape(*x, out));
}

LogicalResult Importer::importTranspose() {
  auto x = input(0);
  if (failed(x))
    return failure();
  int64_t rank = cast<RankedTensorType>(x->getType()).getRank();
  SmallVector<int64_t> perm;
  if (auto p = attrInts("perm"))
    perm = *p;
  else
    for (int64_t d = rank - 1; d >= 0; --d)
      perm.push_back(d);
  return output(0, create<TransposeOp>(*x, perm));
}

LogicalResult Importer::importConcat() {
  SmallVector<Value> ins;
  for (int i = 0; i < node->input_size(); ++i) {
    if (node->input(i).empty())
      continue;
    auto v = input(i);
    if (failed(v))
      return failure();
    ins.push_back(*v);
  }
  if (ins.empty())
    return fail("Concat needs at least one input");
  int64_t rank = cast<RankedTensorType>(ins[0].getType()).getRank();
  auto axis = normalizeAxis(attrInt("axis", 0), rank);
  if (failed(axis))
    return failure();
  return output(0, create<ConcatOp>(ins, *axis));
}

LogicalResult Importer::importSplit() {
  auto x = input(0);
  if (failed(x))
    return failure();
  auto t = cast<RankedTensorType>(x->getType());
  auto axisOr = normalizeAxis(attrInt("axis", 0), t.getRank());
  if (failed(axisOr))
    return failure();
  int64_t axis = *axisOr, dim = t.getDimSize(axis);
  auto split = intsFromAttrOrInput("split", 1);
  if (failed(split))
    return failure();
  int64_t outs = node->output_size();
  SmallVector<int64_t> sizes;
  if (*split && !(*split)->empty()) {
    sizes = **split;
  } else {
    if (dim % outs)
      return fail("cannot split dimension of size " + Twine(dim) + " into " +
                  Twine(outs) + " equal parts");
    sizes.assign(outs, dim / outs);
  }
  int64_t sum = 0;
  for (int64_t s : sizes)
    sum += s;
  if (static_cast<int64_t>(sizes.size()) != outs || sum != dim)
    return fail("split sizes do not add up to dimension " + Twine(axis));
  int64_t offset = 0;
  for (int64_t i = 0; i < outs; ++i) {
    SmallVector<int64_t> starts(t.getRank(), 0), ends(t.getShape()),
        steps(t.getRank(), 1);
    starts[axis] = offset;
    ends[axis] = offset + sizes[i];
    offset += sizes[i];
    if (failed(output(i, create<SliceOp>(*x, starts, ends, steps))))
      return failure();
  }
  return success();
}

LogicalResult Importer::importSlice() {
  auto inShapeOr = shapeOf(0);
  if (failed(inShapeOr))
    return failure();
  SmallVector<int64_t> shape = *inShapeOr;
  int64_t rank = shape.size();
  std::optional<SmallVector<int64_t>> starts, ends, axes, steps;
  if (opset < 10) {
    starts = attrInts("starts");
    ends = attrInts("ends");
    axes = attrInts("axes");
  } else {
    auto s = intsFromAttrOrInput("", 1), e = intsFromAttrOrInput("", 2),
         a = intsFromAttrOrInput("", 3), st = intsFromAttrOrInput("", 4);
    if (failed(s) || failed(e) || failed(a) || failed(st))
      return failure();
    starts = *s;
    ends = *e;
    axes = *a;
    steps = *st;
  }
  if (!starts || !ends || starts->size() != ends->size())
    return fail("Slice needs starts and ends of equal length");
  size_t k = starts->size();
  if (!axes) {
    axes = SmallVector<int64_t>();
    for (size_t i = 0; i < k; ++i)
      axes->push_back(i);
  }
  if (!steps)
    steps = SmallVector<int64_t>(k, 1);
  if (axes->size() != k || steps->size() != k)
    return fail("Slice starts, ends, axes and steps differ in length");
  SmallVector<int64_t> st(rank, 0), en(shape), sp(rank, 1);
  for (size_t i = 0; i < k; ++i) {
    auto axis = normalizeAxis((*axes)[i], rank);
    if (failed(axis))
      return failure();
    int64_t d = shape[*axis], s = (*starts)[i], e = (*ends)[i], step = (*steps)[i];
    if (step == 0)
      return fail("Slice step must be non-zero");
    if (s < 0)
      s += d;
    if (e < 0 && e > std::numeric_limits<int64_t>::min() / 2)
      e += d;
    if (step > 0) {
      s = std::clamp<int64_t>(s, 0, d);
      e = std::clamp<int64_t>(e, 0, d);
    } else {
      s = std::clamp<int64_t>(s, 0, d - 1);
      e = std::clamp<int64_t>(e, -1, d - 1);
    }
    st[*axis] = s;
    en[*axis] = e;
    sp[*axis] = step;
  }
  if (const HostTensor *h = hostInput(0); h && rank == 1 && !h->isFloat) {
    HostTensor r;
    r.onnxType = h->onnxType;
    for (int64_t i = st[0]; sp[0] > 0 ? i < en[0] : i > en[0]; i += sp[0])
      r.ints.push_back(h->ints[i]);
    r.shape = {static_cast<int64_t>(r.ints.size())};
    setHostOutput(0, r);
    return success(); // materialized if a run-time op reads it
  }
  auto x = input(0);
  if (failed(x))
    return failure();
  return output(0, create<SliceOp>(*x, st, en, sp));
}

template <typename Op>
LogicalResult Importer::importSoftmax() {
  auto x = input(0);
  if (failed(x))
    return failure();
  auto t = cast<RankedTensorType>(x->getType());
  int64_t rank = t.getRank();
  auto axisOr = normalizeAxis(attrInt("axis", opset >= 13 ? -1 : 1), rank);
  if (failed(axisOr))
    return failure();
  int64_t axis = *axisOr;
  if (opset >= 13 || axis == rank - 1)
    return output(0, create<Op>(*x, axis));
  // Opsets < 13: softmax over the flattened trailing dims [axis, rank).
  int64_t a = 1, b = 1;
  for (int64_t d = 0; d < rank; ++d)
    (d < axis ? a : b) *= t.getDimSize(d);
  auto flat = reshape(*x, {a, b});
  if (failed(flat))
    return failure();
  auto y = create<Op>(*flat, int64_t(1));
  if (failed(y))
    return failure();
  return output(0, reshape(*y, t.getShape()));
}

LogicalResult Importer::importConstant() {
  HostTensor h;
  if (auto *a = attr("value")) {
    auto t = hostFromProto(a->t());
    if (failed(t))
      return failure();
    h = *t;
  } else if (auto *a = attr("value_float")) {
    h.isFloat = true;
    h.onnxType = onnx::TensorProto::FLOAT;
    float f = a->f();
    h.floats = {f};
    h.raw.resize(4);
    std::memcpy(h.raw.data(), &f, 4);
  } else if (auto *a = attr("value_floats")) {
    h.isFloat = true;
    h.onnxType = onnx::TensorProto::FLOAT;
    h.shape = {a->floats_size()};
    for (float f : a->floats()) {
      h.floats.push_back(f);
      h.raw.append(reinterpret_cast<const char *>(&f), 4);
    }
  } else if (auto *a = attr("value_int")) {
    h.ints = {a->i()};
  } else if (auto *a = attr("value_ints")) {
    h.shape = {a->ints_size()};
    h.ints.assign(a->ints().begin(), a->ints().end());
  } else {
    return fail("Constant without a supported value attribute");
  }
  setHostOutput(0, h);
  return success();
}

/// Gather, Expand, Tile, Pad, Trilu, DepthToSpace, SpaceToDepth. Sets
/// `handled` when the node is one of them.
LogicalResult Importer::importDataOps(bool &handled) {
  const std::string &op = node->op_type();
  handled = true;
  if (op == "Gather") {
    auto x = input(0), idx = input(1);
    if (failed(x) || failed(idx))
      return failure();
    int64_t rank = cast<RankedTensorType>(x->getType()).getRank();
    auto axis = normalizeAxis(attrInt("axis", 0), rank);
    if (failed(axis))
      return failure();
    return output(0, create<GatherOp>(*x, *idx, *axis));
  }
  if (op == "GatherElements") {
    auto x = input(0), idx = input(1);
    if (failed(x) || failed(idx))
      return failure();
    int64_t rank = cast<RankedTensorType>(x->getType()).getRank();
    auto axis = normalizeAxis(attrInt("axis", 0), rank);
    if (failed(axis))
      return failure();
    return output(0, create<GatherElementsOp>(*x, *idx, *axis));
  }
  if (op == "ConstantOfShape") {
    // Not folded on the host (too big): a splat constant of the shape.
    auto shape = intsFromAttrOrInput("", 0);
    if (failed(shape))
      return failure();
    HostTensor v;
    v.isFloat = true;
    v.onnxType = onnx::TensorProto::FLOAT;
    v.floats = {0.0};
    if (auto *a = attr("value")) {
      auto t = hostFromProto(a->t());
      if (failed(t))
        return failure();
      v = *t;
    }
    auto elem = elementType(v.onnxType, nodeLoc);
    if (failed(elem))
      return failure();
    auto type = RankedTensorType::get(**shape, *elem);
    Attribute scalar =
        isa<FloatType>(*elem)
            ? Attribute(builder.getFloatAttr(*elem, v.floatAt(0)))
            : Attribute(builder.getIntegerAttr(*elem, v.intAt(0)));
    setOutput(0, ConstantOp::create(builder, nodeLoc,
                                    DenseElementsAttr::get(type, scalar))
                     .getResult());
    return success();
  }
  if (op == "Range") {
    // Folded on the host when all three inputs are known; otherwise the
    // output shape depends on run-time values.
    for (int i = 0; i < 3; ++i)
      if (!constantInput(i))
        return failure();
    return fail("Range output is too large to fold");
  }
  if (op == "Resize" || op == "Upsample") {
    auto x = input(0);
    if (failed(x))
      return failure();
    auto t = cast<RankedTensorType>(x->getType());
    int64_t rank = t.getRank();
    SmallVector<double> scales, roi;
    SmallVector<int64_t> sizes;
    auto floats = [&](int i, SmallVector<double> &out) -> LogicalResult {
      if (!hasInput(i))
        return success();
      const HostTensor *h = constantInput(i);
      if (!h)
        return failure();
      for (int64_t k = 0; k < h->size(); ++k)
        out.push_back(h->floatAt(k));
      return success();
    };
    if (op == "Upsample" && opset < 9) {
      if (auto *a = attr("scales"))
        for (float f : a->floats())
          scales.push_back(f);
    } else if (op == "Upsample" || opset < 11) {
      if (failed(floats(1, scales)))
        return failure();
    } else {
      if (failed(floats(1, roi)) || failed(floats(2, scales)))
        return failure();
      SmallVector<double> sz;
      if (failed(floats(3, sz)))
        return failure();
      for (double v : sz)
        sizes.push_back(static_cast<int64_t>(v));
    }
    if (!sizes.empty()) {
      if (static_cast<int64_t>(sizes.size()) != rank)
        return fail("Resize expects one size per dimension");
      scales.clear();
      for (int64_t d = 0; d < rank; ++d)
        scales.push_back(static_cast<double>(sizes[d]) / t.getDimSize(d));
    } else {
      if (static_cast<int64_t>(scales.size()) != rank)
        return fail("Resize expects one scale per dimension (or sizes)");
      for (int64_t d = 0; d < rank; ++d)
        sizes.push_back(static_cast<int64_t>(scales[d] * t.getDimSize(d)));
    }
    std::string mode = attrString("mode", "nearest");
    if (mode == "bilinear" || mode == "trilinear")
      mode = "linear"; // Upsample-7 spelling
    std::string cm = attrString("coordinate_transformation_mode",
                                op == "Upsample" || opset < 11 ? "asymmetric"
                                                               : "half_pixel");
    std::string nm = attrString("nearest_mode", op == "Upsample" || opset < 11
                                                    ? "floor"
                                                    : "round_prefer_floor");
    if (op == "Resize" && opset < 11)
      nm = "floor";
    if (cm != "tf_crop_and_resize")
      roi.clear();
    return output(0, create<ResizeOp>(
                         *x, sizes, scales, mode, cm, nm,
                         APFloat(static_cast<double>(
                             attrFloat("cubic_coeff_a", -0.75f))),
                         attrInt("exclude_outside", 0) != 0,
                         APFloat(static_cast<double>(
                             attrFloat("extrapolation_value", 0.0f))),
                         roi));
  }
  if (op == "GatherND") {
    auto x = input(0), idx = input(1);
    if (failed(x) || failed(idx))
      return failure();
    return output(0, create<GatherNDOp>(*x, *idx, attrInt("batch_dims", 0)));
  }
  if (op == "ScatterElements" || op == "Scatter" || op == "ScatterND") {
    auto x = input(0), idx = input(1), upd = input(2);
    if (failed(x) || failed(idx) || failed(upd))
      return failure();
    int64_t rank = cast<RankedTensorType>(x->getType()).getRank();
    int64_t axis = -1;
    if (op != "ScatterND") {
      auto a = normalizeAxis(attrInt("axis", 0), rank);
      if (failed(a))
        return failure();
      axis = *a;
    }
    return output(0, create<ScatterOp>(*x, *idx, *upd, axis,
                                       attrString("reduction", "none")));
  }
  if (op == "TopK") {
    auto x = input(0);
    if (failed(x))
      return failure();
    int64_t k;
    if (opset < 10) {
      k = attrInt("k", 1);
    } else {
      const HostTensor *kt = constantInput(1);
      if (!kt)
        return failure();
      k = kt->intAt(0);
    }
    int64_t rank = cast<RankedTensorType>(x->getType()).getRank();
    auto axis = normalizeAxis(attrInt("axis", -1), rank);
    if (failed(axis))
      return failure();
    if (!isa<FloatType>(elementTypeOf(*x)))
      return fail("TopK of integer tensors is not supported yet");
    OperationState state(nodeLoc, TopKOp::getOperationName());
    auto t = cast<RankedTensorType>(x->getType());
    SmallVector<int64_t> shape(t.getShape());
    if (k < 0 || k > shape[*axis])
      return fail("k = " + Twine(k) + " is out of range");
    shape[*axis] = k;
    auto topk = TopKOp::create(builder, nodeLoc,
                               RankedTensorType::get(shape, t.getElementType()),
                               RankedTensorType::get(shape, builder.getI64Type()),
                               *x, k, *axis, attrInt("largest", 1) != 0);
    setOutput(0, topk.getValues());
    setOutput(1, topk.getIndices());
    return success();
  }
  if (op == "Einsum") {
    SmallVector<Value> ins;
    for (int i = 0; i < node->input_size(); ++i) {
      auto v = input(i);
      if (failed(v))
        return failure();
      ins.push_back(*v);
    }
    // Normalise: no spaces, "..." expanded into fresh capital letters,
    // and an explicit output (implicit: letters seen once, sorted).
    std::string eq;
    for (char c : attrString("equation", ""))
      if (c != ' ')
        eq += c;
    auto [lhs, rhs] = StringRef(eq).split("->");
    bool explicitOut = StringRef(eq).contains("->");
    SmallVector<StringRef> terms;
    lhs.split(terms, ',');
    if (terms.size() != ins.size())
      return fail("equation '" + eq + "' does not match the inputs");
    int64_t ell = 0;
    for (auto [t, v] : llvm::zip(terms, ins))
      if (t.contains("..."))
        ell = std::max<int64_t>(
            ell, cast<RankedTensorType>(v.getType()).getRank() -
                     static_cast<int64_t>(t.size() - 3));
    std::string dots;
    for (int64_t i = 0; i < ell; ++i)
      dots += static_cast<char>('A' + i);
    auto expand = [&](StringRef t, int64_t rank) {
      if (!t.contains("..."))
        return t.str();
      auto [a, b] = t.split("...");
      int64_t n = rank - static_cast<int64_t>(a.size() + b.size());
      return a.str() + dots.substr(ell - n) + b.str();
    };
    std::string newLhs, counts;
    std::map<char, int> seen;
    for (auto [i, t] : llvm::enumerate(terms)) {
      std::string e = expand(t, cast<RankedTensorType>(ins[i].getType()).getRank());
      for (char c : e)
        seen[c]++;
      newLhs += (i ? "," : "") + e;
    }
    std::string out;
    if (explicitOut) {
      out = StringRef(rhs).contains("...") ? expand(rhs, ell + rhs.size() - 3)
                                           : rhs.str();
    } else {
      out = dots;
      for (auto [c, n] : seen)
        if (n == 1 && !(c >= 'A' && c <= 'Z'))
          out += c;
    }
    return output(0, create<EinsumOp>(ins, newLhs + "->" + out));
  }
  if (op == "LRN") {
    // x / (bias + alpha / size * sum of squares over `size` channels)^beta
    auto x = input(0);
    if (failed(x))
      return failure();
    auto t = cast<RankedTensorType>(x->getType());
    Type elem = t.getElementType();
    int64_t size = attrInt("size", 1), rank = t.getRank();
    auto sq = elementwise("mul", {*x, *x}, elem);
    if (failed(sq))
      return failure();
    SmallVector<int64_t> pads(2 * rank, 0);
    pads[1] = (size - 1) / 2;
    pads[rank + 1] = size - 1 - (size - 1) / 2;
    auto padded = create<PadOp>(*sq, pads, StringRef("constant"), APFloat(0.0));
    if (failed(padded))
      return failure();
    FailureOr<Value> sum = failure();
    for (int64_t k = 0; k < size; ++k) {
      SmallVector<int64_t> st(rank, 0), en(t.getShape()), sp(rank, 1);
      st[1] = k;
      en[1] = k + t.getDimSize(1);
      auto sl = create<SliceOp>(*padded, st, en, sp);
      if (failed(sl))
        return failure();
      sum = succeeded(sum) ? elementwise("add", {*sum, *sl}, elem) : sl;
      if (failed(sum))
        return failure();
    }
    Value scale = scalarConstant(node->output(0) + "_scale", elem,
                                 attrFloat("alpha", 1e-4f) / size);
    Value bias = scalarConstant(node->output(0) + "_bias", elem,
                                attrFloat("bias", 1.0f));
    Value beta = scalarConstant(node->output(0) + "_beta", elem,
                                attrFloat("beta", 0.75f));
    auto d = elementwise("mul", {*sum, scale}, elem);
    if (succeeded(d))
      d = elementwise("add", {*d, bias}, elem);
    if (succeeded(d))
      d = elementwise("pow", {*d, beta}, elem);
    if (failed(d))
      return failure();
    return output(0, elementwise("div", {*x, *d}, elem));
  }
  if (op == "MeanVarianceNormalization") {
    auto x = input(0);
    if (failed(x))
      return failure();
    Type elem = elementTypeOf(*x);
    SmallVector<int64_t> axes = attrInts("axes").value_or(SmallVector<int64_t>{0, 2, 3});
    int64_t rank = cast<RankedTensorType>(x->getType()).getRank();
    for (int64_t &a : axes) {
      auto n = normalizeAxis(a, rank);
      if (failed(n))
        return failure();
      a = *n;
    }
    llvm::sort(axes);
    auto mean = create<ReduceMeanOp>(*x, axes, true);
    auto sq = elementwise("mul", {*x, *x}, elem);
    if (failed(mean) || failed(sq))
      return failure();
    auto meanSq = create<ReduceMeanOp>(*sq, axes, true);
    auto mean2 = elementwise("mul", {*mean, *mean}, elem);
    if (failed(meanSq) || failed(mean2))
      return failure();
    auto var = elementwise("sub", {*meanSq, *mean2}, elem);
    auto centered = elementwise("sub", {*x, *mean}, elem);
    if (failed(var) || failed(centered))
      return failure();
    auto sd = elementwise("sqrt", {*var}, elem);
    if (succeeded(sd))
      sd = elementwise("add", {*sd, scalarConstant(node->output(0) + "_eps", elem, 1e-9)}, elem);
    if (failed(sd))
      return failure();
    return output(0, elementwise("div", {*centered, *sd}, elem));
  }
  if (op == "EyeLike") {
    auto shape = shapeOf(0);
    if (failed(shape))
      return failure();
    if (shape->size() != 2)
      return fail("EyeLike expects a rank-2 input");
    int32_t t = static_cast<int32_t>(attrInt(
        "dtype", onnxTypes.count(node->input(0)) ? onnxTypes[node->input(0)]
                                                 : onnx::TensorProto::FLOAT));
    auto elem = elementType(t, nodeLoc);
    if (failed(elem))
      return failure();
    int64_t k = attrInt("k", 0), rows = (*shape)[0], cols = (*shape)[1];
    auto type = RankedTensorType::get(*shape, *elem);
    SmallVector<Attribute> vals;
    for (int64_t i = 0; i < rows; ++i)
      for (int64_t j = 0; j < cols; ++j) {
        double v = j - i == k ? 1.0 : 0.0;
        vals.push_back(isa<FloatType>(*elem)
                           ? Attribute(builder.getFloatAttr(*elem, v))
                           : Attribute(builder.getIntegerAttr(*elem, (int64_t)v)));
      }
    setOutput(0, ConstantOp::create(builder, nodeLoc,
                                    DenseElementsAttr::get(type, vals))
                     .getResult());
    return success();
  }
  if (op == "OneHot") {
    // (unsqueeze(idx) == iota(depth)) ? on : off, broadcast along `axis`.
    auto idx = input(0);
    if (failed(idx))
      return failure();
    const HostTensor *depthT = constantInput(1);
    if (!depthT)
      return failure();
    int64_t depth = static_cast<int64_t>(depthT->floatAt(0));
    auto it = cast<RankedTensorType>(idx->getType());
    int64_t outRank = it.getRank() + 1;
    auto axis = normalizeAxis(attrInt("axis", -1), outRank);
    if (failed(axis))
      return failure();
    Type i64 = builder.getI64Type();
    Value index = *idx;
    if (it.getElementType() != i64) {
      auto c = elementwise("cast", {index}, i64, 0, 0, inputUnsigned(0));
      if (failed(c))
        return failure();
      index = *c;
    }
    Value depthV = scalarConstant(node->output(0) + "_depth", i64, depth);
    Value zero = scalarConstant(node->output(0) + "_zero", i64, 0);
    auto neg = elementwise("less", {index, zero}, builder.getI1Type());
    auto wrapped = succeeded(neg) ? elementwise("add", {index, depthV}, i64)
                                  : FailureOr<Value>(failure());
    if (failed(neg) || failed(wrapped))
      return failure();
    auto fixed = elementwise("where", {*neg, *wrapped, index}, i64);
    if (failed(fixed))
      return failure();
    SmallVector<int64_t> unsq(it.getShape());
    unsq.insert(unsq.begin() + *axis, 1);
    auto u = reshape(*fixed, unsq);
    if (failed(u))
      return failure();
    HostTensor iota;
    iota.shape.assign(outRank - *axis, 1);
    iota.shape[0] = depth;
    for (int64_t d = 0; d < depth; ++d)
      iota.ints.push_back(d);
    Value iotaV = materialize(node->output(0) + "_iota", iota);
    auto hit = elementwise("equal", {*u, iotaV}, builder.getI1Type());
    if (failed(hit))
      return failure();
    auto values = input(2);
    if (failed(values))
      return failure();
    Type ve = elementTypeOf(*values);
    SmallVector<int64_t> one = {0}, two = {1}, step = {1};
    auto off = create<SliceOp>(*values, ArrayRef<int64_t>{0},
                               ArrayRef<int64_t>{1}, step);
    auto on = create<SliceOp>(*values, ArrayRef<int64_t>{1},
                              ArrayRef<int64_t>{2}, step);
    if (failed(off) || failed(on))
      return failure();
    return output(0, elementwise("where", {*hit, *on, *off}, ve));
  }
  if (op == "CumSum") {
    auto x = input(0);
    if (failed(x))
      return failure();
    const HostTensor *a = constantInput(1);
    if (!a)
      return failure();
    int64_t rank = cast<RankedTensorType>(x->getType()).getRank();
    auto axis = normalizeAxis(a->intAt(0), rank);
    if (failed(axis))
      return failure();
    return output(0, create<CumSumOp>(*x, *axis, attrInt("exclusive", 0) != 0,
                                      attrInt("reverse", 0) != 0));
  }
  if (op == "Expand" || op == "Tile") {
    auto x = input(0);
    if (failed(x))
      return failure();
    auto v = intsFromAttrOrInput("", 1);
    if (failed(v))
      return failure();
    if (!*v)
      return fail(op + " needs its second input");
    if (op == "Expand")
      return output(0, create<ExpandOp>(*x, **v));
    return output(0, create<TileOp>(*x, **v));
  }
  if (op == "Pad") {
    auto x = input(0);
    if (failed(x))
      return failure();
    int64_t rank = cast<RankedTensorType>(x->getType()).getRank();
    std::optional<SmallVector<int64_t>> pads;
    double value = 0.0;
    if (opset < 11) {
      pads = attrInts("pads");
      value = attrFloat("value", 0.0f);
    } else {
      auto p = intsFromAttrOrInput("", 1);
      if (failed(p))
        return failure();
      pads = *p;
      if (hasInput(2)) {
        const HostTensor *c = constantInput(2);
        if (!c)
          return failure();
        value = c->floatAt(0);
      }
      if (hasInput(3)) {
        // axes (opset 18) name which dims the pads are for.
        return fail("Pad with axes is not supported yet");
      }
    }
    if (!pads || static_cast<int64_t>(pads->size()) != 2 * rank)
      return fail("Pad expects " + Twine(2 * rank) + " pads");
    if (llvm::any_of(*pads, [](int64_t p) { return p < 0; }))
      return fail("negative pads are not supported yet");
    std::string mode = attrString("mode", "constant");
    return output(0, create<PadOp>(*x, *pads, mode, APFloat(value)));
  }
  if (op == "Trilu") {
    auto x = input(0);
    if (failed(x))
      return failure();
    int64_t k = 0;
    if (hasInput(1)) {
      const HostTensor *h = constantInput(1);
      if (!h)
        return failure();
      k = h->intAt(0);
    }
    return output(0, create<TriluOp>(*x, k, attrInt("upper", 1) != 0));
  }
  if (op == "DepthToSpace" || op == "SpaceToDepth") {
    auto x = input(0);
    if (failed(x))
      return failure();
    auto t = cast<RankedTensorType>(x->getType());
    if (t.getRank() != 4)
      return fail(op + " expects a rank-4 input");
    int64_t b = attrInt("blocksize", 0);
    int64_t n = t.getDimSize(0), c = t.getDimSize(1), h = t.getDimSize(2),
            w = t.getDimSize(3);
    if (b <= 0)
      return fail("blocksize must be positive");
    FailureOr<Value> r;
    if (op == "DepthToSpace") {
      if (c % (b * b))
        return fail("channels are not a multiple of blocksize^2");
      bool crd = attrString("mode", "DCR") == "CRD";
      SmallVector<int64_t> s6 =
          crd ? SmallVector<int64_t>{n, c / (b * b), b, b, h, w}
              : SmallVector<int64_t>{n, b, b, c / (b * b), h, w};
      SmallVector<int64_t> perm = crd ? SmallVector<int64_t>{0, 1, 4, 2, 5, 3}
                                      : SmallVector<int64_t>{0, 3, 4, 1, 5, 2};
      r = reshape(*x, s6);
      if (succeeded(r))
        r = create<TransposeOp>(*r, perm);
      if (succeeded(r))
        r = reshape(*r, {n, c / (b * b), h * b, w * b});
    } else {
      if (h % b || w % b)
        return fail("spatial dims are not multiples of blocksize");
      r = reshape(*x, {n, c, h / b, b, w / b, b});
      if (succeeded(r))
        r = create<TransposeOp>(*r, ArrayRef<int64_t>{0, 3, 5, 1, 2, 4});
      if (succeeded(r))
        r = reshape(*r, {n, c * b * b, h / b, w / b});
    }
    return output(0, r);
  }
  handled = false;
  return success();
}

/// LayerNormalization and InstanceNormalization as reductions and
/// elementwise ops.
LogicalResult Importer::importNormalization(bool &handled) {
  const std::string &op = node->op_type();
  if (op != "LayerNormalization" && op != "InstanceNormalization")
    return success();
  handled = true;
  auto x = input(0), scale = input(1);
  if (failed(x) || failed(scale))
    return failure();
  auto t = cast<RankedTensorType>(x->getType());
  Type elem = t.getElementType();
  if (!isa<FloatType>(elem))
    return fail(op + " expects float tensors");
  int64_t rank = t.getRank();
  SmallVector<int64_t> axes;
  int64_t first;
  if (op == "LayerNormalization") {
    auto a = normalizeAxis(attrInt("axis", -1), rank);
    if (failed(a))
      return failure();
    first = *a;
  } else {
    first = 2;
  }
  for (int64_t d = first; d < rank; ++d)
    axes.push_back(d);
  float eps = attrFloat("epsilon", 1e-5f);
  auto ew = [&](StringRef k, ValueRange v) { return elementwise(k, v, elem); };
  auto mean = create<ReduceMeanOp>(*x, axes, true);
  if (failed(mean))
    return failure();
  auto centered = ew("sub", {*x, *mean});
  if (failed(centered))
    return failure();
  auto sq = ew("mul", {*centered, *centered});
  if (failed(sq))
    return failure();
  auto var = create<ReduceMeanOp>(*sq, axes, true);
  if (failed(var))
    return failure();
  Value epsV = scalarConstant(node->output(0) + "_epsilon", elem, eps);
  auto std = ew("add", {*var, epsV});
  if (failed(std))
    return failure();
  auto root = ew("sqrt", {*std});
  if (failed(root))
    return failure();
  auto inv = ew("reciprocal", {*root});
  if (failed(inv))
    return failure();
  auto normed = ew("mul", {*centered, *inv});
  if (failed(normed))
    return failure();
  // Scale and bias: per channel (InstanceNorm) or over the normalized dims.
  Value s = *scale;
  FailureOr<Value> bias = failure();
  if (hasInput(2))
    bias = input(2);
  if (op == "InstanceNormalization") {
    SmallVector<int64_t> chan(rank - 1, 1);
    chan[0] = t.getDimSize(1);
    auto s2 = reshape(s, chan);
    if (failed(s2))
      return failure();
    s = *s2;
    if (succeeded(bias))
      bias = reshape(*bias, chan);
  }
  auto y = ew("mul", {*normed, s});
  if (failed(y))
    return failure();
  if (succeeded(bias)) {
    y = ew("add", {*y, *bias});
    if (failed(y))
      return failure();
  }
  setOutput(0, *y);
  if (op == "LayerNormalization") {
    setOutput(1, *mean);
    setOutput(2, *inv);
  }
  return success();
}

/// NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss (= LogSoftmax on
/// axis 1, then NLL), composed of gather_elements, gather, elementwise ops
/// and reductions.
LogicalResult Importer::importLoss() {
  bool sce = node->op_type() == "SoftmaxCrossEntropyLoss";
  auto x = input(0), target = input(1);
  if (failed(x) || failed(target))
    return failure();
  auto xt = cast<RankedTensorType>(x->getType());
  Type elem = xt.getElementType();
  if (!isa<FloatType>(elem) || xt.getRank() < 2)
    return fail(node->op_type() + " expects float scores of rank >= 2");
  Value logProb = *x;
  if (sce) {
    auto lp = create<LogSoftmaxOp>(*x, int64_t(1));
    if (failed(lp))
      return failure();
    logProb = *lp;
    setOutput(1, logProb);
  }
  auto tt = cast<RankedTensorType>(target->getType());
  Type idx = tt.getElementType();
  std::string base = node->output(0);
  auto ew = [&](StringRef k, ValueRange v, Type t) { return elementwise(k, v, t); };
  Value safe = *target;
  FailureOr<Value> mask = failure();
  if (auto *ii = attr("ignore_index")) {
    Value ignore = scalarConstant(base + "_ignore", idx, ii->i());
    auto eq = ew("equal", {*target, ignore}, builder.getI1Type());
    if (failed(eq))
      return failure();
    mask = ew("not", {*eq}, builder.getI1Type());
    if (failed(mask))
      return failure();
    auto s = elementwise("where", {*mask, *target, scalarConstant(base + "_zero", idx, 0)},
                         idx);
    if (failed(s))
      return failure();
    safe = *s;
  }
  SmallVector<int64_t> unsq(tt.getShape());
  unsq.insert(unsq.begin() + 1, 1);
  auto safe1 = reshape(safe, unsq);
  if (failed(safe1))
    return failure();
  auto picked = create<GatherElementsOp>(logProb, *safe1, int64_t(1));
  if (failed(picked))
    return failure();
  auto flat = reshape(*picked, tt.getShape());
  if (failed(flat))
    return failure();
  auto loss = ew("neg", {*flat}, elem);
  if (failed(loss))
    return failure();
  FailureOr<Value> weight = failure();
  if (hasInput(2)) {
    auto w = input(2);
    if (failed(w))
      return failure();
    weight = create<GatherOp>(*w, safe, int64_t(0));
    if (failed(weight))
      return failure();
  }
  if (succeeded(mask)) {
    auto mf = ew("cast", {*mask}, elem);
    if (failed(mf))
      return failure();
    weight = succeeded(weight) ? ew("mul", {*weight, *mf}, elem) : mf;
    if (failed(weight))
      return failure();
  }
  if (succeeded(weight)) {
    loss = ew("mul", {*loss, *weight}, elem);
    if (failed(loss))
      return failure();
  }
  std::string reduction = attrString("reduction", "mean");
  if (reduction == "none")
    return output(0, loss);
  SmallVector<int64_t> all;
  for (int64_t d = 0; d < tt.getRank(); ++d)
    all.push_back(d);
  auto sum = create<ReduceSumOp>(*loss, all, false);
  if (failed(sum) || reduction == "sum")
    return output(0, sum);
  if (reduction != "mean")
    return fail("unknown reduction '" + reduction + "'");
  if (failed(weight))
    return output(0, create<ReduceMeanOp>(*loss, all, false));
  auto total = create<ReduceSumOp>(*weight, all, false);
  if (failed(total))
    return failure();
  return output(0, ew("div", {*sum, *total}, elem));
}

/// A per-axis vector [C] reshaped to broadcast along `axis` of a rank-r
/// tensor; scalars and [1] stay as they are.
FailureOr<Value> Importer::broadcastAlong(Value v, int64_t axis, int64_t rank) {
  auto t = cast<RankedTensorType>(v.getType());
  if (t.getRank() == 0 || t.getNumElements() == 1)
    return v;
  SmallVector<int64_t> shape(rank, 1);
  shape[axis] = t.getNumElements();
  return reshape(v, shape);
}

FailureOr<Value> Importer::dequantize(Value x, Value scale, Value zp,
                                      bool zpUnsigned, int64_t axis) {
  Type f32 = elementTypeOf(scale);
  int64_t rank = cast<RankedTensorType>(x.getType()).getRank();
  auto xf = elementwise("cast", {x}, f32, 0, 0, zpUnsigned);
  auto s = broadcastAlong(scale, axis, rank);
  if (failed(xf) || failed(s))
    return failure();
  if (zp) {
    auto z = broadcastAlong(zp, axis, rank);
    if (failed(z))
      return failure();
    auto zf = elementwise("cast", {*z}, f32, 0, 0, zpUnsigned);
    if (failed(zf))
      return failure();
    xf = elementwise("sub", {*xf, *zf}, f32);
    if (failed(xf))
      return failure();
  }
  return elementwise("mul", {*xf, *s}, f32);
}

FailureOr<Value> Importer::quantize(Value x, Value scale, Value zp,
                                    bool zpUnsigned, int64_t axis) {
  Type f32 = elementTypeOf(x);
  int64_t rank = cast<RankedTensorType>(x.getType()).getRank();
  Type q = zp ? elementTypeOf(zp) : Type(builder.getI8Type());
  bool uns = zp ? zpUnsigned : true; // no zero point: uint8
  auto s = broadcastAlong(scale, axis, rank);
  if (failed(s))
    return failure();
  auto y = elementwise("div", {x, *s}, f32);
  if (succeeded(y))
    y = elementwise("round", {*y}, f32);
  if (failed(y))
    return failure();
  if (zp) {
    auto z = broadcastAlong(zp, axis, rank);
    if (failed(z))
      return failure();
    auto zf = elementwise("cast", {*z}, f32, 0, 0, uns);
    if (succeeded(zf))
      y = elementwise("add", {*y, *zf}, f32);
    if (failed(y))
      return failure();
  }
  double lo = uns ? 0 : -128, hi = uns ? 255 : 127;
  std::string base = node->output(0);
  y = elementwise("max", {*y, scalarConstant(base + "_qmin", f32, lo)}, f32);
  if (succeeded(y))
    y = elementwise("min", {*y, scalarConstant(base + "_qmax", f32, hi)}, f32);
  if (failed(y))
    return failure();
  return elementwise("cast", {*y}, q, 0, 0, false, uns);
}

/// QuantizeLinear, DequantizeLinear, DynamicQuantizeLinear, QLinearMatMul,
/// QLinearConv, MatMulInteger and ConvInteger as float computations between
/// explicit (de)quantization steps (exact for 8-bit operands: f32 holds
/// every partial sum of 8-bit products up to 2^24).
LogicalResult Importer::importQuantization(bool &handled) {
  const std::string &op = node->op_type();
  static const std::set<std::string> ops = {
      "QuantizeLinear", "DequantizeLinear", "DynamicQuantizeLinear",
      "QLinearMatMul",  "QLinearConv",      "MatMulInteger",
      "ConvInteger"};
  if (!ops.count(op))
    return success();
  handled = true;
  Type f32 = builder.getF32Type();
  if (op == "QuantizeLinear" || op == "DequantizeLinear") {
    auto x = input(0), scale = input(1), zp = optionalInput(2);
    if (failed(x) || failed(scale) || failed(zp))
      return failure();
    int64_t rank = cast<RankedTensorType>(x->getType()).getRank();
    // The axis matters only for per-axis (vector) scales.
    FailureOr<int64_t> axis = int64_t(0);
    if (cast<RankedTensorType>(scale->getType()).getNumElements() > 1)
      axis = normalizeAxis(attrInt("axis", 1), rank);
    if (failed(axis))
      return failure();
    if (op == "DequantizeLinear")
      return output(0, dequantize(*x, *scale, *zp, inputUnsigned(0), *axis));
    return output(0, quantize(*x, *scale, *zp, inputUnsigned(2), *axis));
  }
  if (op == "DynamicQuantizeLinear") {
    auto x = input(0);
    if (failed(x))
      return failure();
    int64_t rank = cast<RankedTensorType>(x->getType()).getRank();
    SmallVector<int64_t> all;
    for (int64_t d = 0; d < rank; ++d)
      all.push_back(d);
    std::string base = node->output(0);
    Value zero = scalarConstant(base + "_zero", f32, 0.0);
    auto mx = create<ReduceMaxOp>(*x, all, false);
    auto mn = create<ReduceMinOp>(*x, all, false);
    if (failed(mx) || failed(mn))
      return failure();
    auto hi = elementwise("max", {*mx, zero}, f32);
    auto lo = elementwise("min", {*mn, zero}, f32);
    if (failed(hi) || failed(lo))
      return failure();
    auto scale = elementwise("sub", {*hi, *lo}, f32);
    if (succeeded(scale))
      scale = elementwise("div", {*scale, scalarConstant(base + "_255", f32, 255.0)}, f32);
    if (failed(scale))
      return failure();
    // zero point = saturate(round(0 - min / scale)), uint8
    auto zpf = elementwise("div", {*lo, *scale}, f32);
    if (succeeded(zpf))
      zpf = elementwise("sub", {zero, *zpf}, f32);
    if (succeeded(zpf))
      zpf = elementwise("round", {*zpf}, f32);
    if (succeeded(zpf))
      zpf = elementwise("max", {*zpf, zero}, f32);
    if (succeeded(zpf))
      zpf = elementwise("min", {*zpf, scalarConstant(base + "_zmax", f32, 255.0)}, f32);
    if (failed(zpf))
      return failure();
    auto zp = elementwise("cast", {*zpf}, builder.getI8Type(), 0, 0, false, true);
    if (failed(zp))
      return failure();
    auto y = quantize(*x, *scale, *zp, true, 0);
    if (failed(y))
      return failure();
    setOutput(0, *y);
    setOutput(1, *scale);
    setOutput(2, *zp);
    return success();
  }
  if (op == "QLinearMatMul" || op == "MatMulInteger") {
    bool q = op == "QLinearMatMul";
    int bi = q ? 3 : 1;
    auto a = input(0), b = input(bi);
    if (failed(a) || failed(b))
      return failure();
    Value one = scalarConstant(node->output(0) + "_one", f32, 1.0);
    auto aZp = optionalInput(2), bZp = optionalInput(q ? 5 : 3);
    FailureOr<Value> aS = q ? input(1) : FailureOr<Value>(one);
    FailureOr<Value> bS = q ? input(4) : FailureOr<Value>(one);
    if (failed(aZp) || failed(bZp) || failed(aS) || failed(bS))
      return failure();
    int64_t ra = cast<RankedTensorType>(a->getType()).getRank();
    int64_t rb = cast<RankedTensorType>(b->getType()).getRank();
    auto af = dequantize(*a, *aS, *aZp, inputUnsigned(0), std::max<int64_t>(ra - 2, 0));
    auto bf = dequantize(*b, *bS, *bZp, inputUnsigned(bi), rb - 1);
    if (failed(af) || failed(bf))
      return failure();
    auto y = create<MatMulOp>(*af, *bf);
    if (failed(y))
      return failure();
    if (!q)
      return output(0, elementwise("cast", {*y}, builder.getI32Type()));
    auto yS = input(6), yZp = optionalInput(7);
    if (failed(yS) || failed(yZp))
      return failure();
    return output(0, quantize(*y, *yS, *yZp, inputUnsigned(7), 1));
  }
  // QLinearConv(x, xs, xzp, w, ws, wzp, ys, yzp, B) / ConvInteger(x, w, xzp, wzp)
  bool q = op == "QLinearConv";
  auto x = input(0), w = input(q ? 3 : 1);
  if (failed(x) || failed(w))
    return failure();
  Value one = scalarConstant(node->output(0) + "_one", f32, 1.0);
  auto xZp = optionalInput(2), wZp = optionalInput(q ? 5 : 3);
  FailureOr<Value> xS = q ? input(1) : FailureOr<Value>(one);
  FailureOr<Value> wS = q ? input(4) : FailureOr<Value>(one);
  if (failed(xZp) || failed(wZp) || failed(xS) || failed(wS))
    return failure();
  auto xf = dequantize(*x, *xS, *xZp, inputUnsigned(0), 1);
  auto wf = dequantize(*w, *wS, *wZp, inputUnsigned(q ? 3 : 1), 0);
  if (failed(xf) || failed(wf))
    return failure();
  Value bias;
  if (q && hasInput(8)) {
    // int32 bias in units of x_scale * w_scale
    auto b = input(8);
    if (failed(b))
      return failure();
    auto bs = elementwise("mul", {*xS, *wS}, f32);
    auto bf = elementwise("cast", {*b}, f32);
    if (failed(bs) || failed(bf))
      return failure();
    auto bb = elementwise("mul", {*bf, *bs}, f32);
    if (failed(bb))
      return failure();
    bias = *bb;
  }
  auto xt = cast<RankedTensorType>(x->getType());
  auto wt = cast<RankedTensorType>(w->getType());
  if (xt.getRank() != 4)
    return fail(op + " supports 2-D convolutions only");
  SmallVector<int64_t> kernel(wt.getShape().drop_front(2));
  SmallVector<int64_t> strides = attrInts("strides").value_or(SmallVector<int64_t>(2, 1));
  SmallVector<int64_t> dil = attrInts("dilations").value_or(SmallVector<int64_t>(2, 1));
  SmallVector<int64_t> pads;
  if (failed(windowPads(xt.getShape(), kernel, strides, dil, pads)))
    return failure();
  auto y = create<ConvOp>(*xf, *wf, bias, strides, pads, dil, attrInt("group", 1));
  if (failed(y))
    return failure();
  if (!q)
    return output(0, elementwise("cast", {*y}, builder.getI32Type()));
  auto yS = input(6), yZp = optionalInput(7);
  if (failed(yS) || failed(yZp))
    return failure();
  return output(0, quantize(*y, *yS, *yZp, inputUnsigned(7), 1));
}

/// RNN, GRU and LSTM, unrolled over the (static) sequence: one Gemm per
/// step and gate group, slices per gate, elementwise activations.
LogicalResult Importer::importRecurrent() {
  const std::string &op = node->op_type();
  int gates = op == "RNN" ? 1 : op == "GRU" ? 3 : 4;
  auto X = input(0), W = input(1), R = input(2);
  if (failed(X) || failed(W) || failed(R))
    return failure();
  Type f = elementTypeOf(*X);
  if (!isa<FloatType>(f))
    return fail(op + " expects float tensors");
  if (hasInput(4)) {
    const HostTensor *lens = constantInput(4);
    if (!lens)
      return failure();
    auto xt = cast<RankedTensorType>(X->getType());
    int64_t seq = xt.getDimSize(attrInt("layout", 0) ? 1 : 0);
    bool full = lens != nullptr;
    for (int64_t i = 0; full && i < lens->size(); ++i)
      full = lens->intAt(i) == seq;
    if (!full)
      return fail("sequence_lens shorter than the sequence are not supported yet");
  }
  if (attr("clip"))
    return fail("the clip attribute is not supported yet");
  int64_t hidden = attrInt("hidden_size", 0);
  std::string direction = attrString("direction", "forward");
  int64_t dirs = direction == "bidirectional" ? 2 : 1;
  bool batchFirst = attrInt("layout", 0) != 0;
  Value x = *X;
  if (batchFirst) {
    auto t = create<TransposeOp>(x, ArrayRef<int64_t>{1, 0, 2});
    if (failed(t))
      return failure();
    x = *t;
  }
  auto xt = cast<RankedTensorType>(x.getType());
  int64_t seq = xt.getDimSize(0), batch = xt.getDimSize(1), inSize = xt.getDimSize(2);
  if (hidden <= 0)
    hidden = cast<RankedTensorType>(R->getType()).getDimSize(2);
  SmallVector<std::string> acts;
  if (auto *a = attr("activations"))
    for (const auto &name : a->strings())
      acts.push_back(StringRef(name).lower());
  static const std::map<std::string, std::vector<std::string>> defaults = {
      {"RNN", {"tanh"}}, {"GRU", {"sigmoid", "tanh"}},
      {"LSTM", {"sigmoid", "tanh", "tanh"}}};
  size_t perDir = defaults.at(op).size();
  for (size_t i = acts.size(); i < perDir * dirs; ++i)
    acts.push_back(defaults.at(op)[i % perDir]);
  for (const std::string &a : acts)
    if (a != "sigmoid" && a != "tanh" && a != "relu")
      return fail("activation '" + a + "' is not supported yet");
  bool lbr = attrInt("linear_before_reset", 0) != 0;
  if (attrInt("input_forget", 0))
    return fail("input_forget is not supported yet");

  auto ew = [&](StringRef k, ValueRange v) { return elementwise(k, v, f); };
  auto slice = [&](Value v, ArrayRef<int64_t> st, ArrayRef<int64_t> en) {
    SmallVector<int64_t> steps(st.size(), 1);
    return create<SliceOp>(v, st, en, steps);
  };
  auto take = [&](Value v, int64_t d) -> FailureOr<Value> {
    // v[d] of a [dirs, ...] tensor, without the leading dim.
    auto t = cast<RankedTensorType>(v.getType());
    SmallVector<int64_t> st(t.getRank(), 0), en(t.getShape());
    st[0] = d;
    en[0] = d + 1;
    auto sl = slice(v, st, en);
    if (failed(sl))
      return failure();
    return reshape(*sl, t.getShape().drop_front());
  };
  auto gate = [&](Value v, int64_t g) { // columns [g*h, (g+1)*h) of [b, G*h]
    return slice(v, {0, g * hidden}, {batch, (g + 1) * hidden});
  };
  std::string base = node->output(0).empty() ? node->name() : node->output(0);
  Value zeros;
  {
    HostTensor z;
    z.isFloat = true;
    z.onnxType = onnx::TensorProto::FLOAT;
    z.shape = {batch, hidden};
    z.floats.assign(batch * hidden, 0.0);
    zeros = materialize(base + "_zeros", z);
  }
  SmallVector<SmallVector<Value>> ys(seq); // per step, per direction
  SmallVector<Value> lastH, lastC;
  for (int64_t d = 0; d < dirs; ++d) {
    auto Wd = take(*W, d), Rd = take(*R, d);
    if (failed(Wd) || failed(Rd))
      return failure();
    FailureOr<Value> bias = Value();
    if (hasInput(3)) {
      auto B = input(3);
      if (failed(B))
        return failure();
      auto Bd = take(*B, d);
      if (failed(Bd))
        return failure();
      int64_t gh = gates * hidden;
      auto wb = slice(*Bd, {0}, {gh}), rb = slice(*Bd, {gh}, {2 * gh});
      if (failed(wb) || failed(rb))
        return failure();
      if (op == "GRU" && lbr) {
        // Rb of the hidden gate stays inside r * (H R^T + Rbh).
        auto rzr = slice(*rb, {0}, {2 * hidden});
        if (failed(rzr))
          return failure();
        HostTensor z;
        z.isFloat = true;
        z.onnxType = onnx::TensorProto::FLOAT;
        z.shape = {hidden};
        z.floats.assign(hidden, 0.0);
        Value zh = materialize(base + "_zero_bias", z);
        auto rbNoH = create<ConcatOp>(ValueRange{*rzr, zh}, int64_t(0));
        if (failed(rbNoH))
          return failure();
        bias = ew("add", {*wb, *rbNoH});
      } else {
        bias = ew("add", {*wb, *rb});
      }
      if (failed(bias))
        return failure();
    }
    FailureOr<Value> rbh = Value();
    if (op == "GRU" && lbr && hasInput(3)) {
      auto B = input(3);
      auto Bd = take(*B, d);
      if (failed(Bd))
        return failure();
      int64_t gh = gates * hidden;
      rbh = slice(*Bd, {gh + 2 * hidden}, {gh + 3 * hidden});
      if (failed(rbh))
        return failure();
    }
    Value H = zeros, C = zeros;
    if (hasInput(5)) {
      auto h0 = input(5);
      auto hd = succeeded(h0) ? take(*h0, d) : FailureOr<Value>(failure());
      if (failed(hd))
        return failure();
      H = *hd;
    }
    if (op == "LSTM" && hasInput(6)) {
      auto c0 = input(6);
      auto cd = succeeded(c0) ? take(*c0, d) : FailureOr<Value>(failure());
      if (failed(cd))
        return failure();
      C = *cd;
    }
    SmallVector<Value> peep;
    if (op == "LSTM" && hasInput(7)) {
      auto P = input(7);
      auto Pd = succeeded(P) ? take(*P, d) : FailureOr<Value>(failure());
      if (failed(Pd))
        return failure();
      for (int64_t g = 0; g < 3; ++g) {
        auto pg = slice(*Pd, {g * hidden}, {(g + 1) * hidden});
        if (failed(pg))
          return failure();
        peep.push_back(*pg);
      }
    }
    StringRef f1 = acts[d * perDir], f2 = perDir > 1 ? StringRef(acts[d * perDir + 1]) : "",
              f3 = perDir > 2 ? StringRef(acts[d * perDir + 2]) : "";
    bool reverse = direction == "reverse" || d == 1;
    for (int64_t s = 0; s < seq; ++s) {
      int64_t t = reverse ? seq - 1 - s : s;
      auto xs = slice(x, {t, 0, 0}, {t + 1, batch, inSize});
      if (failed(xs))
        return failure();
      auto xt2 = reshape(*xs, {batch, inSize});
      if (failed(xt2))
        return failure();
      // All gates of x W^T + b at once, and of H R^T.
      auto xw = create<GemmOp>(*xt2, *Wd, *bias, false, true, APFloat(1.0f),
                               APFloat(1.0f));
      auto hr = create<GemmOp>(H, *Rd, Value(), false, true, APFloat(1.0f),
                               APFloat(1.0f));
      if (failed(xw) || failed(hr))
        return failure();
      FailureOr<Value> newH = failure();
      if (op == "RNN") {
        auto sum = ew("add", {*xw, *hr});
        newH = succeeded(sum) ? ew(f1, {*sum}) : sum;
      } else if (op == "GRU") {
        auto pre = [&](int64_t g) -> FailureOr<Value> {
          auto a = gate(*xw, g), b = gate(*hr, g);
          if (failed(a) || failed(b))
            return failure();
          return ew("add", {*a, *b});
        };
        auto z = pre(0), r = pre(1);
        if (succeeded(z)) z = ew(f1, {*z});
        if (succeeded(r)) r = ew(f1, {*r});
        auto xh = gate(*xw, 2);
        if (failed(z) || failed(r) || failed(xh))
          return failure();
        FailureOr<Value> hh = failure();
        if (lbr) {
          auto hrh = gate(*hr, 2);
          if (succeeded(hrh) && *rbh)
            hrh = ew("add", {*hrh, *rbh});
          if (succeeded(hrh))
            hrh = ew("mul", {*r, *hrh});
          if (succeeded(hrh))
            hh = ew("add", {*xh, *hrh});
        } else {
          auto rH = ew("mul", {*r, H});
          if (failed(rH))
            return failure();
          auto Rh = slice(*Rd, {2 * hidden, 0}, {3 * hidden, hidden});
          if (failed(Rh))
            return failure();
          auto rHR = create<GemmOp>(*rH, *Rh, Value(), false, true,
                                    APFloat(1.0f), APFloat(1.0f));
          if (succeeded(rHR))
            hh = ew("add", {*xh, *rHR});
        }
        if (succeeded(hh))
          hh = ew(f2, {*hh});
        if (failed(hh))
          return failure();
        // H = (1 - z) * hh + z * H = hh + z * (H - hh)
        auto diff = ew("sub", {H, *hh});
        if (succeeded(diff))
          diff = ew("mul", {*z, *diff});
        if (succeeded(diff))
          newH = ew("add", {*hh, *diff});
      } else { // LSTM: gates i, o, f, c
        auto pre = [&](int64_t g, int peepIdx, Value cell) -> FailureOr<Value> {
          auto a = gate(*xw, g), b = gate(*hr, g);
          if (failed(a) || failed(b))
            return failure();
          auto sum = ew("add", {*a, *b});
          if (succeeded(sum) && peepIdx >= 0 && !peep.empty()) {
            auto pc = ew("mul", {peep[peepIdx], cell});
            if (failed(pc))
              return failure();
            sum = ew("add", {*sum, *pc});
          }
          return sum;
        };
        auto i = pre(0, 0, C), fg = pre(2, 2, C), cc = pre(3, -1, C);
        if (succeeded(i)) i = ew(f1, {*i});
        if (succeeded(fg)) fg = ew(f1, {*fg});
        if (succeeded(cc)) cc = ew(f2, {*cc});
        if (failed(i) || failed(fg) || failed(cc))
          return failure();
        auto fc = ew("mul", {*fg, C}), ic = ew("mul", {*i, *cc});
        if (failed(fc) || failed(ic))
          return failure();
        auto newC = ew("add", {*fc, *ic});
        if (failed(newC))
          return failure();
        C = *newC;
        auto o = pre(1, 1, C);
        if (succeeded(o)) o = ew(f1, {*o});
        auto hc = ew(f3, {C});
        if (failed(o) || failed(hc))
          return failure();
        newH = ew("mul", {*o, *hc});
      }
      if (failed(newH))
        return failure();
      H = *newH;
      auto y4 = reshape(H, {1, 1, batch, hidden});
      if (failed(y4))
        return failure();
      ys[t].push_back(*y4);
    }
    lastH.push_back(H);
    lastC.push_back(C);
  }
  // Y [seq, dirs, batch, hidden], Y_h / Y_c [dirs, batch, hidden].
  SmallVector<Value> steps;
  for (int64_t t = 0; t < seq; ++t) {
    auto st = dirs == 1 ? FailureOr<Value>(ys[t][0])
                        : create<ConcatOp>(ValueRange(ys[t]), int64_t(1));
    if (failed(st))
      return failure();
    steps.push_back(*st);
  }
  auto Y = seq == 1 ? FailureOr<Value>(steps[0])
                    : create<ConcatOp>(ValueRange(steps), int64_t(0));
  auto stack = [&](ArrayRef<Value> vs) -> FailureOr<Value> {
    SmallVector<Value> parts;
    for (Value v : vs) {
      auto r = reshape(v, {1, batch, hidden});
      if (failed(r))
        return failure();
      parts.push_back(*r);
    }
    if (parts.size() == 1)
      return parts[0];
    return create<ConcatOp>(ValueRange(parts), int64_t(0));
  };
  auto Yh = stack(lastH), Yc = stack(lastC);
  if (failed(Y) || failed(Yh) || failed(Yc))
    return failure();
  if (batchFirst) {
    Y = create<TransposeOp>(*Y, ArrayRef<int64_t>{2, 0, 1, 3});
    Yh = create<TransposeOp>(*Yh, ArrayRef<int64_t>{1, 0, 2});
    Yc = create<TransposeOp>(*Yc, ArrayRef<int64_t>{1, 0, 2});
    if (failed(Y) || failed(Yh) || failed(Yc))
      return failure();
  }
  setOutput(0, *Y);
  setOutput(1, *Yh);
  if (op == "LSTM")
    setOutput(2, *Yc);
  return success();
}

LogicalResult Importer::importSubgraph(const onnx::GraphProto &g,
                                      SmallVectorImpl<std::string> &outputs) {
  const onnx::NodeProto *saved = node;
  Location savedLoc = nodeLoc;
  for (const auto &t : g.initializer())
    if (failed(importInitializer(t)))
      return failure();
  int index = 0;
  for (const auto &n : g.node()) {
    std::string name = n.name().empty()
                           ? g.name() + "/" + n.op_type() + "_" + std::to_string(index)
                           : n.name();
    ++index;
    nodeLoc = NameLoc::get(StringAttr::get(&ctx, name),
                           NameLoc::get(StringAttr::get(&ctx, n.op_type())));
    if (failed(importNode(n)))
      return failure();
  }
  node = saved;
  nodeLoc = savedLoc;
  for (const auto &o : g.output()) {
    if (!has(o.name()))
      return fail("subgraph '" + g.name() + "' does not produce '" + o.name() +
                  "'");
    outputs.push_back(o.name());
  }
  return success();
}

/// If: a compile-time condition imports only the branch taken; otherwise
/// both branches are compiled and every output selects between them
/// (branches must then agree on shapes).
LogicalResult Importer::importIf() {
  const onnx::AttributeProto *thenA = attr("then_branch"),
                             *elseA = attr("else_branch");
  if (!thenA || !elseA)
    return fail("If needs then_branch and else_branch");
  const HostTensor *c = hostInput(0);
  if (c) {
    SmallVector<std::string> outs;
    const onnx::NodeProto *self = node;
    if (failed(importSubgraph(c->intAt(0) ? thenA->g() : elseA->g(), outs)))
      return failure();
    node = self;
    for (auto [i, name] : llvm::enumerate(outs)) {
      if (const HostTensor *h = host(name))
        setHostOutput(i, *h);
      else
        setOutput(i, values[name]);
    }
    return success();
  }
  auto cond = input(0);
  if (failed(cond))
    return failure();
  const onnx::NodeProto *self = node;
  SmallVector<std::string> thenOuts, elseOuts;
  if (failed(importSubgraph(thenA->g(), thenOuts)))
    return failure();
  SmallVector<Value> thenVals;
  for (const std::string &n : thenOuts) {
    node = self;
    auto v = values.count(n) ? FailureOr<Value>(values[n])
                             : FailureOr<Value>(materialize(n, *host(n)));
    thenVals.push_back(*v);
  }
  if (failed(importSubgraph(elseA->g(), elseOuts)))
    return failure();
  node = self;
  if (thenOuts.size() != elseOuts.size())
    return fail("If branches have different numbers of outputs");
  for (size_t i = 0; i < elseOuts.size(); ++i) {
    const std::string &n = elseOuts[i];
    Value e = values.count(n) ? values[n] : materialize(n, *host(n));
    if (e.getType() != thenVals[i].getType())
      return fail("If branches produce different types for output " +
                  Twine(i) + " with a run-time condition");
    if (failed(output(i, elementwise("where", {*cond, thenVals[i], e},
                                     elementTypeOf(e)))))
      return failure();
  }
  return success();
}

/// Loop with a trip count and a condition known at compile time: the body is
/// imported once per iteration (unrolled), like the recurrent ops. Loop-
/// carried values flow from one copy to the next; scan outputs are stacked
/// along a new leading axis.
LogicalResult Importer::importLoop() {
  constexpr int64_t kMaxIterations = 4096;
  const onnx::AttributeProto *bodyA = attr("body");
  if (!bodyA || !bodyA->has_g())
    return fail("Loop needs a body graph");
  const onnx::GraphProto &body = bodyA->g();
  const onnx::NodeProto *self = node;
  int numCarried = node->input_size() - 2;
  if (numCarried < 0 || body.input_size() != numCarried + 2 ||
      body.output_size() < numCarried + 1)
    return fail("Loop body has " + Twine(body.input_size()) + " inputs and " +
                Twine(body.output_size()) + " outputs for " +
                Twine(std::max(numCarried, 0)) + " loop-carried values");
  int numScan = body.output_size() - 1 - numCarried;
  std::optional<int64_t> tripCount;
  if (hasInput(0)) {
    const HostTensor *m =
        constantInput(0, "the trip count; Loop is unrolled at compile time");
    if (!m)
      return failure();
    tripCount = m->intAt(0);
  }
  bool cond = true;
  if (hasInput(1)) {
    const HostTensor *c = constantInput(
        1, "the loop condition; Loop is unrolled at compile time");
    if (!c)
      return failure();
    cond = c->intAt(0) != 0;
  }
  if (!tripCount && !cond)
    tripCount = 0;
  if (!tripCount && !hasInput(1))
    return fail("Loop without a trip count or a condition never ends");
  if (tripCount && *tripCount > kMaxIterations)
    return fail("trip count " + Twine(*tripCount) + " is above the unrolling "
                "limit of " + Twine(kMaxIterations));

  // Current loop-carried values, by name in the outer scope's maps.
  SmallVector<std::string> carried;
  for (int i = 0; i < numCarried; ++i) {
    const std::string &n = node->input(i + 2);
    if (n.empty() || !has(n))
      return fail("loop-carried input " + Twine(i + 2) + " is missing");
    carried.push_back(n);
  }
  auto bind = [&](const std::string &to, const std::string &from) {
    if (const HostTensor *h = host(from)) {
      HostTensor copy = *h;
      values.erase(to);
      hostValues[to] = std::move(copy);
    } else {
      Value v = values[from];
      hostValues.erase(to);
      values[to] = v;
    }
  };
  auto bindHost = [&](const std::string &to, HostTensor h) {
    values.erase(to);
    hostValues[to] = std::move(h);
  };
  SmallVector<SmallVector<Value>> scans(numScan);
  // Loop-carried results are kept under private names between iterations,
  // since the body may reuse its input names for its outputs.
  SmallVector<std::string> state;
  for (int i = 0; i < numCarried; ++i) {
    state.push_back("\x01loop:" + self->output(i) + ":" +
                    std::to_string(i) + ":" + std::to_string((uintptr_t)self));
    bind(state.back(), carried[i]);
  }
  int64_t iter = 0;
  for (; cond && (!tripCount || iter < *tripCount); ++iter) {
    if (iter >= kMaxIterations)
      return fail("the loop condition still holds after " +
                  Twine(kMaxIterations) + " iterations (unrolling limit)");
    HostTensor it;
    it.onnxType = onnx::TensorProto::INT64;
    it.ints = {iter};
    bindHost(body.input(0).name(), it);
    HostTensor c;
    c.onnxType = onnx::TensorProto::BOOL;
    c.ints = {1};
    bindHost(body.input(1).name(), c);
    for (int i = 0; i < numCarried; ++i)
      bind(body.input(i + 2).name(), state[i]);
    SmallVector<std::string> outs;
    if (failed(importSubgraph(body, outs)))
      return failure();
    node = self;
    if (const HostTensor *co = host(outs[0])) {
      cond = co->intAt(0) != 0;
    } else if (hasInput(1)) {
      return fail("the loop condition computed by the body ('" + outs[0] +
                  "') must be known at compile time (Loop is unrolled)");
    }
    for (int i = 0; i < numCarried; ++i)
      bind(state[i], outs[1 + i]);
    for (int k = 0; k < numScan; ++k) {
      const std::string &n = outs[1 + numCarried + k];
      Value v = values.count(n) ? values[n] : materialize(n, *host(n));
      auto t = cast<RankedTensorType>(v.getType());
      SmallVector<int64_t> shape = {1};
      llvm::append_range(shape, t.getShape());
      auto r = reshape(v, shape);
      if (failed(r))
        return failure();
      if (!scans[k].empty() && scans[k].front().getType() != r->getType())
        return fail("scan output " + Twine(k) + " changes shape between "
                    "iterations");
      scans[k].push_back(*r);
    }
  }
  node = self;
  for (int i = 0; i < numCarried; ++i) {
    if (i < node->output_size() && !node->output(i).empty())
      bind(node->output(i), state[i]);
    values.erase(state[i]);
    hostValues.erase(state[i]);
  }
  for (int k = 0; k < numScan; ++k) {
    if (scans[k].empty())
      return fail("scan output " + Twine(k) + " of a loop that runs zero "
                  "times has no known shape");
    FailureOr<Value> stacked = scans[k].front();
    if (scans[k].size() > 1)
      stacked = create<ConcatOp>(ValueRange(scans[k]), int64_t(0));
    if (failed(output(numCarried + k, stacked)))
      return failure();
  }
  return success();
}

LogicalResult Importer::importNode(const onnx::NodeProto &n) {
  node = &n;
  const std::string &op = n.op_type();
  if (!n.domain().empty() && n.domain() != "ai.onnx")
    return fail("operator domain '" + n.domain() + "' is not supported");

  bool folded = false;
  if (failed(foldOnHost(folded)))
    return failure();
  if (folded)
    return success();

  if (op == "Constant")
    return importConstant();
  if (op == "Identity" || op == "Dropout") {
    if (op == "Dropout") {
      // Inference: the identity, and a mask of all ones. Training mode
      // (random) cannot be compiled ahead of time.
      bool training = attrInt("is_test", 1) == 0 && opset < 7;
      if (hasInput(2)) {
        const HostTensor *t = constantInput(2);
        if (!t)
          return failure();
        training = t->intAt(0) != 0;
      }
      if (training)
        return fail("training_mode = true is not supported (inference only)");
      if (node->output_size() > 1 && !node->output(1).empty()) {
        auto shape = shapeOf(0);
        if (failed(shape))
          return failure();
        auto type = RankedTensorType::get(*shape, builder.getI1Type());
        setOutput(1, ConstantOp::create(builder, nodeLoc,
                                        DenseElementsAttr::get(type, true))
                         .getResult());
      }
    }
    if (const HostTensor *h = hostInput(0)) {
      setHostOutput(0, *h);
      return success();
    }
    auto x = input(0);
    if (failed(x))
      return failure();
    setOutput(0, *x);
    return success();
  }
  if (op == "Conv")
    return importConv();
  if (op == "ConvTranspose")
    return importConvTranspose();
  if (op == "Gemm")
    return importGemm();
  if (op == "MatMul")
    return importMatMul();
  if (op == "Add")
    return binary<AddOp>();
  if (op == "Sub")
    return binary<SubOp>();
  if (op == "Mul")
    return binary<MulOp>();
  if (op == "Div")
    return binary<DivOp>();
  if (op == "Pow")
    return binary<PowOp>();
  static const llvm::StringMap<StringRef> unaryKinds = {
      {"Abs", "abs"},       {"Neg", "neg"},       {"Floor", "floor"},
      {"Ceil", "ceil"},     {"Round", "round"},   {"Reciprocal", "reciprocal"},
      {"Log", "log"},       {"Sin", "sin"},       {"Cos", "cos"},
      {"Tan", "tan"},       {"Asin", "asin"},     {"Acos", "acos"},
      {"Atan", "atan"},     {"Sinh", "sinh"},     {"Cosh", "cosh"},
      {"Asinh", "asinh"},   {"Acosh", "acosh"},   {"Atanh", "atanh"},
      {"Erf", "erf"},       {"Sign", "sign"},     {"Softplus", "softplus"},
      {"Softsign", "softsign"}, {"Not", "not"}};
  if (StringRef k = unaryKinds.lookup(op); !k.empty())
    return importElementwise(k, 1);
  static const llvm::StringMap<StringRef> binaryKinds = {
      {"And", "and"}, {"Or", "or"}, {"Xor", "xor"}, {"PRelu", "prelu"}};
  if (StringRef k = binaryKinds.lookup(op); !k.empty())
    return importElementwise(k, 2);
  static const llvm::StringMap<StringRef> compareKinds = {
      {"Equal", "equal"},     {"Greater", "greater"},
      {"Less", "less"},       {"GreaterOrEqual", "greater_equal"},
      {"LessOrEqual", "less_equal"}};
  if (StringRef k = compareKinds.lookup(op); !k.empty())
    return importElementwise(k, 2, 0, 0, /*boolResult=*/true);
  if (op == "IsNaN")
    return importElementwise("isnan", 1, 0, 0, true);
  if (op == "IsInf")
    return importElementwise("isinf", 1, attrInt("detect_positive", 1),
                             attrInt("detect_negative", 1), true);
  if (op == "Elu")
    return importElementwise("elu", 1, attrFloat("alpha", 1.0f));
  if (op == "Selu")
    return importElementwise("selu", 1, attrFloat("alpha", 1.67326319f),
                             attrFloat("gamma", 1.05070102f));
  if (op == "Celu")
    return importElementwise("celu", 1, attrFloat("alpha", 1.0f));
  if (op == "ThresholdedRelu")
    return importElementwise("thresholded_relu", 1, attrFloat("alpha", 1.0f));
  if (op == "Shrink")
    return importElementwise("shrink", 1, attrFloat("lambd", 0.5f),
                             attrFloat("bias", 0.0f));
  if (op == "Mod")
    return importElementwise("mod", 2, static_cast<float>(attrInt("fmod", 0)));
  if (op == "BitShift")
    return importElementwise(attrString("direction", "") == "LEFT"
                                 ? "shift_left"
                                 : "shift_right",
                             2);
  if (op == "Where")
    return importElementwise("where", 3);
  if (op == "Max" || op == "Min" || op == "Sum" || op == "Mean")
    return importVariadic(StringRef(op == "Sum" ? "add" : op == "Max" ? "max"
                                    : op == "Min"               ? "min"
                                                                : "mean"));
  if (op == "Cast" || op == "CastLike")
    return importCast();
  bool handled = false;
  LogicalResult dataResult = importDataOps(handled);
  if (handled)
    return dataResult;
  LogicalResult normResult = importNormalization(handled);
  if (handled)
    return normResult;
  LogicalResult quantResult = importQuantization(handled);
  if (handled)
    return quantResult;
  if (op == "Relu")
    return unary<ReluOp>();
  if (op == "Sigmoid")
    return unary<SigmoidOp>();
  if (op == "Tanh")
    return unary<TanhOp>();
  if (op == "Sqrt")
    return unary<SqrtOp>();
  if (op == "Exp")
    return unary<ExpOp>();
  if (op == "HardSwish")
    return unary<HardSwishOp>();
  if (op == "LeakyRelu") {
    auto x = input(0);
    if (failed(x))
      return failure();
    return output(0, create<LeakyReluOp>(
                     *x, builder.getF32FloatAttr(attrFloat("alpha", 0.01f))));
  }
  if (op == "HardSigmoid") {
    auto x = input(0);
    if (failed(x))
      return failure();
    return output(0, create<HardSigmoidOp>(
                     *x, builder.getF32FloatAttr(attrFloat("alpha", 0.2f)),
                     builder.getF32FloatAttr(attrFloat("beta", 0.5f))));
  }
  if (op == "Clip")
    return importClip();
  if (op == "BatchNormalization")
    return importBatchNorm();
  if (op == "MaxPool")
    return importPool(true);
  if (op == "AveragePool")
    return importPool(false);
  if (op == "GlobalAveragePool" || op == "ReduceMean")
    return importReduce<ReduceMeanOp>(false);
  if (op == "GlobalMaxPool" || op == "ReduceMax")
    return importReduce<ReduceMaxOp>(false);
  if (op == "ReduceSum")
    return importReduce<ReduceSumOp>(true);
  if (op == "ReduceMin")
    return importReduce<ReduceMinOp>(false);
  if (op == "ReduceProd")
    return importReduce<ReduceProdOp>(false);
  if (op == "ReduceL1")
    return importReduce<ReduceSumOp>(false, "abs");
  if (op == "ReduceL2")
    return importReduce<ReduceSumOp>(false, "square", "sqrt");
  if (op == "ReduceSumSquare")
    return importReduce<ReduceSumOp>(false, "square");
  if (op == "ReduceLogSum")
    return importReduce<ReduceSumOp>(false, "", "log");
  if (op == "ReduceLogSumExp")
    return importReduce<ReduceSumOp>(false, "exp", "log");
  if (op == "Flatten" || op == "Reshape" || op == "Squeeze" ||
      op == "Unsqueeze")
    return importReshapeLike();
  if (op == "Transpose")
    return importTranspose();
  if (op == "Concat")
    return importConcat();
  if (op == "Split")
    return importSplit();
  if (op == "Slice")
    return importSlice();
  if (op == "Softmax")
    return importSoftmax<SoftmaxOp>();
  if (op == "LogSoftmax")
    return importSoftmax<LogSoftmaxOp>();
  if (op == "Hardmax")
    return importSoftmax<HardmaxOp>();
  if (op == "If")
    return importIf();
  if (op == "Loop")
    return importLoop();
  if (op == "RNN" || op == "GRU" || op == "LSTM")
    return importRecurrent();
  if (op == "NegativeLogLikelihoodLoss" || op == "SoftmaxCrossEntropyLoss")
    return importLoss();
  if (op == "ArgMax")
    return importArg<ArgMaxOp>();
  if (op == "ArgMin")
    return importArg<ArgMinOp>();
  return fail("operator " + op + " (opset " + Twine(opset) +
              ") is not supported");
}

LogicalResult Importer::importInitializer(const onnx::TensorProto &t) {
  auto h = hostFromProto(t);
  if (failed(h))
    return failure();
  hostValues[t.name()] = std::move(*h);
  return success();
}

OwningOpRef<ModuleOp> Importer::run(ModelInterface &interface) {
  if (failed(load()) || failed(checkAndInferShapes()))
    return nullptr;
  const onnx::GraphProto &graph = model.graph();
  for (const auto *list : {&graph.input(), &graph.output(), &graph.value_info()})
    for (const auto &vi : *list)
      if (vi.type().has_tensor_type())
        onnxTypes[vi.name()] = vi.type().tensor_type().elem_type();
  for (const auto &t : graph.initializer())
    onnxTypes[t.name()] = t.data_type();
  auto module = ModuleOp::create(fileLoc());
  builder.setInsertionPointToEnd(module.getBody());

  std::set<std::string> initNames;
  for (const auto &t : graph.initializer())
    initNames.insert(t.name());

  // Graph inputs: static shapes only.
  SmallVector<Type> argTypes;
  SmallVector<std::string> argNames;
  for (const auto &in : graph.input()) {
    if (initNames.count(in.name()))
      continue;
    Location loc = NameLoc::get(StringAttr::get(&ctx, in.name()), fileLoc());
    if (!in.type().has_tensor_type()) {
      emitError(loc) << "input '" << in.name() << "' is not a tensor";
      return nullptr;
    }
    const auto &tt = in.type().tensor_type();
    auto elem = elementType(tt.elem_type(), loc);
    if (failed(elem))
      return nullptr;
    TensorDesc desc;
    desc.name = in.name();
    SmallVector<int64_t> shape;
    for (int d = 0; d < tt.shape().dim_size(); ++d) {
      const auto &dim = tt.shape().dim(d);
      if (!dim.has_dim_value() || dim.dim_value() < 0) {
        std::string param = dim.has_dim_param() ? " ('" + dim.dim_param() + "')" : "";
        std::string fix;
        for (int k = 0; k < tt.shape().dim_size(); ++k) {
          const auto &dk = tt.shape().dim(k);
          fix += (k ? "x" : "") + (dk.has_dim_value() && dk.dim_value() > 0
                                       ? std::to_string(dk.dim_value())
                                       : std::string("<d") + std::to_string(k) + ">");
        }
        emitError(loc) << "input '" << in.name() << "' has a dynamic dimension "
                       << d << param << "; fix it with --input-shape="
                       << in.name() << ":" << fix;
        return nullptr;
      }
      shape.push_back(dim.dim_value());
    }
    desc.shape.assign(shape.begin(), shape.end());
    argTypes.push_back(RankedTensorType::get(shape, *elem));
    argNames.push_back(in.name());
    interface.inputs.push_back(desc);
  }

  for (const auto &t : graph.initializer())
    if (failed(importInitializer(t)))
      return nullptr;

  // Result types are only known after the body is built.
  auto func = func::FuncOp::create(builder, fileLoc(), options.functionName,
                                   builder.getFunctionType(argTypes, {}));
  Block *entry = func.addEntryBlock();
  builder.setInsertionPointToStart(entry);
  for (auto [i, name] : llvm::enumerate(argNames)) {
    values[name] = entry->getArgument(i);
    // The user's input buffers are read-only: bufferization must never
    // write into them (ScatterND, say, would otherwise update in place).
    func.setArgAttr(i, "bufferization.writable", builder.getBoolAttr(false));
  }

  int index = 0;
  for (const auto &n : graph.node()) {
    std::string name = n.name().empty()
                           ? n.op_type() + "_" + std::to_string(index)
                           : n.name();
    ++index;
    nodeLoc = NameLoc::get(StringAttr::get(&ctx, name),
                           NameLoc::get(StringAttr::get(&ctx, n.op_type())));
    if (failed(importNode(n)))
      return nullptr;
  }

  SmallVector<Value> results;
  nodeLoc = fileLoc();
  for (const auto &out : graph.output()) {
    Value v;
    if (auto it = values.find(out.name()); it != values.end()) {
      v = it->second;
    } else if (auto h = hostValues.find(out.name()); h != hostValues.end()) {
      v = materialize(out.name(), h->second);
    } else {
      emitError(fileLoc()) << "graph output '" << out.name()
                           << "' is not produced by any node";
      return nullptr;
    }
    results.push_back(v);
    TensorDesc desc;
    desc.name = out.name();
    auto t = cast<RankedTensorType>(v.getType());
    desc.shape.assign(t.getShape().begin(), t.getShape().end());
    interface.outputs.push_back(desc);
  }
  func::ReturnOp::create(builder, fileLoc(), results);
  func.setFunctionType(
      builder.getFunctionType(argTypes, ValueRange(results).getTypes()));

  // The header states ONNX's element types (uint8 stays uint8_t even though
  // the IR's integers are signless).
  auto fill = [&](TensorDesc &d, Type elem) {
    int32_t t = onnxTypes.count(d.name) ? onnxTypes[d.name] : 0;
    if (!t) {
      if (elem.isF32()) t = onnx::TensorProto::FLOAT;
      else if (elem.isF64()) t = onnx::TensorProto::DOUBLE;
      else if (elem.isF16()) t = onnx::TensorProto::FLOAT16;
      else if (elem.isInteger(1)) t = onnx::TensorProto::BOOL;
      else if (elem.isInteger(8)) t = onnx::TensorProto::INT8;
      else if (elem.isInteger(16)) t = onnx::TensorProto::INT16;
      else if (elem.isInteger(32)) t = onnx::TensorProto::INT32;
      else t = onnx::TensorProto::INT64;
    }
    struct Row { int32_t onnx; const char *c, *name; unsigned bytes; };
    static const Row rows[] = {
        {onnx::TensorProto::FLOAT, "float", "f32", 4},
        {onnx::TensorProto::DOUBLE, "double", "f64", 8},
        {onnx::TensorProto::FLOAT16, "uint16_t", "f16", 2},
        {onnx::TensorProto::BOOL, "uint8_t", "bool", 1},
        {onnx::TensorProto::INT8, "int8_t", "i8", 1},
        {onnx::TensorProto::UINT8, "uint8_t", "u8", 1},
        {onnx::TensorProto::INT16, "int16_t", "i16", 2},
        {onnx::TensorProto::UINT16, "uint16_t", "u16", 2},
        {onnx::TensorProto::INT32, "int32_t", "i32", 4},
        {onnx::TensorProto::UINT32, "uint32_t", "u32", 4},
        {onnx::TensorProto::INT64, "int64_t", "i64", 8},
        {onnx::TensorProto::UINT64, "uint64_t", "u64", 8}};
    for (const Row &r : rows)
      if (r.onnx == t) {
        d.cType = r.c;
        d.typeName = r.name;
        d.elementBytes = r.bytes;
      }
  };
  for (auto [d, t] : llvm::zip(interface.inputs, argTypes))
    fill(d, cast<RankedTensorType>(t).getElementType());
  for (auto [d, v] : llvm::zip(interface.outputs, results))
    fill(d, cast<RankedTensorType>(v.getType()).getElementType());

  module->setAttr("edge.num_inputs",
                  builder.getI64IntegerAttr(interface.inputs.size()));
  module->setAttr("edge.num_outputs",
                  builder.getI64IntegerAttr(interface.outputs.size()));
  if (failed(verify(module)))
    return nullptr;
  return module;
}

} // namespace

OwningOpRef<ModuleOp> importOnnxModel(MLIRContext &ctx, StringRef path,
                                      const ImportOptions &options,
                                      ModelInterface &interface) {
  ctx.loadDialect<EdgeDialect, func::FuncDialect>();
  Importer importer(ctx, path, options);
  return importer.run(interface);
}

} // namespace edge
