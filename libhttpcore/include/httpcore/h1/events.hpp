#pragma once
/// \file
/// The events the HTTP/1 parser produces: plain values whose views point into
/// the bytes given to the parser's feed() call that produced them. They stay
/// valid until the next call, or until the caller changes those bytes.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <variant>

#include "httpcore/h1/header.hpp"
#include "httpcore/method.hpp"

namespace httpcore::h1 {

/// How a message's body is delimited (RFC 9112 §6.3).
enum class body_framing : std::uint8_t {
  none,            ///< no body at all
  content_length,  ///< exactly content_length bytes
  chunked,         ///< chunked transfer coding, ends with the last chunk and trailers
  until_close,     ///< response body read until the peer closes (or lenient TE requests)
};

/// The transfer codings (RFC 9112 §7) that remain on a message's body as the
/// parser delivers it in body_data: the codings the Transfer-Encoding field
/// lines list, in the order the sender applied them, except a final "chunked",
/// which the parser undoes itself. The parser decodes no other coding, so when
/// any remain, body_data is still coded: for "Transfer-Encoding: gzip, chunked"
/// it is the gzip stream, de-chunked. Whoever reads such a body must undo the
/// codings (the whole list is in the head's Transfer-Encoding fields) or refuse
/// the message (a server answers 501, RFC 9112 §6.1). Empty without
/// Transfer-Encoding and for "chunked" alone. With lenient_flags::
/// transfer_encoding, a list the parser cannot frame (a body read until close)
/// keeps every coding, "chunked" included.
struct transfer_coding_list {
  /// The first remaining coding's token as received, without parameters (e.g.
  /// "gzip"): a view into the head's fields. Empty when count == 0.
  std::string_view first;
  /// Where `first` starts, counted as error::offset counts (from the first byte
  /// given to the parser since it was made or reset).
  std::uint64_t offset = 0;
  /// How many codings remain (0: body_data is the body as sent).
  std::uint32_t count = 0;

  bool empty() const noexcept { return count == 0; }
};

/// The form of the request-target (RFC 9112 §3.2) as the parser classified it.
enum class target_kind : std::uint8_t { origin, absolute, authority, asterisk };

struct request_head {
  std::string_view method;  ///< the token as received
  httpcore::method method_id = httpcore::method::unknown;
  std::string_view target;  ///< the request-target, not decoded (see httpcore/target.hpp)
  target_kind target_form = target_kind::origin;
  int version_major = 1;  ///< other than 1 only with lenient_flags::version
  int version_minor = 1;
  std::span<const header> headers;
  bool keep_alive = true;        ///< per version and the Connection field's tokens
  bool expect_continue = false;  ///< "Expect: 100-continue" (RFC 9110 §10.1.1)
  bool upgrade = false;          ///< Upgrade requested (Upgrade field + "upgrade" in Connection)
  body_framing framing = body_framing::none;
  std::uint64_t content_length = 0;  ///< valid when framing == content_length
  /// The Content-Length field's value whenever the head has one that counts
  /// (not when Transfer-Encoding overrides it).
  std::optional<std::uint64_t> announced_content_length;
  /// Codings other than a final chunked still on the body (see transfer_coding_list).
  transfer_coding_list transfer_codings;

  /// The first header field called `name` (case-insensitive), or nullptr.
  const header* find(std::string_view name) const noexcept { return find_header(headers, name); }
};

struct response_head {
  int status = 0;
  std::string_view reason;
  int version_major = 1;
  int version_minor = 1;
  std::span<const header> headers;
  bool keep_alive = true;
  body_framing framing = body_framing::none;
  std::uint64_t content_length = 0;  ///< the body's length, when framing == content_length
  /// The Content-Length field's value whenever the head has one that counts,
  /// also when no body follows: a response to HEAD (or a 304) announces the
  /// size the representation has (RFC 9110 §8.6); `framing` says none.
  std::optional<std::uint64_t> announced_content_length;
  /// Codings other than a final chunked still on the body (see transfer_coding_list):
  /// a client that does not undo them must not take body_data for the content.
  transfer_coding_list transfer_codings;

  /// The first header field called `name` (case-insensitive), or nullptr.
  const header* find(std::string_view name) const noexcept { return find_header(headers, name); }
};

/// A piece of the body, after chunked decoding (and only that: see
/// transfer_coding_list). A body may arrive in many pieces.
struct body_data {
  std::span<const std::byte> bytes;
  std::string_view text() const noexcept {
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
  }
};

/// The message is complete. trailers is empty unless a chunked body had some.
struct message_end {
  std::span<const header> trailers;
  /// Body bytes delivered for this message (after de-chunking): the sum of
  /// its body_data pieces.
  std::uint64_t body_bytes = 0;

  /// The first trailer field called `name` (case-insensitive), or nullptr.
  const header* find(std::string_view name) const noexcept { return find_header(trailers, name); }
};

/// Why HTTP/1 parsing ended with an `upgraded` event.
enum class upgrade_kind : std::uint8_t {
  upgrade,     ///< request with Upgrade (after its body), or a 101 response
  connect,     ///< CONNECT request, or a 2xx response to CONNECT: a tunnel
  h2_preface,  ///< the connection starts with the HTTP/2 preface "PRI * HTTP/2.0" (prior
               ///< knowledge, RFC 9113 §3.3); later in a connection it is an error
};

/// HTTP/1 parsing is over. The bytes not consumed belong to the next protocol
/// (for h2_preface, they include the preface itself). A server that declines an
/// upgrade calls parser::reset() and goes on feeding HTTP/1.
struct upgraded {
  upgrade_kind kind = upgrade_kind::upgrade;
};

/// Every byte given was consumed or must be given again with more appended.
struct need_more {};

using event =
    std::variant<need_more, request_head, response_head, body_data, message_end, upgraded>;

}  // namespace httpcore::h1
