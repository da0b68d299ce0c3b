#pragma once
// Sending to a WebSocket connection from any thread. Each event loop (epoll,
// kqueue) and each worker (threads) has one mailbox: a mutex-protected queue
// of commands for the connections that thread owns, plus a wake-up so the
// owner notices. The ws_peer handles given to the application post into it;
// the owner takes the commands and applies them to its sessions, looking each
// connection up by id, so a command for a connection that has closed (or a
// mailbox whose owner has stopped) is a harmless no-op.

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "httpcore/server/session.hpp"
#include "httpcore/server/websocket.hpp"

namespace httpcore::frontends {

/// One send or close for one connection, or a task to run on its thread (a
/// step of a deferred response: server::connection_link).
struct ws_command {
  enum class kind : std::uint8_t { text, binary, close, task };
  std::uint64_t connection = 0;
  kind what = kind::text;
  std::string payload;  ///< the message, or the close reason
  std::uint16_t code = 0;
  /// A message shared with other connections (ws_peer::send_shared()): sent
  /// instead of `payload`, by reference.
  std::shared_ptr<const std::string> shared{};
  /// The caller's bytes, used in place when the command runs at once on the
  /// owner thread (an echo from inside on_message); post() copies them into
  /// `payload` only when it has to queue the command.
  std::span<const std::byte> borrowed{};
  server::connection_task task{};  ///< kind::task
};

/// Applies a command to the session it is for (on the session's thread).
void apply(ws_command& cmd, server::session& s, server::clock_now now);

/// A number no other connection of this process has had.
std::uint64_t next_connection_id() noexcept;

class mailbox final : public server::peer_factory, public std::enable_shared_from_this<mailbox> {
 public:
  /// `wake` interrupts the owner's wait; it is called with the mailbox's lock
  /// held, never after close().
  explicit mailbox(std::function<void()> wake) : wake_(std::move(wake)) {}

  /// Called by the owner thread before it serves: commands posted on that
  /// thread itself (e.g. an echo from inside on_message, a publish reaching a
  /// peer of the same loop) skip the queue and go to `run_here` at once,
  /// except tasks, which keep their order behind what other threads posted.
  void set_owner(std::function<void(ws_command&)> run_here);

  /// From any thread. Dropped once the mailbox is closed.
  void post(ws_command cmd);
  /// On the owner: moves every queued command into `out` (which is cleared).
  void take(std::vector<ws_command>& out);
  /// The owner stops: later posts are dropped, and `wake` is not called again.
  void close();

  std::shared_ptr<server::ws_peer> make_peer(std::uint64_t connection_id) override;
  std::shared_ptr<server::connection_link> make_link(std::uint64_t connection_id) override;

 private:
  std::mutex mutex_;
  std::vector<ws_command> queue_;
  std::function<void()> wake_;
  bool closed_ = false;
  std::thread::id owner_{};
  std::function<void(ws_command&)> run_here_;
};

}  // namespace httpcore::frontends
