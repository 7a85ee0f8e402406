// The optimizations actor: POST /api/optimize's strategy searches. It applies the request's
// changes to the running configuration and reads its space (errors name the key), starts one
// detached worker per search (one at a time, independent of backtests: a second is a
// conflict), answers once the worker has read the candles (or says why it could not), records
// optimize_started, optimize_progress (at most one a second) and optimize_completed (or
// optimize_failed) on the timeline, so the WebSocket streams them, and keeps the last reports in
// memory for GET /api/optimize/{id}. Stopping it cancels the search in progress.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include "actors/run_slot.hpp"
#include "messages/optimize.hpp"
#include "messages/storage.hpp"
#include "messages/supervisor.hpp"
#include "trading/market.hpp"
#include "trading/time.hpp"

namespace ct::actors {

struct optimizations_deps {
  msg::storage_actor storage;        // events
  msg::supervisor_actor supervisor;  // the running configuration
  std::shared_ptr<const trading::clock> clock;
  std::shared_ptr<const trading::market_data> market;  // the default data
  bool detached = true;                  // the worker on its own thread; false in unit tests
  std::vector<std::string> data_dirs{};  // real paths files may come from (backtest.data_dirs)
};

struct optimize_run {
  msg::optimize_state state;
  std::shared_ptr<std::atomic<bool>> cancel = std::make_shared<std::atomic<bool>>(false);
  std::optional<caf::typed_response_promise<msg::optimize_accepted>> accepting;
  std::chrono::steady_clock::time_point last_event{};
};

struct optimizations_state : run_slot<optimize_run> {
  static inline const char* name = "optimizations";
  static constexpr std::size_t kept = 8;  // finished searches kept for GET

  optimizations_deps deps;
  std::uint64_t seq = 0;
};

msg::optimizations_actor::behavior_type optimizations(
    msg::optimizations_actor::stateful_pointer<optimizations_state> self, optimizations_deps deps);

}  // namespace ct::actors
