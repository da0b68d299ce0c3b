# End-to-end test of `httpcore serve` over loopback TCP, against every front end
# the binary has (tests/serve_test.sh: curl, python3 for the access log).
# Registered only when the tools are built. A missing peer fails the test:
# scripts/bootstrap installs them all.
if(TARGET httpcore)
  add_test(NAME serve_command COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/serve_test.sh
                                      $<TARGET_FILE:httpcore>)
  set_tests_properties(serve_command PROPERTIES TIMEOUT 300 LABELS serve)
endif()

# Issue 14, item 3: /ws/chat across two `httpcore serve --redis` instances over
# a real redis-server the test starts on a free port (exactly once, in order,
# Redis killed and restarted under connected clients). Needs the Redis backend
# (hiredis) and redis-server, both from scripts/bootstrap.
if(TARGET httpcore AND TARGET httpcore::redis)
  add_test(NAME serve_redis COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/serve_redis_test.py
                                    $<TARGET_FILE:httpcore>)
  set_tests_properties(serve_redis PROPERTIES TIMEOUT 120 LABELS serve)
endif()

# https and wss from `httpcore serve --tls-cert`, against curl, openssl
# s_client, python3's ssl and python3-websockets (tests/serve_tls_test.py).
if(TARGET httpcore AND TARGET httpcore::tls)
  add_test(NAME serve_tls COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/serve_tls_test.py
                                  $<TARGET_FILE:httpcore>)
  set_tests_properties(serve_tls PROPERTIES TIMEOUT 300 LABELS serve)
endif()

# Issue 16, finding 8: the access log on a pipe nobody reads must not stop the
# server from serving or from stopping (every front end; python3 only).
if(TARGET httpcore)
  add_test(NAME serve_blocked_log COMMAND /usr/bin/python3
                                          ${CMAKE_CURRENT_LIST_DIR}/serve_blocked_log_test.py
                                          $<TARGET_FILE:httpcore>)
  set_tests_properties(serve_blocked_log PROPERTIES TIMEOUT 300 LABELS serve)
  httpcore_robustness_test(serve_blocked_log)
endif()

# io_uring refused at run time (a seccomp filter, as kernel.io_uring_disabled
# would): `httpcore serve --frontend io_uring` exits 2 with one line, and the
# front-end suites fail unless HTTPCORE_ALLOW_NO_IO_URING=1 (python3 only).
if(TARGET httpcore AND TARGET frontend_errors_test)
  add_test(NAME io_uring_refused COMMAND /usr/bin/python3
                                         ${CMAKE_CURRENT_LIST_DIR}/io_uring_refused_test.py
                                         $<TARGET_FILE:httpcore>
                                         $<TARGET_FILE:frontend_errors_test>)
  set_tests_properties(io_uring_refused PROPERTIES TIMEOUT 120 LABELS serve)
endif()

# `httpcore serve --pin`: each event loop on a core of its own (python3 reads
# the server threads' affinity), on every event-loop front end.
if(TARGET httpcore)
  add_test(NAME serve_pin COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/serve_pin_test.py
                                  $<TARGET_FILE:httpcore>)
  set_tests_properties(serve_pin PROPERTIES TIMEOUT 120 LABELS serve)
endif()

# HTTP/2 from `httpcore serve` against curl, nghttp, h2load and python3-h2
# (tests/h2_interop_test.py): h2c and h2 over TLS, on every front end built in.
if(TARGET httpcore AND TARGET httpcore::h2 AND TARGET httpcore::tls)
  add_test(NAME h2_interop COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/h2_interop_test.py
                                   $<TARGET_FILE:httpcore>)
  set_tests_properties(h2_interop PROPERTIES TIMEOUT 120 LABELS serve)
endif()

# Request trailers reach the handler (POST /api/trailers) over real sockets:
# python3-h11 (chunked) and python3-h2 (h2c, a trailing HEADERS), on every
# front end built in; above the bounds, 431.
if(TARGET httpcore AND TARGET httpcore::h2)
  add_test(NAME serve_trailers COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/serve_trailers_test.py
                                       $<TARGET_FILE:httpcore>)
  set_tests_properties(serve_trailers PROPERTIES TIMEOUT 60 LABELS serve)
endif()

# Issue 13: the /api routes through the router and its middleware (greet,
# slow answers that do not hold the loop, recovery, CORS, compression, rate
# limiting), every front end, with curl, http.client and h11.
if(TARGET httpcore)
  if(HTTPCORE_SANITIZE)
    set(slow_count 200)  # connections are slow to set up under ASan
  else()
    set(slow_count 1000)
  endif()
  add_test(NAME serve_api COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/serve_api_test.py
                                  $<TARGET_FILE:httpcore> --slow-count ${slow_count})
  set_tests_properties(serve_api PROPERTIES TIMEOUT 120 LABELS serve)
endif()

# Issue 13, item 4: GET /api/session on every front end with python3-requests'
# cookie jar and curl's (h2c too when HTTP/2 is built): counts 1, 2, 3, starts
# over without the cookie or with a tampered one; with the Redis backend,
# two instances on one redis-server (started by the test) share sessions,
# with a rotated key, and answer 503 while Redis is gone.
if(TARGET httpcore)
  set(session_args)
  if(TARGET httpcore::h2)
    list(APPEND session_args --h2)
  endif()
  if(TARGET httpcore::redis)
    list(APPEND session_args --redis)
  endif()
  add_test(NAME serve_session COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/serve_session_test.py
                                      $<TARGET_FILE:httpcore> ${session_args})
  set_tests_properties(serve_session PROPERTIES TIMEOUT 60 LABELS serve)
endif()

# Issue 13: deferred responses over HTTP/2 (h2c, the h2c upgrade, and h2
# over TLS) on every front end, with python3-h2 and curl.
if(TARGET httpcore AND TARGET httpcore::h2 AND TARGET httpcore::tls)
  add_test(NAME serve_api_h2 COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/serve_api_h2_test.py
                                     $<TARGET_FILE:httpcore>)
  set_tests_properties(serve_api_h2 PROPERTIES TIMEOUT 120 LABELS serve)
endif()

# Issue 13: static files (ETag and If-None-Match, If-Modified-Since, Range
# with 206, multipart/byteranges, 416 and If-Range, precompressed siblings,
# directory index, symlinks and '..' out of the root, backpressure, and
# Content-Length on streamed files and HEAD, HTTP/1.1 and h2c) with curl on
# every front end.
if(TARGET httpcore)
  set(static_h2 "")
  if(TARGET httpcore::h2)
    set(static_h2 --h2)  # content-length over h2c too, HEAD included
  endif()
  add_test(NAME serve_static COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/serve_static_test.py
                                     $<TARGET_FILE:httpcore> ${static_h2})
  set_tests_properties(serve_static PROPERTIES TIMEOUT 120 LABELS serve)
endif()

# Issue 13, item 5: POST /api/upload with --upload-dir on every front end,
# with curl -F (HTTP/1.1 and h2c), python3-requests and http.client: parts'
# sizes and sha256, the stored files, 400/413/415 (nothing left behind), and
# 100 MiB streamed with the server's peak RSS growing by less than 16 MiB.
if(TARGET httpcore)
  set(upload_h2 "")
  if(TARGET httpcore::h2)
    set(upload_h2 --h2)  # curl -F over h2c too
  endif()
  add_test(NAME serve_upload COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/serve_upload_test.py
                                     $<TARGET_FILE:httpcore> ${upload_h2})
  set_tests_properties(serve_upload PROPERTIES TIMEOUT 120 LABELS serve)
endif()
