/// @file
/// The request-target parser (RFC 9112 §3.2 over the RFC 3986 grammar) and two
/// helpers the parser never applies by itself: percent-decoding and dot-segment
/// removal.
///
/// Parsing allocates nothing: every component is a view into the caller's
/// string and stays valid for as long as that string does. The parser only
/// splits and validates; it never decodes "%XX", folds case or normalises a
/// path, because doing any of that silently is how two components of one
/// system come to disagree about which resource a request names.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace httpcore {

/// The four shapes of request-target (RFC 9112 §3.2).
enum class target_form : std::uint8_t {
  origin,     ///< absolute-path [ "?" query ], e.g. "/where?q=now"
  absolute,   ///< absolute-URI, e.g. "http://example.com/x" (requests to proxies)
  authority,  ///< uri-host ":" port, e.g. "example.com:443" (CONNECT only)
  asterisk,   ///< "*" (server-wide OPTIONS only)
};

/// Which branch of the RFC 3986 §3.2.2 `host` rule matched.
enum class host_kind : std::uint8_t {
  none,        ///< no host (origin-form, asterisk-form, absolute-URI without "//")
  reg_name,    ///< a registered name (possibly empty in a non-http absolute-URI)
  ipv4,        ///< dotted-decimal IPv4address
  ipv6,        ///< "[" IPv6address [ "%25" zone ] "]" (zone per RFC 6874)
  ipv_future,  ///< "[v" HEXDIG "." ... "]"
};

/// A split request-target: views into the string given to parse_target().
///
/// Absent components are empty views; the `has_*` flags tell an empty
/// component ("/p?") from an absent one ("/p"), a distinction RFC 3986 keeps.
struct target_parts {
  target_form form = target_form::origin;
  host_kind kind = host_kind::none;
  std::string_view scheme;  ///< as sent (case-insensitive by RFC; not folded)
  /// The whole RFC 3986 authority, `[userinfo "@"] host [":" port]`, exactly as
  /// sent; this is what llhttp reports as its "url.host" span.
  std::string_view authority;
  std::string_view userinfo;  ///< without the "@"
  /// The host as RFC 3986 defines it: an IP literal keeps its brackets
  /// ("[::1]"), so `host` can be put back into a Host field or URI unchanged.
  /// For the bare address of an ipv6/ipv_future host, drop the first and last
  /// byte (and, for ipv6, any "%25zone" suffix).
  std::string_view host;
  std::string_view port;  ///< the digits as sent, without the ":"
  /// Path as sent, percent-escapes and dot-segments intact. Empty for
  /// authority-form, asterisk-form and "http://host" (which means "/",
  /// RFC 9110 §4.2.3).
  std::string_view path;
  std::string_view query;         ///< without the "?"
  std::string_view fragment;      ///< without the "#"; see target_options
  std::uint16_t port_number = 0;  ///< 0 when there is no port (port 0 is rejected)
  bool has_authority = false;
  bool has_userinfo = false;
  bool has_port = false;
  bool has_query = false;
  bool has_fragment = false;
};

/// Why a request-target was rejected. Every error maps to a 400 response.
enum class target_error : std::uint8_t {
  ok,
  empty,                 ///< zero-length target
  invalid_char,          ///< a byte no URI may hold: CTL, SP, DEL, >= 0x80, "<>\"\\^`{|}",
                         ///< or a delimiter where the grammar has none ("#" in a fragment)
  invalid_percent,       ///< "%" not followed by two hex digits (unless lenient_percent)
  invalid_scheme,        ///< scheme not ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":"
  invalid_userinfo,      ///< a byte the userinfo rule does not allow
  invalid_host,          ///< malformed reg-name, IPv6 or IPvFuture literal
  invalid_port,          ///< non-digit, zero, or above 65535
  missing_host,          ///< empty host where one is required (http(s), authority-form)
  missing_port,          ///< authority-form without ":port" (RFC 9110 §9.3.6)
  userinfo_not_allowed,  ///< userinfo present and target_options::reject_userinfo
  fragment_not_allowed,  ///< "#" present and target_options::reject_fragment
  wrong_form,            ///< not the form the caller (or the method) requires
};

/// A stable, lower-case, snake_case name for `e` (e.g. "invalid_port").
[[nodiscard]] std::string_view target_error_name(target_error e) noexcept;

