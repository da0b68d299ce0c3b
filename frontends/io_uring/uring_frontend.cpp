// The io_uring front end: reactor_frontend's threads, each running the
// completion loop (uring_loop.cpp) over its own SO_REUSEPORT listener.

#include "common/frontend_list.hpp"
#include "common/reactor_frontend.hpp"
#include "io_uring/ring.hpp"
#include "io_uring/uring_loop.hpp"

namespace httpcore::frontends {

std::unique_ptr<frontend> make_io_uring_frontend() {
  return std::make_unique<reactor_frontend>("io_uring", &uring::loop::make);
}

std::string io_uring_unavailable() {
  return uring::unavailable_reason();
}

}  // namespace httpcore::frontends
