// Routing: patterns parsed once, matched segment by segment on the raw path,
// the most specific match chosen, and the middleware chain run around it.

#include "httpcore/app/router.hpp"

#include <algorithm>
#include <stdexcept>

#include "httpcore/target.hpp"

namespace httpcore::app {
namespace {

enum class seg_kind : std::uint8_t { rest = 1, param = 2, literal = 3 };  // value: specificity

struct segment {
  seg_kind kind;
  std::string text;  // the literal, or the parameter's name
};

// "/a/{id}/{rest...}" -> [a, {id}, {rest...}]; "/" -> [""] (one empty literal).
std::vector<segment> parse_pattern(std::string_view pattern) {
  if (pattern.empty() || pattern[0] != '/')
    throw std::invalid_argument("route pattern must start with '/': " + std::string(pattern));
  std::vector<segment> out;
  std::string_view rest = pattern.substr(1);
  for (;;) {
    std::size_t slash = rest.find('/');
    std::string_view s = rest.substr(0, slash);
    if (!out.empty() && out.back().kind == seg_kind::rest)
      throw std::invalid_argument("{name...} must be the last segment: " + std::string(pattern));
    if (s.size() >= 2 && s.front() == '{' && s.back() == '}') {
      std::string_view name = s.substr(1, s.size() - 2);
      bool is_rest = name.size() > 3 && name.ends_with("...");
      if (is_rest) name.remove_suffix(3);
      if (name.empty() || name.find_first_of("{}/") != std::string_view::npos)
        throw std::invalid_argument("bad parameter in route pattern: " + std::string(pattern));
      out.push_back({is_rest ? seg_kind::rest : seg_kind::param, std::string(name)});
    } else {
      if (s.find_first_of("{}") != std::string_view::npos)
        throw std::invalid_argument("'{' or '}' inside a literal segment: " + std::string(pattern));
      out.push_back({seg_kind::literal, std::string(s)});
    }
    if (slash == std::string_view::npos) break;
    rest = rest.substr(slash + 1);
  }
  return out;
}

void append_method(std::string& allow, std::string_view m) {
  std::size_t at = 0;
  while (at < allow.size()) {  // already listed?
    std::size_t comma = allow.find(", ", at);
    if (allow.substr(at, comma - at) == m) return;
    if (comma == std::string::npos) break;
    at = comma + 2;
  }
  if (!allow.empty()) allow += ", ";
  allow += m;
}

}  // namespace

struct router::route_entry {
  std::string method;
  std::string pattern;
  std::vector<segment> segments;
  route_fn fn;
  route_options options;
};

struct router::match {
  const route_entry* route = nullptr;
  const route_entry* path_only = nullptr;  // the most specific pattern, whatever its method
  std::vector<std::pair<std::string_view, std::string_view>> raw_params;
  std::string allow;  // methods of the routes whose pattern matched the path
};

namespace {

// Matches `path` (after its leading '/') against `segs`; fills raw params and
// the specificity of each segment.
bool match_path(const std::vector<segment>& segs, std::string_view path,
                std::vector<std::pair<std::string_view, std::string_view>>& params,
                std::vector<int>& score) {
  params.clear();
  score.clear();
  std::string_view rest = path.substr(1);
  for (std::size_t i = 0; i < segs.size(); ++i) {
    const segment& seg = segs[i];
    score.push_back(static_cast<int>(seg.kind));
    if (seg.kind == seg_kind::rest) {
      params.emplace_back(seg.text, rest);
      return true;
    }
    if (rest.data() == nullptr) return false;  // the path ran out
    std::size_t slash = rest.find('/');
    std::string_view s = rest.substr(0, slash);
    if (seg.kind == seg_kind::literal ? s != seg.text : s.empty()) return false;
    if (seg.kind == seg_kind::param) params.emplace_back(seg.text, s);
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
  }
  return rest.data() == nullptr;  // every segment of the path was used
}

// What the router keeps per exchange in server::response::user_data().
struct exchange {
  std::shared_ptr<reply> r;
  std::string_view route;   // the matched pattern (owned by the router)
  std::string body;         // a body limited per route, gathered here
  std::uint64_t limit = 0;  // 0: none of the route's own
  std::uint64_t received = 0;
  bool over_limit = false;
  bool streaming = false;  // route_options::stream_body: the route reads the body
  body_reader reader;      // what a streaming route gave context::read_body()
};

exchange* state_of(server::response& res) {
  auto* held = std::any_cast<std::shared_ptr<exchange>>(&res.user_data());
  return held ? held->get() : nullptr;
}

void send_plain(reply& r, int status, std::string_view body) {
  r.add_header("Content-Type", "text/plain; charset=utf-8");
  r.send(status, body);
}

}  // namespace

std::string_view context::param(std::string_view name) const noexcept {
  for (const auto& [n, v] : params_)
    if (n == name) return v;
  return {};
}

std::optional<std::string> context::query_param(std::string_view name) const {
  std::string_view q = query_;
  while (!q.empty()) {
    std::size_t amp = q.find('&');
    std::string_view pair = q.substr(0, amp);
    q = amp == std::string_view::npos ? std::string_view() : q.substr(amp + 1);
    std::size_t eq = pair.find('=');
    std::string key(pair.substr(0, eq));
    std::replace(key.begin(), key.end(), '+', ' ');
    std::string decoded;
    if (!percent_decode(key, decoded) || decoded != name) continue;
    std::string value(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1));
    std::replace(value.begin(), value.end(), '+', ' ');
    if (!percent_decode(value, decoded)) return std::nullopt;
    return decoded;
  }
  return std::nullopt;
}

