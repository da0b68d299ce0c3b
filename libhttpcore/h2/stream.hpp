#pragma once
// One HTTP/2 request stream on the server: its request head assembled from
// HEADERS (pseudo-header fields mapped to an h1::request_head, so handlers
// see the same request as over HTTP/1), its body buffered or streamed, and
// the response_port its server::response writes through: the head becomes
// a HEADERS frame, the body DATA frames pulled by nghttp2 as flow control
// allows, held here within a bound (http2_limits::max_stream_output).

#include <nghttp2/nghttp2.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "httpcore/h1/events.hpp"
#include "httpcore/server/response_port.hpp"

namespace httpcore::h2 {

class server_session;

class stream final : public server::response_port {
 public:
  stream(server_session& owner, std::int32_t id, std::int64_t start_us);
  ~stream() override;
  stream(const stream&) = delete;
  stream& operator=(const stream&) = delete;

  std::int32_t id() const noexcept { return id_; }

  // ---- the request, as nghttp2 reports it (it has checked RFC 9113 §8's
  // rules on pseudo-header fields and connection-specific fields already)
  /// One field of the header block. Past max_header_list_size the fields
  /// are dropped and the request gets 431 at on_head().
  void add_field(std::string_view name, std::string_view value);
  /// The header block is complete; `end_stream`: no body follows. With
  /// `hold_dispatch`, a complete request waits for dispatch() (h2c upgrade).
  void on_head(bool end_stream, bool hold_dispatch = false);
  /// Gives the complete request to the handler (once).
  void dispatch();
  /// A piece of the body; returns how many bytes may be consumed at once
  /// (given back to the peer's flow-control window). A streamed body whose
  /// response cannot take more holds back the rest until it drains.
  std::size_t on_data(std::string_view piece);
  /// The body ended (END_STREAM).
  void on_body_end();
  /// The trailing HEADERS is complete: its fields reach the handler with the
  /// end of the body, or the request is refused if they were too large.
  void on_trailers(bool end_stream);
  /// The stream is gone (sent, reset or the connection ended): the exchange
  /// is reported to the handler once.
  void on_close(std::uint32_t error_code);

  // ---- the response's body, for nghttp2's data source
  ssize_t read_body(std::uint8_t* buf, std::size_t length, std::uint32_t* flags);
  /// Bytes of the response held, not yet in DATA frames.
  std::size_t held_output() const noexcept { return out_.size() - out_offset_; }
  /// Calls a waiting writer (response::when_writable()) while the held
  /// output is at most half the bound; returns whether it called one.
  bool resume_writer();
  bool writer_waiting() const noexcept { return has_resume(response_); }
  /// Bytes of the request body not yet returned to the peer's window.
  std::size_t take_unconsumed() noexcept;
  std::size_t buffered_body() const noexcept { return body_.size(); }
  /// The peer owes this stream request body bytes: the head is in, the
  /// body is not ended, and we are not holding its window shut ourselves.
  bool awaiting_body() const noexcept {
    return head_done_ && !dispatched_ && !refused_ && unconsumed_ == 0;
  }

  // ---- deferred responses (response::defer()), on the connection's thread
  /// The response was kept for later and is not finished.
  bool awaiting_deferred() const noexcept { return response_.deferred() && !response_.finished(); }
  /// ...and its next step is what the stream waits for (no writer waits for
  /// a drain): step_deadline() applies.
  bool awaiting_step() const noexcept { return awaiting_deferred() && !writer_waiting(); }
  std::int64_t step_deadline() const noexcept;
  /// No step came in time: 503 if nothing was sent, else the stream is reset.
  void step_timed_out();
  void run_deferred(std::function<void(server::response&)>& step);
  /// The handle's last copy is gone: the response ends with what it has.
  void release_deferred();

  // ---- server::response_port
  bool write_head(int status, std::string_view reason, field_list f,
                  std::optional<std::uint64_t> length, bool streamed) override;
  void write_body(std::string_view piece) override;
  void end_body() override;
  void abort_body() override;
  bool writable() const noexcept override;
  bool accept_websocket(server::response& r, server::ws_handler& h,
                        const server::ws_accept_options& options) override;
  deferral defer_target() override;

 private:
  server::request current_request() const noexcept;
  void finish_if_idle();
  void after_deferred_step();
  void refuse(int status);
  void resume_data();

  server_session& owner_;
  std::int32_t id_;
  std::int64_t start_us_;

  // The request head: every name and value in one buffer (offsets, then
  // views once the block is complete), and the head handlers see.
  std::string head_bytes_;
  struct field_at {
    std::size_t name, name_len, value, value_len;
  };
  std::vector<field_at> field_offsets_;
  std::size_t header_list_size_ = 0;  // RFC 9113 §6.5.2: name + value + 32 per field
  bool too_large_ = false;
  std::string_view method_, path_, authority_, scheme_;
  std::vector<h1::header> fields_;
  h1::request_head head_;

  // The trailers: as the head, bounded apart (max_header_list_size).
  std::string trailer_bytes_;
  std::vector<field_at> trailer_offsets_;
  std::size_t trailer_list_size_ = 0;
  bool trailers_too_large_ = false;
  std::vector<h1::header> trailers_;

  bool head_done_ = false;
  bool streaming_ = false;   // the handler takes the body in pieces
  bool dispatched_ = false;  // the handler has the whole request
  bool refused_ = false;     // answered without the handler (413, 431)
  std::string body_;
  std::uint64_t body_bytes_ = 0;
  std::size_t unconsumed_ = 0;  // streamed body bytes held back from the window

  // The response.
  server::response response_;
  std::string out_;  // [out_offset_, size) not yet in DATA frames
  std::size_t out_offset_ = 0;
  bool submitted_ = false;    // HEADERS submitted
  bool has_body_ = false;     // DATA frames follow the HEADERS
  bool fixed_ = false;        // send(): the body comes whole, in one write_body()
  bool out_ended_ = false;    // the body's last byte is in out_
  bool deferred_ = false;     // nghttp2 waits for resume_data()
  bool reported_ = false;     // on_complete was called
  int in_app_ = 0;            // handler callbacks running on this stream now
  std::int64_t step_us_ = 0;  // a deferred response's last step (or defer())
};

}  // namespace httpcore::h2
