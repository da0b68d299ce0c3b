// metrics: counters and a histogram per route, rendered as Prometheus text.

#include "httpcore/app/metrics.hpp"

#include <algorithm>
#include <array>
#include <charconv>

namespace httpcore::app {
namespace {

// Methods label series as themselves only when they are standard ones: a
// client inventing methods must not invent series.
std::string_view method_label(std::string_view m) {
  static constexpr std::array<std::string_view, 9> known = {
      "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "CONNECT", "TRACE"};
  return std::find(known.begin(), known.end(), m) != known.end() ? m : "other";
}

// Label values escape backslash, double quote and newline (exposition format).
void append_label(std::string& out, std::string_view name, std::string_view value) {
  out += name;
  out += "=\"";
  for (char ch : value) {
    if (ch == '\\' || ch == '"') {
      out += '\\';
      out += ch;
    } else if (ch == '\n') {
      out += "\\n";
    } else {
      out += ch;
    }
  }
  out += '"';
}

void append_number(std::string& out, double v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, ec == std::errc() ? end : buf);
}

void append_help(std::string& out, std::string_view name, std::string_view type,
                 std::string_view help) {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += help;
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

}  // namespace

metrics::metrics(std::vector<double> buckets) : bounds_(std::move(buckets)) {
  std::sort(bounds_.begin(), bounds_.end());
}

void metrics::observe(const server::handler::summary& s, std::string_view route) {
  std::string r = route.empty() ? "(none)" : std::string(route);
  double seconds = static_cast<double>(std::max<std::int64_t>(s.duration_us, 0)) / 1e6;
  std::lock_guard lock(m_);
  ++requests_[{r, std::string(method_label(s.method)), s.status}];
  histogram& h = latency_[r];
  if (h.counts.empty()) h.counts.assign(bounds_.size(), 0);
  auto at = std::lower_bound(bounds_.begin(), bounds_.end(), seconds);
  if (at != bounds_.end()) ++h.counts[static_cast<std::size_t>(at - bounds_.begin())];
  ++h.count;
  h.sum += seconds;
  bytes_[r] += s.body_bytes;
}

completion_observer metrics::observer() {
  return [this](const server::handler::summary& s, std::string_view route) { observe(s, route); };
}

void metrics::add_gauge(std::string name, std::string help, std::function<double()> read) {
  std::lock_guard lock(m_);
  gauges_.push_back({std::move(name), std::move(help), std::move(read)});
}

std::string metrics::render() const {
  std::string out;
  std::lock_guard lock(m_);
  append_help(out, "httpcore_requests_total", "counter",
              "Requests answered, by route pattern, method and status.");
  for (const auto& [key, n] : requests_) {
    const auto& [route, method, status] = key;
    out += "httpcore_requests_total{";
    append_label(out, "route", route);
    out += ',';
    append_label(out, "method", method);
    out += ',';
    append_label(out, "status", std::to_string(status));
    out += "} ";
    out += std::to_string(n);
    out += '\n';
  }
  append_help(out, "httpcore_request_duration_seconds", "histogram",
              "From the first byte of the request to the end of the response, by route.");
  for (const auto& [route, h] : latency_) {
    std::uint64_t cumulative = 0;
    auto bucket = [&](std::string_view le, std::uint64_t n) {
      out += "httpcore_request_duration_seconds_bucket{";
      append_label(out, "route", route);
      out += ',';
      append_label(out, "le", le);
      out += "} ";
      out += std::to_string(n);
      out += '\n';
    };
    for (std::size_t i = 0; i < bounds_.size(); ++i) {
      cumulative += h.counts[i];
      std::string le;
      append_number(le, bounds_[i]);
      bucket(le, cumulative);
    }
    bucket("+Inf", h.count);
    for (std::string_view part : {"_sum", "_count"}) {
      out += "httpcore_request_duration_seconds";
      out += part;
      out += '{';
      append_label(out, "route", route);
      out += "} ";
      if (part == "_sum") {
        append_number(out, h.sum);
      } else {
        out += std::to_string(h.count);
      }
      out += '\n';
    }
  }
  append_help(out, "httpcore_response_body_bytes_total", "counter",
              "Response body bytes written, by route.");
  for (const auto& [route, n] : bytes_) {
    out += "httpcore_response_body_bytes_total{";
    append_label(out, "route", route);
    out += "} ";
    out += std::to_string(n);
    out += '\n';
  }
  for (const auto& g : gauges_) {
    append_help(out, g.name, "gauge", g.help);
    out += g.name;
    out += ' ';
    append_number(out, g.read ? g.read() : 0);
    out += '\n';
  }
  return out;
}

route_fn metrics::endpoint() {
  return [this](context& c) {
    c.res.add_header("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    c.res.add_header("Cache-Control", "no-store");
    c.res.send(200, render());
  };
}

}  // namespace httpcore::app
