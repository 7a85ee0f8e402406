// A strategy search started by POST /api/optimize, on a detached actor: it reads the candle
// files (under backtest.data_dirs), cuts the walk-forward windows, says it has started, runs
// the trials on `jobs` threads at the lowest priority (the live bot comes first), reports its
// progress each second and sends the report at the end. A set cancel flag stops it within
// milliseconds, with the trials finished so far reported.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include <caf/event_based_actor.hpp>

#include "actors/search_plan.hpp"
#include "messages/optimize.hpp"
#include "trading/market.hpp"

namespace ct::actors {

struct optimize_job {
  std::string id;
  std::vector<std::string> files;                      // none: `market`'s candles
  std::shared_ptr<const trading::market_data> market;  // the exchange's candles
  search_plan plan;                                    // its windows cut by the worker
  msg::start_optimize request;
  std::size_t jobs = 1;
  std::shared_ptr<std::atomic<bool>> cancel;
  msg::optimizations_actor manager;
  std::vector<std::string> data_dirs;
};

void optimize_worker(caf::event_based_actor* self, optimize_job job);

}  // namespace ct::actors
