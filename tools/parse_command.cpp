// `httpcore parse`: feeds raw bytes to the HTTP/1 parser the way a network
// reader would, and prints every event as one JSON object per line, so that
// the parser's view of any input can be inspected, diffed and scripted.

#include "parse_command.hpp"

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <string>
#include <variant>

#include "httpcore/h1/parser.hpp"
#include "json_writer.hpp"

namespace httpcore::tools {
namespace {

namespace h1 = httpcore::h1;

constexpr char synopsis[] =
    "usage: httpcore parse [--response [--request-method M]] [--lenient FLAG[,FLAG...]]\n"
    "                      [--split N] [FILE|-]\n";

void print_help() {
  std::fputs(synopsis, stdout);
  std::fputs(
      "\n"
      "Reads raw HTTP/1 bytes from FILE (standard input if FILE is '-' or absent),\n"
      "parses them as requests (as responses with --response) and prints each\n"
      "parser event as one JSON object on its own line:\n"
      "  {\"event\":\"request_head\",\"method\":\"GET\",\"target\":\"/\",\"version\":\"1.1\",...}\n"
      "  {\"event\":\"response_head\",\"status\":200,\"reason\":\"OK\",\"version\":\"1.1\",...}\n"
      "  {\"event\":\"body\",\"bytes\":\"...\"}  (one per body piece the parser returns)\n"
      "  {\"event\":\"message_end\",\"trailers\":[[\"Name\",\"value\"],...]}\n"
      "  {\"event\":\"upgraded\",\"kind\":\"upgrade|connect|h2_preface\",\"remaining\":N}\n"
      "  {\"event\":\"error\",\"name\":\"...\",\"offset\":N,\"status\":N}\n"
      "Bytes that are not valid UTF-8 appear in JSON strings as \\u00XX (XX: the byte).\n"
      "\n"
      "options:\n"
      "  --response          parse responses (client role) instead of requests\n"
      "  --request-method M  with --response: the method of the request that each\n"
      "                      response answers (HEAD: no body; CONNECT: a 2xx is a tunnel)\n"
      "  --lenient FLAGS     comma-separated lenient flags (repeatable), any of:\n",
      stdout);
  std::string line = "                       ";
  for (std::string_view name : h1::lenient_flag_names) {
    if (line.size() + name.size() + 2 > 80) {
      std::fprintf(stdout, "%s\n", line.c_str());
      line = "                       ";
    }
    line += " ";
    line += name;
  }
  std::fprintf(stdout, "%s\n", line.c_str());
  std::fputs(
      "  --split N           feed the input in N-byte pieces: unconsumed bytes are kept\n"
      "                      and the next piece appended, as a network reader would\n"
      "  -h, --help          print this help\n"
      "\n"
      "exit status: 0 all input parsed (it may end between messages or after an upgrade)\n"
      "             1 protocol error, including a message cut short by the end of input\n"
      "             2 usage error or unreadable input\n",
      stdout);
}

// Prints "httpcore parse: WHAT" and the synopsis on stderr; returns exit status 2.
int usage_error(const std::string& what) {
  std::fprintf(stderr, "httpcore parse: %s\n%sRun 'httpcore parse --help' for details.\n",
               what.c_str(), synopsis);
  return 2;
}

std::string valid_flag_names() {
  std::string names;
  for (std::string_view name : h1::lenient_flag_names) {
    if (!names.empty()) names += ", ";
    names += name;
  }
  return names;
}

struct options {
  h1::role role = h1::role::server;
  h1::lenient_flags lenient{};
  httpcore::method request_method = httpcore::method::unknown;
  std::size_t split = 0;  // 0: feed the whole input at once
  std::string path = "-";
  bool help = false;
};

// Fills `opt` from the arguments; returns 0, or 2 after a usage message.
int parse_options(std::span<const std::string_view> args, options& opt) {
  // --help wins over any mistake in the other arguments.
  for (std::string_view arg : args) {
    if (arg == "--") break;
    if (arg == "--help" || arg == "-h") {
      opt.help = true;
      return 0;
    }
  }
  bool have_path = false, only_paths = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string_view arg = args[i];
    if (only_paths || arg == "-" || !arg.starts_with("-")) {
      if (have_path) return usage_error("more than one input given");
      opt.path = std::string(arg);
      have_path = true;
      continue;
    }
    if (arg == "--") {
      only_paths = true;
      continue;
    }
    // "--name=value" and "--name value" are both accepted.
    std::string_view name = arg, value;
    bool inline_value = false;
    if (std::size_t eq = arg.find('='); arg.starts_with("--") && eq != std::string_view::npos) {
      name = arg.substr(0, eq);
      value = arg.substr(eq + 1);
      inline_value = true;
    }
    bool takes_value = name == "--lenient" || name == "--split" || name == "--request-method";
    if (!takes_value && name != "--response")
      return usage_error("unknown option '" + std::string(name) + "'");
    if (!takes_value && inline_value)
      return usage_error("option " + std::string(name) + " takes no value");
    if (takes_value && !inline_value) {
      if (i + 1 == args.size())
        return usage_error("option " + std::string(name) + " needs a value");
      value = args[++i];
    }
    if (name == "--response") {
      opt.role = h1::role::client;
    } else if (name == "--lenient") {
      // Every element must name a flag, so "a,,b" and "" are refused too.
      std::size_t start = 0;
      for (;;) {
        std::size_t comma = value.find(',', start);
        std::string_view flag = value.substr(start, comma - start);
        if (!h1::set_lenient_flag(opt.lenient, flag))
          return usage_error("unknown lenient flag '" + std::string(flag) +
                             "'; valid flags: " + valid_flag_names());
        if (comma == std::string_view::npos) break;
        start = comma + 1;
      }
    } else if (name == "--split") {
      std::size_t n = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (ec != std::errc{} || end != value.data() + value.size() || n == 0)
        return usage_error("--split needs a positive number of bytes, not '" + std::string(value) +
                           "'");
      opt.split = n;
    } else {  // --request-method
      opt.request_method = httpcore::method_from_token(value);
      if (opt.request_method == httpcore::method::unknown)
        return usage_error("unknown method '" + std::string(value) +
                           "' (methods are case-sensitive: HEAD, CONNECT, GET, ...)");
    }
  }
  if (opt.request_method != httpcore::method::unknown && opt.role != h1::role::client)
    return usage_error("--request-method applies to responses: add --response");
  return 0;
}

// Reads all of `path` ("-": standard input) into `out`; on failure returns false
// with the reason in `why`.
bool read_input(const std::string& path, std::string& out, std::string& why) {
  bool is_stdin = path == "-";
  std::FILE* f = is_stdin ? stdin : std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    why = "cannot open '" + path + "': " + std::strerror(errno);
    return false;
  }
  char buf[65536];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  bool ok = !std::ferror(f);
  if (!ok)
    why = "cannot read '" + (is_stdin ? std::string("standard input") : path) +
          "': " + std::strerror(errno);
  if (!is_stdin) std::fclose(f);
  return ok;
}

