// The llhttp engine: llhttp 9.2.1 (the system library) driven through its
// public API, reporting its callbacks to the same normaliser that reads the
// expected logs. If this engine passes the suite, the reader, the escape
// expansion and the normaliser are right. Only llhttp.h is included here
// (besides the runner's own headers): its names clash with other parsers'.

#include "engines.hpp"

#ifdef HTTPCORE_HAVE_LLHTTP

#include <llhttp.h>

#include <string>

namespace httpcore::conformance {
namespace {

struct context {
  llhttp_normaliser norm;
  std::string pause;  // the callback that returns HPE_PAUSED, as named in the meta
  bool skip_body = false;
  bool finishing = false;  // inside llhttp_finish()
  bool finish_cb = false;  // llhttp_finish() completed a message
};

context& ctx(llhttp_t* p) {
  return *static_cast<context*>(p->data);
}

// The harness pauses in the callback the meta names; the driver below resumes.
int maybe_pause(llhttp_t* p, const char* name) {
  return ctx(p).pause == name ? HPE_PAUSED : HPE_OK;
}

int span(llhttp_t* p, const char* kind, const char* at, size_t len) {
  ctx(p).norm.span(kind, std::string_view(at, len));
  return HPE_OK;
}

int complete(llhttp_t* p, const char* kind, const char* pause_name) {
  ctx(p).norm.complete(kind);
  return maybe_pause(p, pause_name);
}

int on_headers_complete(llhttp_t* p) {
  context& c = ctx(p);
  // llhttp sets F_SKIPBODY itself when this callback returns 1, after it
  // returns; keep-alive must already see it, as the log's formula does.
  std::uint16_t saved = p->flags;
  if (c.skip_body) p->flags = static_cast<std::uint16_t>(p->flags | F_SKIPBODY);
  bool keep_alive = llhttp_should_keep_alive(p) != 0;
  p->flags = saved;
  // A request read until the connection closes keeps nothing alive (normal.hpp).
  if (p->type == HTTP_REQUEST && (p->flags & F_TRANSFER_ENCODING) && !(p->flags & F_CHUNKED))
    keep_alive = false;
  if (p->type == HTTP_REQUEST) {
    c.norm.request_head(p->http_major, p->http_minor, keep_alive, p->upgrade != 0);
  } else {
    c.norm.response_head(p->status_code, p->http_major, p->http_minor, keep_alive);
  }
  if (c.skip_body) return 1;  // "no body": what a client does for a HEAD response
  return maybe_pause(p, "on_headers_complete");
}

int on_message_complete(llhttp_t* p) {
  context& c = ctx(p);
  if (c.finishing) {
    c.finish_cb = true;
  } else {
    c.norm.message_complete();
  }
  return maybe_pause(p, "on_message_complete");
}

llhttp_settings_t make_settings() {
  llhttp_settings_t s;
  llhttp_settings_init(&s);
  s.on_message_begin = [](llhttp_t* p) { return maybe_pause(p, "on_message_begin"); };
  s.on_method = [](llhttp_t* p, const char* a, size_t n) { return span(p, "method", a, n); };
  s.on_url = [](llhttp_t* p, const char* a, size_t n) { return span(p, "url", a, n); };
  s.on_status = [](llhttp_t* p, const char* a, size_t n) { return span(p, "status", a, n); };
  s.on_version = [](llhttp_t* p, const char* a, size_t n) { return span(p, "version", a, n); };
  s.on_header_field = [](llhttp_t* p, const char* a, size_t n) {
    return span(p, "header_field", a, n);
  };
  s.on_header_value = [](llhttp_t* p, const char* a, size_t n) {
    return span(p, "header_value", a, n);
  };
  s.on_body = [](llhttp_t* p, const char* a, size_t n) { return span(p, "body", a, n); };
  s.on_chunk_extension_name = [](llhttp_t* p, const char* a, size_t n) {
    return span(p, "chunk_extension_name", a, n);
  };
  s.on_chunk_extension_value = [](llhttp_t* p, const char* a, size_t n) {
    return span(p, "chunk_extension_value", a, n);
  };
  s.on_method_complete = [](llhttp_t* p) { return complete(p, "method", "on_method_complete"); };
  s.on_url_complete = [](llhttp_t* p) { return complete(p, "url", "on_url_complete"); };
  s.on_status_complete = [](llhttp_t* p) { return complete(p, "status", "on_status_complete"); };
  s.on_version_complete = [](llhttp_t* p) { return complete(p, "version", "on_version_complete"); };
  s.on_header_field_complete = [](llhttp_t* p) {
    return complete(p, "header_field", "on_header_field_complete");
  };
  s.on_header_value_complete = [](llhttp_t* p) {
    return complete(p, "header_value", "on_header_value_complete");
  };
  s.on_chunk_extension_name_complete = [](llhttp_t* p) {
    return complete(p, "chunk_extension_name", "on_chunk_extension_name");
  };
  s.on_chunk_extension_value_complete = [](llhttp_t* p) {
    return complete(p, "chunk_extension_value", "on_chunk_extension_value");
  };
  s.on_chunk_header = [](llhttp_t* p) { return maybe_pause(p, "on_chunk_header"); };
  s.on_chunk_complete = [](llhttp_t* p) { return maybe_pause(p, "on_chunk_complete"); };
  s.on_headers_complete = on_headers_complete;
  s.on_message_complete = on_message_complete;
  return s;
}

void set_lenient(llhttp_t* p, const case_mode& mode) {
  struct flag {
    const char* name;
    void (*set)(llhttp_t*, int);
  };
  static constexpr flag flags[] = {
      {"headers", llhttp_set_lenient_headers},
      {"chunked_length", llhttp_set_lenient_chunked_length},
      {"keep_alive", llhttp_set_lenient_keep_alive},
      {"transfer_encoding", llhttp_set_lenient_transfer_encoding},
      {"version", llhttp_set_lenient_version},
      {"data_after_close", llhttp_set_lenient_data_after_close},
      {"optional_lf_after_cr", llhttp_set_lenient_optional_lf_after_cr},
      {"optional_cr_before_lf", llhttp_set_lenient_optional_cr_before_lf},
      {"optional_crlf_after_chunk", llhttp_set_lenient_optional_crlf_after_chunk},
      {"spaces_after_chunk_size", llhttp_set_lenient_spaces_after_chunk_size},
  };
  for (const flag& f : flags)
    if (mode_sets_lenient(mode, f.name)) f.set(p, 1);
}

}  // namespace

bool llhttp_available() {
  return true;
}

int llhttp_method_kind(std::string_view token) {
  // llhttp.h's method tables; the third column is the token as sent.
#define HTTPCORE_METHOD_IS(num, name, string) \
  if (token == #string) return kind;
  int kind = 1;
  HTTP_METHOD_MAP(HTTPCORE_METHOD_IS)
  kind = 2;
  RTSP_METHOD_MAP(HTTPCORE_METHOD_IS)
#undef HTTPCORE_METHOD_IS
  return 0;
}

outcome run_llhttp(const test_case& c, const case_mode& mode, std::size_t piece) {
  static const llhttp_settings_t settings = make_settings();
  context cx;
  cx.pause = c.meta.pause;
  cx.skip_body = c.meta.skip_body;
  llhttp_t parser;
  llhttp_init(&parser, mode.request ? HTTP_REQUEST : HTTP_RESPONSE, &settings);
  set_lenient(&parser, mode);
  parser.data = &cx;

  outcome out;
  const char* begin = c.input.data();
  const char* end = begin + c.input.size();
  const char* pos = begin;
  bool stopped = false;
  // After a pause llhttp must be called again even with no bytes left: what
  // follows the paused callback (say, on_message_complete after
  // on_chunk_complete) runs in that call.
  bool resumed = false;
  while (!stopped && (pos < end || resumed)) {
    resumed = false;
    const char* stop =
        piece == 0 || static_cast<std::size_t>(end - pos) < piece ? end : pos + piece;
    llhttp_errno_t err = llhttp_execute(&parser, pos, static_cast<size_t>(stop - pos));
    if (err == HPE_OK) {
      pos = stop;
      continue;
    }
    const char* at = llhttp_get_error_pos(&parser);
    if (err == HPE_PAUSED) {  // a callback paused: resume where it stopped
      llhttp_resume(&parser);
      pos = at;
      resumed = true;
      continue;
    }
    auto offset = static_cast<std::uint64_t>(at - begin);
    cx.norm.error(static_cast<int>(err), offset);
    out.note = "llhttp: " + std::string(llhttp_errno_name(err)) + " \"" +
               llhttp_get_error_reason(&parser) + "\" at " + std::to_string(offset);
    out.error = llhttp_errno_name(err);
    out.error_offset = offset;
    stopped = true;
    break;
  }
  if (mode.finish && !stopped) {
    cx.finishing = true;
    llhttp_errno_t err = llhttp_finish(&parser);
    cx.norm.finish(err != HPE_OK ? 2 : cx.finish_cb ? 1 : 0);
    if (err != HPE_OK) {
      out.error = llhttp_errno_name(err);
      out.error_offset = c.input.size();
    }
  }
  out.events = cx.norm.take();
  return out;
}

url_outcome run_llhttp_url(const test_case& c) {
  // The target inside a request line, which llhttp reads with the same URL
  // states its URL tests use (CONNECT aside).
  static const llhttp_settings_t settings = make_settings();
  context cx;
  llhttp_t parser;
  llhttp_init(&parser, HTTP_REQUEST, &settings);
  parser.data = &cx;
  std::string request = "GET " + c.input + " HTTP/1.1\r\n\r\n";
  llhttp_errno_t err = llhttp_execute(&parser, request.data(), request.size());
  url_outcome out;
  out.components = false;
  if (err == HPE_OK) {
    out.result.events = {"accepted"};
  } else {
    out.result.events = {error_event()};
    out.result.note = "llhttp: " + std::string(llhttp_errno_name(err)) + " \"" +
                      llhttp_get_error_reason(&parser) + "\"";
  }
  return out;
}

}  // namespace httpcore::conformance

#else  // built without llhttp

namespace httpcore::conformance {
bool llhttp_available() {
  return false;
}
int llhttp_method_kind(std::string_view) {
  return 0;
}
outcome run_llhttp(const test_case&, const case_mode&, std::size_t) {
  return {};
}
url_outcome run_llhttp_url(const test_case&) {
  return {};
}
}  // namespace httpcore::conformance

#endif
