// Uploads streamed to disk (multipart_upload.hpp) and POST /api/upload
// (upload_route.hpp) through a real session: parts measured and hashed
// however the body is split, file parts in files with names made here,
// nothing left behind by a refused or abandoned upload, bounded memory.

#include <dirent.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "multipart_upload.hpp"
#include "session_driver.hpp"
#include "upload_route.hpp"

namespace httpcore::app {
namespace {

// SHA-256 test vectors (FIPS 180-2 "abc", the empty string) and of "hello".
constexpr std::string_view kShaEmpty =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
constexpr std::string_view kShaAbc =
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
constexpr std::string_view kShaHello =
    "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";

class temp_dir {
 public:
  temp_dir() {
    const char* base = std::getenv("TMPDIR");
    path_ = std::string(base && *base ? base : "/tmp") + "/upload-test-XXXXXX";
    if (::mkdtemp(path_.data()) == nullptr) throw std::runtime_error("mkdtemp");
  }
  ~temp_dir() {
    for (const auto& name : names()) ::unlink((path_ + "/" + name).c_str());
    ::rmdir(path_.c_str());
  }
  const std::string& path() const { return path_; }
  std::set<std::string> names() const {
    std::set<std::string> out;
    if (DIR* d = ::opendir(path_.c_str())) {
      while (dirent* e = ::readdir(d))
        if (std::string_view(e->d_name) != "." && std::string_view(e->d_name) != "..")
          out.insert(e->d_name);
      ::closedir(d);
    }
    return out;
  }
  std::string read(const std::string& name) const {
    std::ifstream in(path_ + "/" + name, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }

 private:
  std::string path_;
};

std::string part(std::string_view disposition, std::string_view data, std::string_view type = "") {
  std::string p = "--XyZ\r\nContent-Disposition: form-data; " + std::string(disposition) + "\r\n";
  if (!type.empty()) p += "Content-Type: " + std::string(type) + "\r\n";
  return p + "\r\n" + std::string(data) + "\r\n";
}

// A field, a file with a hostile filename, an empty file, a file "abc".
std::string form_body(std::string_view big = "hello") {
  return "preamble\r\n" + part("name=\"greeting\"", "hello") +
         part("name=\"doc\"; filename=\"../../etc/passwd\"", big, "application/octet-stream") +
         part("name=\"none\"; filename=\"\"", "") +
         part("name=\"abc\"; filename=\"a.txt\"", "abc") + "--XyZ--\r\nepilogue";
}

// Feeds `body` in pieces of `split` bytes; returns whether every step held.
bool feed_all(multipart_upload& u, std::string_view body, std::size_t split) {
  for (std::size_t at = 0; at < body.size(); at += split)
    if (!u.feed(body.substr(at, split))) return false;
  return u.finish();
}

TEST(multipart_upload, PartsHashedAndStoredHoweverSplit) {
  for (std::size_t split :
       {std::size_t{1}, std::size_t{2}, std::size_t{7}, std::size_t{64}, std::size_t{100'000}}) {
    temp_dir dir;
    std::vector<upload_part> parts;
    {
      multipart_upload u("XyZ", dir.path());
      ASSERT_TRUE(feed_all(u, form_body(), split)) << u.error().name << " split " << split;
      EXPECT_EQ(dir.names().size(), 3u) << "three file parts, still .part";
      for (const auto& name : dir.names()) EXPECT_TRUE(name.ends_with(".part")) << name;
      ASSERT_TRUE(u.commit());
      parts = u.parts();
    }
    ASSERT_EQ(parts.size(), 4u);
    EXPECT_EQ(parts[0].field, "greeting");
    EXPECT_FALSE(parts[0].filename) << "a plain field has no filename";
    EXPECT_EQ(parts[0].size, 5u);
    EXPECT_EQ(parts[0].sha256, kShaHello);
    EXPECT_TRUE(parts[0].stored.empty()) << "plain fields are not stored";
    EXPECT_EQ(parts[1].filename, "../../etc/passwd");
    EXPECT_EQ(parts[2].filename, "");
    EXPECT_EQ(parts[2].size, 0u);
    EXPECT_EQ(parts[2].sha256, kShaEmpty);
    EXPECT_EQ(parts[3].sha256, kShaAbc);
    std::set<std::string> stored;
    for (std::size_t i = 1; i < 4; ++i) {
      const std::string& name = parts[i].stored;
      EXPECT_TRUE(name.starts_with("upload-") && name.size() == 13 &&
                  name.find('/') == std::string::npos)
          << "a name made here, never the client's: " << name;
      stored.insert(name);
    }
    EXPECT_EQ(dir.names(), stored) << "committed: the .part suffix is gone, nothing else there";
    EXPECT_EQ(dir.read(parts[1].stored), "hello");
    EXPECT_EQ(dir.read(parts[2].stored), "");
    EXPECT_EQ(dir.read(parts[3].stored), "abc");
  }
}

TEST(multipart_upload, WithoutAFolderNothingIsStored) {
  multipart_upload u("XyZ", "");
  ASSERT_TRUE(feed_all(u, form_body(), 5));
  ASSERT_TRUE(u.commit());
  ASSERT_EQ(u.parts().size(), 4u);
  for (const auto& p : u.parts()) EXPECT_TRUE(p.stored.empty());
  EXPECT_EQ(u.parts()[3].sha256, kShaAbc);
}

TEST(multipart_upload, ParseErrorKeepsTheParsersNameAndOffsetAndRemovesFiles) {
  temp_dir dir;
  std::string body = form_body(std::string(100'000, 'x'));
  std::size_t bad = body.rfind("--XyZ--") + 5;  // "--XyZ-!": not a close delimiter
  body[bad + 1] = '!';
  multipart::parser reference("XyZ");  // the whole body at once
  multipart::result expected;
  for (std::size_t at = 0; !expected.err && at < body.size(); at += expected.consumed)
    expected = reference.feed(std::string_view(body).substr(at));
  ASSERT_TRUE(expected.err);
  multipart_upload u("XyZ", dir.path());
  EXPECT_FALSE(feed_all(u, body, 4096));
  EXPECT_EQ(u.error().status, 400);
  EXPECT_EQ(u.error().name, "invalid_delimiter");
  EXPECT_EQ(u.error().name, expected.err.name());
  EXPECT_EQ(u.error().offset, expected.err.offset);
  EXPECT_TRUE(u.error().offset == bad || u.error().offset == bad + 1) << u.error().offset;
  EXPECT_TRUE(dir.names().empty()) << "a refused upload stores nothing";
  EXPECT_FALSE(u.feed("more")) << "failed for good";
}

TEST(multipart_upload, AnUploadAbandonedMidPartLeavesNothing) {
  temp_dir dir;
  std::string body = form_body(std::string(50'000, 'y'));
  {
    multipart_upload u("XyZ", dir.path());
    ASSERT_TRUE(u.feed(body.substr(0, 30'000)));
    EXPECT_EQ(dir.names().size(), 1u) << "the file part in progress";
  }  // the connection went away
  EXPECT_TRUE(dir.names().empty());
  multipart_upload cut("XyZ", dir.path());
  ASSERT_TRUE(cut.feed(body.substr(0, 30'000)));
  EXPECT_FALSE(cut.finish()) << "the body ended inside a part";
  EXPECT_EQ(cut.error().name, "incomplete_body");
  EXPECT_TRUE(dir.names().empty());
}

TEST(multipart_upload, HoldsOnlyWhatTheParserLeaves) {
  multipart_upload u("XyZ", "");
  std::string body = form_body(std::string(4u << 20, 'z'));
  std::size_t most = 0;
  for (std::size_t at = 0; at < body.size(); at += 16384) {
    ASSERT_TRUE(u.feed(std::string_view(body).substr(at, 16384)));
    most = std::max(most, u.held_bytes());
  }
  ASSERT_TRUE(u.finish());
  EXPECT_EQ(u.parts()[1].size, 4u << 20);
  EXPECT_LE(most, multipart::limits{}.max_part_head_bytes + 74u)
      << "a 4 MiB part passes through, never gathered";
}

TEST(multipart_upload, ParserLimitsAre413) {
  std::string body;
  for (int i = 0; i < 5; ++i) body += part("name=\"f\"", "v");
  body += "--XyZ--\r\n";
  multipart_upload u("XyZ", "", {.max_part_head_bytes = 8192, .max_parts = 4});
  EXPECT_FALSE(feed_all(u, body, 10));
  EXPECT_EQ(u.error().status, 413);
  EXPECT_EQ(u.error().name, "too_many_parts");
}

TEST(multipart_upload, AnUnwritableFolderIs500AndLeavesNothing) {
  multipart_upload u("XyZ", "/nonexistent-upload-folder");
  EXPECT_FALSE(feed_all(u, form_body(), 100));
  EXPECT_EQ(u.error().status, 500);
  EXPECT_EQ(u.error().name, "storage_failed");
  EXPECT_NE(u.error().detail.find("No such file"), std::string::npos) << u.error().detail;
}

// ---- POST /api/upload through a router and a real session

std::string post(std::string_view type, std::string_view body, bool chunked = false) {
  std::string r = "POST /up HTTP/1.1\r\nHost: t\r\nContent-Type: " + std::string(type) + "\r\n";
  if (!chunked)
    return r + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + std::string(body);
  r += "Transfer-Encoding: chunked\r\n\r\n";
  for (std::size_t at = 0; at < body.size(); at += 1000) {
    std::string_view piece = body.substr(at, 1000);
    std::ostringstream size;
    size << std::hex << piece.size();
    r += size.str() + "\r\n" + std::string(piece) + "\r\n";
  }
  return r + "0\r\n\r\n";
}

constexpr std::string_view kType = "multipart/form-data; boundary=XyZ";

TEST(upload_route, AnswersOneObjectPerPartAndStoresFiles) {
  temp_dir dir;
  router r;
  add_upload_route(r, "/up", {.dir = dir.path(), .max_body_bytes = 1 << 20});
  for (bool chunked : {false, true}) {
    auto res = test::round_trip(r, post(kType, form_body(), chunked), httpcore::method::post, 7);
    ASSERT_EQ(res.status, 200) << res.body;
    EXPECT_EQ(res.header("Content-Type"), "application/json");
    auto j = nlohmann::json::parse(res.body);
    ASSERT_EQ(j.size(), 4u);
    EXPECT_EQ(
        j[0],
        (nlohmann::json{
            {"field", "greeting"}, {"filename", nullptr}, {"size", 5}, {"sha256", kShaHello}}));
    EXPECT_EQ(j[3]["filename"], "a.txt");
    EXPECT_EQ(j[3]["sha256"], kShaAbc);
    EXPECT_EQ(dir.read(j[3]["stored"].get<std::string>()), "abc");
  }
  EXPECT_EQ(dir.names().size(), 6u) << "two uploads of three files";
}

TEST(upload_route, RefusalsCarryTheirStatusAndName) {
  temp_dir dir;
  router r;
  add_upload_route(r, "/up", {.dir = dir.path(), .max_body_bytes = 50'000});
  auto res = test::round_trip(r, post("text/plain", "x"), httpcore::method::post);
  EXPECT_EQ(res.status, 415);
  EXPECT_EQ(nlohmann::json::parse(res.body)["error"], "not_form_data");
  res = test::round_trip(r, post("multipart/form-data", "x"), httpcore::method::post);
  EXPECT_EQ(res.status, 400);
  EXPECT_EQ(nlohmann::json::parse(res.body)["error"], "missing_boundary");
  std::string bad = form_body();
  bad.replace(bad.find("--XyZ\r\nContent-Disposition: form-data; name=\"doc\"") + 5, 2, "??");
  res = test::round_trip(r, post(kType, bad), httpcore::method::post, 3);
  EXPECT_EQ(res.status, 400);
  auto j = nlohmann::json::parse(res.body);
  EXPECT_EQ(j["error"], "invalid_delimiter");
  EXPECT_EQ(j["offset"], bad.find("??"));
  for (bool chunked : {false, true}) {  // declared, or found while counting
    res = test::round_trip(r, post(kType, form_body(std::string(60'000, 'q')), chunked),
                           httpcore::method::post, 4096);
    EXPECT_EQ(res.status, 413) << "chunked " << chunked;
  }
  EXPECT_TRUE(dir.names().empty()) << "refused uploads store nothing";
}

TEST(upload_route, UrlencodedFormsAreFieldsWithoutFiles) {
  router r;
  add_upload_route(r, "/up", {.form = {.max_bytes = 64, .max_fields = 4}});
  auto res = test::round_trip(r, post("application/x-www-form-urlencoded", "a=abc&b=h%65llo"),
                              httpcore::method::post, 3);
  ASSERT_EQ(res.status, 200) << res.body;
  auto j = nlohmann::json::parse(res.body);
  ASSERT_EQ(j.size(), 2u);
  EXPECT_EQ(j[0], (nlohmann::json{
                      {"field", "a"}, {"filename", nullptr}, {"size", 3}, {"sha256", kShaAbc}}));
  EXPECT_EQ(j[1]["sha256"], kShaHello);
  res = test::round_trip(r, post("application/x-www-form-urlencoded", "a=%zz"),
                         httpcore::method::post);
  EXPECT_EQ(res.status, 400);
  EXPECT_EQ(nlohmann::json::parse(res.body),
            (nlohmann::json{{"error", "bad_escape"}, {"offset", 2}}));
  res = test::round_trip(r, post("application/x-www-form-urlencoded", std::string(65, 'a')),
                         httpcore::method::post);
  EXPECT_EQ(res.status, 413);
}

}  // namespace
}  // namespace httpcore::app