std::string_view framing_name(h1::body_framing f) {
  switch (f) {
    case h1::body_framing::none:
      return "none";
    case h1::body_framing::content_length:
      return "content_length";
    case h1::body_framing::chunked:
      return "chunked";
    case h1::body_framing::until_close:
      return "until_close";
  }
  return "?";
}

std::string_view upgrade_kind_name(h1::upgrade_kind k) {
  switch (k) {
    case h1::upgrade_kind::upgrade:
      return "upgrade";
    case h1::upgrade_kind::connect:
      return "connect";
    case h1::upgrade_kind::h2_preface:
      return "h2_preface";
  }
  return "?";
}

std::string version_text(int major, int minor) {
  return std::to_string(major) + "." + std::to_string(minor);
}

// The JSON line for one event (not need_more). `remaining` is the count of
// input bytes after the event, reported with `upgraded`.
std::string event_json(const h1::event& ev, std::size_t remaining) {
  json_object o;
  if (const auto* req = std::get_if<h1::request_head>(&ev)) {
    o.string("event", "request_head")
        .string("method", req->method)
        .string("target", req->target)
        .string("version", version_text(req->version_major, req->version_minor))
        .pairs("headers", req->headers)
        .boolean("keep_alive", req->keep_alive)
        .boolean("expect_continue", req->expect_continue)
        .boolean("upgrade", req->upgrade)
        .string("framing", framing_name(req->framing));
    if (req->framing == h1::body_framing::content_length)
      o.number("content_length", req->content_length);
  } else if (const auto* res = std::get_if<h1::response_head>(&ev)) {
    o.string("event", "response_head")
        .number("status", res->status)
        .string("reason", res->reason)
        .string("version", version_text(res->version_major, res->version_minor))
        .pairs("headers", res->headers)
        .boolean("keep_alive", res->keep_alive)
        .string("framing", framing_name(res->framing));
    if (res->framing == h1::body_framing::content_length)
      o.number("content_length", res->content_length);
  } else if (const auto* body = std::get_if<h1::body_data>(&ev)) {
    o.string("event", "body").string("bytes", body->text());
  } else if (const auto* end = std::get_if<h1::message_end>(&ev)) {
    o.string("event", "message_end").pairs("trailers", end->trailers);
  } else if (const auto* up = std::get_if<h1::upgraded>(&ev)) {
    o.string("event", "upgraded").string("kind", upgrade_kind_name(up->kind));
    o.number("remaining", remaining);
  }
  return o.take();
}

