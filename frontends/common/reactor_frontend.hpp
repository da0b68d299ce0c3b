#pragma once
// A front end made of event loops, one per thread, each with its own
// listening socket where the kernel balances SO_REUSEPORT (else one shared
// listener). The epoll and kqueue front ends are this class with the
// readiness loop over their poller; io_uring is it with the completion loop.

#include <cstdint>
#include <memory>
#include <mutex>
#include <string_view>
#include <thread>
#include <vector>

#include "common/registry.hpp"
#include "common/serving_loop.hpp"
#include "httpcore/frontend.hpp"

namespace httpcore::frontends {

class reactor_frontend final : public frontend {
 public:
  reactor_frontend(std::string_view name, make_loop_fn make_loop)
      : name_(name), make_loop_(make_loop) {}
  ~reactor_frontend() override { stop(); }

  std::string_view name() const noexcept override { return name_; }
  void start(server::handler& h, const server_options& options) override;
  std::uint16_t port() const noexcept override { return port_; }
  void stop() override;
  frontend_stats stats() const noexcept override { return registry_.stats(); }

 private:
  void stop_locked();

  std::string_view name_;
  make_loop_fn make_loop_;
  server_options options_;
  connection_registry registry_;
  std::uint16_t port_ = 0;
  int shared_listener_ = -1;
  std::vector<std::unique_ptr<serving_loop>> loops_;
  std::vector<std::thread> threads_;
  std::mutex lifecycle_;  // start() and stop() from different threads
};

}  // namespace httpcore::frontends
