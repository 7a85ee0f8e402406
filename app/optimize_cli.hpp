// `crypto-trading optimize`: a walk-forward search over the configuration's strategy and risk
// settings on candle files, on every core; writes a JSON report (optimize_report.hpp). Ctrl-C
// stops it and writes the best so far.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "actors/search_pool.hpp"
#include "trading/result.hpp"

namespace ct::app {

struct optimize_args {
  std::vector<std::string> data;
  std::optional<std::string> config_file;
  std::optional<std::string> strategy;
  std::vector<std::string> sets;   // fixed settings, key=value
  std::vector<std::string> space;  // KEY=LO..HI[:STEP] or KEY=V1,V2,...
  std::uint64_t trials = 1000;
  std::string objective = "sharpe";
  std::uint64_t min_trades = 10;
  std::size_t folds = 4;
  std::size_t jobs = 0;  // 0: every core
  std::size_t top = 10;
  std::uint64_t seed = 1;
  std::string report;
};

/// The plan the arguments describe, the candles aside (windows are cut once they are read).
result<actors::search_plan> plan_search(const optimize_args& a);

/// Runs it all; returns the process's exit status (0; 2 with a message on stderr; 130 when
/// interrupted, the best so far written).
int run_optimize_command(const optimize_args& a);

}  // namespace ct::app
