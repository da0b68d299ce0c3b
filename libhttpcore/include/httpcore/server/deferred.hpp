#pragma once
/// \file
/// Answering later, from any thread: a handler that waits for something
/// (a database, another service, a timer) keeps its response with
/// response::defer() and returns at once, so the connection's thread goes on
/// serving other connections. Whatever the handle is asked to do is carried to
/// the thread that owns the connection (the front end's mailbox) and done
/// there, so the session is only ever touched by that thread.
///
/// \code
///   void on_request(const request& req, response& res) override {
///     auto later = res.defer();
///     pool.submit([later] { later->send(200, lookup(), {{"Content-Type", "text/plain"}}); });
///   }
/// \endcode

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace httpcore::server {

class session;
class response;
struct clock_now;

/// Work for one connection, run on the thread that owns it, with its session
/// and the time as the front end read it just before.
using connection_task = std::function<void(session&, const clock_now&)>;

/// Reaches the thread that owns one connection, from any thread. A front end
/// makes these (peer_factory::make_link()); without one, the session makes a
/// link that runs tasks at once on the calling thread, which must then be the
/// one driving the session (sans-I/O tests).
class connection_link {
 public:
  virtual ~connection_link() = default;
  /// Runs `task` soon on the connection's thread, in the order posts were
  /// made from one thread. When the connection is gone or its thread has
  /// stopped, `task` is destroyed without being called. Called on the
  /// connection's thread itself, it may run `task` before returning.
  virtual void post(connection_task task) = 0;
};

/// A response kept by the handler to finish later (response::defer()). The
/// exchange stays open, and the connection reads no further request, until
/// the response is finished (send(), or end() of a streamed one) or the last
/// copy of the handle is destroyed, which ends it: a 500 if nothing was
/// started, the end of the body if it was streaming. A response not finished
/// within session_config::response_timeout_us of the last step is answered
/// 503 by the session (or cut short, if it had started), and later steps do
/// nothing. Every member may be called from any thread.
class deferred_response {
 public:
  using fields = std::vector<std::pair<std::string, std::string>>;

  deferred_response(const deferred_response&) = delete;
  deferred_response& operator=(const deferred_response&) = delete;
  ~deferred_response();

  /// Runs `step` with the live response on the connection's thread: it may
  /// add headers, send(), start()/write()/end(), or use when_writable() for a
  /// long body. Dropped if the exchange is over (the peer left, the timeout).
  void run(std::function<void(response&)> step);
  /// The whole response at once (`fields` before the standard ones).
  void send(int status, std::string body, fields headers = {});

  /// Made by response::defer() only.
  deferred_response(std::shared_ptr<connection_link> link, std::uint64_t exchange) noexcept
      : link_(std::move(link)), exchange_(exchange) {}

 private:
  std::shared_ptr<connection_link> link_;
  std::uint64_t exchange_;  // which exchange of the connection this answers
};

}  // namespace httpcore::server
