#pragma once
// Moving bytes between a socket and a session: one recv into the session's
// read buffer, one sendmsg of its queued output. Each call is non-blocking
// (MSG_DONTWAIT), so the same code serves blocking and non-blocking sockets.

#include <cstdint>
#include <span>

#include "httpcore/server/session.hpp"

namespace httpcore::frontends {

enum class io_result {
  progress,     ///< bytes moved (or the peer closed its side: see read_once)
  would_block,  ///< the socket is not ready
  error,        ///< the connection is broken: close it
};

/// Reads once into s.read_buffer(). End of stream is reported to the session
/// (on_peer_closed) and flagged through *eof (a progress result). When
/// `drained` is given, it says whether the read returned less than it asked
/// for: the socket had nothing more at that moment, so an edge-triggered loop
/// can wait for the next readiness event instead of reading again only to get
/// EAGAIN (one system call fewer per request under keep-alive).
io_result read_once(int fd, server::session& s, server::clock_now now, bool* eof,
                    bool* drained = nullptr);

/// Writes as much of the queued output as one sendmsg takes.
io_result write_once(int fd, server::session& s, server::clock_now now);

/// A layer between the socket and the session that transforms the bytes
/// both ways (TLS: records on the socket, plaintext for the session). Front
/// ends call the functions below, which go through the layer when there is
/// one (null: cleartext), so the loop is the same with and without it.
class byte_layer {
 public:
  virtual ~byte_layer() = default;
  virtual io_result read_once(int fd, server::session& s, server::clock_now now, bool* eof,
                              bool* drained) = 0;
  virtual io_result write_once(int fd, server::session& s, server::clock_now now) = 0;
  /// Bytes waiting to be written: the session's and the layer's own.
  virtual std::size_t queued_output(const server::session& s) const = 0;
  virtual bool wants_input(const server::session& s) const = 0;
  /// Input the layer holds for the session (it stopped taking it): the next
  /// read_once() hands it over before reading the socket again.
  virtual bool holds_input() const = 0;
  /// Nothing more to do: the session is done and the layer said goodbye
  /// (close_notify), or the layer failed and its alert is written. May write
  /// those last bytes itself.
  virtual bool done(server::session& s) = 0;
  virtual std::int64_t next_deadline(const server::session& s) const = 0;
  virtual void on_timer(server::session& s, server::clock_now now) = 0;

  // ---- for completion-based front ends (io_uring), which do the socket I/O
  // themselves and hand the layer bytes instead of a descriptor.
  /// `wire` was read from the socket: takes what it can and returns how many
  /// bytes it took (fewer while it holds input the session has not taken;
  /// the rest is offered again). An empty `wire` hands held input over.
  virtual std::size_t take_wire(std::span<const std::byte> wire, server::session& s,
                                server::clock_now now) = 0;
  /// The socket's stream ended (a read returned 0).
  virtual void take_wire_eof(server::session& s, server::clock_now now) = 0;
  /// The bytes to write to the socket next (the session's output, transformed
  /// first). Valid until the next call on the layer.
  virtual std::span<const std::byte> wire_output(server::session& s, server::clock_now now) = 0;
  /// `n` bytes of wire_output() were written.
  virtual void wire_written(std::size_t n) = 0;
};

inline io_result read_once(int fd, server::session& s, byte_layer* layer, server::clock_now now,
                           bool* eof, bool* drained = nullptr) {
  return layer ? layer->read_once(fd, s, now, eof, drained) : read_once(fd, s, now, eof, drained);
}
inline io_result write_once(int fd, server::session& s, byte_layer* layer, server::clock_now now) {
  return layer ? layer->write_once(fd, s, now) : write_once(fd, s, now);
}
inline std::size_t queued_output(const server::session& s, const byte_layer* layer) {
  return layer ? layer->queued_output(s) : s.queued_output();
}
inline bool wants_input(const server::session& s, const byte_layer* layer) {
  return layer ? layer->wants_input(s) : s.wants_input();
}
inline bool holds_input(const byte_layer* layer) {
  return layer && layer->holds_input();
}
inline bool done(server::session& s, byte_layer* layer) {
  return layer ? layer->done(s) : s.done();
}
inline std::int64_t next_deadline(const server::session& s, const byte_layer* layer) {
  return layer ? layer->next_deadline(s) : s.next_deadline();
}
inline void on_timer(server::session& s, byte_layer* layer, server::clock_now now) {
  layer ? layer->on_timer(s, now) : s.on_timer(now);
}

}  // namespace httpcore::frontends