bool context::read_body(body_reader reader) {
  if (reader_ == nullptr) return false;
  *reader_ = std::move(reader);
  return true;
}

void next_step::operator()() const {
  if (at_ < r_->chain_.size()) {
    r_->chain_[at_](*c_, next_step(*r_, *c_, at_ + 1));
  } else {
    r_->dispatch(*c_);
  }
}

router::router() = default;
router::~router() = default;

router& router::route(std::string_view method, std::string_view pattern, route_fn fn,
                      route_options options) {
  if (method.empty() || !fn) throw std::invalid_argument("a route needs a method and a function");
  auto e = std::make_unique<route_entry>();
  e->method = method;
  e->pattern = pattern;
  e->segments = parse_pattern(pattern);
  e->fn = std::move(fn);
  e->options = options;
  routes_.push_back(std::move(e));
  return *this;
}

router& router::websocket(std::string_view pattern, server::ws_handler& h,
                          server::ws_accept_options options) {
  return get(pattern, [&h, options](context& c) { c.res.raw().accept_websocket(h, options); });
}

router& router::use(middleware m) {
  if (m) chain_.push_back(std::move(m));
  return *this;
}

router& router::on_complete(completion_observer observer) {
  if (observer) observers_.push_back(std::move(observer));
  return *this;
}

router::match router::find(std::string_view method, std::string_view path) const {
  match best;
  std::vector<int> best_score, score, path_score;
  std::vector<std::pair<std::string_view, std::string_view>> params;
  for (const auto& r : routes_) {
    if (!match_path(r->segments, path, params, score)) continue;
    if (best.path_only == nullptr || score > path_score) {
      best.path_only = r.get();
      path_score = score;
    }
    append_method(best.allow, r->method);
    if (r->method == "GET") append_method(best.allow, "HEAD");
    bool method_ok = r->method == method || (method == "HEAD" && r->method == "GET");
    if (!method_ok) continue;
    // An exact HEAD route beats a GET one of the same pattern.
    bool better = best.route == nullptr || score > best_score ||
                  (score == best_score && r->method == method && best.route->method != method);
    if (better) {
      best.route = r.get();
      best_score = score;
      best.raw_params = params;
    }
  }
  if (!best.allow.empty()) append_method(best.allow, "OPTIONS");
  return best;
}

// The end of the chain: the route, or the router's own answer.
void router::dispatch(context& c) const {
  if (c.res.started() || c.res.finished()) return;  // a step answered already
  match m = find(c.method(), c.path_);
  if (m.route == nullptr) {
    if (m.allow.empty()) return send_plain(c.res, 404, "not found\n");
    c.res.add_header("Allow", m.allow);
    if (c.method() == "OPTIONS") return c.res.send(204, "");
    return send_plain(c.res, 405, "method not allowed\n");
  }
  c.params_.clear();
  for (const auto& [name, raw] : m.raw_params) {
    std::string decoded;
    if (!percent_decode(raw, decoded)) return send_plain(c.res, 400, "bad percent-encoding\n");
    c.params_.emplace_back(name, std::move(decoded));
  }
  m.route->fn(c);
}

