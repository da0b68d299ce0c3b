// The HTTP/2 protocol_factory: prior knowledge and the h2c upgrade.

#include <optional>

#include "httpcore/h2/server.hpp"
#include "server_session.hpp"

namespace httpcore::h2 {
namespace {

// The token list of an Upgrade field holds "h2c" (case-insensitive).
bool lists_h2c(std::string_view list) {
  while (!list.empty()) {
    std::size_t comma = list.find(',');
    std::string_view token = list.substr(0, comma);
    while (!token.empty() && (token.front() == ' ' || token.front() == '\t'))
      token.remove_prefix(1);
    while (!token.empty() && (token.back() == ' ' || token.back() == '\t')) token.remove_suffix(1);
    if (token.size() == 3 && (token[0] | 0x20) == 'h' && token[1] == '2' &&
        (token[2] | 0x20) == 'c')
      return true;
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return false;
}

// HTTP2-Settings is base64url without padding (RFC 7540 §3.2.1).
std::optional<std::string> decode_base64url(std::string_view text) {
  std::string out;
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    int v = c >= 'A' && c <= 'Z'   ? c - 'A'
            : c >= 'a' && c <= 'z' ? c - 'a' + 26
            : c >= '0' && c <= '9' ? c - '0' + 52
            : c == '-'             ? 62
            : c == '_'             ? 63
                                   : -1;
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  if (bits >= 6) return std::nullopt;  // a lone sixth of a byte
  return out;
}

class factory final : public server::protocol_factory {
 public:
  std::unique_ptr<server::connection_protocol> start(server::session& host, server::handler& h,
                                                     const server::session_config& config,
                                                     std::string_view peer,
                                                     server::clock_now now) const override {
    return std::make_unique<server_session>(host, h, config, peer, now);
  }

  // RFC 7540 §3.2: "Upgrade: h2c" and exactly one HTTP2-Settings field.
  bool wants_upgrade(const h1::request_head& head) const noexcept override {
    const h1::header* up = head.find("upgrade");
    if (up == nullptr || !lists_h2c(up->value)) return false;
    int settings = 0;
    for (const auto& f : head.headers)
      settings += h1::find_header(std::span(&f, 1), "http2-settings") != nullptr;
    return settings == 1;
  }

  std::string_view upgrade_fields() const noexcept override { return "Upgrade: h2c\r\n"; }

  std::unique_ptr<server::connection_protocol> start_upgraded(
      server::session& host, server::handler& h, const server::session_config& config,
      std::string_view peer, const h1::request_head& head, server::clock_now now) const override {
    auto settings = decode_base64url(head.find("http2-settings")->value);
    if (!settings || settings->size() % 6 != 0) return nullptr;
    auto s = std::make_unique<server_session>(host, h, config, peer, now);
    if (!s->upgrade(*settings, head, now)) return nullptr;
    return s;
  }
};

}  // namespace

const server::protocol_factory& server_protocol() noexcept {
  static const factory f;
  return f;
}

}  // namespace httpcore::h2
