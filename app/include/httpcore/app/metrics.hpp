#pragma once
/// \file
/// Request metrics in the Prometheus text exposition format (version 0.0.4):
/// requests by route, method and status, a latency histogram by route, and
/// response body bytes by route, plus gauges the application reads on demand
/// (open connections, WebSocket peers). Fed by router::on_complete():
///
/// \code
///   auto m = std::make_shared<httpcore::app::metrics>();
///   r.on_complete(m->observer());
///   r.get("/metrics", m->endpoint());
/// \endcode
///
/// Thread-safe: observations come from every front-end thread. Memory is
/// bounded by the routes (patterns, not raw paths, label the series), the
/// methods a route takes and the statuses it answers, which the router limits.

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "httpcore/app/router.hpp"

namespace httpcore::app {

class metrics {
 public:
  /// Upper bounds of the latency histogram's buckets, in seconds.
  explicit metrics(std::vector<double> buckets = {0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
                                                  5, 10});

  /// Counts one exchange: `route` is the matched pattern ("" when none).
  void observe(const server::handler::summary& s, std::string_view route);
  /// observe() as a router completion observer (this must outlive the router).
  completion_observer observer();

  /// A gauge read when the metrics are rendered: `name` must be a valid
  /// metric name; `read` is called under the metrics' lock.
  void add_gauge(std::string name, std::string help, std::function<double()> read);

  /// Everything, in the text exposition format.
  std::string render() const;
  /// A route answering render() with the format's content type.
  route_fn endpoint();

 private:
  struct histogram {
    std::vector<std::uint64_t> counts;  // per bucket (not cumulative)
    std::uint64_t count = 0;
    double sum = 0;
  };
  struct gauge {
    std::string name, help;
    std::function<double()> read;
  };

  std::vector<double> bounds_;
  mutable std::mutex m_;
  // (route, method, status) -> requests; route -> latency; route -> bytes.
  std::map<std::tuple<std::string, std::string, int>, std::uint64_t> requests_;
  std::map<std::string, histogram> latency_;
  std::map<std::string, std::uint64_t> bytes_;
  std::vector<gauge> gauges_;
};

}  // namespace httpcore::app
