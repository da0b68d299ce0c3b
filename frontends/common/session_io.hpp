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
/// (on_peer_closed) and flagged through *eof (a progress result). When
/// `drained` is given, it says whether the read returned less than it asked
/// for: the socket had nothing more at that moment, so an edge-triggered loop
/// can wait for the next readiness event instead of reading again only to get
/// EAGAIN (one system call fewer per request under keep-alive).
io_result read_once(int fd, server::session& s, server::clock_now now, bool* eof,
                    bool* drained = nullptr);

/// Writes as much of the queued output as one sendmsg takes.
io_result write_once(int fd, server::session& s, server::clock_now now);

}  // namespace httpcore::frontends
