// ws_client_interop: our WebSocket client role against a real server over a
// real socket. The pieces are the core's: client_handshake for the opening
// handshake, the h1 parser for the 101 response, ws::parser in the client
// role for the server's frames, append_frame with a fresh random masking key
// per frame, and (when built with httpcore::ws_deflate and asked for)
// permessage-deflate. The server is expected to echo every message
// (tests/interop/ws_client_interop.py starts python3-websockets for it).
//
// usage: ws_client_interop HOST PORT [--deflate[=BITS]]
//   --deflate offers permessage-deflate as client_handshake does by default;
//   --deflate=BITS also asks the server for server_max_window_bits=BITS.
// Prints one line per check; exits 0 when all passed, 1 otherwise.

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>

#include "httpcore/h1/parser.hpp"
#include "httpcore/ws/close_code.hpp"
#include "httpcore/ws/handshake.hpp"
#include "httpcore/ws/parser.hpp"
#include "httpcore/ws/utf8.hpp"
#include "httpcore/ws/writer.hpp"
#if HTTPCORE_HAVE_WS_DEFLATE
#include "httpcore/ws/deflate.hpp"
#endif

namespace {

using namespace httpcore;

struct failure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A blocking TCP connection with a read timeout, so a silent server fails
// the check instead of hanging the test.
class tcp_connection {
 public:
  tcp_connection(const char* host, const char* port) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    if (getaddrinfo(host, port, &hints, &found) != 0 || !found)
      throw failure("cannot resolve the server address");
    fd_ = socket(found->ai_family, found->ai_socktype, found->ai_protocol);
    int rc = fd_ < 0 ? -1 : connect(fd_, found->ai_addr, found->ai_addrlen);
    freeaddrinfo(found);
    if (rc != 0) throw failure(std::string("cannot connect: ") + std::strerror(errno));
    timeval timeout{5, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    int one = 1;
    setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  ~tcp_connection() {
    if (fd_ >= 0) close(fd_);
  }
  tcp_connection(const tcp_connection&) = delete;
  tcp_connection& operator=(const tcp_connection&) = delete;

  void write_all(std::string_view bytes) {
    while (!bytes.empty()) {
      ssize_t n = send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) throw failure(std::string("send failed: ") + std::strerror(errno));
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
  }
  // Appends what arrives to `in`; false when the peer ended the connection.
  bool read_some(std::string& in) {
    char chunk[65536];
    ssize_t n = recv(fd_, chunk, sizeof chunk, 0);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
      throw failure("nothing from the server within 5 s");
    if (n < 0 && errno == ECONNRESET) return false;
    if (n < 0) throw failure(std::string("recv failed: ") + std::strerror(errno));
    in.append(chunk, static_cast<std::size_t>(n));
    return n > 0;
  }

 private:
  int fd_ = -1;
};

// What the server sent: a whole message, a control frame, or the end of TCP.
struct received {
  enum kind_t { message, ping, pong, close, eof } kind = eof;
  ws::opcode type = ws::opcode::binary;
  std::string data;  // message payload (inflated), or the control payload
  bool was_compressed = false;
  std::uint16_t close_code = 0;
};

class client {
 public:
  // server_bits: 0 for no permessage-deflate offer, else the server window
  // asked for (15: none asked, the default offer).
  client(const char* host, const char* port, int server_bits) : tcp_(host, port) {
    std::array<std::uint8_t, 16> nonce{};
    for (auto& b : nonce) b = static_cast<std::uint8_t>(random_());
    std::string authority = std::string(host) + ":" + port;
    ws::client_options options;
    options.host = authority;
    options.target = "/ws/echo";  // httpcore serve's echo; websockets serves any path
    if (server_bits) {
      options.deflate = ws::deflate_options{};
      options.deflate->server_max_window_bits = server_bits;
    }
    ws::client_handshake handshake(options, nonce);
    std::string request;
    if (handshake.write_request(request) != h1::serialize_error::ok)
      throw failure("client_handshake could not write the request");
    tcp_.write_all(request);

    std::size_t head_end;
    while ((head_end = in_.find("\r\n\r\n")) == std::string::npos)
      if (!tcp_.read_some(in_)) throw failure("connection closed during the handshake");
    head_end += 4;
    h1::parser head_parser(h1::role::client);
    head_parser.set_request_method(method::get);
    auto r = head_parser.feed(std::string_view(in_).substr(0, head_end));
    auto* head = std::get_if<h1::response_head>(&r.ev);
    if (r.err || !head) throw failure("the response head does not parse");
    if (head->status != 101) throw failure("status " + std::to_string(head->status));
    auto checked = handshake.check_response(*head);
    if (!checked) throw failure("check_response: " + std::string(checked.error_name()));
    in_.erase(0, head_end);  // frames the server sent right after the head stay
    deflate_agreed_ = checked.deflate.has_value();
#if HTTPCORE_HAVE_WS_DEFLATE
    if (checked.deflate) deflate_.emplace(ws::deflate_stream::for_client(*checked.deflate));
#endif
    parser_ = ws::parser(ws::role::client, ws::limits{}, ws::parser_options{deflate_agreed_});
  }

