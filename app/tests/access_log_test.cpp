// The access log's queue (issue 16, finding 8): writing a line never waits
// for the destination; a destination that does not keep up loses lines, each
// counted; stop() returns promptly whatever the destination does.

#include "access_log.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <string>
#include <thread>
#include <vector>

namespace httpcore::app {
namespace {

using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

struct pipe_pair {
  int fds[2] = {-1, -1};
  pipe_pair() { EXPECT_EQ(::pipe(fds), 0); }
  ~pipe_pair() {
    for (int fd : fds)
      if (fd >= 0) ::close(fd);
  }
  // Everything in the pipe now (the write end must be closed or idle).
  std::string drain() {
    ::fcntl(fds[0], F_SETFL, O_NONBLOCK);
    std::string text;
    char buf[65536];
    for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;)
      text.append(buf, static_cast<std::size_t>(n));
    return text;
  }
};

std::string line(int thread, int i) {
  return "{\"thread\":" + std::to_string(thread) + ",\"i\":" + std::to_string(i) + ",\"pad\":\"" +
         std::string(300, 'p') + "\"}\n";
}

std::size_t count_lines(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

TEST(AccessLog, EveryLineArrivesWholeAndInOrderWhenTheReaderKeepsUp) {
  pipe_pair p;
  std::string got;
  std::thread reader([&] {
    char buf[65536];
    for (ssize_t n; (n = ::read(p.fds[0], buf, sizeof buf)) > 0;)
      got.append(buf, static_cast<std::size_t>(n));
  });
  constexpr int kThreads = 4, kLines = 2000;
  {
    access_log log(p.fds[1], 64u << 20);  // room for all: nothing may be dropped
    std::vector<std::thread> writers;
    for (int t = 0; t < kThreads; ++t)
      writers.emplace_back([&log, t] {
        for (int i = 0; i < kLines; ++i) log.write(line(t, i));
      });
    for (auto& w : writers) w.join();
    log.stop();
    EXPECT_EQ(log.dropped(), 0u);
  }
  ::close(p.fds[1]);
  p.fds[1] = -1;
  reader.join();
  ASSERT_EQ(count_lines(got), std::size_t{kThreads * kLines});
  std::vector<int> next(kThreads, 0);
  for (std::size_t at = 0; at < got.size();) {
    std::size_t end = got.find('\n', at);
    std::string one = got.substr(at, end + 1 - at);
    int t = one[10] - '0';
    ASSERT_EQ(one, line(t, next[t]++)) << "a line was cut or lines came out of order";
    at = end + 1;
  }
}

TEST(AccessLog, APipeNobodyReadsNeitherBlocksWritersNorStop) {
  pipe_pair p;  // the read end stays open and unread
  constexpr int kLines = 20000;
  auto began = clock_type::now();
  access_log log(p.fds[1], 256u << 10);
  for (int i = 0; i < kLines; ++i) log.write(line(0, i));
  auto writing = clock_type::now() - began;
  auto stop_began = clock_type::now();
  log.stop();
  auto stopping = clock_type::now() - stop_began;
  EXPECT_LT(writing, 2s) << "writes waited for the pipe";
  EXPECT_LT(stopping, 1s);
  // Every line is either in the pipe, whole, or counted as dropped.
  std::string in_pipe = p.drain();
  EXPECT_GT(log.dropped(), 0u);
  EXPECT_GT(count_lines(in_pipe), 100u) << "the pipe was filled first";
  EXPECT_EQ(in_pipe.back(), '\n') << "a line was cut when the writer gave up";
  EXPECT_EQ(count_lines(in_pipe) + log.dropped(), std::size_t{kLines});
}

TEST(AccessLog, AReaderThatGoesAwayLosesTheLinesNotTheWriter) {
  std::signal(SIGPIPE, SIG_IGN);  // as httpcore serve does
  pipe_pair p;
  ::close(p.fds[0]);
  p.fds[0] = -1;
  access_log log(p.fds[1]);
  for (int i = 0; i < 100; ++i) log.write(line(0, i));
  log.flush();
  EXPECT_EQ(log.dropped(), 100u);
  log.stop();
  log.write(line(0, 100));  // after stop(): dropped, not queued
  EXPECT_EQ(log.dropped(), 101u);
}

}  // namespace
}  // namespace httpcore::app
