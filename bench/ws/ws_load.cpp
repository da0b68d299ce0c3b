// httpcore-bench-ws-load: the load client of the WebSocket echo benchmark
// (bench/ws/run). One thread, one epoll set, N connections; each does the
// HTTP/1.1 upgrade itself and then keeps exactly one message of S bytes in
// flight: send it (masked, as a client must), wait for the whole echoed
// message, check it, send the next. After a warm-up, it counts the messages
// echoed during D seconds and times each round trip.
//
// It is built to cost the client as little as possible, so that the server is
// what is measured: each connection's frame is masked once at start-up and
// then resent as is (the same masking key every time: servers unmask every
// frame whatever the key, so their work is the same), the echo is read with
// one recv() per readiness event, and a message costs the client one send(),
// one recv() and a share of one epoll_wait(). It reports its own CPU use, which
// must stay well below 100% of its core for the result to be the server's.
//
// usage: httpcore-bench-ws-load --port N [--host 127.0.0.1] [--path /ws/echo]
//          [--connections 64] [--size 20] [--duration 5] [--warmup 1] [--text]
// prints one JSON object: msgs_per_s, p50_us, p99_us, messages, client_cpu, ...
// Exit status: 0 done, 1 failure during the run, 2 usage, 3 upgrade refused.

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <vector>

