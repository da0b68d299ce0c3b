// What a complete head means: the body's framing (RFC 9112 §6.3), whether the
// connection persists (RFC 9112 §9.3), and whether HTTP/1 ends here.

#include "h1/parser_internal.hpp"

namespace httpcore::h1 {
parser::step parser::decide_request_framing(cursor& c) noexcept {
  std::size_t head_at = c.origin;
  if (has_transfer_encoding_) {
    if (has_content_length_) {
      if (!lenient_.chunked_length)
        return fail(c, errc::content_length_with_transfer_encoding, head_at);
      keep_alive_ = false;  // RFC 9112 §6.3 (3): close after responding
    }
    if (!te_chunked_last_) {
      // RFC 9112 §6.3 (4): the length cannot be determined; answer 400.
      if (!lenient_.transfer_encoding) return fail(c, errc::chunked_not_final, head_at);
      keep_alive_ = false;
      state_ = lex_state::body_until_close;
      return step::next;
    }
    has_content_length_ = false;  // chunked wins (lenient chunked_length only)
    state_ = lex_state::chunk_size;
  } else if (has_content_length_ && content_length_ > 0) {
    if (content_length_ > limits_.max_body_bytes) return fail(c, errc::body_too_large, head_at);
    body_remaining_ = content_length_;
    state_ = lex_state::body_fixed;
  } else {
    state_ = lex_state::message_complete;
  }
  return step::next;
}

parser::step parser::decide_response_framing(cursor& c) noexcept {
  bool to_connect = request_method_ == httpcore::method::connect;
  if (status_ == 101 || (to_connect && status_ >= 200 && status_ < 300)) {
    upgrade_after_message_ = true;
    upgrade_ = status_ == 101 ? upgrade_kind::upgrade : upgrade_kind::connect;
    state_ = lex_state::message_complete;
    return step::next;
  }
  // RFC 9112 §6.3 (1): no content whatever the fields say.
  if ((status_ >= 100 && status_ < 200) || status_ == 204 || status_ == 304 ||
      request_method_ == httpcore::method::head) {
    state_ = lex_state::message_complete;
    return step::next;
  }
  if (has_transfer_encoding_) {
    if (has_content_length_ && !lenient_.chunked_length)
      return fail(c, errc::content_length_with_transfer_encoding, c.origin);
    has_content_length_ = false;
    if (te_chunked_last_) {
      state_ = lex_state::chunk_size;
    } else {
      keep_alive_ = false;
      state_ = lex_state::body_until_close;
    }
  } else if (has_content_length_) {
    if (content_length_ > limits_.max_body_bytes) return fail(c, errc::body_too_large, c.origin);
    body_remaining_ = content_length_;
    state_ = content_length_ > 0 ? lex_state::body_fixed : lex_state::message_complete;
  } else {
    keep_alive_ = false;
    state_ = lex_state::body_until_close;
  }
  return step::next;
}

parser::step parser::complete_head(cursor& c, std::size_t head_end) noexcept {
  // HTTP/1.1 persists unless "close"; HTTP/1.0 only with "keep-alive".
  bool at_least_1_1 = version_major_ > 1 || (version_major_ == 1 && version_minor_ >= 1);
  keep_alive_ = !conn_close_ && (at_least_1_1 || conn_keep_alive_);
  // RFC 9112 §6.1: Transfer-Encoding in HTTP/1.0 means faulty framing: close after.
  if (has_transfer_encoding_ && version_major_ == 1 && version_minor_ == 0) keep_alive_ = false;

  body_framing framing;
  if (role_ == role::server) {
    // RFC 9112 §3.2: an HTTP/1.1 request names its host, even when its target
    // is absolute-form (whose authority the server then uses instead).
    // HTTP/1.0 predates Host.
    if (at_least_1_1 && !has_host_ && !lenient_.host) return fail(c, errc::missing_host, c.origin);
    step s = decide_request_framing(c);
    if (s != step::next) return s;
    if (method_id_ == httpcore::method::connect) {
      // The tunnel starts right after the head; a CONNECT body has no meaning.
      upgrade_after_message_ = true;
      upgrade_ = upgrade_kind::connect;
      state_ = lex_state::message_complete;
    } else if (has_upgrade_ && conn_upgrade_ && at_least_1_1) {
      // RFC 9110 §7.8: a server ignores Upgrade in an HTTP/1.0 request.
      upgrade_after_message_ = true;  // after the body, if any
      upgrade_ = upgrade_kind::upgrade;
    }
  } else {
    step s = decide_response_framing(c);
    if (s != step::next) return s;
  }
  switch (state_) {
    case lex_state::chunk_size:
      framing = body_framing::chunked;
      break;
    case lex_state::body_until_close:
      framing = body_framing::until_close;
      break;
    case lex_state::body_fixed:
      framing = body_framing::content_length;
      break;
    default:
      framing = body_framing::none;
      break;
  }
  // One aggregate initialisation each: emplace<T>() and then assigning the
  // members would zero-fill the head first.
  std::span<const header> headers(headers_.data(), field_count_);
  std::optional<std::uint64_t> announced;
  if (has_content_length_) announced = content_length_;
  // The parser undoes a final chunked and nothing else (RFC 9112 §7).
  transfer_coding_list codings;
  codings.count = te_codings_ - (te_chunked_last_ ? 1u : 0u);
  if (codings.count > 0) {
    codings.first = {c.data + c.origin + te_first_begin_, te_first_end_ - te_first_begin_};
    codings.offset = stream_offset_ + c.origin + te_first_begin_;
  }
  if (role_ == role::server) {
    c.ev.emplace<request_head>(request_head{
        .method = {c.data + c.origin, method_end_},
        .method_id = method_id_,
        .target = {c.data + c.origin + target_begin_, target_end_ - target_begin_},
        .target_form = target_form_,
        .version_major = version_major_,
        .version_minor = version_minor_,
        .headers = headers,
        .keep_alive = keep_alive_,
        .expect_continue = expect_continue_,
        .upgrade = upgrade_after_message_,
        .framing = framing,
        .content_length = body_remaining_,
        .announced_content_length = announced,
        .transfer_codings = codings,
    });
  } else {
    c.ev.emplace<response_head>(response_head{
        .status = status_,
        .reason = {c.data + c.origin + reason_begin_, reason_end_ - reason_begin_},
        .version_major = version_major_,
        .version_minor = version_minor_,
        .headers = headers,
        .keep_alive = keep_alive_,
        .framing = framing,
        .content_length = body_remaining_,
        .announced_content_length = announced,
        .transfer_codings = codings,
    });
  }
  c.pos = head_end;
  scan_ = 0;
  return step::emit;
}

parser::step parser::complete_trailers(cursor& c, std::size_t end) noexcept {
  c.pos = end;
  scan_ = 0;
  c.ev = message_end{std::span<const header>(headers_.data(), field_count_), body_bytes_};
  return end_message();
}

}  // namespace httpcore::h1
