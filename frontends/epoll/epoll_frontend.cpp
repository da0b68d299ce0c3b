// The epoll front end: the shared event loop (common/event_loop.hpp) waiting
// on one epoll instance per thread, edge-triggered, woken by an eventfd.

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <system_error>

#include "common/event_loop.hpp"
#include "common/frontend_list.hpp"
#include "common/poller.hpp"
#include "common/reactor_frontend.hpp"

namespace httpcore::frontends {
namespace {

class epoll_poller final : public poller {
 public:
  epoll_poller() {
    epoll_ = ::epoll_create1(EPOLL_CLOEXEC);
    if (epoll_ < 0) throw std::system_error(errno, std::generic_category(), "epoll_create1");
    wake_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (wake_ < 0) {
      ::close(epoll_);
      throw std::system_error(errno, std::generic_category(), "eventfd");
    }
    add(wake_, EPOLLIN, &wake_);  // level-triggered: wait() drains it
  }
  ~epoll_poller() override {
    ::close(wake_);
    ::close(epoll_);
  }

  void add_listener(int fd, void* token) override { add(fd, EPOLLIN | EPOLLET, token); }
  void remove_listener(int fd) override { ::epoll_ctl(epoll_, EPOLL_CTL_DEL, fd, nullptr); }
  void add_connection(int fd, void* token) override {
    add(fd, EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET, token);
  }

  std::size_t wait(std::span<poll_event> out, int timeout_ms) override {
    epoll_event events[256];
    int max = static_cast<int>(std::min<std::size_t>(out.size(), std::size(events)));
    int n = ::epoll_wait(epoll_, events, max, timeout_ms);
    std::size_t count = 0;
    for (int i = 0; i < n; ++i) {
      if (events[i].data.ptr == &wake_) {
        std::uint64_t drained;
        [[maybe_unused]] auto r = ::read(wake_, &drained, sizeof drained);
        continue;
      }
      std::uint32_t e = events[i].events;
      bool broken = (e & (EPOLLERR | EPOLLHUP)) != 0;
      out[count++] = {events[i].data.ptr, broken || (e & (EPOLLIN | EPOLLRDHUP)) != 0,
                      broken || (e & EPOLLOUT) != 0};
    }
    return count;  // n < 0 is EINTR: the loop just goes round
  }

  void wake() override {
    std::uint64_t one = 1;
    [[maybe_unused]] auto r = ::write(wake_, &one, sizeof one);
  }

 private:
  void add(int fd, std::uint32_t events, void* token) {
    epoll_event ev{};
    ev.events = events;
    ev.data.ptr = token;
    if (::epoll_ctl(epoll_, EPOLL_CTL_ADD, fd, &ev) != 0)
      throw std::system_error(errno, std::generic_category(), "epoll_ctl");
  }

  int epoll_ = -1;
  int wake_ = -1;
};

std::unique_ptr<poller> make_epoll_poller() {
  return std::make_unique<epoll_poller>();
}

}  // namespace

std::unique_ptr<frontend> make_epoll_frontend() {
  return std::make_unique<reactor_frontend>("epoll", &event_loop::with<&make_epoll_poller>);
}

}  // namespace httpcore::frontends
