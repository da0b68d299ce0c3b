# The C interface (httpcore/httpcore.h) tested from C11 and from Python:
#   h1_parser_c_test, api_c_test   tests/c/*.c, strict C11 (-Wall -Wextra
#                                  -Werror -pedantic), linked to libhttpcore.so
#   c_api_ctypes                   examples/python/parse_request.py through
#                                  ctypes, against the same shared library
# Only where the shared library is built (not in fuzz builds).
if(NOT TARGET httpcore_c)
  return()
endif()

foreach(name h1_parser_c_test api_c_test)
  add_executable(${name} ${CMAKE_CURRENT_LIST_DIR}/c/${name}.c)
  set_target_properties(${name} PROPERTIES C_STANDARD 11 C_STANDARD_REQUIRED ON
                                           C_EXTENSIONS OFF)
  target_compile_options(${name} PRIVATE -Wall -Wextra -Werror -pedantic)
  target_link_libraries(${name} PRIVATE httpcore::c)
  add_test(NAME ${name} COMMAND ${name})
endforeach()

# Python loads the library itself: an ASan-instrumented one would need the
# sanitizer runtime preloaded into the interpreter, so this runs in
# unsanitized builds (the release preset) only.
if(NOT HTTPCORE_SANITIZE)
  add_test(NAME c_api_ctypes
           COMMAND /usr/bin/python3 ${PROJECT_SOURCE_DIR}/examples/python/parse_request.py
                   --library $<TARGET_FILE:httpcore_c>)
endif()
