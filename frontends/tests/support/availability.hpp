#pragma once
// A front end the kernel may refuse at run time (io_uring, under a seccomp
// filter or kernel.io_uring_disabled). On the machines that run the suites
// it is there, so a refusal fails the test: a skip must not turn a suite
// green there. HTTPCORE_ALLOW_NO_IO_URING=1 makes it a skip that says why,
// for machines where io_uring is known to be off.

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <string_view>

#include "httpcore/frontend.hpp"

namespace httpcore::test {

/// Call from SetUp(): fails (or skips, see above) when `name` cannot serve here.
inline void require_available(std::string_view name) {
  const std::string why = frontend_unavailable(name);
  if (why.empty()) return;
  const char* allow = std::getenv("HTTPCORE_ALLOW_NO_IO_URING");
  if (allow != nullptr && std::string_view(allow) == "1") {
    GTEST_SKIP() << "front end " << name << " skipped: " << why
                 << " (HTTPCORE_ALLOW_NO_IO_URING=1)";
  }
  FAIL() << "front end " << name << " cannot run: " << why
         << "; set HTTPCORE_ALLOW_NO_IO_URING=1 to skip it where io_uring is known to be off";
}

}  // namespace httpcore::test
