// Names and statuses of parser errors: one table, so the two never disagree.

#include "httpcore/h1/error.hpp"

#include <array>

namespace httpcore::h1 {
namespace {

struct error_entry {
  std::string_view name;
  int status;
};

// Indexed by errc; the order must follow the enum.
constexpr std::array kErrors = {
    error_entry{"ok", 0},
    error_entry{"lf_without_cr", 400},
    error_entry{"cr_without_lf", 400},
    error_entry{"leading_whitespace", 400},
    error_entry{"invalid_method", 400},
    error_entry{"invalid_target", 400},
    error_entry{"target_form_mismatch", 400},
    error_entry{"target_too_long", 414},
    error_entry{"invalid_request_line", 400},
    error_entry{"invalid_version", 400},
    error_entry{"unsupported_version", 505},
    error_entry{"invalid_status_line", 400},
    error_entry{"invalid_status", 400},
    error_entry{"invalid_reason", 400},
    error_entry{"head_too_large", 431},
    error_entry{"too_many_headers", 431},
    error_entry{"empty_header_name", 400},
    error_entry{"invalid_header_name", 400},
    error_entry{"whitespace_before_colon", 400},
    error_entry{"obs_fold", 400},
    error_entry{"invalid_header_value", 400},
    error_entry{"invalid_content_length", 400},
    error_entry{"content_length_overflow", 400},
    error_entry{"duplicate_content_length", 400},
    error_entry{"content_length_with_transfer_encoding", 400},
    error_entry{"invalid_transfer_encoding", 400},
    error_entry{"chunked_not_final", 400},
    error_entry{"chunked_repeated", 400},
    error_entry{"unknown_transfer_coding", 501},
    error_entry{"body_too_large", 413},
    error_entry{"invalid_chunk_size", 400},
    error_entry{"chunk_size_overflow", 400},
    error_entry{"invalid_chunk_extension", 400},
    error_entry{"chunk_extension_too_long", 400},
    error_entry{"missing_chunk_data_crlf", 400},
    error_entry{"trailers_too_large", 431},
    error_entry{"data_after_close", 400},
    error_entry{"incomplete_message", 400},
    error_entry{"missing_host", 400},
    error_entry{"duplicate_host", 400},
    error_entry{"invalid_host", 400},
    error_entry{"unsupported_transfer_coding", 501},
};
static_assert(kErrors.size() == static_cast<std::size_t>(errc::unsupported_transfer_coding) + 1,
              "every errc needs a name and a status");

}  // namespace

std::string_view error_name(errc code) noexcept {
  auto i = static_cast<std::size_t>(code);
  return i < kErrors.size() ? kErrors[i].name : std::string_view("unknown");
}

int error_status(errc code) noexcept {
  auto i = static_cast<std::size_t>(code);
  return i < kErrors.size() ? kErrors[i].status : 400;
}

}  // namespace httpcore::h1
