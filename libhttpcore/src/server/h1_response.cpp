// The session's response_port: an HTTP/1 response onto the output queue,
// heads through the h1 serializer, bodies with a Content-Length or streamed
// (chunked for HTTP/1.1, until the close for HTTP/1.0) or streamed with a
// declared Content-Length.

#include <charconv>

#include "httpcore/h1/serializer.hpp"
#include "httpcore/server/session.hpp"
#include "server/exchange_state.hpp"

namespace httpcore::server {

// Writes the status line and fields, adding Date, Server, the framing field and
// Connection: close when this is the connection's last exchange.
bool session::write_head(int status, std::string_view reason, field_list f,
                         std::optional<std::uint64_t> length, bool streamed) {
  const h1::request_head* head = current_;
  bool head_only = head != nullptr && head->method_id == httpcore::method::head;
  h1_streamed_ = streamed;
  // A declared length frames the body itself. Without one, HTTP/1.1 chunks
  // it; HTTP/1.0 has no chunked coding: the body then ends when the connection does.
  h1_chunked_ =
      h1_streamed_ && !length && !head_only && head != nullptr && head->version_minor >= 1;
  if (h1_streamed_ && !length && !h1_chunked_ && !head_only) close_after_ = true;
  char digits[24];
  std::vector<h1::header> all;
  all.reserve(f.size() + 4);
  for (const auto& [name, value] : f) all.push_back({name, value});
  if (!now_.http_date.empty()) all.push_back({"Date", now_.http_date});
  if (!config_.server_name.empty()) all.push_back({"Server", config_.server_name});
  if (length) {
    auto [end, ec] = std::to_chars(digits, digits + sizeof digits, *length);
    all.push_back({"Content-Length", std::string_view(digits, end)});
  }
  if (h1_chunked_) all.push_back({"Transfer-Encoding", "chunked"});
  if (close_after_) all.push_back({"Connection", "close"});
  std::string& out = tail_chunk();
  std::size_t before = out.size();
  if (h1::write_response_head(out, status, reason, all) != h1::serialize_error::ok) {
    out.resize(before);
    h1_chunked_ = h1_streamed_ = false;
    return false;
  }
  queued_bytes_ += out.size() - before;
  return true;
}

// The body will not match its Content-Length: only closing tells the client.
void session::abort_body() {
  close_after_ = true;
  h1_chunked_ = h1_streamed_ = false;
}

void session::on_head_refused() {
  close_after_ = true;
}

void session::write_body(std::string_view piece) {
  if (!h1_streamed_) {  // a fixed body: queued whole, as its own chunk when large
    queue(std::string(piece));
    return;
  }
  std::string& out = tail_chunk();
  std::size_t before = out.size();
  if (h1_chunked_) {
    h1::write_chunk(out, piece);
  } else {
    out.append(piece);
  }
  queued_bytes_ += out.size() - before;
}

void session::end_body() {
  if (h1_chunked_) {
    std::string& out = tail_chunk();
    std::size_t before = out.size();
    h1::write_last_chunk(out);
    queued_bytes_ += out.size() - before;
  }
  h1_chunked_ = h1_streamed_ = false;
}

bool session::writable() const noexcept {
  return queued_bytes_ < config_.max_queued_output;
}

bool session::accept_websocket(response&, ws_handler& h, const ws_accept_options& options) {
  return accept_websocket(h, options);
}

}  // namespace httpcore::server
