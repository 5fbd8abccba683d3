//===- Report.cpp - the footprint report ----------------------------------===//
#include "compiler/Report.h"

#include "dialects/Edge/EdgeOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/Object/ObjectFile.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace edge;

namespace {
int64_t numElements(Type t) {
  auto s = dyn_cast<ShapedType>(t);
  return s && s.hasStaticShape() ? s.getNumElements() : 0;
}

int64_t bytesOf(Type t) {
  auto s = dyn_cast<ShapedType>(t);
  if (!s || !s.hasStaticShape())
    return 0;
  int64_t bits = s.getElementType().getIntOrFloatBitWidth();
  return s.getNumElements() * std::max<int64_t>(1, (bits + 7) / 8);
}

int64_t product(ArrayRef<int64_t> v) {
  int64_t p = 1;
  for (int64_t x : v)
    p *= x;
  return p;
}

/// FLOPs of one op: 2 per multiply-add for the contractions, the window
/// size per output for pooling, one per element otherwise.
int64_t flopsOf(Operation *op) {
  if (op->getNumResults() == 0)
    return 0;
  Type out = op->getResult(0).getType();
  int64_t outElems = numElements(out);
  if (auto conv = dyn_cast<ConvOp>(op)) {
    auto w = cast<ShapedType>(conv.getWeight().getType());
    // Each output: (C / group) * prod(K) multiply-adds.
    return 2 * outElems * product(w.getShape().drop_front(1));
  }
  if (auto gemm = dyn_cast<GemmOp>(op)) {
    auto a = cast<ShapedType>(gemm.getA().getType());
    int64_t k = gemm.getTransA() ? a.getDimSize(0) : a.getDimSize(1);
    return 2 * outElems * k;
  }
  if (auto mm = dyn_cast<MatMulOp>(op)) {
    auto a = cast<ShapedType>(mm.getOperand(0).getType());
    return 2 * outElems * a.getShape().back();
  }
  if (auto p = dyn_cast<MaxPoolOp>(op))
    return outElems * product(p.getKernelShape());
  if (auto p = dyn_cast<AvgPoolOp>(op))
    return outElems * product(p.getKernelShape());
  if (isa<ConstantOp, ReshapeOp>(op))
    return 0;
  int64_t inElems = op->getNumOperands() ? numElements(op->getOperand(0).getType()) : 0;
  return std::max(outElems, inElems);
}

/// NameLoc(node, NameLoc(op type)) -> (node, op type).
std::pair<std::string, std::string> nodeOf(Location loc) {
  if (auto f = dyn_cast<FusedLoc>(loc))
    for (Location l : f.getLocations()) {
      auto r = nodeOf(l);
      if (!r.first.empty())
        return r;
    }
  if (auto n = dyn_cast<NameLoc>(loc)) {
    std::string op;
    if (auto inner = dyn_cast<NameLoc>(n.getChildLoc()))
      op = inner.getName().str();
    return {n.getName().str(), op};
  }
  return {"", ""};
}

int64_t intAttr(ModuleOp m, StringRef name) {
  auto a = m->getAttrOfType<IntegerAttr>(name);
  return a ? a.getInt() : 0;
}
} // namespace

std::vector<LayerInfo> edge::collectLayers(ModuleOp edgeModule) {
  std::vector<LayerInfo> layers;
  for (auto func : edgeModule.getOps<func::FuncOp>()) {
    if (func.isDeclaration())
      continue;
    DenseSet<Value> outputs;
    func.walk([&](func::ReturnOp r) {
      for (Value v : r.getOperands())
        outputs.insert(v);
    });
    for (Operation &op : func.getBody().front()) {
      if (isa<ConstantOp, func::ReturnOp>(op) || op.getNumResults() == 0)
        continue;
      LayerInfo l;
      std::tie(l.name, l.opType) = nodeOf(op.getLoc());
      l.flops = flopsOf(&op);
      for (Value r : op.getResults()) {
        l.outputBytes += bytesOf(r.getType());
        l.isModelOutput |= outputs.contains(r);
      }
      layers.push_back(std::move(l));
    }
  }
  return layers;
}

