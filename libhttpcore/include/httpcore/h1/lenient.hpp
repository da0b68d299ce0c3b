#pragma once
/// \file
/// Named relaxations of the strict parser. Each mirrors the llhttp 9.2.1 flag of
/// the same name so that differential fuzzing compares like with like, except
/// `host`: llhttp never checks Host, as if that flag were always set. All are
/// off by default; each one reopens a door that request smuggling has used.

#include <string_view>

namespace httpcore::h1 {

struct lenient_flags {
  /// Accept control bytes in field values (not CR/LF, which end the line).
  bool headers = false;
  /// Accept Content-Length together with Transfer-Encoding (Transfer-Encoding wins).
  bool chunked_length = false;
  /// Keep parsing after a message that asked to close the connection.
  bool keep_alive = false;
  /// Accept a request whose Transfer-Encoding does not end in chunked, or names
  /// an unknown coding; its body is then read until the peer closes.
  bool transfer_encoding = false;
  /// Accept any HTTP/DIGIT.DIGIT version.
  bool version = false;
  /// Ignore bytes after a message that closed the connection instead of failing.
  bool data_after_close = false;
  /// Accept a CR that is not followed by LF as a line end: of the start line,
  /// of the empty line that ends a head or trailers, and of chunk lines. A
  /// field line still needs CRLF (as in llhttp; a bare CR there is how
  /// header-injection attacks split one field into two).
  bool optional_lf_after_cr = false;
  /// Accept a bare LF as a line end.
  bool optional_cr_before_lf = false;
  /// Accept chunk data that is not followed by CRLF.
  bool optional_crlf_after_chunk = false;
  /// Accept spaces and tabs between the chunk size and CRLF or ';'.
  bool spaces_after_chunk_size = false;
  /// Accept a request without Host (HTTP/1.1), with several Host lines, or
  /// with a Host value that is not uri-host [ ":" port ]. Servers that route
  /// or cache by Host disagree about such requests (RFC 9112 §3.2 wants 400);
  /// llhttp has no such check (its test suite's requests mostly lack Host).
  bool host = false;

  friend bool operator==(const lenient_flags&, const lenient_flags&) = default;
};

/// Sets the flag called `name` (as above, e.g. "optional_cr_before_lf");
/// returns false when no flag has that name.
bool set_lenient_flag(lenient_flags& flags, std::string_view name) noexcept;

/// Every flag name, in declaration order.
inline constexpr std::string_view lenient_flag_names[] = {"headers",
                                                          "chunked_length",
                                                          "keep_alive",
                                                          "transfer_encoding",
                                                          "version",
                                                          "data_after_close",
                                                          "optional_lf_after_cr",
                                                          "optional_cr_before_lf",
                                                          "optional_crlf_after_chunk",
                                                          "spaces_after_chunk_size",
                                                          "host"};

}  // namespace httpcore::h1
