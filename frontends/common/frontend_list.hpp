#pragma once
// The constructors of the front ends built into this library; the factory
// (factory.cpp) is the only caller.

#include <memory>
#include <string>

#include "httpcore/frontend.hpp"

namespace httpcore::frontends {

std::unique_ptr<frontend> make_threads_frontend();
#ifdef HTTPCORE_HAVE_EPOLL
std::unique_ptr<frontend> make_epoll_frontend();
#endif
#ifdef HTTPCORE_HAVE_IO_URING
std::unique_ptr<frontend> make_io_uring_frontend();
/// uring::unavailable_reason(): "" when io_uring can serve in this process.
std::string io_uring_unavailable();
#endif
#ifdef HTTPCORE_HAVE_KQUEUE
std::unique_ptr<frontend> make_kqueue_frontend();
#endif

}  // namespace httpcore::frontends
