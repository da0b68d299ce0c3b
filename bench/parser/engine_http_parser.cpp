// http-parser 2.9.4: Debian's shared library (libhttp-parser-dev).

#include <http_parser.h>

#include <cstring>

#include "engine.hpp"

namespace bench {
namespace {

struct hp_state {
  http_parser parser;
  std::uint64_t sink = 0, messages = 0;
  bool in_field = false;
};

hp_state* state_of(http_parser* p) {
  return static_cast<hp_state*>(p->data);
}

int add_span(http_parser* p, const char*, size_t n) {
  state_of(p)->sink += n;
  return 0;
}
int on_field(http_parser* p, const char*, size_t n) {
  hp_state* s = state_of(p);
  if (!s->in_field) ++s->sink;  // one per field (a name may come in pieces)
  s->in_field = true;
  s->sink += n;
  return 0;
}
int on_value(http_parser* p, const char*, size_t n) {
  hp_state* s = state_of(p);
  s->in_field = false;
  s->sink += n;
  return 0;
}
int on_headers_complete(http_parser* p) {
  hp_state* s = state_of(p);
  s->sink += p->status_code + p->http_minor;
  // http-parser has no method callback: take the name of the method it found.
  if (p->type == HTTP_REQUEST)
    s->sink += std::strlen(http_method_str(static_cast<http_method>(p->method)));
  return 0;
}
int on_message_complete(http_parser* p) {
  ++state_of(p)->messages;
  return 0;
}

class http_parser_engine final : public engine {
 public:
  explicit http_parser_engine(kind k) {
    http_parser_settings_init(&settings_);
    settings_.on_url = add_span;
    settings_.on_status = add_span;
    settings_.on_header_field = on_field;
    settings_.on_header_value = on_value;
    settings_.on_headers_complete = on_headers_complete;
    settings_.on_body = add_span;
    settings_.on_message_complete = on_message_complete;
    http_parser_init(&s_.parser, k == kind::request ? HTTP_REQUEST : HTTP_RESPONSE);
    s_.parser.data = &s_;
  }
  http_parser_engine(const http_parser_engine&) = delete;
  http_parser_engine& operator=(const http_parser_engine&) = delete;

  bool parse(std::string_view bytes, tally& t) override {
    s_.sink = s_.messages = 0;
    std::size_t n = http_parser_execute(&s_.parser, &settings_, bytes.data(), bytes.size());
    t.sink += s_.sink;
    t.messages += s_.messages;
    return n == bytes.size() && HTTP_PARSER_ERRNO(&s_.parser) == HPE_OK;
  }

 private:
  http_parser_settings settings_{};
  hp_state s_{};
};

}  // namespace

std::unique_ptr<engine> make_http_parser_engine(kind k) {
  return std::make_unique<http_parser_engine>(k);
}

}  // namespace bench
