cmake_minimum_required(VERSION 3.20)
# Writes OUT (revision.h) with DCSIM_REVISION, the output of `git describe
# --always --dirty` in SOURCE_DIR, or "unknown"; the file is only replaced
# when its text changes (configure_file), so that builds stay incremental.
find_package(Git QUIET)
set(rev unknown)
if(GIT_FOUND)
  execute_process(COMMAND ${GIT_EXECUTABLE} describe --always --dirty --abbrev=12
    WORKING_DIRECTORY ${SOURCE_DIR} OUTPUT_VARIABLE out RESULT_VARIABLE rc
    OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(rc EQUAL 0 AND out)
    set(rev ${out})
  endif()
endif()
file(WRITE ${OUT}.in "#define DCSIM_REVISION \"@rev@\"\n")
configure_file(${OUT}.in ${OUT} @ONLY)
