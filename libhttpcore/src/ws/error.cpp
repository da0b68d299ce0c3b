// Names and close codes of frame parser errors: one table, so the two never disagree.

#include "httpcore/ws/error.hpp"

#include <array>

#include "httpcore/ws/close_code.hpp"

namespace httpcore::ws {
namespace {

struct error_entry {
  std::string_view name;
  std::uint16_t close_code;
};

// Indexed by error_code; the order must follow the enum.
constexpr std::array kErrors = {
    error_entry{"none", 0},
    error_entry{"reserved_bits", close_code::protocol_error},
    error_entry{"rsv1_not_first_fragment", close_code::protocol_error},
    error_entry{"unknown_opcode", close_code::protocol_error},
    error_entry{"unmasked_client_frame", close_code::protocol_error},
    error_entry{"masked_server_frame", close_code::protocol_error},
    error_entry{"non_minimal_length", close_code::protocol_error},
    error_entry{"length_msb_set", close_code::protocol_error},
    error_entry{"control_too_long", close_code::protocol_error},
    error_entry{"fragmented_control", close_code::protocol_error},
    error_entry{"unexpected_continuation", close_code::protocol_error},
    error_entry{"expected_continuation", close_code::protocol_error},
    error_entry{"data_after_close", close_code::protocol_error},
    error_entry{"invalid_close_payload", close_code::protocol_error},
    error_entry{"invalid_close_code", close_code::protocol_error},
    error_entry{"invalid_close_reason", close_code::invalid_payload},
    error_entry{"invalid_utf8", close_code::invalid_payload},
    error_entry{"frame_too_big", close_code::message_too_big},
    error_entry{"message_too_big", close_code::message_too_big},
};
static_assert(kErrors.size() == static_cast<std::size_t>(error_code::message_too_big) + 1,
              "one entry per error_code");

}  // namespace

std::string_view error_name(error_code code) noexcept {
  auto i = static_cast<std::size_t>(code);
  return i < kErrors.size() ? kErrors[i].name : std::string_view("unknown");
}

std::uint16_t error_close_code(error_code code) noexcept {
  auto i = static_cast<std::size_t>(code);
  return i < kErrors.size() ? kErrors[i].close_code : close_code::protocol_error;
}

}  // namespace httpcore::ws
