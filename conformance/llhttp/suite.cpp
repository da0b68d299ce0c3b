// The markdown reader. It knows only the few conventions the suite uses:
// "#" headings name cases, a meta comment sets the case's type, a ```http or
// ```url block is the input and the ```log block after it the expectation.

#include "suite.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

namespace httpcore::conformance {
namespace {

namespace fs = std::filesystem;

std::string trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

// The meta comment is a flat JSON object of strings and booleans. A small
// reader is enough, and it refuses anything else so that a new kind of meta
// in a later suite is reported instead of silently ignored.
bool parse_meta(std::string_view json, case_meta& meta, std::string& problem) {
  std::size_t i = 0;
  auto skip_ws = [&] {
    while (i < json.size() && std::isspace(static_cast<unsigned char>(json[i]))) ++i;
  };
  auto read_string = [&](std::string& out) {
    if (i >= json.size() || json[i] != '"') return false;
    for (++i; i < json.size() && json[i] != '"'; ++i) out += json[i];
    if (i >= json.size()) return false;
    ++i;
    return true;
  };
  skip_ws();
  if (i >= json.size() || json[i++] != '{') return problem = "meta is not an object", false;
  for (;;) {
    skip_ws();
    if (i < json.size() && json[i] == '}') return true;
    std::string key, text;
    if (!read_string(key)) return problem = "bad meta key", false;
    skip_ws();
    if (i >= json.size() || json[i++] != ':') return problem = "bad meta", false;
    skip_ws();
    bool flag = false, is_string = false;
    if (i < json.size() && json[i] == '"') {
      if (!read_string(text)) return problem = "bad meta string", false;
      is_string = true;
    } else if (json.substr(i, 4) == "true") {
      flag = true;
      i += 4;
    } else if (json.substr(i, 5) == "false") {
      i += 5;
    } else {
      return problem = "unsupported meta value for " + key, false;
    }
    if (key == "type" && is_string) {
      meta.type = text;
    } else if (key == "pause" && is_string) {
      meta.pause = text;
    } else if (key == "noScan" && !is_string) {
      meta.no_scan = flag;
    } else if (key == "skipBody" && !is_string) {
      meta.skip_body = flag;
    } else {
      return problem = "unsupported meta key '" + key + "'", false;
    }
    skip_ws();
    if (i < json.size() && json[i] == ',') ++i;
  }
}

// UTF-8 to code points, as Node's Buffer.toString() reads the file
// (an invalid byte becomes U+FFFD).
std::u32string decode_utf8(std::string_view s) {
  std::u32string out;
  for (std::size_t i = 0; i < s.size();) {
    auto b = static_cast<unsigned char>(s[i]);
    std::size_t n = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) {
      out += U'\uFFFD';
      ++i;
      continue;
    }
    char32_t cp = n == 1 ? b : b & (0x7F >> n);
    for (std::size_t k = 1; k < n; ++k)
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out += cp;
    i += n;
  }
  return out;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// One left-to-right pass replacing backslash + `letter` by `replacement`,
// like a global regular-expression replace.
void replace_escape(std::u32string& s, char32_t letter, char32_t replacement) {
  std::u32string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == U'\\' && i + 1 < s.size() && s[i + 1] == letter) {
      out += replacement;
      ++i;
    } else {
      out += s[i];
    }
  }
  s = std::move(out);
}

// Backslash + digits in `base` (at most `max_digits` of them) becomes the code
// unit of that value, truncated to 16 bits as String.fromCharCode does.
void replace_numeric(std::u32string& s, bool hex) {
  auto digit = [hex](char32_t c) -> int {
    if (c >= U'0' && c <= (hex ? U'9' : U'7')) return static_cast<int>(c - U'0');
    if (hex && c >= U'a' && c <= U'f') return static_cast<int>(c - U'a' + 10);
    if (hex && c >= U'A' && c <= U'F') return static_cast<int>(c - U'A' + 10);
    return -1;
  };
  std::u32string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    std::size_t start = i + (hex ? 2 : 1);
    bool lead = s[i] == U'\\' && (!hex || (i + 1 < s.size() && s[i + 1] == U'x'));
    if (!lead || start >= s.size() || digit(s[start]) < 0) {
      out += s[i];
      continue;
    }
    std::uint32_t value = 0;
    std::size_t j = start;
    for (; j < s.size() && digit(s[j]) >= 0 && (hex || j - start < 3); ++j)
      value = (value * (hex ? 16u : 8u) + static_cast<std::uint32_t>(digit(s[j]))) & 0xFFFFu;
    out += static_cast<char32_t>(value);
    i = j - 1;
  }
  s = std::move(out);
}

}  // namespace

