// http-parser 2.9.4 (the system libhttp_parser; Node.js's parser before
// llhttp) as a third engine, reporting to the same normaliser as llhttp
// (conformance/llhttp/normal.hpp). Its header is included by
// http_parser_engine.cpp only: its enums collide with llhttp.h's.
#pragma once

#include <string_view>

#include "normal.hpp"

namespace httpcore::fuzz {

struct http_parser_options {
  bool request = true;
  bool lenient_headers = false;       // http_parser::lenient_http_headers
  bool allow_chunked_length = false;  // http_parser::allow_chunked_length
};

// Feeds `input` whole, then signals the end of the input (the peer closed).
conformance::outcome run_http_parser(std::string_view input, const http_parser_options& opt);

}  // namespace httpcore::fuzz
