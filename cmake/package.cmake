# The installed package: find_package(httpcore [COMPONENTS ...]).
#
#   httpcore::core        always: the sans-I/O core (C++ API, static library)
#   httpcore::c           always (except fuzz builds): the C interface as a
#                         shared library, libhttpcore.so.0; also httpcore.pc
#   frontends             httpcore::frontends and httpcore/frontend.hpp (serving)
#   ws_deflate            httpcore::ws_deflate: permessage-deflate and the
#                         server's codec factory (zlib), when zlib was found
#   tls                   httpcore::tls: TLS sessions (OpenSSL 3), when found
#   h2                    httpcore::h2: HTTP/2 for servers (libnghttp2), when found
#   app                   httpcore::app and httpcore/app/*.hpp: router, reply,
#                         middleware, metrics, the pub/sub hub (zlib, libbrotlienc),
#                         when the app layer is built
#   redis                 httpcore::redis and httpcore/redis/*.hpp: the hub's Redis
#                         backend and the Redis command client (hiredis), when found
#
# Each component has its own export file, loaded only when asked for, so that a
# consumer of the core alone never needs zlib or threads to be findable.
# Included once from the top-level CMakeLists.txt, after every target exists.
include(CMakePackageConfigHelpers)

set(HTTPCORE_PACKAGE_COMPONENTS frontends)
if(TARGET httpcore_ws_deflate)
  list(APPEND HTTPCORE_PACKAGE_COMPONENTS ws_deflate)
endif()
if(TARGET httpcore_tls)
  list(APPEND HTTPCORE_PACKAGE_COMPONENTS tls)
endif()
if(TARGET httpcore_h2)
  list(APPEND HTTPCORE_PACKAGE_COMPONENTS h2)
endif()
if(TARGET httpcore_app)
  list(APPEND HTTPCORE_PACKAGE_COMPONENTS app)
endif()
if(TARGET httpcore_redis)
  list(APPEND HTTPCORE_PACKAGE_COMPONENTS redis)
endif()

set(_httpcore_cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/httpcore)
install(EXPORT httpcoreTargets NAMESPACE httpcore:: DESTINATION ${_httpcore_cmake_dir})
foreach(_component IN LISTS HTTPCORE_PACKAGE_COMPONENTS)
  install(EXPORT httpcore-${_component}Targets NAMESPACE httpcore::
          DESTINATION ${_httpcore_cmake_dir})
endforeach()

configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/httpcoreConfig.cmake.in
  ${PROJECT_BINARY_DIR}/httpcoreConfig.cmake INSTALL_DESTINATION ${_httpcore_cmake_dir})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/httpcoreConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/httpcoreConfig.cmake
              ${PROJECT_BINARY_DIR}/httpcoreConfigVersion.cmake
        DESTINATION ${_httpcore_cmake_dir})

# pkg-config: httpcore.pc describes the C interface's shared library (C++
# programs use the CMake package). Installed only where that library is built.
if(TARGET httpcore_c)
  set(_httpcore_pc_dir ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
  file(RELATIVE_PATH HTTPCORE_PC_PREFIX_FROM_PCDIR /root/${_httpcore_pc_dir} /root)
  configure_file(${CMAKE_CURRENT_LIST_DIR}/httpcore.pc.in ${PROJECT_BINARY_DIR}/httpcore.pc @ONLY)
  install(FILES ${PROJECT_BINARY_DIR}/httpcore.pc DESTINATION ${_httpcore_pc_dir})
endif()
