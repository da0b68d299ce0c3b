// See classifier_support.hpp.

#include "classifier_support.hpp"

#include <algorithm>
#include <cctype>

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
bool close_beside_keep_alive(const head_fields& h) {
  bool close = false, keep_alive = false;
  for (const auto& [name, value] : h.headers) {
    if (!iequals(name, "Connection")) continue;
    std::string_view rest = value;
    while (!rest.empty()) {
      std::size_t comma = std::min(rest.find(','), rest.size());
      std::string_view token = rest.substr(0, comma);
      rest.remove_prefix(std::min(comma + 1, rest.size()));
      while (!token.empty() && (token.front() == ' ' || token.front() == '\t'))
        token.remove_prefix(1);
      while (!token.empty() && (token.back() == ' ' || token.back() == '\t'))
        token.remove_suffix(1);
      close = close || iequals(token, "close");
      keep_alive = keep_alive || iequals(token, "keep-alive");
    }
  }
  return close && keep_alive;
}

bool http10_transfer_encoding(const head_fields& h) {
  return h.version == "1.0" && has_field(h, "Transfer-Encoding");
}

}  // namespace httpcore::fuzz