  bool deflate_agreed() const {
    return deflate_agreed_;
  }
  bool can_compress() const {
#if HTTPCORE_HAVE_WS_DEFLATE
    return deflate_.has_value();
#else
    return false;
#endif
  }

  // Sends one message in `fragments` frames, each masked with its own key.
  void send_message(ws::opcode type, std::string_view data, std::size_t fragments = 1,
                    bool compress = false) {
    std::string payload(data);
#if HTTPCORE_HAVE_WS_DEFLATE
    if (compress) payload = deflate_->sender().compress_message(data);
#else
    if (compress) throw failure("built without httpcore::ws_deflate");
#endif
    std::string out;
    std::size_t piece = payload.size() / fragments;
    for (std::size_t i = 0, at = 0; i < fragments; ++i) {
      std::size_t n = i + 1 == fragments ? payload.size() - at : piece;
      ws::masking_key key = random_key();
      append_frame(out, i == 0 ? type : ws::opcode::continuation,
                   std::string_view(payload).substr(at, n), i + 1 == fragments, compress && i == 0,
                   &key);
      at += n;
    }
    tcp_.write_all(out);
  }

  void send_control(ws::opcode op, std::string_view payload) {
    std::string out;
    ws::masking_key key = random_key();
    append_frame(out, op, payload, true, false, &key);
    tcp_.write_all(out);
  }

  // The next message or control frame, built from the parser's events.
  received receive() {
    received msg;
    std::string raw;  // the message's payload as it came (compressed or not)
    bool in_message = false;
    for (;;) {
      auto bytes = std::as_writable_bytes(std::span<char>(in_.data(), in_.size()));
      ws::result r = parser_.feed(bytes);
      if (r.err)
        throw failure("our parser rejected the server's frames: " + std::string(r.err.name()));
      bool done = false;
      if (std::holds_alternative<ws::need_more>(r.ev)) {
        in_.erase(0, r.consumed);
        if (!tcp_.read_some(in_)) {
          if (in_message) throw failure("connection ended inside a message");
          msg.kind = received::eof;
          return msg;
        }
        continue;
      }
      if (auto* begin = std::get_if<ws::data_frame_begin>(&r.ev)) {
        in_message = true;
        msg.type = begin->message_type;
        msg.was_compressed = begin->compressed;
      } else if (auto* piece = std::get_if<ws::data_payload>(&r.ev)) {
        raw += piece->text();
      } else if (auto* end = std::get_if<ws::data_frame_end>(&r.ev)) {
        done = end->message_end;
      } else if (auto* control = std::get_if<ws::control_frame>(&r.ev)) {
        msg.data.assign(reinterpret_cast<const char*>(control->payload.data()),
                        control->payload.size());
        msg.close_code = control->close_code;
        msg.kind = control->op == ws::opcode::ping   ? received::ping
                   : control->op == ws::opcode::pong ? received::pong
                                                     : received::close;
        in_.erase(0, r.consumed);
        return msg;
      }
      in_.erase(0, r.consumed);
      if (done) {
        msg.kind = received::message;
        msg.data = msg.was_compressed ? inflate(raw) : raw;
        if (msg.type == ws::opcode::text && msg.was_compressed) {
          ws::utf8_validator utf8;  // the parser cannot check compressed text
          if (!utf8.feed(msg.data) || !utf8.complete())
            throw failure("the server's compressed text is not UTF-8");
        }
        return msg;
      }
    }
  }

 private:
  std::string inflate([[maybe_unused]] const std::string& raw) {
#if HTTPCORE_HAVE_WS_DEFLATE
    std::string out;
    auto e = deflate_->receiver().inflate_message(raw, out);
    if (e != ws::inflate_error::none)
      throw failure("inflating the server's message: " + std::string(ws::inflate_error_name(e)));
    return out;
#else
    throw failure("the server compressed a message but we have no httpcore::ws_deflate");
#endif
  }

  ws::masking_key random_key() {
    ws::masking_key key;
    for (auto& b : key) b = static_cast<std::byte>(random_());
    return key;
  }

