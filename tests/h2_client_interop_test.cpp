// h2::client_session against a real peer over loopback TCP: nghttpd
// (nghttp2's own server, scripts/bootstrap installs nghttp2-server), with
// prior knowledge (h2c). A missing nghttpd fails the test.
//
// nghttpd serves files from a folder we fill, echoes request bodies
// (--echo-upload), adds a trailer to every response with a body, and allows
// 20 concurrent streams: a 1 MiB file comes whole through our flow control,
// bodies given whole and streamed come back, the server's stream limit is
// honoured by the client, a reset stream leaves the connection usable, and
// our GOAWAY ends the connection cleanly.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "httpcore/h2/client.hpp"

namespace httpcore::h2::test {
namespace {

namespace fs = std::filesystem;
using kind = client_event::kind;
using steady = std::chrono::steady_clock;

constexpr const char* kNghttpd = "/usr/sbin/nghttpd";

struct seen {
  int status = 0;
  std::string body;
  std::vector<field> trailers;
  bool ended = false, reset = false;
  std::uint32_t code = 0;
};

std::string random_bytes(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (char& c : s) c = static_cast<char>(rng());
  return s;
}

// A port free now (the kernel's choice), for nghttpd, which takes no 0.
int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

class nghttpd_peer : public ::testing::Test {
 protected:
  fs::path dir;
  pid_t pid = -1;
  int port = 0;
  int fd = -1;
  std::string big = random_bytes(1u << 20, 1);

  void SetUp() override {
    ASSERT_EQ(::access(kNghttpd, X_OK), 0) << kNghttpd << " missing: run scripts/bootstrap";
    char tmpl[] = "/tmp/httpcore-h2-interop.XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir = tmpl;
    std::ofstream(dir / "big.bin", std::ios::binary) << big;
    std::ofstream(dir / "small.txt") << "small\n";
    for (int attempt = 0; attempt < 5 && fd < 0; ++attempt) {
      port = free_port();
      start();
      fd = connect_within(std::chrono::seconds(10));
      if (fd < 0) stop();
    }
    ASSERT_GE(fd, 0) << "nghttpd did not accept on 127.0.0.1";
  }
  void TearDown() override {
    if (fd >= 0) ::close(fd);
    stop();
    fs::remove_all(dir);
  }

