// Parses one request with the installed httpcore and prints its method and
// target. The request arrives in two reads, the first ending inside the head,
// so the pull loop below is the same one a real server runs.
#include <cstdio>
#include <string>
#include <string_view>
#include <variant>

#include <httpcore/h1/parser.hpp>

namespace h1 = httpcore::h1;

int main() {
  const std::string_view reads[] = {"GET /hello?name=world HTTP/1.1\r\nHo",
                                    "st: localhost\r\n\r\n"};

  h1::parser parser(h1::role::server);
  std::string buffer;  // bytes received and not yet consumed by the parser
  for (std::string_view read : reads) {
    buffer.append(read);
    for (;;) {
      h1::result r = parser.feed(buffer);
      if (r.err) {
        std::fprintf(stderr, "consumer: %.*s at byte %llu (answer %d)\n",
                     static_cast<int>(r.err.name().size()), r.err.name().data(),
                     static_cast<unsigned long long>(r.err.offset), r.err.status());
        return 1;
      }
      // The event's views point into `buffer`: use them before dropping bytes.
      if (const auto* head = std::get_if<h1::request_head>(&r.ev)) {
        std::printf("method=%.*s target=%.*s\n", static_cast<int>(head->method.size()),
                    head->method.data(), static_cast<int>(head->target.size()),
                    head->target.data());
      }
      bool done = std::holds_alternative<h1::message_end>(r.ev);
      bool more = std::holds_alternative<h1::need_more>(r.ev);
      buffer.erase(0, r.consumed);  // the rest must be given again
      if (done) return 0;
      if (more) break;  // wait for the next read
    }
  }
  std::fprintf(stderr, "consumer: the request did not complete\n");
  return 1;
}
