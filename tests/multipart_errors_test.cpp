// Every multipart error: its name, the offset of the offending byte (found
// in each case by searching the input for it, not by counting in the
// parser's way), the status, the same for every split of the input; the
// limits at and just past their bounds; and boundary_from_content_type.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "httpcore/multipart/parser.hpp"
#include "httpcore/to_string.hpp"
#include "support/multipart_driver.hpp"

namespace httpcore::test {
namespace {

using multipart::errc;

const std::string cd = "Content-Disposition: form-data; name=a\r\n";
const std::string first = "--b\r\n" + cd + "\r\n";  // a part's delimiter, head, blank line

struct error_case {
  errc code;
  std::string body;
  std::size_t offset;
  multipart::limits limits{};
};

std::vector<error_case> error_cases() {
  std::vector<error_case> v;
  auto add = [&](errc code, std::string body, std::size_t offset, multipart::limits lim = {}) {
    v.push_back({code, std::move(body), offset, lim});
  };
  auto at = [](const std::string& s, std::string_view marker, std::size_t from = 0) {
    return s.find(marker, from);
  };
  std::string s;
  // Delimiter lines.
  add(errc::invalid_delimiter, "--bX\r\n", 3);
  add(errc::invalid_delimiter, "--b \t-\r\n", 5);
  add(errc::invalid_delimiter, "--b-X", 4);
  s = first + "data\r\n--bb\r\n";
  add(errc::invalid_delimiter, s, at(s, "b\r\n", at(s, "--bb") + 3));
  s = "preamble\r\n--bc\r\n";
  add(errc::invalid_delimiter, s, at(s, "c"));
  add(errc::invalid_close_delimiter, "--b--X", 5);
  add(errc::invalid_close_delimiter, "--b-- \t-", 7);
  s = first + "x\r\n--b--\r-";
  add(errc::cr_without_lf, s, s.size() - 1);
  add(errc::cr_without_lf, "--b\rX", 4);
  add(errc::cr_without_lf, "--b  \r\r\n", 6);
  add(errc::cr_without_lf, "--b\r", 4);    // at finish: the byte after the CR never came
  add(errc::cr_without_lf, "--b--\r", 6);  // the same after the close delimiter
  // Part heads.
  s = "--b\r\nContent-Disposition: form-data; name=a\rX";
  add(errc::cr_without_lf, s, s.size() - 1);
  s = "--b\r\nContent-Disposition: form-data; name=a\n\r\n";
  add(errc::lf_without_cr, s, at(s, "\n\r"));
  s = "--b\r\n" + cd + "Content-Type\r\n\r\n";
  add(errc::missing_colon, s, at(s, "\r\n\r\n"));
  s = "--b\r\n:x\r\n";
  add(errc::invalid_header_name, s, 5);
  s = "--b\r\nCon@tent: x\r\n";
  add(errc::invalid_header_name, s, at(s, "@"));
  s = "--b\r\nCon tent: x\r\n";
  add(errc::invalid_header_name, s, at(s, " "));
  s = "--b\r\n Content-Type: x\r\n";
  add(errc::invalid_header_name, s, 5);
  s = "--b\r\nContent-Type \t: x\r\n";
  add(errc::whitespace_before_colon, s, at(s, " \t:"));
  s = "--b\r\n" + cd + " continued\r\n\r\n";
  add(errc::obs_fold, s, at(s, " continued"));
  s = "--b\r\n" + cd + "X: a\x01" + "b\r\n\r\n";
  add(errc::invalid_header_value, s, at(s, "\x01"));
  s = "--b\r\n" + cd + "X: a\x7f\r\n\r\n";
  add(errc::invalid_header_value, s, at(s, "\x7f"));
  s = "--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--";
  add(errc::missing_content_disposition, s, at(s, "\r\n\r\n") + 2);
  s = "--b\r\n\r\nx\r\n--b--";
  add(errc::missing_content_disposition, s, 5);
  s = "--b\r\n" + cd + "content-disposition: form-data; name=b\r\n\r\n";
  add(errc::duplicate_content_disposition, s, at(s, "content-disposition"));
  s = "--b\r\nContent-Disposition: attachment; name=a\r\n\r\n";
  add(errc::invalid_content_disposition, s, at(s, "attachment"));
  s = "--b\r\nContent-Disposition: form-data name=a\r\n\r\n";
  add(errc::invalid_content_disposition, s, at(s, "name"));
  s = "--b\r\nContent-Disposition: form-data; name\r\n\r\n";
  add(errc::invalid_content_disposition, s, at(s, "\r\n\r\n"));
  s = "--b\r\nContent-Disposition: form-data; name = a\r\n\r\n";
  add(errc::invalid_content_disposition, s, at(s, " = a"));
  s = "--b\r\nContent-Disposition: form-data; name=\"a\r\n\r\n";
  add(errc::invalid_content_disposition, s, at(s, "\r\n\r\n"));
  s = "--b\r\nContent-Disposition: form-data; name=a;\r\n\r\n";
  add(errc::invalid_content_disposition, s, at(s, "\r\n\r\n"));
  s = "--b\r\nContent-Disposition: form-data; name=a\"b\"\r\n\r\n";
  add(errc::invalid_content_disposition, s, at(s, "\""));
  s = "--b\r\nContent-Disposition: form-data; name=a/b\r\n\r\n";
  add(errc::invalid_content_disposition, s, at(s, "/b"));
  s = "--b\r\nContent-Disposition: form-data; filename=\"a.txt\"\r\n\r\n";
  add(errc::missing_name, s, at(s, "form-data"));
  s = "--b\r\nContent-Disposition: form-data\r\n\r\n";
  add(errc::missing_name, s, at(s, "form-data"));
  s = "--b\r\nContent-Disposition: form-data; name=a; NAME=b\r\n\r\n";
  add(errc::duplicate_parameter, s, at(s, "NAME"));
  s = "--b\r\nContent-Disposition: form-data; name=a; filename=x; Filename=y\r\n\r\n";
  add(errc::duplicate_parameter, s, at(s, "Filename"));
  s = "--b\r\nContent-Disposition: form-data; name=a; filename*=x; filename*=y\r\n\r\n";
  add(errc::duplicate_parameter, s, at(s, "filename*=y"));
  s = "--b\r\n" + cd + "Content-Type: a/b\r\ncontent-type: c/d\r\n\r\n";
  add(errc::duplicate_content_type, s, at(s, "content-type"));
  // The end of the input.
  add(errc::boundary_not_found, "", 0);
  add(errc::boundary_not_found, "no delimiter here\r\n-", 20);
  add(errc::boundary_not_found, "--", 2);
  s = first + "data";
  add(errc::incomplete_body, s, s.size());
  s = first + "data\r\n--";
  add(errc::incomplete_body, s, s.size());
  s = "--b\r\n" + cd;
  add(errc::incomplete_body, s, s.size());
  s = "--b\r\n" + cd + "\r\nx\r\n--b";
  add(errc::incomplete_body, s, s.size());
  s = "--b \t";
  add(errc::incomplete_body, s, s.size());
  // Limits: a head of 64 bytes is allowed (below), one of 65 is not, wherever
  // the 65th byte falls; the third part with max_parts 2.
  multipart::limits small;
  small.max_part_head_bytes = 64;
  small.max_parts = 2;
  s = "--b\r\nContent-Disposition: form-data; name=\"abcdefghijklmnopqrstuv\"\r\n\r\n";
  add(errc::part_head_too_large, s, 5 + 64, small);  // the blank line's LF is byte 65
  s = "--b\r\nContent-Disposition: form-data; name=\"abcdefghijklmnopqrstuvw\"\r\n\r\n";
  add(errc::part_head_too_large, s, 5 + 64, small);  // its CR
  s = "--b\r\nX-Long: " + std::string(100, 'x');
  add(errc::part_head_too_large, s, 5 + 64, small);
  s = first + "1\r\n--b\r\n" + cd + "\r\n2\r\n--b\r\n" + cd + "\r\n3\r\n--b--\r\n";
  add(errc::too_many_parts, s, at(s, "\r\n3") - cd.size(), small);
  return v;
}

TEST(MultipartErrors, EveryErrorWithItsOffsetAndStatusUnderEverySplit) {
  std::vector<bool> seen(static_cast<std::size_t>(errc::incomplete_body) + 1);
  for (const auto& c : error_cases()) {
    multipart_config cfg;
    cfg.limits = c.limits;
    const std::string expected = "error " + std::string(multipart::error_name(c.code)) + " at " +
                                 std::to_string(c.offset) + " status " +
                                 std::to_string(multipart::error_status(c.code));
    const multipart_log whole = run_multipart(cfg, c.body);
    ASSERT_FALSE(whole.empty()) << printable(c.body);
    EXPECT_EQ(whole.back(), expected) << printable(c.body);
    for (const auto& line : whole) EXPECT_NE(line.rfind("BUG", 0), 0u) << line;
    for (std::size_t cut = 0; cut <= c.body.size(); ++cut)
      ASSERT_EQ(run_multipart(cfg, c.body, {cut}), whole) << printable(c.body) << " cut " << cut;
    ASSERT_EQ(run_multipart(cfg, c.body, one_byte_cuts(c.body.size())), whole) << printable(c.body);
    seen[static_cast<std::size_t>(c.code)] = true;
  }
  // Every parser error has a case (the boundary helper's are below).
  for (std::size_t i = static_cast<std::size_t>(errc::invalid_delimiter); i < seen.size(); ++i)
    EXPECT_TRUE(seen[i]) << multipart::error_name(static_cast<errc>(i));
}

TEST(MultipartErrors, LimitsAllowWhatIsAtTheirBound) {
  multipart_config cfg;
  cfg.limits.max_part_head_bytes = 64;
  cfg.limits.max_parts = 2;
  // A head of exactly 64 bytes (the blank line included), two parts.
  const std::string head = "Content-Disposition: form-data; name=\"abcdefghijklmnopqrstu\"\r\n\r\n";
  ASSERT_EQ(head.size(), 64u);
  const std::string body = "--b\r\n" + head + "1\r\n--b\r\n" + head + "2\r\n--b--\r\n";
  EXPECT_EQ(run_multipart(cfg, body),
            (multipart_log{"begin 0 name=abcdefghijklmnopqrstu", "data 1", "end 0 bytes 1",
                           "begin 1 name=abcdefghijklmnopqrstu", "data 2", "end 1 bytes 1",
                           "body_end parts 2"}));
  // Padding after the boundary, the preamble and the epilogue are consumed
  // as they come: they are bounded by the body's own limit, not held here.
  multipart::parser p("b");
  const std::string padding(100000, ' ');
  EXPECT_EQ(p.feed("--b").consumed, 3u);
  EXPECT_EQ(p.feed(padding).consumed, padding.size());
}

TEST(MultipartErrors, InvalidBoundaryMakesAFailedParser) {
  for (std::string b : {std::string(), std::string(71, 'a'), std::string("a "), std::string("a\"b"),
                        std::string("a\\b"), std::string("a\rb"), std::string("x\0y", 3),
                        std::string("\xc3\xa9")}) {
    multipart::parser p(b);
    EXPECT_EQ(p.state(), multipart::parse_state::failed) << printable(b);
    EXPECT_EQ(p.boundary(), "");
    auto r = p.feed("--" + b + "\r\n");
    EXPECT_EQ(r.err.code, errc::invalid_boundary) << printable(b);
    EXPECT_EQ(r.err.offset, 0u);
    EXPECT_EQ(r.err.status(), 400);
    p.reset();
    EXPECT_EQ(p.finish().err.code, errc::invalid_boundary);
  }
  EXPECT_TRUE(multipart::valid_boundary(std::string(70, 'a')));
  EXPECT_TRUE(multipart::valid_boundary(" a"));
  EXPECT_TRUE(multipart::valid_boundary("----WebKitFormBoundary7MA4YWxkTrZu0gW"));
}

struct content_type_case {
  std::string value;
  errc code;
  std::size_t offset;
  std::string boundary;
};

TEST(MultipartErrors, BoundaryFromContentType) {
  const std::string b70(70, 'z');
  const std::vector<content_type_case> cases = {
      {"multipart/form-data; boundary=AaB03x", errc::ok, 0, "AaB03x"},
      {"Multipart/Form-Data;BOUNDARY=\"a b:c\"", errc::ok, 0, "a b:c"},
      {"  multipart/form-data ; charset=utf-8;; boundary=" + b70 + " ; x=\"y\\\"\"  ", errc::ok, 0,
       b70},
      {"multipart/form-data; boundary=\"----WebKitFormBoundaryQ\"", errc::ok, 0,
       "----WebKitFormBoundaryQ"},
      {"text/plain; boundary=a", errc::not_form_data, 0, ""},
      {" multipart/mixed; boundary=a", errc::not_form_data, 1, ""},
      {"multipart", errc::invalid_content_type, 9, ""},
      {"multipart/", errc::invalid_content_type, 10, ""},
      {"multipart/form-data boundary=a", errc::invalid_content_type, 20, ""},
      {"multipart/form-data; boundary", errc::invalid_content_type, 29, ""},
      {"multipart/form-data; boundary=", errc::invalid_content_type, 30, ""},
      {"multipart/form-data; boundary=\"abc", errc::invalid_content_type, 34, ""},
      {"multipart/form-data; =a", errc::invalid_content_type, 21, ""},
      {"multipart/form-data", errc::missing_boundary, 19, ""},
      {"multipart/form-data; charset=utf-8", errc::missing_boundary, 34, ""},
      {"multipart/form-data; boundary=a; Boundary=b", errc::duplicate_boundary, 33, ""},
      {"multipart/form-data; boundary=\"\"", errc::invalid_boundary, 31, ""},
      {"multipart/form-data; boundary=" + b70 + "z", errc::invalid_boundary, 100, ""},
      {"multipart/form-data; boundary=\"ab \"", errc::invalid_boundary, 33, ""},
      {"multipart/form-data; boundary=\"a\\b\"", errc::invalid_boundary, 32, ""},
      {"multipart/form-data; boundary=a;b", errc::invalid_content_type, 33, ""},
      {"multipart/form-data; boundary=a!b", errc::invalid_boundary, 31, ""},
  };
  for (const auto& c : cases) {
    const auto r = multipart::boundary_from_content_type(c.value);
    EXPECT_EQ(r.err.code, c.code) << c.value << ": " << r.err.name();
    EXPECT_EQ(r.err.offset, c.offset) << c.value;
    EXPECT_EQ(r.boundary, c.boundary) << c.value;
    if (c.code == errc::not_form_data) {
      EXPECT_EQ(r.err.status(), 415);
    }
    if (c.code == errc::ok) {
      EXPECT_TRUE(multipart::valid_boundary(r.boundary));
    }
  }
}

TEST(MultipartErrors, NamesAndStatuses) {
  EXPECT_EQ(multipart::error_name(errc::ok), "ok");
  EXPECT_EQ(multipart::error_status(errc::ok), 0);
  EXPECT_EQ(multipart::error_name(static_cast<errc>(200)), "unknown");
  EXPECT_EQ(multipart::to_string(errc::too_many_parts), "too_many_parts");
  EXPECT_EQ(multipart::error_status(errc::too_many_parts), 413);
  EXPECT_EQ(multipart::error_status(errc::part_head_too_large), 413);
  EXPECT_EQ(multipart::error_status(errc::not_form_data), 415);
  EXPECT_EQ(multipart::to_string(multipart::parse_state::closing), "closing");
  for (int i = 1; i <= static_cast<int>(errc::incomplete_body); ++i) {
    const auto code = static_cast<errc>(i);
    EXPECT_NE(multipart::error_name(code), "unknown");
    const int st = multipart::error_status(code);
    EXPECT_TRUE(st == 400 || st == 413 || st == 415) << multipart::error_name(code);
  }
}

}  // namespace
}  // namespace httpcore::test
