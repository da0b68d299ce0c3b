#pragma once
// What travels on a Redis channel: a hub message wrapped with the instance
// that published it and that instance's sequence number. The origin is how an
// instance recognises its own messages coming back from Redis (it delivered
// them locally already, so they are dropped: each local subscriber gets a
// message exactly once); the sequence lets a receiver refuse anything that is
// not newer than what it already delivered from that origin.
//
// Wire form, in ASCII up to the first '\n', then the payload as is:
//   "hub1 " ORIGIN " " SEQ " " KIND "\n" PAYLOAD
//   ORIGIN: 16 lowercase hex digits; SEQ: decimal, 1 to 20 digits, no
//   leading zero, fits 64 bits; KIND: 't' (text) or 'b' (binary).
// Pure: no I/O, no clock.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace httpcore::redis {

struct envelope {
  std::uint64_t origin = 0;
  std::uint64_t sequence = 0;
  bool text = true;
  std::string_view payload;  ///< decode(): a view into the decoded bytes
};

/// The most bytes encode() puts before the payload.
inline constexpr std::size_t envelope_header_max = 5 + 16 + 1 + 20 + 1 + 1 + 1;

/// The wire form of `e`.
std::string encode(const envelope& e);

enum class envelope_error : std::uint8_t {
  none,
  bad_magic,     ///< does not start with "hub1 "
  bad_origin,    ///< not 16 lowercase hex digits followed by ' '
  bad_sequence,  ///< no digits, a leading zero, too long, above 2^64-1, or no ' ' after
  bad_kind,      ///< not 't' or 'b' followed by '\n'
};

/// The error's stable name ("bad_origin", ...).
std::string_view to_string(envelope_error e) noexcept;

struct decode_result {
  envelope value{};
  envelope_error error = envelope_error::none;
  std::size_t offset = 0;  ///< of the offending byte (or the end, when cut short)
  bool ok() const noexcept { return error == envelope_error::none; }
};

/// Parses the wire form; the payload views into `bytes`.
decode_result decode(std::string_view bytes) noexcept;

}  // namespace httpcore::redis
