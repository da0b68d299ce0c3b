# WebSocket interop over loopback (tests/interop/):
# - ws_client_interop: our client role (handshake, parser, masking writer,
#   permessage-deflate when httpcore::ws_deflate exists) against
#   python3-websockets' echo server, with and without compression;
# - ws_serve_interop: python3-websockets' client against `httpcore serve`'s
#   /ws/echo on every front end.
# A missing endpoint, a failed handshake or a missing python3-websockets fails
# them: none is a skip.
add_executable(ws_client_interop ${CMAKE_CURRENT_LIST_DIR}/interop/ws_client_interop.cpp)
target_link_libraries(ws_client_interop PRIVATE httpcore::core httpcore_warnings)
if(TARGET httpcore::ws_deflate)
  target_link_libraries(ws_client_interop PRIVATE httpcore::ws_deflate)
  target_compile_definitions(ws_client_interop PRIVATE HTTPCORE_HAVE_WS_DEFLATE=1)
else()
  target_compile_definitions(ws_client_interop PRIVATE HTTPCORE_HAVE_WS_DEFLATE=0)
endif()
# With the tools built, our client also talks to our own server.
set(ws_interop_server)
if(TARGET httpcore)
  set(ws_interop_server $<TARGET_FILE:httpcore>)
endif()
add_test(NAME ws_client_interop
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/interop/ws_client_interop.py
                 $<TARGET_FILE:ws_client_interop> ${ws_interop_server})
set_tests_properties(ws_client_interop PROPERTIES TIMEOUT 120 LABELS websocket)

if(TARGET httpcore)
  add_test(NAME ws_serve_interop
           COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/interop/ws_serve_interop.py
                   $<TARGET_FILE:httpcore>)
  set_tests_properties(ws_serve_interop PROPERTIES TIMEOUT 180 LABELS websocket)
endif()

# The conformance harness (conformance/websocket/run) against this build's
# `httpcore serve` on every front end: in the debug preset that runs every
# invalid frame through ASan + UBSan (the server must also stop with status 0,
# i.e. without leaks). `make ws-conformance` runs it on the release build. A
# longer reply timeout (5 s) keeps it steady under ASan next to other tests.
# The harness can fail: a server answering 400 and non-strict outcomes fail it.
add_test(NAME ws_harness_can_fail
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/interop/ws_harness_can_fail.py)
set_tests_properties(ws_harness_can_fail PROPERTIES TIMEOUT 120 LABELS websocket)

if(TARGET httpcore)
  add_test(NAME ws_conformance
           COMMAND /usr/bin/python3 ${PROJECT_SOURCE_DIR}/conformance/websocket/run
                   --all-frontends $<TARGET_FILE:httpcore> --timeout 5)
  set_tests_properties(ws_conformance PROPERTIES TIMEOUT 300 LABELS websocket)
endif()