/// Knobs for the few places where real clients and the RFC part ways.
/// The defaults are strict where the RFC is explicit and permissive where it
/// is silent, so that targets llhttp accepts and the RFC allows parse here too.
struct target_options {
  /// Accept "%" not followed by two hex digits as a literal byte, as llhttp
  /// does. RFC 3986 §2.1 makes such a target ungrammatical, so the default
  /// rejects it (invalid_percent); percent_decode() will reject it regardless.
  bool lenient_percent = false;
  /// Reject a "#fragment". Strictly, a request-target never has one (RFC 9112
  /// §3.2 uses absolute-URI, not URI), but llhttp splits it out and ignoring
  /// it is harmless, so by default it is reported in target_parts::fragment.
  bool reject_fragment = false;
  /// Reject userinfo. RFC 9110 §4.2.4: senders MUST NOT put it in an http(s)
  /// target and recipients SHOULD treat it as an error; off by default only
  /// so that a caller can see it and decide (llhttp accepts it).
  bool reject_userinfo = false;
};

/// Outcome of parse_target(). On error `parts` holds the components
/// recognised before the failure (useful for diagnostics only) and
/// `error_offset` is the index in the input of the offending byte (for a
/// missing component, the index where it should have started).
struct target_result {
  target_parts parts;
  target_error error = target_error::ok;
  std::size_t error_offset = 0;

  [[nodiscard]] bool ok() const noexcept { return error == target_error::ok; }
};

/// Parses `target`, inferring its form when the method is unknown:
/// exactly "*" is asterisk-form, a leading "/" is origin-form, `scheme "://"`
/// is absolute-form, `name ":" 1*DIGIT` and anything not starting with a
/// scheme is authority-form, and any other `scheme ":"` is absolute-form.
/// "localhost:80" is read as authority-form although it is also a valid
/// absolute-URI; when the method is known prefer parse_request_target().
[[nodiscard]] target_result parse_target(std::string_view target,
                                         target_options options = {}) noexcept;

/// Parses `target` as exactly the `expected` form (e.g. authority for CONNECT);
/// a target of another shape fails with target_error::wrong_form or with the
/// first grammar error met while reading it as `expected`.
[[nodiscard]] target_result parse_target(std::string_view target, target_form expected,
                                         target_options options = {}) noexcept;

/// Parses the target of a request with `method` (compared case-sensitively,
/// RFC 9110 §9.1) under RFC 9112 §3.2: CONNECT takes authority-form only,
/// OPTIONS also allows asterisk-form, every other method takes origin-form or
/// absolute-form (so "localhost:80" in a GET is an absolute-URI with scheme
/// "localhost"). A target of a form the method does not allow, e.g. "*" in a
/// GET, "[::1]:80" in a GET or "/x" in a CONNECT, fails with
/// target_error::wrong_form at offset 0.
[[nodiscard]] target_result parse_request_target(std::string_view method, std::string_view target,
                                                 target_options options = {}) noexcept;

/// Parses a Host field value, uri-host [ ":" port ] (RFC 9110 §7.2), with the
/// authority-form grammar but an optional port and no userinfo: `authority`,
/// `host`, `kind`, `port`, `has_port` and `port_number` are set (`form` is
/// authority). An empty value is valid: RFC 9112 §3.2 has a client send one
/// when the target URI has no authority. Errors and offsets as parse_target's
/// (invalid_char for "a b", invalid_host for "u@h", invalid_port for "h:x").
[[nodiscard]] target_result parse_host(std::string_view value,
                                       target_options options = {}) noexcept;

/// Decodes every "%XX" (either hex case) in `in` into `out`, replacing what
/// `out` held. "+" stays "+" (that is form encoding, not URI encoding) and
/// "%00" yields a NUL byte, so check the result before using it as a name.
/// Decode components after splitting them: "%2F" in a path segment is data,
/// not a separator. Returns false, leaving `out` empty, on "%" not followed
/// by two hex digits.
[[nodiscard]] bool percent_decode(std::string_view in, std::string& out);

/// Like percent_decode() but in place and without allocating (the decoded
/// form is never longer). Returns the decoded length, or nullopt on a
/// malformed escape, in which case `buf` holds unspecified bytes.
[[nodiscard]] std::optional<std::size_t> percent_decode_in_place(std::span<char> buf) noexcept;

/// RFC 3986 §5.2.4 remove_dot_segments: "/a/b/c/./../../g" -> "/a/g",
/// "mid/content=5/../6" -> "mid/6". Only literal "." and ".." segments count;
/// "%2E" is not a dot here, so decode unreserved escapes first (RFC 3986
/// §6.2.2.2) when normalising a path for access decisions.
[[nodiscard]] std::string remove_dot_segments(std::string_view path);

/// remove_dot_segments() in place, without allocating (the result is never
/// longer than the input). Returns the new length; bytes past it are
/// unspecified.
[[nodiscard]] std::size_t remove_dot_segments_in_place(std::span<char> path) noexcept;

}  // namespace httpcore
