#pragma once
/// \file
/// Signed cookie values: HMAC-SHA256 (OpenSSL) over the cookie's name and
/// value, so a client can read the value but not change it, nor move it to
/// another cookie's name. Keys rotate: the newest key signs, every listed
/// key verifies, so cookies signed before a rotation stay good until the
/// old key is dropped from the list.
///
/// Signed form: VALUE "." MAC, MAC the 43-character base64url (no padding)
/// of HMAC-SHA256(key, NAME "=" VALUE). VALUE must itself be a valid cookie
/// value (cookie.hpp) for the result to be one.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace httpcore::app {

class cookie_signer {
 public:
  /// Keys newest first: keys[0] signs, all verify. Throws
  /// std::invalid_argument when there is none, or one is shorter than 16
  /// bytes (min_key_bytes) or longer than 1,024.
  explicit cookie_signer(std::vector<std::string> keys);

  static constexpr std::size_t min_key_bytes = 16;

  /// VALUE "." MAC with the newest key.
  std::string sign(std::string_view name, std::string_view value) const;
  /// VALUE when `signed_value` is VALUE "." MAC and the MAC is right for
  /// `name` under one of the keys (compared in constant time); else nullopt:
  /// no ".", a MAC of the wrong length or alphabet, a changed value or name,
  /// or a key not listed.
  std::optional<std::string_view> verify(std::string_view name,
                                         std::string_view signed_value) const;

  std::size_t key_count() const noexcept { return keys_.size(); }

 private:
  std::vector<std::string> keys_;
};

struct hex_key_result {
  std::string key;  ///< the bytes, when ok()
  std::string error;
  std::size_t offset = 0;  ///< of the offending character
  bool ok() const noexcept { return error.empty(); }
};

/// Decodes a key written in hex (an even number of 0-9a-fA-F), e.g. from
/// `--session-secret`; says which character is wrong, or that it decodes to
/// fewer than cookie_signer::min_key_bytes.
hex_key_result decode_hex_key(std::string_view hex);

/// `n` random bytes from OpenSSL's generator (keys, session ids). Throws
/// std::runtime_error if it has none to give.
std::string random_bytes(std::size_t n);

/// base64url without padding (RFC 4648 §5), as session ids and MACs use.
std::string base64url(std::string_view bytes);

}  // namespace httpcore::app
