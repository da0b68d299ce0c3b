// httpcore's engine: feed() until need_more, consuming every event.

#include <span>
#include <variant>

#include "engine.hpp"
#include "httpcore/h1/parser.hpp"

namespace bench {
namespace {

namespace h1 = httpcore::h1;

std::uint64_t field_sum(std::span<const h1::header> fields) {
  std::uint64_t n = fields.size();
  for (const h1::header& f : fields) n += f.name.size() + f.value.size();
  return n;
}

class httpcore_engine final : public engine {
 public:
  explicit httpcore_engine(kind k)
      : parser_(k == kind::request ? h1::role::server : h1::role::client) {}

  bool parse(std::string_view bytes, tally& t) override {
    std::span<const std::byte> in = std::as_bytes(std::span(bytes.data(), bytes.size()));
    std::uint64_t sink = 0, messages = 0;
    for (;;) {
      h1::result r = parser_.feed(in);
      if (r.err) return false;
      in = in.subspan(r.consumed);
      if (const auto* b = std::get_if<h1::body_data>(&r.ev)) {
        sink += b->bytes.size();
      } else if (const auto* rq = std::get_if<h1::request_head>(&r.ev)) {
        sink += rq->method.size() + rq->target.size() +
                static_cast<std::uint64_t>(rq->version_minor) + field_sum(rq->headers);
      } else if (const auto* rs = std::get_if<h1::response_head>(&r.ev)) {
        sink += static_cast<std::uint64_t>(rs->status) + rs->reason.size() +
                static_cast<std::uint64_t>(rs->version_minor) + field_sum(rs->headers);
      } else if (const auto* e = std::get_if<h1::message_end>(&r.ev)) {
        sink += field_sum(e->trailers);
        ++messages;
      } else if (std::holds_alternative<h1::need_more>(r.ev)) {
        break;
      } else {
        return false;  // upgraded: not in any case
      }
    }
    t.sink += sink;
    t.messages += messages;
    return in.empty() && parser_.state() == h1::parse_state::idle;
  }

 private:
  h1::parser parser_;
};

}  // namespace

std::unique_ptr<engine> make_httpcore_engine(kind k) {
  return std::make_unique<httpcore_engine>(k);
}

}  // namespace bench
