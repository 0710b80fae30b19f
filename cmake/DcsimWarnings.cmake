# dcsim_warnings: an INTERFACE target every dcsim target links PRIVATE. It
# carries the warning set, -Werror when DCSIM_WERROR is on, the sanitizer
# flags when DCSIM_SANITIZE is set and the profile-guided optimisation's
# when DCSIM_PGO is, so that nothing goes through the global CMAKE_C_FLAGS.
add_library(dcsim_warnings INTERFACE)
target_compile_options(dcsim_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes
  -Wold-style-definition -Wwrite-strings -Wcast-qual -Wundef -Wformat=2
  -Wdouble-promotion)
if(CMAKE_C_COMPILER_ID MATCHES "Clang")
  # For clang (the fuzz build): glibc's NAN is a float there, so
  # -Wdouble-promotion fires on every NAN; and message tables concatenate
  # string literals across lines on purpose.
  target_compile_options(dcsim_warnings INTERFACE -Wno-double-promotion -Wno-string-concatenation)
endif()
if(DCSIM_WERROR)
  target_compile_options(dcsim_warnings INTERFACE -Werror)
endif()
if(DCSIM_SANITIZE)
  target_compile_options(dcsim_warnings INTERFACE
    -fsanitize=${DCSIM_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(dcsim_warnings INTERFACE -fsanitize=${DCSIM_SANITIZE})
  # For code that must free everything or leave malloc alone under the
  # sanitizers (cli/main.c's H5close, cli/heap.c).
  target_compile_definitions(dcsim_warnings INTERFACE DCSIM_SANITIZED=1)
endif()
if(DCSIM_FUZZ)
  # Coverage for libFuzzer in every target; the fuzz targets add its main.
  target_compile_options(dcsim_warnings INTERFACE -fsanitize=fuzzer-no-link)
  target_link_options(dcsim_warnings INTERFACE -fsanitize=fuzzer-no-link)
endif()

# Profile-guided optimisation (GCC; tools/build.sh): `generate` builds
# dcsim to count where its code goes (.gcda files beside the objects),
# tools/pgo-train.sh runs it on the shipped scenarios, and `use` builds it
# again in the same folder laid out and inlined by those counts. The code
# is the same C: no flag that changes floating-point results (the outputs
# are the same bytes, tests/cli pgo check). Code no run reached, and the
# tests' own, are optimised as without a profile; a file edited since the
# counts were taken is too (no coverage-mismatch error).
set(DCSIM_PGO "" CACHE STRING "Profile-guided optimisation: empty, generate or use (GCC)")
if(DCSIM_PGO)
  if(NOT CMAKE_C_COMPILER_ID STREQUAL "GNU")
    message(FATAL_ERROR "DCSIM_PGO=${DCSIM_PGO} needs GCC, not ${CMAKE_C_COMPILER_ID}")
  endif()
  if(DCSIM_PGO STREQUAL "generate")
    target_compile_options(dcsim_warnings INTERFACE -fprofile-generate -fprofile-update=atomic)
    target_link_options(dcsim_warnings INTERFACE -fprofile-generate)
  elseif(DCSIM_PGO STREQUAL "use")
    target_compile_options(dcsim_warnings INTERFACE -fprofile-use -fprofile-partial-training
      -Wno-missing-profile -Wno-coverage-mismatch)
  else()
    message(FATAL_ERROR "DCSIM_PGO must be empty, generate or use, not ${DCSIM_PGO}")
  endif()
endif()
