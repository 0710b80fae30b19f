# dcsim_warnings: an INTERFACE target every dcsim target links PRIVATE. It
# carries the warning set, -Werror when DCSIM_WERROR is on, and the
# sanitizer flags when DCSIM_SANITIZE is set, so that nothing goes through
# the global CMAKE_C_FLAGS.
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
