// Prints what httpcore's multipart parser makes of a body, for the
// differential check against python3-multipart (multipart_differential.py).
//
//   multipart_dump BOUNDARY < body
//
// One line per part: "part NAME FILENAME DATA ESCAPED", each field in hex
// ("-" for no filename, "" written as "."), ESCAPED 1 when the name or
// filename holds a quoted-pair; then "ok PARTS" or "error NAME OFFSET". The
// body is fed in 1000-byte reads, as a server would.

#include <cstdio>
#include <iostream>
#include <iterator>
#include <string>
#include <variant>

#include "httpcore/multipart/parser.hpp"

namespace {

std::string hex(std::string_view s) {
  if (s.empty()) return ".";
  static const char digits[] = "0123456789abcdef";
  std::string out;
  for (char ch : s) {
    const auto b = static_cast<unsigned char>(ch);
    out += digits[b >> 4];
    out += digits[b & 15];
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: multipart_dump BOUNDARY < body\n");
    return 2;
  }
  const std::string body{std::istreambuf_iterator<char>(std::cin),
                         std::istreambuf_iterator<char>()};
  httpcore::multipart::parser p(argv[1]);
  std::string name, filename, data;
  bool has_filename = false, escaped = false;
  const std::string_view in = body;
  std::size_t done = 0, given = std::min<std::size_t>(in.size(), 1000);
  bool finishing = false;
  for (;;) {
    auto r = finishing ? p.finish() : p.feed(in.substr(done, given - done));
    if (r.err) {
      std::printf("error %s %llu\n", std::string(r.err.name()).c_str(),
                  static_cast<unsigned long long>(r.err.offset));
      return 0;
    }
    done += r.consumed;
    if (auto* b = std::get_if<httpcore::multipart::part_begin>(&r.ev)) {
      name = b->name;
      has_filename = b->filename.has_value();
      filename = b->filename.value_or("");
      escaped = b->escaped;
      data.clear();
    } else if (auto* d = std::get_if<httpcore::multipart::part_data>(&r.ev)) {
      data += d->text();
    } else if (std::holds_alternative<httpcore::multipart::part_end>(r.ev)) {
      std::printf("part %s %s %s %d\n", hex(name).c_str(),
                  has_filename ? hex(filename).c_str() : "-", hex(data).c_str(), escaped ? 1 : 0);
    } else if (auto* e = std::get_if<httpcore::multipart::body_end>(&r.ev)) {
      std::printf("ok %u\n", e->parts);
      return 0;
    } else if (finishing) {
      std::printf("error finish_gave_nothing 0\n");  // finish() must end the body or fail
      return 1;
    } else if (given == in.size()) {
      finishing = true;
    } else {
      given = std::min<std::size_t>(in.size(), given + 1000);
    }
  }
}
