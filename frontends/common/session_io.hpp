#pragma once
// Moving bytes between a socket and a session: one recv into the session's
// read buffer, one sendmsg of its queued output. Each call is non-blocking
// (MSG_DONTWAIT), so the same code serves blocking and non-blocking sockets.

#include "httpcore/server/session.hpp"

namespace httpcore::frontends {

enum class io_result {
  progress,     ///< bytes moved (or the peer closed its side: see read_once)
  would_block,  ///< the socket is not ready
  error,        ///< the connection is broken: close it
};

/// Reads once into s.read_buffer(). End of stream is reported to the session
/// (on_peer_closed) and flagged through *eof (a progress result).
io_result read_once(int fd, server::session& s, server::clock_now now, bool* eof);

/// Writes as much of the queued output as one sendmsg takes.
io_result write_once(int fd, server::session& s, server::clock_now now);

}  // namespace httpcore::frontends
