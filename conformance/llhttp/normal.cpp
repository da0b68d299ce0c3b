// The normaliser shared by the expected log, the llhttp engine and (through
// the event formatters) the httpcore engine. See normal.hpp for the format.

#include "normal.hpp"

#include <cstdio>
#include <cstdlib>
#include <sstream>

namespace httpcore::conformance {
namespace {

// llhttp's flag bits as printed in "headers complete ... flags=HEX".
constexpr unsigned f_connection_keep_alive = 0x1;
constexpr unsigned f_connection_close = 0x2;
constexpr unsigned f_connection_upgrade = 0x4;
constexpr unsigned f_chunked = 0x8;
constexpr unsigned f_upgrade = 0x10;
constexpr unsigned f_content_length = 0x20;
constexpr unsigned f_transfer_encoding = 0x200;
constexpr int llhttp_method_connect = 5;

std::string fields_text(const field_list& fields, std::string_view tag) {
  std::string out;
  for (const auto& [name, value] : fields)
    out += "\n    " + std::string(tag) + " " + quote(name) + ": " + quote(value);
  return out;
}

std::string version_text(int major, int minor) {
  return std::to_string(major) + "." + std::to_string(minor);
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// "key=value" tokens of a "headers complete" line.
bool head_fields(std::string_view rest, long& code, int& major, int& minor, unsigned& flags) {
  std::istringstream in{std::string(rest)};
  std::string token;
  bool have_code = false, have_version = false, have_flags = false;
  while (in >> token) {
    auto eq = token.find('=');
    if (eq == std::string::npos) return false;
    std::string key = token.substr(0, eq), value = token.substr(eq + 1);
    if (key == "method" || key == "status") {
      code = std::strtol(value.c_str(), nullptr, 10);
      have_code = true;
    } else if (key == "v") {
      have_version = std::sscanf(value.c_str(), "%d/%d", &major, &minor) == 2;
    } else if (key == "flags") {
      flags = static_cast<unsigned>(std::strtoul(value.c_str(), nullptr, 16));
      have_flags = true;
    }
  }
  return have_code && have_version && have_flags;
}

// Replaces the two escapes llhttp's harness expands in expected logs.
std::string expand_log_escapes(const std::string& log) {
  std::string out;
  for (std::size_t i = 0; i < log.size(); ++i) {
    if (log[i] == '\\' && i + 1 < log.size() && (log[i + 1] == 't' || log[i + 1] == 'f')) {
      out += log[i + 1] == 't' ? '\t' : '\f';
      ++i;
    } else {
      out += log[i];
    }
  }
  return out;
}

// One log line split into its offset (nullopt for "off=NULL") and the rest,
// with any "len=N " removed.
bool split_line(std::string_view line, std::optional<std::uint64_t>& off, std::string_view& rest) {
  if (!starts_with(line, "off=")) return false;
  auto space = line.find(' ');
  if (space == std::string_view::npos) return false;
  std::string number(line.substr(4, space - 4));
  off = number == "NULL" ? std::nullopt
                         : std::optional<std::uint64_t>(std::strtoull(number.c_str(), nullptr, 10));
  rest = line.substr(space + 1);
  if (starts_with(rest, "len=")) {
    auto next = rest.find(' ');
    if (next == std::string_view::npos) return false;
    rest = rest.substr(next + 1);
  }
  return true;
}

// `span[kind]=` followed by a quoted value (the bytes between the first and the
// last double quote, unescaped), or the words cr / lf for a lone CR or LF.
bool parse_span(std::string_view rest, std::string_view& kind, std::string& value) {
  auto close = rest.find("]=");
  if (close == std::string_view::npos) return false;
  kind = rest.substr(5, close - 5);
  std::string_view v = rest.substr(close + 2);
  if (v == "cr" || v == "lf") {
    value.assign(1,
                 v == "cr" ? '\r' : '\n');  // (not `= "\r"`: GCC 12 -O3 -Wrestrict false positive)
    return true;
  }
  if (v.size() < 2 || v.front() != '"' || v.back() != '"') return false;
  value = std::string(v.substr(1, v.size() - 2));
  return true;
}

}  // namespace

std::string quote(std::string_view bytes) {
  std::string out = "\"";
  for (char ch : bytes) {
    auto b = static_cast<unsigned char>(ch);
    if (ch == '\r') {
      out += "\\r";
    } else if (ch == '\n') {
      out += "\\n";
    } else if (ch == '\t') {
      out += "\\t";
    } else if (ch == '\\' || ch == '"') {
      out += '\\';
      out += ch;
    } else if (b < 0x20 || b >= 0x7F) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02X", b);
      out += hex;
    } else {
      out += ch;
    }
  }
  return out + "\"";
}

std::string trim_ows(std::string_view v) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  return std::string(v);
}

