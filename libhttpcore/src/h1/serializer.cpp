#include "httpcore/h1/serializer.hpp"

#include <array>
#include <cstring>

#include "detail/byte_class.hpp"

namespace httpcore::h1 {
namespace {

// The parser's byte classes (detail/byte_class.hpp), not a copy of them: the
// promise to write only what parses back rests on both using one table.
using httpcore::detail::all_in_class;
using httpcore::detail::class_field_value;
using httpcore::detail::class_target;
using httpcore::detail::is_ows;
using httpcore::detail::is_token;

// field-value = *field-content, which neither starts nor ends with SP/HTAB: a
// recipient strips that whitespace, so writing it would not round-trip.
bool is_field_value(std::string_view s) noexcept {
  if (s.empty()) return true;
  if (is_ows(s.front()) || is_ows(s.back())) return false;
  return all_in_class(class_field_value, s);
}

// Validates every field and returns the bytes `name: value\r\n` lines need, so
// the caller can grow `out` once and then copy without further checks.
serialize_error measure_fields(std::span<const header> fields, std::size_t& size) noexcept {
  for (const header& h : fields) {
    if (!is_token(h.name)) return serialize_error::invalid_header_name;
    if (!is_field_value(h.value)) return serialize_error::invalid_header_value;
    size += h.name.size() + h.value.size() + 4;  // ": " and CRLF
  }
  return serialize_error::ok;
}

char* put(char* p, std::string_view s) noexcept {
  // memcpy with a null source is undefined even for zero bytes; empty views
  // built from {} have a null data().
  if (!s.empty()) std::memcpy(p, s.data(), s.size());
  return p + s.size();
}

char* put_fields(char* p, std::span<const header> fields) noexcept {
  for (const header& h : fields) {
    p = put(p, h.name);
    p = put(p, ": ");
    p = put(p, h.value);
    p = put(p, "\r\n");
  }
  return put(p, "\r\n");
}

// Grows `out` by `n` bytes and returns where they start. resize() either
// succeeds or throws leaving `out` untouched, which keeps the "unchanged on
// failure" promise even for bad_alloc.
char* grow(std::string& out, std::size_t n) {
  const std::size_t old = out.size();
  out.resize(old + n);
  return out.data() + old;
}

constexpr std::size_t k_max_hex_digits = sizeof(std::size_t) * 2;

// Writes `size` in lower-case hex followed by CRLF into `buf`; returns the length.
std::size_t format_chunk_size(std::size_t size, char (&buf)[k_max_hex_digits + 2]) noexcept {
  constexpr char digits[] = "0123456789abcdef";
  char tmp[k_max_hex_digits];
  std::size_t n = 0;
  do {
    tmp[n++] = digits[size & 0xF];
    size >>= 4;
  } while (size != 0);
  for (std::size_t i = 0; i < n; ++i) buf[i] = tmp[n - 1 - i];
  buf[n] = '\r';
  buf[n + 1] = '\n';
  return n + 2;
}

}  // namespace

std::string_view serialize_error_name(serialize_error e) noexcept {
  switch (e) {
    case serialize_error::ok:
      return "ok";
    case serialize_error::invalid_method:
      return "invalid_method";
    case serialize_error::invalid_target:
      return "invalid_target";
    case serialize_error::invalid_version:
      return "invalid_version";
    case serialize_error::invalid_status:
      return "invalid_status";
    case serialize_error::invalid_reason:
      return "invalid_reason";
    case serialize_error::invalid_header_name:
      return "invalid_header_name";
    case serialize_error::invalid_header_value:
      return "invalid_header_value";
  }
  return "unknown";
}

std::string_view reason_phrase(int status) noexcept {
  switch (status) {
    case 100:
      return "Continue";
    case 101:
      return "Switching Protocols";
    case 102:
      return "Processing";
    case 103:
      return "Early Hints";
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 203:
      return "Non-Authoritative Information";
    case 204:
      return "No Content";
    case 205:
      return "Reset Content";
    case 206:
      return "Partial Content";
    case 207:
      return "Multi-Status";
    case 208:
      return "Already Reported";
    case 226:
      return "IM Used";
    case 300:
      return "Multiple Choices";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 303:
      return "See Other";
    case 304:
      return "Not Modified";
    case 305:
      return "Use Proxy";
    case 307:
      return "Temporary Redirect";
    case 308:
      return "Permanent Redirect";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 402:
      return "Payment Required";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 406:
      return "Not Acceptable";
    case 407:
      return "Proxy Authentication Required";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 410:
      return "Gone";
    case 411:
      return "Length Required";
    case 412:
      return "Precondition Failed";
    case 413:
      return "Content Too Large";
    case 414:
      return "URI Too Long";
    case 415:
      return "Unsupported Media Type";
    case 416:
      return "Range Not Satisfiable";
    case 417:
      return "Expectation Failed";
    case 421:
      return "Misdirected Request";
    case 422:
      return "Unprocessable Content";
    case 423:
      return "Locked";
    case 424:
      return "Failed Dependency";
    case 425:
      return "Too Early";
    case 426:
      return "Upgrade Required";
    case 428:
      return "Precondition Required";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 451:
      return "Unavailable For Legal Reasons";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    case 505:
      return "HTTP Version Not Supported";
    case 506:
      return "Variant Also Negotiates";
    case 507:
      return "Insufficient Storage";
    case 508:
      return "Loop Detected";
    case 511:
      return "Network Authentication Required";
    default:
      return {};
  }
}

serialize_error write_request_head(std::string& out, std::string_view method,
                                   std::string_view target, std::span<const header> headers,
                                   int version_minor) {
  if (!is_token(method)) return serialize_error::invalid_method;
  if (target.empty() || !all_in_class(class_target, target)) return serialize_error::invalid_target;
  if (version_minor != 0 && version_minor != 1) return serialize_error::invalid_version;
  // "GET" SP target SP "HTTP/1.1" CRLF ... CRLF
  std::size_t size = method.size() + 1 + target.size() + 1 + 8 + 2 + 2;
  if (auto e = measure_fields(headers, size); e != serialize_error::ok) return e;

  char* p = grow(out, size);
  p = put(p, method);
  *p++ = ' ';
  p = put(p, target);
  p = put(p, version_minor == 1 ? " HTTP/1.1\r\n" : " HTTP/1.0\r\n");
  put_fields(p, headers);
  return serialize_error::ok;
}

serialize_error write_response_head(std::string& out, int status, std::string_view reason,
                                    std::span<const header> headers, int version_minor) {
  if (version_minor != 0 && version_minor != 1) return serialize_error::invalid_version;
  if (status < 100 || status > 999) return serialize_error::invalid_status;
  if (reason.empty()) {
    reason = reason_phrase(status);
  } else if (!all_in_class(class_field_value, reason)) {
    return serialize_error::invalid_reason;
  }
  // "HTTP/1.1" SP 3DIGIT SP reason CRLF ... CRLF
  std::size_t size = 8 + 1 + 3 + 1 + reason.size() + 2 + 2;
  if (auto e = measure_fields(headers, size); e != serialize_error::ok) return e;

  char* p = grow(out, size);
  p = put(p, version_minor == 1 ? "HTTP/1.1 " : "HTTP/1.0 ");
  *p++ = static_cast<char>('0' + status / 100);
  *p++ = static_cast<char>('0' + status / 10 % 10);
  *p++ = static_cast<char>('0' + status % 10);
  *p++ = ' ';
  p = put(p, reason);
  p = put(p, "\r\n");
  put_fields(p, headers);
  return serialize_error::ok;
}

void write_chunk(std::string& out, std::string_view data) {
  if (data.empty()) return;
  char hdr[k_max_hex_digits + 2];
  const std::size_t hdr_len = format_chunk_size(data.size(), hdr);
  char* p = grow(out, hdr_len + data.size() + 2);
  p = put(p, {hdr, hdr_len});
  p = put(p, data);
  put(p, "\r\n");
}

void write_chunk(std::string& out, std::span<const std::byte> data) {
  write_chunk(out, std::string_view(reinterpret_cast<const char*>(data.data()), data.size()));
}

bool write_chunk_header(std::string& out, std::size_t size) {
  if (size == 0) return false;
  char hdr[k_max_hex_digits + 2];
  out.append(hdr, format_chunk_size(size, hdr));
  return true;
}

void write_chunk_end(std::string& out) {
  out.append("\r\n", 2);
}

serialize_error write_last_chunk(std::string& out, std::span<const header> trailers) {
  std::size_t size = 3 + 2;  // "0\r\n" ... "\r\n"
  if (auto e = measure_fields(trailers, size); e != serialize_error::ok) return e;
  char* p = grow(out, size);
  p = put(p, "0\r\n");
  put_fields(p, trailers);
  return serialize_error::ok;
}

content_length_value::content_length_value(std::uint64_t length) noexcept {
  std::size_t i = sizeof digits_;
  do {
    digits_[--i] = static_cast<char>('0' + length % 10);
    length /= 10;
  } while (length != 0);
  begin_ = static_cast<std::uint8_t>(i);
}

}  // namespace httpcore::h1
