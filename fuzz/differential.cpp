// See differential.hpp.

#include "differential.hpp"

#include <cstdio>
#include <cstdlib>
#include <utility>

#include "httpcore/h1/lenient.hpp"

namespace httpcore::fuzz {
namespace {

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// The inverse of conformance::quote(), from the opening quote at s[0]; advances
// `s` past the closing quote. False when `s` does not start with a quoted string.
bool unquote(std::string_view& s, std::string& out) {
  out.clear();
  if (s.empty() || s[0] != '"') return false;
  for (std::size_t i = 1; i < s.size(); ++i) {
    char ch = s[i];
    if (ch == '"') {
      s.remove_prefix(i + 1);
      return true;
    }
    if (ch != '\\' || i + 1 >= s.size()) {
      out += ch;
      continue;
    }
    char e = s[++i];
    if (e == 'r') {
      out += '\r';
    } else if (e == 'n') {
      out += '\n';
    } else if (e == 't') {
      out += '\t';
    } else if (e == 'x' && i + 2 < s.size()) {
      out += static_cast<char>(std::strtoul(std::string(s.substr(i + 1, 2)).c_str(), nullptr, 16));
      i += 2;
    } else {
      out += e;
    }
  }
  return false;
}

// The quoted value after `key=` in a head line.
std::string quoted_value(std::string_view line, std::string_view key) {
  // (Built up by appends: GCC 12's -Wrestrict misfires on " " + std::string at -O3.)
  std::string needle = " ";
  (needle += key) += "=\"";
  auto at = line.find(needle);
  std::string out;
  if (at == std::string_view::npos) return out;
  line.remove_prefix(at + needle.size() - 1);
  unquote(line, out);
  return out;
}

// The bare value after `key=`, up to the next space. Bare values follow the
// quoted ones on a head line, so the last occurrence is the real one (a
// quoted reason phrase may contain " version=").
std::string bare_value(std::string_view line, std::string_view key) {
  std::string needle = " ";
  (needle += key) += '=';
  auto at = line.rfind(needle);
  if (at == std::string_view::npos) return {};
  line.remove_prefix(at + needle.size());
  return std::string(line.substr(0, line.find(' ')));
}

// `    header "name": "value"` (or trailer).
bool field_line(std::string_view line, std::string_view tag,
                std::pair<std::string, std::string>& out) {
  std::string prefix = "    ";
  (prefix += tag) += ' ';
  if (!starts_with(line, prefix)) return false;
  line.remove_prefix(prefix.size());
  if (!unquote(line, out.first) || !starts_with(line, ": ")) return false;
  line.remove_prefix(2);
  return unquote(line, out.second);
}

}  // namespace

bool read_diff_input(const std::uint8_t* data, std::size_t size, bool request, diff_input& out) {
  if (size < 3) return false;
  out.mode.request = request;
  out.mode.finish = true;
  out.mode.unlimited = true;
  unsigned bits = data[0] | (static_cast<unsigned>(data[1]) << 8);
  // HTTPCORE_DIFF_FLAGS=0x... keeps only those flag bits (0 = strict only), to
  // aim a campaign at some flags.
  static const unsigned mask = [] {
    const char* m = std::getenv("HTTPCORE_DIFF_FLAGS");
    return m && *m ? static_cast<unsigned>(std::strtoul(m, nullptr, 0)) : ~0u;
  }();
  bits &= mask;
  // h1::lenient_flag_names are llhttp's names, which the llhttp engine maps.
  for (std::size_t i = 0; i < std::size(h1::lenient_flag_names); ++i)
    if (bits & (1u << i)) out.mode.more_lenient.emplace_back(h1::lenient_flag_names[i]);
  out.c.meta.skip_body = !request && (data[1] >> 4) % 3 == 1;
  out.c.input.assign(reinterpret_cast<const char*>(data) + 3, size - 3);
  return true;
}

digest digest_of(const event_list& events) {
  digest d;
  std::string current;
  bool open = false;
  for (const std::string& e : events) {
    if (starts_with(e, "request ") || starts_with(e, "response ")) {
      current = e;
      open = true;
    } else if (starts_with(e, "body ") && open) {
      (current += '\n') += e;
    } else if (starts_with(e, "end") && open) {
      (current += '\n') += e;
      d.messages.push_back(std::move(current));
      open = false;
    } else if (starts_with(e, "upgrade ")) {
      d.end = digest::ending::upgraded;
      d.upgrade = e;
      break;
    } else if (e == "error" || e == "eof unsafe") {
      d.end = digest::ending::rejected;
      if (open) d.dropped = current;  // the message in progress was refused: not compared
      open = false;
      break;
    } else if (e == "eof complete" && open) {
      // finish() ended a body delimited by the connection closing.
      d.messages.push_back(current + "\nend");
      open = false;
    } else if (e != "eof safe" && e != "eof complete") {
      ((d.partial += "unexpected event: ") += e) += '\n';
    }
  }
  if (open) d.partial += current;
  return d;
}

const char* ending_name(digest::ending e) {
  switch (e) {
    case digest::ending::clean:
      return "accepted";
    case digest::ending::rejected:
      return "rejected";
    case digest::ending::upgraded:
      break;
  }
  return "upgraded";
}

std::optional<std::size_t> first_difference(const digest& a, const digest& b) {
  std::size_t n = std::min(a.messages.size(), b.messages.size());
  for (std::size_t i = 0; i < n; ++i)
    if (a.messages[i] != b.messages[i]) return i;
  if (a.messages.size() != b.messages.size()) return n;
  if (a.end != b.end || a.upgrade != b.upgrade) return n;
  if (a.end != digest::ending::rejected && a.partial != b.partial) return n;
  // A head httpcore delivered before it refused the message must be the one
  // the reference delivered (llhttp's own head before an error, which it gives
  // where httpcore refuses framing fields as part of the head, is not
  // compared: see conformance::settle_errors).
  auto head = [](const std::string& m) { return m.substr(0, m.find("\nbody ")); };
  if (a.end == digest::ending::rejected && !a.dropped.empty() && head(a.dropped) != head(b.dropped))
    return n;
  return std::nullopt;
}

std::string describe_mode(const diff_input& in) {
  std::string out;
  for (const std::string& f : in.mode.more_lenient) out += (out.empty() ? "" : ",") + f;
  if (out.empty()) out = "strict";
  if (in.c.meta.skip_body) out += " (response to HEAD)";
  return out;
}

void print_difference(const char* title, const diff_input& in, const char* our_name,
                      const outcome& ours, const char* their_name, const outcome& theirs,
                      std::optional<std::size_t> at) {
  std::fprintf(stderr, "\n=== %s\n", title);
  std::fprintf(stderr, "role:    %s\n", in.mode.request ? "request" : "response");
  std::fprintf(stderr, "lenient: %s\n", describe_mode(in).c_str());
  std::fprintf(stderr, "input:   %s\n", conformance::quote(in.c.input).c_str());
  if (at) std::fprintf(stderr, "first difference at message %zu (0-based)\n", *at);
  auto show = [](const char* name, const outcome& o) {
    digest d = digest_of(o.events);
    std::fprintf(stderr, "--- %s (%zu complete messages, %s)\n", name, d.messages.size(),
                 ending_name(d.end));
    for (const std::string& e : o.events) std::fprintf(stderr, "  %s\n", e.c_str());
    if (!o.note.empty()) std::fprintf(stderr, "  note: %s\n", o.note.c_str());
  };
  show(our_name, ours);
  show(their_name, theirs);
  std::fprintf(stderr, "===\n");
}

std::optional<head_fields> parse_message(const std::string& message) {
  if (message.empty()) return std::nullopt;  // (any_message() of a message never started)
  head_fields h;
  std::string_view rest = message;
  bool first = true, in_trailers = false;
  while (!rest.empty()) {
    auto nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
    std::pair<std::string, std::string> field;
    if (first) {
      first = false;
      h.request = starts_with(line, "request ");
      if (!h.request && !starts_with(line, "response ")) return std::nullopt;
      h.method = quoted_value(line, "method");
      h.url = quoted_value(line, "url");
      h.reason = quoted_value(line, "reason");
      h.status = std::atoi(std::string(line.substr(line.find(' ') + 8, 3)).c_str());  // status=NNN
      h.version = bare_value(line, "version");
      h.keep_alive = bare_value(line, "keep-alive") == "1";
      h.upgrade = bare_value(line, "upgrade") == "1";
    } else if (!in_trailers && field_line(line, "header", field)) {
      h.headers.push_back(std::move(field));
    } else if (in_trailers && field_line(line, "trailer", field)) {
      h.trailers.push_back(std::move(field));
    } else if (starts_with(line, "body ")) {
      std::string_view q = line.substr(5);
      std::string bytes;
      if (!unquote(q, bytes)) return std::nullopt;
      h.body += bytes;
    } else if (line == "end") {
      h.ended = in_trailers = true;
    } else {
      return std::nullopt;
    }
  }
  return h;
}

}  // namespace httpcore::fuzz
