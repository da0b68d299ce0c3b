// run_until_signal: waits for SIGINT or SIGTERM with the self-pipe trick. A
// handler may run on any thread of the process (front-end threads included),
// and all it does is write one byte (the signal's number), which is
// async-signal-safe; the waiting thread reads the byte and does the real work
// (stop(), or the SIGHUP callback) outside the handler.

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <system_error>

#include "httpcore/frontend.hpp"

namespace httpcore {
namespace {

volatile std::sig_atomic_t g_write_end = -1;

extern "C" void on_stop_signal(int signal) {
  int saved = errno;  // a handler must leave errno as it found it
  char byte = static_cast<char>(signal);
  [[maybe_unused]] auto r = ::write(g_write_end, &byte, 1);
  errno = saved;
}

}  // namespace

void run_until_signal(frontend& f) {
  frontend* one[] = {&f};
  run_until_signal(one, {});
}

void run_until_signal(std::span<frontend* const> frontends,
                      const std::function<void()>& on_hangup) {
  int fds[2];
  if (::pipe(fds) != 0) throw std::system_error(errno, std::generic_category(), "pipe");
  for (int fd : fds) ::fcntl(fd, F_SETFD, FD_CLOEXEC);
  ::fcntl(fds[1], F_SETFL, O_NONBLOCK);  // a burst of signals must not block the handler
  g_write_end = fds[1];

  struct sigaction act {
  }, old_int{}, old_term{}, old_hup{};
  act.sa_handler = on_stop_signal;
  sigemptyset(&act.sa_mask);
  ::sigaction(SIGINT, &act, &old_int);
  ::sigaction(SIGTERM, &act, &old_term);
  if (on_hangup) ::sigaction(SIGHUP, &act, &old_hup);
  // A caller may have blocked these signals before starting its front ends, so
  // that one arriving between start() and here waits instead of killing the
  // process; with the handlers in place, let it through.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&stop_signals, sig);
  ::pthread_sigmask(SIG_UNBLOCK, &stop_signals, nullptr);

  for (;;) {
    char byte = 0;
    if (::read(fds[0], &byte, 1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (byte != SIGHUP) break;
    on_hangup();
  }

  // A second Ctrl-C during the drain gets the default behaviour back: exit now.
  ::sigaction(SIGINT, &old_int, nullptr);
  ::sigaction(SIGTERM, &old_term, nullptr);
  if (on_hangup) ::sigaction(SIGHUP, &old_hup, nullptr);
  g_write_end = -1;
  ::close(fds[0]);
  ::close(fds[1]);
  for (frontend* f : frontends) f->stop();
}

}  // namespace httpcore
