// The `httpcore` command: dispatches to one verb per source file. A new verb
// is one declaration in its header plus one row in `verbs` below.

#include <cstdio>
#include <span>
#include <string_view>
#include <vector>

#include "parse_command.hpp"
#include "serve_command.hpp"

namespace {

struct verb {
  std::string_view name;
  std::string_view summary;
  int (*run)(std::span<const std::string_view> args);  // returns the exit status
};

constexpr verb verbs[] = {
    {"parse", "parse raw HTTP/1 bytes and print the events as JSON lines",
     httpcore::tools::parse_command},
    {"serve", "serve HTTP: /hello, /echo, /healthz and static files, on a chosen front end",
     httpcore::tools::serve_command},
};

void print_usage(std::FILE* to) {
  std::fputs("usage: httpcore <command> [args...]\n\ncommands:\n", to);
  for (const verb& v : verbs)
    std::fprintf(to, "  %-8.*s %.*s\n", static_cast<int>(v.name.size()), v.name.data(),
                 static_cast<int>(v.summary.size()), v.summary.data());
  std::fputs("\nRun 'httpcore <command> --help' or 'httpcore help <command>' for details.\n", to);
}

const verb* find_verb(std::string_view name) {
  for (const verb& v : verbs)
    if (v.name == name) return &v;
  return nullptr;
}

int unknown_command(std::string_view name) {
  std::fprintf(stderr, "httpcore: unknown command '%.*s'\n\n", static_cast<int>(name.size()),
               name.data());
  print_usage(stderr);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string_view> args(argv + (argc > 0 ? 1 : 0), argv + argc);
  if (args.empty()) {
    print_usage(stderr);
    return 2;
  }
  std::string_view first = args[0];
  if (first == "--help" || first == "-h" || (first == "help" && args.size() == 1)) {
    print_usage(stdout);
    return 0;
  }
  if (first == "help") {  // "help VERB" is "VERB --help"
    const verb* v = find_verb(args[1]);
    if (v == nullptr) return unknown_command(args[1]);
    const std::string_view help[] = {"--help"};
    return v->run(std::span<const std::string_view>(help));
  }
  const verb* v = find_verb(first);
  if (v == nullptr) return unknown_command(first);
  return v->run(std::span<const std::string_view>(args).subspan(1));
}