void print_line(std::string line) {
  line += '\n';
  std::fwrite(line.data(), 1, line.size(), stdout);
}

// Drives one parser over the whole input like a network reader: bytes the
// parser did not consume stay at the front of `pending_` and the next piece is
// appended after them (the buffer may move in between, as the contract allows).
class driver {
 public:
  explicit driver(const options& opt) : opt_(opt), parser_(opt.role, {}, opt.lenient) {
    prepare_response();
  }

  // Returns the exit status: 0 clean, 1 protocol error.
  int run(std::string_view input) {
    std::size_t piece = opt_.split == 0 ? input.size() : opt_.split;
    for (std::size_t fed = 0; fed < input.size();) {
      std::size_t n = std::min(piece, input.size() - fed);
      pending_.erase(0, begin_);
      begin_ = 0;
      pending_.append(input.substr(fed, n));
      fed += n;
      for (;;) {  // one event per feed() call: call until it needs more
        h1::result r = parser_.feed(std::string_view(pending_).substr(begin_));
        std::size_t after = pending_.size() - begin_ - r.consumed + (input.size() - fed);
        outcome o = report(r, after);
        begin_ += r.consumed;
        if (o == outcome::need_more) break;
        if (o != outcome::event) return o == outcome::error ? 1 : 0;
      }
    }
    // End of input: a close-delimited body ends here; a partial message is an error.
    for (;;) {
      outcome o = report(parser_.finish(), pending_.size() - begin_);
      if (o != outcome::event) return o == outcome::error ? 1 : 0;
    }
  }

 private:
  enum class outcome { need_more, event, error, upgraded };

  // Prints what a feed() or finish() call produced and says what it was.
  outcome report(const h1::result& r, std::size_t after) {
    if (r.err) {
      print_line(json_object()
                     .string("event", "error")
                     .string("name", r.err.name())
                     .number("offset", r.err.offset)
                     .number("status", r.err.status())
                     .take());
      return outcome::error;
    }
    if (std::holds_alternative<h1::need_more>(r.ev)) return outcome::need_more;
    print_line(event_json(r.ev, after));
    if (std::holds_alternative<h1::upgraded>(r.ev)) return outcome::upgraded;
    if (std::holds_alternative<h1::message_end>(r.ev)) prepare_response();
    return outcome::event;
  }

  // The parser forgets the request method after each response, so say it again.
  void prepare_response() {
    if (opt_.role == h1::role::client && opt_.request_method != httpcore::method::unknown)
      parser_.set_request_method(opt_.request_method);
  }

  const options& opt_;
  h1::parser parser_;
  std::string pending_;
  std::size_t begin_ = 0;  // pending_[0, begin_) is consumed
};

}  // namespace

int parse_command(std::span<const std::string_view> args) {
  options opt;
  if (int status = parse_options(args, opt); status != 0) return status;
  if (opt.help) {
    print_help();
    return 0;
  }
  std::string input, why;
  if (!read_input(opt.path, input, why)) return usage_error(why);
  int status = driver(opt).run(input);
  if (std::fflush(stdout) != 0) {
    std::fprintf(stderr, "httpcore parse: cannot write output: %s\n", std::strerror(errno));
    return 2;
  }
  return status;
}

}  // namespace httpcore::tools
