// The event-loop front ends (epoll, io_uring, kqueue): each loop thread
// accepts on a listening socket of its own (SO_REUSEPORT, so the kernel
// spreads connections over them), and server_options::pin_threads pins each
// loop to a core of its own.

#include <gtest/gtest.h>
#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <numeric>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "support/frontend_fixture.hpp"

namespace httpcore::test {
namespace {

std::vector<std::string_view> loop_frontends() {
  std::vector<std::string_view> names;
  for (std::string_view n : frontend_names())
    if (n != "threads") names.push_back(n);
  return names;
}

// Listening TCP sockets on `port` in the whole system (/proc/net/tcp and
// tcp6: state 0A is LISTEN; the local port is the hex after the colon).
int listeners_on(std::uint16_t port) {
  int count = 0;
  for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
    std::ifstream in(table);
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
      std::istringstream fields(line);
      std::string slot, local, remote, state;
      fields >> slot >> local >> remote >> state;
      auto colon = local.rfind(':');
      if (state == "0A" && colon != std::string::npos &&
          std::stoul(local.substr(colon + 1), nullptr, 16) == port)
        ++count;
    }
  }
  return count;
}

std::set<pid_t> threads_of_this_process() {
  std::set<pid_t> tids;
  for (const auto& e : std::filesystem::directory_iterator("/proc/self/task"))
    tids.insert(static_cast<pid_t>(std::stol(e.path().filename().string())));
  return tids;
}

// The CPUs thread `tid` may run on.
std::vector<int> affinity_of(pid_t tid) {
  cpu_set_t set;
  CPU_ZERO(&set);
  std::vector<int> cpus;
  if (::sched_getaffinity(tid, sizeof set, &set) != 0) return cpus;
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu)
    if (CPU_ISSET(cpu, &set)) cpus.push_back(cpu);
  return cpus;
}

using loops_test = frontend_test;

TEST_P(loops_test, EachLoopAcceptsOnAListenerOfItsOwn) {
  auto o = options();
  o.threads = 3;
  start(o);
  EXPECT_EQ(listeners_on(port()), 3);
  EXPECT_EQ(fe_->stats().accepted_by_loop.size(), 3u);
}

TEST_P(loops_test, ConnectionsAreSpreadOverTheLoops) {
  auto o = options();
  o.threads = 2;
  start(o);
  constexpr std::uint64_t kClients = 64;  // all on one loop by chance: 2^-63
  for (std::uint64_t i = 0; i < kClients; ++i) {
    test_client c(port());
    ASSERT_TRUE(c.send(get("/hello")));
    auto r = c.read_response();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
  }
  auto by_loop = fe_->stats().accepted_by_loop;
  ASSERT_EQ(by_loop.size(), 2u);
  EXPECT_EQ(std::accumulate(by_loop.begin(), by_loop.end(), std::uint64_t{0}), kClients);
  EXPECT_GT(by_loop[0], 0u) << "loop 1 took all " << by_loop[1];
  EXPECT_GT(by_loop[1], 0u) << "loop 0 took all " << by_loop[0];
}

TEST_P(loops_test, PinnedLoopsRunEachOnOneCoreOfTheirOwn) {
  const auto allowed = affinity_of(0);
  ASSERT_FALSE(allowed.empty());
  for (bool pin : {false, true}) {
    auto before = threads_of_this_process();
    auto o = options();
    o.threads = 2;
    o.pin_threads = pin;
    start(o);
    std::vector<std::vector<int>> loops;
    for (pid_t tid : threads_of_this_process())
      if (!before.contains(tid)) loops.push_back(affinity_of(tid));
    ASSERT_EQ(loops.size(), 2u) << "threads the front end started";
    if (!pin) {  // the control: loops run wherever the process may
      for (const auto& cpus : loops) EXPECT_EQ(cpus, allowed);
    } else {
      ASSERT_EQ(loops[0].size(), 1u);
      ASSERT_EQ(loops[1].size(), 1u);
      for (const auto& cpus : loops) {
        EXPECT_TRUE(std::find(allowed.begin(), allowed.end(), cpus[0]) != allowed.end());
      }
      if (allowed.size() >= 2) {
        EXPECT_NE(loops[0][0], loops[1][0]) << "both on one core";
      }
    }
    test_client c(port());  // pinned or not, they serve
    ASSERT_TRUE(c.send(get("/hello")));
    auto r = c.read_response();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    fe_->stop();
    fe_.reset();
  }
}

INSTANTIATE_TEST_SUITE_P(frontends, loops_test, ::testing::ValuesIn(loop_frontends()),
                         frontend_test_name);

}  // namespace
}  // namespace httpcore::test
