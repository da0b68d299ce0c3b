#pragma once
// Pinning event-loop threads to cores (server_options::pin_threads).

#include <thread>
#include <vector>

namespace httpcore::frontends {

using cpu_list = std::vector<int>;

/// The CPUs this process may run on, in ascending order (empty where the
/// platform cannot tell, which turns pinning off).
cpu_list allowed_cpus();

/// Restricts thread `t` to `cpu` (done when this returns). Best effort: where
/// the platform has no thread affinity, or refuses it, the thread runs unpinned.
void pin_thread(std::thread& t, int cpu) noexcept;

}  // namespace httpcore::frontends
