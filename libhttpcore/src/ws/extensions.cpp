// A small recursive-descent reader for RFC 6455 §9.1. It works on one field
// value at a time and never looks past its end.
#include "httpcore/ws/extensions.hpp"

#include <cstddef>
#include <optional>

#include "ws/handshake_fields.hpp"

namespace httpcore::ws {
namespace {

bool is_tchar(char ch) noexcept {
  return ::httpcore::detail::is_tchar(static_cast<unsigned char>(ch));
}
using detail::is_token;

class reader {
 public:
  explicit reader(std::string_view text) : text_(text) {}

  bool at_end() const noexcept { return pos_ == text_.size(); }
  char peek() const noexcept { return text_[pos_]; }
  void skip_ows() noexcept {
    while (!at_end() && (peek() == ' ' || peek() == '\t')) ++pos_;
  }
  bool eat(char ch) noexcept {
    if (at_end() || peek() != ch) return false;
    ++pos_;
    return true;
  }
  std::string_view token() noexcept {
    const std::size_t start = pos_;
    while (!at_end() && is_tchar(peek())) ++pos_;
    return text_.substr(start, pos_ - start);
  }
  // quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE (RFC 9110 §5.6.4),
  // returned unescaped; nullopt when malformed.
  std::optional<std::string> quoted_string() {
    if (!eat('"')) return std::nullopt;
    std::string out;
    while (!at_end()) {
      const char ch = text_[pos_++];
      if (ch == '"') return out;
      if (ch == '\\') {
        if (at_end()) return std::nullopt;
        const char escaped = text_[pos_++];
        // quoted-pair = "\\" ( HTAB / SP / VCHAR / obs-text )
        if (!::httpcore::detail::is_field_value_byte(static_cast<unsigned char>(escaped)))
          return std::nullopt;
        out += escaped;
        continue;
      }
      if (!::httpcore::detail::is_qdtext(static_cast<unsigned char>(ch))) return std::nullopt;
      out += ch;
    }
    return std::nullopt;  // no closing quote
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

// extension-param, the reader placed at its first byte.
bool parse_param(reader& r, extension_param& param) {
  const std::string_view name = r.token();
  if (name.empty()) return false;
  param.name = std::string(name);
  r.skip_ows();
  if (!r.eat('=')) return true;
  r.skip_ows();
  param.has_value = true;
  if (!r.at_end() && r.peek() == '"') {
    auto value = r.quoted_string();
    if (!value || !is_token(*value)) return false;
    param.value = std::move(*value);
  } else {
    const std::string_view value = r.token();
    if (value.empty()) return false;
    param.value = std::string(value);
  }
  return true;
}

}  // namespace

bool parse_extensions(std::string_view field_value, std::vector<extension>& out) {
  std::vector<extension> parsed;
  reader r(field_value);
  for (;;) {
    r.skip_ows();
    if (r.at_end()) break;
    if (r.eat(',')) continue;  // empty list element
    extension ext;
    const std::string_view name = r.token();
    if (name.empty()) return false;
    ext.name = std::string(name);
    r.skip_ows();
    while (r.eat(';')) {
      r.skip_ows();
      extension_param param;
      if (!parse_param(r, param)) return false;
      ext.params.push_back(std::move(param));
      r.skip_ows();
    }
    parsed.push_back(std::move(ext));
    if (r.at_end()) break;
    if (!r.eat(',')) return false;
  }
  if (parsed.empty()) return false;
  for (auto& ext : parsed) out.push_back(std::move(ext));
  return true;
}

}  // namespace httpcore::ws
