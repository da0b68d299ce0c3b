// HMAC-SHA256 signed cookie values with key rotation (OpenSSL's HMAC, its
// constant-time comparison and its random generator).

#include "httpcore/app/cookie_signer.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <array>
#include <stdexcept>

namespace httpcore::app {
namespace {

constexpr std::size_t kMacBytes = 32;
constexpr std::size_t kMacChars = 43;  // base64url of 32 bytes, unpadded
constexpr std::size_t kMaxKeyBytes = 1024;

std::array<unsigned char, kMacBytes> mac(std::string_view key, std::string_view name,
                                         std::string_view value) {
  std::string message;
  message.reserve(name.size() + 1 + value.size());
  message.append(name).append("=").append(value);
  std::array<unsigned char, kMacBytes> out{};
  unsigned int len = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(message.data()), message.size(), out.data(),
           &len) == nullptr ||
      len != kMacBytes)
    throw std::runtime_error("HMAC-SHA256 failed");
  return out;
}

int base64url_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

// Decodes exactly kMacChars characters into kMacBytes bytes; false on a
// character outside the alphabet or stray bits in the last one.
bool decode_mac(std::string_view text, std::array<unsigned char, kMacBytes>& out) {
  if (text.size() != kMacChars) return false;
  std::uint32_t acc = 0;
  int bits = 0;
  std::size_t n = 0;
  for (char c : text) {
    int v = base64url_value(c);
    if (v < 0) return false;
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = static_cast<unsigned char>(acc >> bits);
      acc &= (1u << bits) - 1;
    }
  }
  return n == kMacBytes && acc == 0;  // 43 * 6 = 258 bits: the last 2 must be 0
}

}  // namespace

std::string base64url(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  out.reserve((bytes.size() * 4 + 2) / 3);
  std::uint32_t acc = 0;
  int bits = 0;
  for (char ch : bytes) {
    acc = (acc << 8) | static_cast<unsigned char>(ch);
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(kAlphabet[(acc >> bits) & 63]);
    }
    acc &= (1u << bits) - 1;
  }
  if (bits > 0) out.push_back(kAlphabet[(acc << (6 - bits)) & 63]);
  return out;
}

std::string random_bytes(std::size_t n) {
  std::string out(n, '\0');
  if (n > 0 && RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1)
    throw std::runtime_error("no random bytes from OpenSSL");
  return out;
}

cookie_signer::cookie_signer(std::vector<std::string> keys) : keys_(std::move(keys)) {
  if (keys_.empty()) throw std::invalid_argument("cookie_signer: no key");
  for (std::size_t i = 0; i < keys_.size(); ++i) {
    if (keys_[i].size() < min_key_bytes || keys_[i].size() > kMaxKeyBytes)
      throw std::invalid_argument("cookie_signer: key " + std::to_string(i) + " has " +
                                  std::to_string(keys_[i].size()) + " bytes; keys need 16 to 1024");
  }
}

std::string cookie_signer::sign(std::string_view name, std::string_view value) const {
  auto m = mac(keys_.front(), name, value);
  std::string out;
  out.reserve(value.size() + 1 + kMacChars);
  out.append(value).append(".").append(
      base64url(std::string_view(reinterpret_cast<const char*>(m.data()), m.size())));
  return out;
}

std::optional<std::string_view> cookie_signer::verify(std::string_view name,
                                                      std::string_view signed_value) const {
  std::size_t dot = signed_value.rfind('.');
  if (dot == std::string_view::npos) return std::nullopt;
  std::string_view value = signed_value.substr(0, dot);
  std::array<unsigned char, kMacBytes> given{};
  if (!decode_mac(signed_value.substr(dot + 1), given)) return std::nullopt;
  bool good = false;
  // Every key is tried, whichever matches: the time taken does not say which.
  for (const std::string& key : keys_) {
    auto expected = mac(key, name, value);
    good |= CRYPTO_memcmp(expected.data(), given.data(), kMacBytes) == 0;
  }
  if (!good) return std::nullopt;
  return value;
}

hex_key_result decode_hex_key(std::string_view hex) {
  hex_key_result out;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f') return (c | 0x20) - 'a' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < hex.size(); ++i) {
    if (nibble(hex[i]) < 0) {
      out.error = std::string("not a hex digit: '") + hex[i] + "'";
      out.offset = i;
      return out;
    }
  }
  if (hex.size() % 2 != 0) {
    out.error = "an odd number of hex digits";
    out.offset = hex.size();
    return out;
  }
  for (std::size_t i = 0; i < hex.size(); i += 2)
    out.key.push_back(static_cast<char>(nibble(hex[i]) * 16 + nibble(hex[i + 1])));
  if (out.key.size() < cookie_signer::min_key_bytes) {
    out.error = std::to_string(out.key.size()) + " bytes; a key needs at least " +
                std::to_string(cookie_signer::min_key_bytes) + " (32 hex digits)";
    out.offset = hex.size();
    out.key.clear();
  }
  return out;
}

}  // namespace httpcore::app
