// A strategy search's plan from its options, the same for the command line and
// POST /api/optimize: the space read against the configuration, the trials, the objective, and
// the walk-forward windows once the candles are known.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "actors/search_pool.hpp"

namespace ct::actors {

struct search_options {
  std::vector<std::string> space;  // KEY=LO..HI[:STEP] or KEY=V1,V2,...
  std::uint64_t trials = 1000;
  std::string objective = "sharpe";
  std::uint64_t min_trades = 10;
  std::uint64_t folds = 4;
  std::uint64_t top = 10;
  std::uint64_t seed = 1;
};

/// The plan on the configuration `base`, windows aside. Errors name the option ("--space …",
/// "--objective …"; the field is the option's name).
result<search_plan> make_search_plan(msg::config base, const search_options& o);

/// An error when the configuration refuses every trial (with the first refusal), before any
/// runs; stops early, with no error, once `cancel` is set.
result<void> check_some_trial_runs(const search_plan& plan, const std::atomic<bool>* cancel);

/// Cuts `plan`'s windows on `data` (checked fit to run: one timeframe, enough candle steps).
result<void> fit_to_data(search_plan& plan, const std::vector<trading::candle_series>& data,
                         std::uint64_t folds);

}  // namespace ct::actors
