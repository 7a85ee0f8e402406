// The service's shutdown: a watchdog that bounds it, and the ordered stop of the actors (the
// backtest in progress, the supervisor's tree, then the store once it has committed everything).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include <caf/actor_system.hpp>

#include "messages/optimize.hpp"
#include "messages/ports.hpp"
#include "messages/storage.hpp"

namespace ct::app {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

/// What is left of the shutdown's budget, at least 1 ms (a zero timeout would not wait at all).
milliseconds left_until(steady_clock::time_point deadline);

/// Bounds the whole shutdown: if the ordered stop has not finished by the deadline (an actor or
/// a worker that does not stop), the process logs what it was waiting for and exits. Whatever
/// was acknowledged is committed already (answers wait for their commit), so nothing
/// acknowledged is lost by not waiting.
class shutdown_watchdog {
public:
  /// Past `deadline`, exits with status 1 if `failed` is set by then, else 0.
  shutdown_watchdog(steady_clock::time_point deadline, milliseconds budget,
                    const std::atomic<bool>& failed);
  ~shutdown_watchdog();
  shutdown_watchdog(const shutdown_watchdog&) = delete;
  shutdown_watchdog& operator=(const shutdown_watchdog&) = delete;
  /// What the shutdown waits for now, for the log if it never comes.
  void stage(const char* what);

private:
  std::mutex mutex_;
  std::condition_variable done_cv_;
  bool done_ = false;
  const char* stage_ = "starting";
  std::thread thread_;  // last: starts once the members above exist
};

/// The actors the service spawned itself, outside the supervisor's tree.
struct own_actors {
  msg::storage_actor storage;
  msg::store_reader_actor reader;
  msg::backtests_actor backtests;
  msg::optimizations_actor optimizations;
};

/// Stops every actor in order within `deadline`: the backtest and the search in progress
/// (cancelled, their ends recorded), the supervisor's tree, then the store once everything sent to
/// it is committed.
void stop_actors(caf::actor_system& sys, const msg::port_table& ports, const own_actors& own,
                 const msg::supervisor_actor& sup, steady_clock::time_point deadline);

}  // namespace ct::app
