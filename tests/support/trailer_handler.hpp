#pragma once
// A handler that notes the trailer fields (server::request::trailers) each
// callback was given, for the HTTP/1 and HTTP/2 trailer tests: POST bodies
// are buffered (the trailers belong in on_request), PUT bodies streamed
// (they belong in on_body_end, and nowhere else). The answer's body is what
// the call that ended the body saw, as "name=value;" per field.

#include <string>
#include <vector>

#include "httpcore/server/handler.hpp"

namespace httpcore::server::test {

inline std::string trailer_text(const request& req) {
  std::string out;
  for (const auto& f : req.trailers) out += std::string(f.name) + "=" + std::string(f.value) + ";";
  return out;
}

class trailer_handler : public handler {
 public:
  std::vector<std::string> seen;  // "<callback> <target> <trailers>" per call that saw any
  int calls = 0;                  // every callback of every exchange
  std::string first_checksum;     // request::trailer("X-Checksum") where the body ended

  bool stream_body(const h1::request_head& head) override { return head.method == "PUT"; }
  void on_request(const request& req, response& res) override {
    note("on_request", req);
    if (req.method() == "PUT") return res.start(200);
    first_checksum = std::string(req.trailer("X-Checksum"));
    res.send(200, trailer_text(req));
  }
  void on_body(const request& req, std::string_view, response&) override { note("on_body", req); }
  void on_body_end(const request& req, response& res) override {
    note("on_body_end", req);
    first_checksum = std::string(req.trailer("X-Checksum"));
    res.write(trailer_text(req));
    res.end();
  }

 private:
  void note(std::string_view callback, const request& req) {
    ++calls;
    if (!req.trailers.empty())
      seen.push_back(std::string(callback) + " " + std::string(req.target()) + " " +
                     trailer_text(req));
  }
};

}  // namespace httpcore::server::test
