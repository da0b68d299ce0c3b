// See classifier_support.hpp.

#include "classifier_support.hpp"

#include <algorithm>
#include <cctype>
#include <string>
#include <utility>

namespace httpcore::fuzz {

std::optional<head_fields> message_at(const digest& d, std::size_t i) {
  if (i >= d.messages.size()) return std::nullopt;
  return parse_message(d.messages[i]);
}

// The engine refused the message at `at`: it has no such message and failed.
bool refused_here(const digest& d, std::size_t at) {
  return d.messages.size() == at && d.end == digest::ending::rejected;
}

// The engine got past the message at `at` (completed it, or did not fail).
bool passed(const digest& d, std::size_t at) {
  return d.messages.size() > at || d.end != digest::ending::rejected;
}

bool lenient(const difference& d, std::string_view flag) {
  return conformance::mode_sets_lenient(d.in.mode, flag);
}

std::string_view input(const difference& d) {
  return d.in.c.input;
}

// The byte at httpcore's error offset, or -1.
int our_byte(const difference& d, std::size_t delta) {
  std::size_t at = d.ours.error_offset + delta;
  return at < input(d).size() ? static_cast<unsigned char>(input(d)[at]) : -1;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

bool has_field(const head_fields& h, std::string_view name) {
  return std::any_of(h.headers.begin(), h.headers.end(),
                     [&](const auto& f) { return iequals(f.first, name); });
}

// httpcore refused the message at `at` with `error`, and llhttp did not.
bool we_refused(const difference& d, std::string_view error) {
  return refused_here(d.our_digest, d.at) && d.ours.error == error && passed(d.their_digest, d.at);
}

// llhttp refused the message at `at` with `error`, and httpcore completed it.
bool they_refused(const difference& d, std::string_view error) {
  return refused_here(d.their_digest, d.at) && d.theirs.error == error &&
         d.our_digest.messages.size() > d.at;
}

// The start of the line holding input offset `at`.
std::size_t line_start(std::string_view in, std::size_t at) {
  auto nl = in.rfind('\n', at == 0 ? 0 : at - 1);
  return at == 0 || nl == std::string_view::npos ? 0 : nl + 1;
}

// Where message `k` starts in the input: after message k-1 as httpcore
// consumed it, past the empty lines a server skips before a request line.
std::size_t message_start(const difference& d, std::size_t k) {
  std::string_view in = input(d);
  std::size_t at = 0;
  if (k > 0) {
    if (k - 1 >= d.ours.message_ends.size()) return in.size();
    at = static_cast<std::size_t>(d.ours.message_ends[k - 1]);
  }
  while (at < in.size() && (in[at] == '\r' || in[at] == '\n')) ++at;
  return at;
}

start_line start_line_of(const difference& d, std::size_t k) {
  std::string_view in = input(d);
  start_line l;
  std::size_t begin = message_start(d, k);
  std::size_t sp = in.find(' ', begin);
  std::size_t eol = in.find_first_of("\r\n", begin);
  if (sp == std::string_view::npos || sp > eol) return l;
  l.method = in.substr(begin, sp - begin);
  l.target_at = sp + 1;
  std::size_t end = in.find_first_of(" \r\n", l.target_at);
  l.target =
      in.substr(l.target_at, (end == std::string_view::npos ? in.size() : end) - l.target_at);
  l.ok = true;
  return l;
}

// The field line holding input offset `at`, if its name is `name`.
bool in_field(const difference& d, std::size_t at, std::string_view name) {
  std::string_view in = input(d);
  if (at > in.size()) return false;
  std::size_t begin = line_start(in, at);
  // Under lenient optional_lf_after_cr a bare CR ends a chunk line or a start
  // line, so the field line may start right after one.
  if (lenient(d, "optional_lf_after_cr"))
    for (std::size_t cr = in.find('\r', begin); cr < at; cr = in.find('\r', cr + 1))
      if (cr + 1 < in.size() && in[cr + 1] != '\n') begin = cr + 1;
  std::size_t colon = in.find(':', begin);
  return colon != std::string_view::npos && colon < at &&
         iequals(in.substr(begin, colon - begin), name);
}

// A digest message without its head line's keep-alive. The bare values
// follow the quoted ones on that line, so the last " keep-alive=" of the first
// line is the real one (a reason phrase may contain the text too).
std::string without_keep_alive(std::string m) {
  auto at = m.rfind(" keep-alive=", m.find('\n'));
  if (at != std::string::npos) m.erase(at, 13);
  return m;
}

// The same without upgrade either (requests only have it).
std::string without_connection_bits(std::string m) {
  m = without_keep_alive(std::move(m));
  auto at = m.rfind(" upgrade=", m.find('\n'));
  if (at != std::string::npos) m.erase(at, 10);
  return m;
}

// Messages `at` of both engines are the same but for keep-alive, which is
// `ours` for httpcore.
bool only_keep_alive_differs(const difference& d, bool ours_keep_alive) {
  auto ours = message_at(d.our_digest, d.at), theirs = message_at(d.their_digest, d.at);
  if (!ours || !theirs || ours->keep_alive != ours_keep_alive ||
      theirs->keep_alive == ours_keep_alive)
    return false;
  return without_keep_alive(d.our_digest.messages[d.at]) ==
         without_keep_alive(d.their_digest.messages[d.at]);
}

// The head (start line and fields) of a digest message, without keep-alive.
std::string head_without_connection_bits(const std::string& m) {
  return without_connection_bits(m.substr(0, std::min(m.find("\nbody "), m.find("\nend"))));
}

// The message `at` of an engine, complete or not.
std::string any_message(const digest& g, std::size_t at) {
  if (at < g.messages.size()) return g.messages[at];
  return g.partial.empty() ? g.dropped : g.partial;
}

// Whether the field line holding input offset `at` is `name` and its value,
// read as a list (RFC 9110 §5.6.1), has an HTAB or an empty element.
bool odd_list_line(std::string_view in, std::size_t begin, std::string_view name) {
  std::size_t end = in.find_first_of("\r\n", begin), colon = in.find(':', begin);
  if (colon >= end || !iequals(in.substr(begin, colon - begin), name)) return false;
  std::string_view value = in.substr(colon + 1, end - colon - 1);
  if (value.find('\t') != std::string_view::npos) return true;
  bool empty = true;  // the element so far holds only OWS
  for (char ch : value) {
    if (ch == ',') {
      if (empty) return true;
      empty = true;
    } else if (ch != ' ') {
      empty = false;
    }
  }
  return empty && value.find(',') != std::string_view::npos;
}

bool has_trailer(const head_fields& h, std::string_view name) {
  return std::any_of(h.trailers.begin(), h.trailers.end(),
                     [&](const auto& f) { return iequals(f.first, name); });
}

bool odd_list_head(const difference& d, std::string_view name) {
  if (name.empty()) return odd_list_head(d, "Connection") || odd_list_head(d, "Transfer-Encoding");
  std::string_view in = input(d);
  std::size_t begin = message_start(d, d.at), end = in.find("\r\n\r\n", begin);
  for (std::size_t line = in.find('\n', begin); line < end; line = in.find('\n', line + 1))
    if (odd_list_line(in, line + 1, name)) return true;
  return false;
}

bool keep_alive_explained(const difference& d, const std::string& theirs) {
  auto ours = message_at(d.our_digest, d.at);
  auto head = parse_message(theirs);
  if (!ours || !head || ours->keep_alive == head->keep_alive) return true;
  if (has_field(*ours, "Proxy-Connection") || odd_list_head(d, "")) return true;
  if (!ours->keep_alive && (length_beside_transfer_encoding(*ours) ||
                            close_beside_keep_alive(*ours) || http10_transfer_encoding(*ours)))
    return true;
  return ours->keep_alive && later_version_persists(d, *ours);
}

bool later_version_persists(const difference& d, const head_fields& ours) {
  return lenient(d, "version") && !ours.version.empty() && ours.version[0] >= '2' &&
         ours.version.substr(1) == ".0";
}

bool length_beside_transfer_encoding(const head_fields& h) {
  return has_field(h, "Content-Length") && has_field(h, "Transfer-Encoding");
}

// The classifier splits the list itself rather than calling the parser's
// h1::syntax::for_each_list_element: an oracle that shared the parser's code
// would excuse the very bugs the comparison is there to find.
std::vector<std::string> list_tokens(const head_fields& h, std::string_view field) {
  std::vector<std::string> out;
  for (const auto& [name, value] : h.headers) {
    if (!iequals(name, field)) continue;
    std::string_view rest = value;
    while (!rest.empty()) {
      std::size_t comma = std::min(rest.find(','), rest.size());
      std::string_view token = rest.substr(0, comma);
      rest.remove_prefix(std::min(comma + 1, rest.size()));
      while (!token.empty() && (token.front() == ' ' || token.front() == '\t'))
        token.remove_prefix(1);
      while (!token.empty() && (token.back() == ' ' || token.back() == '\t'))
        token.remove_suffix(1);
      if (token.empty()) continue;
      std::string t(token);
      for (char& ch : t) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      out.push_back(std::move(t));
    }
  }
  return out;
}

bool lists(const head_fields& h, std::string_view name, std::string_view token) {
  auto tokens = list_tokens(h, name);
  return std::find(tokens.begin(), tokens.end(), token) != tokens.end();
}

bool close_beside_keep_alive(const head_fields& h) {
  return lists(h, "Connection", "close") && lists(h, "Connection", "keep-alive");
}

bool same_start_line(const std::string& a, const std::string& b) {
  auto x = parse_message(a), y = parse_message(b);
  return x && y && x->request == y->request && x->method == y->method && x->url == y->url &&
         x->status == y->status && x->reason == y->reason && x->version == y->version;
}

bool body_runs_to_close(const difference& d) {
  auto ours = message_at(d.our_digest, d.at);
  std::string_view in = input(d);
  if (!ours || d.our_digest.messages.size() != d.at + 1 ||
      d.our_digest.end != digest::ending::clean || ours->body.size() >= in.size())
    return false;
  // (Under lenient optional_lf_after_cr a bare CR may end the head.)
  std::size_t from = in.size() - ours->body.size();
  return in.substr(from) == ours->body &&
         (in[from - 1] == '\n' || (in[from - 1] == '\r' && lenient(d, "optional_lf_after_cr")));
}

std::optional<std::string> dechunk(std::string_view raw, bool bare_cr_ends_lines) {
  std::string body;
  // Where the line starting at `at` ends, and where the next one starts: at an
  // LF, or (bare_cr_ends_lines) at a CR that no LF follows.
  auto line_end = [&](std::size_t at) -> std::pair<std::size_t, std::size_t> {
    for (std::size_t k = at; k < raw.size(); ++k) {
      if (raw[k] == '\n') return {k, k + 1};
      if (raw[k] == '\r' && bare_cr_ends_lines && (k + 1 == raw.size() || raw[k + 1] != '\n'))
        return {k, k + 1};
    }
    return {std::string_view::npos, std::string_view::npos};
  };
  std::size_t at = 0;
  for (;;) {
    auto [nl, next] = line_end(at);
    if (nl == std::string_view::npos) return std::nullopt;
    std::size_t size = 0, digits = 0;
    while (at + digits < nl && std::isxdigit(static_cast<unsigned char>(raw[at + digits]))) {
      char c = raw[at + digits];
      size = size * 16 + static_cast<std::size_t>(std::isdigit(static_cast<unsigned char>(c))
                                                      ? c - '0'
                                                      : std::tolower(c) - 'a' + 10);
      if (++digits > 12) return std::nullopt;
    }
    if (digits == 0) return std::nullopt;
    at = next;
    if (size == 0) break;
    if (raw.size() - at < size) return std::nullopt;
    body.append(raw.substr(at, size));
    at += size;
    if (raw.substr(at, 2) == "\r\n") {
      at += 2;
    } else if (raw.substr(at, 1) == "\n") {
      at += 1;
    } else {
      return std::nullopt;
    }
  }
  // Trailer lines, up to the empty one (which alone may end in a bare CR:
  // both engines refuse a trailer field line that does).
  for (;;) {
    auto [nl, next] = line_end(at);
    if (nl == std::string_view::npos) return std::nullopt;
    bool empty = nl == at || (nl == at + 1 && raw[at] == '\r');
    if (!empty && raw[nl] == '\r') return std::nullopt;
    at = next;
    if (empty) break;
  }
  return body;
}

bool raw_body_is_chunked(const std::string& raw_side, const std::string& decoded_side,
                         bool bare_cr_ends_lines) {
  auto raw = parse_message(raw_side), decoded = parse_message(decoded_side);
  if (!raw || !decoded || !raw->ended || !decoded->ended ||
      head_without_connection_bits(raw_side) != head_without_connection_bits(decoded_side))
    return false;
  auto body = dechunk(raw->body, bare_cr_ends_lines);
  return body && *body == decoded->body;
}

bool http10_transfer_encoding(const head_fields& h) {
  return h.version == "1.0" && has_field(h, "Transfer-Encoding");
}

}  // namespace httpcore::fuzz

namespace httpcore::fuzz {

bool we_would_close(const head_fields& h) {
  if (lists(h, "Connection", "close")) return true;
  if (h.version == "1.0" || h.version.substr(0, 2) == "0.")
    return !lists(h, "Connection", "keep-alive") || http10_transfer_encoding(h);
  return length_beside_transfer_encoding(h);
}

bool they_read_chunks_raw(const difference& d) {
  auto ours = message_at(d.our_digest, d.at), theirs = message_at(d.their_digest, d.at);
  if (!ours || !theirs || theirs->keep_alive || ours->keep_alive == we_would_close(*ours) ||
      !lists(*ours, "Transfer-Encoding", "chunked"))
    return false;
  if (raw_body_is_chunked(d.their_digest.messages[d.at], d.our_digest.messages[d.at],
                          lenient(d, "optional_lf_after_cr")))
    return true;
  // Or the chunks were bad, and we refused them: the same heads but for
  // keep-alive, no body of ours, and our error lies in the bytes llhttp took
  // for the body.
  std::string_view in = input(d);
  std::size_t body_at = in.size() - std::min(in.size(), theirs->body.size());
  return d.our_digest.end == digest::ending::rejected && d.our_digest.messages.size() == d.at + 1 &&
         ours->body.empty() && in.substr(body_at) == theirs->body &&
         d.ours.error_offset >= body_at &&
         head_without_connection_bits(d.our_digest.messages[d.at]) ==
             head_without_connection_bits(d.their_digest.messages[d.at]);
}

bool we_read_until_close(const difference& d) {
  if (!lenient(d, "transfer_encoding")) return false;
  const digest &og = d.our_digest, &tg = d.their_digest;
  // An empty body: the messages are the same, and llhttp upgraded at the end
  // of the input where we ended the message there.
  if (d.at > 0 && d.at == og.messages.size() && d.at == tg.messages.size()) {
    auto last = message_at(og, d.at - 1);
    return last && last->body.empty() && !last->keep_alive && og.end == digest::ending::clean &&
           tg.end == digest::ending::upgraded &&
           tg.upgrade == "upgrade at=" + std::to_string(input(d).size());
  }
  std::string ours = any_message(og, d.at), theirs = any_message(tg, d.at);
  auto head = parse_message(ours), their_head = parse_message(theirs);
  if (!head || !their_head || head->keep_alive || head->upgrade != their_head->upgrade ||
      head_without_connection_bits(ours) != head_without_connection_bits(theirs) ||
      !body_runs_to_close(d))
    return false;
  if (d.their_digest.end == digest::ending::upgraded && d.their_digest.messages.size() == d.at + 1)
    return d.their_digest.upgrade ==
           "upgrade at=" + std::to_string(input(d).size() - head->body.size());
  // llhttp refused the chunks it read (bad, or cut short by the end of the
  // input): the heads being the same, what it made of the body is not ours.
  if (d.their_digest.messages.size() == d.at && d.their_digest.end == digest::ending::rejected)
    return true;
  return d.at < d.their_digest.messages.size() &&
         raw_body_is_chunked(ours, d.their_digest.messages[d.at],
                             lenient(d, "optional_lf_after_cr"));
}

bool only_upgrade_differs(const difference& d) {
  auto ours = message_at(d.our_digest, d.at), theirs = message_at(d.their_digest, d.at);
  if (!ours || !theirs || ours->upgrade || !theirs->upgrade) return false;
  std::string t = d.their_digest.messages[d.at];
  auto at = t.rfind(" upgrade=1", t.find('\n'));
  return at != std::string::npos && t.replace(at, 10, " upgrade=0") == d.our_digest.messages[d.at];
}

bool on_chunk_size_line(const difference& d, std::size_t offset) {
  std::string_view in = input(d);
  std::size_t head_end = in.find("\r\n\r\n", message_start(d, d.at));
  if (head_end == std::string_view::npos) return false;
  for (std::size_t at = head_end + 4; at < in.size();) {
    std::size_t nl = in.find('\n', at);
    if (offset >= at && (nl == std::string_view::npos || offset <= nl)) return true;
    if (nl == std::string_view::npos || offset < at) return false;
    std::size_t size = 0, digits = 0;
    while (std::isxdigit(static_cast<unsigned char>(in[at + digits])) && digits < 12) {
      char c = in[at + digits++];
      size = size * 16 + static_cast<std::size_t>(std::isdigit(static_cast<unsigned char>(c))
                                                      ? c - '0'
                                                      : std::tolower(c) - 'a' + 10);
    }
    if (digits == 0 || size == 0) return false;  // not a size line, or the last chunk
    at = nl + 1 + size;
    if (in.substr(at, 2) == "\r\n") at += 2;
  }
  return false;
}

bool line_ends_leave_the_rest(const difference& d, bool trailers_may_differ) {
  std::string ours = any_message(d.our_digest, d.at), theirs = any_message(d.their_digest, d.at);
  // Where both engines lack message `at`, only their endings differ.
  bool neither = d.at >= d.our_digest.messages.size() && d.at >= d.their_digest.messages.size();
  auto side_ok = [&](const digest& g) {
    return d.at < g.messages.size() || g.end == digest::ending::rejected || !g.partial.empty() ||
           neither;
  };
  if (!side_ok(d.our_digest) || !side_ok(d.their_digest)) return false;
  if (!ours.empty() && !theirs.empty() && !same_start_line(ours, theirs)) return false;
  if (d.at >= d.our_digest.messages.size() || d.at >= d.their_digest.messages.size()) return true;
  if (head_without_connection_bits(ours) != head_without_connection_bits(theirs)) return true;
  if (!trailers_may_differ) return false;
  auto cut = [](const std::string& m) { return m.substr(0, m.find("\nend")); };
  return cut(ours) == cut(theirs);
}

bool nothing_after_last(const difference& d) {
  auto ours = message_at(d.our_digest, d.at);
  if (!ours) return true;
  // (An interim response never ends the connection: D23.)
  bool closed = !ours->keep_alive && !lenient(d, "keep_alive") && ours->status / 100 != 1;
  if (!closed && !ours->upgrade) return true;
  // (An Upgrade request read until the connection closed, D16, never got to
  // upgrade: its body is the rest of the input.)
  return d.our_digest.messages.size() == d.at + 1 &&
         (!ours->upgrade || !ours->request || d.our_digest.end == digest::ending::upgraded ||
          (!ours->body.empty() && !ours->keep_alive && body_runs_to_close(d)));
}

}  // namespace httpcore::fuzz
