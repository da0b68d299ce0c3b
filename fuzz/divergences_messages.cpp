// Rules of the divergence classifier (see divergences.cpp) about messages as
// a whole: connections, responses, field lists, trailers; then the broad rules
// for lenient line ends, and the reported parser bugs.

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "classifier_support.hpp"

namespace httpcore::fuzz {
namespace {

// ------------------------------------------ connections and responses ----

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

// D20(c): after a message whose trailers hold both Transfer-Encoding and
// Content-Length, llhttp does not start the next message's Content-Length
// afresh: it reads the trailer's digits followed by the field's (a trailer
// "3" and a field "0" make a body of 30 bytes), cut short by the end of the
// input ("eof unsafe"). Message `at` is complete for us, with the body its one
// Content-Length field gives; both engines have the same head; both bodies
// start right after it, llhttp's that many bytes long; whatever we read after
// our body starts where our body ends.
bool trailers_frame_next(const difference& d, const head_fields& before) {
  auto ours = message_at(d.our_digest, d.at);
  std::string their_message = any_message(d.their_digest, d.at);
  auto theirs = parse_message(their_message);
  if (!ours || !theirs || d.at >= d.ours.message_ends.size() ||
      !has_trailer(before, "Transfer-Encoding") ||
      head_without_connection_bits(d.our_digest.messages[d.at]) !=
          head_without_connection_bits(their_message))
    return false;
  // The value of the one Content-Length in a field list, digits only.
  auto length_of = [](const auto& fields) -> std::optional<std::string> {
    std::optional<std::string> n;
    for (const auto& [name, value] : fields) {
      if (!iequals(name, "Content-Length")) continue;
      if (n || value.empty() || value.find_first_not_of("0123456789") != std::string::npos)
        return std::nullopt;
      n = value;
    }
    return n;
  };
  auto field = length_of(ours->headers), trailer = length_of(before.trailers);
  if (!field || !trailer || field->size() + trailer->size() > 18 ||
      std::stoull(*field) != ours->body.size())
    return false;
  std::size_t length = std::stoull(*trailer + *field);
  // Our body ends where our message does; the head before it ends in an empty
  // line (under lenient optional_lf_after_cr, possibly a bare CR).
  std::string_view in = input(d);
  std::size_t start = message_start(d, d.at);
  std::size_t body_at = static_cast<std::size_t>(d.ours.message_ends[d.at]) - ours->body.size();
  if (body_at < start || body_at > in.size() || in.substr(body_at, ours->body.size()) != ours->body)
    return false;
  std::string_view head = in.substr(start, body_at - start);
  auto ends_with = [&](std::string_view tail) {
    return head.size() >= tail.size() && head.substr(head.size() - tail.size()) == tail;
  };
  if (!ends_with("\n\n") && !ends_with("\n\r\n") &&
      !(ends_with("\n\r") && lenient(d, "optional_lf_after_cr")))
    return false;
  std::size_t rest = in.size() - body_at;
  bool cut = rest < length;
  bool ended = cut ? d.their_digest.messages.size() == d.at && !d.theirs.events.empty() &&
                         d.theirs.events.back() == "eof unsafe"
                   : d.their_digest.messages.size() > d.at;
  // What we read after our body is ours to read: a next message of ours
  // starts there in the input (or we refused it, or the input ended).
  if (auto next = message_at(d.our_digest, d.at + 1)) {
    std::string line = next->request ? next->method + " " + next->url
                                     : "HTTP/" + next->version + " " + std::to_string(next->status);
    if (in.substr(message_start(d, d.at + 1), line.size()) != line) return false;
  }
  return ended && theirs->body == in.substr(body_at, std::min(rest, length)) &&
         theirs->body != ours->body && ours->keep_alive == theirs->keep_alive &&
         ours->upgrade == theirs->upgrade;
}

// D20: framing and connection fields in a trailer section are delivered as
// trailers and never acted on. (a) llhttp refuses a Transfer-Encoding or
// Content-Length trailer (HPE_INVALID_TRANSFER_ENCODING, ..._CONTENT_LENGTH);
// we deliver it. (b) After a message whose trailers hold Connection,
// Transfer-Encoding or Content-Length, llhttp closes the connection and
// refuses the next message (HPE_CLOSED_CONNECTION), or drops it with lenient
// data_after_close; we read it. (c) With the lenient flags that let it go on,
// llhttp frames the next message by what such trailers set (a body where the
// message's own fields give another length): see trailers_frame_next.
bool d20_framing_trailers(const difference& d) {
  // (With lenient data_after_close llhttp drops the rest instead of refusing it.)
  bool dropped = lenient(d, "data_after_close") && d.their_digest.messages.size() == d.at &&
                 d.their_digest.end == digest::ending::clean;
  auto before = d.at > 0 ? message_at(d.our_digest, d.at - 1) : std::nullopt;
  bool framing_trailer = before && (has_trailer(*before, "Transfer-Encoding") ||
                                    has_trailer(*before, "Content-Length"));
  if ((framing_trailer || (before && has_trailer(*before, "Connection"))) &&
      (dropped ||
       (refused_here(d.their_digest, d.at) && d.theirs.error == "HPE_CLOSED_CONNECTION")))
    return true;
  if (framing_trailer && trailers_frame_next(d, *before)) return true;
  auto ours = message_at(d.our_digest, d.at);
  if (!ours || !refused_here(d.their_digest, d.at)) return false;
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
// too, for a reason keep_alive_explained() names). When the body llhttp reads
// is empty (a chunked "0" and its CRLFs), the interim responses look the same
// and the engines part at the next message: we refuse it at its first line,
// which starts with that "0", and the message before it is such a 1xx.
bool d22_interim_has_no_body(const difference& d) {
  if (d.in.mode.request) return false;
  auto interim = [](const head_fields& h) { return h.status >= 104 && h.status <= 199; };
  auto before = d.at > 0 ? message_at(d.our_digest, d.at - 1) : std::nullopt;
  if (before && interim(*before) && lists(*before, "Transfer-Encoding", "chunked")) {
    std::string_view in = input(d);
    std::size_t start = message_start(d, d.at), o = d.ours.error_offset;
    if (refused_here(d.our_digest, d.at) && start < in.size() && in[start] == '0' && o >= start &&
        o <= in.find('\n', start))
      return true;
  }
  auto ours = message_at(d.our_digest, d.at);
  if (!ours || !interim(*ours)) return false;
  std::string theirs = any_message(d.their_digest, d.at);
  return ours->body.empty() && ours->trailers.empty() && !theirs.empty() &&
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
// (HPE_INVALID_TRANSFER_ENCODING in that field or right after the head). The message's head has
// such a field line, and the heads are the same but for keep-alive and upgrade.
// D26, in an Upgrade request: llhttp, missing "chunked" in an odd
// Transfer-Encoding list, takes the body for empty and upgrades right after
// the head (as D16 describes for a list that does not end in chunked); we
// read chunks. The heads are the same but for keep-alive, ours being what our
// head says, and both ask for the upgrade; llhttp's message has
// no body and its upgrade starts at the end of the head; ours either refused
// the message at or after that point (a bad chunk or trailer) or decoded the
// chunks there and upgraded after them.
bool odd_chunked_upgrade(const difference& d) {
  std::string_view in = input(d);
  auto ours = parse_message(any_message(d.our_digest, d.at));
  auto theirs = message_at(d.their_digest, d.at);
  std::size_t head_end = in.find("\r\n\r\n", message_start(d, d.at));
  if (!d.in.mode.request || !ours || !theirs || !theirs->upgrade || !theirs->body.empty() ||
      head_end == std::string_view::npos || !odd_list_head(d, "Transfer-Encoding") ||
      !lists(*ours, "Transfer-Encoding", "chunked") || !ours->upgrade ||
      ours->keep_alive == we_would_close(*ours) || d.their_digest.end != digest::ending::upgraded ||
      d.their_digest.messages.size() != d.at + 1 ||
      d.their_digest.upgrade != "upgrade at=" + std::to_string(head_end + 4) ||
      head_without_connection_bits(any_message(d.our_digest, d.at)) !=
          head_without_connection_bits(d.their_digest.messages[d.at]))
    return false;
  if (d.our_digest.end == digest::ending::rejected)
    return d.our_digest.messages.size() == d.at && d.ours.error_offset >= head_end + 4;
  if (d.our_digest.end != digest::ending::upgraded || d.our_digest.messages.size() != d.at + 1)
    return false;
  std::size_t at = std::stoull(d.our_digest.upgrade.substr(d.our_digest.upgrade.find('=') + 1));
  auto body = at > head_end + 4 && at <= in.size()
                  ? dechunk(in.substr(head_end + 4, at - head_end - 4), false)
                  : std::nullopt;
  return body && *body == ours->body;
}

bool d26_list_syntax(const difference& d) {
  if (odd_chunked_upgrade(d)) return true;
  std::string_view in = input(d);
  std::size_t o = d.theirs.error_offset;
  if (they_refused(d, "HPE_INVALID_CONTENT_LENGTH") && o < in.size() && in[o] == '\t' &&
      in_field(d, o, "Content-Length"))
    return true;
  bool odd = odd_list_head(d, "Connection"), odd_te = odd_list_head(d, "Transfer-Encoding");
  auto ours = message_at(d.our_digest, d.at), theirs = message_at(d.their_digest, d.at);
  // llhttp refuses the message in that field, or right after the head (having
  // delivered the head, then the same as ours but for keep-alive).
  if (odd_te && ours && d.theirs.error == "HPE_INVALID_TRANSFER_ENCODING" &&
      d.their_digest.end == digest::ending::rejected &&
      d.their_digest.messages.size() <= d.at + 1) {
    std::size_t head_end = in.find("\r\n\r\n", message_start(d, d.at));
    if (in_field(d, o, "Transfer-Encoding") || o == head_end + 4)
      return !theirs || head_without_connection_bits(d.our_digest.messages[d.at]) ==
                            head_without_connection_bits(d.their_digest.messages[d.at]);
  }
  if (!ours || !theirs || (!odd && !odd_te)) return false;
  // A missed token of the odd Connection line changes keep-alive or upgrade
  // only; a missed "chunked" makes llhttp read the body until the connection
  // closes (they_read_chunks_raw).
  if (odd_te && they_read_chunks_raw(d)) return true;
  bool keep_alive =
      ours->keep_alive == theirs->keep_alive ||
      (odd && (lists(*ours, "Connection", "close") || lists(*ours, "Connection", "keep-alive")));
  bool upgrade = ours->upgrade == theirs->upgrade || (odd && lists(*ours, "Connection", "upgrade"));
  return keep_alive && upgrade &&
         without_connection_bits(d.our_digest.messages[d.at]) ==
             without_connection_bits(d.their_digest.messages[d.at]);
}

// D27: Upgrade in an HTTP/1.0 request (or an older version, with lenient
// version) is ignored. llhttp upgrades; we deliver the same message with
// upgrade=0, our keep-alive what our head says, and go on with HTTP/1.
bool d27_no_upgrade_in_http10(const difference& d) {
  auto ours = message_at(d.our_digest, d.at), theirs = message_at(d.their_digest, d.at);
  bool before_11 = ours && (ours->version == "1.0" || ours->version.substr(0, 2) == "0.");
  if (!d.in.mode.request || !before_11 || !theirs || ours->method == "CONNECT" ||
      !has_field(*ours, "Upgrade") || ours->keep_alive == we_would_close(*ours))
    return false;
  if (only_upgrade_differs(d)) return true;
  // Keep-alive may differ too, for a reason a keep-alive rule names (D10's
  // Proxy-Connection, say): the rest is the same once upgrade is set aside.
  std::string t = d.their_digest.messages[d.at];
  auto at = t.rfind(" upgrade=1", t.find('\n'));
  return !ours->upgrade && at != std::string::npos &&
         without_keep_alive(t.replace(at, 10, " upgrade=0")) ==
             without_keep_alive(d.our_digest.messages[d.at]) &&
         keep_alive_explained(d, d.their_digest.messages[d.at]);
}

// For D28, D30, D31: message `at` is the same for both engines but for
// keep-alive, which is 0 for us only, and `why` holds for our head.
bool only_we_close(const difference& d, bool (*why)(const head_fields&)) {
  auto ours = message_at(d.our_digest, d.at);
  return ours && why(*ours) && only_keep_alive_differs(d, false);
}

// D28: a message with both Content-Length and Transfer-Encoding (accepted
// with lenient chunked_length) ends the connection.
bool d28_cl_te_closes(const difference& d) {
  return only_we_close(d, length_beside_transfer_encoding);
}

// D29: HTTP/2.0 and later versions (accepted with lenient version) persist
// by default, as HTTP/1.1 does. llhttp keeps a connection alive by default
// only when both version digits are non-zero. The message is the same but for
// keep-alive, which is 1 for us.
bool d29_later_versions_persist(const difference& d) {
  auto ours = message_at(d.our_digest, d.at);
  return ours && later_version_persists(d, *ours) && only_keep_alive_differs(d, true);
}

// D30: `close` beside `keep-alive` in the Connection fields of an HTTP/1.0
// (or X.0) message. The connection closes for us; llhttp lets the keep-alive
// token win below HTTP/1.1.
bool d30_close_wins(const difference& d) {
  return only_we_close(d, close_beside_keep_alive);
}

// D31: Transfer-Encoding in an HTTP/1.0 message: its framing is not to be
// trusted, so the connection closes after it. llhttp keeps it alive.
bool d31_http10_transfer_encoding_closes(const difference& d) {
  return only_we_close(d, http10_transfer_encoding);
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
  auto head = parse_message(any_message(d.our_digest, d.at));
  if (!head && d.at > 0) head = message_at(d.our_digest, d.at - 1);  // (only the endings differ)
  if (!head || !we_read_until_close(d)) return false;
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

constexpr rule kMessageRules[] = {
    {"D18", d18_nothing_after_close}, {"D19", d19_crlf_line_ends},
    {"D20", d20_framing_trailers},    {"D21", d21_reason_bytes},
    {"D22", d22_interim_has_no_body}, {"D23", d23_interim_keeps_connection},
    {"D24", d24_chunked_once},        {"D25", d25_bodiless_framing},
    {"D26", d26_list_syntax},         {"D27", d27_no_upgrade_in_http10},
    {"D28", d28_cl_te_closes},        {"D29", d29_later_versions_persist},
    {"D30", d30_close_wins},          {"D31", d31_http10_transfer_encoding_closes},
};

// ------------------------------------------------- lenient line ends ----

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

// D09: with lenient optional_cr_before_lf a bare LF is a line end wherever a
// CRLF is, so "\n\n" after a start line or after the last chunk ends the head
// or the message. llhttp reads LF LF after the version as one line end,
// refuses an LF after the version that another LF does not follow, and reads
// the line after "0\n\n" as a trailer. The flag is set, and before the point
// where the engines part a line of the message's head, or a chunk-size line
// after it (a line starting with a hex digit), ends in a bare LF.
// When optional_crlf_after_chunk lets chunk data run into the next size line,
// that line need not start with a hex digit.
bool d09_bare_lf_line_ends(const difference& d) {
  if (!lenient(d, "optional_cr_before_lf")) return false;
  bool any_line = lenient(d, "optional_crlf_after_chunk");
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
    if (bare && (in_head || any_line || std::isxdigit(static_cast<unsigned char>(in[line]))))
      return line_ends_leave_the_rest(d, /*trailers_may_differ=*/true);
    if (empty) in_head = false;
    line = nl + 1;
  }
  return false;
}

// D02, continued: the control bytes and obs-text lenient `headers` admits in
// a Transfer-Encoding value make llhttp stop reading that list, so it misses a
// later "chunked" and reads the body until the connection closes
// (they_read_chunks_raw); we read the list as a list (its last coding
// decides). A Transfer-Encoding line of the message has such a byte.
bool d02_value_bytes_hide_codings(const difference& d) {
  if (!lenient(d, "headers") || !they_read_chunks_raw(d)) return false;
  std::string_view in = input(d);
  std::size_t begin = message_start(d, d.at);
  std::size_t end = std::min(in.find("\r\n\r\n", begin), in.size());
  for (std::size_t line = begin; line < end;) {
    std::size_t next = std::min(in.find('\n', line), end);
    std::string_view text = in.substr(line, next - line);
    if (text.size() > 18 && iequals(text.substr(0, 18), "transfer-encoding:")) {
      for (unsigned char b : text.substr(18))
        if ((b < 0x20 && b != '\t' && b != '\r') || b >= 0x7f) return true;
    }
    line = next + 1;
  }
  return false;
}

// D02, continued: the same bytes in a Connection value make llhttp stop
// reading that list, so it misses a later "close", "keep-alive" or "upgrade";
// we read the list as a list (RFC 9110 §7.6.1) and honour those elements. The
// messages are the same but for keep-alive and upgrade, and a Connection field
// of the message has a control byte with such a token after it, in a later
// element.
bool d02_value_bytes_hide_connection_options(const difference& d) {
  auto ours = message_at(d.our_digest, d.at), theirs = message_at(d.their_digest, d.at);
  if (!lenient(d, "headers") || !ours || !theirs ||
      without_connection_bits(d.our_digest.messages[d.at]) !=
          without_connection_bits(d.their_digest.messages[d.at]))
    return false;
  for (const auto& [name, value] : ours->headers) {
    if (!iequals(name, "Connection")) continue;
    auto control = std::find_if(value.begin(), value.end(), [](char ch) {
      auto b = static_cast<unsigned char>(ch);
      return (b < 0x20 && b != '\t') || b == 0x7f;
    });
    std::size_t comma = value.find(',', static_cast<std::size_t>(control - value.begin()));
    if (control == value.end() || comma == std::string::npos) continue;
    head_fields rest;
    rest.headers.emplace_back("Connection", value.substr(comma + 1));
    bool closes = lists(rest, "Connection", "close") || lists(rest, "Connection", "keep-alive");
    if ((ours->keep_alive == theirs->keep_alive || closes) &&
        (ours->upgrade == theirs->upgrade || lists(rest, "Connection", "upgrade")))
      return true;
  }
  return false;
}

// D32: with lenient optional_lf_after_cr, a bare CR ends the start line and the
// next line starts right after it. llhttp takes the byte after that CR for the
// missing LF, whatever it is, and skips it, so the two engines read the rest
// one byte apart (which may show only after the message, as where an upgrade
// starts). The flag is set and the first line of message `at`, or of one
// before it, ends in a CR that no LF follows.
// What reading one byte apart leaves for D32: where the messages are all the
// same, llhttp's upgrade starts one byte after ours; otherwise what D09 leaves.
bool shifted_by_one(const difference& d) {
  const digest &ours = d.our_digest, &theirs = d.their_digest;
  if (d.at == ours.messages.size() && d.at == theirs.messages.size() &&
      ours.end == digest::ending::upgraded && theirs.end == digest::ending::upgraded) {
    auto offset = [](const std::string& u) { return std::stoull(u.substr(u.find('=') + 1)); };
    return offset(ours.upgrade) + 1 == offset(theirs.upgrade);
  }
  // A body read until the connection closes starts one or two line-end bytes
  // later for llhttp (the skipped byte, and the CRLF it then needs for the
  // empty line where we took a bare CR): the same heads, both messages the
  // last, ending with the input, ours the longer by those bytes only.
  auto our_message = message_at(ours, d.at), their_message = message_at(theirs, d.at);
  if (our_message && their_message && ours.messages.size() == d.at + 1 &&
      theirs.messages.size() == d.at + 1 && ours.end == digest::ending::clean &&
      theirs.end == digest::ending::clean && body_runs_to_close(d) &&
      our_message->keep_alive == their_message->keep_alive &&
      head_without_connection_bits(ours.messages[d.at]) ==
          head_without_connection_bits(theirs.messages[d.at])) {
    const std::string &a = our_message->body, &b = their_message->body;
    std::size_t extra = a.size() > b.size() ? a.size() - b.size() : 0;
    return extra >= 1 && extra <= 2 && a.substr(extra) == b &&
           a.substr(0, extra).find_first_not_of("\r\n") == std::string::npos;
  }
  return line_ends_leave_the_rest(d, /*trailers_may_differ=*/false);
}

bool d32_start_line_bare_cr(const difference& d) {
  if (!lenient(d, "optional_lf_after_cr")) return false;
  std::string_view in = input(d);
  for (std::size_t k = 0; k <= d.at; ++k) {
    std::size_t end = in.find_first_of("\r\n", message_start(d, k));
    if (end != std::string_view::npos && in[end] == '\r' && end + 1 < in.size() &&
        in[end + 1] != '\n')
      return shifted_by_one(d);
  }
  return false;
}

constexpr rule kLineEndRules[] = {
    {"D02", d02_lenient_headers_values_only}, {"D02", d02_refused_before_fold},
    {"D02", d02_value_bytes_hide_codings},    {"D02", d02_value_bytes_hide_connection_options},
    {"D09", d09_bare_lf_line_ends},           {"D32", d32_start_line_bare_cr},
};

// ------------------------------------------------------- http-parser ----

// H01: a field is known by its whole name. http-parser 2.9.4 matches the names
// it acts on (Connection, Content-Length, Transfer-Encoding, Upgrade,
// Proxy-Connection) as prefixes, so "Transfer-Encoding204" counts as a
// Transfer-Encoding field for it: it reads such a request as framed by
// Transfer-Encoding, which keeps nothing alive. Only against http-parser; the
// message is the same but for keep-alive, and it has a field whose name is
// longer than one of those names and begins with it.
// H01, continued: a name that begins with "Transfer-Encoding" makes
// http-parser read the body until the connection closes (keep-alive 0), where
// we frame it by the message's Content-Length (or give it none). The heads are
// the same but for keep-alive, ours what our head says; http-parser's body is
// the rest of the input, its message the last; ours is the start of it, as
// long as our Content-Length says.
bool h01_prefix_transfer_encoding(const difference& d) {
  auto ours = message_at(d.our_digest, d.at), theirs = message_at(d.their_digest, d.at);
  if (d.in.reference != diff_input::engine::http_parser || !ours || !theirs || theirs->keep_alive ||
      ours->keep_alive == we_would_close(*ours) || ours->upgrade != theirs->upgrade ||
      d.their_digest.messages.size() != d.at + 1 || d.their_digest.end != digest::ending::clean ||
      head_without_connection_bits(d.our_digest.messages[d.at]) !=
          head_without_connection_bits(d.their_digest.messages[d.at]))
    return false;
  constexpr std::string_view te = "transfer-encoding";
  bool prefixed = false;
  for (const auto& field : ours->headers)
    prefixed = prefixed ||
               (field.first.size() > te.size() && iequals(field.first.substr(0, te.size()), te));
  std::string_view in = input(d);
  std::size_t length = 0;
  for (const auto& [name, value] : ours->headers)
    if (iequals(name, "Content-Length")) length = std::strtoull(value.c_str(), nullptr, 10);
  return prefixed && theirs->body.size() <= in.size() && ours->body.size() == length &&
         in.substr(in.size() - theirs->body.size()) == theirs->body &&
         theirs->body.substr(0, ours->body.size()) == ours->body && theirs->body != ours->body;
}

bool h01_whole_field_names(const difference& d) {
  auto ours = message_at(d.our_digest, d.at);
  if (d.in.reference != diff_input::engine::http_parser || !ours ||
      (!only_keep_alive_differs(d, true) && !only_keep_alive_differs(d, false)))
    return false;
  for (const auto& field : ours->headers)
    for (std::string_view known :
         {"connection", "content-length", "transfer-encoding", "upgrade", "proxy-connection"})
      if (field.first.size() > known.size() && iequals(field.first.substr(0, known.size()), known))
        return true;
  return false;
}

// H02: http-parser 2.9.4 reads a Connection list element that is a proper
// prefix of "keep-alive", "close" or "upgrade" ("k", "clo"; or ends in one
// after a space, ": k") as the start of
// that token and, failing it at the comma, misses the element that follows:
// "k, keep-alive" keeps nothing alive for it. We read the list as a list. The
// messages are the same but for keep-alive and upgrade, ours what our head
// says, and a Connection field has such a prefix followed by the token that
// explains each difference.
bool h02_prefix_element_hides_next(const difference& d) {
  auto ours = message_at(d.our_digest, d.at), theirs = message_at(d.their_digest, d.at);
  if (d.in.reference != diff_input::engine::http_parser || !ours || !theirs ||
      ours->keep_alive == we_would_close(*ours) ||
      without_connection_bits(d.our_digest.messages[d.at]) !=
          without_connection_bits(d.their_digest.messages[d.at]))
    return false;
  constexpr std::string_view known[] = {"keep-alive", "close", "upgrade"};
  auto is_known = [&](const std::string& t) {
    return std::find(std::begin(known), std::end(known), t) != std::end(known);
  };
  for (const auto& [name, value] : ours->headers) {
    if (!iequals(name, "Connection")) continue;
    head_fields one;
    one.headers.emplace_back(name, value);
    std::vector<std::string> tokens = list_tokens(one, "Connection");
    for (std::size_t i = 0; i + 1 < tokens.size(); ++i) {
      // (The last word of the element counts: ": k" too.)
      std::string t = tokens[i].substr(tokens[i].find_last_of(" \t") + 1);
      const std::string& next = tokens[i + 1];
      bool prefix =
          !is_known(t) && std::any_of(std::begin(known), std::end(known),
                                      [&](std::string_view k) { return k.starts_with(t); });
      if (!prefix || !is_known(next)) continue;
      if ((ours->keep_alive == theirs->keep_alive || next != "upgrade") &&
          (ours->upgrade == theirs->upgrade || next == "upgrade"))
        return true;
    }
  }
  return false;
}

// H03: http-parser 2.9.4 gives up on a Connection list at an element after
// the first that begins with a byte that is no token character (obs-text such
// as 0x89, or a separator such as a second comma): from there it reads the
// field as an ordinary one, so "a, \x89, keep-alive" keeps nothing alive for
// it. We read every element. The messages are the same but for keep-alive and
// upgrade, ours what our head says, and a token after such an element
// explains each difference.
bool h03_non_token_element_ends_list(const difference& d) {
  auto ours = message_at(d.our_digest, d.at), theirs = message_at(d.their_digest, d.at);
  if (d.in.reference != diff_input::engine::http_parser || !ours || !theirs ||
      ours->keep_alive == we_would_close(*ours) ||
      without_connection_bits(d.our_digest.messages[d.at]) !=
          without_connection_bits(d.their_digest.messages[d.at]))
    return false;
  auto tchar = [](unsigned char c) {
    return std::isalnum(c) ||
           std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
  };
  for (const auto& [name, value] : ours->headers) {
    if (!iequals(name, "Connection")) continue;
    for (std::size_t comma = value.find(','); comma != std::string::npos;
         comma = value.find(',', comma + 1)) {
      std::size_t start = value.find_first_not_of(" \t", comma + 1);
      if (start == std::string::npos || tchar(static_cast<unsigned char>(value[start]))) continue;
      head_fields rest;
      rest.headers.emplace_back(name, value.substr(start));
      std::vector<std::string> after = list_tokens(rest, "Connection");
      auto has = [&](std::string_view t) {
        return std::find(after.begin(), after.end(), t) != after.end();
      };
      bool alive_explained =
          ours->keep_alive == theirs->keep_alive || has("keep-alive") || has("close");
      bool upgrade_explained = ours->upgrade == theirs->upgrade || has("upgrade");
      if (alive_explained && upgrade_explained) return true;
    }
  }
  return false;
}

constexpr rule kHttpParserRules[] = {
    {"H01", h01_whole_field_names},
    {"H01", h01_prefix_transfer_encoding},
    {"H02", h02_prefix_element_hides_next},
    {"H03", h03_non_token_element_ends_list},
};

// ------------------------------------------------ reported parser bugs ----

// Parser bugs the fuzzers found, reported and not yet fixed. Not divergences:
// each is accepted only so that a campaign can look past it, and is counted
// and named at exit. Remove the entry when the parser is fixed.

// None at present: BUG1 (a truncated HTTP/2 preface taken for the preface),
// BUG2 (whitespace before a chunk line's CRLF) and BUG3 (optional_lf_after_cr
// ending field lines) were fixed, and their inputs now give no difference.

}  // namespace

std::span<const rule> message_rules() {
  return kMessageRules;
}
std::span<const rule> line_end_rules() {
  return kLineEndRules;
}
std::span<const rule> http_parser_rules() {
  return kHttpParserRules;
}
std::span<const rule> bug_rules() {
  return {};
}

}  // namespace httpcore::fuzz
