# edge_aotc_add_model(): compiles an ONNX model with edge-aotc at build time
# and links the object into a target. Installed with the EdgeAOTC package
# (find_package(EdgeAOTC) includes this file); needs the imported executable
# EdgeAOTC::edge-aotc.
#
#   edge_aotc_add_model(<target>
#     MODEL <model.onnx>              # relative to CMAKE_CURRENT_SOURCE_DIR
#     [TARGET x86_64|aarch64|riscv64|host|<triple>]
#     [NAME <c_identifier>]
#     [OPTIONS <extra edge-aotc flags>...]
#     [DEPENDS <files>...])
#
# TARGET defaults to the architecture of CMAKE_SYSTEM_PROCESSOR (the machine
# the project is built for, so a cross toolchain file picks the right one);
# `host` means the machine running the build (CMAKE_HOST_SYSTEM_PROCESSOR).
# A full triple of one of the three architectures (aarch64-none-elf, ...) is
# passed through. NAME (default: the model file's stem made a C identifier)
# prefixes everything the generated header declares: <name>_run,
# <NAME>_ARENA_SIZE, ... The target gets <name>.o as a source and the folder
# of <name>.h as a private include directory, so `#include "<name>.h"`
# works. OPTIONS go to edge-aotc verbatim (-mcpu=..., -mattr=...,
# --input-shape=..., --freeze-input=...); DEPENDS lists further files whose
# change must recompile the model (external weights, --freeze-input
# tensors). The model is recompiled when the model file, a DEPENDS file or
# the edge-aotc executable changes. Call it in the directory that created
# <target>; several models per target are fine if their NAMEs differ.

include_guard(GLOBAL)
# The functions keep the policies of the version they were written for
# (IN_LIST, NAME_WLE), whatever the including project's minimum.
cmake_policy(PUSH)
cmake_policy(VERSION 3.14...3.31)

# The edge-aotc architecture of a CMAKE_*SYSTEM_PROCESSOR value, or "".
function(_edge_aotc_arch_of_processor out processor)
  string(TOLOWER "${processor}" p)
  if(p MATCHES "^(x86_64|amd64|x64|em64t)$")
    set(arch x86_64)
  elseif(p MATCHES "^(aarch64|arm64)$")
    set(arch aarch64)
  elseif(p MATCHES "^riscv64")
    set(arch riscv64)
  else()
    set(arch "")
  endif()
  set(${out} "${arch}" PARENT_SCOPE)
endfunction()

