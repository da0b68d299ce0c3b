// Reading llhttp's markdown test suite: one test_case per heading that has an
// input block. The suite is data we may not ship, so it is read from a
// directory given at run time and nothing of it is compiled in.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace httpcore::conformance {

// The `<!-- meta={...} -->` comment that precedes an input block.
struct case_meta {
  std::string type;   // "request", "response-lenient-headers", ...; empty for url cases
  std::string pause;  // "on_message_begin", ...: the callback that pauses llhttp
  bool no_scan = false;
  bool skip_body = false;
};

struct test_case {
  std::string file;      // relative to the suite directory, e.g. "request/sample.md"
  std::string heading;   // "## ..." text; a repeated heading gets " (2)", " (3)", ...
  std::size_t line = 0;  // 1-based line of the input block's opening fence
  bool is_url = false;   // a ```url block (url.md) rather than ```http
  case_meta meta;
  std::string input;  // the bytes to parse, after llhttp's escape expansion
  std::string log;    // the ```log block, verbatim
  // Set when the case cannot be read (unknown meta key, missing log, ...); the
  // runner counts it as failed rather than guessing.
  std::string problem;

  std::string id() const { return file + "#" + heading; }
};

// The files of the suite, in a stable order: request/*.md, response/*.md, url.md.
// Empty when `dir` holds none of them.
std::vector<std::string> suite_files(const std::string& dir);

// All cases of one file. Throws std::runtime_error when the file cannot be read.
std::vector<test_case> read_cases(const std::string& dir, const std::string& file);

// llhttp's input conventions, applied in llhttp's own order: a backslash at the
// end of a line joins it to the next, every remaining newline becomes CRLF, then
// the escapes \r \n \t \f \xHEX and \OCTAL are expanded one kind after the other.
// Escapes produce UTF-16 code units that are then written as UTF-8, as the
// JavaScript harness does (so "\xff" is the two bytes C3 BF).
std::string expand_input(const std::string& block);

}  // namespace httpcore::conformance
