# The dcsim executable links the static archives of its libraries where
# they are installed: the dynamic loader's symbol lookups and relocations
# are paid at every start. Debian's shared libhdf5 pulls in libcurl (for
# its S3 driver, which dcsim never uses) and through it ~40 libraries
# (~6 ms CPU a start); GSL, libyaml and szip cost another ~0.6 ms
# (docs/design-notes.md, "Speed: fixed cost per run" and "Fixed cost of a
# run"). Targets that set the property DCSIM_STATIC_LINK get the static
# archives, the others (tests, which may wrap malloc) the shared libraries.
# dcsim_hdf5, dcsim_gsl, dcsim_yaml and dcsim_openmp are the INTERFACE
# targets that dcsim's libraries link in place of the packages' own.
option(DCSIM_STATIC_HDF5 "Link the dcsim executable with HDF5's static library when installed" ON)
option(DCSIM_STATIC_DEPS
  "Link the dcsim executable with the static GSL, libyaml and szip when installed" ON)
set(dcsim_static "$<BOOL:$<TARGET_PROPERTY:DCSIM_STATIC_LINK>>")

# dcsim_archives(VAR LIB...): the static archives beside the shared
# libraries LIB... (the same path ending in .a), or "" if one is missing.
function(dcsim_archives var)
  set(out "")
  foreach(lib IN LISTS ARGN)
    string(REGEX REPLACE "\\.so$" ".a" a "${lib}")
    if(a STREQUAL lib OR NOT EXISTS "${a}")
      set(${var} "" PARENT_SCOPE)
      return()
    endif()
    list(APPEND out "${a}")
  endforeach()
  set(${var} "${out}" PARENT_SCOPE)
endfunction()

# dcsim_link_static_or_shared(TARGET STATIC SHARED): the INTERFACE target
# links the list STATIC into DCSIM_STATIC_LINK targets and SHARED into the
# others; SHARED into all when STATIC is empty.
function(dcsim_link_static_or_shared target static shared)
  if(static)
    message(STATUS "dcsim links ${target} statically: ${static}")
    target_link_libraries(${target} INTERFACE "$<${dcsim_static}:${static}>"
      "$<$<NOT:${dcsim_static}>:${shared}>")
  else()
    target_link_libraries(${target} INTERFACE ${shared})
  endif()
endfunction()

# HDF5, and with it szip (libsz.a calls libaec.a).
add_library(dcsim_hdf5 INTERFACE)
target_include_directories(dcsim_hdf5 INTERFACE ${HDF5_INCLUDE_DIRS})
target_compile_definitions(dcsim_hdf5 INTERFACE ${HDF5_DEFINITIONS})
set(static "")
if(DCSIM_STATIC_HDF5 AND HDF5_C_LIBRARY_hdf5)
  dcsim_archives(static "${HDF5_C_LIBRARY_hdf5}")
endif()
if(static)
  foreach(lib IN LISTS HDF5_C_LIBRARIES)
    get_filename_component(name "${lib}" NAME)
    set(a "")
    if(DCSIM_STATIC_DEPS AND name STREQUAL "libsz.so")
      get_filename_component(dir "${lib}" DIRECTORY)
      dcsim_archives(a "${lib}" "${dir}/libaec.so")
    endif()
    if(a)
      list(APPEND static ${a})
    elseif(NOT lib STREQUAL HDF5_C_LIBRARY_hdf5)
      list(APPEND static "${lib}")
    endif()
  endforeach()
endif()
dcsim_link_static_or_shared(dcsim_hdf5 "${static}" "${HDF5_C_LIBRARIES}")

# GSL, with its CBLAS.
add_library(dcsim_gsl INTERFACE)
target_include_directories(dcsim_gsl INTERFACE ${GSL_INCLUDE_DIRS})
set(static "")
if(DCSIM_STATIC_DEPS)
  dcsim_archives(static "${GSL_LIBRARY}" "${GSL_CBLAS_LIBRARY}")
endif()
if(static)
  list(APPEND static m)
endif()
dcsim_link_static_or_shared(dcsim_gsl "${static}" GSL::gsl)

# libyaml (pkg-config).
add_library(dcsim_yaml INTERFACE)
target_include_directories(dcsim_yaml INTERFACE ${YAML_INCLUDE_DIRS})
set(static "")
if(DCSIM_STATIC_DEPS)
  dcsim_archives(static "${pkgcfg_lib_YAML_yaml}")
endif()
dcsim_link_static_or_shared(dcsim_yaml "${static}" PkgConfig::YAML)

# OpenMP: GCC's libgomp, static where GCC has its archive. libgomp reads
# its environment (OMP_WAIT_POLICY, ...) once, in its constructor: a shared
# libgomp runs it before any of the executable's, the static one among
# them, after cli/main.c's, which sets dcsim's default wait policy there.
# Other runtimes (clang's libomp) read it at the first parallel region.
add_library(dcsim_openmp INTERFACE)
set(static "")
if(DCSIM_STATIC_DEPS AND OpenMP_gomp_LIBRARY)
  dcsim_archives(static "${OpenMP_gomp_LIBRARY}")
endif()
if(static)
  target_compile_options(dcsim_openmp INTERFACE
    "$<${dcsim_static}:$<TARGET_PROPERTY:OpenMP::OpenMP_C,INTERFACE_COMPILE_OPTIONS>>")
endif()
dcsim_link_static_or_shared(dcsim_openmp "${static}" OpenMP::OpenMP_C)
# Whether the dcsim executable's libgomp is static (its wait policy test).
if(static)
  set(DCSIM_STATIC_GOMP ON)
else()
  set(DCSIM_STATIC_GOMP OFF)
endif()