std::string request_event(std::string_view method, std::string_view url, int major, int minor,
                          bool keep_alive, bool upgrade, const field_list& headers) {
  return "request method=" + quote(method) + " url=" + quote(url) +
         " version=" + version_text(major, minor) + " keep-alive=" + (keep_alive ? "1" : "0") +
         " upgrade=" + (upgrade ? "1" : "0") + fields_text(headers, "header");
}

std::string response_event(int status, std::string_view reason, int major, int minor,
                           bool keep_alive, const field_list& headers) {
  return "response status=" + std::to_string(status) + " reason=" + quote(reason) +
         " version=" + version_text(major, minor) + " keep-alive=" + (keep_alive ? "1" : "0") +
         fields_text(headers, "header");
}

std::string body_event(std::string_view bytes) {
  return "body " + quote(bytes);
}
std::string end_event(const field_list& trailers) {
  return "end" + fields_text(trailers, "trailer");
}
std::string upgrade_event(std::uint64_t offset) {
  return "upgrade at=" + std::to_string(offset);
}
std::string error_event() {
  return "error";
}

std::string eof_event(eof_kind kind) {
  switch (kind) {
    case eof_kind::safe:
      return "eof safe";
    case eof_kind::complete:
      return "eof complete";
    case eof_kind::unsafe:
      break;
  }
  return "eof unsafe";
}

bool llhttp_keep_alive(bool request, int status, int major, int minor, unsigned flags,
                       bool skip_body) {
  if (major > 0 && minor > 0) {
    if (flags & f_connection_close) return false;
  } else if (!(flags & f_connection_keep_alive)) {
    return false;
  }
  // The rest is llhttp's "message needs EOF": a message whose end only the
  // closing connection can tell.
  // A request llhttp reads until the connection closes (a Transfer-Encoding
  // that is not chunked, accepted leniently) keeps nothing alive, although
  // llhttp_should_keep_alive() says it does: normalised to 0 (see normal.hpp).
  if (request) return !((flags & f_transfer_encoding) && !(flags & f_chunked));
  if (status / 100 == 1 || status == 204 || status == 304 || skip_body) return true;
  if ((flags & f_transfer_encoding) && !(flags & f_chunked)) return false;
  return (flags & (f_chunked | f_content_length)) != 0;
}

void llhttp_normaliser::span(std::string_view kind, std::string_view bytes) {
  if (kind == "method") {
    method_ += bytes;
  } else if (kind == "url") {
    url_ += bytes;
  } else if (kind == "status") {
    reason_ += bytes;
  } else if (kind == "header_field") {
    in_field_ = true;
    field_ += bytes;
  } else if (kind == "header_value") {
    value_ += bytes;
  } else if (kind == "body") {
    body_ += bytes;
  }
  // version (taken from "headers complete") and chunk extensions: not compared.
}

void llhttp_normaliser::complete(std::string_view kind) {
  if (kind != "header_value" || !in_field_) return;
  (head_done_ ? trailers_ : headers_).emplace_back(field_, trim_ows(value_));
  field_.clear();
  value_.clear();
  in_field_ = false;
}

void llhttp_normaliser::request_head(int major, int minor, bool keep_alive, bool upgrade) {
  events_.push_back(request_event(method_, url_, major, minor, keep_alive, upgrade, headers_));
  head_done_ = true;
}

void llhttp_normaliser::response_head(int status, int major, int minor, bool keep_alive) {
  events_.push_back(response_event(status, reason_, major, minor, keep_alive, headers_));
  head_done_ = true;
}

void llhttp_normaliser::flush_body() {
  if (!body_.empty()) events_.push_back(body_event(body_));
  body_.clear();
}

void llhttp_normaliser::reset_message() {
  method_.clear();
  url_.clear();
  reason_.clear();
  field_.clear();
  value_.clear();
  body_.clear();
  headers_.clear();
  trailers_.clear();
  head_done_ = in_field_ = false;
}

