// Which front ends this library has, and which one is the build-time default
// (HTTPCORE_DEFAULT_FRONTEND, from the HTTPCORE_FRONTEND CMake option).

#include <array>

#include "common/frontend_list.hpp"
#include "httpcore/frontend.hpp"

#ifndef HTTPCORE_DEFAULT_FRONTEND
#error "HTTPCORE_DEFAULT_FRONTEND must name the default front end (set by CMake)"
#endif

namespace httpcore {
namespace {

using maker = std::unique_ptr<frontend> (*)();
struct entry {
  std::string_view name;
  maker make;
};

constexpr std::array kBuilt = {
#ifdef HTTPCORE_HAVE_EPOLL
    entry{"epoll", &frontends::make_epoll_frontend},
#endif
#ifdef HTTPCORE_HAVE_IO_URING
    entry{"io_uring", &frontends::make_io_uring_frontend},
#endif
#ifdef HTTPCORE_HAVE_KQUEUE
    entry{"kqueue", &frontends::make_kqueue_frontend},
#endif
    entry{"threads", &frontends::make_threads_frontend},
};

// The names, the default moved to the front.
constexpr std::array<std::string_view, kBuilt.size()> ordered_names() {
  std::array<std::string_view, kBuilt.size()> names{};
  std::size_t n = 0;
  for (const auto& e : kBuilt)
    if (e.name == HTTPCORE_DEFAULT_FRONTEND) names[n++] = e.name;
  for (const auto& e : kBuilt)
    if (e.name != HTTPCORE_DEFAULT_FRONTEND) names[n++] = e.name;
  return names;
}

constexpr auto kNames = ordered_names();
static_assert(kNames[0] == HTTPCORE_DEFAULT_FRONTEND,
              "HTTPCORE_FRONTEND names a front end that is not built on this platform");

}  // namespace

std::span<const std::string_view> frontend_names() noexcept {
  return kNames;
}

std::unique_ptr<frontend> make_frontend(std::string_view name) {
  for (const auto& e : kBuilt)
    if (e.name == name) return e.make();
  return nullptr;
}

std::string frontend_unavailable([[maybe_unused]] std::string_view name) {
#ifdef HTTPCORE_HAVE_IO_URING
  if (name == "io_uring") return frontends::io_uring_unavailable();
#endif
  return {};
}

std::unique_ptr<frontend> make_default_frontend() {
  return make_frontend(kNames[0]);
}

}  // namespace httpcore
