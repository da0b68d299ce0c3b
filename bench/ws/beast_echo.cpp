// httpcore-bench-beast-echo: the peer of the WebSocket echo benchmark
// (bench/ws/run). A Boost.Beast WebSocket echo server on one thread with one
// io_context, as `httpcore serve --threads 1` runs on one thread: every
// connection is one websocket::stream that reads a whole message and writes it
// back with the same type (text or binary), then reads the next.
//
// Written for speed, so that the comparison is with Beast at its best: plain
// tcp::socket (no beast::tcp_stream, whose timers cost a little per
// operation), TCP_NODELAY, permessage-deflate off, no automatic
// fragmentation, and one flat_buffer per connection that is reused.
// Any path is accepted for the upgrade; a plain HTTP request is refused.
//
// usage: httpcore-bench-beast-echo [--host 127.0.0.1] [--port 9002]

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

namespace net = boost::asio;
namespace websocket = boost::beast::websocket;
using tcp = net::ip::tcp;
using error_code = boost::system::error_code;

namespace {

// One connection: accept the upgrade, then read, write back, repeat until the
// peer closes or fails. The shared_ptr held by each pending handler keeps it
// alive; it is freed when no operation is pending.
class echo_session : public std::enable_shared_from_this<echo_session> {
 public:
  explicit echo_session(tcp::socket socket) : ws_(std::move(socket)) {}

  void start() {
    websocket::permessage_deflate no_deflate;
    no_deflate.server_enable = false;
    no_deflate.client_enable = false;
    ws_.set_option(no_deflate);
    ws_.auto_fragment(false);
    ws_.read_message_max(16 * 1024 * 1024);
    ws_.async_accept([self = shared_from_this()](error_code ec) {
      if (!ec) self->read_next();
    });
  }

 private:
  void read_next() {
    ws_.async_read(buffer_, [self = shared_from_this()](error_code ec, std::size_t) {
      if (!ec) self->echo();
    });
  }

  void echo() {
    ws_.text(ws_.got_text());  // echo text as text, binary as binary
    ws_.async_write(buffer_.data(), [self = shared_from_this()](error_code ec, std::size_t) {
      if (ec) return;
      self->buffer_.clear();
      self->read_next();
    });
  }

  websocket::stream<tcp::socket> ws_;
  boost::beast::flat_buffer buffer_;
};

class listener {
 public:
  listener(net::io_context& ioc, const tcp::endpoint& at) : acceptor_(ioc) {
    acceptor_.open(at.protocol());
    acceptor_.set_option(net::socket_base::reuse_address(true));
    acceptor_.bind(at);
    acceptor_.listen(4096);
  }

  void accept_next() {
    acceptor_.async_accept([this](error_code ec, tcp::socket socket) {
      if (!ec) {
        error_code ignored;
        socket.set_option(tcp::no_delay(true), ignored);
        std::make_shared<echo_session>(std::move(socket))->start();
      }
      if (acceptor_.is_open()) accept_next();
    });
  }

  void close() {
    error_code ignored;
    acceptor_.close(ignored);
  }

 private:
  tcp::acceptor acceptor_;
};

[[noreturn]] void usage(const char* why) {
  std::fprintf(stderr, "httpcore-bench-beast-echo: %s\nusage: [--host ADDR] [--port N]\n", why);
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  std::string host = "127.0.0.1";
  unsigned short port = 9002;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (i + 1 >= argc) usage(("missing value after " + arg).c_str());
    if (arg == "--host") {
      host = argv[++i];
    } else if (arg == "--port") {
      port = static_cast<unsigned short>(std::atoi(argv[++i]));
    } else {
      usage(("unknown option " + arg).c_str());
    }
  }
  try {
    // Concurrency hint 1: one thread runs the io_context, so Asio skips its locks.
    net::io_context ioc{1};
    listener server(ioc, tcp::endpoint(net::ip::make_address(host), port));
    server.accept_next();
    net::signal_set signals(ioc, SIGINT, SIGTERM);
    signals.async_wait([&](error_code, int) { ioc.stop(); });
    ioc.run();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "httpcore-bench-beast-echo: %s\n", e.what());
    return 1;
  }
  return 0;
}
