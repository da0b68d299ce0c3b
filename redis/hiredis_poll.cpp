// The five hiredis event hooks over poll(2).

#include "hiredis_poll.hpp"

#include <hiredis/async.h>
#include <poll.h>

namespace httpcore::redis {

void hiredis_poll::attach(redisAsyncContext* ac) {
  ac_ = ac;
  reading_ = writing_ = false;
  ac->ev.data = this;
  ac->ev.addRead = &add_read;
  ac->ev.delRead = &del_read;
  ac->ev.addWrite = &add_write;
  ac->ev.delWrite = &del_write;
  ac->ev.cleanup = &cleanup;
}

int hiredis_poll::fd() const noexcept {
  return ac_ == nullptr ? -1 : ac_->c.fd;
}

short hiredis_poll::events() const noexcept {
  if (ac_ == nullptr) return 0;
  return static_cast<short>((reading_ ? POLLIN : 0) | (writing_ ? POLLOUT : 0));
}

void hiredis_poll::handle(short revents) {
  // An error or hang-up goes to whichever side hiredis waits on: its read or
  // write then fails and it closes the context (calling cleanup).
  bool failed = (revents & (POLLERR | POLLHUP | POLLNVAL)) != 0;
  // poll() reports those even for a socket nobody waits on: hiredis must
  // see them or the loop would wake for them forever.
  if (ac_ != nullptr && ((reading_ && (revents & POLLIN) != 0) || (failed && !writing_)))
    redisAsyncHandleRead(ac_);
  if (ac_ != nullptr && writing_ && ((revents & POLLOUT) != 0 || failed))
    redisAsyncHandleWrite(ac_);
}

void hiredis_poll::add_read(void* self) {
  static_cast<hiredis_poll*>(self)->reading_ = true;
}
void hiredis_poll::del_read(void* self) {
  static_cast<hiredis_poll*>(self)->reading_ = false;
}
void hiredis_poll::add_write(void* self) {
  static_cast<hiredis_poll*>(self)->writing_ = true;
}
void hiredis_poll::del_write(void* self) {
  static_cast<hiredis_poll*>(self)->writing_ = false;
}
void hiredis_poll::cleanup(void* self) {
  auto* me = static_cast<hiredis_poll*>(self);
  me->ac_ = nullptr;
  me->reading_ = me->writing_ = false;
}

}  // namespace httpcore::redis
