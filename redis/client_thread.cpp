// The Redis client's thread: one hiredis connection over a poll(2) loop with
// a wake-up descriptor, a deadline on every command and on connecting, and
// reconnection with backoff. Callbacks run here, never under the lock.

#include <hiredis/async.h>
#include <hiredis/hiredis.h>
#include <poll.h>

#include <algorithm>
#include <optional>
#include <random>
#include <vector>

#include "client_state.hpp"
#include "hiredis_poll.hpp"

namespace httpcore::redis {
namespace {

constexpr std::int64_t kMaxPollWaitUs = 1'000'000;

// hiredis 0.14 (Debian's) speaks RESP2 only: these six kinds are all there is.
reply copy_reply(const redisReply& r) {
  reply out;
  switch (r.type) {
    case REDIS_REPLY_STRING:
      out.type = reply::kind::string;
      out.str.assign(r.str, r.len);
      break;
    case REDIS_REPLY_STATUS:
      out.type = reply::kind::status;
      out.str.assign(r.str, r.len);
      break;
    case REDIS_REPLY_ERROR:
      out.type = reply::kind::error;
      out.str.assign(r.str, r.len);
      break;
    case REDIS_REPLY_INTEGER:
      out.type = reply::kind::integer;
      out.integer = r.integer;
      break;
    case REDIS_REPLY_ARRAY:
      out.type = reply::kind::array;
      out.elements.reserve(r.elements);
      for (std::size_t i = 0; i < r.elements; ++i)
        out.elements.push_back(copy_reply(*r.element[i]));
      break;
    default:
      out.type = reply::kind::nil;
  }
  return out;
}

class client_thread {
 public:
  explicit client_thread(client::shared& s)
      : s_(s), backoff_(s.config.reconnect), rng_(std::random_device{}()) {}

  void run();

 private:
  enum class phase : std::uint8_t { waiting, connecting, up };
  using outcome = std::pair<callback, result>;

  static client_thread& self(const redisAsyncContext* ac) {
    return *static_cast<client_thread*>(ac->data);
  }
  static void on_connect(const redisAsyncContext* ac, int status);
  static void on_disconnect(const redisAsyncContext* ac, int status);
  static void on_reply(redisAsyncContext* ac, void* reply, void* me);

  void start_connect(std::int64_t now);
  void lost(std::string why) {
    if (!failure_) failure_ = std::move(why);
  }
  void close_link(std::int64_t now, bool reconnect);
  void set_link(link_state state, std::string why);
  void send_waiting();
  void check_deadlines(std::int64_t now);
  void finish(pending_command& c, result r, std::uint64_t client_stats::*counter);
  void run_callbacks();
  int poll_timeout_ms(std::int64_t now);
  void log(const std::string& line) const {
    if (s_.config.log) s_.config.log(line);
  }
  std::string where() const { return s_.config.host + ":" + std::to_string(s_.config.port); }

