// The parser benchmark's engines: one interface over httpcore, llhttp 9.2.1,
// llhttp 8.1.0 and http-parser 2.9.4. llhttp.h and http_parser.h cannot share
// a translation unit, so each engine lives in its own .cpp behind this header.
//
// Every engine does the same work on a buffer of whole messages: it parses
// them all and, per message, adds to a sink the lengths of the method, target,
// reason phrase, every header and trailer name and value, and every body
// piece, plus the status code, the minor version and the header count. The
// sinks of all engines must agree (checked at startup), so no engine can win
// by skipping a field.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

namespace bench {

enum class kind : std::uint8_t { request, response };

struct tally {
  std::uint64_t messages = 0;
  std::uint64_t sink = 0;
};

class engine {
 public:
  virtual ~engine() = default;
  /// Parses every message in `bytes`, which holds whole messages only. The
  /// parser persists between calls, like a connection that keeps receiving.
  /// Returns false on a parse error or a message left incomplete.
  virtual bool parse(std::string_view bytes, tally& t) = 0;
};

std::unique_ptr<engine> make_httpcore_engine(kind k);
std::unique_ptr<engine> make_llhttp9_engine(kind k);
std::unique_ptr<engine> make_llhttp8_engine(kind k);
std::unique_ptr<engine> make_http_parser_engine(kind k);

}  // namespace bench
