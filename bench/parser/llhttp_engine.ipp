// The llhttp engine, shared by llhttp 9.2.1 (engine_llhttp9.cpp) and 8.1.0
// (engine_llhttp8.cpp): both have the same API. Included after <llhttp.h>,
// with LLHTTP_ENGINE_FACTORY naming the factory function. Strict: no lenient
// flag is set.

#include <new>

#include "engine.hpp"

namespace bench {
namespace {

struct llhttp_state {
  llhttp_t parser;
  llhttp_settings_t settings;
  std::uint64_t sink = 0, messages = 0;
  bool in_field = false;
};

llhttp_state* state_of(llhttp_t* p) {
  return static_cast<llhttp_state*>(p->data);
}

int add_span(llhttp_t* p, const char*, size_t n) {
  state_of(p)->sink += n;
  return 0;
}
int on_field(llhttp_t* p, const char*, size_t n) {
  llhttp_state* s = state_of(p);
  if (!s->in_field) ++s->sink;  // one per field (a name may come in pieces)
  s->in_field = true;
  s->sink += n;
  return 0;
}
int on_value(llhttp_t* p, const char*, size_t n) {
  llhttp_state* s = state_of(p);
  s->in_field = false;
  s->sink += n;
  return 0;
}
int on_headers_complete(llhttp_t* p) {
  state_of(p)->sink += p->status_code + p->http_minor;
  return 0;
}
int on_message_complete(llhttp_t* p) {
  ++state_of(p)->messages;
  return 0;
}

class llhttp_engine final : public engine {
 public:
  explicit llhttp_engine(kind k) {
    llhttp_settings_init(&s_.settings);
    s_.settings.on_method = add_span;
    s_.settings.on_url = add_span;
    s_.settings.on_status = add_span;
    s_.settings.on_header_field = on_field;
    s_.settings.on_header_value = on_value;
    s_.settings.on_headers_complete = on_headers_complete;
    s_.settings.on_body = add_span;
    s_.settings.on_message_complete = on_message_complete;
    llhttp_init(&s_.parser, k == kind::request ? HTTP_REQUEST : HTTP_RESPONSE, &s_.settings);
    s_.parser.data = &s_;
  }
  llhttp_engine(const llhttp_engine&) = delete;
  llhttp_engine& operator=(const llhttp_engine&) = delete;

  bool parse(std::string_view bytes, tally& t) override {
    s_.sink = s_.messages = 0;
    llhttp_errno_t err = llhttp_execute(&s_.parser, bytes.data(), bytes.size());
    t.sink += s_.sink;
    t.messages += s_.messages;
    return err == HPE_OK && llhttp_get_errno(&s_.parser) == HPE_OK;
  }

 private:
  llhttp_state s_{};
};

}  // namespace

std::unique_ptr<engine> LLHTTP_ENGINE_FACTORY(kind k) {
  return std::make_unique<llhttp_engine>(k);
}

}  // namespace bench
