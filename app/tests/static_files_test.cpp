// Static files: target mapping (path safety), content types, and whole
// exchanges through a real session (404/403/405, redirects, HEAD, 304, large
// files in pieces, symlinks).

#include "static_files.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>

#include "httpcore/http_date.hpp"
#include "session_driver.hpp"

namespace httpcore::app {
namespace {

namespace fs = std::filesystem;
using test::round_trip;

// ---------------------------------------------------------------- mapping ---

TEST(MapTarget, PlainPaths) {
  EXPECT_EQ(map_target("GET", "/").status, 0);
  EXPECT_EQ(map_target("GET", "/").relative, "");
  EXPECT_TRUE(map_target("GET", "/").trailing_slash);
  EXPECT_EQ(map_target("GET", "/a/b.txt").relative, "a/b.txt");
  EXPECT_FALSE(map_target("GET", "/a/b.txt").trailing_slash);
  EXPECT_TRUE(map_target("GET", "/docs/").trailing_slash);
  EXPECT_EQ(map_target("GET", "//a//b").relative, "a/b");
  EXPECT_EQ(map_target("GET", "/a%20b.txt").relative, "a b.txt");
  EXPECT_EQ(map_target("GET", "/%C3%A9.txt").relative, "\xC3\xA9.txt");
}

TEST(MapTarget, QueryIsNotPartOfThePath) {
  mapped_path m = map_target("GET", "/x.html?v=1&y=%2F");
  EXPECT_EQ(m.status, 0);
  EXPECT_EQ(m.relative, "x.html");
  EXPECT_TRUE(m.has_query);
  EXPECT_EQ(m.query, "v=1&y=%2F");
}

TEST(MapTarget, AbsoluteForm) {
  EXPECT_EQ(map_target("GET", "http://example.com/a/b").relative, "a/b");
  EXPECT_EQ(map_target("GET", "http://example.com").relative, "");
  EXPECT_EQ(map_target("GET", "http://example.com").status, 0);
}

TEST(MapTarget, DotSegmentsInsideTheRootAreRemoved) {
  EXPECT_EQ(map_target("GET", "/a/./b/../c").relative, "a/c");
  EXPECT_EQ(map_target("GET", "/a/..").relative, "");
  EXPECT_TRUE(map_target("GET", "/a/..").trailing_slash);
}

// Leaving the root is a file that is not here: 404, saying nothing of what
// lies outside.
TEST(MapTarget, EscapesAboveTheRootAreRefused) {
  for (std::string_view t :
       {"/..", "/../etc/passwd", "/a/../../etc/passwd", "/./../x", "/a/b/../../../x", "/../"})
    EXPECT_EQ(map_target("GET", t).status, 404) << t;
}

TEST(MapTarget, EncodedDotSegmentsAreRefused) {
  for (std::string_view t :
       {"/%2e%2e/etc/passwd", "/%2E%2E/x", "/a/%2e%2e/%2e%2e/x", "/.%2e/x", "/%2e"})
    EXPECT_EQ(map_target("GET", t).status, 404) << t;
}

TEST(MapTarget, EncodedSlashesAndNulAreMalformed) {
  for (std::string_view t :
       {"/a%2Fb", "/..%2Fetc%2Fpasswd", "/a%2fb", "/a%00b", "/a%5Cb", "/%5C..%5Cx"})
    EXPECT_EQ(map_target("GET", t).status, 400) << t;
}

TEST(MapTarget, MalformedTargetsAreRefused) {
  for (std::string_view t : {"/a%zz", "/a%2", "*", "example.com:80", "urn:isbn:1"})
    EXPECT_EQ(map_target("GET", t).status, 400) << t;
}

TEST(MapTarget, DotFilesAreHiddenUnlessAllowed) {
  EXPECT_EQ(map_target("GET", "/.git/config").status, 404);
  EXPECT_EQ(map_target("GET", "/a/.env").status, 404);
  EXPECT_EQ(map_target("GET", "/%2egit/config").status, 404);
  EXPECT_EQ(map_target("GET", "/.git/config", true).relative, ".git/config");
  // Only the normalised path counts: this names /index.html.
  EXPECT_EQ(map_target("GET", "/.git/../index.html").relative, "index.html");
}

// ---------------------------------------------------------- content types ---

TEST(ContentType, ByExtension) {
  EXPECT_EQ(content_type_for("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(content_type_for("/x/INDEX.HTM"), "text/html; charset=utf-8");
  EXPECT_EQ(content_type_for("site.css"), "text/css; charset=utf-8");
  EXPECT_EQ(content_type_for("app.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(content_type_for("data.json"), "application/json");
  EXPECT_EQ(content_type_for("logo.svg"), "image/svg+xml");
  EXPECT_EQ(content_type_for("a.b.PNG"), "image/png");
  EXPECT_EQ(content_type_for("photo.jpeg"), "image/jpeg");
  EXPECT_EQ(content_type_for("m.wasm"), "application/wasm");
  EXPECT_EQ(content_type_for("notes.txt"), "text/plain; charset=utf-8");
}

TEST(ContentType, UnknownIsOctetStream) {
  EXPECT_EQ(content_type_for("Makefile"), "application/octet-stream");
  EXPECT_EQ(content_type_for("x.unknownext"), "application/octet-stream");
  EXPECT_EQ(content_type_for("trailing."), "application/octet-stream");
  EXPECT_EQ(content_type_for("dir.d/file"), "application/octet-stream");
}

// -------------------------------------------------------------- exchanges ---

// A site in a fresh temporary directory, and a file outside it.
class StaticFiles : public ::testing::Test, public server::handler {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/httpcore-static-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    base_ = tmpl;
    root_ = base_ / "root";
    fs::create_directories(root_ / "sub");
    fs::create_directories(root_ / "empty");
    write(root_ / "index.html", "<h1>home</h1>\n");
    write(root_ / "a.txt", "hello file\n");
    write(root_ / "sub" / "index.html", "<p>sub</p>");
    write(root_ / "sub" / "style.css", "body{}");
    write(root_ / ".secret", "no");
    write(base_ / "outside.txt", "SECRET OUTSIDE");
    fs::create_symlink(base_ / "outside.txt", root_ / "escape.txt");
    fs::create_symlink(base_, root_ / "escape-dir");
    fs::create_symlink(root_ / "a.txt", root_ / "alias.txt");
    std::mt19937 rng(42);
    big_.resize((3u << 20) + 123);
    for (char& c : big_) c = static_cast<char>(rng());
    write(root_ / "big.bin", big_);
    files_ = std::make_unique<static_files>(static_options{.root = root_.string()});
  }
  void TearDown() override { fs::remove_all(base_); }

  void on_request(const server::request& req, server::response& res) override {
    files_->serve(req, res);
  }

  static void write(const fs::path& p, std::string_view bytes) {
    std::ofstream(p, std::ios::binary)
        .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  test::parsed_response get(std::string_view target, std::string_view extra = {}) {
    return round_trip(*this, "GET " + std::string(target) + " HTTP/1.1\r\nHost: x\r\n" +
                                 std::string(extra) + "\r\n");
  }

  fs::path base_, root_;
  std::string big_;
  std::unique_ptr<static_files> files_;
};

TEST_F(StaticFiles, ServesAFile) {
  auto r = get("/a.txt");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "hello file\n");
  EXPECT_EQ(r.header("Content-Type"), "text/plain; charset=utf-8");
  EXPECT_EQ(r.header("Content-Length"), "11");
  EXPECT_EQ(r.header("Last-Modified").size(), http_date_length);
  EXPECT_EQ(r.header("X-Content-Type-Options"), "nosniff");
}

TEST_F(StaticFiles, IndexForTheRootAndDirectories) {
  auto r = get("/");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "<h1>home</h1>\n");
  EXPECT_EQ(r.header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(get("/sub/").body, "<p>sub</p>");
  EXPECT_EQ(get("/sub/style.css").header("Content-Type"), "text/css; charset=utf-8");
}

TEST_F(StaticFiles, DirectoryWithoutSlashRedirects) {
  auto r = get("/sub?x=1");
  EXPECT_EQ(r.status, 301);
  EXPECT_EQ(r.header("Location"), "/sub/?x=1");
}

TEST_F(StaticFiles, NotFoundForbiddenAndBadRequest) {
  EXPECT_EQ(get("/missing.txt").status, 404);
  EXPECT_EQ(get("/a.txt/").status, 404);  // a file is not a directory
  EXPECT_EQ(get("/empty/").status, 403);  // no index, no listing
  EXPECT_EQ(get("/.secret").status, 404);
  EXPECT_EQ(get("/../outside.txt").status, 404);
  EXPECT_EQ(get("/%2e%2e/outside.txt").status, 404);
  EXPECT_EQ(get("/sub%2F..%2F..%2Foutside.txt").status, 400);
}

TEST_F(StaticFiles, SymlinksOutTheRootAreRefused) {
  auto r = get("/escape.txt");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body.find("SECRET"), std::string::npos);
  EXPECT_EQ(get("/escape-dir/outside.txt").status, 404);
  EXPECT_EQ(get("/alias.txt").body, "hello file\n");  // a symlink inside the root is fine
}

TEST_F(StaticFiles, OtherMethodsGet405WithAllow) {
  for (std::string_view m : {"POST", "PUT", "DELETE", "OPTIONS"}) {
    auto r = round_trip(
        *this, std::string(m) + " /a.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
    EXPECT_EQ(r.status, 405) << m;
    EXPECT_EQ(r.header("Allow"), "GET, HEAD") << m;
  }
}

TEST_F(StaticFiles, HeadHasTheLengthButNoBody) {
  for (std::string_view target : {"/a.txt", "/big.bin"}) {
    auto r = round_trip(*this, "HEAD " + std::string(target) + " HTTP/1.1\r\nHost: x\r\n\r\n",
                        httpcore::method::head);
    EXPECT_EQ(r.status, 200) << target;
    EXPECT_EQ(r.body, "") << target;
    EXPECT_EQ(r.header("Content-Length"), target == "/a.txt" ? "11" : std::to_string(big_.size()));
    EXPECT_EQ(r.header("Transfer-Encoding"), "");
  }
  // Keep-alive survives a HEAD: the next response is read correctly.
  auto both = test::parse_responses(test::run_session(*this,
                                                      "HEAD /big.bin HTTP/1.1\r\nHost: x\r\n\r\n"
                                                      "GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n"),
                                    {httpcore::method::head, httpcore::method::get});
  ASSERT_EQ(both.size(), 2u);
  EXPECT_EQ(both[1].body, "hello file\n");
}

TEST_F(StaticFiles, LargeFileArrivesWholeInPieces) {
  auto r = get("/big.bin");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("Content-Type"), "application/octet-stream");
  EXPECT_EQ(r.header("Content-Length"), std::to_string(big_.size()))
      << "streamed in pieces, framed by its length (start_with_length())";
  EXPECT_EQ(r.header("Transfer-Encoding"), "");
  EXPECT_EQ(r.body.size(), big_.size());
  EXPECT_TRUE(r.body == big_);
}

TEST_F(StaticFiles, LargeFileToHttp10IsCloseDelimited) {
  auto r = round_trip(*this, "GET /big.bin HTTP/1.0\r\n\r\n");
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.body == big_);
}

// Regression: a response bigger than session_config::max_queued_output
// (256 KiB) to a request without a body once left the exchange unfinished
// (message_end was never resumed after the output drained), so the close an
// HTTP/1.0 exchange needs never happened and the client waited forever.
TEST_F(StaticFiles, LargeFileToHttp10EndsTheConnection) {
  bool done = false;
  std::string out =
      test::run_session(*this, "GET /big.bin HTTP/1.0\r\n\r\n", 1u << 20, {}, false, &done);
  EXPECT_TRUE(done) << "the session should close after a close-delimited body";
  EXPECT_EQ(out.size() - out.find("\r\n\r\n") - 4, big_.size());
}

// Regression: the same stall on a keep-alive connection, where the next
// request then finished the first exchange through a dangling pointer to its
// head (ASan: stack-buffer-overflow in session::finish_exchange).
TEST_F(StaticFiles, LargeFilesOnOneKeepAliveConnection) {
  auto both = test::parse_responses(
      test::run_session(*this, "GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n", 1u << 20, {}, false));
  ASSERT_EQ(both.size(), 1u);
  std::string two = "GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n";
  auto rs = test::parse_responses(test::run_session(*this, two + two, 64));
  ASSERT_EQ(rs.size(), 2u);
  EXPECT_TRUE(rs[1].body == big_);
}

// A client that does not read: the file is read only as far as the
// connection's queue has room, and the descriptor closes when the connection
// goes, though the response never finished.
TEST_F(StaticFiles, ALargeFileIsReadOnlyAsTheClientReads) {
  server::session_config config;
  auto s = std::make_unique<server::session>(*this, config, "127.0.0.1:1", test::test_clock());
  std::string_view request = "GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n";
  auto buf = s->read_buffer();
  std::memcpy(buf.data(), request.data(), request.size());
  auto fds_before = std::distance(fs::directory_iterator("/proc/self/fd"), {});
  s->commit_input(request.size(), test::test_clock());
  EXPECT_LE(s->queued_output(), config.max_queued_output + (64u << 10) + 1024)
      << "the 3 MiB file must not be queued whole";
  EXPECT_EQ(std::distance(fs::directory_iterator("/proc/self/fd"), {}), fds_before + 1)
      << "the file stays open while the response waits";
  s.reset();
  EXPECT_EQ(std::distance(fs::directory_iterator("/proc/self/fd"), {}), fds_before)
      << "and closes with the connection";
}

TEST_F(StaticFiles, IfModifiedSince) {
  auto first = get("/a.txt");
  std::string last_modified = first.header("Last-Modified");
  auto same = get("/a.txt", "If-Modified-Since: " + last_modified + "\r\n");
  EXPECT_EQ(same.status, 304);
  EXPECT_EQ(same.body, "");
  EXPECT_EQ(same.header("Last-Modified"), last_modified);

  auto older = get("/a.txt", "If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT\r\n");
  EXPECT_EQ(older.status, 200);
  EXPECT_EQ(older.body, "hello file\n");
  // Invalid or future dates are ignored, and If-None-Match overrides.
  EXPECT_EQ(get("/a.txt", "If-Modified-Since: yesterday\r\n").status, 200);
  EXPECT_EQ(get("/a.txt", "If-Modified-Since: Fri, 31 Dec 9999 23:59:59 GMT\r\n").status, 200);
  EXPECT_EQ(
      get("/a.txt", "If-Modified-Since: " + last_modified + "\r\nIf-None-Match: \"x\"\r\n").status,
      200);
}

TEST_F(StaticFiles, A304KeepsTheConnectionUsable) {
  std::string last_modified = get("/a.txt").header("Last-Modified");
  auto both = test::parse_responses(test::run_session(
      *this, "GET /a.txt HTTP/1.1\r\nHost: x\r\nIf-Modified-Since: " + last_modified +
                 "\r\n\r\nGET /sub/style.css HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_EQ(both.size(), 2u);
  EXPECT_EQ(both[0].status, 304);
  EXPECT_EQ(both[1].body, "body{}");
}

TEST(StaticFilesRoot, MissingRootThrows) {
  EXPECT_THROW(static_files(static_options{.root = "/nonexistent/httpcore/site"}),
               std::system_error);
  EXPECT_THROW(static_files(static_options{.root = "/dev/null"}), std::system_error);
}

}  // namespace
}  // namespace httpcore::app