  tcp_connection tcp_;
  std::random_device random_;
  std::string in_;
  ws::parser parser_{ws::role::client};
  bool deflate_agreed_ = false;
#if HTTPCORE_HAVE_WS_DEFLATE
  std::optional<ws::deflate_stream> deflate_;
#endif
};

int failures = 0;
int compressed_echoes = 0;

void report(bool ok, const std::string& what, const std::string& detail = {}) {
  std::printf("%s %s%s%s\n", ok ? "ok  " : "FAIL", what.c_str(), detail.empty() ? "" : ": ",
              detail.c_str());
  if (!ok) ++failures;
}

// Sends a message and checks that the echo is the same message.
void echo_check(client& c, const std::string& what, ws::opcode type, const std::string& data,
                std::size_t fragments = 1, bool compress = false) {
  c.send_message(type, data, fragments, compress);
  received r = c.receive();
  while (r.kind == received::ping) {  // answer a server's heartbeat, keep waiting
    c.send_control(ws::opcode::pong, r.data);
    r = c.receive();
  }
  if (r.kind != received::message)
    return report(false, what,
                  "expected the echo, got something else (kind " + std::to_string(r.kind) + ")");
  if (r.was_compressed) ++compressed_echoes;
  if (r.type != type) return report(false, what, "echo has another message type");
  if (r.data != data)
    return report(false, what,
                  "echo differs (" + std::to_string(r.data.size()) + " bytes, sent " +
                      std::to_string(data.size()) + ")");
  report(true, what);
}

std::string random_bytes(std::size_t n, std::mt19937& gen) {
  std::string s(n, '\0');
  for (auto& ch : s) ch = static_cast<char>(gen());
  return s;
}

void run(const char* host, const char* port, int server_bits) {
  bool want_deflate = server_bits != 0;
  client c(host, port, server_bits);
  report(true, "handshake (client_handshake + check_response)");
  if (want_deflate)
    report(c.deflate_agreed(), "permessage-deflate agreed",
           c.deflate_agreed() ? "" : "the server did not accept the offer");

  std::mt19937 gen(20261122);
  echo_check(c, "text", ws::opcode::text, "Hello, interop!");
  echo_check(c, "text with multi-byte UTF-8", ws::opcode::text, "κόσμε 😀 Grüße");
  echo_check(c, "empty text", ws::opcode::text, "");
  std::string all_bytes;
  for (int i = 0; i < 256; ++i) all_bytes += static_cast<char>(i);
  echo_check(c, "binary, every byte value (16-bit length)", ws::opcode::binary, all_bytes);
  echo_check(c, "binary 70000 bytes (64-bit length)", ws::opcode::binary, random_bytes(70000, gen));
  echo_check(c, "text in 3 fragments", ws::opcode::text, "fragment one, two and three", 3);
  echo_check(c, "binary 4096 bytes in 5 fragments", ws::opcode::binary, random_bytes(4096, gen), 5);

  c.send_control(ws::opcode::ping, "are you there?");
  received pong = c.receive();
  report(pong.kind == received::pong && pong.data == "are you there?", "ping answered by pong");

  if (want_deflate && c.can_compress()) {
    std::string prose;
    for (int i = 0; i < 400; ++i) prose += "the quick brown fox jumps over the lazy dog. ";
    echo_check(c, "compressed text 18 KB", ws::opcode::text, prose, 1, true);
    echo_check(c, "compressed text again (context takeover)", ws::opcode::text, prose, 1, true);
    echo_check(c, "compressed binary 100000 bytes", ws::opcode::binary,
               std::string(50000, 'z') + random_bytes(50000, gen), 1, true);
    echo_check(c, "compressed text in 4 fragments", ws::opcode::text, prose.substr(0, 3000), 4,
               true);
    report(compressed_echoes > 0, "the server compressed its echoes",
           std::to_string(compressed_echoes) + " compressed");
  }

  c.send_control(ws::opcode::close, ws::close_payload(ws::close_code::normal, "bye"));
  received closing = c.receive();
  report(closing.kind == received::close && closing.close_code == ws::close_code::normal,
         "close handshake: the server answers close 1000",
         closing.kind == received::close ? "code " + std::to_string(closing.close_code) : "");
  received end = c.receive();
  report(end.kind == received::eof, "the server ends the TCP connection after the close");
}

}  // namespace

int main(int argc, char** argv) {
  int server_bits = 0;  // no permessage-deflate offer
  if (argc == 4 && std::string_view(argv[3]) == "--deflate") server_bits = 15;
  if (argc == 4 && std::string_view(argv[3]).starts_with("--deflate=")) {
    server_bits = std::atoi(argv[3] + 10);
    if (server_bits < 8 || server_bits > 15) server_bits = -1;
  }
  if (argc < 3 || argc > 4 || (argc == 4 && server_bits <= 0)) {
    std::fprintf(stderr, "usage: ws_client_interop HOST PORT [--deflate[=8..15]]\n");
    return 2;
  }
#if !HTTPCORE_HAVE_WS_DEFLATE
  if (server_bits) std::printf("note: built without httpcore::ws_deflate: no deflate offered\n");
  server_bits = 0;
#endif
  try {
    run(argv[1], argv[2], server_bits);
  } catch (const failure& e) {
    report(false, "interop", e.what());
  }
  std::printf("%d failed\n", failures);
  return failures ? 1 : 0;
}