bool router::stream_body(const h1::request_head& head) {
  // Only routes with a body limit of their own stream: the router gathers the
  // body itself and can refuse it before it is read.
  auto parts = parse_request_target(head.method, head.target);
  if (parts.error != target_error::ok) return false;
  match m = find(head.method, parts.parts.path.empty() ? "/" : parts.parts.path);
  return m.route != nullptr &&
         (m.route->options.max_body_bytes > 0 || m.route->options.stream_body);
}

void router::run(const server::request& req, server::response& res) const {
  exchange* ex = state_of(res);
  context c(req, *ex->r);
  auto parts = parse_request_target(req.method(), req.target());
  if (parts.error != target_error::ok) return send_plain(c.res, 400, "bad request-target\n");
  c.path_ = parts.parts.path.empty() ? std::string_view("/") : parts.parts.path;
  c.query_ = parts.parts.query;
  match m = find(req.method(), c.path_);
  // A 405 or OPTIONS answer is still labelled with the pattern the path matched.
  if (m.route) {
    ex->route = m.route->pattern;
  } else if (m.path_only) {
    ex->route = m.path_only->pattern;
  }
  c.route_ = ex->route;
  if (ex->streaming) c.reader_ = &ex->reader;
  next_step(*this, c, 0)();
}

void router::on_request(const server::request& req, server::response& res) {
  auto ex = std::make_shared<exchange>();
  ex->r = std::make_shared<reply>(res);
  res.user_data() = ex;
  if (!stream_body(*req.head)) return run(req, res);
  // A route with a body limit: refuse a declared length above it now.
  auto parts = parse_request_target(req.method(), req.target());
  match m = find(req.method(), parts.parts.path.empty() ? "/" : parts.parts.path);
  ex->limit = m.route->options.max_body_bytes;
  ex->streaming = m.route->options.stream_body;
  if (ex->limit > 0 && req.head->framing == h1::body_framing::content_length &&
      req.head->content_length > ex->limit) {
    ex->over_limit = true;
    ex->route = m.route->pattern;
    send_plain(*ex->r, 413, "request body too large\n");
    return;
  }
  // A streaming route runs now, at the head, and reads the body as it comes.
  if (ex->streaming) run(req, res);
}

void router::on_body(const server::request&, std::string_view piece, server::response& res) {
  exchange* ex = state_of(res);
  if (ex == nullptr || ex->over_limit) return;
  ex->received += piece.size();
  if (ex->limit > 0 && ex->received > ex->limit) {
    ex->over_limit = true;
    std::string().swap(ex->body);
    ex->reader = {};  // what it owns (a partial file) goes now
    send_plain(*ex->r, 413, "request body too large\n");
    return;
  }
  if (!ex->streaming) {
    ex->body.append(piece);
    return;
  }
  if (!ex->reader.on_data || piece.empty()) return;
  if (ex->r->finished()) {  // answered early (by the reader, or after it): the rest is ignored
    ex->reader = {};
    return;
  }
  ex->reader.on_data(piece, *ex->r);
  if (ex->r->finished()) ex->reader = {};
}

void router::on_body_end(const server::request& req, server::response& res) {
  exchange* ex = state_of(res);
  if (ex == nullptr || ex->over_limit) return;
  if (ex->streaming) {
    body_reader reader = std::move(ex->reader);  // dropped once it has answered
    ex->reader = {};
    if (reader.on_end && !ex->r->finished()) reader.on_end(*ex->r);
    return;
  }
  server::request whole = req;
  whole.body = ex->body;
  run(whole, res);
}

void router::on_complete(const summary& s) {
  std::string_view route;
  if (s.user_data != nullptr) {
    if (auto* held = std::any_cast<std::shared_ptr<exchange>>(s.user_data)) route = (*held)->route;
  }
  for (const auto& observe : observers_) observe(s, route);
}

}  // namespace httpcore::app
