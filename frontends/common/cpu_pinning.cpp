// Thread affinity: sched_getaffinity/pthread_setaffinity_np on Linux,
// cpuset on FreeBSD; elsewhere (macOS has no hard affinity) a no-op.

#include "common/cpu_pinning.hpp"

#if defined(__linux__)
#include <pthread.h>
#include <sched.h>
#define HTTPCORE_HAVE_CPU_SET 1
#elif defined(__FreeBSD__)
#include <pthread.h>
#include <pthread_np.h>
#include <sys/cpuset.h>
#include <sys/param.h>
#define HTTPCORE_HAVE_CPU_SET 1
using cpu_set_t = cpuset_t;
#endif

namespace httpcore::frontends {

cpu_list allowed_cpus() {
  cpu_list cpus;
#ifdef HTTPCORE_HAVE_CPU_SET
  cpu_set_t set;
  CPU_ZERO(&set);
  if (pthread_getaffinity_np(pthread_self(), sizeof set, &set) != 0) return cpus;
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu)
    if (CPU_ISSET(cpu, &set)) cpus.push_back(cpu);
#endif
  return cpus;
}

void pin_thread([[maybe_unused]] std::thread& t, [[maybe_unused]] int cpu) noexcept {
#ifdef HTTPCORE_HAVE_CPU_SET
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  pthread_setaffinity_np(t.native_handle(), sizeof set, &set);
#endif
}

}  // namespace httpcore::frontends
