// `crypto-trading optimize`: a walk-forward search over the configuration's strategy and risk
// settings on candle files, on every core; writes a JSON report (optimize_report.hpp). Ctrl-C
// stops it and writes the best so far.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "actors/search_plan.hpp"
#include "app/remote_search.hpp"
#include "trading/result.hpp"

namespace ct::app {

struct optimize_args {
  std::vector<std::string> data;
  std::optional<std::string> config_file;
  std::optional<std::string> strategy;
  std::vector<std::string> sets;  // fixed settings, key=value
  actors::search_options search;
  std::optional<std::size_t> jobs;  // none: every core; 0 (with workers): none here
  workers_args workers;
  std::string report;
};

/// Runs it all; returns the process's exit status (0; 2 with a message on stderr; 130 when
/// interrupted, the best so far written).
int run_optimize_command(const optimize_args& a);

}  // namespace ct::app
