#pragma once
/// \file
/// An incremental UTF-8 validator (RFC 3629): bytes may arrive in any number
/// of pieces, and a sequence may be cut anywhere between them. It rejects
/// overlong forms, surrogates (U+D800-DFFF), code points above U+10FFFF and
/// stray continuation bytes at the first byte that makes the input invalid.
/// Runs of ASCII are checked 16 bytes at a time.
///
/// The frame parser uses it for text messages and close reasons; the deflate
/// layer uses it on inflated text.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace httpcore::ws {

class utf8_validator {
 public:
  /// Checks the next bytes. False once the input so far cannot be UTF-8
  /// (and from then on until reset()).
  bool feed(std::span<const std::byte> bytes) noexcept {
    return feed_until_invalid(bytes) == bytes.size();
  }
  bool feed(std::string_view text) noexcept {
    return feed(std::as_bytes(std::span<const char>(text.data(), text.size())));
  }

  /// Checks the next bytes and returns how many of them were accepted: all of
  /// them, or the index of the first byte that makes the input invalid. A byte
  /// that begins a sequence is accepted even if the sequence is not finished.
  std::size_t feed_until_invalid(std::span<const std::byte> bytes) noexcept;

  /// The input so far is valid UTF-8 and does not end inside a sequence.
  bool complete() const noexcept { return !failed_ && pending_ == 0; }

  /// An invalid byte was seen.
  bool failed() const noexcept { return failed_; }

  /// Forgets everything: the next byte starts a new text.
  void reset() noexcept { *this = utf8_validator{}; }

 private:
  std::uint8_t pending_ = 0;  // continuation bytes still expected
  std::uint8_t low_ = 0x80;   // range of the next continuation byte
  std::uint8_t high_ = 0xBF;
  bool failed_ = false;
};

/// One-shot check of a whole text.
bool is_valid_utf8(std::span<const std::byte> bytes) noexcept;
inline bool is_valid_utf8(std::string_view text) noexcept {
  return is_valid_utf8(std::as_bytes(std::span<const char>(text.data(), text.size())));
}

}  // namespace httpcore::ws
