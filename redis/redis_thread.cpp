// The Redis thread: two hiredis connections (one subscribed, one publishing)
// over one poll(2) loop with a wake-up descriptor, deadlines on everything
// it waits for, and reconnection with backoff.

#include <hiredis/async.h>
#include <hiredis/hiredis.h>
#include <poll.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "backend_state.hpp"
#include "envelope.hpp"
#include "hiredis_poll.hpp"

namespace httpcore::redis {
namespace {

// A reply being read may hold this much beyond the largest message.
constexpr std::size_t kInboundSlack = 64u << 10;
// Origins remembered for ordering; past it the memory starts over (an origin
// forgotten that way may get one stale message through, never a lost one).
constexpr std::size_t kMaxOrigins = 4096;
constexpr std::int64_t kMaxPollWaitUs = 1'000'000;

std::int64_t now_us() {
  using namespace std::chrono;
  return duration_cast<microseconds>(steady_clock::now().time_since_epoch()).count();
}

class redis_thread {
 public:
  explicit redis_thread(redis_backend::shared& s)
      : s_(s), backoff_(s.config.reconnect), rng_(s.instance_id) {}

  void run();

 private:
  enum class phase : std::uint8_t { waiting, connecting, up };

  static redis_thread& self(const redisAsyncContext* ac) {
    return *static_cast<redis_thread*>(ac->data);
  }
  static void on_connect(const redisAsyncContext* ac, int status);
  static void on_disconnect(const redisAsyncContext* ac, int status);
  static void on_publish_reply(redisAsyncContext* ac, void* reply, void* me);
  static void on_ping_reply(redisAsyncContext* ac, void* reply, void* me);
  static void on_channel(redisAsyncContext* ac, void* reply, void* me);

  void start_connect(std::int64_t now);
  void lost(std::string why);
  void close_link(std::int64_t now, bool reconnect);
  void sync_topics();
  void send_waiting(std::int64_t now);
  void check_deadlines(std::int64_t now);
  void maybe_resync();
  void deliver(std::string_view channel, std::string_view bytes);
  int poll_timeout_ms(std::int64_t now) const;
  void log(const std::string& line) const {
    if (s_.config.log) s_.config.log(line);
  }

