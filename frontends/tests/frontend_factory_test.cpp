// The factory and run_until_signal, which do not depend on a front end.

#include <gtest/gtest.h>

#include <csignal>
#include <thread>

#include "httpcore/frontend.hpp"
#include "support/test_client.hpp"
#include "support/test_handler.hpp"

namespace httpcore::test {
namespace {

TEST(frontend_factory, EveryNamedFrontEndCanBeMade) {
  auto names = frontend_names();
  ASSERT_FALSE(names.empty());
  for (auto name : names) {
    auto f = make_frontend(name);
    ASSERT_NE(f, nullptr) << name;
    EXPECT_EQ(f->name(), name);
  }
  EXPECT_EQ(make_frontend("no-such-frontend"), nullptr);
}

TEST(frontend_factory, DefaultIsListedFirst) {
  auto f = make_default_frontend();
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->name(), frontend_names()[0]);
#ifdef __linux__
  EXPECT_NE(std::find(frontend_names().begin(), frontend_names().end(), "epoll"),
            frontend_names().end());
#endif
}

TEST(frontend_factory, StartFailsLoudlyWhenThePortIsTaken) {
  test_handler h;
  server_options o;
  o.port = 0;
  o.threads = 2;
  for (auto holder : frontend_names()) {
    auto first = make_frontend(holder);
    first->start(h, o);
    // SO_REUSEPORT listeners would share a port with another server of the
    // same user; every front end must refuse a port in use instead.
    for (auto other : frontend_names()) {
      auto second = make_frontend(other);
      server_options same = o;
      same.port = first->port();
      EXPECT_THROW(second->start(h, same), std::system_error) << other << " after " << holder;
    }
    first->stop();
  }
}

TEST(run_until_signal, SigtermStopsTheFrontEnd) {
  test_handler h;
  auto f = make_default_frontend();
  server_options o;
  o.port = 0;
  o.threads = 1;
  f->start(h, o);
  std::thread killer([] {
    // Only once the handler is installed, or SIGTERM would end the test run.
    for (;;) {
      struct sigaction current {};
      ::sigaction(SIGTERM, nullptr, &current);
      if (current.sa_handler != SIG_DFL) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ::kill(::getpid(), SIGTERM);
  });
  run_until_signal(*f);
  killer.join();
  EXPECT_THROW(test_client(f->port(), 1000), std::runtime_error);
  struct sigaction after {};
  ::sigaction(SIGTERM, nullptr, &after);
  EXPECT_EQ(after.sa_handler, SIG_DFL) << "the previous disposition is restored";
}

}  // namespace
}  // namespace httpcore::test
