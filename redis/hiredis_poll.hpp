#pragma once
// hiredis's asynchronous API driven by our own poll(2) loop. hiredis does no
// waiting of its own: it tells its event library, through five hooks, when it
// wants to read or write its socket (addRead, delRead, addWrite, delWrite)
// and when the context goes away (cleanup). This adapter keeps that interest
// for one context, so the loop can put it in its pollfd array, and hands
// what poll() reported back to hiredis.

#include <cstdint>

struct redisAsyncContext;

namespace httpcore::redis {

class hiredis_poll {
 public:
  hiredis_poll() = default;
  hiredis_poll(const hiredis_poll&) = delete;
  hiredis_poll& operator=(const hiredis_poll&) = delete;

  /// Installs the hooks on a fresh context (its ev.data must be unset) and
  /// asks for writability: hiredis learns that a non-blocking connect
  /// finished from the first write event. The adapter must outlive the
  /// context (the cleanup hook detaches it).
  void attach(redisAsyncContext* ac);
  bool attached() const noexcept { return ac_ != nullptr; }
  /// The socket, -1 when detached.
  int fd() const noexcept;
  /// POLLIN / POLLOUT as hiredis wants them now (0 when detached).
  short events() const noexcept;
  /// Gives hiredis what poll() returned for fd(): reads (replies run their
  /// callbacks) and writes. The context may be freed inside (a closed
  /// connection, an error); the adapter is then detached.
  void handle(short revents);

 private:
  static void add_read(void* self);
  static void del_read(void* self);
  static void add_write(void* self);
  static void del_write(void* self);
  static void cleanup(void* self);

  redisAsyncContext* ac_ = nullptr;
  bool reading_ = false;
  bool writing_ = false;
};

}  // namespace httpcore::redis
