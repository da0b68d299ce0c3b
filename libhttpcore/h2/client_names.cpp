// Stable names for the client session's enums and HTTP/2's error codes.

#include "httpcore/h2/client.hpp"

namespace httpcore::h2 {

using kind = client_event::kind;

std::string_view to_string(client_error e) noexcept {
  switch (e) {
    case client_error::none:
      return "none";
    case client_error::too_many_streams:
      return "too_many_streams";
    case client_error::going_away:
      return "going_away";
    case client_error::invalid_request:
      return "invalid_request";
    case client_error::header_list_too_large:
      return "header_list_too_large";
    case client_error::no_such_stream:
      return "no_such_stream";
    case client_error::body_buffer_full:
      return "body_buffer_full";
    case client_error::protocol_error:
      return "protocol_error";
    case client_error::flooded:
      return "flooded";
    case client_error::connection_closed:
      return "connection_closed";
    case client_error::internal:
      return "internal";
  }
  return "unknown";
}

std::string_view to_string(client_event::kind k) noexcept {
  switch (k) {
    case kind::response_head:
      return "response_head";
    case kind::data:
      return "data";
    case kind::trailers:
      return "trailers";
    case kind::stream_end:
      return "stream_end";
    case kind::stream_reset:
      return "stream_reset";
    case kind::goaway:
      return "goaway";
    case kind::connection_error:
      return "connection_error";
  }
  return "unknown";
}

std::string_view error_code_name(std::uint32_t code) noexcept {
  static constexpr std::string_view names[] = {"NO_ERROR",
                                               "PROTOCOL_ERROR",
                                               "INTERNAL_ERROR",
                                               "FLOW_CONTROL_ERROR",
                                               "SETTINGS_TIMEOUT",
                                               "STREAM_CLOSED",
                                               "FRAME_SIZE_ERROR",
                                               "REFUSED_STREAM",
                                               "CANCEL",
                                               "COMPRESSION_ERROR",
                                               "CONNECT_ERROR",
                                               "ENHANCE_YOUR_CALM",
                                               "INADEQUATE_SECURITY",
                                               "HTTP_1_1_REQUIRED"};
  return code < std::size(names) ? names[code] : "unknown";
}

}  // namespace httpcore::h2