  redis_backend::shared& s_;
  hiredis_poll sub_io_, pub_io_;
  redisAsyncContext* sub_ = nullptr;  // SUBSCRIBEd: receives
  redisAsyncContext* pub_ = nullptr;  // PUBLISH and PING
  bool sub_ready_ = false, pub_ready_ = false;
  std::optional<std::string> failure_;  // set in a callback, acted on by the loop
  phase phase_ = phase::waiting;
  std::int64_t deadline_us_ = 0;  // waiting: the next attempt; connecting: give up
  std::int64_t next_ping_us_ = 0;
  std::optional<std::int64_t> ping_sent_us_;
  std::uint64_t seen_topics_version_ = 0;
  bool topics_synced_ = false;
  std::set<std::string, std::less<>> subscribed_;  // channels, on this connection
  std::size_t unconfirmed_subscribes_ = 0;         // SUBSCRIBEs sent, Redis has not confirmed
  bool resync_due_ = false;  // up again after an outage: tell the hub once subscribed
  std::unordered_map<std::uint64_t, std::uint64_t> last_sequence_;  // by origin
  backoff backoff_;
  std::mt19937_64 rng_;
};

void redis_thread::on_connect(const redisAsyncContext* ac, int status) {
  redis_thread& me = self(ac);
  if (status != REDIS_OK) {
    // hiredis frees the context when this returns.
    std::string why = ac->errstr != nullptr ? ac->errstr : "connect failed";
    if (ac == me.sub_) me.sub_ = nullptr;
    if (ac == me.pub_) me.pub_ = nullptr;
    me.lost("connect: " + why);
    return;
  }
  if (ac == me.sub_) me.sub_ready_ = true;
  if (ac == me.pub_) me.pub_ready_ = true;
}

void redis_thread::on_disconnect(const redisAsyncContext* ac, int) {
  // Our own close_link() forgets the contexts before freeing them, so only a
  // connection that hiredis closed (EOF, an error) is still known here.
  redis_thread& me = self(ac);
  bool ours = ac == me.sub_ || ac == me.pub_;
  if (ac == me.sub_) me.sub_ = nullptr;
  if (ac == me.pub_) me.pub_ = nullptr;
  if (ours) me.lost(ac->errstr != nullptr && ac->errstr[0] != 0 ? ac->errstr : "closed");
}

void redis_thread::on_publish_reply(redisAsyncContext*, void* reply, void* me) {
  if (reply == nullptr) return;  // the connection is being freed: close_link() counts it lost
  auto& t = *static_cast<redis_thread*>(me);
  std::lock_guard lock(t.s_.mutex);
  t.s_.queue.acknowledged();
}

void redis_thread::on_ping_reply(redisAsyncContext*, void* reply, void* me) {
  if (reply == nullptr) return;
  auto& t = *static_cast<redis_thread*>(me);
  t.ping_sent_us_.reset();
  t.next_ping_us_ = now_us() + t.s_.config.ping_interval_us;
}

void redis_thread::on_channel(redisAsyncContext*, void* reply, void* me) {
  auto* r = static_cast<redisReply*>(reply);
  // Also called for the subscribe and unsubscribe confirmations, and with
  // no reply when the connection is freed.
  if (r == nullptr || r->type != REDIS_REPLY_ARRAY || r->elements != 3) return;
  const redisReply* kind = r->element[0];
  const redisReply* channel = r->element[1];
  const redisReply* payload = r->element[2];
  auto& t = *static_cast<redis_thread*>(me);
  if (kind->type == REDIS_REPLY_STRING && std::string_view(kind->str, kind->len) == "subscribe" &&
      t.unconfirmed_subscribes_ > 0)
    --t.unconfirmed_subscribes_;
  if (kind->type != REDIS_REPLY_STRING || std::string_view(kind->str, kind->len) != "message" ||
      channel->type != REDIS_REPLY_STRING || payload->type != REDIS_REPLY_STRING)
    return;
  t.deliver(std::string_view(channel->str, channel->len),
            std::string_view(payload->str, payload->len));
}

void redis_thread::deliver(std::string_view channel, std::string_view bytes) {
  const std::string& prefix = s_.config.channel_prefix;
  if (!channel.starts_with(prefix)) return;
  std::string_view topic = channel.substr(prefix.size());
  decode_result d = decode(bytes);
  bool deliver_it = false;
  {
    std::lock_guard lock(s_.mutex);
    if (!d.ok()) {
      ++s_.counters.bad_envelopes;
    } else if (d.value.origin == s_.instance_id) {
      ++s_.counters.own_echoes;  // delivered locally when it was published
    } else {
      auto it = last_sequence_.find(d.value.origin);
      if (it != last_sequence_.end() && d.value.sequence <= it->second) {
        ++s_.counters.stale;
      } else {
        if (it == last_sequence_.end()) {
          if (last_sequence_.size() >= kMaxOrigins) last_sequence_.clear();
          last_sequence_.emplace(d.value.origin, d.value.sequence);
        } else {
          it->second = d.value.sequence;
        }
        ++s_.counters.received;
        deliver_it = true;
      }
    }
  }
  // Outside the lock: the hub's own lock is taken in there.
  if (deliver_it) s_.sink->deliver(topic, d.value.payload, d.value.text);
}

void redis_thread::lost(std::string why) {
  if (!failure_) failure_ = std::move(why);
}

void redis_thread::start_connect(std::int64_t now) {
  const char* host = s_.config.host.c_str();
  int port = s_.config.port;
  sub_ = redisAsyncConnect(host, port);
  pub_ = redisAsyncConnect(host, port);
  for (redisAsyncContext* ac : {sub_, pub_}) {
    if (ac == nullptr) {
      lost("connect: out of memory");
    } else if (ac->err != 0) {
      lost(std::string("connect: ") + ac->errstr);
    }
  }
  phase_ = phase::connecting;
  deadline_us_ = now + s_.config.connect_timeout_us;
  if (failure_) return;
  for (auto [ac, io] : {std::pair{sub_, &sub_io_}, std::pair{pub_, &pub_io_}}) {
    ac->data = this;
    io->attach(ac);
    redisAsyncSetDisconnectCallback(ac, &on_disconnect);
    redisAsyncSetConnectCallback(ac, &on_connect);  // waits for writability
  }
}

void redis_thread::close_link(std::int64_t now, bool reconnect) {
  redisAsyncContext* sub = sub_;
  redisAsyncContext* pub = pub_;
  sub_ = pub_ = nullptr;
  // Pending callbacks run with no reply in here; they ignore it.
  if (sub != nullptr) redisAsyncFree(sub);
  if (pub != nullptr) redisAsyncFree(pub);
  bool was_up = phase_ == phase::up;
  sub_ready_ = pub_ready_ = false;
  ping_sent_us_.reset();
  subscribed_.clear();
  unconfirmed_subscribes_ = 0;
  topics_synced_ = false;
  std::string why = failure_.value_or("stopped");
  failure_.reset();
  {
    std::lock_guard lock(s_.mutex);
    s_.link_up = false;
    s_.counters.connected = false;
    s_.queue.lose_all();
    if (reconnect) ++s_.counters.connection_failures;
  }
  if (!reconnect) return;
  phase_ = phase::waiting;
  std::int64_t delay =
      backoff_.next_delay_us(std::uniform_real_distribution<double>(0.0, 1.0)(rng_));
  deadline_us_ = now + delay;
  log(std::string(was_up ? "connection lost" : "cannot connect") + " to " + s_.config.host + ":" +
      std::to_string(s_.config.port) + " (" + why + "); next attempt in " +
      std::to_string(delay / 1000) + " ms");
}

void redis_thread::sync_topics() {
  std::set<std::string, std::less<>> wanted;
  {
    std::lock_guard lock(s_.mutex);
    if (topics_synced_ && s_.topics_version == seen_topics_version_) return;
    seen_topics_version_ = s_.topics_version;
    for (const std::string& topic : s_.topics) wanted.insert(s_.config.channel_prefix + topic);
  }
  topics_synced_ = true;
  for (const std::string& channel : wanted) {
    if (subscribed_.contains(channel)) continue;
    const char* argv[] = {"SUBSCRIBE", channel.data()};
    const std::size_t len[] = {9, channel.size()};
    if (redisAsyncCommandArgv(sub_, &on_channel, this, 2, argv, len) != REDIS_OK)
      return lost("SUBSCRIBE refused by hiredis");
    subscribed_.insert(channel);
    ++unconfirmed_subscribes_;
  }
  for (auto it = subscribed_.begin(); it != subscribed_.end();) {
    if (wanted.contains(*it)) {
      ++it;
      continue;
    }
    const char* argv[] = {"UNSUBSCRIBE", it->data()};
    const std::size_t len[] = {11, it->size()};
    redisAsyncCommandArgv(sub_, nullptr, nullptr, 2, argv, len);
    it = subscribed_.erase(it);
  }
}

void redis_thread::send_waiting(std::int64_t now) {
  std::vector<outbound_queue::item> batch;
  {
    std::lock_guard lock(s_.mutex);
    while (auto it = s_.queue.take(now)) batch.push_back(std::move(*it));
  }
  // FIFO onto one connection: Redis publishes them in this order.
  for (const outbound_queue::item& it : batch) {
    const char* argv[] = {"PUBLISH", it.channel.data(), it.body.data()};
    const std::size_t len[] = {7, it.channel.size(), it.body.size()};
    if (redisAsyncCommandArgv(pub_, &on_publish_reply, this, 3, argv, len) != REDIS_OK)
      return lost("PUBLISH refused by hiredis");
  }
}

void redis_thread::check_deadlines(std::int64_t now) {
  if (phase_ == phase::connecting) {
    if (sub_ready_ && pub_ready_) {
      phase_ = phase::up;
      backoff_.reset();
      next_ping_us_ = now + s_.config.ping_interval_us;
      {
        std::lock_guard lock(s_.mutex);
        s_.link_up = true;
        s_.counters.connected = true;
        // Every link after the first follows an outage (its messages are lost).
        resync_due_ = ++s_.counters.connects > 1;
      }
      log("connected to " + s_.config.host + ":" + std::to_string(s_.config.port));
    } else if (now >= deadline_us_) {
      lost("no connection within " + std::to_string(s_.config.connect_timeout_us / 1000) + " ms");
    }
    return;
  }
  if (phase_ != phase::up) return;
  std::optional<std::int64_t> oldest;
  {
    std::lock_guard lock(s_.mutex);
    oldest = s_.queue.oldest_in_flight_us();
  }
  std::int64_t limit = s_.config.reply_timeout_us;
  if ((oldest && now - *oldest >= limit) || (ping_sent_us_ && now - *ping_sent_us_ >= limit))
    return lost("no reply within " + std::to_string(limit / 1000) + " ms");
  if (!ping_sent_us_ && now >= next_ping_us_) {
    if (redisAsyncCommand(pub_, &on_ping_reply, this, "PING") != REDIS_OK)
      return lost("PING refused by hiredis");
    ping_sent_us_ = now;
  }
}

void redis_thread::maybe_resync() {
  // Only once Redis confirmed every subscription: a snapshot the application
  // sends from the callback then misses no update published after it.
  if (!resync_due_ || !topics_synced_ || unconfirmed_subscribes_ != 0) return;
  resync_due_ = false;
  {
    std::lock_guard lock(s_.mutex);
    ++s_.counters.resyncs;
  }
  s_.sink->resynced();
}

int redis_thread::poll_timeout_ms(std::int64_t now) const {
  std::int64_t next = now + kMaxPollWaitUs;
  if (phase_ != phase::up) next = std::min(next, deadline_us_);
  if (phase_ == phase::up) {
    next =
        std::min(next, ping_sent_us_ ? *ping_sent_us_ + s_.config.reply_timeout_us : next_ping_us_);
    std::lock_guard lock(s_.mutex);
    if (auto oldest = s_.queue.oldest_in_flight_us())
      next = std::min(next, *oldest + s_.config.reply_timeout_us);
  }
  std::int64_t wait = next - now;
  return wait <= 0 ? 0 : static_cast<int>((wait + 999) / 1000);
}

void redis_thread::run() {
  deadline_us_ = now_us();  // the first attempt at once
  for (;;) {
    {
      std::lock_guard lock(s_.mutex);
      if (s_.stopping) break;
    }
    std::int64_t now = now_us();
    if (phase_ == phase::waiting && now >= deadline_us_) start_connect(now);
    if (!failure_) check_deadlines(now);
    if (!failure_ && phase_ == phase::up) sync_topics();
    if (!failure_ && phase_ == phase::up) send_waiting(now);
    if (!failure_ && phase_ == phase::up) maybe_resync();
    if (failure_) close_link(now, true);

    pollfd fds[3] = {{s_.wake.fd(), POLLIN, 0}, {-1, 0, 0}, {-1, 0, 0}};
    fds[1] = {sub_io_.fd(), sub_io_.events(), 0};
    fds[2] = {pub_io_.fd(), pub_io_.events(), 0};
    int ready = ::poll(fds, 3, poll_timeout_ms(now_us()));
    if (ready <= 0) continue;  // a deadline, or EINTR
    if ((fds[0].revents & POLLIN) != 0) s_.wake.drain();
    if (fds[1].revents != 0 && sub_io_.fd() == fds[1].fd) sub_io_.handle(fds[1].revents);
    if (fds[2].revents != 0 && pub_io_.fd() == fds[2].fd) pub_io_.handle(fds[2].revents);
    // hiredis frees a context it closed; the callbacks above forget it, and
    // so does this for any path they do not cover.
    if (sub_ != nullptr && !sub_io_.attached() && phase_ != phase::waiting) {
      sub_ = nullptr;
      lost("closed");
    }
    if (pub_ != nullptr && !pub_io_.attached() && phase_ != phase::waiting) {
      pub_ = nullptr;
      lost("closed");
    }
    // A reply still being read is bounded like a message.
    if (sub_ != nullptr && sub_->c.reader != nullptr &&
        sub_->c.reader->len - sub_->c.reader->pos > s_.config.max_message_bytes + kInboundSlack)
      lost("a reply from Redis over the message limit");
  }
  close_link(now_us(), false);
}

}  // namespace

void run_redis_thread(redis_backend::shared& s) {
  redis_thread(s).run();
}

}  // namespace httpcore::redis
