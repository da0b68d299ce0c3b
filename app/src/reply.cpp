// Writing a reply: fields gathered until the head goes out, the middleware's
// on_head hooks, and the body transform between the route and the session.

#include "httpcore/app/reply.hpp"

#include "httpcore/ws/extensions.hpp"  // ascii_iequals: the library's one compare

namespace httpcore::app {

std::string* reply_head::find(std::string_view name) {
  for (auto& [n, v] : headers)
    if (ws::ascii_iequals(n, name)) return &v;
  return nullptr;
}

void reply_head::set(std::string_view name, std::string_view value) {
  if (std::string* v = find(name)) {
    *v = value;
  } else {
    headers.emplace_back(name, value);
  }
}

void reply_head::remove(std::string_view name) {
  std::erase_if(headers, [&](const auto& f) { return ws::ascii_iequals(f.first, name); });
}

void reply::add_header(std::string_view name, std::string_view value) {
  if (!started_) headers_.emplace_back(name, value);
}

void reply::on_head(std::function<void(reply_head&)> hook) {
  if (!started_ && hook) hooks_.push_back(std::move(hook));
}

// Runs the hooks, last registered first: an outer middleware registers before
// the inner ones, so it runs last and has the last word. Then the fields go to
// the session's response.
bool reply::write_head(int status, std::optional<std::size_t> length) {
  if (started_ || res_->started()) return false;
  started_ = true;
  reply_head head{status, headers_, length, nullptr};
  for (auto it = hooks_.rbegin(); it != hooks_.rend(); ++it) (*it)(head);
  hooks_.clear();
  transform_ = std::move(head.transform);
  status_ = head.status;
  for (const auto& [name, value] : headers_) res_->add_header(name, value);
  return true;
}

void reply::send(int status, std::string_view body) {
  if (!write_head(status, body.size())) return;
  body_bytes_ += body.size();
  if (transform_) {
    std::string out = transform_->write(body);
    out += transform_->finish();
    transform_.reset();
    res_->send(status_, out);
  } else {
    res_->send(status_, body);
  }
}

void reply::start(int status) {
  if (!write_head(status, std::nullopt)) return;
  res_->start(status_);
}

void reply::write(std::string_view piece) {
  if (!started_ || res_->finished() || piece.empty()) return;
  body_bytes_ += piece.size();
  if (transform_) {
    std::string out = transform_->write(piece);
    if (!out.empty()) res_->write(out);
  } else {
    res_->write(piece);
  }
}

void reply::end() {
  if (!started_ || res_->finished()) return;
  if (transform_) {
    std::string rest = transform_->finish();
    transform_.reset();
    if (!rest.empty()) res_->write(rest);
  }
  res_->end();
}

void reply::when_writable(std::function<void(reply&)> resume) {
  if (!resume) return;
  res_->when_writable(
      [self = shared_from_this(), resume = std::move(resume)](server::response& res) {
        self->res_ = &res;
        resume(*self);
      });
}

std::shared_ptr<deferred_reply> reply::defer() {
  auto inner = res_->defer();
  if (!inner) return nullptr;
  return std::make_shared<deferred_reply>(std::move(inner), shared_from_this());
}

void deferred_reply::run(std::function<void(reply&)> step) {
  if (!step) return;
  inner_->run([r = reply_, step = std::move(step)](server::response& res) {
    r->res_ = &res;
    step(*r);
  });
}

void deferred_reply::send(int status, std::string body, fields headers) {
  run([status, body = std::move(body), headers = std::move(headers)](reply& r) {
    for (const auto& [name, value] : headers) r.add_header(name, value);
    r.send(status, body);
  });
}

}  // namespace httpcore::app