  void start() {
    std::string p = std::to_string(port), d = dir.string();
    pid = ::fork();
    if (pid == 0) {
      ::execl(kNghttpd, kNghttpd, "--no-tls", "-a", "127.0.0.1", "-d", d.c_str(), "--echo-upload",
              "--trailer", "x-interop: yes", "-m", "20", p.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
  }
  void stop() {
    if (pid <= 0) return;
    ::kill(pid, SIGTERM);
    ::waitpid(pid, nullptr, 0);
    pid = -1;
  }
  int connect_within(steady::duration limit) {
    auto deadline = steady::now() + limit;
    while (steady::now() < deadline) {
      int s = ::socket(AF_INET, SOCK_STREAM, 0);
      sockaddr_in a{};
      a.sin_family = AF_INET;
      a.sin_port = htons(static_cast<std::uint16_t>(port));
      a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      if (::connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) return s;
      ::close(s);
      if (::waitpid(pid, nullptr, WNOHANG) == pid) {
        pid = -1;
        return -1;  // it could not listen (the port was taken meanwhile)
      }
      ::usleep(20'000);
    }
    return -1;
  }

  client_session c;
  std::map<std::int32_t, seen> streams;
  bool peer_closed = false;
  std::string out;

  // Moves bytes over the socket and takes events (data consumed as taken)
  // until `done()` or 20 s pass; false on the deadline.
  template <class Done>
  bool pump(Done done) {
    auto deadline = steady::now() + std::chrono::seconds(20);
    while (!done()) {
      if (steady::now() > deadline) return false;
      c.produce(out, 64u << 10);
      pollfd p{fd, static_cast<short>(POLLIN | (out.empty() ? 0 : POLLOUT)), 0};
      if (::poll(&p, 1, 100) < 0) return false;
      if ((p.revents & POLLOUT) && !out.empty()) {
        ssize_t n = ::send(fd, out.data(), out.size(), MSG_NOSIGNAL);
        if (n > 0) out.erase(0, static_cast<std::size_t>(n));
      }
      if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
        char buf[16384];
        ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n > 0) {
          c.receive({reinterpret_cast<const std::byte*>(buf), static_cast<std::size_t>(n)});
        } else if (n == 0 && !peer_closed) {
          peer_closed = true;
          c.on_peer_closed();
        }
      }
      while (auto e = c.next_event()) {
        seen& s = streams[e->stream];
        switch (e->what) {
          case kind::response_head:
            s.status = e->status;
            break;
          case kind::data:
            s.body += e->data;
            EXPECT_TRUE(c.consume(e->stream, e->data.size()));
            break;
          case kind::trailers:
            s.trailers = e->fields;
            break;
          case kind::stream_end:
            s.ended = true;
            break;
          case kind::stream_reset:
            s.reset = true;
            s.code = e->error_code;
            break;
          default:
            break;
        }
      }
      if (peer_closed && out.empty()) return done();
    }
    return true;
  }
  std::int32_t get(std::string_view path) {
    return c.submit({.method = "GET", .scheme = "http", .authority = "127.0.0.1", .path = path});
  }
  static std::string trailer(const seen& s, std::string_view name) {
    for (const auto& [n, v] : s.trailers)
      if (n == name) return v;
    return "";
  }
};

TEST_F(nghttpd_peer, FilesBodiesLimitsResetAndGoaway) {
  // A 1 MiB file through our windows (64 KiB a stream, 1 MiB the
  // connection), given back as consumed; its trailer; a 404.
  std::int32_t file = get("/big.bin");
  std::int32_t missing = get("/no-such-file");
  ASSERT_TRUE(pump([&] { return streams[file].ended && streams[missing].ended; }));
  EXPECT_EQ(streams[file].status, 200);
  EXPECT_EQ(streams[file].body.size(), big.size());
  EXPECT_TRUE(streams[file].body == big);
  EXPECT_EQ(trailer(streams[file], "x-interop"), "yes");
  EXPECT_EQ(streams[missing].status, 404);

  // Bodies given whole and streamed, echoed back (--echo-upload).
  std::string whole = random_bytes(300'000, 2), streamed = random_bytes(200'000, 3);
  std::int32_t post = c.submit({.method = "POST",
                                .scheme = "http",
                                .authority = "127.0.0.1",
                                .path = "/echo",
                                .body = whole});
  std::int32_t put = c.submit({.method = "PUT",
                               .scheme = "http",
                               .authority = "127.0.0.1",
                               .path = "/echo",
                               .streamed = true});
  ASSERT_GT(post, 0);
  ASSERT_GT(put, 0);
  std::size_t sent = 0;
  ASSERT_TRUE(pump([&] {
    while (sent < streamed.size() && c.body_room(put) > 0) {
      std::size_t n = std::min(c.body_room(put), streamed.size() - sent);
      EXPECT_TRUE(c.write_body(put, std::string_view(streamed).substr(sent, n)));
      sent += n;
      if (sent == streamed.size()) {
        EXPECT_TRUE(c.end_body(put));
      }
    }
    return streams[post].ended && streams[put].ended;
  }));
  EXPECT_TRUE(streams[post].body == whole) << streams[post].body.size();
  EXPECT_TRUE(streams[put].body == streamed) << streams[put].body.size();

  // nghttpd allows 20 streams (-m 20): the client refuses the 21st itself.
  EXPECT_EQ(c.stream_capacity(), 20u);
  std::vector<std::int32_t> ids;
  for (int i = 0; i < 20; ++i) ids.push_back(get("/small.txt"));
  EXPECT_EQ(get("/small.txt"), 0);
  EXPECT_EQ(c.last_error(), client_error::too_many_streams);
  ASSERT_TRUE(pump([&] {
    for (auto id : ids)
      if (!streams[id].ended) return false;
    return true;
  }));
  for (auto id : ids) EXPECT_EQ(streams[id].body, "small\n");

  // A stream reset mid-file; the next request on the connection is served.
  std::int32_t cut = get("/big.bin");
  ASSERT_TRUE(pump([&] { return streams[cut].body.size() > 0; }));
  ASSERT_TRUE(c.reset(cut));
  std::int32_t after = get("/small.txt");
  ASSERT_TRUE(pump([&] { return streams[after].ended; }));
  EXPECT_TRUE(streams[cut].reset);
  EXPECT_LT(streams[cut].body.size(), big.size());
  EXPECT_EQ(streams[after].body, "small\n");

  // Our GOAWAY: nothing new is submitted, and the connection ends.
  c.shutdown();
  EXPECT_EQ(get("/small.txt"), 0);
  EXPECT_EQ(c.last_error(), client_error::going_away);
  ASSERT_TRUE(pump([&] { return c.finished(); }));
  EXPECT_EQ(c.error(), client_error::none);
}

}  // namespace
}  // namespace httpcore::h2::test
