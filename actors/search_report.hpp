// The report of a strategy search, from the command line or POST /api/optimize (README,
// "Strategy search"): what was searched, how fast, the walk-forward folds, and the best trials
// with their in- and out-of-sample metrics; the best trial's parameters as the patch
// POST /api/config takes.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "actors/search_pool.hpp"
#include "trading/candles.hpp"

namespace ct::actors {

/// How the search ran, besides its plan and tally.
struct search_run_facts {
  std::uint64_t requested_trials = 0;
  std::uint64_t seed = 0;
  std::size_t jobs = 0;
  double elapsed_s = 0;
  bool cancelled = false;
};

nlohmann::json optimize_report(const search_plan& plan,
                               const std::vector<trading::candle_series>& data,
                               const search_tally& tally, const search_run_facts& facts);

/// One ranked trial: its parameters, the patch, and each side's score and windows.
nlohmann::json trial_json(const search_plan& plan, const trial_outcome& t, std::size_t rank);

}  // namespace ct::actors
