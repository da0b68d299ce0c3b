# The multipart/form-data parser against python3-multipart (Debian's
# package; scripts/bootstrap installs it) on the same bodies: the same parts
# where both accept, both refusing where both must, and every deliberate
# difference checked as documented (tests/interop/multipart_differential.py).
add_executable(multipart_dump ${CMAKE_CURRENT_LIST_DIR}/interop/multipart_dump.cpp)
target_link_libraries(multipart_dump PRIVATE httpcore::core httpcore_warnings)
add_test(NAME multipart_differential
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/interop/multipart_differential.py
                 $<TARGET_FILE:multipart_dump>)
set_tests_properties(multipart_differential PROPERTIES TIMEOUT 120)
