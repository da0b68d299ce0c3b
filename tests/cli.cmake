# End-to-end tests of the `httpcore` command (tools/): shell scripts that pipe
# real bytes into the built binary. Registered only when the tools are built.
if(TARGET httpcore)
  add_test(NAME parse_command COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/parse_command_test.sh
                                      $<TARGET_FILE:httpcore>)
endif()
