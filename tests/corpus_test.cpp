// The HTTP/1 parser on real traffic: every file under corpus/ (captured by
// scripts/capture-corpus from curl, wrk, python3-h11, Python's http.client,
// Chromium, nginx and http.server on loopback) must parse without error into
// the messages that python3-h11, an independent parser, found in it
// (corpus/expected.tsv), and give the same events whole, byte by byte and split
// at a handful of points.

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <ostream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "support/h1_driver.hpp"

namespace httpcore::test {
namespace {

namespace fs = std::filesystem;

// tests/CMakeLists.txt names the source tree's corpus/.
fs::path corpus_dir() {
  return fs::path(HTTPCORE_CORPUS_DIR);
}

struct expectation {
  std::string file;  // relative to corpus/, e.g. "requests/curl-get.http"
  std::size_t messages = 0;
  std::size_t body_bytes = 0;
  std::string first;                 // "METHOD target" (requests) or the first status (responses)
  std::vector<std::string> methods;  // responses: the request method of each message
};

// gtest prints a test's parameter on failure: the file name says it all.
void PrintTo(const expectation& e, std::ostream* os) {
  *os << e.file;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  std::istringstream in(s);
  while (std::getline(in, cur, sep)) out.push_back(cur);
  return out;
}

std::vector<expectation> load_expectations() {
  std::vector<expectation> out;
  std::ifstream in(corpus_dir() / "expected.tsv");
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    auto cols = split(line, '\t');
    if (cols.size() != 5) {
      expectation bad;
      bad.file = "malformed expected.tsv line: " + line;
      out.push_back(std::move(bad));
      continue;
    }
    expectation e;
    e.file = cols[0];
    e.messages = std::stoul(cols[1]);
    e.body_bytes = std::stoul(cols[2]);
    e.first = cols[3];
    if (cols[4] != "-") e.methods = split(cols[4], ',');
    out.push_back(std::move(e));
  }
  return out;
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

bool is_request_file(const std::string& rel) {
  return rel.rfind("requests/", 0) == 0;
}

h1_config config_for(const expectation& e) {
  h1_config cfg;
  if (!is_request_file(e.file)) {
    cfg.role = h1::role::client;
    for (const auto& m : e.methods) cfg.request_methods.push_back(method_from_token(m));
  }
  return cfg;
}

std::string join(const event_log& log) {
  std::string s;
  for (const auto& line : log) s += line + "\n";
  return s;
}

// The bytes around `offset`, escaped, for a failure message.
std::string around(std::string_view data, std::size_t offset) {
  std::size_t from = offset < 40 ? 0 : offset - 40;
  std::size_t to = std::min(data.size(), offset + 40);
  std::string out;
  for (std::size_t i = from; i < to; ++i) {
    if (i == offset) out += "[HERE]";
    unsigned char c = static_cast<unsigned char>(data[i]);
    if (c == '\r') {
      out += "\\r";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c < 0x20 || c >= 0x7f) {
      static constexpr char hex[] = "0123456789abcdef";
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  if (offset >= to) out += "[HERE]";
  return out;
}

class Corpus : public ::testing::TestWithParam<expectation> {};

TEST_P(Corpus, ParsesLikeH11AndSplitInvariant) {
  const expectation& e = GetParam();
  ASSERT_EQ(e.file.find("malformed"), std::string::npos) << e.file;
  const std::string data = read_file(corpus_dir() / e.file);
  ASSERT_FALSE(data.empty()) << "missing or empty corpus file " << e.file;
  if (e.file.ends_with("-head.http")) {
    for (const auto& m : e.methods) EXPECT_EQ(m, "HEAD") << e.file;
  }
  const h1_config cfg = config_for(e);

  const event_log whole = run_h1(cfg, data);
  std::size_t messages = 0, body_bytes = 0;
  for (const auto& line : whole) {
    if (line.rfind("error ", 0) == 0) {
      // "error NAME at OFFSET"
      std::size_t at = line.rfind(" at ");
      std::size_t offset = at == std::string::npos ? 0 : std::stoul(line.substr(at + 4));
      ADD_FAILURE() << e.file << ": parser rejects a real capture: " << line
                    << "\n  bytes: " << around(data, offset) << "\n  events:\n"
                    << join(whole);
    }
    if (line.rfind("BUG", 0) == 0) ADD_FAILURE() << e.file << ": " << line;
    if (line == "end" || line.rfind("end\n", 0) == 0) ++messages;
    if (line.rfind("body ", 0) == 0) body_bytes += line.size() - 5;
  }
  EXPECT_GE(messages, 1u) << e.file << "\n" << join(whole);
  EXPECT_EQ(messages, e.messages) << e.file << "\n" << join(whole);
  EXPECT_EQ(body_bytes, e.body_bytes) << e.file;
  ASSERT_FALSE(whole.empty()) << e.file;
  if (is_request_file(e.file)) {
    EXPECT_EQ(whole.front().rfind("request " + e.first + " HTTP/", 0), 0u)
        << e.file << ": first event " << whole.front() << ", h11 saw " << e.first;
  } else {
    EXPECT_EQ(whole.front().rfind("response " + e.first + " ", 0), 0u)
        << e.file << ": first event " << whole.front() << ", h11 saw " << e.first;
  }

  // Split invariance: byte by byte (small files), at a handful of points, and
  // right before, at and after the end of every head.
  if (data.size() <= 4096) {
    std::vector<std::size_t> ones(data.size(), 1);
    const event_log bytewise = run_h1(cfg, data, ones);
    EXPECT_EQ(join(bytewise), join(whole)) << e.file << ": byte by byte differs";
  }
  std::set<std::size_t> points = {1,
                                  2,
                                  data.size() / 4,
                                  data.size() / 3,
                                  data.size() / 2,
                                  2 * data.size() / 3,
                                  data.size() - 2,
                                  data.size() - 1};
  for (std::size_t at = data.find("\r\n\r\n"); at != std::string::npos;
       at = data.find("\r\n\r\n", at + 1)) {
    for (std::size_t p : {at, at + 1, at + 2, at + 3, at + 4, at + 5}) points.insert(p);
  }
  for (std::size_t p : points) {
    if (p == 0 || p >= data.size()) continue;
    const event_log split = run_h1(cfg, data, {p});
    EXPECT_EQ(join(split), join(whole)) << e.file << ": split at " << p << " differs";
  }
  for (std::size_t piece : {3u, 7u, 64u, 500u}) {
    std::vector<std::size_t> pieces(data.size() / piece + 1, piece);
    const event_log cut = run_h1(cfg, data, pieces);
    EXPECT_EQ(join(cut), join(whole)) << e.file << ": pieces of " << piece << " differ";
  }
}

std::string test_name(const ::testing::TestParamInfo<expectation>& info) {
  std::string name = info.param.file;
  if (name.ends_with(".http")) name.resize(name.size() - 5);
  for (char& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return name.empty() ? "unnamed" + std::to_string(info.index) : name;
}

INSTANTIATE_TEST_SUITE_P(Real, Corpus, ::testing::ValuesIn(load_expectations()), test_name);

// Every captured file has an expectation, and every expectation a file.
TEST(CorpusIndex, EveryFileHasAnExpectation) {
  std::set<std::string> listed;
  for (const auto& e : load_expectations()) listed.insert(e.file);
  EXPECT_GE(listed.size(), 10u) << "corpus/expected.tsv is missing or nearly empty";
  std::set<std::string> present;
  for (const char* kind : {"requests", "responses"}) {
    for (const auto& entry : fs::directory_iterator(corpus_dir() / kind)) {
      if (entry.path().extension() == ".http")
        present.insert(std::string(kind) + "/" + entry.path().filename().string());
    }
  }
  for (const auto& f : present) EXPECT_TRUE(listed.count(f)) << f << " has no expected.tsv row";
  for (const auto& f : listed) EXPECT_TRUE(present.count(f)) << f << " is listed but missing";
}

}  // namespace
}  // namespace httpcore::test
