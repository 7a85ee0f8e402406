// The backtest report as JSON: the shape `crypto-trading backtest --report` writes and
// GET /api/backtest/{id} returns (README, "Backtesting").
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "trading/backtest.hpp"

namespace ct::msg {

/// "5m", "1h", "1d", else seconds ("90s").
std::string timeframe_name(std::int64_t step_ms);

/// The metrics object of a report (null for a ratio with no denominator).
nlohmann::json metrics_json(const trading::metrics& m);

nlohmann::json report_json(const trading::backtest_result& r, const trading::backtest_settings& s);

}  // namespace ct::msg
