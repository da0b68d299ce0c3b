#pragma once
/// \file
/// For protocol implementations (HTTP/2 in httpcore::h2), not application
/// code: a connection that leaves HTTP/1 (the HTTP/2 preface, `Upgrade: h2c`)
/// is served by a connection_protocol that a protocol_factory made, inside
/// the same server::session, so front ends keep driving one session per
/// connection and learn no protocol.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "httpcore/server/response_port.hpp"
#include "httpcore/server/session.hpp"

namespace httpcore::server {

/// The keys a protocol gives its deferred responses (response_port::
/// defer_target()) carry this bit, so that the session hands their steps to
/// the protocol rather than to an HTTP/1 exchange.
inline constexpr std::uint64_t protocol_exchange_bit = 1ull << 63;

/// A protocol serving a connection in HTTP/1's place, inside server::session:
/// the session keeps the input buffer and the output queue, the protocol
/// turns input into handler calls and produces output on request.
class connection_protocol {
 public:
  virtual ~connection_protocol() = default;
  /// Bytes read from the peer. Returns how many were taken; the rest are
  /// offered again after output has drained.
  virtual std::size_t receive(std::span<const std::byte> bytes, clock_now now) = 0;
  /// Appends output to `out`, stopping once it has appended about `budget`
  /// bytes (a slow reader's streams then wait in the protocol, which counts
  /// what it holds against its own bounds).
  virtual void produce(std::string& out, std::size_t budget, clock_now now) = 0;
  /// Whether it will take more input (false while its own bounds are full).
  virtual bool wants_input() const noexcept = 0;
  /// Nothing more to send or to receive: close once the output is written.
  virtual bool finished() const noexcept = 0;
  /// The next deadline (monotonic microseconds), or max() when none.
  virtual std::int64_t next_deadline() const noexcept = 0;
  virtual void on_timer(clock_now now) = 0;
  /// The peer closed its side: nothing more arrives.
  virtual void on_peer_closed(clock_now now) = 0;
  /// Server shutdown: refuse new work, finish what is in flight.
  virtual void begin_shutdown(clock_now now) = 0;
  /// Output written to the peer (progress for write deadlines).
  virtual void on_output_taken(std::size_t n, clock_now now) = 0;

  // Deferred responses (deferred.hpp): their links post to the session (the
  // protocol's streams take them from session::make_link()), which passes
  // each step here, on the connection's thread, and then produces output.
  /// A step for the response `key` names (its response_port's deferral);
  /// does nothing when that exchange is over.
  virtual void run_deferred(std::uint64_t key, std::function<void(response&)>& step,
                            clock_now now) = 0;
  /// The last handle of that response is gone: it ends with what it has.
  virtual void release_deferred(std::uint64_t key, clock_now now) = 0;
  /// Some response of the connection waits for deferred steps.
  virtual bool awaiting_deferred() const noexcept = 0;
};

/// Makes connection_protocols; one per server, shared by every connection and
/// thread (const and thread-safe).
class protocol_factory {
 public:
  virtual ~protocol_factory() = default;
  /// A connection whose remaining bytes start with the protocol's preface.
  /// `host` is the session it is served in (its make_link() reaches the
  /// connection's thread); it outlives the protocol.
  virtual std::unique_ptr<connection_protocol> start(session& host, handler& h,
                                                     const session_config& config,
                                                     std::string_view peer,
                                                     clock_now now) const = 0;
  /// Whether `head` asks to switch to this protocol with a request the
  /// session may answer 101 to (RFC 9110 §7.8): the Upgrade token and what
  /// the protocol needs with it.
  virtual bool wants_upgrade(const h1::request_head& head) const noexcept = 0;
  /// The 101's fields (after the status line), e.g. "Upgrade: h2c\r\n".
  virtual std::string_view upgrade_fields() const noexcept = 0;
  /// After the 101: the protocol serves `head` as its first request and
  /// then the connection. Null when the upgrade request's parameters are
  /// invalid (the session then answers it over HTTP/1 as usual). The
  /// handler sees `head` once the protocol serves the connection (its first
  /// produce() or receive()), not during this call.
  virtual std::unique_ptr<connection_protocol> start_upgraded(session& host, handler& h,
                                                              const session_config& config,
                                                              std::string_view peer,
                                                              const h1::request_head& head,
                                                              clock_now now) const = 0;
};

}  // namespace httpcore::server
