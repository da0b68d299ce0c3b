#pragma once
// A front end made of event loops, one per thread, each with its own poller
// and (where the kernel balances SO_REUSEPORT) its own listening socket. The
// epoll and kqueue front ends are this class with their poller.

#include <cstdint>
#include <memory>
#include <mutex>
#include <string_view>
#include <thread>
#include <vector>

#include "common/event_loop.hpp"
#include "common/poller.hpp"
#include "common/registry.hpp"
#include "httpcore/frontend.hpp"

namespace httpcore::frontends {

class reactor_frontend final : public frontend {
 public:
  reactor_frontend(std::string_view name, make_poller_fn make_poller)
      : name_(name), make_poller_(make_poller) {}
  ~reactor_frontend() override { stop(); }

  std::string_view name() const noexcept override { return name_; }
  void start(server::handler& h, const server_options& options) override;
  std::uint16_t port() const noexcept override { return port_; }
  void stop() override;
  frontend_stats stats() const noexcept override { return registry_.stats(); }

 private:
  std::string_view name_;
  make_poller_fn make_poller_;
  server_options options_;
  connection_registry registry_;
  std::uint16_t port_ = 0;
  int shared_listener_ = -1;
  std::vector<std::unique_ptr<event_loop>> loops_;
  std::vector<std::thread> threads_;
  std::mutex lifecycle_;  // start() and stop() from different threads
};

}  // namespace httpcore::frontends
