// The backtests actor: POST /api/backtest's runs. It applies the request's changes to the
// running configuration (errors name the key), starts one detached worker per run (one run at a
// time: a second is a conflict), answers once the worker has loaded the candles (or says why it
// could not), records backtest_started, backtest_progress and backtest_completed (or
// backtest_failed) on the timeline, so the WebSocket streams them, and keeps the last reports in
// memory for GET /api/backtest/{id}, and the last two runs' candles for their charts
// (GET /api/backtest/{id}/candles). Stopping it cancels the run in progress.
#pragma once

#include <atomic>
#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include "actors/run_slot.hpp"
#include "messages/backtest.hpp"
#include "messages/storage.hpp"
#include "messages/supervisor.hpp"
#include "trading/market.hpp"
#include "trading/time.hpp"

namespace ct::actors {

struct backtests_deps {
  msg::storage_actor storage;        // events
  msg::supervisor_actor supervisor;  // the running configuration
  std::shared_ptr<const trading::clock> clock;
  std::shared_ptr<const trading::market_data> market;  // the default data
  bool detached = true;  // workers on their own threads; false in unit tests (deterministic)
  std::vector<std::string> data_dirs{};  // real paths files may come from (backtest.data_dirs)
};

struct backtest_run {
  msg::backtest_state state;
  std::shared_ptr<std::atomic<bool>> cancel = std::make_shared<std::atomic<bool>>(false);
  std::optional<caf::typed_response_promise<msg::backtest_accepted>> accepting;
  std::chrono::steady_clock::time_point last_event{};
};

struct backtests_state : run_slot<backtest_run> {
  static inline const char* name = "backtests";
  static constexpr std::size_t kept = 16;        // finished runs kept for GET
  static constexpr std::size_t charts_kept = 2;  // of them, those whose candles are kept

  backtests_deps deps;
  std::map<std::string, std::shared_ptr<const msg::backtest_chart_data>> charts;
  std::deque<std::string> charted;  // the runs in `charts`, oldest first
  std::uint64_t seq = 0;
  bool fail_next = false;  // the fault switch armed: the next run's worker throws
};

msg::backtests_actor::behavior_type backtests(
    msg::backtests_actor::stateful_pointer<backtests_state> self, backtests_deps deps);

}  // namespace ct::actors
