# -*- Python -*-
import os
import shutil
import subprocess

import lit.formats
from lit.llvm import llvm_config

config.name = "edge-aotc"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".onnxtxt", ".test"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.edge_obj_root, "test")
config.excludes = ["CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py.in",
                   "Inputs", "unit"]

llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.edge_tools_dir, append_path=True)
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.add_tool_substitutions(["edge-aotc", "edge-aotc-opt"],
                                   [config.edge_tools_dir])

e2e = os.path.join(config.edge_src_root, "test", "e2e")
config.substitutions.append(("%e2e", e2e))
config.substitutions.append(("%python", config.python))
config.substitutions.append(("%own_models", config.own_models_dir))
config.substitutions.append(("%shared_models", config.shared_models_dir))
config.substitutions.append(("%edge_obj_root", config.edge_obj_root))
config.substitutions.append(("%runmodels", "%s %s --compiler %s" % (
    config.python, os.path.join(e2e, "run_models.py"),
    os.path.join(config.edge_tools_dir, "edge-aotc"))))
config.substitutions.append(("%node_suite", "%s %s --compiler %s --harness %s" % (
    config.python,
    os.path.join(config.edge_src_root, "test", "onnx-node", "run_node_suite.py"),
    os.path.join(config.edge_tools_dir, "edge-aotc"),
    os.path.join(e2e, "harness.cpp"))))

if os.path.exists(os.path.join(config.shared_models_dir, "manifest.json")):
    config.available_features.add("shared-models")
else:
    lit_config.note("no reference models at %s: tests needing them are "
                    "UNSUPPORTED" % config.shared_models_dir)
# The ONNX backend node suite needs python3-onnx (1.12 still uses numpy's
# removed aliases, hence their restoration before the import).
if subprocess.run([config.python, "-c",
                   "import numpy; numpy.float = float; numpy.int = int; "
                   "numpy.bool = bool; numpy.object = object; "
                   "import onnx.backend.test.cmd_tools"],
                  stdout=subprocess.DEVNULL,
                  stderr=subprocess.DEVNULL).returncode == 0:
    config.available_features.add("python3-onnx")
else:
    lit_config.note("python3-onnx is not importable by %s: the ONNX node "
                    "suite is UNSUPPORTED" % config.python)
for tool, feature in [("qemu-aarch64", "qemu-aarch64"),
                      ("qemu-riscv64", "qemu-riscv64"),
                      ("qemu-system-aarch64", "qemu-system-aarch64"),
                      ("qemu-system-riscv64", "qemu-system-riscv64"),
                      ("aarch64-linux-gnu-g++", "cxx-aarch64"),
                      ("riscv64-linux-gnu-g++", "cxx-riscv64"),
                      ("cc", "cc"), ("c++", "cxx")]:
    if shutil.which(tool):
        config.available_features.add(feature)
