// The C interface's serializer: h1's writers, with the result copied into the
// caller's buffer (or its needed size reported) instead of a std::string.

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "c_api.hpp"
#include "httpcore/h1/serializer.hpp"

namespace {

namespace h1 = httpcore::h1;
using httpcore::c_api::view;

// Serializes into a scratch string, then appends it to out[*len..cap).
// `write(std::string&)` returns an h1::serialize_error.
template <class Write>
httpcore_serialize_result append(char* out, std::size_t cap, std::size_t* len,
                                 Write&& write) noexcept {
  try {
    std::string bytes;
    h1::serialize_error e = write(bytes);
    if (e != h1::serialize_error::ok) return static_cast<httpcore_serialize_result>(e);
    if (bytes.size() > cap - std::min(*len, cap)) {
      *len += bytes.size();
      return HTTPCORE_SERIALIZE_BUFFER_TOO_SMALL;
    }
    if (!bytes.empty()) std::memcpy(out + *len, bytes.data(), bytes.size());
    *len += bytes.size();
    return HTTPCORE_SERIALIZE_OK;
  } catch (...) {  // std::bad_alloc
    return HTTPCORE_SERIALIZE_OUT_OF_MEMORY;
  }
}

std::vector<h1::header> to_cpp(const httpcore_header* fields, std::size_t n) {
  std::vector<h1::header> v;
  v.reserve(n);
  for (std::size_t i = 0; i < n; ++i)
    v.push_back(
        {view(fields[i].name, fields[i].name_len), view(fields[i].value, fields[i].value_len)});
  return v;
}

static_assert(static_cast<int>(h1::serialize_error::invalid_header_value) ==
                  HTTPCORE_SERIALIZE_INVALID_HEADER_VALUE,
              "httpcore_serialize_result starts with h1::serialize_error, in its order");

}  // namespace

extern "C" {

const char* httpcore_serialize_result_name(httpcore_serialize_result result) {
  switch (result) {
    case HTTPCORE_SERIALIZE_BUFFER_TOO_SMALL:
      return "buffer_too_small";
    case HTTPCORE_SERIALIZE_OUT_OF_MEMORY:
      return "out_of_memory";
    default:
      if (result < HTTPCORE_SERIALIZE_OK || result > HTTPCORE_SERIALIZE_INVALID_HEADER_VALUE)
        return "unknown";
      // The names are literals: NUL-terminated.
      return h1::serialize_error_name(static_cast<h1::serialize_error>(result)).data();
  }
}

httpcore_serialize_result httpcore_h1_write_request_head(
    char* out, std::size_t cap, std::size_t* len, const char* method, std::size_t method_len,
    const char* target, std::size_t target_len, const httpcore_header* headers,
    std::size_t num_headers, int version_minor) {
  return append(out, cap, len, [&](std::string& s) {
    return h1::write_request_head(s, view(method, method_len), view(target, target_len),
                                  to_cpp(headers, num_headers), version_minor);
  });
}

httpcore_serialize_result httpcore_h1_write_response_head(
    char* out, std::size_t cap, std::size_t* len, int status, const char* reason,
    std::size_t reason_len, const httpcore_header* headers, std::size_t num_headers,
    int version_minor) {
  return append(out, cap, len, [&](std::string& s) {
    return h1::write_response_head(s, status, view(reason, reason_len),
                                   to_cpp(headers, num_headers), version_minor);
  });
}

httpcore_serialize_result httpcore_h1_write_chunk(char* out, std::size_t cap, std::size_t* len,
                                                  const void* data, std::size_t data_len) {
  return append(out, cap, len, [&](std::string& s) {
    h1::write_chunk(s, view(static_cast<const char*>(data), data_len));
    return h1::serialize_error::ok;
  });
}

httpcore_serialize_result httpcore_h1_write_last_chunk(char* out, std::size_t cap, std::size_t* len,
                                                       const httpcore_header* trailers,
                                                       std::size_t num_trailers) {
  return append(out, cap, len, [&](std::string& s) {
    return h1::write_last_chunk(s, to_cpp(trailers, num_trailers));
  });
}

}  // extern "C"