std::string expand_input(const std::string& block) {
  std::u32string s = decode_utf8(block);
  // A backslash before a line break removes both.
  std::u32string joined;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == U'\\' && i + 1 < s.size() && (s[i + 1] == U'\n' || s[i + 1] == U'\r')) {
      i += (s[i + 1] == U'\r' && i + 2 < s.size() && s[i + 2] == U'\n') ? 2 : 1;
      continue;
    }
    joined += s[i];
  }
  // Every remaining line break is CRLF on the wire.
  std::u32string crlf;
  for (std::size_t i = 0; i < joined.size(); ++i) {
    if (joined[i] == U'\r' || joined[i] == U'\n') {
      if (joined[i] == U'\r' && i + 1 < joined.size() && joined[i + 1] == U'\n') ++i;
      crlf += U"\r\n";
    } else {
      crlf += joined[i];
    }
  }
  replace_escape(crlf, U'r', U'\r');
  replace_escape(crlf, U'n', U'\n');
  replace_escape(crlf, U't', U'\t');
  replace_escape(crlf, U'f', U'\f');
  replace_numeric(crlf, true);
  replace_numeric(crlf, false);
  std::string out;
  for (char32_t cp : crlf) append_utf8(out, cp);
  return out;
}

std::vector<std::string> suite_files(const std::string& dir) {
  std::vector<std::string> files;
  for (const char* sub : {"request", "response"}) {
    fs::path p = fs::path(dir) / sub;
    std::error_code ec;
    if (!fs::is_directory(p, ec)) continue;
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(p, ec))
      if (entry.path().extension() == ".md")
        names.push_back(std::string(sub) + "/" + entry.path().filename().string());
    std::sort(names.begin(), names.end());
    files.insert(files.end(), names.begin(), names.end());
  }
  std::error_code ec;
  if (fs::is_regular_file(fs::path(dir) / "url.md", ec)) files.push_back("url.md");
  return files;
}

std::vector<test_case> read_cases(const std::string& dir, const std::string& file) {
  std::ifstream in(std::filesystem::path(dir) / file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + file);
  std::vector<test_case> cases;
  std::map<std::string, int> seen;  // heading -> cases named after it so far
  std::string heading = "(no heading)", line, fence_lang, block;
  case_meta pending_meta;
  std::string meta_problem;
  bool in_fence = false;
  std::size_t line_no = 0, fence_line = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (in_fence) {
      if (line.rfind("```", 0) == 0) {
        in_fence = false;
        if (fence_lang == "http" || fence_lang == "url") {
          test_case c;
          int n = ++seen[heading];
          c.file = file;
          c.heading = n == 1 ? heading : heading + " (" + std::to_string(n) + ")";
          c.line = fence_line;
          c.is_url = fence_lang == "url";
          c.meta = pending_meta;
          c.problem = meta_problem;
          if (block.find("${") != std::string::npos)
            c.problem = "inline JavaScript (${...}) in the input is not supported";
          c.input = expand_input(block);
          cases.push_back(std::move(c));
          pending_meta = {};
          meta_problem.clear();
        } else if (fence_lang == "log") {
          // Each input block has exactly one log block after it.
          if (!cases.empty() && !cases.back().log.empty()) {
            cases.back().problem = "a second log block";
          } else if (!cases.empty()) {
            cases.back().log = block + "\n";
          }
        }
      } else {
        if (line_no > fence_line + 1) block += '\n';  // lines are joined, none trails
        block += line;
      }
      continue;
    }
    if (line.rfind("```", 0) == 0) {
      in_fence = true;
      fence_lang = trim(line.substr(3));
      fence_line = line_no;
      block.clear();
      continue;
    }
    if (line.rfind("#", 0) == 0) {
      std::size_t hashes = line.find_first_not_of('#');
      if (hashes != std::string::npos && line[hashes] == ' ') heading = trim(line.substr(hashes));
      continue;
    }
    auto meta_at = line.find("<!-- meta=");
    if (meta_at != std::string::npos) {
      auto end = line.rfind("-->");
      pending_meta = {};
      meta_problem.clear();
      if (end == std::string::npos || end < meta_at + 10) {
        meta_problem = "unterminated meta comment";
      } else {
        parse_meta(std::string_view(line).substr(meta_at + 10, end - meta_at - 10), pending_meta,
                   meta_problem);
      }
    }
  }
  for (auto& c : cases)
    if (c.problem.empty() && c.log.empty()) c.problem = "no log block";
  return cases;
}

}  // namespace httpcore::conformance
