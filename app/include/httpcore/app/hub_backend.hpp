#pragma once
/// \file
/// Where a hub's messages go: the backend decides who receives a message
/// published on this instance, and brings in messages published elsewhere.
/// The hub keeps the local subscribers (which peer is on which topic) and
/// fans a message out to them when its backend tells it to (hub_sink).
///
///   local_backend   one process: a message goes to the local subscribers
///                   of its topic, at once (the default).
///   redis backend   many processes over Redis pub/sub (redis/, its own
///                   component, since it holds a socket and a thread).
///
/// Threads: subscribe(), unsubscribe() and publish() are called from any
/// front-end thread and must never block on the network (a backend that
/// forwards queues, bounded, and drops with a count); a backend delivers
/// from any thread of its own.

#include <cstddef>
#include <string_view>

namespace httpcore::app {

/// The hub as its backend sees it: the local subscribers of a topic.
class hub_sink {
 public:
  /// Sends `message` to every local subscriber of `topic` (each peer's own
  /// send bound applies); returns how many. Any thread; never blocks.
  virtual std::size_t deliver(std::string_view topic, std::string_view message, bool text) = 0;
  /// The backend is back after losing its link and subscribed again to every
  /// topic: messages published elsewhere meanwhile were missed, and from now
  /// on none is. An application whose clients hold state (a canvas) sends
  /// them a fresh snapshot. Any thread; never blocks.
  virtual void resynced() = 0;

 protected:
  ~hub_sink() = default;
};

class hub_backend {
 public:
  virtual ~hub_backend() = default;
  /// Called once, by the hub that owns this backend, before any other call;
  /// the sink outlives the backend (the hub destroys its backend first).
  virtual void attach(hub_sink& sink) = 0;
  /// The hub has its first local subscriber of `topic` / has none left.
  /// Called under the hub's lock, in the order the subscriptions changed:
  /// must only record the change (no lock the backend's deliveries hold).
  virtual void subscribe(std::string_view topic) = 0;
  virtual void unsubscribe(std::string_view topic) = 0;
  /// A message published on this instance. Delivers it to the local
  /// subscribers exactly once (through the sink) and wherever else the
  /// backend reaches; returns how many local subscribers got it.
  virtual std::size_t publish(std::string_view topic, std::string_view message, bool text) = 0;
};

/// One process: publish() is a local delivery; there is nothing to
/// subscribe to elsewhere.
class local_backend final : public hub_backend {
 public:
  void attach(hub_sink& sink) override { sink_ = &sink; }
  void subscribe(std::string_view) override {}
  void unsubscribe(std::string_view) override {}
  std::size_t publish(std::string_view topic, std::string_view message, bool text) override {
    return sink_ == nullptr ? 0 : sink_->deliver(topic, message, text);
  }

 private:
  hub_sink* sink_ = nullptr;
};

}  // namespace httpcore::app
