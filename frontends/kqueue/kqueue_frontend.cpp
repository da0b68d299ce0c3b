// The kqueue front end: the shared event loop (common/event_loop.hpp) waiting
// on one kqueue per thread. EV_CLEAR makes readiness edge-triggered, as with
// epoll's EPOLLET; EVFILT_USER (or a pipe where it is missing) wakes a wait.

#include <fcntl.h>
#include <sys/event.h>
#include <sys/time.h>
#include <sys/types.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <iterator>
#include <system_error>
#include <type_traits>
#include <utility>

#include "common/event_loop.hpp"
#include "common/frontend_list.hpp"
#include "common/poller.hpp"
#include "common/reactor_frontend.hpp"

namespace httpcore::frontends {
namespace {

[[noreturn]] void throw_errno(const char* what) {
  throw std::system_error(errno, std::generic_category(), what);
}

// udata is a void* on most systems and an intptr_t on NetBSD.
template <class U>
U to_udata(void* p) {
  if constexpr (std::is_pointer_v<U>) {
    return p;
  } else {
    return reinterpret_cast<U>(p);
  }
}
template <class U>
void* from_udata(U u) {
  if constexpr (std::is_pointer_v<U>) {
    return u;
  } else {
    return reinterpret_cast<void*>(u);
  }
}
using udata_t = decltype(std::declval<struct kevent>().udata);

class kqueue_poller final : public poller {
 public:
  kqueue_poller() {
    kq_ = ::kqueue();
    if (kq_ < 0) throw_errno("kqueue");
    ::fcntl(kq_, F_SETFD, FD_CLOEXEC);
#ifdef EVFILT_USER
    change(0, EVFILT_USER, EV_ADD | EV_CLEAR, 0, &wake_tag_);
#else
    if (::pipe(wake_pipe_) != 0) {
      ::close(kq_);
      throw_errno("pipe");
    }
    for (int fd : wake_pipe_) ::fcntl(fd, F_SETFL, O_NONBLOCK);
    change(wake_pipe_[0], EVFILT_READ, EV_ADD, 0, &wake_tag_);
#endif
  }
  ~kqueue_poller() override {
#ifndef EVFILT_USER
    ::close(wake_pipe_[0]);
    ::close(wake_pipe_[1]);
#endif
    ::close(kq_);
  }

  void add_listener(int fd, void* token) override {
    change(fd, EVFILT_READ, EV_ADD | EV_CLEAR, 0, token);
  }
  void remove_listener(int fd) override {
    struct kevent ev;
    EV_SET(&ev, static_cast<uintptr_t>(fd), EVFILT_READ, EV_DELETE, 0, 0,
           to_udata<udata_t>(nullptr));
    ::kevent(kq_, &ev, 1, nullptr, 0, nullptr);
  }
  void add_connection(int fd, void* token) override {
    struct kevent ev[2];
    EV_SET(&ev[0], static_cast<uintptr_t>(fd), EVFILT_READ, EV_ADD | EV_CLEAR, 0, 0,
           to_udata<udata_t>(token));
    EV_SET(&ev[1], static_cast<uintptr_t>(fd), EVFILT_WRITE, EV_ADD | EV_CLEAR, 0, 0,
           to_udata<udata_t>(token));
    if (::kevent(kq_, ev, 2, nullptr, 0, nullptr) != 0) throw_errno("kevent");
  }

  std::size_t wait(std::span<poll_event> out, int timeout_ms) override {
    struct kevent events[256];
    timespec ts{timeout_ms / 1000, static_cast<long>(timeout_ms % 1000) * 1'000'000};
    int max = static_cast<int>(std::min<std::size_t>(out.size(), std::size(events)));
    int n = ::kevent(kq_, nullptr, 0, events, max, timeout_ms < 0 ? nullptr : &ts);
    std::size_t count = 0;
    for (int i = 0; i < n; ++i) {
      void* token = from_udata(events[i].udata);
      if (token == &wake_tag_) {
#ifndef EVFILT_USER
        char sink[64];
        while (::read(wake_pipe_[0], sink, sizeof sink) > 0) {
        }
#endif
        continue;
      }
      // Read and write readiness arrive as separate events; the loop merges
      // them per connection. EV_EOF and EV_ERROR are left for recv/send to report.
      bool broken = (events[i].flags & (EV_EOF | EV_ERROR)) != 0;
      bool read = events[i].filter == EVFILT_READ;
      out[count++] = {token, read || broken, !read || broken};
    }
    return count;  // n < 0 is EINTR: the loop just goes round
  }

  void wake() override {
#ifdef EVFILT_USER
    struct kevent ev;
    EV_SET(&ev, 0, EVFILT_USER, 0, NOTE_TRIGGER, 0, to_udata<udata_t>(&wake_tag_));
    ::kevent(kq_, &ev, 1, nullptr, 0, nullptr);
#else
    char byte = 1;
    [[maybe_unused]] auto r = ::write(wake_pipe_[1], &byte, 1);
#endif
  }

 private:
  void change(int fd, short filter, unsigned short flags, unsigned fflags, void* token) {
    struct kevent ev;
    EV_SET(&ev, static_cast<uintptr_t>(fd), filter, flags, fflags, 0, to_udata<udata_t>(token));
    if (::kevent(kq_, &ev, 1, nullptr, 0, nullptr) != 0) throw_errno("kevent");
  }

  int kq_ = -1;
  char wake_tag_ = 0;  // its address is the wake-up's token
#ifndef EVFILT_USER
  int wake_pipe_[2] = {-1, -1};
#endif
};

std::unique_ptr<poller> make_kqueue_poller() {
  return std::make_unique<kqueue_poller>();
}

}  // namespace

std::unique_ptr<frontend> make_kqueue_frontend() {
  return std::make_unique<reactor_frontend>("kqueue", &event_loop::with<&make_kqueue_poller>);
}

}  // namespace httpcore::frontends
