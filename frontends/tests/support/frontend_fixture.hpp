#pragma once
// The fixture every front-end test uses: one test per front end built here
// (TEST_P over frontend_names()), each starting that front end on a free
// loopback port with the test handler.

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "httpcore/frontend.hpp"
#include "support/availability.hpp"
#include "support/test_client.hpp"
#include "support/test_handler.hpp"

namespace httpcore::test {

class frontend_test : public ::testing::TestWithParam<std::string_view> {
 protected:
  void SetUp() override { require_available(GetParam()); }

  /// Options with short timeouts; two event loops, or enough workers for the
  /// tests that hold several connections open on the threads front end.
  server_options options() const {
    server_options o;
    o.host = "127.0.0.1";
    o.port = 0;
    o.threads = GetParam() == "threads" ? 8 : 2;
    o.drain_timeout_us = 5'000'000;
    return o;
  }

  void start(const server_options& o) {
    fe_ = make_frontend(GetParam());
    ASSERT_NE(fe_, nullptr);
    ASSERT_EQ(fe_->name(), GetParam());
    fe_->start(handler_, o);
    ASSERT_NE(fe_->port(), 0);
  }
  void start() { start(options()); }

  void TearDown() override {
    if (fe_) fe_->stop();
  }

  std::uint16_t port() const { return fe_->port(); }

  /// Polls `condition` until it holds or `timeout` passes.
  static bool eventually(const std::function<bool()>& condition,
                         std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    auto until = std::chrono::steady_clock::now() + timeout;
    while (!condition()) {
      if (std::chrono::steady_clock::now() > until) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return true;
  }

  test_handler handler_;
  std::unique_ptr<frontend> fe_;
};

inline std::string get(std::string_view target, std::string_view extra = {}) {
  return "GET " + std::string(target) + " HTTP/1.1\r\nHost: t\r\n" + std::string(extra) + "\r\n";
}

inline std::string frontend_test_name(const ::testing::TestParamInfo<std::string_view>& info) {
  return std::string(info.param);
}

}  // namespace httpcore::test
