#pragma once
/// \file
/// Routes and middleware: a server::handler that picks a route by method and
/// path pattern and runs it through a middleware chain.
///
/// Patterns are matched segment by segment on the raw path: a literal
/// segment, `{name}` (one whole segment) or, last only, `{name...}` (the rest
/// of the path, slashes included, possibly empty). Parameters are
/// percent-decoded after matching, so "%2F" inside `{id}` is data. When
/// several patterns match, the most specific wins (at the first segment where
/// they differ, literal over `{name}` over `{name...}`). No pattern matches:
/// 404. A pattern matches but not for this method: 405 with `Allow`. HEAD is
/// answered by GET routes (without the body), OPTIONS with 204 and `Allow`
/// unless a route takes it.
///
/// \code
///   httpcore::app::router r;
///   r.use(httpcore::app::recovery());
///   r.get("/users/{id}", [](httpcore::app::context& c) { c.res.send(200, c.param("id")); });
///   frontend->start(r, options);
/// \endcode

#include <any>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "httpcore/app/reply.hpp"
#include "httpcore/server/handler.hpp"

namespace httpcore::app {

/// How a streaming route (route_options::stream_body) takes its request
/// body: given to context::read_body() by the route, called on the
/// connection's thread as the body arrives. Each may answer through the
/// reply; once the reply is finished (an error found early) the rest of the
/// body is ignored and the reader dropped. The reader is also dropped, never
/// called again, when the body goes over the route's limit (413) or the
/// exchange ends first (peer gone): put cleanup in what it owns (destructors),
/// not in on_end. An exception from either ends the connection (the session's
/// rule for handler callbacks); the recovery middleware does not see it.
struct body_reader {
  std::function<void(std::string_view piece, reply& r)> on_data;  ///< never an empty piece
  std::function<void(reply& r)> on_end;  ///< the whole body arrived: answer now
};

/// One exchange as a route or a middleware step sees it, during the call.
class context {
 public:
  context(const server::request& request, reply& response) : req(request), res(response) {}

  const server::request& req;
  reply& res;

  std::string_view method() const noexcept { return req.method(); }
  /// The path as sent (escapes intact), without the query.
  std::string_view path() const noexcept { return path_; }
  std::string_view query() const noexcept { return query_; }
  std::string_view header(std::string_view name) const noexcept { return req.header(name); }
  /// A path parameter of the matched route, percent-decoded ("" if absent).
  std::string_view param(std::string_view name) const noexcept;
  /// The first query parameter `name` (form-decoded: "+" is a space), or
  /// nullopt when absent or badly escaped.
  std::optional<std::string> query_param(std::string_view name) const;
  /// The matched route's pattern ("" when none matched): for logs, metrics.
  std::string_view route() const noexcept { return route_; }
  /// Set by the request_id() middleware (or by the application).
  std::string request_id;
  /// The exchange's slot for the application's own data.
  std::any& local() noexcept { return local_; }
  /// From a streaming route (route_options::stream_body), which runs at the
  /// request's head: how to take the body. Returns false (and does nothing)
  /// elsewhere, where the body is already whole in req.body.
  bool read_body(body_reader reader);

 private:
  friend class router;
  std::string_view path_, query_, route_;
  std::vector<std::pair<std::string_view, std::string>> params_;
  std::any local_;
  body_reader* reader_ = nullptr;  // the exchange's, for a streaming route
};

/// The rest of the chain, for a middleware step to call (or not, to answer
/// early). Call it at most once: a second call would run the rest again.
class next_step {
 public:
  void operator()() const;

 private:
  friend class router;
  next_step(const class router& r, context& c, std::size_t at) : r_(&r), c_(&c), at_(at) {}
  const class router* r_;
  context* c_;
  std::size_t at_;
};

/// A middleware step: code before next() runs before the route, code after it
/// runs once the route returned (the reply may still be pending: use
/// reply::on_head() for what must see the answer itself).
using middleware = std::function<void(context&, const next_step&)>;
using route_fn = std::function<void(context&)>;

struct route_options {
  /// Request bodies above this get 413 (before the body is read when
  /// Content-Length says so). 0: the session's limit only.
  std::uint64_t max_body_bytes = 0;
  /// Run the route (and the middleware chain) at the request's head, and
  /// give it the body piece by piece (context::read_body()) rather than
  /// whole: for bodies of any size (uploads), in bounded memory. False: a
  /// route with max_body_bytes has its body gathered by the router, others
  /// by the session (up to session_config::max_buffered_body).
  bool stream_body = false;
};

/// Told about each exchange once it is over (server::handler::on_complete),
/// with the route's pattern ("" when none matched).
using completion_observer =
    std::function<void(const server::handler::summary&, std::string_view route)>;

class router final : public server::handler {
 public:
  router();
  ~router() override;
  router(const router&) = delete;
  router& operator=(const router&) = delete;

  /// Adds a route; `method` is compared case-sensitively (RFC 9110 §9.1).
  /// Throws std::invalid_argument for a malformed pattern.
  router& route(std::string_view method, std::string_view pattern, route_fn fn,
                route_options options = {});
  router& get(std::string_view p, route_fn fn, route_options o = {}) {
    return route("GET", p, std::move(fn), o);
  }
  router& post(std::string_view p, route_fn fn, route_options o = {}) {
    return route("POST", p, std::move(fn), o);
  }
  router& put(std::string_view p, route_fn fn, route_options o = {}) {
    return route("PUT", p, std::move(fn), o);
  }
  router& del(std::string_view p, route_fn fn, route_options o = {}) {
    return route("DELETE", p, std::move(fn), o);
  }
  /// A WebSocket endpoint: a GET with a valid opening handshake is accepted
  /// and served by `h` (which must outlive the router); others get 400/426.
  router& websocket(std::string_view pattern, server::ws_handler& h,
                    server::ws_accept_options options = {});

  /// Routes under a common prefix ("/api" + "/greet/{name}").
  class group {
   public:
    group& route(std::string_view method, std::string_view pattern, route_fn fn,
                 route_options options = {}) {
      r_->route(method, prefix_ + std::string(pattern), std::move(fn), options);
      return *this;
    }
    group& get(std::string_view p, route_fn fn, route_options o = {}) {
      return route("GET", p, std::move(fn), o);
    }
    group& post(std::string_view p, route_fn fn, route_options o = {}) {
      return route("POST", p, std::move(fn), o);
    }
    group with_prefix(std::string_view more) const { return {*r_, prefix_ + std::string(more)}; }

   private:
    friend class router;
    group(router& r, std::string prefix) : r_(&r), prefix_(std::move(prefix)) {}
    router* r_;
    std::string prefix_;
  };
  group prefix(std::string_view prefix) { return {*this, std::string(prefix)}; }

  /// Appends a middleware step; steps run in the order added, around routing
  /// (so they also see 404, 405 and OPTIONS answers).
  router& use(middleware m);
  router& on_complete(completion_observer observer);

  // server::handler
  bool stream_body(const h1::request_head& head) override;
  void on_request(const server::request& req, server::response& res) override;
  void on_body(const server::request& req, std::string_view piece, server::response& res) override;
  void on_body_end(const server::request& req, server::response& res) override;
  void on_complete(const summary& s) override;

 private:
  friend class next_step;
  struct route_entry;
  struct match;
  match find(std::string_view method, std::string_view path) const;
  void dispatch(context& c) const;
  void run(const server::request& req, server::response& res) const;

  std::vector<std::unique_ptr<route_entry>> routes_;
  std::vector<middleware> chain_;
  std::vector<completion_observer> observers_;
};

}  // namespace httpcore::app
