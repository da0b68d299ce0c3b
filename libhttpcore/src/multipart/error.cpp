// Names and statuses of multipart errors: one table, so the two never disagree.

#include "httpcore/multipart/error.hpp"

#include <array>

namespace httpcore::multipart {
namespace {

struct error_entry {
  std::string_view name;
  int status;
};

// Indexed by errc; the order must follow the enum.
constexpr std::array kErrors = {
    error_entry{"ok", 0},
    error_entry{"not_form_data", 415},
    error_entry{"invalid_content_type", 400},
    error_entry{"missing_boundary", 400},
    error_entry{"duplicate_boundary", 400},
    error_entry{"invalid_boundary", 400},
    error_entry{"invalid_delimiter", 400},
    error_entry{"invalid_close_delimiter", 400},
    error_entry{"cr_without_lf", 400},
    error_entry{"lf_without_cr", 400},
    error_entry{"part_head_too_large", 413},
    error_entry{"too_many_parts", 413},
    error_entry{"missing_colon", 400},
    error_entry{"invalid_header_name", 400},
    error_entry{"whitespace_before_colon", 400},
    error_entry{"obs_fold", 400},
    error_entry{"invalid_header_value", 400},
    error_entry{"missing_content_disposition", 400},
    error_entry{"duplicate_content_disposition", 400},
    error_entry{"invalid_content_disposition", 400},
    error_entry{"missing_name", 400},
    error_entry{"duplicate_parameter", 400},
    error_entry{"duplicate_content_type", 400},
    error_entry{"boundary_not_found", 400},
    error_entry{"incomplete_body", 400},
};
static_assert(kErrors.size() == static_cast<std::size_t>(errc::incomplete_body) + 1,
              "one entry per errc, in order");

}  // namespace

std::string_view error_name(errc code) noexcept {
  const auto i = static_cast<std::size_t>(code);
  return i < kErrors.size() ? kErrors[i].name : std::string_view("unknown");
}

int error_status(errc code) noexcept {
  const auto i = static_cast<std::size_t>(code);
  return i < kErrors.size() ? kErrors[i].status : 400;
}

}  // namespace httpcore::multipart