void llhttp_normaliser::message_complete() {
  flush_body();
  events_.push_back(end_event(trailers_));
  reset_message();
}

void llhttp_normaliser::error(int code, std::uint64_t offset) {
  flush_body();
  events_.push_back(code == 22 || code == 23 ? upgrade_event(offset) : error_event());
  reset_message();
}

void llhttp_normaliser::finish(int state) {
  flush_body();
  events_.push_back(eof_event(state == 0   ? eof_kind::safe
                              : state == 1 ? eof_kind::complete
                                           : eof_kind::unsafe));
  reset_message();
}

event_list llhttp_normaliser::take() {
  flush_body();
  reset_message();
  return std::move(events_);
}

bool head_then_error(const event_list& events) {
  if (events.size() < 2 || events.back() != error_event()) return false;
  const std::string& head = events[events.size() - 2];
  return head.rfind("request ", 0) == 0 || head.rfind("response ", 0) == 0;
}

void settle_errors(event_list& reference, const event_list& engine) {
  if (head_then_error(reference) && !head_then_error(engine)) reference.erase(reference.end() - 2);
}

std::optional<event_list> normalise_log(const std::string& raw, bool skip_body,
                                        std::string& problem) {
  llhttp_normaliser n;
  std::istringstream in(expand_log_escapes(raw));
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::optional<std::uint64_t> off;
    std::string_view rest;
    if (!split_line(line, off, rest)) return problem = "unreadable log line: " + line, std::nullopt;
    std::string_view kind;
    std::string value;
    if (starts_with(rest, "span[")) {
      if (!parse_span(rest, kind, value)) return problem = "unreadable span: " + line, std::nullopt;
      n.span(kind, value);
    } else if (rest == "message begin" || rest == "reset" || rest == "pause" ||
               rest == "skip body" || starts_with(rest, "chunk header len=")) {
      // Not observable through httpcore's API (see normal.hpp).
    } else if (rest == "message complete") {
      n.message_complete();
    } else if (starts_with(rest, "headers complete ")) {
      long code = 0;
      int major = 0, minor = 0;
      unsigned flags = 0;
      if (!head_fields(rest.substr(17), code, major, minor, flags))
        return problem = "unreadable head line: " + line, std::nullopt;
      int as_int = static_cast<int>(code);
      if (starts_with(rest, "headers complete method=")) {
        bool upgrade = ((flags & f_upgrade) && (flags & f_connection_upgrade)) ||
                       as_int == llhttp_method_connect;
        n.request_head(major, minor, llhttp_keep_alive(true, 0, major, minor, flags, skip_body),
                       upgrade);
      } else {
        n.response_head(as_int, major, minor,
                        llhttp_keep_alive(false, as_int, major, minor, flags, skip_body));
      }
    } else if (rest.size() > 9 && rest.substr(rest.size() - 9) == " complete") {
      n.complete(rest.substr(0, rest.size() - 9));
    } else if (starts_with(rest, "error code=")) {
      if (!off) return problem = "error without offset: " + line, std::nullopt;
      n.error(std::atoi(std::string(rest.substr(11)).c_str()), *off);
    } else if (starts_with(rest, "finish=")) {
      n.finish(std::atoi(std::string(rest.substr(7)).c_str()));
    } else {
      return problem = "unknown log line: " + line, std::nullopt;
    }
  }
  return n.take();
}

std::string url_component_event(std::string_view name, std::string_view value) {
  return std::string(name) + " " + quote(value);
}

std::optional<event_list> normalise_url_log(const std::string& raw, std::string& problem) {
  event_list events;
  std::istringstream in(expand_log_escapes(raw));
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::optional<std::uint64_t> off;
    std::string_view rest, kind;
    std::string value;
    if (!split_line(line, off, rest)) return problem = "unreadable log line: " + line, std::nullopt;
    if (starts_with(rest, "error code=")) return event_list{error_event()};
    if (!starts_with(rest, "span[url.") || !parse_span(rest, kind, value))
      return problem = "unknown url log line: " + line, std::nullopt;
    if (!value.empty()) events.push_back(url_component_event(kind.substr(4), value));
  }
  return events;
}

}  // namespace httpcore::conformance
