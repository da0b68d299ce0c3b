# Memory a slow or hostile client can make `httpcore serve` hold, measured as
# the server's RSS (tests/robustness/memory_test.py), on every front end.
# Builds with sanitizers do not register them: ASan's allocator quarantines
# freed memory and its shadow grows with every allocation, so RSS there says
# nothing about ours (the release preset runs them; `make test` runs both).
if(TARGET httpcore)
  if(HTTPCORE_SANITIZE)
    message(STATUS "tests: robustness_memory_* measure RSS: release preset only (not with ASan)")
  else()
    foreach(part static inflate fanout)
      add_test(NAME robustness_memory_${part}
               COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/robustness/memory_test.py
                       $<TARGET_FILE:httpcore> ${part})
      set_tests_properties(robustness_memory_${part} PROPERTIES TIMEOUT 300 LABELS robustness)
    endforeach()
  endif()
endif()
