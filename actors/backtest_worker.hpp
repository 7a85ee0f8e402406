// One backtest run on its own thread (a detached actor, at a lower CPU priority than the live
// actors): it reads the candle files, tells the backtests actor what it loaded (or why it could
// not), runs, reports progress, renders the report and sends it. Then it ends. Internal to the
// backtests actor.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include <caf/event_based_actor.hpp>

#include "actors/candle_files.hpp"
#include "messages/backtest.hpp"
#include "trading/backtest.hpp"
#include "trading/market.hpp"

namespace ct::actors {

struct backtest_job {
  std::string id;
  std::vector<std::string> files;                      // empty: the exchange's candles
  std::shared_ptr<const trading::market_data> market;  // the exchange's candles
  std::vector<std::string> symbols;                    // to trade; empty: all
  trading::backtest_settings settings;
  std::shared_ptr<std::atomic<bool>> cancel;
  msg::backtests_actor manager;
  std::vector<std::string> data_dirs;  // where files may come from (real paths)
  bool fail_at_progress = false;       // the fault switch: throw at the first progress report
};

/// The detached actor's body.
void backtest_worker(caf::event_based_actor* self, backtest_job job);

/// The candle series of `files` (or of `market` when there are none), restricted to `symbols`
/// when given; errors name the file and line, or the symbol. Files are read under `policy`.
result<std::vector<trading::candle_series>> load_candle_series(
    const std::vector<std::string>& files, const trading::market_data* market,
    const std::vector<std::string>& symbols, const file_policy& policy = {});

}  // namespace ct::actors
