// See divergences.hpp. Each rule names its register entry and says, in its
// comment, the one difference it accepts. A rule looks at the first message on
// which the engines differ (the messages before it are equal); what follows
// that message is not compared, since the two engines are then in different
// states (one stopped, or one closed the connection).
//
// Rules pin their difference down with httpcore's error name and offset (which
// point at the byte that decided it) and the input around that offset, so
// that an unrelated difference in the same message is not excused by accident.

#include "divergences.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>

#include "classifier_support.hpp"
#include "httpcore/target.hpp"

namespace httpcore::fuzz {
namespace {

// ---------------------------------------------------------------- rules ----

// D01: a request field line starting with SP or HTAB (obs-fold). We refuse it
// (obs_fold, pointing at that whitespace right after a line end); llhttp gets
// past the message.
bool d01_obs_fold(const difference& d) {
  return d.in.mode.request && we_refused(d, "obs_fold") &&
         (our_byte(d) == ' ' || our_byte(d) == '\t') && d.ours.error_offset > 0 &&
         (input(d)[d.ours.error_offset - 1] == '\n' || input(d)[d.ours.error_offset - 1] == '\r');
}

// D02: lenient `headers` admits control bytes in field values and nothing
// else. With it llhttp also accepts whitespace before a colon, obs-fold, and a
// bare CR or LF ending a field line; we still refuse them
// (whitespace_before_colon, obs_fold, cr_without_lf, lf_without_cr) inside the
// message's field section, where llhttp gets past the message.
bool d02_lenient_headers_values_only(const difference& d) {
  const std::string& e = d.ours.error;
  if (!lenient(d, "headers") || !refused_here(d.our_digest, d.at) || !passed(d.their_digest, d.at))
    return false;
  if (e != "whitespace_before_colon" && e != "obs_fold" && e != "cr_without_lf" &&
      e != "lf_without_cr")
    return false;
  std::size_t line_end = input(d).find('\n', message_start(d, d.at));
  return line_end != std::string_view::npos && d.ours.error_offset > line_end;
}

// D02, continued: llhttp's lenient obs-fold also joins a field line we judge
// by itself first. We refuse the field (any error) on a line that the next
// line continues with SP or HTAB; llhttp gets past the message.
bool d02_refused_before_fold(const difference& d) {
  std::string_view in = input(d);
  if (!lenient(d, "headers") || !refused_here(d.our_digest, d.at) || !passed(d.their_digest, d.at))
    return false;
  std::size_t nl = in.find('\n', d.ours.error_offset);
  return nl != std::string_view::npos && nl + 1 < in.size() &&
         (in[nl + 1] == ' ' || in[nl + 1] == '\t');
}

// D03: a method token llhttp does not know for HTTP/1.x. We deliver the
// message; llhttp fails on the method (HPE_INVALID_METHOD), or, for a method
// only RTSP has, on the HTTP version after it (HPE_INVALID_CONSTANT).
bool d03_any_token_method(const difference& d) {
  auto ours = message_at(d.our_digest, d.at);
  if (!d.in.mode.request || !ours) return false;
  int kind = conformance::llhttp_method_kind(ours->method);
  return (kind == 0 && they_refused(d, "HPE_INVALID_METHOD")) ||
         (kind == 2 && they_refused(d, "HPE_INVALID_CONSTANT"));
}

// D04: the protocol name RTSP (llhttp's RTSP mode). We fail on its first byte
// (invalid_version); llhttp accepts the message.
bool d04_only_http(const difference& d) {
  return d.in.mode.request && we_refused(d, "invalid_version") &&
         input(d).substr(d.ours.error_offset, 5) == "RTSP/";
}

// D05: HTTP/0.9. llhttp delivers a message of version 0.9 (a request line
// without a version, or an explicit HTTP/0.9 start line); we refuse it at the
// line end after the target, or at the version.
bool d05_no_http09(const difference& d) {
  auto theirs = message_at(d.their_digest, d.at);
  if (!theirs || theirs->version != "0.9" || !refused_here(d.our_digest, d.at)) return false;
  std::string_view in = input(d);
  std::size_t o = d.ours.error_offset;
  if (in.substr(o, 8) == "HTTP/0.9") return d.ours.error == "unsupported_version";
  // No version: the request line is "method SP target" and ends at `o`.
  if (!d.in.mode.request || (our_byte(d) != '\r' && our_byte(d) != '\n')) return false;
  std::string_view line = in.substr(line_start(in, o), o - line_start(in, o));
  return std::count(line.begin(), line.end(), ' ') == 1;
}

// D06: "*" as the target of a method other than OPTIONS. We fail on the "*"
// (target_form_mismatch); llhttp gets past the message.
bool d06_asterisk_only_options(const difference& d) {
  return d.in.mode.request && we_refused(d, "target_form_mismatch") && our_byte(d) == '*' &&
         our_byte(d, 1) == ' ';
}

// D07: the HTTP/2 preface. (a) The connection starts with the exact preface:
// we end HTTP/1 before it (upgrade at 0, the preface left for HTTP/2), llhttp
// after it (at 24). (b) llhttp takes any PRI request followed by "SM\r\n\r\n"
// for the preface (HPE_PAUSED_H2_UPGRADE); we read it as HTTP/1 and fail.
// (c) llhttp refuses a PRI request that is not followed by "SM" (as
// HPE_INVALID_VERSION, or at the end of the input while it waits for "SM");
// we deliver it as the HTTP/1 request it is.
bool d07_h2_preface(const difference& d) {
  static constexpr std::string_view preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
  if (!d.in.mode.request) return false;
  if (d.at == 0 && input(d).substr(0, preface.size()) == preface &&
      d.our_digest.upgrade == "upgrade at=0" && d.their_digest.upgrade == "upgrade at=24")
    return true;
  auto ours = message_at(d.our_digest, d.at);
  if (ours && ours->method == "PRI" &&
      (they_refused(d, "HPE_INVALID_VERSION") || they_refused(d, "HPE_INVALID_EOF_STATE")))
    return true;
  return d.theirs.error == "HPE_PAUSED_H2_UPGRADE" && d.their_digest.messages.size() == d.at &&
         d.our_digest.end == digest::ending::rejected && (!ours || ours->method == "PRI");
}

// D09: with lenient optional_cr_before_lf a bare LF is a line end wherever a
// CRLF is, so "\n\n" after a start line or after the last chunk ends the head
// or the message. llhttp reads LF LF after the version as one line end,
// refuses an LF after the version that another LF does not follow, and reads
// the line after "0\n\n" as a trailer. The flag is set, and before the point
// where the engines part a line of the message's head, or a chunk-size line
// after it (a line starting with a hex digit), ends in a bare LF.
bool d09_bare_lf_line_ends(const difference& d) {
  if (!lenient(d, "optional_cr_before_lf")) return false;
  std::string_view in = input(d);
  std::size_t begin = message_start(d, d.at);
  std::size_t limit = in.size();
  if (refused_here(d.our_digest, d.at)) limit = std::min<std::size_t>(limit, d.ours.error_offset);
  if (refused_here(d.their_digest, d.at))
    limit = std::min<std::size_t>(limit, d.theirs.error_offset);
  if (d.at < d.ours.message_ends.size())
    limit = std::min<std::size_t>(limit, d.ours.message_ends[d.at]);
  bool in_head = true;
  for (std::size_t line = begin; line < limit && line < in.size();) {
    std::size_t nl = in.find('\n', line);
    if (nl == std::string_view::npos || nl >= limit + 1) break;
    bool bare = nl == 0 || in[nl - 1] != '\r';
    bool empty = nl == line || (nl == line + 1 && in[line] == '\r');
    if (bare && (in_head || std::isxdigit(static_cast<unsigned char>(in[line])))) return true;
    if (empty) in_head = false;
    line = nl + 1;
  }
  return false;
}

// D08: lenient chunked_length only lets Content-Length stand beside a
// Transfer-Encoding we can frame. With llhttp's chunked-length leniency a
// request whose Transfer-Encoding does not end in chunked (identity, gzip, ...)
// is read until the connection closes; we refuse it (unknown_transfer_coding,
// chunked_not_final) unless lenient transfer_encoding is set too. llhttp's
// message has a Transfer-Encoding field.
bool d08_chunked_length_is_not_te(const difference& d) {
  if (!d.in.mode.request || !lenient(d, "chunked_length") || lenient(d, "transfer_encoding"))
    return false;
  if (!we_refused(d, "unknown_transfer_coding") && !we_refused(d, "chunked_not_final"))
    return false;
  auto theirs = parse_message(any_message(d.their_digest, d.at));
  return theirs && has_field(*theirs, "Transfer-Encoding");
}

// D10: Proxy-Connection. The message is the same but for keep-alive, and it
// has a Proxy-Connection field, which llhttp reads as Connection.
bool d10_proxy_connection(const difference& d) {
  auto ours = message_at(d.our_digest, d.at);
  return ours && has_field(*ours, "Proxy-Connection") &&
         (only_keep_alive_differs(d, true) || only_keep_alive_differs(d, false));
}

// D13: HTTP/2.0 in an HTTP/1 start line (not the preface). We refuse it at the
// version (unsupported_version); llhttp delivers a message of version 2.0.
bool d13_no_http2_start_line(const difference& d) {
  auto theirs = message_at(d.their_digest, d.at);
  return theirs && theirs->version == "2.0" && refused_here(d.our_digest, d.at) &&
         d.ours.error == "unsupported_version" &&
         input(d).substr(d.ours.error_offset, 8) == "HTTP/2.0";
}

// D14: the request-target's form. (a) We refuse a target whose form does not
// suit its method, at the target's first byte (invalid_target or
// target_form_mismatch), and httpcore's own RFC 3986 parser (parse_target)
// agrees that it does not; llhttp gets past the message. (b) llhttp refuses
// the URL (HPE_INVALID_URL) inside a target we deliver: the request line checks
// the form only, the target's inner grammar is parse_target's to judge.
bool d14_target_form(const difference& d) {
  if (!d.in.mode.request) return false;
  start_line l = start_line_of(d, d.at);
  if (!l.ok) return false;
  if ((we_refused(d, "invalid_target") || we_refused(d, "target_form_mismatch")) &&
      d.ours.error_offset == l.target_at) {
    target_result r = parse_target(l.target);
    if (!r.ok()) return true;
    if (l.method == "CONNECT") return r.parts.form != target_form::authority;
    if (r.parts.form == target_form::asterisk) return l.method != "OPTIONS";
    return r.parts.form == target_form::authority;
  }
  // (llhttp may notice the damage only at the space after the target.)
  return they_refused(d, "HPE_INVALID_URL") && d.theirs.error_offset >= l.target_at &&
         d.theirs.error_offset <= l.target_at + l.target.size() + 1;
}

// D15: one SP between the parts of a request line. We refuse a second space
// (invalid_request_line after the method, invalid_version after the target);
// llhttp skips it.
bool d15_single_space(const difference& d) {
  if (!d.in.mode.request || !refused_here(d.our_digest, d.at) || !passed(d.their_digest, d.at))
    return false;
  if (d.ours.error != "invalid_request_line" && d.ours.error != "invalid_version") return false;
  std::size_t o = d.ours.error_offset;
  return our_byte(d) == ' ' && o > 0 && input(d)[o - 1] == ' ' &&
         o < input(d).find_first_of("\r\n", message_start(d, d.at));
}

// D16: a request's Transfer-Encoding must name codings we know, ending in
// chunked. We refuse an unknown coding (unknown_transfer_coding, 501) or an
// empty list (invalid_transfer_encoding) inside a Transfer-Encoding field;
// llhttp accepts any token list that ends in chunked, and an empty one.
// In a response only a malformed list counts: an unknown coding makes the body
// run until the connection closes, for both engines.
bool d16_known_codings(const difference& d) {
  bool unknown = d.in.mode.request && we_refused(d, "unknown_transfer_coding");
  if ((unknown || we_refused(d, "invalid_transfer_encoding")) &&
      in_field(d, d.ours.error_offset, "Transfer-Encoding"))
    return true;
  // With lenient transfer_encoding we read a request whose codings we cannot
  // decode until the connection closes (keep-alive 0) where llhttp reads
  // chunks: the heads are the same but for keep-alive, and a coding of the
  // head's Transfer-Encoding is neither chunked nor one we know.
  std::string ours = any_message(d.our_digest, d.at), theirs = any_message(d.their_digest, d.at);
  auto head = parse_message(ours);
  if (!d.in.mode.request || !lenient(d, "transfer_encoding") || !head || head->keep_alive ||
      head_without_connection_bits(ours) != head_without_connection_bits(theirs))
    return false;
  for (const auto& [name, value] : head->headers) {
    if (!iequals(name, "Transfer-Encoding")) continue;
    std::string_view rest = value;
    while (!rest.empty()) {
      std::string_view coding = rest.substr(0, rest.find(','));
      rest.remove_prefix(std::min(rest.size(), coding.size() + 1));
      while (!coding.empty() && (coding.front() == ' ' || coding.front() == '\t'))
        coding.remove_prefix(1);
      coding = coding.substr(0, coding.find_first_of(" \t;"));
      bool known = false;
      for (std::string_view k : {"chunked", "gzip", "x-gzip", "deflate", "compress", "x-compress"})
        known = known || iequals(coding, k);
      if (!coding.empty() && !known) return true;
    }
  }
  return false;
}

// D17: chunk extensions follow RFC 9112 §7.1.1. (a) llhttp refuses
// whitespace (BWS) around ';' and '=' (HPE_STRICT at a SP or HTAB) where we
// complete the message. (b) We refuse an extension the grammar does not allow
// (invalid_chunk_extension, e.g. an empty name) on a chunk-size line, where
// llhttp gets past the message.
bool d17_chunk_extensions(const difference& d) {
  // (llhttp stops at the whitespace, or at the byte after it.)
  std::size_t o = d.theirs.error_offset;
  auto ws = [&](std::size_t at) {
    return at < input(d).size() && (input(d)[at] == ' ' || input(d)[at] == '\t');
  };
  if (they_refused(d, "HPE_STRICT") && (ws(o) || (o > 0 && ws(o - 1) && input(d)[o] != '\r')))
    return true;
  if (!we_refused(d, "invalid_chunk_extension")) return false;
  std::string_view in = input(d);
  std::size_t begin = line_start(in, d.ours.error_offset);
  std::size_t semi = in.find(';', begin);
  return std::isxdigit(static_cast<unsigned char>(in[begin])) && semi < d.ours.error_offset;
}

// D18: nothing may follow a message that closed the connection, not even
// empty lines. We refuse CR / LF there (data_after_close); llhttp skips them.
// The rest of the input is nothing but CR and LF, and the messages are equal.
bool d18_nothing_after_close(const difference& d) {
  std::string_view rest =
      input(d).substr(std::min<std::size_t>(d.ours.error_offset, input(d).size()));
  return d.ours.error == "data_after_close" && d.our_digest.end == digest::ending::rejected &&
         d.their_digest.end == digest::ending::clean &&
         d.our_digest.messages == d.their_digest.messages && !rest.empty() &&
         rest.find_first_not_of("\r\n") == std::string_view::npos;
}

// D19: every line ends in CRLF, also the empty lines between messages and
// the status line. We refuse a bare LF or CR there (lf_without_cr at the LF,
// cr_without_lf at the byte after the CR); llhttp skips bare CR and LF before
// a start line and takes "\r" alone as the end of a status line.
bool d19_crlf_line_ends(const difference& d) {
  if (!refused_here(d.our_digest, d.at) || !passed(d.their_digest, d.at)) return false;
  if (d.ours.error != "cr_without_lf" && d.ours.error != "lf_without_cr") return false;
  std::size_t begin = d.at == 0 ? 0 : static_cast<std::size_t>(d.ours.message_ends[d.at - 1]);
  std::size_t o = d.ours.error_offset;
  std::string_view in = input(d);
  if (o < begin || o > in.size()) return false;
  std::string_view gap = in.substr(begin, o - begin);
  bool bare =
      d.ours.error == "lf_without_cr" ? our_byte(d) == '\n' : !gap.empty() && gap.back() == '\r';
  if (bare && gap.find_first_not_of("\r\n") == std::string_view::npos) return true;
  // A status line ended by a bare CR: the CR is the first one of the message.
  std::size_t start = message_start(d, d.at);
  return !d.in.mode.request && d.ours.error == "cr_without_lf" && o > start &&
         in.substr(start, 5) == "HTTP/" && in.find_first_of("\r\n", start) == o - 1;
}

// D20: framing and connection fields in a trailer section are delivered as
// trailers and never acted on. (a) llhttp refuses a Transfer-Encoding or
// Content-Length trailer (HPE_INVALID_TRANSFER_ENCODING, ..._CONTENT_LENGTH);
// we deliver it. (b) After a message whose trailers hold Connection,
// Transfer-Encoding or Content-Length, llhttp closes the connection and
// refuses the next message (HPE_CLOSED_CONNECTION); we read it.
bool d20_framing_trailers(const difference& d) {
  if (!refused_here(d.their_digest, d.at)) return false;
  auto before = d.at > 0 ? message_at(d.our_digest, d.at - 1) : std::nullopt;
  if (before && d.theirs.error == "HPE_CLOSED_CONNECTION" &&
      (has_trailer(*before, "Connection") || has_trailer(*before, "Transfer-Encoding") ||
       has_trailer(*before, "Content-Length")))
    return true;
  auto ours = message_at(d.our_digest, d.at);
  if (!ours) return false;
  bool te = d.theirs.error == "HPE_INVALID_TRANSFER_ENCODING";
  bool cl = d.theirs.error == "HPE_INVALID_CONTENT_LENGTH" ||
            d.theirs.error == "HPE_UNEXPECTED_CONTENT_LENGTH";
  std::string_view name = te ? "Transfer-Encoding" : "Content-Length";
  return (te || cl) && in_field(d, d.theirs.error_offset, name) && has_trailer(*ours, name);
}

// D21: the reason phrase is HTAB, SP, VCHAR and obs-text only. We refuse a
// control byte in it (invalid_reason, at that byte); llhttp accepts it.
bool d21_reason_bytes(const difference& d) {
  int b = our_byte(d);
  return !d.in.mode.request && we_refused(d, "invalid_reason") &&
         ((b >= 0 && b < 0x20 && b != '\t') || b == 0x7F);
}

// D22: every 1xx response ends with its header section. For a status llhttp
// does not know to be bodiless (104 to 199) it reads a body by Content-Length
// or chunked; we deliver the same head and no body (keep-alive may differ
// too, for a reason keep_alive_explained() names).
bool d22_interim_has_no_body(const difference& d) {
  auto ours = message_at(d.our_digest, d.at);
  if (d.in.mode.request || !ours || ours->status < 104 || ours->status > 199) return false;
  std::string theirs = any_message(d.their_digest, d.at);
  return ours->body.empty() && !theirs.empty() &&
         head_without_connection_bits(d.our_digest.messages[d.at]) ==
             head_without_connection_bits(theirs) &&
         keep_alive_explained(d, theirs);
}

// D23: an interim (1xx) response never ends the connection: the final
// response must follow. After an HTTP/1.0 1xx without keep-alive llhttp
// refuses what follows (HPE_CLOSED_CONNECTION), or with lenient
// data_after_close ignores it; we go on.
bool d23_interim_keeps_connection(const difference& d) {
  auto before = d.at > 0 ? message_at(d.our_digest, d.at - 1) : std::nullopt;
  if (d.in.mode.request || !before || before->status / 100 != 1) return false;
  if (refused_here(d.their_digest, d.at) && d.theirs.error == "HPE_CLOSED_CONNECTION") return true;
  return lenient(d, "data_after_close") && d.their_digest.messages.size() == d.at &&
         d.their_digest.end == digest::ending::clean;
}

// D26: HTAB is whitespace (OWS) like SP, and empty list elements are ignored
// (RFC 9110 §5.5, §5.6.1, §5.6.3). (a) llhttp refuses a Content-Length with an
// HTAB after the digits (HPE_INVALID_CONTENT_LENGTH at the HTAB); we read the
// number. (b) In Connection and Transfer-Encoding llhttp misses "close" or
// "chunked" (or "upgrade") next to an HTAB, and reads "chunked," as a list
// whose last coding is not chunked: it keeps the connection alive, does not
// upgrade, reads the body until the connection closes, or refuses the request
// (HPE_INVALID_TRANSFER_ENCODING in that field). The message's head has such
// a field line, and the heads are the same but for keep-alive and upgrade.
bool d26_list_syntax(const difference& d) {
  std::string_view in = input(d);
  std::size_t o = d.theirs.error_offset;
  if (they_refused(d, "HPE_INVALID_CONTENT_LENGTH") && o < in.size() && in[o] == '\t' &&
      in_field(d, o, "Content-Length"))
    return true;
  bool odd = odd_list_head(d, "Connection"), odd_te = odd_list_head(d, "Transfer-Encoding");
  if (odd_te && they_refused(d, "HPE_INVALID_TRANSFER_ENCODING") &&
      in_field(d, d.theirs.error_offset, "Transfer-Encoding"))
    return true;
  std::string ours = any_message(d.our_digest, d.at), theirs = any_message(d.their_digest, d.at);
  return (odd || odd_te) && !ours.empty() &&
         head_without_connection_bits(ours) == head_without_connection_bits(theirs);
}

// D27: Upgrade in an HTTP/1.0 request (or an older version, with lenient
// version) is ignored. llhttp upgrades; we deliver the same message with
// upgrade=0 and go on with HTTP/1.
bool d27_no_upgrade_in_http10(const difference& d) {
  auto ours = message_at(d.our_digest, d.at), theirs = message_at(d.their_digest, d.at);
  bool before_11 = ours && (ours->version == "1.0" || ours->version.substr(0, 2) == "0.");
  return d.in.mode.request && before_11 && theirs && !ours->upgrade && theirs->upgrade &&
         ours->method != "CONNECT" && has_field(*ours, "Upgrade");
}

// D28: a message with both Content-Length and Transfer-Encoding (accepted
// with lenient chunked_length) ends the connection. The message is the same
// but for keep-alive, which is 0 for us.
bool d28_cl_te_closes(const difference& d) {
  auto ours = message_at(d.our_digest, d.at);
  return ours && has_field(*ours, "Content-Length") && has_field(*ours, "Transfer-Encoding") &&
         only_keep_alive_differs(d, false);
}

// D29: HTTP/2.0 and later versions (accepted with lenient version) persist
// by default, as HTTP/1.1 does. llhttp keeps a connection alive by default
// only when both version digits are non-zero. The message is the same but for
// keep-alive, which is 1 for us.
bool d29_later_versions_persist(const difference& d) {
  auto ours = message_at(d.our_digest, d.at);
  return ours && later_version_persists(d, *ours) && only_keep_alive_differs(d, true);
}

// D24: chunked applied twice. We refuse a Transfer-Encoding list that names
// chunked more than once (chunked_repeated, in a Transfer-Encoding field);
// llhttp accepts it.
// With lenient transfer_encoding we read such a body until the connection
// closes instead (keep-alive 0), where llhttp reads chunks: the heads are the
// same but for keep-alive, and the head's Transfer-Encoding fields name chunked
// more than once.
bool d24_chunked_once(const difference& d) {
  if (we_refused(d, "chunked_repeated") && in_field(d, d.ours.error_offset, "Transfer-Encoding"))
    return true;
  std::string ours = any_message(d.our_digest, d.at), theirs = any_message(d.their_digest, d.at);
  auto head = parse_message(ours);
  if (!lenient(d, "transfer_encoding") || !head || head->keep_alive ||
      head_without_connection_bits(ours) != head_without_connection_bits(theirs))
    return false;
  int chunked = 0;
  for (const auto& [name, value] : head->headers) {
    if (!iequals(name, "Transfer-Encoding")) continue;
    std::string v = value;
    for (char& ch : v) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    for (auto at = v.find("chunked"); at != std::string::npos; at = v.find("chunked", at + 1))
      ++chunked;
  }
  return chunked > 1;
}

// D25: the framing fields of a response that has no body (1xx, 204, 304, or
// an answer to HEAD) are not judged. llhttp refuses such a response for its
// Content-Length or Transfer-Encoding (HPE_INVALID_TRANSFER_ENCODING,
// ..._CONTENT_LENGTH); we deliver it.
bool d25_bodiless_framing(const difference& d) {
  auto ours = message_at(d.our_digest, d.at);
  if (d.in.mode.request || !ours || !refused_here(d.their_digest, d.at)) return false;
  bool bodiless = ours->status / 100 == 1 || ours->status == 204 || ours->status == 304 ||
                  d.in.c.meta.skip_body;
  const std::string& e = d.theirs.error;
  bool framing = e == "HPE_INVALID_TRANSFER_ENCODING" || e == "HPE_INVALID_CONTENT_LENGTH" ||
                 e == "HPE_UNEXPECTED_CONTENT_LENGTH";
  return bodiless && framing && ours->body.empty() &&
         (in_field(d, d.theirs.error_offset, "Transfer-Encoding") ||
          in_field(d, d.theirs.error_offset, "Content-Length"));
}

// D11 and D12 concern parse_target() (url.md), which the fuzzers do not
// call: no rule.

struct rule {
  const char* id;
  bool (*explains)(const difference&);
};

// Rules that pin one construct come first; the broad ones, which accept
// whatever a lenient flag's different reading of line ends causes, come last
// so that the statistics name the precise entry where there is one.
constexpr rule kRules[] = {
    {"D01", d01_obs_fold},
    {"D03", d03_any_token_method},
    {"D04", d04_only_http},
    {"D05", d05_no_http09},
    {"D07", d07_h2_preface},
    {"D06", d06_asterisk_only_options},
    {"D08", d08_chunked_length_is_not_te},
    {"D10", d10_proxy_connection},
    {"D13", d13_no_http2_start_line},
    {"D14", d14_target_form},
    {"D15", d15_single_space},
    {"D16", d16_known_codings},
    {"D17", d17_chunk_extensions},
    {"D18", d18_nothing_after_close},
    {"D19", d19_crlf_line_ends},
    {"D20", d20_framing_trailers},
    {"D21", d21_reason_bytes},
    {"D22", d22_interim_has_no_body},
    {"D23", d23_interim_keeps_connection},
    {"D24", d24_chunked_once},
    {"D25", d25_bodiless_framing},
    {"D26", d26_list_syntax},
    {"D27", d27_no_upgrade_in_http10},
    {"D28", d28_cl_te_closes},
    {"D29", d29_later_versions_persist},
    {"D02", d02_lenient_headers_values_only},
    {"D02", d02_refused_before_fold},
    {"D09", d09_bare_lf_line_ends},
};

// Parser bugs the fuzzers found, reported and not yet fixed. Not divergences:
// each is accepted only so that a campaign can look past it, and is counted
// and named at exit. Remove the entry when the parser is fixed.

// BUG1: the HTTP/2 preface is recognised from "PRI * HTTP/2.0" alone; what
// follows (which must be "\r\n\r\nSM\r\n\r\n", RFC 9113 §3.4) is not checked,
// so a truncated or damaged preface ends HTTP/1 too (upgrade at 0).
bool bug1_partial_h2_preface(const difference& d) {
  static constexpr std::string_view preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
  return d.in.mode.request && d.at == 0 && d.our_digest.upgrade == "upgrade at=0" &&
         input(d).substr(0, 14) == preface.substr(0, 14) &&
         input(d).substr(0, preface.size()) != preface;
}

// BUG2: whitespace after a chunk extension's name or value, right before the
// line's CRLF, is accepted; RFC 9112 §7.1.1 allows BWS only before ';' and
// around '='. llhttp refuses it (HPE_STRICT at the CR, after a SP or HTAB).
bool bug2_chunk_ext_trailing_ws(const difference& d) {
  std::size_t o = d.theirs.error_offset;
  std::string_view in = input(d);
  if (!they_refused(d, "HPE_STRICT") || o == 0 || o >= in.size()) return false;
  std::size_t begin = line_start(in, o), semi = in.find(';', begin);
  return (in[o] == '\r' || in[o] == '\n') && (in[o - 1] == ' ' || in[o - 1] == '\t') && semi < o &&
         std::isxdigit(static_cast<unsigned char>(in[begin]));
}

// BUG3: lenient optional_lf_after_cr takes every bare CR of a head for a line
// end, inside the field section too (a field line, or an empty line). llhttp
// 9.2.1 applies the flag to the start line, the empty line before the body and
// chunk lines only: it refuses a bare CR after a field value (HPE_LF_EXPECTED)
// and reads "\r\r\n" after a status line differently; D02 says no lenient
// flag reopens a bare CR ending a field line. The flag is set, and the head of
// the message holds a CR not followed by LF.
// (In a trailer section, llhttp's HPE_LF_EXPECTED right after a bare CR
// marks it.)
bool bug3_bare_cr_in_fields(const difference& d) {
  if (!lenient(d, "optional_lf_after_cr")) return false;
  std::string_view in = input(d);
  std::size_t o = d.theirs.error_offset;
  if (refused_here(d.their_digest, d.at) && d.theirs.error == "HPE_LF_EXPECTED" && o > 0 &&
      o < in.size() && in[o - 1] == '\r' && in[o] != '\n')
    return true;
  std::size_t begin = message_start(d, d.at);
  std::size_t end = std::min(in.find("\r\n\r\n", begin), in.size());
  for (std::size_t at = in.find('\r', begin); at < end; at = in.find('\r', at + 1))
    if (at + 1 < in.size() && in[at + 1] != '\n') return true;
  return false;
}

constexpr rule kBugs[] = {
    {"BUG1", bug1_partial_h2_preface},
    {"BUG2", bug2_chunk_ext_trailing_ws},
    {"BUG3", bug3_bare_cr_in_fields},
};

}  // namespace

const char* classify(const difference& d) {
  for (const rule& r : kRules)
    if (r.explains(d)) return r.id;
  for (const rule& r : kBugs)
    if (r.explains(d)) return r.id;
  return nullptr;
}

std::size_t divergence_count() {
  return std::size(kRules) + std::size(kBugs);
}
const char* divergence_id(std::size_t i) {
  return i < std::size(kRules) ? kRules[i].id : kBugs[i - std::size(kRules)].id;
}

}  // namespace httpcore::fuzz