namespace {

struct options {
  std::string host = "127.0.0.1";
  int port = 0;
  std::string path = "/ws/echo";
  int connections = 64;
  std::size_t size = 20;
  double duration = 5;
  double warmup = 1;
  bool text = false;
};

// RFC 6455 section 1.3's example key and the accept value it must produce.
constexpr const char* kKey = "dGhlIHNhbXBsZSBub25jZQ==";
constexpr const char* kAccept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

[[noreturn]] void fail(int status, const std::string& why) {
  std::fprintf(stderr, "ws_load: %s\n", why.c_str());
  std::exit(status);
}

std::int64_t now_ns() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return std::int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

double cpu_seconds() {
  rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

// The payload a connection sends and expects back.
std::string make_payload(const options& o) {
  std::string p(o.size, '\0');
  for (std::size_t i = 0; i < o.size; ++i) {
    p[i] = o.text ? static_cast<char>('a' + i % 26) : static_cast<char>((i * 131 + 7) & 0xff);
  }
  return p;
}

// A client frame (FIN set, masked) carrying the whole payload.
std::string make_frame(const options& o, const std::string& payload, std::uint32_t key) {
  std::string f;
  f.push_back(static_cast<char>(0x80 | (o.text ? 0x1 : 0x2)));
  const std::size_t n = payload.size();
  if (n < 126) {
    f.push_back(static_cast<char>(0x80 | n));
  } else if (n <= 0xffff) {
    f.push_back(static_cast<char>(0x80 | 126));
    f.push_back(static_cast<char>(n >> 8));
    f.push_back(static_cast<char>(n & 0xff));
  } else {
    f.push_back(static_cast<char>(0x80 | 127));
    for (int shift = 56; shift >= 0; shift -= 8)
      f.push_back(static_cast<char>((n >> shift) & 0xff));
  }
  const unsigned char mask[4] = {
      static_cast<unsigned char>(key >> 24), static_cast<unsigned char>(key >> 16),
      static_cast<unsigned char>(key >> 8), static_cast<unsigned char>(key)};
  f.append(reinterpret_cast<const char*>(mask), 4);
  for (std::size_t i = 0; i < n; ++i) {
    f.push_back(static_cast<char>(static_cast<unsigned char>(payload[i]) ^ mask[i % 4]));
  }
  return f;
}

struct connection {
  int fd = -1;
  std::string frame;     // the masked frame, resent for every message
  std::size_t sent = 0;  // bytes of `frame` written for the current message
  std::vector<char> in;  // received bytes not yet consumed
  std::size_t in_len = 0;
  std::size_t message_len = 0;  // payload bytes of the current message so far
  bool first_fragment = true;
  std::int64_t sent_at = 0;
  bool want_out = false;
};

int connect_to(const options& o) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) fail(1, std::string("socket: ") + std::strerror(errno));
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(static_cast<std::uint16_t>(o.port));
  if (inet_pton(AF_INET, o.host.c_str(), &sa.sin_addr) != 1) fail(2, "bad --host " + o.host);
  if (connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) {
    fail(1, "connect to " + o.host + ":" + std::to_string(o.port) + ": " + std::strerror(errno));
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The opening handshake, blocking (before the clock starts): send the upgrade
// request, read the response head, require 101 and the right accept value.
// Bytes after the head (none are expected) stay in c.in.
void upgrade(const options& o, connection& c) {
  std::string req = "GET " + o.path + " HTTP/1.1\r\nHost: " + o.host + ":" +
                    std::to_string(o.port) +
                    "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + kKey +
                    "\r\nSec-WebSocket-Version: 13\r\n\r\n";
  if (send(c.fd, req.data(), req.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(req.size())) {
    fail(1, "sending the upgrade request failed");
  }
  std::string head;
  char buf[4096];
  std::size_t end;
  while ((end = head.find("\r\n\r\n")) == std::string::npos) {
    ssize_t n = recv(c.fd, buf, sizeof buf, 0);
    if (n <= 0) fail(3, "the server closed the connection during the upgrade");
    head.append(buf, static_cast<std::size_t>(n));
  }
  std::string status = head.substr(0, head.find("\r\n"));
  if (status.rfind("HTTP/1.1 101", 0) != 0) {
    fail(3, "upgrade refused on " + o.path + ": the server answered \"" + status + "\"");
  }
  std::string h = lower(head.substr(0, end));
  std::size_t at = h.find("\r\nsec-websocket-accept:");
  if (at == std::string::npos || head.find(kAccept, at) == std::string::npos) {
    fail(3, "the 101 response has no or a wrong Sec-WebSocket-Accept");
  }
  std::size_t rest = head.size() - (end + 4);
  std::memcpy(c.in.data(), head.data() + end + 4, rest);
  c.in_len = rest;
}

class load {
 public:
  explicit load(const options& o) : o_(o), payload_(make_payload(o)) {
    ep_ = epoll_create1(0);
    if (ep_ < 0) fail(1, std::string("epoll_create1: ") + std::strerror(errno));
    conns_.resize(static_cast<std::size_t>(o.connections));
    std::uint32_t key = 0x9e3779b9u;
    for (std::size_t i = 0; i < conns_.size(); ++i) {
      connection& c = conns_[i];
      c.fd = connect_to(o);
      c.in.resize(o.size + 64 * 1024);
      upgrade(o, c);
      key = key * 1664525u + 1013904223u;
      c.frame = make_frame(o, payload_, key);
      int fl = fcntl(c.fd, F_GETFL);
      if (fl < 0 || fcntl(c.fd, F_SETFL, fl | O_NONBLOCK) != 0) {
        fail(1, "cannot make the socket non-blocking");
      }
      epoll_event ev{};
      ev.events = EPOLLIN;
      ev.data.u64 = i;
      if (epoll_ctl(ep_, EPOLL_CTL_ADD, c.fd, &ev) != 0) fail(1, "epoll_ctl ADD failed");
    }
  }

  void run() {
    const std::int64_t start = now_ns();
    measure_from_ = start + static_cast<std::int64_t>(o_.warmup * 1e9);
    measure_to_ = measure_from_ + static_cast<std::int64_t>(o_.duration * 1e9);
    latencies_.reserve(1 << 20);
    for (connection& c : conns_) start_message(c, start);
    std::vector<epoll_event> events(conns_.size());
    bool measuring = false;
    double cpu0 = 0;
    for (;;) {
      int n = epoll_wait(ep_, events.data(), static_cast<int>(events.size()), 100);
      if (n < 0 && errno != EINTR) fail(1, std::string("epoll_wait: ") + std::strerror(errno));
      const std::int64_t now = now_ns();
      if (!measuring && now >= measure_from_) {
        measuring = true;
        cpu0 = cpu_seconds();
        wall0_ = now;
      }
      if (now >= measure_to_) {
        client_cpu_ = (cpu_seconds() - cpu0) / (static_cast<double>(now - wall0_) / 1e9);
        break;
      }
      for (int i = 0; i < n; ++i) {
        connection& c = conns_[events[i].data.u64];
        if (events[i].events & EPOLLOUT) flush(c, now);
        if (events[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP)) readable(c, now);
      }
    }
    for (connection& c : conns_) close(c.fd);
  }

  void report() {
    std::sort(latencies_.begin(), latencies_.end());
    auto pct = [&](double q) {
      if (latencies_.empty()) return 0.0;
      std::size_t i =
          std::min(latencies_.size() - 1,
                   static_cast<std::size_t>(q * static_cast<double>(latencies_.size())));
      return static_cast<double>(latencies_[i]) / 1e3;
    };
    std::printf(
        "{\"msgs_per_s\": %.1f, \"p50_us\": %.1f, \"p99_us\": %.1f, \"messages\": %zu, "
        "\"connections\": %d, \"size\": %zu, \"type\": \"%s\", \"duration_s\": %.3f, "
        "\"client_cpu\": %.3f, \"total_messages\": %zu}\n",
        static_cast<double>(latencies_.size()) / o_.duration, pct(0.50), pct(0.99),
        latencies_.size(), o_.connections, o_.size, o_.text ? "text" : "binary", o_.duration,
        client_cpu_, echoed_);
  }

 private:
  void start_message(connection& c, std::int64_t now) {
    c.sent = 0;
    c.sent_at = now;
    flush(c, now);
  }

  void flush(connection& c, std::int64_t) {
    while (c.sent < c.frame.size()) {
      ssize_t n = send(c.fd, c.frame.data() + c.sent, c.frame.size() - c.sent, MSG_NOSIGNAL);
      if (n < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK) break;
        if (errno == EINTR) continue;
        fail(1, std::string("send: ") + std::strerror(errno));
      }
      c.sent += static_cast<std::size_t>(n);
    }
    bool want_out = c.sent < c.frame.size();
    if (want_out != c.want_out) {
      epoll_event ev{};
      ev.events = EPOLLIN | (want_out ? EPOLLOUT : 0u);
      ev.data.u64 = static_cast<std::uint64_t>(&c - conns_.data());
      epoll_ctl(ep_, EPOLL_CTL_MOD, c.fd, &ev);
      c.want_out = want_out;
    }
  }

  void readable(connection& c, std::int64_t now) {
    ssize_t n = recv(c.fd, c.in.data() + c.in_len, c.in.size() - c.in_len, 0);
    if (n == 0) fail(1, "the server closed a connection during the run");
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return;
      fail(1, std::string("recv: ") + std::strerror(errno));
    }
    c.in_len += static_cast<std::size_t>(n);
    consume_frames(c, now);
  }

  // Every complete frame in c.in: data frames are checked against the payload
  // (a message may come in fragments); control frames (a ping) are skipped.
  void consume_frames(connection& c, std::int64_t now) {
    std::size_t pos = 0;
    for (;;) {
      const auto* b = reinterpret_cast<const unsigned char*>(c.in.data() + pos);
      std::size_t avail = c.in_len - pos;
      if (avail < 2) break;
      if (b[1] & 0x80) fail(1, "the server sent a masked frame");
      std::size_t len = b[1] & 0x7f, hdr = 2;
      if (len == 126) {
        if (avail < 4) break;
        len = std::size_t{b[2]} << 8 | b[3];
        hdr = 4;
      } else if (len == 127) {
        if (avail < 10) break;
        len = 0;
        for (int i = 2; i < 10; ++i) len = len << 8 | b[i];
        hdr = 10;
      }
      if (hdr + len > c.in.size()) fail(1, "frame larger than expected");
      if (avail < hdr + len) break;
      const unsigned opcode = b[0] & 0x0f;
      const bool fin = (b[0] & 0x80) != 0;
      if (opcode == 0x8) fail(1, "the server closed the WebSocket during the run");
      if (opcode < 0x8) {
        const unsigned want = o_.text ? 0x1 : 0x2;
        if ((c.first_fragment ? opcode != want : opcode != 0x0) ||
            c.message_len + len > payload_.size() ||
            std::memcmp(b + hdr, payload_.data() + c.message_len, len) != 0) {
          fail(1, "the echo differs from the message sent");
        }
        c.message_len += len;
        c.first_fragment = fin;
        if (fin) {
          if (c.message_len != payload_.size()) fail(1, "the echo is shorter than the message");
          c.message_len = 0;
          ++echoed_;
          if (now >= measure_from_ && now < measure_to_) latencies_.push_back(now - c.sent_at);
          start_message(c, now);
        }
      }
      pos += hdr + len;
    }
    if (pos > 0) {
      std::memmove(c.in.data(), c.in.data() + pos, c.in_len - pos);
      c.in_len -= pos;
    }
  }

  options o_;
  std::string payload_;
  int ep_ = -1;
  std::vector<connection> conns_;
  std::vector<std::int64_t> latencies_;
  std::int64_t measure_from_ = 0, measure_to_ = 0, wall0_ = 0;
  double client_cpu_ = 0;
  std::size_t echoed_ = 0;  // every echo, warm-up included (for the server's CPU per message)
};

options parse_args(int argc, char** argv) {
  options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--text") {
      o.text = true;
      continue;
    }
    if (i + 1 >= argc) fail(2, "missing value after " + a);
    std::string v = argv[++i];
    if (a == "--host") {
      o.host = v;
    } else if (a == "--port") {
      o.port = std::atoi(v.c_str());
    } else if (a == "--path") {
      o.path = v;
    } else if (a == "--connections") {
      o.connections = std::atoi(v.c_str());
    } else if (a == "--size") {
      o.size = static_cast<std::size_t>(std::atol(v.c_str()));
    } else if (a == "--duration") {
      o.duration = std::atof(v.c_str());
    } else if (a == "--warmup") {
      o.warmup = std::atof(v.c_str());
    } else {
      fail(2, "unknown option " + a);
    }
  }
  if (o.port <= 0 || o.port > 65535) fail(2, "--port is required");
  if (o.connections <= 0 || o.duration <= 0 || o.warmup < 0) fail(2, "bad option value");
  return o;
}
}  // namespace

int main(int argc, char** argv) {
  options o = parse_args(argc, argv);
  load l(o);
  l.run();
  l.report();
  return 0;
}
