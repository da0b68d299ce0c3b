// Starting and stopping the event loops of an event-loop front end.

#include "common/reactor_frontend.hpp"

#include <unistd.h>

#include <algorithm>
#include <stdexcept>

#include "common/cpu_pinning.hpp"
#include "common/socket.hpp"

namespace httpcore::frontends {

void reactor_frontend::start(server::handler& h, const server_options& options) {
  std::lock_guard lock(lifecycle_);
  if (!threads_.empty()) throw std::logic_error("frontend already started");
#ifndef HTTPCORE_HAVE_TLS
  if (options.tls) throw std::invalid_argument("this build has no TLS (httpcore::tls)");
#endif
  ignore_sigpipe();
  options_ = options;
  registry_.set_limit(options_.max_connections);
  unsigned n =
      options_.threads ? options_.threads : std::max(1u, std::thread::hardware_concurrency());
  registry_.set_loops(n);

  // Listeners first: binding is what can fail, and nothing runs yet then.
  std::vector<int> listeners;
  try {
    if (reuseport_balances()) {
      // One per loop, so the kernel spreads connections; all on the port the
      // first one got (which matters when options.port is 0).
      if (options_.port != 0) ensure_port_free(options_.host, options_.port);
      for (unsigned i = 0; i < n; ++i) {
        listeners.push_back(open_listener(options_.host, i == 0 ? options_.port : port_, true));
        if (i == 0) port_ = bound_port(listeners[0]);
      }
    } else {
      shared_listener_ = open_listener(options_.host, options_.port, false);
      port_ = bound_port(shared_listener_);
    }
    for (unsigned i = 0; i < n; ++i) {
      bool own = shared_listener_ < 0;
      int fd = own ? listeners[i] : shared_listener_;
      loops_.push_back(make_loop_(i, fd, own, h, options_, registry_));
      if (own) listeners[i] = -1;  // the loop closes it now
    }
  } catch (...) {
    loops_.clear();
    for (int fd : listeners)
      if (fd >= 0) ::close(fd);
    if (shared_listener_ >= 0) ::close(shared_listener_);
    shared_listener_ = -1;
    throw;
  }
  const cpu_list cpus = options_.pin_threads ? allowed_cpus() : cpu_list{};
  for (std::size_t i = 0; i < loops_.size(); ++i) {
    threads_.emplace_back([l = loops_[i].get()] { l->run(); });
    // From here, so it holds when start() returns; the loop may have begun
    // on another core, and moves at its next scheduling.
    if (!cpus.empty()) pin_thread(threads_.back(), cpus[i % cpus.size()]);
  }
  try {
    for (auto& loop : loops_) loop->wait_ready();
  } catch (...) {
    stop_locked();
    throw;
  }
  registry_.set_threads(threads_.size());
}

void reactor_frontend::stop() {
  std::lock_guard lock(lifecycle_);
  stop_locked();
}

void reactor_frontend::stop_locked() {
  for (auto& loop : loops_) loop->request_stop();
  for (auto& t : threads_) t.join();
  threads_.clear();
  registry_.set_threads(0);
  loops_.clear();
  if (shared_listener_ >= 0) ::close(shared_listener_);
  shared_listener_ = -1;
}

}  // namespace httpcore::frontends
