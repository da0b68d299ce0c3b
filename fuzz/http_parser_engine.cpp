// See http_parser_engine.hpp. http-parser has no *_complete callbacks: a header
// value ends when the next field name, the end of the head or the end of the
// message (trailers) begins, so that is when the normaliser is told.

#include "http_parser_engine.hpp"

#include <http_parser.h>

#include <string>

namespace httpcore::fuzz {
namespace {

struct context {
  conformance::llhttp_normaliser norm;
  bool in_value = false;   // the last span was (part of) a header value
  bool finishing = false;  // inside the end-of-input call
  bool finish_cb = false;  // the end of input completed a message
};

context& ctx(http_parser* p) {
  return *static_cast<context*>(p->data);
}

void end_value(context& c) {
  if (c.in_value) c.norm.complete("header_value");
  c.in_value = false;
}

int span(http_parser* p, const char* kind, const char* at, size_t len) {
  ctx(p).norm.span(kind, std::string_view(at, len));
  return 0;
}

int on_headers_complete(http_parser* p) {
  context& c = ctx(p);
  end_value(c);
  bool keep_alive = http_should_keep_alive(p) != 0;
  if (p->type == HTTP_REQUEST) {
    // As normal.hpp does for llhttp: a request body read until the connection
    // closes keeps nothing alive.
    if (p->uses_transfer_encoding && !(p->flags & F_CHUNKED)) keep_alive = false;
    const char* method = http_method_str(static_cast<http_method>(p->method));
    c.norm.span("method", method);
    c.norm.request_head(p->http_major, p->http_minor, keep_alive, p->upgrade != 0);
  } else {
    c.norm.response_head(static_cast<int>(p->status_code), p->http_major, p->http_minor,
                         keep_alive);
  }
  return 0;
}

int on_message_complete(http_parser* p) {
  context& c = ctx(p);
  end_value(c);  // the last trailer
  if (c.finishing) {
    c.finish_cb = true;
  } else {
    c.norm.message_complete();
  }
  return 0;
}

http_parser_settings make_settings() {
  http_parser_settings s;
  http_parser_settings_init(&s);
  s.on_url = [](http_parser* p, const char* a, size_t n) { return span(p, "url", a, n); };
  s.on_status = [](http_parser* p, const char* a, size_t n) { return span(p, "status", a, n); };
  s.on_header_field = [](http_parser* p, const char* a, size_t n) {
    end_value(ctx(p));
    return span(p, "header_field", a, n);
  };
  s.on_header_value = [](http_parser* p, const char* a, size_t n) {
    ctx(p).in_value = true;
    return span(p, "header_value", a, n);
  };
  s.on_body = [](http_parser* p, const char* a, size_t n) { return span(p, "body", a, n); };
  s.on_headers_complete = on_headers_complete;
  s.on_message_complete = on_message_complete;
  return s;
}

// llhttp_normaliser::error() reads llhttp's codes 22 and 23 as "upgrade";
// any other value is a plain error.
constexpr int kPlainError = 1;
constexpr int kUpgrade = 22;

}  // namespace

conformance::outcome run_http_parser(std::string_view input, const http_parser_options& opt) {
  static const http_parser_settings settings = make_settings();
  context cx;
  http_parser p;
  http_parser_init(&p, opt.request ? HTTP_REQUEST : HTTP_RESPONSE);
  p.lenient_http_headers = opt.lenient_headers ? 1 : 0;
  p.allow_chunked_length = opt.allow_chunked_length ? 1 : 0;
  p.data = &cx;

  conformance::outcome out;
  size_t n = input.empty() ? 0 : http_parser_execute(&p, &settings, input.data(), input.size());
  auto err = static_cast<http_errno>(p.http_errno);
  if (err != HPE_OK) {
    cx.norm.error(kPlainError, n);
    out.error = http_errno_name(err);
    out.error_offset = n;
    out.note = "http_parser: " + out.error + " \"" + http_errno_description(err) + "\" at " +
               std::to_string(n);
  } else if (p.upgrade) {
    // http-parser stops right after the message that upgrades.
    cx.norm.error(kUpgrade, n);
  } else {
    cx.finishing = true;
    http_parser_execute(&p, &settings, nullptr, 0);  // "the peer closed"
    auto fin = static_cast<http_errno>(p.http_errno);
    cx.norm.finish(fin != HPE_OK ? 2 : cx.finish_cb ? 1 : 0);
    if (fin != HPE_OK) {
      out.error = http_errno_name(fin);
      out.error_offset = input.size();
    }
  }
  out.events = cx.norm.take();
  return out;
}

}  // namespace httpcore::fuzz