  client::shared& s_;
  hiredis_poll io_;
  redisAsyncContext* ac_ = nullptr;
  bool ready_ = false;
  std::optional<std::string> failure_;  // set in a callback, acted on by the loop
  phase phase_ = phase::waiting;
  std::int64_t deadline_us_ = 0;      // waiting: the next attempt; connecting: give up
  std::deque<pending_command> sent_;  // in flight, in the order sent
  std::vector<outcome> done_;         // callbacks to run, outside the lock
  backoff backoff_;
  std::mt19937_64 rng_;
};

void client_thread::on_connect(const redisAsyncContext* ac, int status) {
  client_thread& me = self(ac);
  if (status != REDIS_OK) {
    // hiredis frees the context when this returns.
    if (ac == me.ac_) me.ac_ = nullptr;
    me.lost(std::string("connect: ") + (ac->errstr[0] != 0 ? ac->errstr : "failed"));
    return;
  }
  if (ac == me.ac_) me.ready_ = true;
}

void client_thread::on_disconnect(const redisAsyncContext* ac, int) {
  // close_link() forgets the context before freeing it, so only a connection
  // hiredis closed (EOF, an error) is still ours here.
  client_thread& me = self(ac);
  if (ac != me.ac_) return;
  me.ac_ = nullptr;
  me.lost(ac->errstr[0] != 0 ? ac->errstr : "closed by Redis");
}

void client_thread::on_reply(redisAsyncContext*, void* r, void* me) {
  // No reply: the context is being freed; close_link() answers what was sent.
  if (r == nullptr) return;
  auto& t = *static_cast<client_thread*>(me);
  if (t.sent_.empty()) return;  // cannot happen: replies come in order, one per command
  const auto& rr = *static_cast<redisReply*>(r);
  result out;
  if (rr.type == REDIS_REPLY_ERROR) {
    out.error = client_error::redis_error;
    out.message.assign(rr.str, rr.len);
  } else {
    out.value = copy_reply(rr);
  }
  {
    std::lock_guard lock(t.s_.mutex);
    ++t.s_.counters.replies;
    if (!out.ok()) ++t.s_.counters.redis_errors;
  }
  t.finish(t.sent_.front(), std::move(out), nullptr);
  t.sent_.pop_front();
}

void client_thread::finish(pending_command& c, result r, std::uint64_t client_stats::*counter) {
  {
    std::lock_guard lock(s_.mutex);
    --s_.queued;
    s_.queued_bytes -= c.bytes;
    if (counter != nullptr) ++(s_.counters.*counter);
  }
  done_.emplace_back(std::move(c.done), std::move(r));
}

void client_thread::run_callbacks() {
  {
    std::lock_guard lock(s_.mutex);
    for (auto& r : s_.refused) done_.push_back(std::move(r));
    s_.refused.clear();
  }
  std::vector<outcome> batch;
  batch.swap(done_);
  for (auto& [cb, r] : batch)
    if (cb) cb(std::move(r));
}

void client_thread::set_link(link_state state, std::string why) {
  std::lock_guard lock(s_.mutex);
  s_.link = state;
  s_.down_reason = std::move(why);
  s_.counters.connected = state == link_state::up;
}

void client_thread::start_connect(std::int64_t now) {
  set_link(link_state::connecting, {});
  phase_ = phase::connecting;
  deadline_us_ = now + s_.config.connect_timeout_us;
  ac_ = redisAsyncConnect(s_.config.host.c_str(), s_.config.port);
  if (ac_ == nullptr) return lost("connect: out of memory");
  if (ac_->err != 0) {
    std::string why = std::string("connect: ") + ac_->errstr;
    redisAsyncFree(ac_);
    ac_ = nullptr;
    return lost(why);
  }
  ac_->data = this;
  io_.attach(ac_);
  redisAsyncSetDisconnectCallback(ac_, &on_disconnect);
  redisAsyncSetConnectCallback(ac_, &on_connect);  // waits for writability
}

void client_thread::close_link(std::int64_t now, bool reconnect) {
  redisAsyncContext* ac = ac_;
  ac_ = nullptr;
  if (ac != nullptr) redisAsyncFree(ac);  // pending on_reply calls get no reply
  bool was_up = phase_ == phase::up;
  ready_ = false;
  std::string why = failure_.value_or("stopped");
  failure_.reset();
  for (pending_command& c : sent_)
    finish(
        c,
        {client_error::connection_lost, "connection to Redis lost after sending (" + why + ")", {}},
        &client_stats::lost);
  sent_.clear();
  std::deque<pending_command> waiting;
  {
    std::lock_guard lock(s_.mutex);
    waiting.swap(s_.waiting);
    if (reconnect) ++s_.counters.connection_failures;
  }
  if (!reconnect) {
    set_link(link_state::down, "the client is stopping");
    for (pending_command& c : waiting)
      finish(c, {client_error::stopped, "the client is stopping", {}}, nullptr);
    return;
  }
  phase_ = phase::waiting;
  std::int64_t delay =
      backoff_.next_delay_us(std::uniform_real_distribution<double>(0.0, 1.0)(rng_));
  deadline_us_ = now + delay;
  std::string reason = why + "; next attempt in " + std::to_string(delay / 1000) + " ms";
  set_link(link_state::down, reason);
  for (pending_command& c : waiting)
    finish(c, {client_error::not_connected, "not connected to Redis: " + reason, {}},
           &client_stats::refused_not_connected);
  log(std::string(was_up ? "connection lost" : "cannot connect") + " to " + where() + " (" +
      reason + ")");
}

void client_thread::send_waiting() {
  std::deque<pending_command> batch;
  {
    std::lock_guard lock(s_.mutex);
    batch.swap(s_.waiting);
  }
  // FIFO onto one connection: replies come back in this order (on_reply).
  while (!batch.empty()) {
    pending_command& c = batch.front();
    std::vector<const char*> argv;
    std::vector<std::size_t> len;
    for (const std::string& a : c.args) argv.push_back(a.data()), len.push_back(a.size());
    if (redisAsyncCommandArgv(ac_, &on_reply, this, static_cast<int>(argv.size()), argv.data(),
                              len.data()) != REDIS_OK) {
      // Not sent: back in front, in order, for close_link() to answer.
      std::lock_guard lock(s_.mutex);
      s_.waiting.insert(s_.waiting.begin(), std::make_move_iterator(batch.begin()),
                        std::make_move_iterator(batch.end()));
      return lost("hiredis refused a command (its context is closing)");
    }
    c.args.clear();
    c.args.shrink_to_fit();
    sent_.push_back(std::move(c));
    batch.pop_front();
  }
}

void client_thread::check_deadlines(std::int64_t now) {
  if (phase_ == phase::connecting) {
    if (ready_) {
      phase_ = phase::up;
      backoff_.reset();
      set_link(link_state::up, {});
      {
        std::lock_guard lock(s_.mutex);
        ++s_.counters.connects;
      }
      log("connected to " + where());
    } else if (now >= deadline_us_) {
      return lost("no connection within " + std::to_string(s_.config.connect_timeout_us / 1000) +
                  " ms");
    }
  }
  // Commands still waiting for a connection: each fails alone at its deadline.
  {
    std::deque<pending_command> expired;
    {
      std::lock_guard lock(s_.mutex);
      while (!s_.waiting.empty() && s_.waiting.front().deadline_us <= now) {
        expired.push_back(std::move(s_.waiting.front()));
        s_.waiting.pop_front();
      }
    }
    for (pending_command& c : expired)
      finish(c,
             {client_error::timeout,
              "no connection to Redis within the reply deadline (" +
                  std::to_string(s_.config.reply_timeout_us / 1000) + " ms)",
              {}},
             &client_stats::timeouts);
  }
  // A command sent and unanswered past its deadline: Redis is stuck or slow.
  // Its reply could still come, and be taken for the next command's, so the
  // connection goes (the others in flight are lost with it).
  if (!sent_.empty() && sent_.front().deadline_us <= now) {
    finish(
        sent_.front(),
        {client_error::timeout,
         "no reply from Redis within " + std::to_string(s_.config.reply_timeout_us / 1000) + " ms",
         {}},
        &client_stats::timeouts);
    sent_.pop_front();
    lost("no reply within " + std::to_string(s_.config.reply_timeout_us / 1000) + " ms");
  }
}

int client_thread::poll_timeout_ms(std::int64_t now) {
  std::int64_t next = now + kMaxPollWaitUs;
  if (phase_ != phase::up) next = std::min(next, deadline_us_);
  if (!sent_.empty()) next = std::min(next, sent_.front().deadline_us);
  {
    std::lock_guard lock(s_.mutex);
    if (!s_.waiting.empty()) next = std::min(next, s_.waiting.front().deadline_us);
    if (!s_.refused.empty()) next = now;
  }
  std::int64_t wait = next - now;
  return wait <= 0 ? 0 : static_cast<int>((wait + 999) / 1000);
}

void client_thread::run() {
  deadline_us_ = client_now_us();  // the first attempt at once
  for (;;) {
    {
      std::lock_guard lock(s_.mutex);
      if (s_.stopping) break;
    }
    std::int64_t now = client_now_us();
    if (phase_ == phase::waiting && now >= deadline_us_) start_connect(now);
    if (!failure_) check_deadlines(now);
    if (!failure_ && phase_ == phase::up) send_waiting();
    if (failure_) close_link(now, true);
    run_callbacks();

    pollfd fds[2] = {{s_.wake.fd(), POLLIN, 0}, {io_.fd(), io_.events(), 0}};
    int ready = ::poll(fds, 2, poll_timeout_ms(client_now_us()));
    if (ready <= 0) continue;  // a deadline, or EINTR
    if ((fds[0].revents & POLLIN) != 0) s_.wake.drain();
    if (fds[1].revents != 0 && io_.fd() == fds[1].fd) io_.handle(fds[1].revents);
    // hiredis frees a context it closed; the callbacks forget it, and so
    // does this for any path they do not cover.
    if (ac_ != nullptr && !io_.attached()) {
      ac_ = nullptr;
      lost("closed");
    }
    // A reply still being read is bounded.
    if (ac_ != nullptr && ac_->c.reader != nullptr &&
        ac_->c.reader->len - ac_->c.reader->pos > s_.config.max_reply_bytes)
      lost("a reply from Redis over " + std::to_string(s_.config.max_reply_bytes) + " bytes");
    run_callbacks();
  }
  close_link(client_now_us(), false);
  // Callbacks may issue commands even now: those are refused (stopped) and
  // answered too, until none is left.
  for (;;) {
    run_callbacks();
    std::lock_guard lock(s_.mutex);
    if (s_.refused.empty() && done_.empty()) break;
  }
}

}  // namespace

void run_client_thread(client::shared& s) {
  client_thread(s).run();
}

}  // namespace httpcore::redis