function(edge_aotc_add_model target)
  set(fn "edge_aotc_add_model(${target})")
  cmake_parse_arguments(PARSE_ARGV 1 ARG "" "MODEL;TARGET;NAME" "OPTIONS;DEPENDS")

  if(ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "${fn}: unexpected arguments '${ARG_UNPARSED_ARGUMENTS}'"
      " (usage: edge_aotc_add_model(<target> MODEL <model.onnx> "
      "[TARGET x86_64|aarch64|riscv64|host] [NAME <name>] "
      "[OPTIONS <edge-aotc flags>...] [DEPENDS <files>...]))")
  endif()
  if(NOT TARGET ${target})
    message(FATAL_ERROR "${fn}: '${target}' is not a target; create it first "
      "(add_executable/add_library) in this directory")
  endif()
  get_target_property(type ${target} TYPE)
  get_target_property(imported ${target} IMPORTED)
  if(imported)
    message(FATAL_ERROR "${fn}: '${target}' is an imported target; the model "
      "object needs an executable or a library built by this project")
  endif()
  if(type STREQUAL "INTERFACE_LIBRARY" OR type STREQUAL "UTILITY")
    message(FATAL_ERROR "${fn}: '${target}' is a ${type} target; the model "
      "object needs an executable or a library")
  endif()
  get_target_property(target_dir ${target} SOURCE_DIR)
  if(NOT target_dir STREQUAL CMAKE_CURRENT_SOURCE_DIR)
    message(FATAL_ERROR "${fn}: call it in the directory that created "
      "'${target}' (${target_dir}): the generated object is only visible "
      "there")
  endif()
  if(NOT TARGET EdgeAOTC::edge-aotc)
    message(FATAL_ERROR "${fn}: the imported target EdgeAOTC::edge-aotc is "
      "missing; call find_package(EdgeAOTC REQUIRED) first")
  endif()

  # MODEL: required, an existing file.
  if(NOT DEFINED ARG_MODEL OR ARG_MODEL STREQUAL "")
    message(FATAL_ERROR "${fn}: MODEL <model.onnx> is required (the ONNX "
      "model to compile; a path relative to ${CMAKE_CURRENT_SOURCE_DIR} or "
      "absolute)")
  endif()
  get_filename_component(model "${ARG_MODEL}" ABSOLUTE
    BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  if(NOT EXISTS "${model}" OR IS_DIRECTORY "${model}")
    message(FATAL_ERROR "${fn}: model file '${model}' does not exist")
  endif()

  # TARGET: x86_64, aarch64, riscv64, host, a triple of one of them, or
  # (absent) the architecture of CMAKE_SYSTEM_PROCESSOR.
  if("TARGET" IN_LIST ARG_KEYWORDS_MISSING_VALUES)
    message(FATAL_ERROR "${fn}: TARGET needs a value: x86_64, aarch64, "
      "riscv64, host or a triple of one of them (leave TARGET out for "
      "CMAKE_SYSTEM_PROCESSOR)")
  endif()
  if(NOT DEFINED ARG_TARGET)
    _edge_aotc_arch_of_processor(arch "${CMAKE_SYSTEM_PROCESSOR}")
    if(arch STREQUAL "")
      message(FATAL_ERROR "${fn}: cannot derive an edge-aotc target from "
        "CMAKE_SYSTEM_PROCESSOR '${CMAKE_SYSTEM_PROCESSOR}'; pass TARGET "
        "x86_64, aarch64 or riscv64")
    endif()
  elseif(ARG_TARGET STREQUAL "host")
    _edge_aotc_arch_of_processor(arch "${CMAKE_HOST_SYSTEM_PROCESSOR}")
    if(arch STREQUAL "")
      message(FATAL_ERROR "${fn}: TARGET host: the build machine's processor "
        "'${CMAKE_HOST_SYSTEM_PROCESSOR}' is not one edge-aotc compiles for "
        "(x86_64, aarch64, riscv64)")
    endif()
  elseif(ARG_TARGET MATCHES "^(x86_64|aarch64|riscv64)(-[A-Za-z0-9_.-]+)?$")
    set(arch "${ARG_TARGET}")
  else()
    message(FATAL_ERROR "${fn}: unknown TARGET '${ARG_TARGET}': use x86_64, "
      "aarch64, riscv64, host, or a triple of one of them "
      "(e.g. aarch64-none-elf)")
  endif()

  # NAME: a C identifier; default the sanitized stem, as edge-aotc does.
  if("NAME" IN_LIST ARG_KEYWORDS_MISSING_VALUES)
    message(FATAL_ERROR "${fn}: NAME needs a value (a C identifier)")
  endif()
  if(DEFINED ARG_NAME)
    set(name "${ARG_NAME}")
    if(NOT name MATCHES "^[A-Za-z_][A-Za-z0-9_]*$")
      message(FATAL_ERROR "${fn}: NAME '${name}' is not a C identifier")
    endif()
  else()
    get_filename_component(name "${model}" NAME_WLE)
    if(model MATCHES "\\.onnxtxt$")
      get_filename_component(name "${name}" NAME_WLE)
    endif()
    string(REGEX REPLACE "[^A-Za-z0-9]" "_" name "${name}")
    if(name STREQUAL "" OR name MATCHES "^[0-9]")
      set(name "m_${name}")
    endif()
  endif()

  get_property(names TARGET ${target} PROPERTY EDGE_AOTC_MODEL_NAMES)
  if(name IN_LIST names)
    message(FATAL_ERROR "${fn}: a model named '${name}' is already linked "
      "into '${target}'; give this one another NAME")
  endif()
  set_property(TARGET ${target} APPEND PROPERTY EDGE_AOTC_MODEL_NAMES "${name}")

  # The flags this function owns must not come twice.
  foreach(opt IN LISTS ARG_OPTIONS)
    if(opt MATCHES "^--?(target|name|o|emit)(=|$)")
      message(FATAL_ERROR "${fn}: OPTIONS must not contain '${opt}': use "
        "the TARGET and NAME arguments (the output is the function's)")
    endif()
  endforeach()

  set(dir "${CMAKE_CURRENT_BINARY_DIR}/edge_aotc/${target}/${name}")
  set(obj "${dir}/${name}.o")
  set(hdr "${dir}/${name}.h")
  set(extra_deps)
  foreach(dep IN LISTS ARG_DEPENDS)
    get_filename_component(dep "${dep}" ABSOLUTE
      BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    list(APPEND extra_deps "${dep}")
  endforeach()

  file(MAKE_DIRECTORY "${dir}")
  add_custom_command(
    OUTPUT "${obj}" "${hdr}"
    COMMAND EdgeAOTC::edge-aotc "${model}" "-target=${arch}" "--name=${name}"
            -o "${obj}" ${ARG_OPTIONS}
    # An imported executable in DEPENDS is a dependency on its file: a
    # newer (re-installed) compiler recompiles the model.
    DEPENDS "${model}" EdgeAOTC::edge-aotc ${extra_deps}
    WORKING_DIRECTORY "${dir}"
    COMMENT "edge-aotc: compiling model ${ARG_MODEL} as '${name}' for ${arch}"
    VERBATIM)
  set_source_files_properties("${obj}" PROPERTIES
    EXTERNAL_OBJECT TRUE GENERATED TRUE)
  set_source_files_properties("${hdr}" PROPERTIES GENERATED TRUE)
  target_sources(${target} PRIVATE "${obj}" "${hdr}")
  target_include_directories(${target} PRIVATE "${dir}")
endfunction()

cmake_policy(POP)