llvm::Error edge::writeReport(llvm::raw_ostream &os, StringRef modelName,
                              StringRef triple,
                              const std::vector<LayerInfo> &layers,
                              ModuleOp llvmModule, StringRef objectPath) {
  // Weights: every constant global the model reads.
  int64_t weights = 0;
  llvmModule.walk([&](LLVM::GlobalOp g) {
    if (!g.getConstant())
      return;
    if (auto v = g.getValueOrNull())
      if (auto typed = dyn_cast<TypedAttr>(v))
        weights += bytesOf(typed.getType());
  });
  // Code and object bytes, from the object just written.
  int64_t code = 0, object = 0, rodata = 0;
  auto buffer = llvm::MemoryBuffer::getFile(objectPath);
  if (!buffer)
    return llvm::createStringError(buffer.getError(),
                                   "cannot read " + objectPath);
  object = (*buffer)->getBufferSize();
  auto obj = llvm::object::ObjectFile::createObjectFile((*buffer)->getMemBufferRef());
  if (!obj)
    return obj.takeError();
  for (const llvm::object::SectionRef &s : (*obj)->sections()) {
    if (s.isText())
      code += s.getSize();
    else if (s.isData() && !s.isBSS()) {
      if (auto name = s.getName(); name && name->starts_with(".rodata"))
        rodata += s.getSize();
    }
  }

  // Arena buffers by node name, from the plan: (offset, bytes) each.
  llvm::StringMap<SmallVector<std::pair<int64_t, int64_t>>> buffersOf;
  llvm::json::Array buffers;
  if (auto list = llvmModule->getAttrOfType<ArrayAttr>("edge.buffers"))
    for (Attribute a : list) {
      auto d = cast<DictionaryAttr>(a);
      llvm::json::Array names;
      int64_t offset = d.getAs<IntegerAttr>("offset").getInt();
      for (Attribute n : d.getAs<ArrayAttr>("names")) {
        StringRef s = cast<StringAttr>(n).getValue();
        names.push_back(s.str());
        buffersOf[s].push_back({offset, d.getAs<IntegerAttr>("bytes").getInt()});
      }
      buffers.push_back(llvm::json::Object{
          {"names", std::move(names)},
          {"offset", offset},
          {"bytes", d.getAs<IntegerAttr>("bytes").getInt()},
          {"first_op", d.getAs<IntegerAttr>("first").getInt()},
          {"last_op", d.getAs<IntegerAttr>("last").getInt()}});
    }

  int64_t intermediate = 0, flops = 0;
  llvm::json::Array layerList;
  for (const LayerInfo &l : layers) {
    flops += l.flops;
    if (!l.isModelOutput)
      intermediate += l.outputBytes;
    llvm::json::Object o{{"name", l.name},
                         {"op", l.opType},
                         {"flops", l.flops},
                         {"output_bytes", l.outputBytes}};
    // The node's buffer holding its output: the one of the output's size
    // (a node may also own a padded copy of its input).
    std::optional<int64_t> offset;
    auto it = buffersOf.find(l.name);
    if (it != buffersOf.end())
      for (auto [off, bytes] : it->second)
        if (bytes == l.outputBytes) {
          offset = off;
          break;
        }
    if (l.isModelOutput) {
      o["arena_offset"] = nullptr;
      o["storage"] = "output";
    } else if (offset) {
      o["arena_offset"] = *offset;
      o["storage"] = "arena";
    } else {
      // Written in place into another layer's buffer, a view, or fused
      // into its consumer's loop.
      o["arena_offset"] = nullptr;
      o["storage"] = "shared";
    }
    layerList.push_back(std::move(o));
  }

  llvm::json::Object report{
      {"model", modelName.str()},
      {"target", triple.str()},
      {"arena_bytes", intAttr(llvmModule, "edge.arena_size")},
      {"arena_lower_bound_bytes", intAttr(llvmModule, "edge.arena_lower_bound")},
      {"arena_no_reuse_bytes", intAttr(llvmModule, "edge.arena_no_reuse")},
      {"intermediate_tensor_bytes", intermediate},
      {"arena_strategy",
       llvmModule->getAttrOfType<StringAttr>("edge.arena_strategy")
           ? llvmModule->getAttrOfType<StringAttr>("edge.arena_strategy").str()
           : std::string()},
      {"weights_bytes", weights},
      {"rodata_bytes", rodata},
      {"code_bytes", code},
      {"object_bytes", object},
      {"flops", flops},
      {"layers", std::move(layerList)},
      {"buffers", std::move(buffers)},
  };
  os << llvm::formatv("{0:2}", llvm::json::Value(std::move(report))) << "\n";
  return llvm::Error::success();
}
