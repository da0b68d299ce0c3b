// Writing a response: heads through the h1 serializer, bodies fixed-length or
// streamed (chunked for HTTP/1.1 clients), all queued on the session.

#include <charconv>
#include <optional>

#include "httpcore/h1/serializer.hpp"
#include "httpcore/server/session.hpp"

namespace httpcore::server {

std::string_view request::header(std::string_view name) const noexcept {
  const h1::header* h = h1::find_header(head->headers, name);
  return h != nullptr ? h->value : std::string_view();
}

void response::reset() noexcept {
  state_ = state::idle;
  status_ = 0;
  body_bytes_ = 0;
  chunked_ = false;
  head_only_ = false;
  headers_.clear();
  resume_ = nullptr;
}

void response::add_header(std::string_view name, std::string_view value) {
  if (state_ == state::idle) headers_.emplace_back(name, value);
}

// Writes the status line and fields, adding Date, Server, the framing field and
// Connection: close when this is the connection's last exchange.
bool response::write_head(int status, std::string_view reason,
                          std::optional<std::string_view> content_length) {
  session& s = *session_;
  std::vector<h1::header> fields;
  fields.reserve(headers_.size() + 4);
  for (const auto& [name, value] : headers_) fields.push_back({name, value});
  if (!s.now_.http_date.empty()) fields.push_back({"Date", s.now_.http_date});
  if (!s.config_.server_name.empty()) fields.push_back({"Server", s.config_.server_name});
  if (content_length) fields.push_back({"Content-Length", *content_length});
  if (chunked_) fields.push_back({"Transfer-Encoding", "chunked"});
  if (s.close_after_) fields.push_back({"Connection", "close"});
  std::string& out = s.tail_chunk();
  std::size_t before = out.size();
  if (h1::write_response_head(out, status, reason, fields) != h1::serialize_error::ok) {
    out.resize(before);
    return false;
  }
  s.queued_bytes_ += out.size() - before;
  status_ = status;
  return true;
}

void response::send(int status, std::string_view body, std::string_view reason) {
  if (state_ != state::idle) return;
  // 1xx, 204 and 304 have no content, and no Content-Length (RFC 9110 §8.6).
  bool no_content = (status >= 100 && status < 200) || status == 204 || status == 304;
  if (no_content) body = {};
  char digits[24];
  auto [end, ec] = std::to_chars(digits, digits + sizeof digits, body.size());
  std::optional<std::string_view> length;
  if (!no_content) length = std::string_view(digits, static_cast<std::size_t>(end - digits));
  if (!write_head(status, reason, length)) {
    // A handler passed a field that would corrupt the head: answer 500 instead.
    headers_.clear();
    session_->close_after_ = true;
    write_head(500, {}, "0");
    state_ = state::done;
    return;
  }
  if (!head_only_ && !body.empty()) {
    session_->queue(std::string(body));
    body_bytes_ = body.size();
  }
  state_ = state::done;
}

void response::start(int status, std::string_view reason) {
  if (state_ != state::idle) return;
  const h1::request_head* head = session_->current_;
  // HTTP/1.0 has no chunked coding: the body then ends when the connection does.
  chunked_ = !head_only_ && head != nullptr && head->version_minor >= 1;
  if (!chunked_ && !head_only_) session_->close_after_ = true;
  if (!write_head(status, reason, std::nullopt)) {
    headers_.clear();
    chunked_ = false;
    session_->close_after_ = true;
    write_head(500, {}, "0");
    state_ = state::done;
    return;
  }
  state_ = state::streaming;
}

void response::write(std::string_view piece) {
  if (state_ != state::streaming || head_only_ || piece.empty()) return;
  std::string& out = session_->tail_chunk();
  std::size_t before = out.size();
  if (chunked_) {
    h1::write_chunk(out, piece);
  } else {
    out.append(piece);
  }
  session_->queued_bytes_ += out.size() - before;
  body_bytes_ += piece.size();
}

void response::end() {
  if (state_ != state::streaming) return;
  if (chunked_) {
    std::string& out = session_->tail_chunk();
    std::size_t before = out.size();
    h1::write_last_chunk(out);
    session_->queued_bytes_ += out.size() - before;
  }
  state_ = state::done;
  resume_ = nullptr;
}

bool response::writable() const noexcept {
  return session_->queued_bytes_ < session_->config_.max_queued_output;
}

void response::when_writable(std::function<void(response&)> resume) {
  if (state_ != state::streaming) return;
  resume_ = std::move(resume);
}

}  // namespace httpcore::server
