// Mailboxes and the peer handles that post into them.

#include "common/mailbox.hpp"

#include <atomic>

namespace httpcore::frontends {
namespace {

// What the application holds: the mailbox of the thread that owns the
// connection and the connection's id; nothing that dies with the connection.
class mailbox_peer final : public server::ws_peer {
 public:
  mailbox_peer(std::shared_ptr<mailbox> box, std::uint64_t id) : box_(std::move(box)), id_(id) {}
  std::uint64_t id() const noexcept override { return id_; }
  // The message is borrowed: copied only if it has to wait in the queue.
  void send_text(std::string_view text) override {
    box_->post({id_,
                ws_command::kind::text,
                {},
                0,
                nullptr,
                std::as_bytes(std::span<const char>(text.data(), text.size()))});
  }
  void send_binary(std::span<const std::byte> bytes) override {
    box_->post({id_, ws_command::kind::binary, {}, 0, nullptr, bytes});
  }
  void send_shared(std::shared_ptr<const std::string> message, bool text) override {
    if (!message) return;
    box_->post(
        {id_, text ? ws_command::kind::text : ws_command::kind::binary, {}, 0, std::move(message)});
  }
  void close(std::uint16_t code, std::string_view reason) override {
    box_->post({id_, ws_command::kind::close, std::string(reason), code});
  }

 private:
  std::shared_ptr<mailbox> box_;
  std::uint64_t id_;
};

// What a deferred response holds: like a peer, the mailbox and the id only.
class mailbox_link final : public server::connection_link {
 public:
  mailbox_link(std::shared_ptr<mailbox> box, std::uint64_t id) : box_(std::move(box)), id_(id) {}
  void post(server::connection_task task) override {
    ws_command cmd;
    cmd.connection = id_;
    cmd.what = ws_command::kind::task;
    cmd.task = std::move(task);
    box_->post(std::move(cmd));
  }

 private:
  std::shared_ptr<mailbox> box_;
  std::uint64_t id_;
};

}  // namespace

void apply(ws_command& cmd, server::session& s, server::clock_now now) {
  if (cmd.what == ws_command::kind::task) {
    if (cmd.task) cmd.task(s, now);
    return;
  }
  if (cmd.shared && cmd.what != ws_command::kind::close) {
    s.ws_send(std::move(cmd.shared), cmd.what == ws_command::kind::text, now);
    return;
  }
  auto bytes = !cmd.borrowed.empty()
                   ? cmd.borrowed
                   : std::as_bytes(std::span<const char>(cmd.payload.data(), cmd.payload.size()));
  switch (cmd.what) {
    case ws_command::kind::text:
      s.ws_send(bytes, true, now);
      break;
    case ws_command::kind::binary:
      s.ws_send(bytes, false, now);
      break;
    case ws_command::kind::close:
      s.ws_close(cmd.code, cmd.payload, now);
      break;
    case ws_command::kind::task:
      break;
  }
}

std::uint64_t next_connection_id() noexcept {
  static std::atomic<std::uint64_t> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}

void mailbox::set_owner(std::function<void(ws_command&)> run_here) {
  std::lock_guard lock(mutex_);
  owner_ = std::this_thread::get_id();
  run_here_ = std::move(run_here);
}

void mailbox::post(ws_command cmd) {
  std::unique_lock lock(mutex_);
  if (closed_) return;
  // Tasks (steps of deferred responses and the release of their handle)
  // always queue, even from the owner: a handle's last copy dropped on the
  // owner must not release the response before a step another thread posted
  // earlier (still queued, or taken and not yet applied) has answered it:
  // that release would send a 500 ahead of the answer.
  if (run_here_ && std::this_thread::get_id() == owner_ && cmd.what != ws_command::kind::task) {
    // The owner itself: nothing to wake. Applied outside the lock, since the
    // session may post again (it does not today, but a lock held across
    // application code is a deadlock waiting to happen).
    auto run = run_here_;
    lock.unlock();
    run(cmd);
    return;
  }
  if (!cmd.borrowed.empty()) {  // the caller's bytes do not outlive this call
    lock.unlock();              // (a large copy need not hold up the owner's take())
    cmd.payload.assign(reinterpret_cast<const char*>(cmd.borrowed.data()), cmd.borrowed.size());
    cmd.borrowed = {};
    lock.lock();
    if (closed_) return;
  }
  bool was_empty = queue_.empty();
  queue_.push_back(std::move(cmd));
  if (was_empty) wake_();  // one wake-up per batch: the owner takes all at once
}

void mailbox::take(std::vector<ws_command>& out) {
  out.clear();
  std::lock_guard lock(mutex_);
  out.swap(queue_);
}

void mailbox::close() {
  std::vector<ws_command> dropped;
  std::function<void(ws_command&)> run_here;
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
    dropped.swap(queue_);
    run_here.swap(run_here_);
  }
  // Destroyed unlocked: a dropped task may hold the last copy of a deferred
  // response, whose destructor posts (and finds the mailbox closed).
}

std::shared_ptr<server::ws_peer> mailbox::make_peer(std::uint64_t connection_id) {
  return std::make_shared<mailbox_peer>(shared_from_this(), connection_id);
}

}  // namespace httpcore::frontends

namespace httpcore::frontends {

std::shared_ptr<server::connection_link> mailbox::make_link(std::uint64_t connection_id) {
  return std::make_shared<mailbox_link>(shared_from_this(), connection_id);
}

}  // namespace httpcore::frontends
