// Writing a response: the status, fields and body rules every protocol
// shares; the bytes go through the response_port (HTTP/1 or an HTTP/2 stream).

#include <optional>

#include "httpcore/h1/serializer.hpp"
#include "httpcore/server/protocol.hpp"
#include "httpcore/server/session.hpp"

namespace httpcore::server {

std::string_view request::header(std::string_view name) const noexcept {
  const h1::header* h = h1::find_header(head->headers, name);
  return h != nullptr ? h->value : std::string_view();
}

std::string_view request::trailer(std::string_view name) const noexcept {
  const h1::header* h = h1::find_header(trailers, name);
  return h != nullptr ? h->value : std::string_view();
}

void response::reset() noexcept {
  state_ = state::idle;
  status_ = 0;
  body_bytes_ = 0;
  head_only_ = false;
  aborted_ = false;
  declared_.reset();
  headers_.clear();
  resume_ = nullptr;
  deferred_ = false;
  handed_out_ = false;
  handle_.reset();
  user_data_.reset();
}

void response::add_header(std::string_view name, std::string_view value) {
  if (state_ == state::idle) headers_.emplace_back(name, value);
}

// A head the protocol cannot send (a field that would corrupt it) becomes a 500.
bool response::write_head(int status, std::string_view reason, std::optional<std::uint64_t> length,
                          bool streamed) {
  if (port_->write_head(status, reason, headers_, length, streamed)) {
    status_ = status;
    return true;
  }
  headers_.clear();
  port_->on_head_refused();
  port_->write_head(500, {}, headers_, 0, false);
  status_ = 500;
  state_ = state::done;
  return false;
}

void response::send(int status, std::string_view body, std::string_view reason) {
  if (state_ != state::idle) return;
  // 1xx, 204 and 304 have no content, and no Content-Length (RFC 9110 §8.6).
  bool no_content = (status >= 100 && status < 200) || status == 204 || status == 304;
  if (no_content) body = {};
  std::optional<std::uint64_t> length;
  if (!no_content) length = body.size();
  if (!write_head(status, reason, length, false)) return;
  if (!head_only_ && !body.empty()) {
    port_->write_body(body);
    body_bytes_ = body.size();
  }
  state_ = state::done;
}

void response::start(int status, std::string_view reason) {
  if (state_ != state::idle) return;
  if (!write_head(status, reason, std::nullopt, true)) return;
  state_ = state::streaming;
}

void response::start_with_length(int status, std::uint64_t length, std::string_view reason) {
  if (state_ != state::idle) return;
  if (!write_head(status, reason, length, true)) return;
  state_ = state::streaming;
  if (!head_only_) declared_ = length;  // HEAD: the length is the GET's, no body follows
}

void response::write(std::string_view piece) {
  if (state_ != state::streaming || head_only_ || piece.empty()) return;
  if (declared_ && piece.size() > *declared_ - body_bytes_) return abort();
  port_->write_body(piece);
  body_bytes_ += piece.size();
}

void response::end() {
  if (state_ != state::streaming) return;
  if (declared_ && body_bytes_ != *declared_) return abort();
  state_ = state::done;
  resume_ = nullptr;
  port_->end_body();
}

void response::abort() {
  state_ = state::done;
  resume_ = nullptr;
  aborted_ = true;
  port_->abort_body();
}

bool response::writable() const noexcept {
  return port_->writable();
}

void response::when_writable(std::function<void(response&)> resume) {
  if (state_ != state::streaming) return;
  resume_ = std::move(resume);
}

std::shared_ptr<deferred_response> response::defer() {
  if (state_ == state::done) return nullptr;
  if (handed_out_) return handle_.lock();
  response_port::deferral target = port_->defer_target();
  if (!target.link) return nullptr;
  auto handle = std::make_shared<deferred_response>(std::move(target.link), target.key);
  handed_out_ = true;
  deferred_ = true;
  handle_ = handle;
  return handle;
}

// The handle posts what it is asked to the connection's thread, naming its
// exchange, so a step that arrives after the exchange is over does nothing.
deferred_response::~deferred_response() {
  if (!link_) return;
  std::uint64_t exchange = exchange_;
  try {
    link_->post(
        [exchange](session& s, const clock_now& now) { s.release_deferred(exchange, now); });
  } catch (...) {  // out of memory in a destructor: the response timeout ends it
  }
}

void deferred_response::run(std::function<void(response&)> step) {
  if (!step) return;
  std::uint64_t exchange = exchange_;
  link_->post([exchange, step = std::move(step)](session& s, const clock_now& now) mutable {
    s.run_deferred(exchange, step, now);
  });
}

void deferred_response::send(int status, std::string body, fields headers) {
  run([status, body = std::move(body), headers = std::move(headers)](response& res) {
    for (const auto& [name, value] : headers) res.add_header(name, value);
    res.send(status, body);
  });
}

}  // namespace httpcore::server
