# The installed-package test: builds and installs httpcore into a temporary
# prefix, compiles every installed header on its own, then builds and runs
# examples/consumer against that prefix (find_package(httpcore) + httpcore::core,
# and httpcore::ws_deflate when zlib is present).
# It installs this build (the release preset's), as a packager would, rather
# than building the library once more; so it is registered only in unsanitized
# configurations, not in debug or fuzz.
if(NOT HTTPCORE_SANITIZE)
  add_test(NAME install_consumer
           COMMAND ${CMAKE_COMMAND} -E env CXX=${CMAKE_CXX_COMPILER}
                   bash ${CMAKE_CURRENT_LIST_DIR}/install_consumer_test.sh
                   ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR} ${CMAKE_BINARY_DIR})
  set_tests_properties(install_consumer PROPERTIES LABELS install TIMEOUT 900)
endif()
