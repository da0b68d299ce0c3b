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
#include <vector>

#include "classifier_support.hpp"
#include "httpcore/target.hpp"

namespace httpcore::fuzz {
namespace {

// ------------------------------------------- start line and framing ----

// D01: a request field line starting with SP or HTAB (obs-fold). We refuse it
// (obs_fold, pointing at that whitespace right after a line end); llhttp gets
// past the message.
bool d01_obs_fold(const difference& d) {
  return d.in.mode.request && we_refused(d, "obs_fold") &&
         (our_byte(d) == ' ' || our_byte(d) == '\t') && d.ours.error_offset > 0 &&
         (input(d)[d.ours.error_offset - 1] == '\n' || input(d)[d.ours.error_offset - 1] == '\r');
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
  // The line starts where the message does when a body ran up to it.
  std::size_t start = std::max(line_start(in, o), std::min(message_start(d, d.at), o));
  std::string_view line = in.substr(start, o - start);
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
  // An Upgrade request whose Transfer-Encoding does not end in chunked: we
  // refuse it (chunked_not_final, at the head); llhttp takes its body for empty
  // and upgrades.
  auto upgraded = parse_message(any_message(d.their_digest, d.at));
  if (d.in.mode.request && we_refused(d, "chunked_not_final") &&
      d.their_digest.end == digest::ending::upgraded && upgraded &&
      has_field(*upgraded, "Transfer-Encoding"))
    return true;
  // With lenient transfer_encoding we read a request whose codings we cannot
  // frame (one we do not know, or a last one that is not chunked) until the
  // connection closes, where llhttp reads chunks, or takes the body of an
  // Upgrade request for empty (we_read_until_close), and the message has such
  // Transfer-Encoding codings.
  auto head = parse_message(any_message(d.our_digest, d.at));
  if (!head && d.at > 0) head = message_at(d.our_digest, d.at - 1);  // (only the endings differ)
  if (!d.in.mode.request || !head || !we_read_until_close(d)) return false;
  std::vector<std::string> codings = list_tokens(*head, "Transfer-Encoding");
  if (codings.empty()) return false;
  for (std::string& coding : codings) {
    coding = coding.substr(0, coding.find_first_of(" \t;"));
    bool known = false;
    for (std::string_view k : {"chunked", "gzip", "x-gzip", "deflate", "compress", "x-compress"})
      known = known || coding == k;
    if (!known) return true;
  }
  return codings.back() != "chunked";
}

// D17: chunk extensions follow RFC 9112 §7.1.1. (a) llhttp refuses
// whitespace (BWS) around ';' and '=' (HPE_STRICT at a SP or HTAB) where we
// complete the message. (b) We refuse an extension the grammar does not allow
// (invalid_chunk_extension, e.g. an empty name) on a chunk-size line, where
// llhttp gets past the message.
bool d17_chunk_extensions(const difference& d) {
  // (llhttp stops at the whitespace, or at the byte after it.) The whitespace
  // is BWS: next to a ';' or '=' on a chunk-size line of the message.
  std::string_view in = input(d);
  auto ws = [&](std::size_t at) { return at < in.size() && (in[at] == ' ' || in[at] == '\t'); };
  if (they_refused(d, "HPE_STRICT")) {
    std::size_t o = d.theirs.error_offset;
    if (!ws(o) && o > 0 && ws(o - 1)) --o;
    if (!ws(o)) return false;
    std::size_t first = o, last = o;
    while (first > 0 && ws(first - 1)) --first;
    while (ws(last + 1)) ++last;
    bool beside_separator = (first > 0 && (in[first - 1] == ';' || in[first - 1] == '=')) ||
                            (last + 1 < in.size() && (in[last + 1] == ';' || in[last + 1] == '='));
    return beside_separator && on_chunk_size_line(d, o);
  }
  if (!we_refused(d, "invalid_chunk_extension")) return false;
  // The refused extension follows a chunk size on the same line: a ';' before
  // the error offset with hex digits (then optional BWS) before it. Under
  // lenient optional_crlf_after_chunk the previous chunk's data may precede
  // the size on that line, so the line need not start with the size.
  std::size_t begin = line_start(in, d.ours.error_offset);
  for (std::size_t semi = d.ours.error_offset; semi-- > begin;) {
    if (in[semi] != ';') continue;
    std::size_t k = semi;
    while (k > begin && (in[k - 1] == ' ' || in[k - 1] == '\t')) --k;
    if (k > begin && std::isxdigit(static_cast<unsigned char>(in[k - 1]))) return true;
  }
  return false;
}

// D33: Host (RFC 9112 §3.2), which llhttp never checks. We refuse the message
// at the Host construct, llhttp gets past it: (a) missing_host at the first
// byte of a request of version 1.1 or later whose head, as llhttp read it,
// has no Host; (b) duplicate_host on a Host line of a head with two or more;
// (c) invalid_host on a Host line whose value parse_host() refuses. Not under
// lenient host. And nothing else may differ: with Host unchecked, httpcore
// reads message `at` as llhttp does, or differs from it in a way another
// entry explains.
bool d33_host(const difference& d) {
  if (!d.in.mode.request || lenient(d, "host")) return false;
  auto theirs = parse_message(any_message(d.their_digest, d.at));
  if (!theirs) return false;
  std::size_t hosts = 0;
  bool invalid = false;
  for (const auto& [name, value] : theirs->headers) {
    if (!iequals(name, "Host")) continue;
    ++hosts;
    invalid = invalid || !parse_host(value).ok();
  }
  std::size_t o = d.ours.error_offset;
  bool at_least_1_1 = theirs->version >= "1.1" && theirs->version.size() == 3;
  bool construct = (we_refused(d, "missing_host") && o == message_start(d, d.at) && hosts == 0 &&
                    at_least_1_1) ||
                   (we_refused(d, "duplicate_host") && in_field(d, o, "Host") && hosts >= 2) ||
                   (we_refused(d, "invalid_host") && in_field(d, o, "Host") && invalid);
  if (!construct) return false;
  diff_input unchecked = d.in;
  unchecked.mode.more_lenient.emplace_back("host");
  outcome again = conformance::run_httpcore(unchecked.c, unchecked.mode, 0);
  digest again_digest = digest_of(again.events);
  std::optional<std::size_t> at = first_difference(again_digest, d.their_digest);
  return !at || *at > d.at ||
         classify({unchecked, again, d.theirs, again_digest, d.their_digest, *at}) != nullptr;
}

// D11 and D12 concern parse_target() (url.md), which the fuzzers do not
// call: no rule.

constexpr rule kStartLineRules[] = {
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
    {"D33", d33_host},
};

}  // namespace

std::span<const rule> start_line_rules() {
  return kStartLineRules;
}

namespace {

// With `refused_head`, message `at` is the head of a message httpcore refused
// (see classify()): nothing can follow it, so nothing_after_last() (which
// would want an Upgrade request to have upgraded) has nothing to check.
const char* classify_messages(const difference& d, bool refused_head) {
  for (auto table :
       {start_line_rules(), message_rules(), line_end_rules(), http_parser_rules(), bug_rules()})
    for (const rule& r : table)
      if (r.explains(d)) return refused_head || nothing_after_last(d) ? r.id : nullptr;
  return nullptr;
}

}  // namespace

// Rules that pin one construct come first; the broad ones, which accept
// whatever a lenient flag's different reading of line ends causes, come last
// so that the statistics name the precise entry where there is one. Reported
// parser bugs are looked at only when no entry explains a difference.
const char* classify(const difference& d) {
  if (const char* id = classify_messages(d, false)) return id;
  // httpcore delivered the head of message `at` and then refused the message
  // (a bad body, say), and the rules found nothing: they judge that head again
  // as a message with nothing after its head (and llhttp's head likewise,
  // where llhttp refused the message too), so that what a head rule excuses in
  // a complete message it excuses in a refused one. Only the heads are
  // compared then (first_difference); bodies are no rule's to excuse here.
  const digest &og = d.our_digest, &tg = d.their_digest;
  if (og.messages.size() != d.at || og.dropped.empty() || og.end != digest::ending::rejected)
    return nullptr;
  auto as_message = [](const std::string& dropped) {
    return dropped.substr(0, dropped.find("\nbody ")) + "\nend";
  };
  digest ours = og, theirs = tg;
  ours.messages.push_back(as_message(og.dropped));
  ours.dropped.clear();
  if (tg.messages.size() == d.at && tg.end == digest::ending::rejected && !tg.dropped.empty()) {
    theirs.messages.push_back(as_message(tg.dropped));
    theirs.dropped.clear();
  }
  return classify_messages({d.in, d.ours, d.theirs, ours, theirs, d.at}, true);
}

std::size_t divergence_count() {
  return start_line_rules().size() + message_rules().size() + line_end_rules().size() +
         http_parser_rules().size() + bug_rules().size();
}

const char* divergence_id(std::size_t i) {
  for (auto table :
       {start_line_rules(), message_rules(), line_end_rules(), http_parser_rules(), bug_rules()}) {
    if (i < table.size()) return table[i].id;
    i -= table.size();
  }
  return "";
}

}  // namespace httpcore::fuzz
